"""A wrong document can be removed or replaced before the stage goes to the Home Office."""

from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from proposals import workflow
from proposals.models import AuditEvent, Document, DocumentKind, StageStatus, Step
from proposals.services.documents import (
    NOT_WHAT_ITS_NAME_SAYS,
    document_remove,
    document_replace,
    document_upload,
)
from proposals.services.workflow import stage_transition

from .factories import complete_business_case, stage_of

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n1 0 obj <</Type /Catalog>> endobj\ntrailer <</Root 1 0 R>>\n%%EOF\n"
NEW_PDF = PDF + b"% the corrected version\n"


@pytest.fixture(autouse=True)
def _media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


@pytest.fixture
def wrong_document(essex_proposal, essex_staff):
    return document_upload(
        stage=stage_of(essex_proposal, Step.BUSINESS_CASE),
        kind=DocumentKind.BUSINESS_CASE,
        uploaded_file=SimpleUploadedFile("Last year's case.pdf", PDF),
        by=essex_staff,
    )


def url(name, document):
    return reverse(f"proposals:{name}", args=[document.proposal_id, document.pk])


def stage_page(proposal, step=Step.BUSINESS_CASE):
    return reverse("proposals:stage", args=[proposal.pk, step.slug])


def test_the_stage_page_offers_replace_and_remove_to_pcc_staff_only(
    client_for, essex_staff, reviewer, wrong_document
):
    staff_page = client_for(essex_staff).get(stage_page(wrong_document.proposal)).content.decode()
    reviewer_page = client_for(reviewer).get(stage_page(wrong_document.proposal)).content.decode()

    for name in ("document-remove", "document-replace"):
        assert url(name, wrong_document) in staff_page
        assert url(name, wrong_document) not in reviewer_page


def test_staff_confirm_then_remove_a_wrong_document(
    client_for, essex_staff, wrong_document, django_capture_on_commit_callbacks
):
    client = client_for(essex_staff)
    stored = Path(wrong_document.file.path)

    confirmation = client.get(url("document-remove", wrong_document)).content.decode()
    assert "Are you sure you want to remove Last year&#x27;s case.pdf?" in confirmation
    assert Document.objects.filter(pk=wrong_document.pk).exists()  # nothing happens on a GET

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url("document-remove", wrong_document), follow=True)

    assert response.redirect_chain == [(stage_page(wrong_document.proposal), 302)]
    assert "Last year&#x27;s case.pdf has been removed" in response.content.decode()
    assert not Document.objects.exists()
    assert not stored.exists()
    event = AuditEvent.objects.get(action="document.removed")
    assert (event.actor, event.before["name"]) == (essex_staff, "Last year's case.pdf")


def test_staff_replace_a_wrong_document_keeping_its_kind_and_their_file_name(
    client_for, essex_staff, wrong_document
):
    response = client_for(essex_staff).post(
        url("document-replace", wrong_document),
        {"file": SimpleUploadedFile("Business case 2017.pdf", NEW_PDF)},
        follow=True,
    )

    assert "has been replaced by Business case 2017.pdf" in response.content.decode()
    replacement = Document.objects.get()
    assert (replacement.original_name, replacement.kind) == (
        "Business case 2017.pdf",
        DocumentKind.BUSINESS_CASE,
    )
    with replacement.file.open("rb") as stored:
        assert stored.read() == NEW_PDF
    event = AuditEvent.objects.get(action="document.replaced")
    assert (event.before["name"], event.after["name"]) == (
        "Last year's case.pdf",
        "Business case 2017.pdf",
    )


def test_a_replacement_is_checked_like_an_upload_and_the_old_document_kept(
    client_for, essex_staff, wrong_document
):
    response = client_for(essex_staff).post(
        url("document-replace", wrong_document),
        {"file": SimpleUploadedFile("notes.pdf", b"Just some notes\n")},
    )

    message = NOT_WHAT_ITS_NAME_SAYS.format(type="PDF")
    assert f'<a href="#id_file">{message}</a>' in response.content.decode()
    assert list(Document.objects.all()) == [wrong_document]


def test_a_returned_stages_documents_can_be_changed_before_it_is_revised(
    essex_proposal, essex_staff, reviewer
):
    complete_business_case(essex_proposal, essex_staff)
    stage = stage_of(essex_proposal, Step.BUSINESS_CASE)
    stage_transition(stage=stage, action="submit", by=essex_staff)
    stage_transition(stage=stage, action="return_to_pcc", by=reviewer, reason="Wrong document")
    document = stage.documents.get()

    replacement = document_replace(
        document=document, uploaded_file=SimpleUploadedFile("Right.pdf", NEW_PDF), by=essex_staff
    )

    assert list(stage.documents.all()) == [replacement]


def test_a_submitted_stages_documents_cannot_be_changed(
    client_for, essex_proposal, essex_staff, wrong_document
):
    complete_business_case(essex_proposal, essex_staff)
    stage_transition(
        stage=stage_of(essex_proposal, Step.BUSINESS_CASE), action="submit", by=essex_staff
    )

    with pytest.raises(workflow.TransitionRefused) as refusal:
        document_remove(document=wrong_document, by=essex_staff)
    response = client_for(essex_staff).get(url("document-remove", wrong_document), follow=True)

    locked = workflow.STAGE_LOCKED[StageStatus.SUBMITTED]
    assert refusal.value.reasons == [locked]
    assert response.redirect_chain == [(stage_page(essex_proposal), 302)]
    assert locked in response.content.decode()
    assert Document.objects.filter(pk=wrong_document.pk).exists()


@pytest.mark.parametrize(("role", "status"), [("reviewer", 403), ("sussex_staff", 404)])
def test_others_cannot_remove_or_replace_a_pccs_document(
    request, client_for, wrong_document, role, status
):
    client = client_for(request.getfixturevalue(role))

    assert client.post(url("document-remove", wrong_document)).status_code == status
    response = client.post(
        url("document-replace", wrong_document), {"file": SimpleUploadedFile("x.pdf", NEW_PDF)}
    )
    assert response.status_code == status
    assert list(Document.objects.all()) == [wrong_document]


def test_changing_a_signed_off_submissions_documents_needs_a_fresh_sign_off(
    essex_proposal, essex_staff, essex_signatory
):
    submission = stage_of(essex_proposal, Step.SUBMISSION)
    essex_proposal.stages.filter(step=Step.SUBMISSION).update(
        status=StageStatus.IN_PROGRESS, signed_off_by=essex_signatory, signed_off_at=timezone.now()
    )
    document = Document.objects.create(
        proposal=essex_proposal,
        stage=submission,
        kind=DocumentKind.OTHER,
        original_name="Letter.pdf",
        content_type="application/pdf",
        size_bytes=1,
        sha256="0" * 64,
        uploaded_by=essex_staff,
    )

    document_remove(document=document, by=essex_staff)

    assert stage_of(essex_proposal, Step.SUBMISSION).signed_off_at is None
    assert AuditEvent.objects.filter(action="stage.sign_off_cleared").exists()
