"""Issue 13, part 2: consultees lodge their body's representation during the consultation, the
PCC responds to each, and independent assessors see and assess only the proposals assigned to
them. The access matrices (tests/test_access.py, tests/test_proposal_access.py) cover every page
for both roles; here is what each of them does and is told."""

from datetime import date

import pytest
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils.html import escape

from portal.models import CONSULTEE_NO_BODY, Role
from proposals import workflow
from proposals.models import (
    AuditEvent,
    CouncilPosition,
    DocumentKind,
    Notification,
    Representation,
    StageStatus,
    Step,
)
from proposals.services import drafting, representations
from proposals.services.accounts import INVITATION_TITLE
from proposals.services.drafting import STALE_EDIT
from proposals.services.workflow import stage_transition

from .factories import (
    ProposalFactory,
    UserFactory,
    attach_document,
    complete_business_case,
    representation_of,
    stage_of,
)

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n% the council's letter\n%%EOF\n"


def representation_url(proposal):
    return reverse("proposals:representation", args=[proposal.pk])


def public_url(proposal):
    return reverse("proposals:public-record", args=[proposal.pk])


def respond_url(representation):
    return reverse(
        "proposals:representation-respond", args=[representation.proposal_id, representation.pk]
    )


@pytest.fixture
def in_consultation(essex, essex_staff, reviewer):
    """An Essex proposal whose business case is approved and whose consultation is open."""
    proposal = ProposalFactory(pcc=essex, title="Essex governance")
    complete_business_case(proposal, essex_staff)
    stage = stage_of(proposal, Step.BUSINESS_CASE)
    stage_transition(stage=stage, action="submit", by=essex_staff)
    stage_transition(stage=stage, action="approve", by=reviewer)
    assert stage_of(proposal, Step.CONSULTATION).status == StageStatus.IN_PROGRESS
    return proposal


def lodge(client, proposal, **data):
    return client.post(
        representation_url(proposal),
        {"position": "objects", "reasons": "The savings are not shown.", "version": "", **data},
    )


def test_a_consultee_lodges_their_councils_representation_and_the_pcc_is_told(
    client_for, in_consultation, essex_consultee, essex_staff, essex_signatory
):
    proposal, council = in_consultation, essex_consultee.local_authority
    client = client_for(essex_consultee)
    letter = SimpleUploadedFile("letter.pdf", PDF, content_type="application/pdf")
    response = lodge(client, proposal, document=letter)
    assert response.status_code == 302
    assert response["Location"] == public_url(proposal)

    representation = proposal.representations.get()
    assert (representation.local_authority, representation.position) == (council, "objects")
    assert representation.lodged_by == essex_consultee
    document = representation.documents.get()
    assert (document.kind, document.original_name) == (DocumentKind.REPRESENTATION, "letter.pdf")
    # The council's own words are its position: the completeness rule reads them.
    position = proposal.council_positions.get(local_authority=council)
    assert position.position == CouncilPosition.Position.OBJECTS
    assert f"Representation lodged by {essex_consultee}" in position.evidence
    consultation = stage_of(proposal, Step.CONSULTATION)
    assert workflow.council_position_missing(council) not in workflow.missing_content(consultation)

    event = AuditEvent.objects.get(action="representation.lodged")
    assert (event.actor, event.proposal) == (essex_consultee, proposal)
    for person in (essex_staff, essex_signatory):
        told = Notification.objects.get(user=person, title__startswith="Representation")
        assert told.title == f"Representation lodged: {council} on {proposal}"
        assert "objects to the proposal" in told.body
    assert not Notification.objects.filter(user=essex_consultee).exists()

    page = client.get(public_url(proposal)).content.decode()
    assert "Objects to the proposal" in page
    assert "The savings are not shown." in page
    assert "Change the representation" in page
    download = reverse("proposals:document-download", args=[proposal.pk, document.pk])
    assert client.get(download).status_code == 200


def test_a_lodged_representation_is_changed_not_doubled_and_a_stale_change_is_refused(
    client_for, in_consultation, essex_consultee
):
    proposal = in_consultation
    first = representations.representation_lodge(
        proposal=proposal, position="objects", reasons="Too dear.", version="", by=essex_consultee
    )
    # Another officer of the same council opens the form before the first change is saved.
    colleague = UserFactory(role=Role.CONSULTEE, local_authority=essex_consultee.local_authority)
    stale_version = drafting.record_version(first)
    representations.representation_lodge(
        proposal=proposal,
        position="supports",
        reasons="On reflection, we support it.",
        version=stale_version,
        by=essex_consultee,
    )
    response = lodge(
        client_for(colleague), proposal, reasons="Our typed reasons", version=stale_version
    )
    assert response.status_code == 200
    page = response.content.decode()
    assert escape(STALE_EDIT) in page
    assert "Our typed reasons" in page  # nothing typed is lost
    assert "On reflection, we support it." in page  # what is saved now
    representation = proposal.representations.get()
    assert representation.position == "supports"
    position = proposal.council_positions.get(local_authority=essex_consultee.local_authority)
    assert position.position == CouncilPosition.Position.SUPPORTS


def test_no_representation_is_lodged_before_or_after_the_consultation(
    client_for, essex, essex_consultee, in_consultation, reviewer, essex_staff
):
    not_yet = ProposalFactory(pcc=essex, title="Not consulting yet")
    client = client_for(essex_consultee)
    response = client.get(representation_url(not_yet), follow=True)
    assert response.redirect_chain[-1][0] == public_url(not_yet)
    assert workflow.REPRESENTATIONS_CLOSED in response.content.decode()
    lodge(client, not_yet)
    assert not not_yet.representations.exists()
    # Once the consultation is submitted for review it is closed to representations.
    Representation.objects.all().delete()
    consultation = stage_of(in_consultation, Step.CONSULTATION)
    type(consultation).objects.filter(pk=consultation.pk).update(status=StageStatus.SUBMITTED)
    response = lodge(client, in_consultation)
    assert response.status_code == 302
    assert not in_consultation.representations.exists()


def test_a_body_lodges_only_on_its_own_areas_proposals(
    client_for, in_consultation, sussex_consultee
):
    client = client_for(sussex_consultee)
    assert client.get(public_url(in_consultation)).status_code == 404
    assert lodge(client, in_consultation).status_code == 404
    assert not in_consultation.representations.exists()


def test_the_pcc_responds_and_only_that_bodys_consultees_are_told(
    client_for, in_consultation, essex_consultee, essex_fire_consultee, essex_staff, reviewer
):
    proposal = in_consultation
    representation = representation_of(proposal, essex_consultee)
    representation_of(proposal, essex_fire_consultee)
    colleague = UserFactory(role=Role.CONSULTEE, local_authority=essex_consultee.local_authority)
    stage_page = client_for(essex_staff).get(
        reverse("proposals:stage", args=[proposal.pk, "consultation"])
    )
    assert respond_url(representation) in stage_page.content.decode()

    response = client_for(essex_staff).post(
        respond_url(representation),
        {
            "response": "The savings are in annex B.",
            "version": drafting.record_version(representation),
        },
    )
    assert response.status_code == 302
    representation.refresh_from_db()
    assert (representation.response, representation.responded_by) == (
        "The savings are in annex B.",
        essex_staff,
    )
    event = AuditEvent.objects.get(action="representation.responded")
    assert (event.actor, event.after["response"]) == (essex_staff, representation.response)
    for person in (essex_consultee, colleague):
        told = Notification.objects.get(user=person)
        assert told.link == public_url(proposal)
        assert str(representation.body) in told.title
    assert not Notification.objects.filter(user=essex_fire_consultee).exists()
    page = client_for(essex_consultee).get(public_url(proposal)).content.decode()
    assert "The savings are in annex B." in page
    # The Home Office sees each representation and its response on the consultation stage.
    reviewer_page = client_for(reviewer).get(
        reverse("proposals:stage", args=[proposal.pk, "consultation"])
    )
    assert "The savings are in annex B." in reviewer_page.content.decode()
    assert respond_url(representation) not in reviewer_page.content.decode()


def test_responses_close_when_the_submission_goes_for_review(
    client_for, in_consultation, essex_consultee, essex_staff
):
    representation = representation_of(in_consultation, essex_consultee)
    submission = stage_of(in_consultation, Step.SUBMISSION)
    type(submission).objects.filter(pk=submission.pk).update(status=StageStatus.SUBMITTED)
    response = client_for(essex_staff).get(respond_url(representation), follow=True)
    assert workflow.RESPONSES_CLOSED in response.content.decode()
    with pytest.raises(workflow.TransitionRefused):
        representations.representation_respond(
            representation=representation,
            response="Too late",
            version=drafting.record_version(representation),
            by=essex_staff,
        )


def test_the_pcc_no_longer_records_the_position_of_a_council_that_lodged_its_own(
    client_for, in_consultation, essex_consultee, essex_staff
):
    council = essex_consultee.local_authority
    representation_of(in_consultation, essex_consultee)
    stage = stage_of(in_consultation, Step.CONSULTATION)
    page = client_for(essex_staff).get(
        reverse("proposals:council-positions", args=[in_consultation.pk, "consultation"])
    )
    assert f"council_{council.pk}_position" not in page.content.decode()
    with pytest.raises(Exception, match="has lodged its own representation"):
        drafting.council_positions_save(
            stage=stage,
            positions={council: {"position": "supports", "stated_on": None, "evidence": ""}},
            version=drafting.council_positions_version(in_consultation),
            by=essex_staff,
        )


def test_the_public_record_shows_the_business_case_as_submitted_never_a_later_draft(
    client_for, essex, essex_staff, essex_consultee, reviewer
):
    proposal = ProposalFactory(pcc=essex, title="Essex governance")
    complete_business_case(proposal, essex_staff)
    client = client_for(essex_consultee)
    assert "Economy evidence." not in client.get(public_url(proposal)).content.decode()
    stage = stage_of(proposal, Step.BUSINESS_CASE)
    stage_transition(stage=stage, action="submit", by=essex_staff)
    stage_transition(stage=stage, action="return_to_pcc", by=reviewer, reason="More, please")
    stage_transition(stage=stage, action="revise", by=essex_staff)
    drafting.business_case_section_save(
        proposal=proposal,
        section="economy",
        text="A draft the PCC has not submitted.",
        base_revision=proposal.revisions.count(),
        by=essex_staff,
    )
    page = client.get(public_url(proposal)).content.decode()
    assert "Economy evidence." in page
    assert "A draft the PCC has not submitted." not in page
    # The business case document is public only once the business case is approved.
    document = proposal.documents.get(kind=DocumentKind.BUSINESS_CASE)
    download = reverse("proposals:document-download", args=[proposal.pk, document.pk])
    assert client.get(download).status_code == 404


def test_a_consultee_downloads_the_consultation_report_but_not_another_bodys_documents(
    client_for, in_consultation, essex_consultee, essex_fire_consultee, essex_staff
):
    stage = stage_of(in_consultation, Step.CONSULTATION)
    report = attach_document(stage, DocumentKind.CONSULTATION_REPORT, essex_staff)
    theirs = attach_document(
        stage,
        DocumentKind.REPRESENTATION,
        essex_fire_consultee,
        representation=representation_of(in_consultation, essex_fire_consultee),
    )
    client = client_for(essex_consultee)
    for document, expected in ((report, 200), (theirs, 404)):
        path = reverse("proposals:document-download", args=[in_consultation.pk, document.pk])
        assert client.get(path).status_code == expected
    page = client.get(public_url(in_consultation)).content.decode()
    assert "Shropshire" not in page
    assert str(essex_fire_consultee.fire_authority) not in page


def test_the_assigned_assessor_records_the_independent_assessment(
    client_for, in_consultation, assessor, other_assessor, essex_consultee, reviewer
):
    proposal = in_consultation
    representation_of(proposal, essex_consultee, reasons="Public safety is at risk.")
    client_for(reviewer).post(
        reverse("proposals:assessors", args=[proposal.pk]),
        {"assessors": [assessor.pk], "version": proposal.updated_at.isoformat()},
    )
    assert list(proposal.assessors.all()) == [assessor]
    assert AuditEvent.objects.filter(action="proposal.assessors", actor=reviewer).exists()
    stage = stage_of(proposal, Step.INDEPENDENT_ASSESSMENT)
    type(stage).objects.filter(pk=stage.pk).update(status=StageStatus.IN_PROGRESS)
    client = client_for(assessor)
    listing = client.get(reverse("proposals:your-proposals")).content.decode()
    assert proposal.title in listing
    public = client.get(public_url(proposal)).content.decode()
    assert "Public safety is at risk." in public  # every representation, for the assessor
    details = reverse("proposals:stage-details", args=[proposal.pk, "independent-assessment"])
    response = client.post(
        details,
        {
            "assessor": "CIPFA",
            "commissioned_on_0": "1",
            "commissioned_on_1": "11",
            "commissioned_on_2": "2026",
            "summary": "The case meets the test of efficiency.",
            "version": "",
        },
    )
    assert response.status_code == 302, response.content.decode()
    assert proposal.assessment.commissioned_on == date(2026, 11, 1)
    assert AuditEvent.objects.filter(action="assessment.saved", actor=assessor).exists()
    # Not the decision, not the proposal's own pages, not someone else's assignment.
    decision = reverse("proposals:stage-details", args=[proposal.pk, "decision"])
    assert client.get(decision).status_code == 404
    assert client.get(reverse("proposals:detail", args=[proposal.pk])).status_code == 404
    assert client_for(other_assessor).get(details).status_code == 404


def test_the_your_proposals_page_runs_the_same_queries_however_many_proposals(
    client_for, essex, essex_consultee, django_assert_max_num_queries
):
    client = client_for(essex_consultee)
    ProposalFactory(pcc=essex)
    with django_assert_max_num_queries(12) as few:
        client.get(reverse("proposals:your-proposals"))
    for _ in range(5):
        ProposalFactory(pcc=essex)
    with django_assert_max_num_queries(len(few.captured_queries)):
        page = client.get(reverse("proposals:your-proposals")).content.decode()
    assert page.count(">Not lodged<") == 6


def test_the_user_admin_asks_a_consultee_for_exactly_one_body(client_for, site_admin, essex):
    response = client_for(site_admin).post(
        reverse("admin:portal_user_add"),
        {
            "username": "new-consultee",
            "password1": "a-long-enough-password-1",
            "password2": "a-long-enough-password-1",
            "usable_password": "true",
            "role": Role.CONSULTEE,
            "email": "officer@example.com",
        },
    )
    assert response.status_code == 200
    assert CONSULTEE_NO_BODY in response.content.decode()
    assert not type(site_admin).objects.filter(username="new-consultee").exists()


def test_a_site_admin_invites_consultees_and_assessors_by_email(
    client_for, site_admin, essex_consultee, assessor, essex_staff
):
    response = client_for(site_admin).post(
        reverse("admin:portal_user_changelist"),
        {
            "action": "send_invitation",
            "_selected_action": [essex_consultee.pk, assessor.pk, essex_staff.pk],
        },
        follow=True,
    )
    assert response.status_code == 200
    invited = {message.to[0]: message for message in mail.outbox}
    assert set(invited) == {essex_consultee.email, assessor.email}
    letter = invited[essex_consultee.email]
    assert letter.subject == INVITATION_TITLE
    assert str(essex_consultee.local_authority) in letter.body
    assert "/accounts/two-factor/enrol/" in letter.body
    assert "lodge your body's representation" in letter.body
    assert AuditEvent.objects.filter(
        action="enrolment_link_issued", actor=site_admin, object_id=str(assessor.pk)
    ).exists()
    assert "not a consultee or independent assessor" in response.content.decode()


def test_the_pcc_cannot_remove_or_replace_a_bodys_representation_document(
    client_for, in_consultation, essex_consultee, essex_staff
):
    stage = stage_of(in_consultation, Step.CONSULTATION)
    document = attach_document(
        stage,
        DocumentKind.REPRESENTATION,
        essex_consultee,
        name="letter.pdf",
        representation=representation_of(in_consultation, essex_consultee),
    )
    client = client_for(essex_staff)
    stage_page = client.get(reverse("proposals:stage", args=[in_consultation.pk, "consultation"]))
    remove = reverse("proposals:document-remove", args=[in_consultation.pk, document.pk])
    assert remove not in stage_page.content.decode()
    response = client.post(remove, follow=True)
    assert escape(workflow.REPRESENTATION_DOCUMENT_FIXED) in response.content.decode()
    assert in_consultation.documents.filter(pk=document.pk).exists()
