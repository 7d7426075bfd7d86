"""Documents on a stage: what is accepted, where it is kept, and who may upload and download."""

import hashlib
import html
import io
import re
import zipfile
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.template.loader import render_to_string
from django.test import RequestFactory
from django.urls import reverse

from proposals import workflow
from proposals.documents import ACCEPTED_TYPES_BY_KIND
from proposals.models import AuditEvent, Document, DocumentKind, ProposalStatus, StageStatus, Step
from proposals.services.documents import (
    EMPTY_FILE,
    FILE_TOO_BIG,
    NOT_WHAT_ITS_NAME_SAYS,
    WRONG_TYPE,
    document_upload,
)

from .factories import ProposalFactory

pytestmark = pytest.mark.django_db

LOGIN = "/accounts/login/"


# --- Real files, made the way the applications that write them would ------------------------


def zip_of(members: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as package:
        for name, content in members.items():
            # OpenDocument requires `mimetype` first and uncompressed.
            compression = zipfile.ZIP_STORED if name == "mimetype" else zipfile.ZIP_DEFLATED
            package.writestr(name, content, compress_type=compression)
    return buffer.getvalue()


CONTENT_TYPES_XML = b'<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/"/>'

PDF = b"%PDF-1.4\n1 0 obj <</Type /Catalog>> endobj\ntrailer <</Root 1 0 R>>\n%%EOF\n"
DOCX = zip_of({"[Content_Types].xml": CONTENT_TYPES_XML, "word/document.xml": b"<w:document/>"})
XLSX = zip_of({"[Content_Types].xml": CONTENT_TYPES_XML, "xl/workbook.xml": b"<workbook/>"})
ODT = zip_of({"mimetype": b"application/vnd.oasis.opendocument.text", "content.xml": b"<office/>"})
ODS = zip_of(
    {"mimetype": b"application/vnd.oasis.opendocument.spreadsheet", "content.xml": b"<office/>"}
)
CSV = b"Council,Position\r\nEssex County Council,Supports\r\nThurrock Council,Objects\r\n"
CSV_FROM_EXCEL = b"\xef\xbb\xbf" + CSV  # Excel's "CSV UTF-8" starts with a byte-order mark
PNG = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00"
PLAIN_ZIP = zip_of({"minutes.txt": b"Minutes of the panel meeting"})
XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
OLD_WORD_DOC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 504


@pytest.fixture(autouse=True)
def _media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


def upload_url(proposal, step=Step.BUSINESS_CASE) -> str:
    return reverse("proposals:document-upload", kwargs={"pk": proposal.pk, "step": step.slug})


def stage_page(proposal, step=Step.BUSINESS_CASE) -> str:
    return reverse("proposals:stage", kwargs={"pk": proposal.pk, "step": step.slug})


def download_url(document) -> str:
    return reverse(
        "proposals:document-download",
        kwargs={"pk": document.proposal_id, "document_pk": document.pk},
    )


def upload(client, proposal, name, content, *, kind=DocumentKind.BUSINESS_CASE, **extra):
    return client.post(
        upload_url(proposal, **extra),
        {"kind": kind, "file": SimpleUploadedFile(name, content)},
    )


def file_field_error(page: str) -> str:
    """The error message shown in the file field's own form group."""
    group = re.search(r'<div id="div_id_file".*?<input type="file"', page, re.DOTALL).group()
    message = re.search(r'govuk-error-message">.*?Error:</span>(.*?)</span>', group, re.DOTALL)
    return message.group(1).strip() if message else ""


def kind_checked(page: str) -> str | None:
    checked = re.search(r'<input[^>]*name="kind"[^>]*value="(\w+)"[^>]*checked', page)
    return checked.group(1) if checked else None


@pytest.fixture
def stored_document(essex_proposal, essex_staff):
    stage = essex_proposal.stages.get(step=Step.BUSINESS_CASE)
    return document_upload(
        stage=stage,
        kind=DocumentKind.BUSINESS_CASE,
        uploaded_file=SimpleUploadedFile("Essex business case.pdf", PDF),
        by=essex_staff,
    )


# --- What is accepted -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "content", "content_type", "kind"),
    [
        ("Business case.pdf", PDF, "application/pdf", DocumentKind.BUSINESS_CASE),
        (
            "Business case.docx",
            DOCX,
            "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
            DocumentKind.BUSINESS_CASE,
        ),
        (
            "Business case.odt",
            ODT,
            "application/vnd.oasis.opendocument.text",
            DocumentKind.BUSINESS_CASE,
        ),
        ("Costs.xlsx", XLSX, XLSX_CONTENT_TYPE, DocumentKind.OTHER),
        ("Costs.ods", ODS, "application/vnd.oasis.opendocument.spreadsheet", DocumentKind.OTHER),
        ("Council positions.csv", CSV, "text/csv", DocumentKind.OTHER),
        ("Council positions from Excel.csv", CSV_FROM_EXCEL, "text/csv", DocumentKind.OTHER),
        ("SHOUTING.PDF", PDF, "application/pdf", DocumentKind.BUSINESS_CASE),
    ],
)
def test_each_accepted_kind_of_file_is_stored_with_its_type_checksum_and_size(
    client_for, essex_staff, essex_proposal, name, content, content_type, kind
):
    response = upload(client_for(essex_staff), essex_proposal, name, content, kind=kind)

    assert response.status_code == 302
    document = Document.objects.get()
    assert document.original_name == name
    assert document.content_type == content_type
    assert document.sha256 == hashlib.sha256(content).hexdigest()
    assert document.size_bytes == len(content)
    assert document.uploaded_by == essex_staff
    assert document.stage == essex_proposal.stages.get(step=Step.BUSINESS_CASE)
    with document.file.open("rb") as stored:
        assert stored.read() == content


WRITTEN_ONLY = WRONG_TYPE.format(types="PDF, DOCX or ODT")
ANY_ACCEPTED = WRONG_TYPE.format(types="PDF, DOCX, ODT, XLSX, ODS or CSV")


@pytest.mark.parametrize(
    ("name", "content", "kind", "message"),
    [
        ("notes.pdf", b"Notes from the board meeting\n", DocumentKind.BUSINESS_CASE, "PDF"),
        ("Site photo.pdf", PNG, DocumentKind.CONSULTATION_REPORT, "PDF"),
        ("Evidence bundle.pdf", PLAIN_ZIP, DocumentKind.CONSULTATION_REPORT, "PDF"),
        ("Old minutes.pdf", OLD_WORD_DOC, DocumentKind.CONSULTATION_REPORT, "PDF"),
        ("Business case.pdf", DOCX, DocumentKind.BUSINESS_CASE, "PDF"),
        ("Business case.docx", PDF, DocumentKind.BUSINESS_CASE, "DOCX"),
        ("Costs.xlsx", CSV, DocumentKind.OTHER, "XLSX"),
        ("Spreadsheet export.csv", b"Council,Position\x00\x01\x02\r\n", DocumentKind.OTHER, "CSV"),
        ("Export.csv", "Council,Position\r\n".encode("utf-16"), DocumentKind.OTHER, "CSV"),
        ("Old minutes.doc", OLD_WORD_DOC, DocumentKind.CONSULTATION_REPORT, WRITTEN_ONLY),
        ("notes.txt", b"Notes from the board meeting\n", DocumentKind.OTHER, ANY_ACCEPTED),
        ("Business case", PDF, DocumentKind.BUSINESS_CASE, WRITTEN_ONLY),
        ("Council positions.csv", CSV, DocumentKind.CONSULTATION_REPORT, WRITTEN_ONLY),
        ("Costs.xlsx", XLSX, DocumentKind.BUSINESS_CASE, WRITTEN_ONLY),
    ],
    ids=[
        "plain text named .pdf",
        "an image named .pdf",
        "a zip named .pdf",
        "an old Word document named .pdf",
        "a Word document named .pdf",
        "a PDF named .docx",
        "CSV named .xlsx",
        "binary data named .csv",
        "text that is not UTF-8 named .csv",
        "an old Word document",
        "a text file",
        "a name with no type",
        "a CSV as the consultation report",
        "a spreadsheet as the business case",
    ],
)
def test_a_file_that_is_not_what_its_name_or_slot_says_is_refused_next_to_the_field(
    client_for, essex_staff, essex_proposal, name, content, kind, message
):
    if message in ("PDF", "DOCX", "XLSX", "CSV"):
        message = NOT_WHAT_ITS_NAME_SAYS.format(type=message)

    response = upload(client_for(essex_staff), essex_proposal, name, content, kind=kind)

    page = response.content.decode()
    assert response.status_code == 200
    assert file_field_error(page) == html.escape(message)
    assert 'class="govuk-error-summary"' in page
    assert f'<a href="#id_file">{html.escape(message)}</a>' in page
    assert "<title>Error: " in page
    assert kind_checked(page) == kind
    assert not Document.objects.exists()


def test_plain_text_named_pdf_does_not_complete_the_business_case_document(
    client_for, essex_staff, essex_proposal
):
    client = client_for(essex_staff)
    upload(client, essex_proposal, "notes.pdf", b"Notes from the board meeting\n")

    task_list = client.get(reverse("proposals:business-case", args=[essex_proposal.pk]))

    document_task = re.search(
        r'id="task-document-status">(.*?)</div>', task_list.content.decode(), re.DOTALL
    ).group(1)
    assert "Incomplete" in document_task


def test_the_upload_page_says_which_types_each_kind_accepts(
    client_for, essex_staff, essex_proposal
):
    page = client_for(essex_staff).get(upload_url(essex_proposal)).content.decode()

    assert (
        "statutory instrument, fire authority consultation response, fire authority agreement "
        "and staff transfer scheme: PDF, DOCX or ODT"
    ) in page
    assert "Other: PDF, DOCX, ODT, XLSX, ODS or CSV" in page


def test_an_empty_file_is_refused(client_for, essex_staff, essex_proposal):
    response = upload(client_for(essex_staff), essex_proposal, "Business case.pdf", b"")

    assert file_field_error(response.content.decode()) == EMPTY_FILE
    assert not Document.objects.exists()


def test_a_file_over_the_configured_limit_is_refused_with_the_limit(
    client_for, essex_staff, essex_proposal, settings
):
    settings.DOCUMENT_MAX_BYTES = 1024 * 1024
    too_big = PDF + b"0" * (1024 * 1024)

    response = upload(client_for(essex_staff), essex_proposal, "Business case.pdf", too_big)

    page = response.content.decode()
    assert file_field_error(page) == FILE_TOO_BIG.format(limit=1)
    assert "smaller than 1 MB" in page  # the hint tells people before they try
    assert not Document.objects.exists()


def test_a_file_exactly_at_the_limit_is_accepted(client_for, essex_staff, essex_proposal, settings):
    settings.DOCUMENT_MAX_BYTES = len(PDF)

    response = upload(client_for(essex_staff), essex_proposal, "Business case.pdf", PDF)

    assert response.status_code == 302
    assert Document.objects.count() == 1


def test_a_large_spreadsheet_kept_on_disk_while_uploading_is_still_recognised(
    client_for, essex_staff, essex_proposal, settings
):
    # Django writes uploads bigger than this to a temporary file rather than keep them in memory.
    settings.FILE_UPLOAD_MAX_MEMORY_SIZE = 256
    workbook = zip_of(
        {
            "[Content_Types].xml": CONTENT_TYPES_XML,
            "xl/workbook.xml": b"<workbook/>",
            "xl/worksheets/sheet1.xml": b"<row/>" * 100_000,
        }
    )
    assert len(workbook) > settings.FILE_UPLOAD_MAX_MEMORY_SIZE

    upload(client_for(essex_staff), essex_proposal, "Costs.xlsx", workbook, kind=DocumentKind.OTHER)

    document = Document.objects.get()
    assert document.content_type == XLSX_CONTENT_TYPE
    assert document.sha256 == hashlib.sha256(workbook).hexdigest()


def test_no_kind_and_no_file_are_both_asked_for(client_for, essex_staff, essex_proposal):
    response = client_for(essex_staff).post(upload_url(essex_proposal), {})

    page = response.content.decode()
    assert '<a href="#id_kind_1">Select what kind of document this is</a>' in page
    assert '<a href="#id_file">Select a file</a>' in page


# --- Where it is kept -------------------------------------------------------------------------


def test_the_stored_file_is_under_media_root_and_not_named_by_the_uploader(
    client_for, essex_staff, essex_proposal, tmp_path
):
    upload(client_for(essex_staff), essex_proposal, "Chief constable's notes.pdf", PDF)

    document = Document.objects.get()
    assert Path(document.file.path).is_relative_to(tmp_path)
    assert Path(document.file.path).is_file()
    assert "notes" not in document.file.name
    assert document.sha256 in document.file.name


def test_an_upload_records_an_audit_event_with_the_checksum(
    client_for, essex_staff, essex_proposal
):
    upload(client_for(essex_staff), essex_proposal, "Business case.pdf", PDF)

    document = Document.objects.get()
    event = AuditEvent.objects.get(action="document.uploaded")
    assert event.actor == essex_staff
    assert event.proposal == essex_proposal
    assert event.object_id == str(document.pk)
    assert event.after == {
        "name": "Business case.pdf",
        "kind": DocumentKind.BUSINESS_CASE,
        "size": len(PDF),
        "sha256": hashlib.sha256(PDF).hexdigest(),
        "stage": "Business case",
    }


def test_after_uploading_people_go_back_where_they_came_from_with_a_success_banner(
    client_for, essex_staff, essex_proposal
):
    client = client_for(essex_staff)
    response = client.post(
        upload_url(essex_proposal),
        {
            "kind": DocumentKind.BUSINESS_CASE,
            "file": SimpleUploadedFile("Business case.pdf", PDF),
            "next": "/pccs/essex/",
        },
        follow=True,
    )

    assert response.redirect_chain == [("/pccs/essex/", 302)]
    assert "Business case.pdf has been uploaded" in response.content.decode()


def test_an_upload_never_sends_people_to_another_site(client_for, essex_staff, essex_proposal):
    response = client_for(essex_staff).post(
        upload_url(essex_proposal),
        {
            "kind": DocumentKind.BUSINESS_CASE,
            "file": SimpleUploadedFile("Business case.pdf", PDF),
            "next": "https://phishing.example/",
        },
    )

    assert response["Location"] == stage_page(essex_proposal)


def test_the_upload_page_goes_back_to_where_people_came_from_or_the_stage(
    client_for, essex_staff, essex_proposal
):
    client = client_for(essex_staff)
    came_from = client.get(upload_url(essex_proposal), {"next": "/overview/"}).content.decode()
    direct = client.get(upload_url(essex_proposal)).content.decode()

    assert '<a href="/overview/" class="govuk-back-link">Back</a>' in came_from
    assert '<input type="hidden" name="next" value="/overview/">' in came_from
    assert f'<a href="{stage_page(essex_proposal)}" class="govuk-back-link">Back</a>' in direct


# --- Who may upload ---------------------------------------------------------------------------


@pytest.mark.parametrize("role", ["essex_staff", "essex_signatory"])
def test_pcc_people_may_upload_to_their_business_case_in_progress(
    request, client_for, essex_proposal, role
):
    client = client_for(request.getfixturevalue(role))

    assert client.get(upload_url(essex_proposal)).status_code == 200
    assert upload(client, essex_proposal, "Business case.pdf", PDF).status_code == 302


def test_a_reviewer_cannot_upload_to_the_pccs_business_case(client_for, reviewer, essex_proposal):
    client = client_for(reviewer)

    assert client.get(upload_url(essex_proposal)).status_code == 403
    assert upload(client, essex_proposal, "Business case.pdf", PDF).status_code == 403
    assert not Document.objects.exists()


def test_pcc_staff_cannot_upload_to_a_stage_that_is_not_in_progress(
    client_for, essex_staff, essex_proposal
):
    client = client_for(essex_staff)
    consultation = upload_url(essex_proposal, step=Step.CONSULTATION)

    response = client.get(consultation, follow=True)
    assert response.redirect_chain == [(stage_page(essex_proposal, Step.CONSULTATION), 302)]
    assert workflow.STAGE_LOCKED[StageStatus.NOT_STARTED] in response.content.decode()
    response = upload(
        client,
        essex_proposal,
        "Consultation report.pdf",
        PDF,
        kind=DocumentKind.CONSULTATION_REPORT,
        step=Step.CONSULTATION,
    )
    assert response.status_code == 302
    assert not Document.objects.exists()


def test_nobody_can_upload_to_a_withdrawn_proposal(client_for, essex_staff, essex_proposal):
    type(essex_proposal).objects.filter(pk=essex_proposal.pk).update(
        status=ProposalStatus.WITHDRAWN
    )

    response = client_for(essex_staff).get(upload_url(essex_proposal))
    assert response.status_code == 302
    assert response["Location"] == stage_page(essex_proposal)


def test_a_reviewer_may_upload_the_decision_letter_while_the_decision_is_in_progress(
    client_for, reviewer, essex_staff, essex_proposal
):
    essex_proposal.stages.filter(step=Step.DECISION).update(status=StageStatus.IN_PROGRESS)
    client = client_for(reviewer)

    response = upload(
        client,
        essex_proposal,
        "Decision letter.pdf",
        PDF,
        kind=DocumentKind.DECISION_LETTER,
        step=Step.DECISION,
    )

    assert response.status_code == 302
    assert Document.objects.get().stage.step == Step.DECISION
    # ...and the PCC, who do not record the Home Office's steps, may not.
    assert client_for(essex_staff).get(upload_url(essex_proposal, Step.DECISION)).status_code == 403


def test_another_pccs_upload_page_is_not_found(client_for, sussex_staff, essex_proposal):
    assert client_for(sussex_staff).get(upload_url(essex_proposal)).status_code == 404


def test_an_unknown_stage_is_not_found(client_for, essex_staff, essex_proposal):
    url = reverse("proposals:document-upload", kwargs={"pk": essex_proposal.pk, "step": "nope"})

    assert client_for(essex_staff).get(url).status_code == 404


def test_signed_out_people_are_sent_to_sign_in_before_uploading(client_for, essex_proposal):
    response = client_for(None).get(upload_url(essex_proposal))

    assert response.status_code == 302
    assert response["Location"].startswith(f"{LOGIN}?next=")


# --- Who may download -------------------------------------------------------------------------


@pytest.mark.parametrize("role", ["essex_staff", "essex_signatory", "reviewer", "funding_admin"])
def test_people_who_may_see_the_proposal_download_its_documents_as_attachments(
    request, client_for, stored_document, role
):
    response = client_for(request.getfixturevalue(role)).get(download_url(stored_document))

    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment;")
    assert 'filename="Essex business case.pdf"' in response["Content-Disposition"]
    assert response["Content-Type"] == "application/pdf"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert b"".join(response.streaming_content) == PDF
    response.close()


def test_another_pccs_document_is_not_found(client_for, sussex_staff, stored_document):
    assert client_for(sussex_staff).get(download_url(stored_document)).status_code == 404


def test_a_document_is_found_only_under_its_own_proposal(
    client_for, essex_staff, essex, stored_document
):
    other_proposal = ProposalFactory(pcc=essex)
    url = reverse(
        "proposals:document-download",
        kwargs={"pk": other_proposal.pk, "document_pk": stored_document.pk},
    )

    assert client_for(essex_staff).get(url).status_code == 404


def test_signed_out_people_are_sent_to_sign_in_before_downloading(client_for, stored_document):
    response = client_for(None).get(download_url(stored_document))

    assert response.status_code == 302
    assert response["Location"].startswith(f"{LOGIN}?next=")


# --- The list of a stage's documents ----------------------------------------------------------


def render_documents(stage, *, can_upload):
    request = RequestFactory().get("/stage-page/")
    return render_to_string(
        "proposals/_documents.html",
        {
            "documents": stage.documents.all(),
            "stage": stage,
            "proposal": stage.proposal,
            "can_upload": can_upload,
        },
        request=request,
    )


def test_the_documents_list_links_each_document_for_download(stored_document):
    listing = render_documents(stored_document.stage, can_upload=False)

    assert f'href="{download_url(stored_document)}">Essex business case.pdf</a>' in listing
    assert "Business case" in listing
    assert "Upload a document" not in listing


def test_the_documents_list_says_when_there_are_none_yet(essex_proposal):
    stage = essex_proposal.stages.get(step=Step.CONSULTATION)

    assert "No documents yet." in render_documents(stage, can_upload=False)


@pytest.mark.parametrize("step", list(Step))
def test_the_documents_list_offers_upload_to_its_own_stage_when_allowed(essex, step):
    model = next(model for model, route in workflow.ROUTES.items() if step in route)
    proposal = ProposalFactory(pcc=essex, governance_model=model)
    stage = proposal.stages.get(step=step)

    listing = render_documents(stage, can_upload=True)

    assert f'href="{upload_url(proposal, step)}?next=/stage-page/"' in listing


def test_every_document_kind_says_which_types_it_accepts():
    """A new kind without an entry would answer 500 on its first upload."""
    for kind in DocumentKind.values:
        assert ACCEPTED_TYPES_BY_KIND[kind], kind
