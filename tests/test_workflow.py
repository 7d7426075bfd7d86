"""Every stage transition and guard, through the services people's actions call."""

import threading
import time
from datetime import date, timedelta

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import IntegrityError, InternalError, connection, transaction
from django.urls import reverse
from django.utils import timezone

from proposals import workflow
from proposals.models import (
    AuditEvent,
    BusinessCaseRevision,
    DocumentKind,
    FireAuthority,
    ProposalStatus,
    StageStatus,
    Step,
)
from proposals.services import comments, drafting
from proposals.services.documents import document_upload
from proposals.services.workflow import (
    ALREADY_CLEARED,
    ALREADY_FLAGGED,
    NO_OBJECTION_SKIP_REASON,
    REASON_REQUIRED,
    SIGN_OFF_CLEARED,
    proposal_set_legal_challenge,
    proposal_transition,
    proposals_transfer_due,
    stage_set_due_date,
    stage_transition,
    submission_sign_off,
)
from proposals.workflow import PROPOSAL_NOT_ACTIVE

from .factories import (
    LIMBS_FOUND,
    attach_document,
    complete_business_case,
    complete_consultation,
    stage_of,
)

pytestmark = pytest.mark.django_db


def status(proposal, step):
    return stage_of(proposal, step).status


def refused_with(reason):
    return pytest.raises(workflow.TransitionRefused, match=reason.split("{")[0][:40])


def act(proposal, step, action, by, **kwargs):
    return stage_transition(stage=stage_of(proposal, step), action=action, by=by, **kwargs)


@pytest.fixture
def proposal(essex, essex_staff):
    return drafting.proposal_create(
        pcc=essex,
        title="Essex governance",
        governance_model="governance",
        fire_authorities=essex.fire_authorities.all(),
        by=essex_staff,
    )


@pytest.fixture
def walk(proposal, essex_staff, essex_signatory, reviewer):
    """Walk `proposal` through its PCC stages; `objecting` names councils that object."""

    def run(*, through: Step, objecting=()):
        complete_business_case(proposal, essex_staff)
        act(proposal, Step.BUSINESS_CASE, "submit", essex_staff)
        act(proposal, Step.BUSINESS_CASE, "approve", reviewer)
        if through == Step.BUSINESS_CASE:
            return proposal
        complete_consultation(proposal, essex_staff, objecting=objecting)
        act(proposal, Step.CONSULTATION, "submit", essex_staff)
        act(proposal, Step.CONSULTATION, "approve", reviewer)
        if through == Step.CONSULTATION:
            return proposal
        submission_sign_off(
            stage=stage_of(proposal, Step.SUBMISSION), confirmed=True, by=essex_signatory
        )
        act(proposal, Step.SUBMISSION, "submit", essex_signatory)
        act(proposal, Step.SUBMISSION, "approve", reviewer)
        return proposal

    return run


def record_decision(proposal, reviewer, outcome):
    stage = stage_of(proposal, Step.DECISION)
    drafting.stage_details_save(
        stage=stage,
        version="",
        by=reviewer,
        values={
            "outcome": outcome,
            "decided_on": date(2017, 7, 25),
            "summary": "Letter sent.",
            **LIMBS_FOUND,
        },
    )
    attach_document(stage, DocumentKind.DECISION_LETTER, reviewer)


def record_order(proposal, reviewer, transfer_date):
    drafting.stage_details_save(
        stage=stage_of(proposal, Step.ORDER),
        version="",
        by=reviewer,
        values={
            "si_number": "2017/864",
            "made_on": date(2017, 9, 6),
            "laid_on": date(2017, 9, 8),
            "in_force_on": transfer_date,
            "transfer_date": transfer_date,
        },
    )


# --- Creating and drafting ----------------------------------------------------------------------


def test_a_new_proposal_opens_its_business_case_and_waits_on_the_rest(proposal):
    assert [stage.status for stage in proposal.stages.order_by("step")] == [
        StageStatus.IN_PROGRESS,
        *[StageStatus.NOT_STARTED] * 5,
    ]
    assert proposal.audit_events.get().action == "proposal.created"


def test_a_proposal_cannot_cover_another_areas_fire_authority(essex, essex_staff):
    sussex_authority = FireAuthority.objects.get(name="East Sussex Fire Authority")
    with pytest.raises(ValidationError, match=drafting.FIRE_AUTHORITY_OUTSIDE_PCC):
        drafting.proposal_create(
            pcc=essex,
            title="Overreach",
            governance_model="governance",
            fire_authorities=[sussex_authority],
            by=essex_staff,
        )


def test_each_save_makes_a_new_numbered_revision_and_keeps_the_old(proposal, essex_staff):
    drafting.business_case_section_save(
        proposal=proposal, section="economy", text="First", base_revision=0, by=essex_staff
    )
    drafting.business_case_section_save(
        proposal=proposal, section="economy", text="Second", base_revision=1, by=essex_staff
    )
    assert list(proposal.revisions.order_by("number").values_list("number", "economy")) == [
        (1, "First"),
        (2, "Second"),
    ]


def test_a_stale_save_is_refused_and_writes_nothing(proposal, essex_staff, essex_signatory):
    drafting.business_case_section_save(
        proposal=proposal, section="economy", text="Mine", base_revision=0, by=essex_staff
    )
    with pytest.raises(drafting.StaleEdit) as stale:
        drafting.business_case_section_save(
            proposal=proposal,
            section="economy",
            text="Theirs",
            base_revision=0,
            by=essex_signatory,
        )
    assert stale.value.current.economy == "Mine"
    assert proposal.revisions.count() == 1


def test_revisions_cannot_be_rewritten(proposal, essex_staff):
    revision = drafting.business_case_section_save(
        proposal=proposal, section="economy", text="Kept", base_revision=0, by=essex_staff
    )
    with transaction.atomic(), pytest.raises(InternalError, match="append-only"):
        BusinessCaseRevision.objects.filter(pk=revision.pk).update(economy="Rewritten")


def test_a_stale_stage_details_save_is_refused(walk, essex_staff):
    proposal = walk(through=Step.BUSINESS_CASE)
    stage = stage_of(proposal, Step.CONSULTATION)
    drafting.stage_details_save(
        stage=stage, values={"summary": "First"}, version="", by=essex_staff
    )
    with pytest.raises(drafting.StaleEdit):
        drafting.stage_details_save(
            stage=stage, values={"summary": "Second"}, version="", by=essex_staff
        )
    assert proposal.consultation.summary == "First"


def test_reviewers_cannot_edit_a_pccs_draft(proposal, reviewer):
    with refused_with(workflow.ONLY_PCC_PEOPLE):
        drafting.business_case_section_save(
            proposal=proposal,
            section="economy",
            text="Reviewer text",
            base_revision=0,
            by=reviewer,
        )


# --- Submitting, returning, approving -----------------------------------------------------------


def test_an_incomplete_business_case_cannot_be_submitted_and_says_what_is_missing(
    proposal, essex_staff
):
    with pytest.raises(workflow.TransitionRefused) as refusal:
        act(proposal, Step.BUSINESS_CASE, "submit", essex_staff)
    reason = refusal.value.reasons[0]
    assert "economy" in reason
    assert "public safety" in reason
    assert workflow.BUSINESS_CASE_DOCUMENT in reason
    assert status(proposal, Step.BUSINESS_CASE) == StageStatus.IN_PROGRESS


def test_a_complete_business_case_is_submitted(proposal, essex_staff):
    complete_business_case(proposal, essex_staff)
    act(proposal, Step.BUSINESS_CASE, "submit", essex_staff)
    assert status(proposal, Step.BUSINESS_CASE) == StageStatus.SUBMITTED
    assert proposal.audit_events.filter(action="stage.submit", actor=essex_staff).exists()


def test_approving_a_stage_opens_the_next(proposal, essex_staff, reviewer):
    complete_business_case(proposal, essex_staff)
    act(proposal, Step.BUSINESS_CASE, "submit", essex_staff)
    act(proposal, Step.BUSINESS_CASE, "approve", reviewer)
    assert status(proposal, Step.BUSINESS_CASE) == StageStatus.APPROVED
    assert status(proposal, Step.CONSULTATION) == StageStatus.IN_PROGRESS


def test_pcc_staff_cannot_approve_their_own_stage(proposal, essex_staff):
    complete_business_case(proposal, essex_staff)
    act(proposal, Step.BUSINESS_CASE, "submit", essex_staff)
    with refused_with(workflow.ONLY_REVIEWERS):
        act(proposal, Step.BUSINESS_CASE, "approve", essex_staff)


def test_reviewers_cannot_submit_for_a_pcc(proposal, essex_staff, reviewer):
    complete_business_case(proposal, essex_staff)
    with refused_with(workflow.ONLY_PCC_PEOPLE):
        act(proposal, Step.BUSINESS_CASE, "submit", reviewer)


def test_another_pccs_staff_cannot_submit(proposal, essex_staff, sussex_staff):
    complete_business_case(proposal, essex_staff)
    with refused_with(workflow.ONLY_PCC_PEOPLE):
        act(proposal, Step.BUSINESS_CASE, "submit", sussex_staff)


def test_returning_needs_reasons(proposal, essex_staff, reviewer):
    complete_business_case(proposal, essex_staff)
    act(proposal, Step.BUSINESS_CASE, "submit", essex_staff)
    with pytest.raises(ValidationError, match=REASON_REQUIRED):
        act(proposal, Step.BUSINESS_CASE, "return_to_pcc", reviewer, reason="   ")
    assert status(proposal, Step.BUSINESS_CASE) == StageStatus.SUBMITTED


def test_returned_stage_goes_back_to_draft_and_keeps_the_reviewers_reasons(
    proposal, essex_staff, reviewer
):
    complete_business_case(proposal, essex_staff)
    act(proposal, Step.BUSINESS_CASE, "submit", essex_staff)
    act(proposal, Step.BUSINESS_CASE, "return_to_pcc", reviewer, reason="Cost the options.")
    stage = stage_of(proposal, Step.BUSINESS_CASE)
    assert (stage.status, stage.return_reasons) == (StageStatus.RETURNED, "Cost the options.")
    event = proposal.audit_events.get(action="stage.return_to_pcc")
    assert event.reason == "Cost the options."
    assert event.actor == reviewer
    act(proposal, Step.BUSINESS_CASE, "revise", essex_staff)
    assert status(proposal, Step.BUSINESS_CASE) == StageStatus.IN_PROGRESS
    act(proposal, Step.BUSINESS_CASE, "submit", essex_staff)
    assert stage_of(proposal, Step.BUSINESS_CASE).return_reasons == ""


def test_a_returned_stage_is_not_edited_until_revised(proposal, essex_staff, reviewer):
    complete_business_case(proposal, essex_staff)
    act(proposal, Step.BUSINESS_CASE, "submit", essex_staff)
    act(proposal, Step.BUSINESS_CASE, "return_to_pcc", reviewer, reason="More detail.")
    with refused_with(workflow.STAGE_LOCKED[StageStatus.RETURNED]):
        drafting.business_case_section_save(
            proposal=proposal, section="economy", text="Edit", base_revision=8, by=essex_staff
        )


def test_a_second_approval_of_the_same_stage_is_refused(proposal, essex_staff, reviewer):
    complete_business_case(proposal, essex_staff)
    act(proposal, Step.BUSINESS_CASE, "submit", essex_staff)
    stage_seen_by_both = stage_of(proposal, Step.BUSINESS_CASE)
    stage_transition(stage=stage_seen_by_both, action="approve", by=reviewer)
    with refused_with("This cannot be done while it is approved"):
        stage_transition(stage=stage_seen_by_both, action="approve", by=reviewer)
    assert proposal.audit_events.filter(action="stage.approve").count() == 1


# --- Consultation, submission and the objection rule -------------------------------------------


def test_consultation_needs_every_councils_position(walk, essex_staff):
    proposal = walk(through=Step.BUSINESS_CASE)
    stage = stage_of(proposal, Step.CONSULTATION)
    drafting.stage_details_save(
        stage=stage,
        version="",
        by=essex_staff,
        values={
            "starts_on": date(2017, 2, 16),
            "ends_on": date(2017, 5, 10),
            "responses_received": 10,
            "summary": "Done",
        },
    )
    attach_document(stage, DocumentKind.CONSULTATION_REPORT, essex_staff)
    with pytest.raises(workflow.TransitionRefused) as refusal:
        act(proposal, Step.CONSULTATION, "submit", essex_staff)
    assert "the position of Thurrock Council" in refusal.value.reasons[0]


def test_the_submission_needs_the_signatorys_sign_off(walk, essex_staff):
    proposal = walk(through=Step.CONSULTATION)
    with refused_with(workflow.NOT_SIGNED_OFF):
        act(proposal, Step.SUBMISSION, "submit", essex_staff)


def test_only_the_pccs_own_signatory_signs_off(walk, essex_staff, sussex_signatory):
    proposal = walk(through=Step.CONSULTATION)
    stage = stage_of(proposal, Step.SUBMISSION)
    with refused_with(workflow.ONLY_SIGNATORY):
        submission_sign_off(stage=stage, confirmed=True, by=essex_staff)
    with refused_with(workflow.ONLY_SIGNATORY):
        submission_sign_off(stage=stage, confirmed=True, by=sussex_signatory)


def test_with_no_objection_the_assessment_is_skipped_with_the_reason(walk):
    proposal = walk(through=Step.SUBMISSION)
    assessment = stage_of(proposal, Step.INDEPENDENT_ASSESSMENT)
    assert assessment.status == StageStatus.SKIPPED
    assert assessment.skip_reason == NO_OBJECTION_SKIP_REASON
    assert status(proposal, Step.DECISION) == StageStatus.IN_PROGRESS


def test_an_objecting_council_makes_the_assessment_required(walk, reviewer):
    proposal = walk(through=Step.SUBMISSION, objecting=["Thurrock Council"])
    assert status(proposal, Step.INDEPENDENT_ASSESSMENT) == StageStatus.IN_PROGRESS
    assert status(proposal, Step.DECISION) == StageStatus.NOT_STARTED
    with pytest.raises(workflow.TransitionRefused, match="assessment document"):
        act(proposal, Step.INDEPENDENT_ASSESSMENT, "complete", reviewer)


def test_the_home_office_completes_the_assessment_once_recorded(walk, reviewer):
    proposal = walk(through=Step.SUBMISSION, objecting=["Thurrock Council"])
    stage = stage_of(proposal, Step.INDEPENDENT_ASSESSMENT)
    drafting.stage_details_save(
        stage=stage,
        version="",
        by=reviewer,
        values={
            "assessor": "CIPFA",
            "commissioned_on": date(2017, 11, 1),
            "reported_on": date(2017, 12, 1),
            "summary": "Meets the tests.",
        },
    )
    attach_document(stage, DocumentKind.ASSESSMENT, reviewer)
    act(proposal, Step.INDEPENDENT_ASSESSMENT, "complete", reviewer)
    assert status(proposal, Step.DECISION) == StageStatus.IN_PROGRESS


def test_pccs_cannot_complete_the_home_offices_stages(walk, essex_staff):
    proposal = walk(through=Step.SUBMISSION)
    with refused_with(workflow.ONLY_REVIEWERS):
        act(proposal, Step.DECISION, "complete", essex_staff)


# --- Decision, order and transfer ---------------------------------------------------------------


def test_a_deferred_decision_keeps_the_stage_open(walk, reviewer):
    proposal = walk(through=Step.SUBMISSION)
    record_decision(proposal, reviewer, "deferred")
    with pytest.raises(workflow.TransitionRefused, match="decision"):
        act(proposal, Step.DECISION, "complete", reviewer)


def test_a_rejected_proposal_closes(walk, reviewer):
    proposal = walk(through=Step.SUBMISSION)
    record_decision(proposal, reviewer, "rejected")
    act(proposal, Step.DECISION, "complete", reviewer)
    proposal.refresh_from_db()
    assert proposal.status == ProposalStatus.REJECTED
    assert status(proposal, Step.ORDER) == StageStatus.NOT_STARTED


def test_a_rejected_decision_leaves_its_stage_rejected_not_approved(walk, reviewer):
    proposal = walk(through=Step.SUBMISSION)
    record_decision(proposal, reviewer, "rejected")
    act(proposal, Step.DECISION, "complete", reviewer)
    assert status(proposal, Step.DECISION) == StageStatus.REJECTED
    event = AuditEvent.objects.filter(proposal=proposal, action="stage.complete").get()
    assert event.after["status"] == StageStatus.REJECTED


def test_an_approved_decision_leaves_its_stage_approved(walk, reviewer):
    proposal = walk(through=Step.SUBMISSION)
    record_decision(proposal, reviewer, "approved")
    act(proposal, Step.DECISION, "complete", reviewer)
    assert status(proposal, Step.DECISION) == StageStatus.APPROVED


def test_only_the_decision_stage_can_be_rejected_in_the_database(proposal):
    with transaction.atomic(), pytest.raises(IntegrityError):
        type(stage_of(proposal, Step.ORDER)).objects.filter(
            proposal=proposal, step=Step.ORDER
        ).update(status=StageStatus.REJECTED)


def test_an_order_in_force_today_transfers_the_proposal(walk, reviewer):
    proposal = walk(through=Step.SUBMISSION)
    record_decision(proposal, reviewer, "approved")
    act(proposal, Step.DECISION, "complete", reviewer)
    record_order(proposal, reviewer, timezone.localdate())
    act(proposal, Step.ORDER, "complete", reviewer)
    proposal.refresh_from_db()
    assert proposal.status == ProposalStatus.TRANSFERRED
    assert proposal.audit_events.filter(action="proposal.transfer").exists()


def test_a_future_transfer_happens_on_its_date(walk, reviewer, monkeypatch):
    proposal = walk(through=Step.SUBMISSION)
    record_decision(proposal, reviewer, "approved")
    act(proposal, Step.DECISION, "complete", reviewer)
    transfer_day = timezone.localdate() + timedelta(days=30)
    record_order(proposal, reviewer, transfer_day)
    act(proposal, Step.ORDER, "complete", reviewer)
    proposal.refresh_from_db()
    assert proposal.status == ProposalStatus.ACTIVE
    assert proposals_transfer_due() == 0
    monkeypatch.setattr(timezone, "localdate", lambda *args: transfer_day)
    assert proposals_transfer_due() == 1
    proposal.refresh_from_db()
    assert proposal.status == ProposalStatus.TRANSFERRED


def test_an_order_needs_its_instrument_and_dates(walk, reviewer):
    proposal = walk(through=Step.SUBMISSION)
    record_decision(proposal, reviewer, "approved")
    act(proposal, Step.DECISION, "complete", reviewer)
    with pytest.raises(workflow.TransitionRefused, match="statutory instrument"):
        act(proposal, Step.ORDER, "complete", reviewer)


# --- Pauses, suspension, withdrawal, due dates --------------------------------------------------


def test_a_legal_challenge_pauses_the_stages(proposal, essex_staff, reviewer):
    complete_business_case(proposal, essex_staff)
    proposal_set_legal_challenge(
        proposal=proposal, under_challenge=True, reason="Judicial review filed", by=reviewer
    )
    with refused_with(workflow.PAUSED_BY_LEGAL_CHALLENGE):
        act(proposal, Step.BUSINESS_CASE, "submit", essex_staff)
    proposal_set_legal_challenge(
        proposal=proposal, under_challenge=False, reason="Claim dismissed", by=reviewer
    )
    act(proposal, Step.BUSINESS_CASE, "submit", essex_staff)
    assert status(proposal, Step.BUSINESS_CASE) == StageStatus.SUBMITTED


def test_only_reviewers_flag_legal_challenges(proposal, essex_staff):
    with refused_with(workflow.ONLY_REVIEWERS):
        proposal_set_legal_challenge(
            proposal=proposal, under_challenge=True, reason="x", by=essex_staff
        )


def test_a_suspended_proposal_cannot_move_until_resumed(proposal, essex_staff):
    complete_business_case(proposal, essex_staff)
    proposal_transition(proposal=proposal, action="suspend", by=essex_staff, reason="MoU signed")
    with pytest.raises(workflow.TransitionRefused, match="suspended"):
        act(proposal, Step.BUSINESS_CASE, "submit", essex_staff)
    proposal_transition(proposal=proposal, action="resume", by=essex_staff, reason="Resumed")
    act(proposal, Step.BUSINESS_CASE, "submit", essex_staff)


def test_a_withdrawn_proposal_is_read_only_for_everyone(proposal, essex_staff, reviewer):
    proposal_transition(
        proposal=proposal,
        action="withdraw",
        by=essex_staff,
        reason="The PCC decided not to proceed.",
    )
    proposal.refresh_from_db()
    assert proposal.status == ProposalStatus.WITHDRAWN
    assert proposal.status_reason == "The PCC decided not to proceed."
    with pytest.raises(workflow.TransitionRefused, match="withdrawn"):
        drafting.business_case_section_save(
            proposal=proposal, section="economy", text="Late", base_revision=0, by=essex_staff
        )
    with refused_with(comments.FINISHED):
        comments.comment_add(proposal=proposal, body="Noted", home_office_only=False, by=reviewer)


def test_withdrawing_needs_a_reason_and_a_pcc_person(proposal, essex_staff, reviewer):
    with pytest.raises(ValidationError, match=REASON_REQUIRED):
        proposal_transition(proposal=proposal, action="withdraw", by=essex_staff, reason="")
    with refused_with(workflow.ONLY_PCC_PEOPLE):
        proposal_transition(proposal=proposal, action="withdraw", by=reviewer, reason="No")


def test_reviewers_set_due_dates_with_a_reason_that_is_recorded(proposal, reviewer, essex_staff):
    stage = stage_of(proposal, Step.BUSINESS_CASE)
    stage_set_due_date(
        stage=stage,
        due_date=date(2026, 12, 24),
        reason="Agreed timetable",
        by=reviewer,
        past_confirmed=True,  # a fixed date; past dates are tested in test_input_checks.py
    )
    assert stage_of(proposal, Step.BUSINESS_CASE).due_date == date(2026, 12, 24)
    event = AuditEvent.objects.get(action="stage.due_date")
    assert (event.after["due_date"], event.reason) == ("2026-12-24", "Agreed timetable")
    with refused_with(workflow.ONLY_REVIEWERS):
        stage_set_due_date(stage=stage, due_date=None, reason="x", by=essex_staff)


def test_home_office_only_comments_are_kept_from_pccs(proposal, reviewer, essex_staff):
    comments.comment_add(
        proposal=proposal, body="Internal view", home_office_only=True, by=reviewer
    )
    with refused_with(workflow.ONLY_REVIEWERS):
        comments.comment_add(
            proposal=proposal, body="Secret?", home_office_only=True, by=essex_staff
        )
    event = proposal.audit_events.get(action="comment.added")
    assert event.home_office_only


def test_the_daily_transfer_check_is_scheduled_and_transfers_due_proposals(walk, reviewer):
    from django_celery_beat.models import PeriodicTask

    from proposals.tasks import transfer_due_proposals

    task = PeriodicTask.objects.get(task="proposals.tasks.transfer_due_proposals")
    assert (task.crontab.hour, task.crontab.minute) == ("0", "5")
    assert str(task.crontab.timezone) == "Europe/London"
    proposal = walk(through=Step.SUBMISSION)
    record_decision(proposal, reviewer, "approved")
    act(proposal, Step.DECISION, "complete", reviewer)
    record_order(proposal, reviewer, timezone.localdate() + timedelta(days=1))
    act(proposal, Step.ORDER, "complete", reviewer)
    assert transfer_due_proposals.apply().get() == 0


# --- Sign-off covers what was signed; races ------------------------------------------------------

PDF = b"%PDF-1.4\n1 0 obj <</Type /Catalog>> endobj\ntrailer <</Root 1 0 R>>\n%%EOF\n"


def test_the_sign_off_records_the_revision_and_documents_it_covers(walk, essex_signatory):
    proposal = walk(through=Step.CONSULTATION)
    stage = stage_of(proposal, Step.SUBMISSION)
    letter = attach_document(stage, DocumentKind.OTHER, essex_signatory)
    submission_sign_off(stage=stage, confirmed=True, by=essex_signatory)
    covers = {
        "business_case_revision": proposal.revisions.count(),
        "documents": [letter.sha256],
    }
    assert stage_of(proposal, Step.SUBMISSION).sign_off_covers == covers
    event = AuditEvent.objects.filter(action="stage.sign_off").get()
    assert event.after["covers"] == covers


def test_an_upload_after_the_sign_off_clears_it(walk, essex_staff, essex_signatory):
    proposal = walk(through=Step.CONSULTATION)
    submission_sign_off(
        stage=stage_of(proposal, Step.SUBMISSION), confirmed=True, by=essex_signatory
    )
    document_upload(
        stage=stage_of(proposal, Step.SUBMISSION),
        kind=DocumentKind.OTHER,
        uploaded_file=SimpleUploadedFile("Annex.pdf", PDF),
        by=essex_staff,
    )
    stage = stage_of(proposal, Step.SUBMISSION)
    assert stage.signed_off_at is None
    assert stage.signed_off_by is None
    cleared = AuditEvent.objects.get(action="stage.sign_off_cleared")
    assert cleared.actor == essex_staff
    assert cleared.reason == SIGN_OFF_CLEARED.format(change="a document was uploaded")
    with refused_with(workflow.NOT_SIGNED_OFF):
        act(proposal, Step.SUBMISSION, "submit", essex_signatory)


def test_a_sign_off_no_longer_counts_once_the_stage_holds_something_else(
    walk, essex_staff, essex_signatory
):
    """Even a change that reached the stage some other way: the sign-off covered less."""
    proposal = walk(through=Step.CONSULTATION)
    submission_sign_off(
        stage=stage_of(proposal, Step.SUBMISSION), confirmed=True, by=essex_signatory
    )
    attach_document(stage_of(proposal, Step.SUBMISSION), DocumentKind.OTHER, essex_staff)
    with refused_with(workflow.NOT_SIGNED_OFF):
        act(proposal, Step.SUBMISSION, "submit", essex_signatory)


def test_a_double_posted_legal_challenge_stays_flagged(client_for, proposal, reviewer):
    client = client_for(reviewer)
    url = reverse("proposals:legal-challenge", args=[proposal.pk])
    posted = {"reason": "Judicial review filed", "intended": "flag"}
    assert client.post(url, posted).status_code == 302
    second = client.post(url, posted)
    assert second.status_code == 200
    assert ALREADY_FLAGGED in second.content.decode()
    proposal.refresh_from_db()
    assert proposal.under_legal_challenge
    assert AuditEvent.objects.filter(action="proposal.legal_challenge").count() == 1


def test_lifting_a_challenge_twice_leaves_it_lifted(proposal, reviewer):
    proposal_set_legal_challenge(
        proposal=proposal, under_challenge=True, reason="Judicial review filed", by=reviewer
    )
    lift = {"under_challenge": False, "reason": "Dismissed", "by": reviewer}
    proposal_set_legal_challenge(proposal=proposal, **lift)
    with refused_with(ALREADY_CLEARED):
        proposal_set_legal_challenge(proposal=proposal, **lift)
    proposal.refresh_from_db()
    assert not proposal.under_legal_challenge


def run_while_holding(first, second):
    """Run `first` in a transaction in one thread and, while it holds its locks, start
    `second` in another; let `first` commit only once `second` is seen waiting for a lock
    in PostgreSQL. Returns what `second` returned or raised."""
    holding, release = threading.Event(), threading.Event()
    outcome = {}

    def hold():
        try:
            with transaction.atomic():
                first()
                holding.set()
                release.wait(timeout=30)
        finally:
            connection.close()

    def race():
        holding.wait(timeout=30)
        try:
            outcome["result"] = second()
        except workflow.TransitionRefused as refusal:
            outcome["refused"] = refusal.reasons
        finally:
            connection.close()

    threads = [threading.Thread(target=hold), threading.Thread(target=race)]
    for thread in threads:
        thread.start()
    holding.wait(timeout=30)
    with connection.cursor() as cursor:
        for _ in range(3000):
            cursor.execute(
                "SELECT count(*) FROM pg_stat_activity"
                " WHERE wait_event_type = 'Lock' AND datname = current_database()"
            )
            if cursor.fetchone()[0]:
                break
            time.sleep(0.01)  # polling PostgreSQL for the wait, not guessing how long
        else:
            pytest.fail("the second writer never waited for the first")
    release.set()
    for thread in threads:
        thread.join()
    return outcome


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_approve_waiting_for_a_withdrawal_is_refused_and_opens_nothing(
    proposal, essex_staff, reviewer
):
    complete_business_case(proposal, essex_staff)
    act(proposal, Step.BUSINESS_CASE, "submit", essex_staff)
    outcome = run_while_holding(
        lambda: proposal_transition(
            proposal=proposal, action="withdraw", reason="Not pursued", by=essex_staff
        ),
        lambda: act(proposal, Step.BUSINESS_CASE, "approve", reviewer),
    )
    assert outcome == {"refused": [PROPOSAL_NOT_ACTIVE.format(status="withdrawn")]}
    proposal.refresh_from_db()
    assert proposal.status == ProposalStatus.WITHDRAWN
    assert status(proposal, Step.BUSINESS_CASE) == StageStatus.SUBMITTED
    assert status(proposal, Step.CONSULTATION) == StageStatus.NOT_STARTED


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_withdrawal_waiting_for_an_approval_withdraws_the_approved_proposal(
    proposal, essex_staff, reviewer
):
    complete_business_case(proposal, essex_staff)
    act(proposal, Step.BUSINESS_CASE, "submit", essex_staff)
    run_while_holding(
        lambda: act(proposal, Step.BUSINESS_CASE, "approve", reviewer),
        lambda: proposal_transition(
            proposal=proposal, action="withdraw", reason="Not pursued", by=essex_staff
        ),
    )
    proposal.refresh_from_db()
    assert proposal.status == ProposalStatus.WITHDRAWN
    assert status(proposal, Step.BUSINESS_CASE) == StageStatus.APPROVED
    assert status(proposal, Step.CONSULTATION) == StageStatus.IN_PROGRESS
    actions = list(
        AuditEvent.objects.filter(proposal=proposal).order_by("pk").values_list("action", flat=True)
    )
    assert actions[-3:] == ["stage.approve", "stage.open", "proposal.withdraw"]
