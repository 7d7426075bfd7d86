"""A PCC's proposal to take on fire governance, and its statutory stages: those of its
governance model's route (workflow.ROUTES; DESIGN.md s.3)."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import RegexValidator
from django.db import models
from django.db.models import Q
from django.utils.formats import date_format
from django.utils.functional import cached_property

from ..workflow import ProposalWorkflow, StageWorkflow, route
from .base import TimeStampedModel, source_url_field
from .choices import (
    CLOSED_STAGE_STATUSES,
    PASSED_STAGE_STATUSES,
    DecisionGround,
    GovernanceModel,
    ProposalStatus,
    StageStatus,
    Step,
)
from .limbs import LimbConclusions
from .reference import FireAuthority, LocalAuthority, Pcc


def dates_in_order(name: str, earlier: str, later: str) -> models.CheckConstraint:
    """When both dates are known, `later` is not before `earlier`."""
    return models.CheckConstraint(
        name=name,
        condition=Q(**{f"{earlier}__isnull": True})
        | Q(**{f"{later}__isnull": True})
        | Q(**{f"{later}__gte": models.F(earlier)}),
    )


FINISHED_PROPOSAL_STATUSES = (
    ProposalStatus.WITHDRAWN,
    ProposalStatus.TRANSFERRED,
    ProposalStatus.REJECTED,
    ProposalStatus.NOT_PURSUED,
    ProposalStatus.COMPLETED,
)


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

    def assessed_by(self, user):
        """The proposals an independent assessor is assigned to (none for anyone else)."""
        if not (user.is_authenticated and user.is_assessor):
            return self.none()
        return self.filter(assessors=user)

    def open_to(self, user):
        """The proposals whose public record `user` may read: those they may see in full,
        a consultee's police area's, and an assessor's assigned ones. Others: none (404)."""
        if not user.is_authenticated:
            return self.none()
        if user.is_consultee:
            # Only routes with the councils' consultation (not representation) ask for theirs.
            return self.filter(pcc_id=user.consultee_pcc_id, stages__step=Step.CONSULTATION)
        if user.is_assessor:
            return self.assessed_by(user)
        return self.visible_to(user)


class Proposal(ProposalWorkflow, TimeStampedModel):
    pcc = models.ForeignKey(Pcc, on_delete=models.PROTECT, related_name="proposals")
    title = models.CharField(max_length=200)
    governance_model = models.CharField(max_length=20, choices=GovernanceModel.choices)
    fire_authorities = models.ManyToManyField(FireAuthority, related_name="proposals")
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
    case_officer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="cases",
        limit_choices_to={"role": "reviewer"},
        help_text="The Home Office reviewer who handles it: submissions and Home Office "
        "reminders go to them (to every reviewer when there is none).",
    )
    assessors = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        blank=True,
        related_name="assessed_proposals",
        limit_choices_to={"role": "assessor"},
        help_text="Independent assessors (e.g. from CIPFA) who may see it and record its "
        "independent assessment.",
    )

    objects = ProposalQuerySet.as_manager()

    class Meta:
        ordering = ["pcc__name", "created_at", "pk"]

    def __str__(self):
        return self.title

    @property
    def is_active(self) -> bool:
        return self.status == ProposalStatus.ACTIVE

    @property
    def is_finished(self) -> bool:
        """Withdrawn, transferred, completed, rejected or not pursued: read-only for everyone."""
        return self.status in FINISHED_PROPOSAL_STATUSES

    @cached_property
    def current_stage(self):
        """The first stage the proposal has not gone past (for a rejected proposal, its
        rejected decision), or None once its whole route is approved or skipped.

        Reads `self.stages.all()`, so a prefetch of stages (in step order) avoids a query.
        """
        return next((stage for stage in self.stages.all() if not stage.is_passed), None)


class Stage(StageWorkflow, TimeStampedModel):
    """One statutory step of one proposal, with its own status and due date."""

    proposal = models.ForeignKey(Proposal, on_delete=models.PROTECT, related_name="stages")
    step = models.PositiveSmallIntegerField(choices=Step.choices)
    due_date = models.DateField(null=True, blank=True)
    started_at = models.DateTimeField(null=True, blank=True)
    submitted_at = models.DateTimeField(null=True, blank=True)
    closed_at = models.DateTimeField(
        null=True, blank=True, help_text="When it was approved or skipped."
    )
    skip_reason = models.TextField(blank=True)
    return_reasons = models.TextField(
        blank=True, help_text="The reviewer's reasons, shown until the stage is resubmitted."
    )
    signed_off_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        help_text="The PCC signatory who signed off the submission.",
    )
    signed_off_at = models.DateTimeField(null=True, blank=True)
    sign_off_covers = models.JSONField(
        default=dict,
        blank=True,
        help_text="What the sign-off was given for: the business case revision and the "
        "checksums of the stage's documents (workflow.sign_off_coverage).",
    )

    class Meta:
        ordering = ["proposal_id", "step"]
        constraints = [
            models.UniqueConstraint(fields=["proposal", "step"], name="one_stage_per_step"),
            models.CheckConstraint(
                name="stage_step_is_statutory", condition=Q(step__in=Step.values)
            ),
            # Only the independent assessment may be skipped, and never without a reason.
            models.CheckConstraint(
                name="only_assessment_skipped_with_reason",
                condition=~Q(status=StageStatus.SKIPPED)
                | (Q(step=Step.INDEPENDENT_ASSESSMENT) & ~Q(skip_reason="")),
            ),
            models.CheckConstraint(
                name="only_decision_rejected",
                condition=~Q(status=StageStatus.REJECTED) | Q(step=Step.DECISION),
            ),
        ]
        indexes = [models.Index(fields=["status", "due_date"], name="stage_open_due_idx")]

    def __str__(self):
        return f"{self.proposal} — {self.get_step_display()}"

    @property
    def is_closed(self) -> bool:
        return self.status in CLOSED_STAGE_STATUSES

    @property
    def is_passed(self) -> bool:
        """Approved or skipped: the proposal has gone on to the next stage."""
        return self.status in PASSED_STAGE_STATUSES

    @property
    def step_slug(self) -> str:
        return Step(self.step).slug

    @property
    def number(self) -> int:
        """Its place on the proposal's route, counting from 1 (as people number the stages)."""
        return route(self.proposal.governance_model).index(self.step) + 1


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
            dates_in_order("consultation_ends_after_it_starts", "starts_on", "ends_on"),
        ]

    def __str__(self):
        return f"Consultation on {self.proposal}"

    @property
    def is_complete(self) -> bool:
        return bool(
            self.starts_on
            and self.ends_on
            and self.responses_received is not None
            and self.summary.strip()
        )


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


class Decision(LimbConclusions, TimeStampedModel):
    """The Home Secretary's decision (FRSA 2004 s.4A(5)): the outcome, the finding and reasons on
    each limb of the statutory test, and the ground an approval relies on. What must hold
    before it completes is in workflow.decision_missing."""

    class Outcome(models.TextChoices):
        APPROVED = "approved", "Approved"
        REJECTED = "rejected", "Rejected"
        DEFERRED = "deferred", "Deferred"

    proposal = models.OneToOneField(Proposal, on_delete=models.PROTECT, related_name="decision")
    outcome = models.CharField(max_length=10, choices=Outcome.choices)
    decided_on = models.DateField(null=True, blank=True)
    ground = models.CharField(
        max_length=40,
        blank=True,
        choices=DecisionGround.choices,
        verbose_name="ground relied on",
        help_text="The ground an approval relies on: economy, efficiency and effectiveness, "
        "or public safety.",
    )
    summary = models.TextField(blank=True)
    source_url = source_url_field()

    def __str__(self):
        return f"{self.get_outcome_display()}: {self.proposal}"

    @property
    def is_complete(self) -> bool:
        """Approved or rejected, with a date: a deferral keeps the decision stage open."""
        return self.outcome != self.Outcome.DEFERRED and self.decided_on is not None


#: A statutory instrument's number: its year and its number in that year, e.g. 2018/970.
SI_NUMBER = r"^[0-9]{4}/[1-9][0-9]{0,4}\Z"
MADE_BEFORE_DECISION = (
    "The order must be made on or after the day of the Home Secretary's decision, {date}"
)


class StatutoryOrder(TimeStampedModel):
    """The statutory instrument that transfers governance, and the date it takes effect."""

    proposal = models.OneToOneField(Proposal, on_delete=models.PROTECT, related_name="order")
    si_number = models.CharField(
        max_length=20,
        blank=True,
        help_text="e.g. 2017/864",
        validators=[RegexValidator(SI_NUMBER, "Enter the year and number, like 2018/970")],
    )
    made_on = models.DateField(null=True, blank=True)
    laid_on = models.DateField(null=True, blank=True)
    in_force_on = models.DateField(null=True, blank=True)
    transfer_date = models.DateField(null=True, blank=True)
    source_url = source_url_field()

    class Meta:
        constraints = [
            dates_in_order("order_laid_after_made", "made_on", "laid_on"),
            dates_in_order("order_in_force_after_made", "made_on", "in_force_on"),
            dates_in_order("order_in_force_after_laid", "laid_on", "in_force_on"),
            dates_in_order("order_transfer_after_in_force", "in_force_on", "transfer_date"),
        ]

    def __str__(self):
        return f"S.I. {self.si_number}" if self.si_number else f"Order for {self.proposal}"

    def clean(self):
        # FRSA 2004 s.4A: an order is made on a proposal the Home Secretary has decided on.
        decision = getattr(self.proposal, "decision", None)
        if decision and decision.decided_on and self.made_on and self.made_on < decision.decided_on:
            raise ValidationError(
                {"made_on": MADE_BEFORE_DECISION.format(date=date_format(decision.decided_on))}
            )

    @property
    def is_complete(self) -> bool:
        return all(
            (
                self.si_number.strip(),
                self.made_on,
                self.laid_on,
                self.in_force_on,
                self.transfer_date,
            )
        )


class Assessment(LimbConclusions, TimeStampedModel):
    """The independent assessment the Home Secretary obtains when a council objects, with the
    assessor's conclusion on each limb of the statutory test."""

    proposal = models.OneToOneField(Proposal, on_delete=models.PROTECT, related_name="assessment")
    assessor = models.CharField(max_length=200, blank=True, help_text="e.g. CIPFA")
    commissioned_on = models.DateField(null=True, blank=True)
    reported_on = models.DateField(null=True, blank=True)
    summary = models.TextField(blank=True)
    source_url = source_url_field()

    class Meta(LimbConclusions.Meta):
        constraints = [
            *LimbConclusions.Meta.constraints,
            dates_in_order(
                "assessment_reported_after_commissioned", "commissioned_on", "reported_on"
            ),
        ]

    def __str__(self):
        return f"Independent assessment of {self.proposal}"

    @property
    def is_complete(self) -> bool:
        return bool(self.assessor.strip() and self.reported_on)
