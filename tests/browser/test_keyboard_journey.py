"""The portal with the keyboard alone: Tab, Shift+Tab, Enter, Space and typing; no mouse."""

import re

import pytest
from playwright.sync_api import expect

from portal.forms import PASSWORD_REQUIRED, USERNAME_REQUIRED
from portal.models import Role
from proposals.forms.drafting import MODEL_REQUIRED, TITLE_REQUIRED
from proposals.forms.funding import AMOUNT_REQUIRED
from proposals.forms.review import DUE_DATE_REQUIRED
from proposals.models import Pcc, StageStatus, Step

from ..factories import (
    TEST_PASSWORD,
    ProposalFactory,
    UserFactory,
    complete_business_case,
    stage_of,
)

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

#: More presses than any page here has stops between the top and the control sought.
MOST_PRESSES = 60


def tab_to(page, target, *, key="Tab"):
    """Press Tab (or Shift+Tab) until `target` has focus, as a keyboard user moves about."""
    presses = 0
    while not target.evaluate("element => element === document.activeElement"):
        if presses == MOST_PRESSES:
            pytest.fail(f"{target} never took focus in {MOST_PRESSES} presses of {key}")
        page.keyboard.press(key)
        presses += 1


def press_and_load(page, key="Enter"):
    """Press `key` on what has focus, and wait for the page it opens."""
    with page.expect_navigation():
        page.keyboard.press(key)


def sign_in_with_keyboard(page, username):
    page.goto("/accounts/login/")
    tab_to(page, page.get_by_label("Username"))
    page.keyboard.type(username)
    page.keyboard.press("Tab")
    expect(page.get_by_label("Password")).to_be_focused()
    page.keyboard.type(TEST_PASSWORD)
    press_and_load(page)


def test_the_skip_link_is_the_first_tab_stop_and_moves_focus_to_the_main_content(page):
    page.goto("/accessibility/")
    page.keyboard.press("Tab")
    expect(page.get_by_role("link", name="Skip to main content")).to_be_focused()
    page.keyboard.press("Enter")
    expect(page.locator("main#main-content")).to_be_focused()
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.closest('main') !== null")


def test_staff_submit_a_complete_business_case_with_the_keyboard_alone(page):
    essex = Pcc.objects.get(slug="essex")
    staff = UserFactory(username="staff-essex", role=Role.PCC_STAFF, pcc=essex)
    proposal = ProposalFactory(pcc=essex, created_by=staff, title="Essex governance")
    complete_business_case(proposal, staff)

    sign_in_with_keyboard(page, "staff-essex")
    expect(page).to_have_url(re.compile(r"/pccs/essex/$"))
    tab_to(page, page.get_by_role("link", name="Essex governance", exact=True))
    press_and_load(page)
    tab_to(page, page.get_by_role("link", name="Business case", exact=True))
    press_and_load(page)
    tab_to(page, page.get_by_role("link", name="Check your answers"))
    press_and_load(page)
    expect(page.get_by_role("heading", level=1)).to_contain_text("Check your answers")
    # The button is the last thing in the page's content: back from the footer is shortest.
    tab_to(page, page.get_by_role("button", name="Submit for review"), key="Shift+Tab")
    press_and_load(page, "Space")

    expect(page.locator(".govuk-notification-banner")).to_contain_text("Submitted for review")
    assert stage_of(proposal, Step.BUSINESS_CASE).status == StageStatus.SUBMITTED


#: Each form: who fills it in (None: nobody is signed in yet), where it is, and each error's
#: link in the summary -> the field it must move focus to.
REFUSED_FORMS = [
    pytest.param(
        None,
        "/accounts/login/",
        {USERNAME_REQUIRED: "#id_username", PASSWORD_REQUIRED: "#id_password"},
        id="sign in",
    ),
    pytest.param(
        Role.PCC_STAFF,
        "/proposals/new/",
        {TITLE_REQUIRED: "#id_title", MODEL_REQUIRED: "#id_governance_model_1"},
        id="new proposal: a text field and radios",
    ),
    pytest.param(
        Role.REVIEWER,
        "/proposals/{proposal}/stages/business-case/due-date/",
        {DUE_DATE_REQUIRED: "#id_due_date_0"},
        id="due date: a date",
    ),
    pytest.param(
        Role.FUNDING_ADMIN,
        "/funding/essex/allocation/",
        {AMOUNT_REQUIRED: "#id_amount"},
        id="allocation: an amount",
    ),
]


@pytest.mark.parametrize(("role", "path", "links"), REFUSED_FORMS)
def test_a_refused_form_moves_focus_to_the_error_summary_whose_links_focus_the_fields(
    page, role, path, links
):
    essex = Pcc.objects.get(slug="essex")
    proposal = ProposalFactory(pcc=essex)
    if role is not None:
        person = UserFactory(role=role, pcc=essex if role == Role.PCC_STAFF else None)
        sign_in_with_keyboard(page, person.username)
    page.goto(path.format(proposal=proposal.pk))
    tab_to(page, page.locator("#id_submit"))
    press_and_load(page)

    summary = page.locator(".govuk-error-summary")
    expect(summary).to_be_focused()
    for message, field in links.items():
        # Tab forward from the summary to its first link; back from a field to the next one.
        key = "Tab" if summary.evaluate("s => s === document.activeElement") else "Shift+Tab"
        tab_to(page, summary.get_by_role("link", name=message), key=key)
        page.keyboard.press("Enter")
        expect(page.locator(field)).to_be_focused()
