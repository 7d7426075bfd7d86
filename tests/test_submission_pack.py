"""The submission pack: one PDF for the Home Secretary, made from the record, read back here
with a PDF library; current until submission, then frozen; only the PCC and the Home Office
may download it."""

import hashlib
import io
import re
from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from pypdf import PdfReader

from portal.models import Role
from proposals import workflow
from proposals.models import (
    AuditEvent,
    Document,
    DocumentKind,
    Representation,
    StageStatus,
    Step,
)
from proposals.services import pack
from proposals.services.documents import document_upload
from proposals.services.workflow import stage_transition, submission_sign_off

from .factories import (
    ProposalFactory,
    UserFactory,
    complete_business_case,
    complete_consultation,
    stage_of,
)
from .test_html_validity import nu_html_checker_errors

pytestmark = pytest.mark.django_db

SHA256 = re.compile(r"\b[0-9a-f]{64}\b")
REASONS = "Shropshire Council objects: the fire authority's reserves would be put at risk."
RESPONSE = "The PCC will ring-fence the reserves for the fire service, as set out in annex B."


def a_pdf(name: str) -> SimpleUploadedFile:
    """A small PDF upload whose bytes (and so checksum) are its own."""
    return SimpleUploadedFile(name, f"%PDF-1.4\n% {name}\n%%EOF\n".encode(), "application/pdf")


@pytest.fixture
def consultee(essex):
    council = essex.local_authorities.order_by("name").first()
    return UserFactory(role=Role.CONSULTEE, local_authority=council)


@pytest.fixture
def submission(essex, essex_staff, essex_signatory, consultee):
    return submission_signed_off(essex, essex_staff, essex_signatory, consultee)


def submission_signed_off(essex, essex_staff, essex_signatory, consultee):
    """An Essex proposal at its submission: business case and consultation done and approved,
    a document of the submission, a council's representation answered by the PCC, signed off."""
    proposal = ProposalFactory(pcc=essex, title="Essex governance", created_by=essex_staff)
    complete_business_case(proposal, essex_staff)
    proposal.stages.filter(step=Step.BUSINESS_CASE).update(status=StageStatus.APPROVED)
    proposal.stages.filter(step=Step.CONSULTATION).update(status=StageStatus.IN_PROGRESS)
    complete_consultation(proposal, essex_staff)
    proposal.stages.filter(step=Step.CONSULTATION).update(status=StageStatus.APPROVED)
    proposal.stages.filter(step=Step.SUBMISSION).update(status=StageStatus.IN_PROGRESS)
    stage = stage_of(proposal, Step.SUBMISSION)
    document_upload(
        stage=stage,
        kind=DocumentKind.OTHER,
        uploaded_file=a_pdf("Covering letter.pdf"),
        by=essex_staff,
    )
    lodged = timezone.now() - timedelta(days=20)
    representation = Representation.objects.create(
        proposal=proposal,
        local_authority=consultee.local_authority,
        position=Representation.Position.OBJECTS,
        reasons=REASONS,
        lodged_by=consultee,
        lodged_at=lodged,
        response=RESPONSE,
        responded_by=essex_staff,
        responded_at=lodged + timedelta(days=3),
    )
    evidence = a_pdf("Council resolution.pdf")
    attached = Document(
        proposal=proposal,
        representation=representation,
        kind=DocumentKind.REPRESENTATION,
        original_name=evidence.name,
        content_type="application/pdf",
        size_bytes=evidence.size,
        sha256=hashlib.sha256(evidence.read()).hexdigest(),
        uploaded_by=consultee,
    )
    attached.file.save(attached.sha256, evidence)
    return submission_sign_off(stage=stage, confirmed=True, by=essex_signatory)


def the_pack(stage) -> Document:
    return Document.objects.get(stage=stage, kind=DocumentKind.SUBMISSION_PACK)


def pdf_pages(document: Document) -> list[str]:
    with document.file.open("rb") as stored:
        reader = PdfReader(io.BytesIO(stored.read()))
    return [page.extract_text() for page in reader.pages]


def stored_sha256(document: Document) -> str:
    with document.file.open("rb") as stored:
        return hashlib.sha256(stored.read()).hexdigest()


def page_of(pages: list[str], heading: str) -> int:
    """The number of the first page after the index that starts with `heading`."""
    return next(
        number for number, text in enumerate(pages, 1) if number > 2 and text.startswith(heading)
    )


def test_submitting_stores_one_pdf_with_every_part_and_an_index_of_checksums(
    submission, essex_staff, essex_signatory
):
    stage_transition(stage=submission, action="submit", by=essex_staff)

    document = the_pack(submission)
    assert document.content_type == "application/pdf"
    assert document.sha256 == stored_sha256(document)
    pages = pdf_pages(document)
    assert len(pages) >= 7  # cover, index and five parts, each from a new page
    text = "\n".join(pages)
    assert "Essex governance" in pages[0]
    assert "Economy evidence." in text  # the business case as submitted
    assert "Consultation plan evidence." in text
    assert "Most respondents agreed." in text  # the consultation summary
    assert REASONS in text.replace("\n", " ")
    assert RESPONSE in text.replace("\n", " ")
    # A long name may wrap onto the next line of the PDF.
    assert str(essex_signatory) in " ".join(text.split())
    # The index: every stored document it includes or refers to, by its checksum and size.
    included = submission.proposal.documents.exclude(kind=DocumentKind.SUBMISSION_PACK)
    assert included.filter(kind=DocumentKind.REPRESENTATION).count() == 1
    assert "Council resolution.pdf" in text
    assert set(SHA256.findall(pages[1])) == {stored_sha256(each) for each in included}
    for each in included:
        assert f"{each.size_bytes} bytes" in pages[1]
    # ... and each part with the page it starts on.
    for part in ("Business case", "Consultation", "Sign-off", "Documents"):
        listed_at = re.search(rf"{part}\W*(\d+)\n", pages[1])
        assert listed_at, part
        assert int(listed_at.group(1)) == page_of(pages, part)


def test_making_the_pack_keeps_the_sign_off_and_the_stage_can_be_submitted(submission, essex_staff):
    pack.submission_pack_generate(stage=submission, by=essex_staff)

    submission.refresh_from_db()
    assert submission.signed_off_at is not None
    assert not workflow.blockers(submission.submit, essex_staff)


def test_a_change_before_submission_makes_the_pack_out_of_date_and_submitting_remakes_it(
    client_for, submission, essex_staff, essex_signatory
):
    made = pack.submission_pack_generate(stage=submission, by=essex_staff)
    assert pack.submission_pack_generate(stage=submission, by=essex_staff) == made
    page = client_for(essex_staff).get(
        reverse("proposals:stage", args=[made.proposal_id, "submission"])
    )
    assert "Up to date" in page.content.decode()

    added = document_upload(
        stage=submission,
        kind=DocumentKind.OTHER,
        uploaded_file=a_pdf("Annex B reserves.pdf"),
        by=essex_staff,
    )
    page = client_for(essex_staff).get(
        reverse("proposals:stage", args=[made.proposal_id, "submission"])
    )
    assert "Out of date" in page.content.decode()
    submission.refresh_from_db()
    submission_sign_off(stage=submission, confirmed=True, by=essex_signatory)
    stage_transition(stage=submission, action="submit", by=essex_staff)

    remade = the_pack(submission)
    assert remade.pk != made.pk
    assert not Document.objects.filter(pk=made.pk).exists()
    assert added.sha256 in SHA256.findall(pdf_pages(remade)[1])
    assert AuditEvent.objects.filter(
        action="submission_pack.regenerated", object_id=str(remade.pk), actor=essex_staff
    ).exists()


def test_an_answer_to_a_representation_is_a_change_the_pack_notices(submission, essex_staff):
    made = pack.submission_pack_generate(stage=submission, by=essex_staff)
    Representation.objects.filter(proposal=submission.proposal).update(
        response="The PCC has changed its answer."
    )

    assert not pack.is_current(made, submission)
    remade = pack.submission_pack_generate(stage=submission, by=essex_staff)
    assert "The PCC has changed its answer." in "\n".join(pdf_pages(remade))


def test_once_submitted_the_pack_is_frozen(client_for, submission, essex_staff):
    stage_transition(stage=submission, action="submit", by=essex_staff)
    submitted = the_pack(submission)
    Representation.objects.filter(proposal=submission.proposal).update(response="Later words.")

    with pytest.raises(workflow.TransitionRefused) as refusal:
        pack.submission_pack_generate(stage=submission, by=essex_staff)

    assert refusal.value.reasons == [workflow.STAGE_LOCKED[StageStatus.SUBMITTED]]
    assert the_pack(submission).pk == submitted.pk
    page = client_for(essex_staff).get(
        reverse("proposals:stage", args=[submission.proposal_id, "submission"])
    )
    content = page.content.decode()
    assert "Frozen" in content
    assert "Regenerate the submission pack" not in content


def test_the_pack_is_never_removed_or_replaced_by_hand(client_for, submission, essex_staff):
    made = pack.submission_pack_generate(stage=submission, by=essex_staff)
    client = client_for(essex_staff)

    for route in ("document-remove", "document-replace"):
        url = reverse(f"proposals:{route}", args=[made.proposal_id, made.pk])
        response = client.post(url, follow=True)
        assert workflow.PACK_IS_GENERATED in response.content.decode()
    assert Document.objects.filter(pk=made.pk).exists()
    page = client.get(reverse("proposals:stage", args=[made.proposal_id, "submission"]))
    assert reverse("proposals:document-remove", args=[made.proposal_id, made.pk]) not in (
        page.content.decode()
    )


def test_nobody_uploads_a_submission_pack(client_for, submission, essex_staff):
    url = reverse("proposals:document-upload", args=[submission.proposal_id, "submission"])
    client = client_for(essex_staff)
    assert 'value="submission_pack"' not in client.get(url).content.decode()

    response = client.post(
        url, {"kind": DocumentKind.SUBMISSION_PACK, "file": a_pdf("Forged pack.pdf")}
    )

    assert "Select what kind of document this is" in response.content.decode()
    assert not Document.objects.filter(kind=DocumentKind.SUBMISSION_PACK).exists()


ROLES = [
    "anonymous",
    "essex_staff",
    "essex_signatory",
    "sussex_staff",
    "sussex_signatory",
    "reviewer",
    "funding_admin",
    "site_admin",
    "consultee",
]
LOGIN = "login"
DOWNLOAD = [LOGIN, 200, 200, 404, 404, 200, 200, 200, 404]
# Making the pack: the proposal's PCC people (sent back to the stage with the pack made).
MAKE = [LOGIN, 302, 302, 404, 404, 403, 403, 403, 404]


def answer(request, client_for, role, method, url):
    user = None if role == "anonymous" else request.getfixturevalue(role)
    return getattr(client_for(user), method)(url)


@pytest.mark.parametrize(("role", "expected"), list(zip(ROLES, DOWNLOAD, strict=True)))
def test_only_the_pcc_and_the_home_office_download_the_pack(
    request, client_for, submission, essex_staff, role, expected
):
    made = pack.submission_pack_generate(stage=submission, by=essex_staff)
    url = reverse("proposals:document-download", args=[made.proposal_id, made.pk])

    response = answer(request, client_for, role, "get", url)

    if expected == LOGIN:
        assert response["Location"].startswith("/accounts/login/?next=")
    else:
        assert response.status_code == expected
    if expected == 200:
        assert b"".join(response.streaming_content).startswith(b"%PDF-")


@pytest.mark.parametrize(("role", "expected"), list(zip(ROLES, MAKE, strict=True)))
def test_only_the_pcc_makes_the_pack(request, client_for, submission, role, expected):
    url = reverse("proposals:submission-pack", args=[submission.proposal_id, "submission"])

    response = answer(request, client_for, role, "post", url)

    if expected == LOGIN:
        assert response["Location"].startswith("/accounts/login/?next=")
    else:
        assert response.status_code == expected
    made = Document.objects.filter(kind=DocumentKind.SUBMISSION_PACK).exists()
    assert made == (expected == 302)


def test_there_is_no_pack_for_another_stage(client_for, submission, essex_staff):
    url = reverse("proposals:submission-pack", args=[submission.proposal_id, "consultation"])
    assert client_for(essex_staff).post(url).status_code == 404


def stage_page(client, stage) -> str:
    return client.get(reverse("proposals:stage", args=[stage.proposal_id, "submission"])).content


def test_the_submission_page_is_valid_html_in_every_state_of_its_pack(
    client_for, submission, essex_staff, essex_signatory, reviewer, tmp_path
):
    staff, home_office = client_for(essex_staff), client_for(reviewer)
    pages = {"no pack yet": stage_page(staff, submission)}
    pack.submission_pack_generate(stage=submission, by=essex_staff)
    pages["up to date"] = stage_page(staff, submission)
    Representation.objects.filter(proposal=submission.proposal).update(response="New words.")
    pages["out of date"] = stage_page(staff, submission)
    pages["out of date, to the Home Office"] = stage_page(home_office, submission)
    submission.refresh_from_db()
    stage_transition(stage=submission, action="submit", by=essex_staff)
    pages["frozen"] = stage_page(staff, submission)
    pages["frozen, to the Home Office"] = stage_page(home_office, submission)

    assert not nu_html_checker_errors(
        {state: page.decode() for state, page in pages.items()}, tmp_path
    )
    assert "Make the submission pack now" in pages["no pack yet"].decode()
    assert "Regenerate the submission pack" in pages["out of date"].decode()
    assert "Regenerate the submission pack" not in pages["out of date, to the Home Office"].decode()


def test_the_submission_page_reads_as_many_rows_in_as_few_queries(
    client_for, submission, essex_staff, essex, django_assert_max_num_queries
):
    client = client_for(essex_staff)
    pack.submission_pack_generate(stage=submission, by=essex_staff)
    stage_page(client, submission)
    with CaptureQueriesContext(connection) as few:
        stage_page(client, submission)
    for council in essex.local_authorities.order_by("name")[1:]:
        Representation.objects.create(
            proposal=submission.proposal,
            local_authority=council,
            position=Representation.Position.SUPPORTS,
            reasons="We support it.",
            lodged_by=UserFactory(role=Role.CONSULTEE, local_authority=council),
            lodged_at=timezone.now(),
        )
    document_upload(
        stage=submission, kind=DocumentKind.OTHER, uploaded_file=a_pdf("More.pdf"), by=essex_staff
    )

    with django_assert_max_num_queries(len(few.captured_queries)):
        stage_page(client, submission)
