"""A business case revision is made only when something changed."""

import pytest
from django.urls import reverse

from proposals.models import AuditEvent, BusinessCaseRevision, CollaborationDuty
from proposals.services import drafting
from proposals.services.drafting import NOTHING_CHANGED, REVISION_SAVED, NothingChanged

pytestmark = pytest.mark.django_db


def save_section(proposal, text, base_revision, by):
    return drafting.business_case_section_save(
        proposal=proposal, section="economy", text=text, base_revision=base_revision, by=by
    )


def test_saving_an_empty_section_of_a_new_case_makes_no_revision(essex_proposal, essex_staff):
    with pytest.raises(NothingChanged):
        save_section(essex_proposal, "   ", 0, essex_staff)

    assert not BusinessCaseRevision.objects.exists()
    assert not AuditEvent.objects.filter(action="business_case.saved").exists()


def test_saving_a_section_unchanged_makes_no_revision(essex_proposal, essex_staff):
    save_section(essex_proposal, "Shared estates save £1m.", 0, essex_staff)

    with pytest.raises(NothingChanged):
        save_section(essex_proposal, "Shared estates save £1m.  \n", 1, essex_staff)

    assert essex_proposal.revisions.count() == 1


def test_saving_the_duties_unchanged_makes_no_revision(essex_proposal, essex_staff):
    duty = CollaborationDuty.objects.first()
    drafting.business_case_duties_save(
        proposal=essex_proposal,
        evidence={duty: "Joint control room."},
        base_revision=0,
        by=essex_staff,
    )

    with pytest.raises(NothingChanged):
        drafting.business_case_duties_save(
            proposal=essex_proposal,
            evidence={duty: " Joint control room. "},
            base_revision=1,
            by=essex_staff,
        )

    assert essex_proposal.revisions.count() == 1


def test_a_changed_section_still_keeps_the_duties_of_the_revision_before(
    essex_proposal, essex_staff
):
    duty = CollaborationDuty.objects.first()
    drafting.business_case_duties_save(
        proposal=essex_proposal,
        evidence={duty: "Joint control room."},
        base_revision=0,
        by=essex_staff,
    )

    revision = save_section(essex_proposal, "Shared estates.", 1, essex_staff)

    assert [item.evidence for item in revision.duty_evidence.all()] == ["Joint control room."]


def test_the_section_page_says_nothing_changed_and_goes_back_to_the_task_list(
    client_for, essex_proposal, essex_staff
):
    save_section(essex_proposal, "Shared estates.", 0, essex_staff)
    url = reverse("proposals:section", args=[essex_proposal.pk, "economy"])

    response = client_for(essex_staff).post(
        url, {"text": "Shared estates.", "base_revision": 1}, follow=True
    )

    business_case = reverse("proposals:business-case", args=[essex_proposal.pk])
    assert response.redirect_chain == [(business_case, 302)]
    assert NOTHING_CHANGED in response.content.decode()
    assert essex_proposal.revisions.count() == 1


def test_a_changed_section_says_which_revision_it_saved(client_for, essex_proposal, essex_staff):
    save_section(essex_proposal, "Shared estates.", 0, essex_staff)
    url = reverse("proposals:section", args=[essex_proposal.pk, "economy"])

    response = client_for(essex_staff).post(
        url, {"text": "Shared estates and control rooms.", "base_revision": 1}, follow=True
    )

    assert REVISION_SAVED.format(number=2) in response.content.decode()
    assert essex_proposal.revisions.count() == 2
