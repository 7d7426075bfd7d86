"""A representation in a real browser: a council's officer lodges their council's
representation during the consultation (a refused form first), the PCC's staff are told and
respond, and the officer is told and reads the response. Each page is checked by axe-core."""

import re

import pytest
from playwright.sync_api import expect

from portal.models import Role
from proposals.models import Pcc, Step
from proposals.services.workflow import stage_transition

from ..factories import TEST_PASSWORD, ProposalFactory, UserFactory, complete_business_case
from .test_accessibility import AXE, axe_findings, described

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

REASONS = "The savings from a shared control room are not shown."
RESPONSE = "The savings are set out in annex B of the business case."


def sign_out(page):
    page.get_by_role("button", name=re.compile("Sign out")).click()


def assert_accessible(page):
    findings = [f for f in axe_findings(page) if f["impact"] in ("serious", "critical")]
    assert not findings, described(findings)


def test_a_council_lodges_its_representation_and_reads_the_pccs_response(page, sign_in, tmp_path):
    essex = Pcc.objects.get(slug="essex")
    council = essex.local_authorities.first()
    staff = UserFactory(username="staff-essex", role=Role.PCC_STAFF, pcc=essex)
    reviewer = UserFactory(username="reviewer", role=Role.REVIEWER)
    UserFactory(username="consultee-essex", role=Role.CONSULTEE, local_authority=council)
    proposal = ProposalFactory(pcc=essex, title="Essex fire governance", created_by=staff)
    complete_business_case(proposal, staff)
    business_case = proposal.stages.get(step=Step.BUSINESS_CASE)
    stage_transition(stage=business_case, action="submit", by=staff)
    stage_transition(stage=business_case, action="approve", by=reviewer)
    page.context.add_init_script(path=AXE)  # axe-core in every page, as the page loads
    letter = tmp_path / "letter.pdf"
    letter.write_bytes(b"%PDF-1.4\n% the council's letter\n%%EOF\n")

    sign_in("consultee-essex", TEST_PASSWORD)
    expect(page.get_by_role("heading", level=1)).to_have_text("Proposals in your area")
    assert_accessible(page)
    page.get_by_role("link", name="Essex fire governance").click()
    assert_accessible(page)
    page.get_by_role("link", name="Lodge a representation").click()
    page.get_by_role("button", name="Lodge the representation").click()
    expect(page.locator(".govuk-error-summary")).to_contain_text(
        "Select your body's position on the proposal"
    )
    assert_accessible(page)
    page.get_by_label("Objects to the proposal").check()
    page.get_by_label("Your reasons").fill(REASONS)
    page.get_by_label("Supporting document (optional)").set_input_files(str(letter))
    page.get_by_role("button", name="Lodge the representation").click()
    expect(page.get_by_role("alert", name="Success")).to_contain_text("The PCC has been told.")
    expect(page.locator("main")).to_contain_text(REASONS)
    expect(page.get_by_role("link", name="letter.pdf")).to_be_visible()
    sign_out(page)

    sign_in("staff-essex", TEST_PASSWORD)
    header = page.locator(".govuk-header")
    header.get_by_role("link", name=re.compile("Notifications")).click()
    page.get_by_role(
        "link", name=f"Representation lodged: {council} on Essex fire governance"
    ).click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Consultation")
    assert_accessible(page)
    page.get_by_role("link", name=f"Respond to {council}").click()
    page.get_by_label("The PCC's response").fill(RESPONSE)
    page.get_by_role("button", name="Save the response").click()
    expect(page.get_by_role("alert", name="Success")).to_contain_text(
        "The body's consultees have been told."
    )
    sign_out(page)

    sign_in("consultee-essex", TEST_PASSWORD)
    expect(header).to_contain_text("1 unread")
    header.get_by_role("link", name=re.compile("Notifications")).click()
    page.get_by_role(
        "link", name=f"The PCC has responded to the representation of {council}"
    ).click()
    expect(page.locator("main")).to_contain_text(RESPONSE)
