"""Every page of the portal, as each role sees it, checked by axe-core in real Chromium.

axe-core (pinned in package-lock.json, installed by `npm ci`) runs its WCAG 2.2 A and AA rules
on each page once the page's own scripts have run. A serious or critical finding fails the
test, naming the rule, what to do about it and the elements concerned. Each form is checked
once more after a submission that is refused, with its error summary and messages showing.
"""

import json
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.conf import settings
from django.core.management import call_command
from django.db import connection, connections
from django.test import Client
from django.test.utils import modify_settings, override_settings
from django.utils import timezone
from playwright.sync_api import expect
from pytest_django.live_server_helper import LiveServer

from portal.models import Role
from proposals.models import CollaborationDuty, DocumentKind, GovernanceModel, Pcc, Step
from proposals.models.choices import CLOSED_STAGE_STATUSES
from proposals.selectors import the_fund
from proposals.services import calendar, comments, drafting, funding
from proposals.services.api_tokens import api_token_issue, api_token_revoke
from proposals.services.workflow import (
    proposal_set_legal_challenge,
    proposal_transition,
    stage_set_due_date,
    stage_transition,
    submission_sign_off,
)

from ..factories import (
    LIMBS_FOUND,
    AgreementFactory,
    NotificationFactory,
    UserFactory,
    attach_document,
    complete_business_case,
    complete_consultation,
    stage_of,
)

# The pages' data is committed once for the module (see `world`); each test's own connection
# only reads, inside a transaction rolled back after it.
pytestmark = [pytest.mark.browser, pytest.mark.django_db]

AXE = settings.BASE_DIR / "node_modules" / "axe-core" / "axe.min.js"
WCAG_22_AA = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22a", "wcag22aa"]
BLOCKING = ("serious", "critical")
MD5 = "django.contrib.auth.hashers.MD5PasswordHasher"
RUN_AXE = """async ({only, preload}) => {
  const results = await axe.run(document, {runOnly: only, resultTypes: ["violations"], preload});
  return results.violations.map((violation) => ({
    id: violation.id,
    impact: violation.impact,
    help: violation.help,
    helpUrl: violation.helpUrl,
    targets: violation.nodes.map((node) => node.target.join(" ")),
  }));
}"""


def axe_findings(page) -> list[dict]:
    """axe-core's WCAG 2.2 A and AA violations on the page as it stands.

    Every page links the same stylesheets (templates/base.html), so the one rule that reads
    them (css-orientation-lock, which needs axe to fetch them first: "preload") is left to
    test_no_stylesheet_locks_the_screen_orientation, instead of slowing every check here.
    """
    only = {"type": "tag", "values": WCAG_22_AA}
    return page.evaluate(RUN_AXE, {"only": only, "preload": False})


def described(findings: list[dict]) -> str:
    return "\n".join(
        f"- {finding['id']} ({finding['impact']}): {finding['help']} <{finding['helpUrl']}>\n"
        + "\n".join(f"    at {target}" for target in finding["targets"])
        for finding in findings
    )


# --- The data the pages show, built once for this module ---------------------------------------

#: Where each of Essex's proposals has got to: the stage left open, or the proposal's state.
REACHES = (
    "drafting",
    "suspended",
    "submitted",
    "returned",
    "consultation",
    "submission",
    "assessment",
    "decision",
    "order",
    "transferred",  # the order in force: the implementation checklist after it
)


@dataclass
class World:
    """Essex's people, and one proposal for each reach."""

    people: dict
    proposals: dict
    sessions: dict  # role -> a signed-in session key
    documents: dict  # reach -> the id of a document of its proposal
    payment: int
    agreement: int  # an Essex collaboration agreement
    duty: int  # a provision of the Act the business cases address

    def path(self, screen) -> str:
        proposal = self.proposals[screen.reach]
        return screen.path.format(
            proposal=proposal.pk,
            pcc="essex",
            other_pcc="sussex",
            document=self.documents[screen.reach],
            payment=self.payment,
            agreement=self.agreement,
            duty=self.duty,
        )


def act(proposal, step, action, by, **kwargs):
    stage_transition(stage=stage_of(proposal, step), action=action, by=by, **kwargs)


def walk(proposal, reach: str, people: dict) -> None:
    """Move a proposal with a complete business case on until `reach`."""
    staff, signatory, reviewer = people["staff"], people["signatory"], people["reviewer"]
    if reach == "suspended":
        proposal_transition(
            proposal=proposal, action="suspend", by=staff, reason="Waiting for the election."
        )
    if reach in ("drafting", "suspended"):
        return
    act(proposal, Step.BUSINESS_CASE, "submit", staff)
    if reach == "submitted":
        return
    if reach == "returned":
        act(proposal, Step.BUSINESS_CASE, "return_to_pcc", reviewer, reason="Cost each option.")
        return
    act(proposal, Step.BUSINESS_CASE, "approve", reviewer)
    if reach == "consultation":
        return
    # A council that objects makes the Home Office commission an independent assessment.
    objecting = [proposal.pcc.local_authorities.first().name] if reach == "assessment" else []
    complete_consultation(proposal, staff, objecting=objecting)
    act(proposal, Step.CONSULTATION, "submit", staff)
    act(proposal, Step.CONSULTATION, "approve", reviewer)
    if reach == "submission":
        return
    submission_sign_off(stage=stage_of(proposal, Step.SUBMISSION), confirmed=True, by=signatory)
    act(proposal, Step.SUBMISSION, "submit", signatory)
    act(proposal, Step.SUBMISSION, "approve", reviewer)
    if reach in ("assessment", "decision"):
        return
    decision = stage_of(proposal, Step.DECISION)
    drafting.stage_details_save(
        stage=decision,
        version="",
        by=reviewer,
        values={
            "outcome": "approved",
            "decided_on": date(2017, 7, 25),
            "summary": "Approved.",
            **LIMBS_FOUND,
        },
    )
    attach_document(decision, DocumentKind.DECISION_LETTER, reviewer)
    act(proposal, Step.DECISION, "complete", reviewer)
    if reach != "transferred":
        return
    today = timezone.localdate()
    drafting.stage_details_save(
        stage=stage_of(proposal, Step.ORDER),
        version="",
        by=reviewer,
        values={
            "si_number": "2017/864",
            "made_on": today,
            "laid_on": today,
            "in_force_on": today,
            "transfer_date": today,
        },
    )
    act(proposal, Step.ORDER, "complete", reviewer)


def build_world() -> World:
    essex = Pcc.objects.get(slug="essex")
    people = {
        "staff": UserFactory(username="staff-essex", role=Role.PCC_STAFF, pcc=essex),
        "signatory": UserFactory(username="signatory-essex", role=Role.PCC_SIGNATORY, pcc=essex),
        "reviewer": UserFactory(username="reviewer", role=Role.REVIEWER),
        "funding": UserFactory(username="funding", role=Role.FUNDING_ADMIN),
    }
    staff, reviewer, funder = people["staff"], people["reviewer"], people["funding"]
    proposals = {}
    for reach in REACHES:
        proposal = drafting.proposal_create(
            pcc=essex,
            title=f"Essex governance ({reach})",
            governance_model=GovernanceModel.GOVERNANCE,
            fire_authorities=essex.fire_authorities.all(),
            by=staff,
        )
        complete_business_case(proposal, staff)
        walk(proposal, reach, people)
        # What pages show when there is something to show: an overdue stage and comments.
        if reach not in ("suspended", "transferred"):
            stage_set_due_date(
                stage=proposal.stages.exclude(status__in=CLOSED_STAGE_STATUSES).order_by("step")[0],
                due_date=timezone.localdate() - timedelta(days=3),
                reason="Agreed with the PCC.",
                by=reviewer,
                past_confirmed=True,
            )
        comments.comment_add(
            proposal=proposal, body="Shared with the chief.", home_office_only=False, by=staff
        )
        comments.comment_add(
            proposal=proposal, body="Check the costings.", home_office_only=True, by=reviewer
        )
        proposals[reach] = proposal
    proposal_set_legal_challenge(
        proposal=proposals["order"],
        under_challenge=True,
        reason="Judicial review claim CO/1234/2017.",
        by=reviewer,
    )
    allocation = funding.allocation_update(
        fund=the_fund(),
        pcc=essex,
        amount=Decimal("125000.00"),
        reason="Award letter of 17 March 2017.",
        version="",
        by=funder,
    )
    payment = funding.payment_record(
        fund=allocation.fund,
        pcc=essex,
        amount=Decimal("25000.00"),
        paid_on=date(2017, 4, 3),
        reference="PTF-0001",
        by=funder,
    )
    for person in people.values():
        NotificationFactory(user=person, link=f"/proposals/{proposals['drafting'].pk}/")
        NotificationFactory(user=person, read_at=timezone.now())
        calendar.calendar_token_issue(user=person)
        # A working token and a revoked one, one with a long name, as a phone must show them.
        api_token_issue(user=person, name="Home Office performance tracker (monthly)", by=person)
        revoked, _ = api_token_issue(user=person, name="Old spreadsheet", by=person)
        api_token_revoke(token=revoked, by=person)
    sessions = {role: session_for(person) for role, person in people.items()}
    documents = {
        reach: proposal.documents.order_by("pk").first().pk for reach, proposal in proposals.items()
    }
    return World(
        people=people,
        proposals=proposals,
        sessions=sessions,
        documents=documents,
        payment=payment.pk,
        agreement=AgreementFactory(pcc=essex, title="Shared estates").pk,
        duty=CollaborationDuty.objects.get(provision="PCA 2017 s.2(1)").pk,
    )


@pytest.fixture(scope="module")
def world(browser, django_db_blocker):
    """Every page's data, built and committed once, kept for the module's tests.

    A transactional test per page would flush and reload the database some 150 times, about a
    second each on this machine. Instead the module commits its data once (the live server's
    thread sees only committed rows), and afterwards puts the database back as it found it.
    The tests only read pages and have forms refused, so none changes what another sees.
    It starts after `browser`, whose event loop gives this thread its database connections
    (see conftest.py).
    """
    with django_db_blocker.unblock():
        as_found = connection.creation.serialize_db_to_string()
        try:
            with override_settings(PASSWORD_HASHERS=[MD5]):
                built = build_world()
            yield built
        finally:
            call_command("flush", verbosity=0, interactive=False, inhibit_post_migrate=True)
            connection.creation.deserialize_db_from_string(as_found)
            # As a transactional test would, so the test database can be dropped at the end.
            for each in connections.all(initialized_only=True):
                each.close()


def session_for(user) -> str:
    """A signed-in session for `user`: signing in itself has its own journeys."""
    client = Client()
    client.force_login(user)
    return client.cookies[settings.SESSION_COOKIE_NAME].value


@pytest.fixture(scope="module")
def server(world):
    with modify_settings(ALLOWED_HOSTS={"append": "localhost"}):
        server = LiveServer("localhost")
        yield server
        server.stop()


@pytest.fixture(scope="module")
def tab_for(browser, server, world):
    """One browser tab per role and screen size, signed in, kept for the module so assets stay
    cached (Playwright's default viewport, 1280 by 720, unless another is given)."""
    if not AXE.exists():
        pytest.fail(f"No axe-core at {AXE}: run `npm ci` (make test does).")
    tabs = {}

    def tab(role, viewport=None):
        key = (role, str(viewport))
        if key not in tabs:
            size = {"viewport": viewport} if viewport else {}
            context = browser.new_context(base_url=server.url, locale="en-GB", **size)
            # An init script rather than a <script> tag: the portal's Content-Security-Policy
            # allows no inline script, and it stays in force while the checks run.
            context.add_init_script(path=AXE)
            if role != "anonymous":
                cookie = {"name": settings.SESSION_COOKIE_NAME, "url": server.url}
                context.add_cookies([{**cookie, "value": world.sessions[role]}])
            tabs[key] = context.new_page()
            tabs[key].set_default_timeout(10_000)
        return tabs[key]

    yield tab
    for page in tabs.values():
        page.context.close()


# --- How each form is made to fail ------------------------------------------------------------


def submit_empty(page):
    """Nothing filled in or chosen beyond what the page starts with."""


def typed(**values) -> Callable:
    """Type `values` into the fields with those ids."""

    def fill(page):
        for field_id, value in values.items():
            page.locator(f"#{field_id}").fill(value)

    return fill


def bad_date(name: str, day: str, month: str, year: str) -> dict:
    return {f"id_{name}_0": day, f"id_{name}_1": month, f"id_{name}_2": year}


def a_council_answered_on_no_real_day(page):
    page.locator("input[name$=_stated_on_0]").first.fill("32")
    page.locator("input[name$=_stated_on_1]").first.fill("13")
    page.locator("input[name$=_stated_on_2]").first.fill("2017")


def someone_else_saved_meanwhile(page):
    """The form was opened before another person's save: it carries the older revision."""
    page.locator("input[name=base_revision]").evaluate("input => { input.value -= 1; }")


# --- Every page -------------------------------------------------------------------------------

ANONYMOUS = ("anonymous",)
STAFF = ("staff",)
PCC = ("staff", "signatory")
REVIEWER = ("reviewer",)
FUNDING = ("funding",)
HOME_OFFICE = REVIEWER + FUNDING
EVERYONE = PCC + HOME_OFFICE
PROPOSAL = "/proposals/{proposal}/"


def stage_page(step: Step, then: str = "") -> str:
    return f"{PROPOSAL}stages/{step.slug}/{then}"


@dataclass(frozen=True)
class Screen:
    """A page of the portal, who sees it, what data it needs, and how to make its form fail."""

    name: str
    path: str
    roles: tuple
    reach: str = "drafting"
    status: int = 200
    fail: Callable | None = None  # fills the form so that submitting it is refused


def stage_screens() -> list[Screen]:
    # Each stage is shown while it is the open one, when its page has most on it.
    reaches = {
        Step.BUSINESS_CASE: "drafting",
        Step.CONSULTATION: "consultation",
        Step.SUBMISSION: "submission",
        Step.INDEPENDENT_ASSESSMENT: "assessment",
        Step.DECISION: "decision",
        Step.ORDER: "order",
    }
    return [
        Screen(f"{step.label.lower()} stage", stage_page(step), EVERYONE, reach)
        for step, reach in reaches.items()
    ]


SCREENS = [
    Screen("sign in", "/accounts/login/", ANONYMOUS, fail=submit_empty),
    Screen("accessibility statement", "/accessibility/", ANONYMOUS + STAFF),
    Screen("page not found", "/no-such-page/", ANONYMOUS + HOME_OFFICE, status=404),
    Screen("another PCC's page (not found)", "/pccs/{other_pcc}/", PCC, status=404),
    Screen("overview (cannot see)", "/overview/", PCC, status=403),
    Screen("new proposal (cannot see)", "/proposals/new/", HOME_OFFICE, status=403),
    Screen("request too large", "/request-too-large", ANONYMOUS + PCC, status=413),
    Screen("set up an authenticator app", "/accounts/two-factor/setup/", REVIEWER),
    Screen("enter your code", "/accounts/two-factor/", REVIEWER, fail=typed(id_token="12")),
    Screen("your authenticator apps", "/account/two-factor/", EVERYONE),
    # PCC people's pages
    Screen("PCC home", "/pccs/{pcc}/", EVERYONE),
    Screen("new proposal", "/proposals/new/", PCC, fail=submit_empty),
    Screen("proposal", PROPOSAL, EVERYONE, fail=submit_empty),
    Screen("suspended proposal", PROPOSAL, STAFF, reach="suspended"),
    *stage_screens(),
    Screen("returned business case stage", stage_page(Step.BUSINESS_CASE), PCC, "returned"),
    Screen("business case task list", PROPOSAL + "business-case/", EVERYONE),
    Screen(
        "business case section",
        PROPOSAL + "business-case/economy/",
        PCC,
        fail=someone_else_saved_meanwhile,
    ),
    Screen(
        "collaboration duties form",
        PROPOSAL + "business-case/duties/",
        PCC,
        fail=someone_else_saved_meanwhile,
    ),
    Screen("check your answers", PROPOSAL + "business-case/check/", EVERYONE),
    Screen("revisions", PROPOSAL + "revisions/", EVERYONE),
    Screen("compare revisions", PROPOSAL + "revisions/compare/?from=1&to=8", EVERYONE),
    Screen(
        "upload a document",
        stage_page(Step.BUSINESS_CASE, "documents/new/"),
        PCC,
        fail=submit_empty,
    ),
    Screen(
        "consultation details",
        stage_page(Step.CONSULTATION, "details/"),
        PCC,
        reach="consultation",
        fail=typed(**bad_date("starts_on", "31", "2", "2017"), id_responses_received="-5"),
    ),
    Screen(
        "councils' positions",
        stage_page(Step.CONSULTATION, "councils/"),
        PCC,
        reach="consultation",
        fail=a_council_answered_on_no_real_day,
    ),
    Screen("remove a document", PROPOSAL + "documents/{document}/remove/", PCC),
    Screen(
        "replace a document",
        PROPOSAL + "documents/{document}/replace/",
        PCC,
        fail=submit_empty,
    ),
    Screen(
        "sign off the submission",
        stage_page(Step.SUBMISSION, "sign-off/"),
        ("signatory",),
        reach="submission",
        fail=submit_empty,
    ),
    # Submitting the model it has already is refused, with the reason by the field.
    Screen("change the governance model", PROPOSAL + "model/", PCC, fail=submit_empty),
    Screen("governance model fixed", PROPOSAL + "model/", STAFF, reach="consultation"),
    Screen("withdraw", PROPOSAL + "withdraw/", PCC, fail=submit_empty),
    Screen("suspend", PROPOSAL + "suspend/", PCC, fail=submit_empty),
    Screen("resume", PROPOSAL + "resume/", PCC, reach="suspended", fail=submit_empty),
    # Everyone's own pages
    Screen("notifications", "/notifications/", EVERYONE),
    Screen("reminder preferences", "/account/preferences/", EVERYONE),
    Screen("deadlines calendar", "/calendar/", EVERYONE),
    Screen("API tokens", "/account/api-tokens/", EVERYONE, fail=submit_empty),
    Screen("funding", "/funding/", EVERYONE),
    Screen("a PCC's funding", "/funding/{pcc}/", EVERYONE),
    Screen(
        "reverse a payment",
        "/funding/{pcc}/payments/{payment}/reverse/",
        FUNDING,
        fail=typed(id_amount="", id_reason=""),
    ),
    Screen("collaboration duties", "/duties/", EVERYONE),
    Screen("a collaboration duty", "/duties/{duty}/", EVERYONE),
    Screen("collaboration register", "/collaboration/", EVERYONE),
    Screen("collaboration agreement", "/collaboration/{agreement}/", EVERYONE),
    Screen("record a collaboration agreement", "/collaboration/new/", PCC, fail=submit_empty),
    Screen(
        "parties' considerations",
        "/collaboration/{agreement}/considerations/",
        PCC,
        fail=submit_empty,
    ),
    # The Home Office's pages
    Screen("overview", "/overview/", HOME_OFFICE),
    Screen(
        "overview, filtered",
        "/overview/?governance_model=governance&status=active&overdue=on&filter=",
        REVIEWER,
    ),
    Screen("review queue", "/review/", HOME_OFFICE, reach="submitted"),
    Screen(
        "submitted business case stage",
        stage_page(Step.BUSINESS_CASE),
        REVIEWER,
        reach="submitted",
    ),
    Screen(
        "return a stage",
        stage_page(Step.BUSINESS_CASE, "return/"),
        REVIEWER,
        reach="submitted",
        fail=submit_empty,
    ),
    Screen(
        "set the due date",
        stage_page(Step.BUSINESS_CASE, "due-date/"),
        REVIEWER,
        fail=typed(**bad_date("due_date", "", "", ""), id_reason=""),
    ),
    Screen("legal challenge", PROPOSAL + "legal-challenge/", REVIEWER, fail=submit_empty),
    Screen(
        "independent assessment details",
        stage_page(Step.INDEPENDENT_ASSESSMENT, "details/"),
        REVIEWER,
        reach="assessment",
        fail=typed(
            **bad_date("commissioned_on", "1", "6", "2017"),
            **bad_date("reported_on", "1", "5", "2017"),
        ),
    ),
    Screen(
        "decision details",
        stage_page(Step.DECISION, "details/"),
        REVIEWER,
        reach="decision",
        # No decision chosen, and reasons on a limb with no finding: both named by their fields.
        fail=typed(id_economy_reasons="Savings shown."),
    ),
    Screen(
        "order details",
        stage_page(Step.ORDER, "details/"),
        REVIEWER,
        reach="order",
        fail=typed(
            **bad_date("made_on", "8", "9", "2017"), **bad_date("laid_on", "6", "9", "2017")
        ),
    ),
    Screen(
        "upload a document (Home Office)",
        stage_page(Step.INDEPENDENT_ASSESSMENT, "documents/new/"),
        REVIEWER,
        reach="assessment",
    ),
    Screen(
        "change an allocation",
        "/funding/{pcc}/allocation/",
        FUNDING,
        fail=typed(id_amount="lots", id_reason=""),
    ),
    Screen("record a payment", "/funding/{pcc}/payments/new/", FUNDING, fail=submit_empty),
    # After the order
    Screen("transferred proposal with its checklist", PROPOSAL, EVERYONE, reach="transferred"),
    Screen(
        "record a checklist item done",
        PROPOSAL + "after-the-order/fire_plan/done/",
        PCC,
        reach="transferred",
        fail=submit_empty,
    ),
    Screen(
        "move a checklist item's due date",
        PROPOSAL + "after-the-order/fire_plan/due-date/",
        REVIEWER,
        reach="transferred",
        fail=typed(**bad_date("due_date", "", "", ""), id_reason=""),
    ),
]


#: Pages dense with tables and links, checked once more 320 pixels wide, as on a small phone or
#: at 400% zoom, where text reflows and targets crowd (WCAG 2.2 1.4.10 and 2.5.8).
NARROW = (
    "PCC home",
    "proposal",
    "transferred proposal with its checklist",
    "consultation stage",
    "business case task list",
    "check your answers",
    "compare revisions",
    "notifications",
    "funding",
    "a PCC's funding",
    "collaboration duties",
    "a collaboration duty",
    "collaboration register",
    "overview",
    "review queue",
)
SMALL_PHONE = {"width": 320, "height": 640}


def cases():
    for screen in SCREENS:
        for role in screen.roles:
            yield pytest.param(screen, role, False, None, id=f"{role}: {screen.name}")
        first = screen.roles[0]
        if screen.fail:
            yield pytest.param(screen, first, True, None, id=f"{first}: {screen.name}, with errors")
        if screen.name in NARROW:
            yield pytest.param(
                screen, first, False, SMALL_PHONE, id=f"{first}: {screen.name}, 320px wide"
            )


@pytest.mark.parametrize(("screen", "role", "with_errors", "viewport"), list(cases()))
def test_page_has_no_serious_or_critical_accessibility_findings(
    tab_for, world, screen, role, with_errors, viewport
):
    page = tab_for(role, viewport)
    response = page.goto(world.path(screen))
    assert response.status == screen.status, f"{page.url} answered {response.status}"
    if with_errors:
        screen.fail(page)
        page.locator("#id_submit").click()
        expect(page.locator(".govuk-error-summary")).to_be_visible()
        page.wait_for_load_state()
    findings = axe_findings(page)
    blocking = [finding for finding in findings if finding["impact"] in BLOCKING]
    if blocking:
        pytest.fail(f"axe-core on {page.url}:\n{described(blocking)}", pytrace=False)


def test_the_accessibility_statement_names_the_axe_core_version_the_checks_run(tab_for):
    version = json.loads((AXE.parent / "package.json").read_text())["version"]
    page = tab_for("anonymous")
    page.goto("/accessibility/")
    expect(page.get_by_role("main")).to_contain_text(f"axe-core version {version}")


def test_no_stylesheet_locks_the_screen_orientation(tab_for):
    page = tab_for("anonymous")
    page.goto("/accessibility/")
    only = {"type": "rule", "values": ["css-orientation-lock"]}
    findings = page.evaluate(RUN_AXE, {"only": only, "preload": True})
    if findings:
        pytest.fail(described(findings), pytrace=False)
