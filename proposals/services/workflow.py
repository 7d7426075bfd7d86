"""Moving stages and proposals through the workflow (proposals/workflow.py), with history.

Each service locks the row it changes, fires the transition (raising TransitionRefused with
the user's reasons when it may not happen), saves, records the audit event, and applies what
follows: approving a stage opens the next on the proposal's route, skipping the independent
assessment when no consulted council objects; a decision stage completed as rejected closes the
proposal; the last stage of a representation completes it; the last stage of a transfer route
(the order, or a single employer's staff transfer) transfers it once the transfer date has come,
and opens its implementation checklist (services.implementation).
"""

from datetime import date

import rules
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import formats, timezone

from .. import messaging, selectors, workflow
from ..models import MessageEvent, Proposal, ProposalStatus, Stage, StageStatus, Step
from .audit import audit_record
from .messages import messages_dispatch

REASON_REQUIRED = "Enter the reasons"
DUE_DATE_REQUIRED = "Enter the due date"
NO_OBJECTION_SKIP_REASON = "No consulted council objected, so no independent assessment is needed."
SIGN_OFF_ONLY_SUBMISSION = "Only the submission to the Home Secretary is signed off."
SIGN_OFF_ONLY_OPEN = "The submission can only be signed off while it is in progress."
SIGN_OFF_CLEARED = "The stage changed after it was signed off: {change}."
ALREADY_FLAGGED = "The proposal is already flagged as under legal challenge."
ALREADY_CLEARED = "The proposal is not under legal challenge: there is nothing to clear."
SIGN_OFF_ALREADY = "The submission has already been signed off."
SIGN_OFF_NOT_CONFIRMED = "Confirm that you are signing off this submission to the Home Secretary"
DUE_DATE_PAST = (
    "The due date is in the past. Check it, or confirm that you want to set a due date that "
    "has already passed"
)


def stage_locked(stage: Stage) -> Stage:
    """Lock the stage's proposal, then the stage. Every service that changes both takes them
    in this order (a proposal transition locks the proposal), so an approval racing a
    withdrawal waits for it, sees the proposal as it now is, and neither deadlocks."""
    proposal = Proposal.objects.select_for_update().get(pk=stage.proposal_id)
    locked = Stage.objects.select_for_update(of=("self",)).get(pk=stage.pk)
    locked.proposal = proposal
    return locked


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
    workflow says no (with the reasons to show). Submitting the submission stage makes its
    submission pack current (services/pack.py).
    """
    if action not in workflow.STAGE_ACTIONS:
        raise ValueError(action)
    stage = stage_locked(stage)
    method = getattr(stage, action)
    needs_reason = action == "return_to_pcc"
    reason = reason.strip()
    if needs_reason and not reason:
        raise ValidationError({"reason": REASON_REQUIRED})
    before = stage.status
    workflow.fire(method, by, **({"reason": reason} if needs_reason else {}))
    stage.save()
    if action == "submit" and stage.step == Step.SUBMISSION:
        # Imported here: the pack's service builds on this module's locking.
        from .pack import submission_pack_make_current

        submission_pack_make_current(stage=stage, by=by)
    event = _record_stage(stage, by=by, action=f"stage.{action}", before=before, reason=reason)
    next_words = ""
    if stage.status == StageStatus.REJECTED:
        _proposal_system_transition(stage.proposal, "reject")
        next_words = PROPOSAL_REJECTED
    elif stage.status == StageStatus.APPROVED:
        next_words = _after_approval(stage, by=by)
    told = STAGE_MESSAGES.get(action)
    if told:
        stage.told = messages_dispatch(
            event=told,
            audit_event=event,
            by=by,
            proposal=stage.proposal,
            stage=stage,
            done=STAGE_DONE.get(action, ""),
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
#: What the PCC is told was done to the stage, and what followed.
STAGE_DONE = {"approve": "approved", "complete": "completed"}
NEXT_STAGE_OPEN = "The {stage} stage is now open."
PROPOSAL_REJECTED = "The Home Secretary refused the order, so the proposal is closed as rejected."
REPRESENTATION_COMPLETE = (
    "That was the last stage: the fire and rescue authority has agreed, so the proposal is "
    "complete."
)


def _ask_for_sign_off(stage: Stage, *, audit_event, by) -> messaging.Told:
    return messages_dispatch(
        event=MessageEvent.SIGN_OFF_NEEDED,
        audit_event=audit_event,
        by=by,
        proposal=stage.proposal,
        stage=stage,
    )


def _after_approval(stage: Stage, *, by) -> str:
    """Apply what follows an approval on the proposal's route; returns what the PCC is told
    of it ("" for nothing): the next stage opens, or after the last a representation is
    complete and a transfer happens (now, or on the order's transfer date)."""
    proposal = stage.proposal
    model = proposal.governance_model
    next_step = workflow.step_after(model, stage.step)
    if next_step is None:
        if workflow.ends_in_transfer(model):
            _proposal_system_transition(proposal, "transfer", quietly=True)
            return ""
        _proposal_system_transition(proposal, "complete")
        return REPRESENTATION_COMPLETE
    next_stage = proposal.stages.get(step=next_step)
    if next_stage.step == Step.INDEPENDENT_ASSESSMENT and not workflow.council_objects(proposal):
        before = next_stage.status
        workflow.fire(next_stage.skip, reason=NO_OBJECTION_SKIP_REASON)
        next_stage.save()
        _record_stage(
            next_stage, by=None, action="stage.skip", before=before, reason=NO_OBJECTION_SKIP_REASON
        )
        next_stage = proposal.stages.get(step=workflow.step_after(model, next_stage.step))
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
    if action == "transfer":
        # Imported here: the checklist's evidence goes through services.documents, which
        # imports this module.
        from .implementation import checklist_create

        checklist_create(proposal=proposal)
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
def submission_sign_off(*, stage: Stage, confirmed: bool, by) -> Stage:
    """The PCC signatory's formal decision to submit the proposal to the Home Secretary.

    `confirmed` is the signatory's declaration, made having seen what is signed
    (selectors.submission_package): without it, ValidationError on `confirmed`. The audit
    event records the business case revision and the documents (with checksums) signed off.
    """
    stage = stage_locked(stage)
    if not rules.has_perm("proposals.sign_off_submission", by, stage.proposal):
        raise workflow.TransitionRefused([workflow.ONLY_SIGNATORY])
    if stage.step != Step.SUBMISSION:
        raise workflow.TransitionRefused([SIGN_OFF_ONLY_SUBMISSION])
    if stage.status != StageStatus.IN_PROGRESS or not stage.proposal.is_active:
        raise workflow.TransitionRefused([SIGN_OFF_ONLY_OPEN])
    if stage.signed_off_at is not None:
        raise workflow.TransitionRefused([SIGN_OFF_ALREADY])
    if not confirmed:
        raise ValidationError({"confirmed": SIGN_OFF_NOT_CONFIRMED})
    package = selectors.submission_package(proposal=stage.proposal)
    stage.signed_off_by = by
    stage.signed_off_at = timezone.now()
    stage.sign_off_covers = workflow.sign_off_coverage(stage)
    stage.save(update_fields=[*Stage.SIGN_OFF_FIELDS, "updated_at"])
    event = audit_record(
        actor=by,
        action="stage.sign_off",
        target=stage,
        proposal=stage.proposal,
        after={
            "stage": _stage_label(stage),
            "signed_off_by": by.get_full_name() or str(by),
            "covers": stage.sign_off_covers,
            "revision": package.revision.number if package.revision else None,
            "documents": [document.original_name for document in package.documents],
            "sha256": [document.sha256 for document in package.documents],
        },
    )
    stage.told = messages_dispatch(
        event=MessageEvent.SIGNED_OFF,
        audit_event=event,
        by=by,
        proposal=stage.proposal,
        stage=stage,
    )
    return stage


def stage_sign_off_clear(*, stage: Stage, by, because: str) -> None:
    """A sign-off covers the stage as it was: every service that changes a stage calls this
    (with the stage locked) so that any change clears it, and the signatory signs again."""
    if stage.signed_off_at is None:
        return
    before = {
        "stage": _stage_label(stage),
        "signed_off_by": str(stage.signed_off_by),
        "covers": stage.sign_off_covers,
    }
    stage.clear_sign_off()
    stage.save(update_fields=[*Stage.SIGN_OFF_FIELDS, "updated_at"])
    audit_record(
        actor=by,
        action="stage.sign_off_cleared",
        target=stage,
        proposal=stage.proposal,
        before=before,
        after={"stage": _stage_label(stage), "signed_off_by": None},
        reason=SIGN_OFF_CLEARED.format(change=because),
    )


@transaction.atomic
def stage_set_due_date(
    *, stage: Stage, due_date: date | None, reason: str, by, past_confirmed: bool = False
) -> Stage:
    """Set or move a stage's due date (Home Office reviewers), with the reason recorded.

    A date before today (in London) is a likely slip, and makes the stage overdue at once: it
    is refused (ValidationError on `due_date`) unless `past_confirmed`.
    """
    stage = stage_locked(stage)
    if not rules.has_perm("proposals.review_proposal", by, stage.proposal):
        raise workflow.TransitionRefused([workflow.ONLY_REVIEWERS])
    reason = reason.strip()
    if not reason:
        raise ValidationError({"reason": REASON_REQUIRED})
    if due_date and due_date < timezone.localdate() and not past_confirmed:
        raise ValidationError({"due_date": DUE_DATE_PAST})
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
    """Flag (`under_challenge`) or clear a legal challenge (Home Office reviewers). A flag
    pauses the stages. Asking for the state the proposal is already in is refused, compared
    under the row lock, so a double-posted form never undoes itself."""
    if not rules.has_perm("proposals.review_proposal", by, proposal):
        raise workflow.TransitionRefused([workflow.ONLY_REVIEWERS])
    reason = reason.strip()
    if not reason:
        raise ValidationError({"reason": REASON_REQUIRED})
    proposal = _locked_proposal(proposal)
    before = proposal.under_legal_challenge
    if before == under_challenge:
        raise workflow.TransitionRefused([ALREADY_FLAGGED if before else ALREADY_CLEARED])
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
    """Transfer every active proposal whose route is done and whose order's transfer date has
    come. Run daily."""
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
