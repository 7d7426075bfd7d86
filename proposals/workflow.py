"""The statutory workflow in one file: every transition, who may fire it, what must hold first.

Read top to bottom:
  0. the route each governance model takes: which stages, in which order;
  1. what each stage must contain before it moves on (FRSA 2004 Sch A1);
  2. the guards: conditions with the sentence a user sees when one does not hold;
  3. the stage transitions (django-fsm-2 on the Stage model);
  4. the proposal transitions (withdraw, suspend, resume, reject, transfer);
  5. who may change a stage's content, and when; 5b. when a consultee may lodge a
     representation and the PCC respond to it;
  6. `blockers()` and `fire()`, which the services call.

A stage moves not_started -> in_progress -> submitted -> approved, or submitted -> returned ->
in_progress with the reviewer's reasons. PCCs submit their steps (Step.is_pcc_step); the Home
Office records and completes the rest (in_progress -> approved, or -> rejected for a decision
that rejects the proposal). Approving a stage opens the next on the proposal's route; the
independent assessment is skipped, with the reason recorded, when no consulted council objects;
approving the last stage completes a representation, and lets a transfer happen on the order's
transfer date. Services (proposals/services/workflow.py) save, audit and apply follow-ups;
submitting the submission stage also makes its submission pack current (services/pack.py), so
the Home Secretary always receives the pack of exactly what was submitted, frozen from then on.
"""

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, timedelta

import rules
from django.db import models
from django.utils import formats, timezone
from django_fsm import RETURN_VALUE, ConcurrentTransitionMixin, FSMField, transition

from .models.choices import (
    DecisionGround,
    GovernanceModel,
    Limb,
    LimbFinding,
    ProposalStatus,
    StageStatus,
    Step,
)

# --- 0. Routes ----------------------------------------------------------------------------------

#: The stages each governance model goes through, in order.
ROUTES = {
    # FRSA 2004 s.4A: the PCC becomes the fire and rescue authority by order.
    GovernanceModel.GOVERNANCE: (
        Step.BUSINESS_CASE,
        Step.CONSULTATION,
        Step.SUBMISSION,
        Step.INDEPENDENT_ASSESSMENT,
        Step.DECISION,
        Step.ORDER,
    ),
    # PCA 2017 s.7: the PCC joins the fire and rescue authority with its agreement (for a
    # combined authority, an order changing its combination scheme): no independent
    # assessment, no Home Secretary's decision, no transfer order.
    GovernanceModel.REPRESENTATION: (
        Step.BUSINESS_CASE,
        Step.FIRE_AUTHORITY_CONSULTATION,
        Step.FIRE_AUTHORITY_AGREEMENT,
    ),
    # FRSA 2004 s.4A with a s.4H order delegating fire functions to the chief constable, then
    # s.4I transfer schemes moving the fire staff to the chief constable.
    GovernanceModel.SINGLE_EMPLOYER: (
        Step.BUSINESS_CASE,
        Step.CONSULTATION,
        Step.SUBMISSION,
        Step.INDEPENDENT_ASSESSMENT,
        Step.DECISION,
        Step.ORDER,
        Step.STAFF_TRANSFER,
    ),
}


def route(governance_model: str) -> tuple[Step, ...]:
    return ROUTES[GovernanceModel(governance_model)]


def step_after(governance_model: str, step: int) -> Step | None:
    """The step that follows `step` on the model's route (None after the last)."""
    steps = route(governance_model)
    position = steps.index(step)
    return steps[position + 1] if position + 1 < len(steps) else None


def step_before(governance_model: str, step: int) -> Step | None:
    """The step that comes before `step` on the model's route (None for the first)."""
    steps = route(governance_model)
    position = steps.index(step)
    return steps[position - 1] if position else None


def ends_in_transfer(governance_model: str) -> bool:
    """Whether the route ends in a transfer of governance on the order's transfer date."""
    return Step.ORDER in route(governance_model)


MODEL_FIXED = (
    "The governance model can no longer be changed: the business case has been submitted to "
    "the Home Office. To propose another model, withdraw this proposal and start a new one."
)
MODEL_UNCHANGED = "This proposal is already for that model: choose another, or go back."


def model_change_blockers(proposal) -> list[str]:
    """Why the proposal's governance model may not change now (empty when it may): only while
    it is active and nothing has yet gone to the Home Office, because the later stages, and
    what the Home Office has seen, belong to the model's own route."""
    if proposal.status != ProposalStatus.ACTIVE:
        return [PROPOSAL_NOT_ACTIVE.format(status=proposal.get_status_display().lower())]
    for stage in proposal.stages.all():
        if stage.submitted_at is not None or (
            stage.step != Step.BUSINESS_CASE and stage.status != StageStatus.NOT_STARTED
        ):
            return [MODEL_FIXED]
    return []


# --- 1. What a stage must contain -------------------------------------------------------------

BUSINESS_CASE_DOCUMENT = "the business case document"
DUTIES_ADDRESSED = "at least one collaboration duty addressed, with evidence"
CONSULTATION_DETAILS = "the consultation's dates, number of responses and summary"
CONSULTATION_REPORT = "the consultation report document"
ASSESSMENT_DETAILS = "the assessor and the date of the assessment report"
ASSESSMENT_DOCUMENT = "the independent assessment document"
DECISION_DETAILS = "the Home Secretary's decision (approved or rejected) and its date"
DECISION_LETTER = "the decision letter document"
ORDER_DETAILS = (
    "the statutory instrument's number, made, laid and in-force dates and the transfer date"
)
FIRE_AUTHORITY_RESPONSE = "the fire and rescue authority's response to the consultation"
FIRE_AUTHORITY_AGREEMENT = (
    "the fire and rescue authority's agreement: its resolution, or for a combined fire "
    "authority the order changing its combination scheme"
)
TRANSFER_SCHEME = "the transfer scheme moving the fire staff to the chief constable (FRSA s.4I)"


def council_position_missing(council) -> str:
    return f"the position of {council.name}"


# FRSA 2004 s.4A(5) as Shropshire and Wrekin FA v SSHD [2019] EWHC 1967 (Admin) read it: the
# Home Secretary decides each limb on its own, and an approval rests on one of two grounds.
LIMB_MISSING = "the Home Secretary's finding and reasons on {limb}"
GROUND_MISSING = (
    "the ground the approval relies on: economy, efficiency and effectiveness, or public safety"
)
GROUND_NEEDS = "An approval on {ground} needs the finding on {limb} to be {needed}"
GROUND_NEEDS_MISSING = "the finding on {limb} that an approval on {ground} needs ({needed})"
IN_THE_INTERESTS = [LimbFinding.IN_THE_INTERESTS]
#: What an approval on each ground needs found on each limb (s.4A(5)(a) and (b)).
GROUND_REQUIRES = {
    DecisionGround.ECONOMY_EFFICIENCY_EFFECTIVENESS: {
        Limb.ECONOMY: IN_THE_INTERESTS,
        Limb.EFFICIENCY: IN_THE_INTERESTS,
        Limb.EFFECTIVENESS: IN_THE_INTERESTS,
        # (a) also: the Home Secretary does not think the order would harm public safety.
        Limb.PUBLIC_SAFETY: [LimbFinding.IN_THE_INTERESTS, LimbFinding.NO_ADVERSE_EFFECT],
    },
    DecisionGround.PUBLIC_SAFETY: {Limb.PUBLIC_SAFETY: IN_THE_INTERESTS},
}


def _needed_in_words(findings) -> str:
    return " or ".join(f"“{LimbFinding(finding).label.lower()}”" for finding in findings)


def ground_conflicts(*, ground: str, findings: dict, template: str = GROUND_NEEDS) -> dict:
    """{limb: sentence} for each limb found otherwise than an approval on `ground` needs
    (limbs with no finding yet are left to LIMB_MISSING)."""
    if not ground:
        return {}
    return {
        limb: template.format(
            ground=DecisionGround(ground).label.lower(),
            limb=limb.label.lower(),
            needed=_needed_in_words(needed),
        )
        for limb, needed in GROUND_REQUIRES[ground].items()
        if findings.get(limb) and findings[limb] not in needed
    }


def decision_missing(decision) -> list[str]:
    """What the decision record lacks before an approval or rejection can complete: a finding
    and reasons on every limb and, for an approval, a ground its findings bear out."""
    from .models import Decision

    if decision is None:
        return [LIMB_MISSING.format(limb=limb.label.lower()) for limb in Limb]
    missing = [
        LIMB_MISSING.format(limb=conclusion.limb.label.lower())
        for conclusion in decision.limbs
        if not conclusion.is_complete
    ]
    if decision.outcome != Decision.Outcome.APPROVED:
        return missing
    if not decision.ground:
        return [*missing, GROUND_MISSING]
    conflicts = ground_conflicts(
        ground=decision.ground, findings=decision.findings, template=GROUND_NEEDS_MISSING
    )
    return [*missing, *conflicts.values()]


@dataclass(frozen=True)
class Requirement:
    """What a step needs: its details record complete, and a document of one kind."""

    record: str | None  # the details record's name on Proposal (see services.drafting)
    record_missing: str
    document: str
    document_missing: str


def _requirements():
    from .models import DocumentKind

    return {
        Step.BUSINESS_CASE: Requirement(
            None, "", DocumentKind.BUSINESS_CASE, BUSINESS_CASE_DOCUMENT
        ),
        Step.CONSULTATION: Requirement(
            "consultation",
            CONSULTATION_DETAILS,
            DocumentKind.CONSULTATION_REPORT,
            CONSULTATION_REPORT,
        ),
        Step.INDEPENDENT_ASSESSMENT: Requirement(
            "assessment", ASSESSMENT_DETAILS, DocumentKind.ASSESSMENT, ASSESSMENT_DOCUMENT
        ),
        Step.DECISION: Requirement(
            "decision", DECISION_DETAILS, DocumentKind.DECISION_LETTER, DECISION_LETTER
        ),
        Step.ORDER: Requirement("order", ORDER_DETAILS, "", ""),
        Step.FIRE_AUTHORITY_CONSULTATION: Requirement(
            None, "", DocumentKind.FIRE_AUTHORITY_RESPONSE, FIRE_AUTHORITY_RESPONSE
        ),
        Step.FIRE_AUTHORITY_AGREEMENT: Requirement(
            None, "", DocumentKind.FIRE_AUTHORITY_AGREEMENT, FIRE_AUTHORITY_AGREEMENT
        ),
        Step.STAFF_TRANSFER: Requirement(None, "", DocumentKind.TRANSFER_SCHEME, TRANSFER_SCHEME),
    }


def missing_content(stage) -> list[str]:
    """What `stage` still lacks before it can be submitted or completed, in words for the user."""
    proposal = stage.proposal
    missing = []
    if stage.step == Step.BUSINESS_CASE:
        # FRSA 2004 Sch A1 para 1: the case must address economy, efficiency and effectiveness,
        # or public safety; we ask for every section so the options appraisal is complete.
        revision = proposal.revisions.order_by("-number").first()
        missing += [
            section.label.lower()
            for section in revision_sections_missing(revision, proposal.governance_model)
        ]
        if revision is None or not revision.duty_evidence.exists():
            missing.append(DUTIES_ADDRESSED)
    if stage.step == Step.CONSULTATION:
        stated = set(proposal.council_positions.values_list("local_authority_id", flat=True))
        missing += [
            council_position_missing(council)
            for council in proposal.pcc.local_authorities.all()
            if council.pk not in stated
        ]
    requirement = _requirements().get(stage.step)
    if requirement is None:
        return missing
    if requirement.record:
        record = getattr(proposal, requirement.record, None)
        if record is None or not record.is_complete:
            missing.insert(0, requirement.record_missing)
        if stage.step == Step.DECISION:
            missing += decision_missing(record)
    if requirement.document and not stage.documents.filter(kind=requirement.document).exists():
        missing.append(requirement.document_missing)
    return missing


def revision_sections_missing(revision, governance_model):
    """The sections a business case for `governance_model` needs that `revision` leaves
    empty (a single employer's includes the reasons for the s.4H order)."""
    from .models import business_case_sections

    return [
        section
        for section in business_case_sections(governance_model)
        if revision is None or not getattr(revision, section.field).strip()
    ]


def council_objects(proposal) -> bool:
    """FRSA 2004 s.4A: an independent assessment is needed when a consulted council objects."""
    from .models import CouncilPosition

    return proposal.council_positions.filter(position=CouncilPosition.Position.OBJECTS).exists()


# --- 2. Guards ----------------------------------------------------------------------------------

PROPOSAL_NOT_ACTIVE = "This proposal is {status}: nothing on it can move until it is active."
PAUSED_BY_LEGAL_CHALLENGE = (
    "This proposal is paused while it is under legal challenge: stages cannot move."
)
CONTENT_MISSING = "Before this stage can move on, add: {missing}."
NOT_SIGNED_OFF = "The PCC signatory must sign off the submission to the Home Secretary first."
NOT_A_PCC_STEP = "The Home Office records this stage; PCCs do not submit it."
NOT_A_HOME_OFFICE_STEP = "PCCs submit this stage for review; it is approved, not completed."
PREVIOUS_STAGE_OPEN = "The previous stage must be approved first."
A_COUNCIL_OBJECTS = "A consulted council objects, so the independent assessment is required."
NOT_TRANSFER_DAY = "The order's transfer date has not been reached."
DECISION_NOT_REJECTED = "The Home Secretary's decision is not a rejection."
AGREEMENT_NOT_APPROVED = (
    "Every stage of a representation, up to the fire authority's agreement, must be approved."
)
REPRESENTATION_COMPLETED = (
    "The fire and rescue authority agreed: the PCC is represented on it (Policing and Crime "
    "Act 2017 s.7)."
)

ONLY_PCC_PEOPLE = "Only staff and signatories of this proposal's PCC can do this."
ONLY_SIGNATORY = "Only the PCC signatory can sign off the submission."
ONLY_REVIEWERS = "Only Home Office reviewers can do this."


@dataclass(frozen=True)
class Guard:
    """A condition django-fsm checks before a transition, and what to tell a user when it fails."""

    holds: Callable
    reason: str | Callable

    def __call__(self, obj) -> bool:
        return self.holds(obj)

    def explain(self, obj) -> str:
        return self.reason(obj) if callable(self.reason) else self.reason


proposal_active = Guard(
    holds=lambda stage: stage.proposal.status == ProposalStatus.ACTIVE,
    reason=lambda stage: PROPOSAL_NOT_ACTIVE.format(
        status=stage.proposal.get_status_display().lower()
    ),
)
not_paused = Guard(
    holds=lambda stage: not stage.proposal.under_legal_challenge,
    reason=PAUSED_BY_LEGAL_CHALLENGE,
)
content_complete = Guard(
    holds=lambda stage: not missing_content(stage),
    reason=lambda stage: CONTENT_MISSING.format(missing="; ".join(missing_content(stage))),
)


def sign_off_coverage(stage) -> dict:
    """What a sign-off of `stage` covers: the latest business case revision and the checksum
    of every document on the stage. A sign-off given for anything else no longer counts.
    The submission pack is not covered: it is made from the record, sign-off included."""
    from .models import DocumentKind

    revision = stage.proposal.revisions.order_by("-number").values_list("number", flat=True)
    documents = stage.documents.exclude(kind=DocumentKind.SUBMISSION_PACK)
    return {
        "business_case_revision": revision.first() or 0,
        "documents": sorted(documents.values_list("sha256", flat=True)),
    }


signed_off_if_submission = Guard(
    holds=lambda stage: (
        stage.step != Step.SUBMISSION
        or (stage.signed_off_at is not None and stage.sign_off_covers == sign_off_coverage(stage))
    ),
    reason=NOT_SIGNED_OFF,
)
pcc_step = Guard(holds=lambda stage: Step(stage.step).is_pcc_step, reason=NOT_A_PCC_STEP)
home_office_step = Guard(
    holds=lambda stage: not Step(stage.step).is_pcc_step, reason=NOT_A_HOME_OFFICE_STEP
)


def _previous_stage_passed(stage) -> bool:
    previous = step_before(stage.proposal.governance_model, stage.step)
    return previous is None or stage.proposal.stages.get(step=previous).is_passed


previous_stage_passed = Guard(holds=_previous_stage_passed, reason=PREVIOUS_STAGE_OPEN)
no_council_objects = Guard(
    holds=lambda stage: (
        stage.step == Step.INDEPENDENT_ASSESSMENT and not council_objects(stage.proposal)
    ),
    reason=A_COUNCIL_OBJECTS,
)


def may_draft(stage, user) -> bool:
    return rules.has_perm("proposals.draft_proposal", user, stage.proposal)


def may_review(stage, user) -> bool:
    return rules.has_perm("proposals.review_proposal", user, stage.proposal)


# --- 3. Stage transitions -----------------------------------------------------------------------

LIVE = [proposal_active, not_paused]


class StageWorkflow(ConcurrentTransitionMixin, models.Model):
    """Stage status and its transitions. Two people moving one stage at once: the second fails
    (ConcurrentTransition) instead of silently overwriting the first."""

    status = FSMField(choices=StageStatus.choices, default=StageStatus.NOT_STARTED, protected=True)

    class Meta:
        abstract = True

    @transition(
        field="status",
        source=StageStatus.NOT_STARTED,
        target=StageStatus.IN_PROGRESS,
        conditions=[proposal_active, previous_stage_passed],
        custom={"label": "Open", "system": True},
    )
    def open(self):
        self.started_at = timezone.now()

    @transition(
        field="status",
        source=StageStatus.NOT_STARTED,
        target=StageStatus.SKIPPED,
        conditions=[proposal_active, previous_stage_passed, no_council_objects],
        custom={"label": "Skip", "system": True},
    )
    def skip(self, *, reason: str):
        self.skip_reason = reason
        self.closed_at = timezone.now()

    @transition(
        field="status",
        source=StageStatus.IN_PROGRESS,
        target=StageStatus.SUBMITTED,
        conditions=[*LIVE, pcc_step, content_complete, signed_off_if_submission],
        permission=may_draft,
        custom={"label": "Submit for review", "refused": ONLY_PCC_PEOPLE},
    )
    def submit(self):
        self.submitted_at = timezone.now()
        self.return_reasons = ""

    @transition(
        field="status",
        source=StageStatus.SUBMITTED,
        target=StageStatus.APPROVED,
        conditions=LIVE,
        permission=may_review,
        custom={"label": "Approve", "refused": ONLY_REVIEWERS},
    )
    def approve(self):
        self.closed_at = timezone.now()

    @transition(
        field="status",
        source=StageStatus.SUBMITTED,
        target=StageStatus.RETURNED,
        conditions=LIVE,
        permission=may_review,
        custom={"label": "Return with reasons", "refused": ONLY_REVIEWERS, "needs_reason": True},
    )
    def return_to_pcc(self, *, reason: str):
        self.return_reasons = reason

    @transition(
        field="status",
        source=StageStatus.RETURNED,
        target=StageStatus.IN_PROGRESS,
        conditions=[proposal_active],
        permission=may_draft,
        custom={"label": "Revise this stage", "refused": ONLY_PCC_PEOPLE},
    )
    def revise(self):
        # A revised submission needs a fresh sign-off.
        self.clear_sign_off()

    @transition(
        field="status",
        source=StageStatus.IN_PROGRESS,
        target=RETURN_VALUE(StageStatus.APPROVED, StageStatus.REJECTED),
        conditions=[*LIVE, home_office_step, content_complete],
        permission=may_review,
        custom={"label": "Mark as complete", "refused": ONLY_REVIEWERS},
    )
    def complete(self):
        self.closed_at = timezone.now()
        # FRSA 2004 s.4A(5): the Home Secretary may refuse the order; the stage says so.
        if self.step == Step.DECISION and decision_rejected(self.proposal):
            return StageStatus.REJECTED
        return StageStatus.APPROVED

    SIGN_OFF_FIELDS = ["signed_off_by", "signed_off_at", "sign_off_covers"]

    def clear_sign_off(self):
        self.signed_off_by = None
        self.signed_off_at = None
        self.sign_off_covers = {}


# --- 4. Proposal transitions --------------------------------------------------------------------


def route_passed(proposal) -> bool:
    """Every stage of the proposal's route approved (or skipped)."""
    return all(stage.is_passed for stage in proposal.stages.all())


def transfer_date_reached(proposal) -> bool:
    """The route is done (for a single employer, the staff transfer too) and the order's
    transfer date has come."""
    order = getattr(proposal, "order", None)
    return (
        ends_in_transfer(proposal.governance_model)
        and route_passed(proposal)
        and order is not None
        and order.transfer_date is not None
        and order.transfer_date <= timezone.localdate()
    )


def representation_agreed(proposal) -> bool:
    """A representation's route is done: the fire authority has agreed (PCA 2017 s.7)."""
    return not ends_in_transfer(proposal.governance_model) and route_passed(proposal)


def decision_rejected(proposal) -> bool:
    from .models import Decision

    decision = getattr(proposal, "decision", None)
    return decision is not None and decision.outcome == Decision.Outcome.REJECTED


def may_draft_proposal(proposal, user) -> bool:
    return rules.has_perm("proposals.draft_proposal", user, proposal)


class ProposalWorkflow(ConcurrentTransitionMixin, models.Model):
    status = FSMField(choices=ProposalStatus.choices, default=ProposalStatus.ACTIVE, protected=True)

    class Meta:
        abstract = True

    @transition(
        field="status",
        source=[ProposalStatus.ACTIVE, ProposalStatus.SUSPENDED],
        target=ProposalStatus.WITHDRAWN,
        permission=may_draft_proposal,
        custom={
            "label": "Withdraw this proposal",
            "refused": ONLY_PCC_PEOPLE,
            "needs_reason": True,
        },
    )
    def withdraw(self, *, reason: str):
        self.status_reason = reason

    @transition(
        field="status",
        source=ProposalStatus.ACTIVE,
        target=ProposalStatus.SUSPENDED,
        permission=may_draft_proposal,
        custom={"label": "Suspend this proposal", "refused": ONLY_PCC_PEOPLE, "needs_reason": True},
    )
    def suspend(self, *, reason: str):
        self.status_reason = reason

    @transition(
        field="status",
        source=ProposalStatus.SUSPENDED,
        target=ProposalStatus.ACTIVE,
        permission=may_draft_proposal,
        custom={"label": "Resume this proposal", "refused": ONLY_PCC_PEOPLE, "needs_reason": True},
    )
    def resume(self, *, reason: str):
        self.status_reason = ""

    @transition(
        field="status",
        source=ProposalStatus.ACTIVE,
        target=ProposalStatus.REJECTED,
        conditions=[Guard(holds=decision_rejected, reason=DECISION_NOT_REJECTED)],
        custom={"label": "Reject", "system": True},
    )
    def reject(self):
        self.status_reason = "The Home Secretary rejected the proposal."

    @transition(
        field="status",
        source=ProposalStatus.ACTIVE,
        target=ProposalStatus.TRANSFERRED,
        conditions=[Guard(holds=transfer_date_reached, reason=NOT_TRANSFER_DAY)],
        custom={"label": "Transfer", "system": True},
    )
    def transfer(self):
        self.status_reason = ""

    @transition(
        field="status",
        source=ProposalStatus.ACTIVE,
        target=ProposalStatus.COMPLETED,
        conditions=[Guard(holds=representation_agreed, reason=AGREEMENT_NOT_APPROVED)],
        custom={"label": "Complete", "system": True},
    )
    def complete(self):
        self.status_reason = REPRESENTATION_COMPLETED


# --- 5. Editing a stage's content ------------------------------------------------------------

EDITING_CLOSED = "This stage can be changed only while it is in progress."
#: Why a stage's content cannot be changed in its current status, in words people act on.
STAGE_LOCKED = {
    StageStatus.NOT_STARTED: "This stage has not started yet: it opens when the previous stage "
    "is approved.",
    StageStatus.SUBMITTED: "This stage is locked while it is with the Home Office for review. "
    "You can change it again if they return it to you.",
    StageStatus.RETURNED: "This stage was returned by the Home Office: choose “Revise this "
    "stage” on the stage page before changing it.",
    StageStatus.APPROVED: "This stage has been approved, so it can no longer be changed.",
    StageStatus.SKIPPED: "This stage was skipped, so there is nothing to change.",
}
#: While documents can still be removed or replaced: before the stage goes to the Home Office,
#: and after it comes back (a wrong document is then the first thing to put right).
DOCUMENTS_CHANGEABLE = (StageStatus.IN_PROGRESS, StageStatus.RETURNED)


def may_ever_edit(stage, user) -> bool:
    """Whether `user`'s role lets them change `stage`'s content at some point: PCC people
    their PCC's steps, reviewers the Home Office's, and an assigned independent assessor the
    independent assessment. Others are refused outright (403)."""
    if Step(stage.step).is_pcc_step:
        permission = "proposals.draft_proposal"
    elif stage.step == Step.INDEPENDENT_ASSESSMENT:
        permission = "proposals.record_assessment"
    else:
        permission = "proposals.review_proposal"
    return rules.has_perm(permission, user, stage.proposal)


def edit_blockers(stage, user, *, statuses=(StageStatus.IN_PROGRESS,)) -> list[str]:
    """Why `user` may not change `stage`'s content or documents now (empty when they may).

    PCC people edit the PCC's steps, reviewers record the Home Office's; only while the stage
    is in one of `statuses` (in progress: a returned stage is revised first) and the proposal
    is active.
    """
    if not may_ever_edit(stage, user):
        return [ONLY_PCC_PEOPLE if Step(stage.step).is_pcc_step else ONLY_REVIEWERS]
    if not proposal_active(stage):
        return [proposal_active.explain(stage)]
    if stage.status not in statuses:
        return [STAGE_LOCKED.get(stage.status, EDITING_CLOSED)]
    return []


PACK_IS_GENERATED = (
    "The submission pack is made by the portal from the record: regenerate it instead."
)


def document_change_blockers(document, user) -> list[str]:
    """Why `user` may not remove or replace `document` now (empty when they may): as for
    editing its stage, but also while the stage is back with the PCC, never once submitted.
    The submission pack is never changed by hand."""
    if document.stage is None:
        return [EDITING_CLOSED]
    if document.representation_id is not None:
        # What a council or fire authority lodged is theirs: the PCC it answers never changes it.
        return [REPRESENTATION_DOCUMENT_FIXED]
    if document.is_generated:
        return [PACK_IS_GENERATED]
    return edit_blockers(document.stage, user, statuses=DOCUMENTS_CHANGEABLE)


# --- 5b. Representations and the PCC's responses --------------------------------------------

ONLY_CONSULTEES = (
    "Only an officer of a council or fire and rescue authority in this police area can lodge "
    "its representation."
)
REPRESENTATIONS_CLOSED = (
    "Representations can be lodged or changed only while the consultation is in progress."
)
RESPONSES_CLOSED = (
    "Responses can be recorded or changed only until the submission to the Home Secretary is "
    "sent for review."
)
REPRESENTATION_DOCUMENT_FIXED = (
    "This document is part of a body's representation: only that body can add to it."
)
#: The submission's statuses in which the PCC may still answer a representation.
RESPONSES_OPEN = (StageStatus.NOT_STARTED, StageStatus.IN_PROGRESS)


NO_PUBLIC_CONSULTATION = (
    "This proposal's route has no consultation of the councils: a representation-model proposal "
    "is agreed with the fire and rescue authority itself."
)


def representation_blockers(proposal, user) -> list[str]:
    """Why `user` may not lodge or change their body's representation now (empty when they may).

    FRSA 2004 Sch A1: the PCC consults the upper-tier councils and the fire and rescue
    authority, and the Home Secretary has regard to what they say. A consultee speaks for their
    own body, on a proposal of their police area, while its consultation is in progress.
    """
    if not rules.has_perm("proposals.lodge_representation", user, proposal):
        return [ONLY_CONSULTEES]
    consultation = proposal.stages.filter(step=Step.CONSULTATION).first()
    if consultation is None:
        return [NO_PUBLIC_CONSULTATION]
    if not proposal_active(consultation):
        return [proposal_active.explain(consultation)]
    if consultation.status != StageStatus.IN_PROGRESS:
        return [REPRESENTATIONS_CLOSED]
    return []


def response_blockers(proposal, user) -> list[str]:
    """Why `user` may not record or change the PCC's responses to the representations on
    `proposal` now: the PCC's people answer each one until the submission goes to the Home
    Office (the responses go with it)."""
    if not rules.has_perm("proposals.respond_to_representation", user, proposal):
        return [ONLY_PCC_PEOPLE]
    submission = proposal.stages.get(step=Step.SUBMISSION)
    if not proposal_active(submission):
        return [proposal_active.explain(submission)]
    if submission.status not in RESPONSES_OPEN:
        return [RESPONSES_CLOSED]
    return []


# --- 6. Checking and firing -------------------------------------------------------------------


class TransitionRefused(Exception):
    """A transition was asked for that may not happen; `reasons` say why, in the user's words."""

    def __init__(self, reasons: list[str]):
        super().__init__("; ".join(reasons))
        self.reasons = reasons


NOT_FROM_THIS_STATE = "This cannot be done while it is {status}."


def _meta(bound_method):
    instance = bound_method.__self__
    meta = bound_method._django_fsm
    return instance, meta.get_transition(meta.field.get_state(instance))


def blockers(bound_method, user=None) -> list[str]:
    """Why `user` may not fire the transition now (empty when they may). System transitions
    are checked with no user."""
    instance, fsm_transition = _meta(bound_method)
    if fsm_transition is None:
        return [NOT_FROM_THIS_STATE.format(status=instance.get_status_display().lower())]
    if user is not None and not fsm_transition.has_perm(instance, user):
        return [fsm_transition.custom.get("refused", ONLY_REVIEWERS)]
    return [
        condition.explain(instance)
        for condition in fsm_transition.conditions
        if not condition(instance)
    ]


def fire(bound_method, user=None, **kwargs):
    """Run the transition if `user` may, else raise TransitionRefused with the reasons."""
    reasons = blockers(bound_method, user)
    if reasons:
        raise TransitionRefused(reasons)
    return bound_method(**kwargs)


def may_ever(bound_method, user) -> bool:
    """Whether `user`'s role allows this transition at all, whatever the state now: those who
    may not are refused outright (403); the rest are told why not now."""
    instance = bound_method.__self__
    return any(
        fsm_transition.has_perm(instance, user)
        for fsm_transition in bound_method._django_fsm.transitions.values()
    )


def refused_reason(bound_method) -> str:
    """Why a role that `may_ever` refuses is refused, in words (for a 403 that says why)."""
    return next(
        (
            fsm_transition.custom["refused"]
            for fsm_transition in bound_method._django_fsm.transitions.values()
            if "refused" in fsm_transition.custom
        ),
        ONLY_REVIEWERS,
    )


def label(bound_method) -> str:
    return bound_method._django_fsm.get_transition(
        bound_method._django_fsm.field.get_state(bound_method.__self__)
    ).custom["label"]


#: Actions people take on a stage from its page, in the order buttons are shown.
STAGE_ACTIONS = ("submit", "approve", "return_to_pcc", "revise", "complete")
#: Actions PCC people take on a whole proposal.
PROPOSAL_ACTIONS = ("withdraw", "suspend", "resume")


#: Conditions that decide whether an action belongs on a page at all, not whether it may go yet.
STRUCTURAL = (pcc_step, home_office_step, proposal_active)


def available_actions(obj, user, names) -> list[str]:
    """The named transitions `user` could fire on `obj` from its current state: the buttons to
    show. Conditions still unmet (missing content, a pause) are explained when pressed."""
    available = []
    for name in names:
        instance, fsm_transition = _meta(getattr(obj, name))
        if (
            fsm_transition is not None
            and fsm_transition.has_perm(instance, user)
            and all(c(instance) for c in fsm_transition.conditions or () if c in STRUCTURAL)
        ):
            available.append(name)
    return available


# --- 7. After the order: the implementation checklist -------------------------------------------

#: Days after the transfer date each item is due by default; the Home Office moves them per
#: proposal. The title and the panel come with the order itself (FRSA 2004 Sch A2), the schemes
#: within a month; a chief fire officer within six months and the first fire and rescue plan
#: within a year are the portal's planning defaults, not statutory deadlines. The first precept
#: is due by the next 1 March (FIRST_PRECEPT_DUE), when precepts for the coming year are issued.
CHECKLIST_DAYS_AFTER_TRANSFER = {
    "transfer_schemes": 30,
    "pfcc_title": 0,
    "panel": 0,
    "fire_plan": 365,
    "chief_fire_officer": 182,
}
FIRST_PRECEPT_DUE = (3, 1)  # Local Government Finance Act 1992 s.40: issued before 1 March
#: The models whose order makes the PCC the fire and rescue authority (FRSA 2004 s.4A), and so
#: a PFCC with a panel, a plan and a precept to put in place. Under representation (PCA 2017
#: s.7) the PCC only joins the existing authority: there is no checklist.
CHECKLIST_MODELS = (GovernanceModel.GOVERNANCE, GovernanceModel.SINGLE_EMPLOYER)

CHECKLIST_ONLY_TRANSFERRED = (
    "The implementation checklist is kept only once governance has transferred."
)
CHECKLIST_ALREADY_DONE = "This was recorded as done on {date}: there is nothing left to record."
CHECKLIST_DONE_IN_FUTURE = "The date it was done must be today or in the past"
CHECKLIST_DONE_BEFORE_ORDER = (
    "The date it was done must be on or after the day the order was made, {date}"
)
CHECKLIST_EVIDENCE_REQUIRED = "Select the document that shows it was done"


def checklist_due_dates(transfer_date) -> dict:
    """When each checklist item is due by default, counted from the order's transfer date."""
    from .models import ChecklistItemKind

    month, day = FIRST_PRECEPT_DUE
    precept_due = date(transfer_date.year, month, day)
    if precept_due <= transfer_date:
        precept_due = date(transfer_date.year + 1, month, day)
    due = {
        kind: transfer_date + timedelta(days=days)
        for kind, days in CHECKLIST_DAYS_AFTER_TRANSFER.items()
    }
    due[ChecklistItemKind.FIRE_PRECEPT] = precept_due
    return {ChecklistItemKind(kind): due[kind] for kind in ChecklistItemKind}


def checklist_item_blockers(item, user) -> list[str]:
    """Why `user` may not record `item` as done now (empty when they may): PCC people of the
    proposal's PCC, on a transferred proposal, for an item not yet done."""
    if not rules.has_perm("proposals.record_implementation", user, item.proposal):
        return [ONLY_PCC_PEOPLE]
    if item.proposal.status != ProposalStatus.TRANSFERRED:
        return [CHECKLIST_ONLY_TRANSFERRED]
    if item.is_done:
        return [CHECKLIST_ALREADY_DONE.format(date=formats.date_format(item.done_on))]
    return []
