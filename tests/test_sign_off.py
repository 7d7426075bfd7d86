"""The PCC signatory signs off the submission knowing what is signed, and only by declaring it."""

import html

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from proposals.models import AuditEvent, DocumentKind, StageStatus, Step
from proposals.services.workflow import SIGN_OFF_NOT_CONFIRMED, submission_sign_off

from .factories import attach_document, complete_business_case, stage_of

pytestmark = pytest.mark.django_db


@pytest.fixture
def submission(essex_proposal, essex_staff):
    complete_business_case(essex_proposal, essex_staff)
    attach_document(
        stage_of(essex_proposal, Step.CONSULTATION),
        DocumentKind.CONSULTATION_REPORT,
        essex_staff,
        name="Consultation report.pdf",
    )
    essex_proposal.stages.filter(step=Step.SUBMISSION).update(status=StageStatus.IN_PROGRESS)
    return stage_of(essex_proposal, Step.SUBMISSION)


def sign_off_url(stage):
    return reverse("proposals:sign-off", args=[stage.proposal_id, stage.step_slug])


def test_the_stage_page_leads_to_the_declaration_rather_than_signing_in_one_click(
    client_for, essex_signatory, submission
):
    page = client_for(essex_signatory).get(
        reverse("proposals:stage", args=[submission.proposal_id, "submission"])
    )

    content = page.content.decode()
    assert f'<a class="govuk-button" href="{sign_off_url(submission)}">' in content
    assert f'action="{sign_off_url(submission)}"' not in content


def test_the_declaration_shows_the_proposal_stage_revision_and_documents(
    client_for, essex_signatory, submission
):
    content = client_for(essex_signatory).get(sign_off_url(submission)).content.decode()

    assert html.escape(submission.proposal.title) in content
    assert "3. Submission" in content
    assert f"Revision {submission.proposal.revisions.count()}" in content
    assert "document.pdf" in content  # the business case document
    assert "Consultation report.pdf" in content
    assert 'name="confirmed"' in content
    assert "I confirm that" in content


def test_without_the_confirmation_nothing_is_signed_and_the_field_says_why(
    client_for, essex_signatory, submission
):
    response = client_for(essex_signatory).post(sign_off_url(submission), {})

    content = response.content.decode()
    assert response.status_code == 200
    assert f'<a href="#id_confirmed">{SIGN_OFF_NOT_CONFIRMED}</a>' in content
    assert stage_of(submission.proposal, Step.SUBMISSION).signed_off_at is None
    assert not AuditEvent.objects.filter(action="stage.sign_off").exists()


def test_confirmed_sign_off_is_recorded_with_what_was_signed(
    client_for, essex_signatory, submission
):
    response = client_for(essex_signatory).post(
        sign_off_url(submission), {"confirmed": "on"}, follow=True
    )

    assert "You have signed off the submission" in response.content.decode()
    stage = stage_of(submission.proposal, Step.SUBMISSION)
    assert stage.signed_off_by == essex_signatory
    event = AuditEvent.objects.get(action="stage.sign_off")
    assert event.after["revision"] == submission.proposal.revisions.count()
    assert event.after["documents"] == ["document.pdf", "Consultation report.pdf"]
    assert len(event.after["sha256"]) == 2


def test_the_service_refuses_a_sign_off_that_was_not_confirmed(essex_signatory, submission):
    with pytest.raises(ValidationError) as refusal:
        submission_sign_off(stage=submission, confirmed=False, by=essex_signatory)

    assert refusal.value.message_dict == {"confirmed": [SIGN_OFF_NOT_CONFIRMED]}
    assert stage_of(submission.proposal, Step.SUBMISSION).signed_off_at is None
