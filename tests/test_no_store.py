"""Signed-in pages are never kept by a browser or proxy: every page reached by following the
portal's links, as each role, answers `Cache-Control: no-store`."""

import re
from collections import deque

import pytest

from proposals.models import DocumentKind, Step

from .factories import ProposalFactory, attach_document, stage_of

pytestmark = pytest.mark.django_db

ROLES = ["essex_staff", "essex_signatory", "reviewer", "funding_admin", "site_admin"]
LINK = re.compile(r'href="(/[^"#]*)"')
#: Not pages: files served by whitenoise, and signing out.
SKIPPED = ("/static/", "/accounts/logout/")
#: Enough to reach every kind of page from the home page; admin's own pages past its index
#: are Django's (which sets no-cache itself) and would swamp the crawl.
MOST_PAGES = 150


def crawl(client):
    """Every page reachable from / by links, breadth first: {path: response}."""
    seen, queue, answers = {"/"}, deque(["/"]), {}
    while queue and len(answers) < MOST_PAGES:
        path = queue.popleft()
        response = client.get(path)
        answers[path] = response
        if response.status_code == 302:
            links = [response["Location"]]
        elif response.status_code == 200 and "html" in response.get("Content-Type", ""):
            links = LINK.findall(response.content.decode())
        else:
            continue
        for link in links:
            link = link.replace("&amp;", "&")
            if link.startswith(SKIPPED) or link in seen:
                continue
            if link.startswith("/admin/") and link.count("/") > 3:
                continue
            seen.add(link)
            queue.append(link)
    return answers


@pytest.mark.parametrize("role", ROLES)
def test_every_signed_in_page_answers_no_store(request, client_for, essex, sussex, role):
    user = request.getfixturevalue(role)
    for pcc in (essex, sussex):
        proposal = ProposalFactory(pcc=pcc)
        attach_document(
            stage_of(proposal, Step.BUSINESS_CASE),
            DocumentKind.BUSINESS_CASE,
            request.getfixturevalue("essex_staff"),
        )
    answers = crawl(client_for(user))
    assert len(answers) > 10
    for path, response in answers.items():
        assert "no-store" in response.get("Cache-Control", ""), (path, response.status_code)


def test_a_page_for_someone_signed_out_may_be_cached(client):
    assert "no-store" not in client.get("/accessibility/").get("Cache-Control", "")
