"""The vocabulary of proposals and stages, shared by the models and the workflow."""

from django.db import models


class GovernanceModel(models.TextChoices):
    # PCA 2017 s.7: the PCC sits on the fire and rescue authority, with its consent.
    REPRESENTATION = "representation", "Representation"
    # FRSA 2004 s.4A: the PCC becomes the fire and rescue authority (a PFCC).
    GOVERNANCE = "governance", "Governance"
    # FRSA 2004 s.4A with s.4H: fire functions delegated to the chief constable.
    SINGLE_EMPLOYER = "single_employer", "Single employer"


class Limb(models.TextChoices):
    """The limbs of the statutory test a proposal is decided on (FRSA 2004 s.4A(5); Sch A1
    para 1). Shropshire and Wrekin FA v SSHD [2019] EWHC 1967 (Admin): economy, efficiency and
    effectiveness are each considered on their own, not "in the round"."""

    ECONOMY = "economy", "Economy"
    EFFICIENCY = "efficiency", "Efficiency"
    EFFECTIVENESS = "effectiveness", "Effectiveness"
    PUBLIC_SAFETY = "public_safety", "Public safety"


class LimbFinding(models.TextChoices):
    """What the Home Secretary found, or the independent assessor concluded, on one limb."""

    IN_THE_INTERESTS = "in_the_interests", "In the interests of"
    NOT_SHOWN = "not_shown", "Not shown to be in the interests of"
    # FRSA 2004 s.4A(5)(a): an approval on economy, efficiency and effectiveness also needs
    # the Home Secretary not to think the order would have an adverse effect on public safety.
    NO_ADVERSE_EFFECT = "no_adverse_effect", "No adverse effect on"

    @classmethod
    def for_limb(cls, limb: str) -> list["LimbFinding"]:
        """The findings that make sense on `limb`: "no adverse effect" is said of public
        safety only."""
        if limb == Limb.PUBLIC_SAFETY:
            return list(cls)
        return [cls.IN_THE_INTERESTS, cls.NOT_SHOWN]


class DecisionGround(models.TextChoices):
    """The ground an approval relies on: FRSA 2004 s.4A(5)(a), or (b)."""

    ECONOMY_EFFICIENCY_EFFECTIVENESS = (
        "economy_efficiency_effectiveness",
        "Economy, efficiency and effectiveness",
    )
    PUBLIC_SAFETY = "public_safety", "Public safety"


class ProposalStatus(models.TextChoices):
    ACTIVE = "active", "Active"
    SUSPENDED = "suspended", "Suspended"
    WITHDRAWN = "withdrawn", "Withdrawn"
    NOT_PURSUED = "not_pursued", "Not pursued"
    TRANSFERRED = "transferred", "Transferred"
    REJECTED = "rejected", "Rejected"
    # Representation (PCA 2017 s.7): the fire authority agreed and nothing is transferred.
    COMPLETED = "completed", "Completed"


class Step(models.IntegerChoices):
    """The statutory steps. A value names its step for good (every stage stores it); which
    steps a proposal takes, and in which order, is its model's route (workflow.ROUTES). Every
    route runs in ascending value, so a proposal's stages ordered by step are its route."""

    BUSINESS_CASE = 1, "Business case"
    CONSULTATION = 2, "Consultation"
    SUBMISSION = 3, "Submission"
    INDEPENDENT_ASSESSMENT = 4, "Independent assessment"
    DECISION = 5, "Decision"
    ORDER = 6, "Order"
    # Representation (PCA 2017 s.7): the fire authority is consulted and must agree.
    FIRE_AUTHORITY_CONSULTATION = 7, "Consultation with the fire authority"
    FIRE_AUTHORITY_AGREEMENT = 8, "Fire authority agreement"
    # Single employer (FRSA 2004 s.4I): schemes move the fire staff to the chief constable.
    STAFF_TRANSFER = 9, "Staff transfer"

    @property
    def slug(self) -> str:
        return self.name.lower().replace("_", "-")

    @classmethod
    def from_slug(cls, slug: str) -> "Step":
        """The step named by a URL slug; ValueError for anything else."""
        for step in cls:
            if step.slug == slug:
                return step
        raise ValueError(slug)

    @property
    def is_pcc_step(self) -> bool:
        """PCCs draft and submit these; the Home Office records the rest: the assessment,
        decision and order (FRSA 2004 s.4A), and the transfer schemes the Secretary of State
        makes (s.4I). A representation's fire authority steps are the PCC's to evidence."""
        return self in (
            Step.BUSINESS_CASE,
            Step.CONSULTATION,
            Step.SUBMISSION,
            Step.FIRE_AUTHORITY_CONSULTATION,
            Step.FIRE_AUTHORITY_AGREEMENT,
        )


class StageStatus(models.TextChoices):
    NOT_STARTED = "not_started", "Not started"
    IN_PROGRESS = "in_progress", "In progress"
    SUBMITTED = "submitted", "Submitted"
    RETURNED = "returned", "Returned"
    APPROVED = "approved", "Approved"
    SKIPPED = "skipped", "Skipped"
    # Only the decision stage ends this way: the Home Secretary rejected the proposal.
    REJECTED = "rejected", "Rejected"


#: A proposal has gone past stages in these states to the next one.
PASSED_STAGE_STATUSES = (StageStatus.APPROVED, StageStatus.SKIPPED)
#: Stages in these states need nothing more from anyone.
CLOSED_STAGE_STATUSES = (*PASSED_STAGE_STATUSES, StageStatus.REJECTED)
#: Stages in these states wait on the people drafting or recording them (not on review).
OPEN_STAGE_STATUSES = (StageStatus.IN_PROGRESS, StageStatus.RETURNED)


class MessageEvent(models.TextChoices):
    """The hand-offs the portal tells people about (proposals/messaging.py says whom, in which
    words); each person chooses how each kind reaches them by e-mail."""

    STAGE_SUBMITTED = "stage_submitted", "A stage is submitted for review"
    STAGE_RETURNED = "stage_returned", "A stage is returned with reasons"
    STAGE_APPROVED = "stage_approved", "A stage is approved or completed"
    SIGN_OFF_NEEDED = "sign_off_needed", "The submission is ready for sign-off"
    SIGNED_OFF = "signed_off", "The submission is signed off"
    RECORD_SAVED = "record_saved", "An assessment, decision or order is recorded"
    DUE_DATE_CHANGED = "due_date_changed", "A due date is set or moved"
    LEGAL_CHALLENGE = "legal_challenge", "A legal challenge is flagged or lifted"
    PROPOSAL_STATUS = "proposal_status", "A proposal is withdrawn, suspended or resumed"
    COMMENT_ADDED = "comment_added", "A comment is added"
    MONEY_CHANGED = "money_changed", "An allocation is changed, or a payment recorded or reversed"
    CASE_OFFICER = "case_officer", "A proposal's case officer changes"
    REPRESENTATION_LODGED = "representation_lodged", "A council or fire authority lodges or "
    "changes its representation"
    REPRESENTATION_ANSWERED = "representation_answered", "The PCC responds to your "
    "representation"


class EmailTiming(models.TextChoices):
    NOW = "now", "E-mail me straight away"
    DIGEST = "digest", "One e-mail a day at 8am listing them"
    OFF = "off", "No e-mail: in my notifications only"
