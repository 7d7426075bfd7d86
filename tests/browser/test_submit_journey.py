"""The business case journey in a real browser: draft, submit, return, revise, approve."""

import re

import pytest
from playwright.sync_api import expect

from portal.models import Role
from proposals.models import BUSINESS_CASE_SECTIONS, Pcc, Proposal, StageStatus, Step

from ..factories import TEST_PASSWORD, UserFactory

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

PDF = b"%PDF-1.4\n1 0 obj << >> endobj\n%%EOF\n"


def sign_out(page):
    page.get_by_role("button", name=re.compile("Sign out")).click()


def test_staff_submit_reviewer_returns_staff_revise_and_reviewer_approves(page, sign_in):
    essex = Pcc.objects.get(slug="essex")
    UserFactory(
        username="staff-essex", role=Role.PCC_STAFF, pcc=essex, first_name="Sam", last_name="Staff"
    )
    UserFactory(username="reviewer", role=Role.REVIEWER, first_name="Rita", last_name="Review")

    sign_in("staff-essex", TEST_PASSWORD)
    page.get_by_role("link", name="Start a new proposal").click()
    page.get_by_label("Title").fill("Essex: PCC to become the fire and rescue authority")
    page.get_by_label("Governance", exact=True).check()
    page.get_by_label("Essex Fire Authority").check()
    page.get_by_role("button", name="Create proposal").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Local business case")

    for section in BUSINESS_CASE_SECTIONS:
        page.get_by_role("link", name=section.label, exact=True).click()
        page.get_by_label(section.label).fill(f"Our case on {section.label.lower()}.")
        page.get_by_role("button", name="Save and continue").click()
    page.get_by_role("link", name="Collaboration duties addressed").click()
    page.get_by_label(re.compile(r"PCA 2017 s\.2\(1\)")).fill("Quarterly joint reviews.")
    page.get_by_role("button", name="Save and continue").click()
    page.get_by_role("link", name="Business case document").click()
    page.get_by_label("Business case", exact=True).check()
    page.locator("input[type=file]").set_input_files(
        files=[{"name": "Business case.pdf", "mimeType": "application/pdf", "buffer": PDF}]
    )
    page.get_by_role("button", name="Upload", exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Local business case")

    page.get_by_role("link", name="Check your answers").click()
    expect(page.get_by_text("Our case on economy.")).to_be_visible()
    page.get_by_role("button", name="Submit for review").click()
    expect(page.locator(".govuk-notification-banner")).to_contain_text("Submitted for review")
    sign_out(page)

    sign_in("reviewer", TEST_PASSWORD)
    page.get_by_role("link", name="Review queue", exact=True).click()
    page.get_by_role("link", name="Business case").click()
    page.get_by_role("link", name="Return with reasons").click()
    page.get_by_label("Why is this stage being returned?").fill("Cost the single employer option.")
    page.get_by_role("button", name="Return with reasons").click()
    expect(page.locator("body")).to_contain_text("Returned")
    sign_out(page)

    sign_in("staff-essex", TEST_PASSWORD)
    proposal = Proposal.objects.get()
    page.goto(f"/proposals/{proposal.pk}/stages/business-case/")
    expect(page.locator(".govuk-notification-banner")).to_contain_text(
        "Cost the single employer option."
    )
    page.get_by_role("button", name="Revise this stage").click()
    page.get_by_role("link", name="Work on the business case").click()
    page.get_by_role("link", name="Financial case", exact=True).click()
    page.get_by_label("Financial case").fill("Single employer costed at £1.2m a year.")
    page.get_by_role("button", name="Save and continue").click()
    page.get_by_role("link", name="Check your answers").click()
    page.get_by_role("button", name="Submit for review").click()
    sign_out(page)

    sign_in("reviewer", TEST_PASSWORD)
    page.goto(f"/proposals/{proposal.pk}/stages/business-case/")
    page.get_by_role("button", name="Approve").click()
    expect(page.locator(".govuk-notification-banner")).to_contain_text("Stage approved")
    page.goto(f"/proposals/{proposal.pk}/")
    expect(page.locator("#history")).to_be_visible()
    expect(page.locator("body")).to_contain_text("Business case returned to the PCC")
    assert proposal.stages.get(step=Step.CONSULTATION).status == StageStatus.IN_PROGRESS
