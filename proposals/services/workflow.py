"""Moving stages and proposals through the workflow (proposals/workflow.py), with history.

Each service locks the row it changes, fires the transition (raising TransitionRefused with
the user's reasons when it may not happen), saves, records the audit event, and applies what
follows: approving a stage opens the next, skipping the independent assessment when no
consulted council objects; a completed decision that rejects the proposal closes it; a
completed order whose transfer date has come transfers it.
"""

from datetime import date

import rules
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import formats, timezone

from .. import messaging, workflow
from ..models import MessageEvent, Proposal, ProposalStatus, Stage, StageStatus, Step
from .audit import audit_record
from .messages import messages_dispatch

REASON_REQUIRED = "Enter the reasons"
DUE_DATE_REQUIRED = "Enter the due date"
NO_OBJECTION_SKIP_REASON = "No consulted council objected, so no independent assessment is needed."
SIGN_OFF_ONLY_SUBMISSION = "Only the submission to the Home Secretary is signed off."
SIGN_OFF_ONLY_OPEN = "The submission can only be signed off while it is in progress."


def _locked_stage(stage: Stage) -> Stage:
    return Stage.objects.select_for_update().select_related("proposal").get(pk=stage.pk)


def _locked_proposal(proposal: Proposal) -> Proposal:
    return Proposal.objects.select_for_update().get(pk=proposal.pk)


def _stage_label(stage: Stage) -> str:
    return Step(stage.step).label


def _record_stage(stage: Stage, *, by, action: str, before: str, reason: str = ""):
    return audit_record(
        actor=by,
        action=action,
        target=stage,
        proposal=stage.proposal,
        before={"stage": _stage_label(stage), "status": before},
        after={"stage": _stage_label(stage), "status": stage.status},
        reason=reason,
    )


@transaction.atomic
def stage_transition(*, stage: Stage, action: str, by, reason: str = "") -> Stage:
    """Fire one of workflow.STAGE_ACTIONS on `stage` as `by`, then what follows from it, and
    tell the people the hand-off concerns (the returned stage's `told` says who).

    Raises ValidationError when a reason is needed and missing, TransitionRefused when the
    workflow says no (with the reasons to show).
    """
    if action not in workflow.STAGE_ACTIONS:
        raise ValueError(action)
    stage = _locked_stage(stage)
    method = getattr(stage, action)
    needs_reason = action == "return_to_pcc"
    reason = reason.strip()
    if needs_reason and not reason:
        raise ValidationError({"reason": REASON_REQUIRED})
    before = stage.status
    workflow.fire(method, by, **({"reason": reason} if needs_reason else {}))
    stage.save()
    event = _record_stage(stage, by=by, action=f"stage.{action}", before=before, reason=reason)
    next_words = _after_approval(stage, by=by) if stage.status == StageStatus.APPROVED else ""
    told = STAGE_MESSAGES.get(action)
    if told:
        stage.told = messages_dispatch(
            event=told,
            audit_event=event,
            by=by,
            proposal=stage.proposal,
            stage=stage,
            next=next_words,
        )
    elif action == "revise" and stage.step == Step.SUBMISSION:
        stage.told = _ask_for_sign_off(stage, audit_event=event, by=by)
    return stage


#: The message each stage action sends (revising the submission asks again for sign-off).
STAGE_MESSAGES = {
    "submit": MessageEvent.STAGE_SUBMITTED,
    "return_to_pcc": MessageEvent.STAGE_RETURNED,
    "approve": MessageEvent.STAGE_APPROVED,
    "complete": MessageEvent.STAGE_APPROVED,
}
NEXT_STAGE_OPEN = "The {stage} stage is now open."


def _ask_for_sign_off(stage: Stage, *, audit_event, by) -> messaging.Told:
    return messages_dispatch(
        event=MessageEvent.SIGN_OFF_NEEDED,
        audit_event=audit_event,
        by=by,
        proposal=stage.proposal,
        stage=stage,
    )


def _after_approval(stage: Stage, *, by) -> str:
    """Apply what follows an approval; returns what the PCC is told of it ("" for nothing)."""
    proposal = stage.proposal
    if stage.step == Step.DECISION and workflow.decision_rejected(proposal):
        _proposal_system_transition(proposal, "reject")
        return ""
    if stage.step == Step.ORDER:
        _proposal_system_transition(proposal, "transfer", quietly=True)
        return ""
    next_stage = proposal.stages.get(step=stage.step + 1)
    if next_stage.step == Step.INDEPENDENT_ASSESSMENT and not workflow.council_objects(proposal):
        before = next_stage.status
        workflow.fire(next_stage.skip, reason=NO_OBJECTION_SKIP_REASON)
        next_stage.save()
        _record_stage(
            next_stage, by=None, action="stage.skip", before=before, reason=NO_OBJECTION_SKIP_REASON
        )
        next_stage = proposal.stages.get(step=Step.DECISION)
    before = next_stage.status
    workflow.fire(next_stage.open)
    next_stage.save()
    opened = _record_stage(next_stage, by=None, action="stage.open", before=before)
    if next_stage.step == Step.SUBMISSION:
        _ask_for_sign_off(next_stage, audit_event=opened, by=None)
    return NEXT_STAGE_OPEN.format(stage=messaging.stage_name(next_stage))


def _proposal_system_transition(proposal: Proposal, action: str, *, quietly=False) -> bool:
    """Fire a system transition on the proposal; with `quietly`, do nothing when it may not."""
    proposal = _locked_proposal(proposal)
    method = getattr(proposal, action)
    if quietly and workflow.blockers(method):
        return False
    before = proposal.status
    workflow.fire(method)
    proposal.save()
    audit_record(
        actor=None,
        action=f"proposal.{action}",
        target=proposal,
        proposal=proposal,
        before={"status": before},
        after={"status": proposal.status},
    )
    return True


@transaction.atomic
def proposal_transition(*, proposal: Proposal, action: str, by, reason: str) -> Proposal:
    """Withdraw, suspend or resume a proposal as `by`, with the reason recorded."""
    if action not in workflow.PROPOSAL_ACTIONS:
        raise ValueError(action)
    reason = reason.strip()
    if not reason:
        raise ValidationError({"reason": REASON_REQUIRED})
    proposal = _locked_proposal(proposal)
    before = proposal.status
    workflow.fire(getattr(proposal, action), by, reason=reason)
    proposal.save()
    event = audit_record(
        actor=by,
        action=f"proposal.{action}",
        target=proposal,
        proposal=proposal,
        before={"status": before},
        after={"status": proposal.status},
        reason=reason,
    )
    proposal.told = messages_dispatch(
        event=MessageEvent.PROPOSAL_STATUS,
        audit_event=event,
        by=by,
        proposal=proposal,
        status=proposal.get_status_display(),
        status_lower=proposal.get_status_display().lower(),
    )
    return proposal


@transaction.atomic
def submission_sign_off(*, stage: Stage, by) -> Stage:
    """The PCC signatory's formal decision to submit the proposal to the Home Secretary."""
    stage = _locked_stage(stage)
    if not rules.has_perm("proposals.sign_off_submission", by, stage.proposal):
        raise workflow.TransitionRefused([workflow.ONLY_SIGNATORY])
    if stage.step != Step.SUBMISSION:
        raise workflow.TransitionRefused([SIGN_OFF_ONLY_SUBMISSION])
    if stage.status != StageStatus.IN_PROGRESS or not stage.proposal.is_active:
        raise workflow.TransitionRefused([SIGN_OFF_ONLY_OPEN])
    stage.signed_off_by = by
    stage.signed_off_at = timezone.now()
    stage.save(update_fields=["signed_off_by", "signed_off_at", "updated_at"])
    event = audit_record(
        actor=by,
        action="stage.sign_off",
        target=stage,
        proposal=stage.proposal,
        after={"stage": _stage_label(stage), "signed_off_by": by.get_full_name() or str(by)},
    )
    stage.told = messages_dispatch(
        event=MessageEvent.SIGNED_OFF,
        audit_event=event,
        by=by,
        proposal=stage.proposal,
        stage=stage,
    )
    return stage


@transaction.atomic
def stage_set_due_date(*, stage: Stage, due_date: date | None, reason: str, by) -> Stage:
    """Set or move a stage's due date (Home Office reviewers), with the reason recorded."""
    stage = _locked_stage(stage)
    if not rules.has_perm("proposals.review_proposal", by, stage.proposal):
        raise workflow.TransitionRefused([workflow.ONLY_REVIEWERS])
    reason = reason.strip()
    if not reason:
        raise ValidationError({"reason": REASON_REQUIRED})
    if stage.is_closed or stage.proposal.is_finished:
        raise workflow.TransitionRefused(
            [workflow.NOT_FROM_THIS_STATE.format(status=stage.get_status_display().lower())]
        )
    before = stage.due_date
    stage.due_date = due_date
    stage.save(update_fields=["due_date", "updated_at"])
    event = audit_record(
        actor=by,
        action="stage.due_date",
        target=stage,
        proposal=stage.proposal,
        before={"stage": _stage_label(stage), "due_date": before.isoformat() if before else None},
        after={
            "stage": _stage_label(stage),
            "due_date": due_date.isoformat() if due_date else None,
        },
        reason=reason,
    )
    stage.told = messages_dispatch(
        event=MessageEvent.DUE_DATE_CHANGED,
        audit_event=event,
        by=by,
        proposal=stage.proposal,
        stage=stage,
        due=formats.date_format(due_date) if due_date else NO_DUE_DATE,
    )
    return stage


NO_DUE_DATE = "removed"
LEGAL_CHALLENGE_FLAGGED = "flagged {proposal} as under legal challenge: its deadlines are paused."
LEGAL_CHALLENGE_LIFTED = "lifted the legal challenge on {proposal}: its deadlines run again."


@transaction.atomic
def proposal_set_legal_challenge(*, proposal: Proposal, under_challenge: bool, reason: str, by):
    """Flag or clear a legal challenge (Home Office reviewers). A flag pauses the stages."""
    if not rules.has_perm("proposals.review_proposal", by, proposal):
        raise workflow.TransitionRefused([workflow.ONLY_REVIEWERS])
    reason = reason.strip()
    if not reason:
        raise ValidationError({"reason": REASON_REQUIRED})
    proposal = _locked_proposal(proposal)
    before = proposal.under_legal_challenge
    proposal.under_legal_challenge = under_challenge
    proposal.save(update_fields=["under_legal_challenge", "updated_at"])
    event = audit_record(
        actor=by,
        action="proposal.legal_challenge",
        target=proposal,
        proposal=proposal,
        before={"under_legal_challenge": before},
        after={"under_legal_challenge": under_challenge},
        reason=reason,
    )
    sentence = LEGAL_CHALLENGE_FLAGGED if under_challenge else LEGAL_CHALLENGE_LIFTED
    proposal.told = messages_dispatch(
        event=MessageEvent.LEGAL_CHALLENGE,
        audit_event=event,
        by=by,
        proposal=proposal,
        flagged="flagged" if under_challenge else "lifted",
        flagged_sentence=sentence.format(proposal=proposal.title),
    )
    return proposal


def proposals_transfer_due() -> int:
    """Transfer every active proposal whose order's transfer date has come. Run daily."""
    transferred = 0
    due = Proposal.objects.filter(
        status=ProposalStatus.ACTIVE,
        order__transfer_date__lte=timezone.localdate(),
        stages__step=Step.ORDER,
        stages__status=StageStatus.APPROVED,
    )
    for proposal in due:
        with transaction.atomic():
            transferred += _proposal_system_transition(proposal, "transfer", quietly=True)
    return transferred


CASE_OFFICER_NOT_REVIEWER = "Choose a Home Office reviewer as the case officer"
NOBODY = "nobody"


@transaction.atomic
def proposal_assign_case_officer(*, proposal: Proposal, officer, by) -> Proposal:
    """Make `officer` (an active reviewer, or None for nobody) the proposal's case officer, as
    a reviewer `by`. Recorded in the history; the new and the previous officer are told (not
    `by`); the proposal's `told` says who was."""
    if not rules.has_perm("proposals.review_proposal", by, proposal):
        raise workflow.TransitionRefused([workflow.ONLY_REVIEWERS])
    if officer is not None and not rules.has_perm("proposals.review_proposal", officer, proposal):
        raise ValidationError({"officer": CASE_OFFICER_NOT_REVIEWER})
    if officer is not None and not officer.is_active:
        raise ValidationError({"officer": CASE_OFFICER_NOT_REVIEWER})
    proposal = _locked_proposal(proposal)
    previous = proposal.case_officer
    proposal.case_officer = officer
    proposal.save(update_fields=["case_officer", "updated_at"])
    event = audit_record(
        actor=by,
        action="proposal.case_officer",
        target=proposal,
        proposal=proposal,
        before={"case_officer": str(previous) if previous else None},
        after={"case_officer": str(officer) if officer else None},
    )
    proposal.told = messages_dispatch(
        event=MessageEvent.CASE_OFFICER,
        audit_event=event,
        by=by,
        proposal=proposal,
        named=(officer, previous),
        officer=str(officer) if officer else NOBODY,
    )
    return proposal
