"""A PCC's proposal to take on fire governance, and its six statutory stages (DESIGN.md s.3)."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.functional import cached_property

from .base import TimeStampedModel, source_url_field
from .reference import FireAuthority, LocalAuthority, Pcc


class GovernanceModel(models.TextChoices):
    # PCA 2017 s.7: the PCC sits on the fire and rescue authority, with its consent.
    REPRESENTATION = "representation", "Representation"
    # FRSA 2004 s.4A: the PCC becomes the fire and rescue authority (a PFCC).
    GOVERNANCE = "governance", "Governance"
    # FRSA 2004 s.4A with s.4H: fire functions delegated to the chief constable.
    SINGLE_EMPLOYER = "single_employer", "Single employer"


class ProposalStatus(models.TextChoices):
    ACTIVE = "active", "Active"
    SUSPENDED = "suspended", "Suspended"
    WITHDRAWN = "withdrawn", "Withdrawn"
    NOT_PURSUED = "not_pursued", "Not pursued"
    TRANSFERRED = "transferred", "Transferred"


class Step(models.IntegerChoices):
    """The statutory steps, numbered in the order a proposal takes them."""

    BUSINESS_CASE = 1, "Business case"
    CONSULTATION = 2, "Consultation"
    SUBMISSION = 3, "Submission"
    INDEPENDENT_ASSESSMENT = 4, "Independent assessment"
    DECISION = 5, "Decision"
    ORDER = 6, "Order"

    @property
    def slug(self) -> str:
        return self.name.lower().replace("_", "-")


class StageStatus(models.TextChoices):
    NOT_STARTED = "not_started", "Not started"
    IN_PROGRESS = "in_progress", "In progress"
    SUBMITTED = "submitted", "Submitted"
    RETURNED = "returned", "Returned"
    APPROVED = "approved", "Approved"
    SKIPPED = "skipped", "Skipped"


#: Stages in these states need nothing more from anyone.
CLOSED_STAGE_STATUSES = (StageStatus.APPROVED, StageStatus.SKIPPED)


class ProposalQuerySet(models.QuerySet):
    def for_pcc(self, pcc):
        return self.filter(pcc=pcc)

    def visible_to(self, user):
        """Home Office people see every proposal; PCC people only their own PCC's."""
        if not user.is_authenticated:
            return self.none()
        if user.is_home_office:
            return self.all()
        return self.filter(pcc_id=user.pcc_id)

    def active(self):
        return self.filter(status=ProposalStatus.ACTIVE)


class Proposal(TimeStampedModel):
    pcc = models.ForeignKey(Pcc, on_delete=models.PROTECT, related_name="proposals")
    title = models.CharField(max_length=200)
    governance_model = models.CharField(max_length=20, choices=GovernanceModel.choices)
    fire_authorities = models.ManyToManyField(FireAuthority, related_name="proposals")
    status = models.CharField(
        max_length=20, choices=ProposalStatus.choices, default=ProposalStatus.ACTIVE
    )
    status_reason = models.TextField(blank=True)
    under_legal_challenge = models.BooleanField(
        default=False, help_text="A legal challenge pauses the proposal's deadlines."
    )
    summary = models.TextField(blank=True, help_text="What happened, with sources.")
    is_illustrative = models.BooleanField(
        default=False, help_text="Demo data that was invented, not taken from public sources."
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )

    objects = ProposalQuerySet.as_manager()

    class Meta:
        ordering = ["pcc__name", "created_at", "pk"]

    def __str__(self):
        return self.title

    @cached_property
    def current_stage(self):
        """The first stage still open, or None once all six are closed.

        Reads `self.stages.all()`, so a prefetch of stages (in step order) avoids a query.
        """
        return next((stage for stage in self.stages.all() if not stage.is_closed), None)


class Stage(TimeStampedModel):
    """One statutory step of one proposal, with its own status and due date."""

    proposal = models.ForeignKey(Proposal, on_delete=models.PROTECT, related_name="stages")
    step = models.PositiveSmallIntegerField(choices=Step.choices)
    status = models.CharField(
        max_length=20, choices=StageStatus.choices, default=StageStatus.NOT_STARTED
    )
    due_date = models.DateField(null=True, blank=True)
    started_at = models.DateTimeField(null=True, blank=True)
    submitted_at = models.DateTimeField(null=True, blank=True)
    closed_at = models.DateTimeField(
        null=True, blank=True, help_text="When it was approved or skipped."
    )
    skip_reason = models.TextField(blank=True)

    class Meta:
        ordering = ["proposal_id", "step"]
        constraints = [
            models.UniqueConstraint(fields=["proposal", "step"], name="one_stage_per_step"),
            models.CheckConstraint(
                name="stage_step_is_statutory", condition=Q(step__gte=1, step__lte=6)
            ),
            # Only the independent assessment may be skipped, and never without a reason.
            models.CheckConstraint(
                name="only_assessment_skipped_with_reason",
                condition=~Q(status=StageStatus.SKIPPED)
                | (Q(step=Step.INDEPENDENT_ASSESSMENT) & ~Q(skip_reason="")),
            ),
        ]
        indexes = [models.Index(fields=["status", "due_date"], name="stage_open_due_idx")]

    def __str__(self):
        return f"{self.proposal} — {self.get_step_display()}"

    @property
    def is_closed(self) -> bool:
        return self.status in CLOSED_STAGE_STATUSES


class Consultation(TimeStampedModel):
    """The local consultation: the public and the upper-tier councils."""

    proposal = models.OneToOneField(Proposal, on_delete=models.PROTECT, related_name="consultation")
    starts_on = models.DateField(null=True, blank=True)
    ends_on = models.DateField(null=True, blank=True)
    responses_received = models.PositiveIntegerField(null=True, blank=True)
    summary = models.TextField(blank=True)
    source_url = source_url_field()

    class Meta:
        constraints = [
            models.CheckConstraint(
                name="consultation_ends_after_it_starts",
                condition=Q(starts_on__isnull=True)
                | Q(ends_on__isnull=True)
                | Q(ends_on__gte=models.F("starts_on")),
            ),
        ]

    def __str__(self):
        return f"Consultation on {self.proposal}"


class CouncilPosition(TimeStampedModel):
    class Position(models.TextChoices):
        SUPPORTS = "supports", "Supports"
        OBJECTS = "objects", "Objects"
        NO_VIEW = "no_view", "No view"

    proposal = models.ForeignKey(
        Proposal, on_delete=models.PROTECT, related_name="council_positions"
    )
    local_authority = models.ForeignKey(LocalAuthority, on_delete=models.PROTECT, related_name="+")
    position = models.CharField(max_length=10, choices=Position.choices)
    stated_on = models.DateField(null=True, blank=True)
    evidence = models.TextField(blank=True)
    source_url = source_url_field()

    class Meta:
        ordering = ["local_authority__name"]
        constraints = [
            models.UniqueConstraint(
                fields=["proposal", "local_authority"], name="one_position_per_council"
            ),
        ]

    def __str__(self):
        return f"{self.local_authority}: {self.get_position_display()}"


class Decision(TimeStampedModel):
    """The Home Secretary's decision (FRSA 2004 s.4A(5))."""

    class Outcome(models.TextChoices):
        APPROVED = "approved", "Approved"
        REJECTED = "rejected", "Rejected"
        DEFERRED = "deferred", "Deferred"

    proposal = models.OneToOneField(Proposal, on_delete=models.PROTECT, related_name="decision")
    outcome = models.CharField(max_length=10, choices=Outcome.choices)
    decided_on = models.DateField(null=True, blank=True)
    summary = models.TextField(blank=True)
    source_url = source_url_field()

    def __str__(self):
        return f"{self.get_outcome_display()}: {self.proposal}"


class StatutoryOrder(TimeStampedModel):
    """The statutory instrument that transfers governance, and the date it takes effect."""

    proposal = models.OneToOneField(Proposal, on_delete=models.PROTECT, related_name="order")
    si_number = models.CharField(max_length=20, blank=True, help_text="e.g. 2017/864")
    made_on = models.DateField(null=True, blank=True)
    laid_on = models.DateField(null=True, blank=True)
    in_force_on = models.DateField(null=True, blank=True)
    transfer_date = models.DateField(null=True, blank=True)
    source_url = source_url_field()

    class Meta:
        constraints = [
            models.CheckConstraint(
                name="order_laid_after_made",
                condition=Q(laid_on__isnull=True)
                | Q(made_on__isnull=True)
                | Q(laid_on__gte=models.F("made_on")),
            ),
            models.CheckConstraint(
                name="order_in_force_after_made",
                condition=Q(in_force_on__isnull=True)
                | Q(made_on__isnull=True)
                | Q(in_force_on__gte=models.F("made_on")),
            ),
        ]

    def __str__(self):
        return f"S.I. {self.si_number}" if self.si_number else f"Order for {self.proposal}"
