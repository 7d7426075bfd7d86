"""The collaboration register in a real browser: PCC staff record an agreement, cite it from
their business case's duty evidence, and the Home Office reads both."""

import re

import pytest
from playwright.sync_api import expect

from portal.models import Role
from proposals.models import CollaborationAgreement, CollaborationDuty, DutyEvidence, Pcc
from proposals.services.collaboration import TWO_PARTIES

from ..factories import TEST_PASSWORD, ProposalFactory, UserFactory

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def test_staff_record_an_agreement_and_cite_it_from_the_business_case(page, sign_in):
    essex = Pcc.objects.get(slug="essex")
    UserFactory(username="staff-essex", role=Role.PCC_STAFF, pcc=essex)
    UserFactory(username="reviewer", role=Role.REVIEWER)
    proposal = ProposalFactory(pcc=essex, title="Essex fire governance")

    sign_in("staff-essex", TEST_PASSWORD)
    page.get_by_role("link", name="Collaboration", exact=True).click()
    page.get_by_role("button", name="Record a collaboration agreement").click()
    page.get_by_label("Title").fill("Shared headquarters at Kelvedon Park")
    page.get_by_label("Subject").select_option(label="Estates and shared buildings")
    page.get_by_label("In force").check()
    page.get_by_label("Essex Police and its PCC").uncheck()
    page.locator("#id_starts_on_0").fill("1")
    page.locator("#id_starts_on_1").fill("4")
    page.locator("#id_starts_on_2").fill("2019")
    page.locator("#id_review_on_0").fill("1")
    page.locator("#id_review_on_1").fill("4")
    page.locator("#id_review_on_2").fill("2027")
    page.get_by_role("button", name="Save agreement").click()

    # One party alone is not a collaboration: said in the summary and by the field, typed
    # answers kept.
    expect(page.locator(".govuk-error-summary")).to_contain_text(TWO_PARTIES)
    expect(page.get_by_label("Title")).to_have_value("Shared headquarters at Kelvedon Park")
    page.get_by_label("Essex Police and its PCC").check()
    page.get_by_label("Essex Fire Authority").check()
    page.get_by_role("button", name="Save agreement").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text(
        "Shared headquarters at Kelvedon Park"
    )
    expect(page.locator("body")).to_contain_text("1 April 2027")

    agreement = CollaborationAgreement.objects.get()
    duty = CollaborationDuty.objects.get(provision="PCA 2017 s.1")
    page.goto(f"/proposals/{proposal.pk}/business-case/")
    page.get_by_role("link", name="Collaboration duties addressed").click()
    page.locator(f"#id_duty_{duty.pk}").fill("We share a headquarters.")
    page.locator(f"input[name=agreements_{duty.pk}][value='{agreement.pk}']").check()
    page.get_by_role("button", name="Save and continue").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Local business case")
    assert list(DutyEvidence.objects.get().agreements.all()) == [agreement]
    page.get_by_role("button", name=re.compile("Sign out")).click()

    sign_in("reviewer", TEST_PASSWORD)
    page.get_by_role("link", name="Collaboration", exact=True).click()
    page.get_by_role("link", name="Shared headquarters at Kelvedon Park").click()
    expect(page.locator("body")).to_contain_text("Essex fire governance")
    expect(page.get_by_role("button", name="Change the agreement")).to_have_count(0)
    page.get_by_role("link", name="Duties", exact=True).click()
    page.get_by_role("link", name=re.compile("How the proposal addresses it")).first.click()
    expect(page.locator("body")).to_contain_text("Cites: Shared headquarters at Kelvedon Park")
