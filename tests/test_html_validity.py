"""Every page each role can reach is valid HTML, by the Nu Html Checker (vnu-jar, W3C's).

Each role signs in and follows every link the portal offers it, from its landing page, over
the demo's data (the nine proposals' real histories and illustrative ones at every stage). A
page is fetched once per route, query and state of its proposal, so each template is seen in
every state without fetching the same page for each of many alike proposals. The pages go to
the checker in one run (it starts a Java virtual machine, a few seconds each time); any error
fails the test, naming the role, the page, the line and the checker's message.
"""

import json
import subprocess
from collections import deque
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import parse_qsl, urljoin, urlsplit

import pytest
from django.conf import settings
from django.test import Client
from django.urls import Resolver404, resolve

from portal.models import User
from proposals.models import Proposal
from proposals.services.demo import demo_seed

pytestmark = pytest.mark.django_db

VNU = settings.BASE_DIR / "node_modules" / "vnu-jar" / "build" / "dist" / "vnu.jar"

#: Each role as a demo user (None: not signed in).
ROLES = {
    "anonymous": None,
    "PCC staff": "staff-essex",
    "PCC signatory": "signatory-essex",
    "reviewer": "reviewer",
    "funding admin": "funding",
    "site admin": "admin",
    # West Mercia's staff answer the fire authority's representation on the open consultation.
    "PCC staff, West Mercia": "staff-west-mercia",
    "consultee": "consultee-shropshire",
    "independent assessor": "assessor-cipfa",
}
#: Where each role starts, besides its landing page: pages people reach by typing or by a
#: refusal (not found, no access), and a filtered overview (its form is a GET).
START = (
    "/",
    "/accounts/login/",
    "/no-such-page/",
    "/pccs/sussex/",
    "/overview/",
    "/overview/?governance_model=governance&status=active&overdue=on",
    "/collaboration/?pcc=essex&subject=estates&status=in_force",
)
#: Links not to follow: signing out ends the crawl's session; static files are not pages.
SKIP = ("/accounts/logout/", "/admin/logout/", "/static/")


def page_key(path: str, query: str) -> tuple:
    """What makes a page different from another: its route, its words (a step, a section),
    the names in its query, and the state of the proposal it shows."""
    try:
        match = resolve(path)
    except Resolver404:
        return ("not found",)
    # Ids (Django admin's are strings of digits) name one of many alike pages.
    words = tuple(sorted((k, v) for k, v in match.kwargs.items() if not str(v).isdigit()))
    state = ()
    if match.url_name and match.namespace == "proposals" and "pk" in match.kwargs:
        proposal = Proposal.objects.filter(pk=match.kwargs["pk"]).first()
        if proposal:
            stages = proposal.stages.order_by("step").values_list("status", flat=True)
            state = (proposal.status, proposal.under_legal_challenge, *stages)
    # Django admin's sorting and filtering links make the same page in countless orders.
    names = () if match.namespace == "admin" else tuple(sorted(dict(parse_qsl(query))))
    return (match.namespace, match.url_name, words, names, state)


class LinkParser(HTMLParser):
    def __init__(self):
        super().__init__()
        self.hrefs = []

    def handle_starttag(self, tag, attrs):
        href = dict(attrs).get("href")
        if tag == "a" and href:
            self.hrefs.append(href)


def links(page: str, base: str) -> list[str]:
    parser = LinkParser()
    parser.feed(page)
    return [urljoin(base, href) for href in parser.hrefs]


def crawl(client: Client) -> dict[str, str]:
    """Every page reachable from START by links: {url: html}."""
    pages, seen_keys, queued = {}, set(), set(START)
    queue = deque(START)
    while queue:
        url = queue.popleft()
        parts = urlsplit(url)
        key = page_key(parts.path, parts.query)
        if key in seen_keys:
            continue
        seen_keys.add(key)
        response = client.get(url)
        assert response.status_code < 500, f"{url} answered {response.status_code}"
        if response.status_code in (301, 302):
            found = [response.url]
        elif response.headers.get("Content-Type", "").startswith("text/html"):
            pages[url] = response.content.decode()
            found = links(pages[url], url)
        else:
            continue
        for link in found:
            link_parts = urlsplit(link)
            if link_parts.netloc not in ("", "testserver") or link_parts.path.startswith(SKIP):
                continue
            local = link_parts.path + (f"?{link_parts.query}" if link_parts.query else "")
            if local not in queued:
                queued.add(local)
                queue.append(local)
    return pages


def nu_html_checker_errors(pages: dict[str, str], folder: Path) -> list[dict]:
    """The checker's errors over every page, in one run; each error's url is the page's."""
    names = {}
    for number, (url, page) in enumerate(pages.items()):
        path = folder / f"{number:04}.html"
        path.write_text(page)
        names[path.name] = url
    result = subprocess.run(
        ["java", "-jar", str(VNU), "--errors-only", "--format", "json", "--exit-zero-always"]
        + [str(folder / name) for name in names],
        capture_output=True,
        text=True,
        timeout=600,
        check=True,
    )
    errors = json.loads(result.stderr)["messages"]
    return [{**error, "url": names[error["url"].rsplit("/", 1)[-1]]} for error in errors]


@pytest.fixture
def demo():
    # The nine real histories, and 31 illustrative proposals: the first number of them at which
    # every stage is the open one (in progress; the PCC's three also submitted and returned).
    demo_seed(password="html-validity-demo-password", extra_proposals=31)


def test_every_page_each_role_can_reach_is_valid_html(demo, tmp_path):
    if not VNU.exists():
        pytest.fail(f"No Nu Html Checker at {VNU}: run `npm ci` (make test does).")
    pages = {}
    for role, username in ROLES.items():
        client = Client()
        if username:
            client.force_login(User.objects.get(username=username))
        for url, page in crawl(client).items():
            pages[f"{role}: {url}"] = page
    assert len(pages) > 100, f"the crawl reached only {len(pages)} pages"
    errors = nu_html_checker_errors(pages, tmp_path)
    if errors:
        described = "\n".join(
            f"- {error['url']} line {error.get('lastLine')}: {error['message']}\n"
            f"    {error.get('extract', '').strip()}"
            for error in errors
        )
        pytest.fail(f"{len(errors)} HTML errors:\n{described}", pytrace=False)
