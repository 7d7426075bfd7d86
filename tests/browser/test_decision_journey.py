"""The decision in a real browser: the reviewer records the Home Secretary's finding on each
limb, is told which limb is missing, completes the decision and reads the limbs side by side."""

import pytest
from playwright.sync_api import expect

from portal.models import Role
from proposals.models import Pcc

from ..factories import TEST_PASSWORD, ProposalFactory, UserFactory, at_decision

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

THREE_ES = ("economy", "efficiency", "effectiveness")


def test_reviewer_records_each_limb_and_completes_the_decision(page, sign_in):
    reviewer = UserFactory(username="reviewer", role=Role.REVIEWER)
    proposal = at_decision(
        ProposalFactory(pcc=Pcc.objects.get(slug="essex"), title="Essex governance"), reviewer
    )

    sign_in("reviewer", TEST_PASSWORD)
    page.goto(f"/proposals/{proposal.pk}/stages/decision/")
    page.get_by_role("link", name="Add the details").click()
    page.get_by_label("Approved").check()
    page.locator("#id_decided_on_0").fill("25")
    page.locator("#id_decided_on_1").fill("7")
    page.locator("#id_decided_on_2").fill("2017")
    for limb in THREE_ES:  # public safety left out: the stage says so
        page.get_by_label(f"In the interests of {limb}", exact=True).check()
        page.locator(f"#id_{limb}_reasons").fill(f"Shown on {limb}.")
    page.get_by_label("Economy, efficiency and effectiveness").check()
    page.get_by_role("button", name="Save and continue").click()

    page.get_by_role("button", name="Mark as complete").click()
    expect(page.locator(".govuk-error-summary")).to_contain_text(
        "the Home Secretary's finding and reasons on public safety"
    )
    expect(page.locator(".govuk-error-summary")).not_to_contain_text("reasons on economy")

    page.get_by_role("link", name="Change the details").click()
    page.get_by_label("No adverse effect on public safety").check()
    page.locator("#id_public_safety_reasons").fill("Cover is kept.")
    page.get_by_role("button", name="Save and continue").click()
    page.get_by_role("button", name="Mark as complete").click()
    expect(page.locator(".govuk-notification-banner")).to_contain_text("Stage marked as complete")

    table = page.get_by_role("region", name="The statutory test, limb by limb")
    expect(table.get_by_role("row", name="Efficiency")).to_contain_text(
        "In the interests of efficiency"
    )
    expect(table.get_by_role("row", name="Public safety")).to_contain_text(
        "No adverse effect on public safety"
    )
    expect(table.get_by_role("row", name="Public safety")).to_contain_text(
        "No independent assessment"
    )
    with page.expect_download() as download:
        page.get_by_role("link", name="Download the decision record (PDF)").click()
    assert download.value.suggested_filename == f"decision-record-{proposal.pk}.pdf"
