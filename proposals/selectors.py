"""Reads for pages and dashboards. Each runs a fixed number of queries whatever the data size."""

import hashlib
import logging
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

import rules
from django.conf import settings
from django.core.cache import cache
from django.db.models import (
    Case,
    Count,
    F,
    Max,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Subquery,
    Sum,
    When,
)
from django.db.models.functions import Coalesce
from django.utils import timezone

from portal.cache import cache_optional

from .models import (
    PASSED_STAGE_STATUSES,
    Allocation,
    AuditEvent,
    BusinessCaseRevision,
    CollaborationDuty,
    Comment,
    DutyEvidence,
    Fund,
    Pcc,
    Proposal,
    ProposalStatus,
    Stage,
    StageStatus,
    Step,
)
from .models.choices import OPEN_STAGE_STATUSES

logger = logging.getLogger(__name__)


def _proposals_with_stages(queryset: QuerySet) -> QuerySet:
    return queryset.prefetch_related(
        Prefetch("stages", queryset=Stage.objects.order_by("step")),
        "fire_authorities",
    )


def pcc_proposals(*, pcc: Pcc) -> QuerySet:
    """All of one PCC's proposals, newest first, with stages and fire authorities prefetched."""
    return _proposals_with_stages(Proposal.objects.for_pcc(pcc).order_by("-updated_at", "-pk"))


def pcc_profile(*, slug: str, user) -> Pcc:
    """One PCC with the bodies around it; raises Pcc.DoesNotExist outside the user's reach."""
    return (
        Pcc.objects.visible_to(user)
        .select_related("ambulance_trust")
        .prefetch_related(
            "fire_authorities",
            "local_authorities",
            Prefetch("allocations", queryset=Allocation.objects.select_related("fund")),
        )
        .get(slug=slug)
    )


def proposal_history(*, proposal: Proposal, user) -> QuerySet:
    """The proposal's audit trail, newest first; Home Office-only entries hidden from PCCs."""
    events = proposal.audit_events.select_related("actor").order_by("-created_at", "-pk")
    if not rules.has_perm("proposals.see_home_office_comments", user):
        events = events.filter(home_office_only=False)
    return events


def proposal_comments(*, proposal: Proposal, user) -> QuerySet:
    comments = proposal.comments.select_related("author", "stage")
    if not rules.has_perm("proposals.see_home_office_comments", user):
        comments = comments.filter(visibility=Comment.Visibility.EVERYONE)
    return comments


def stage_documents(*, stage: Stage) -> QuerySet:
    return stage.documents.select_related("uploaded_by").order_by("-created_at", "-pk")


@dataclass(frozen=True)
class SubmissionPackage:
    """What the PCC signatory signs off (FRSA 2004 s.4A(4)): the latest business case
    revision and every document of the PCC's stages (business case, consultation,
    submission)."""

    revision: BusinessCaseRevision | None
    documents: list


def submission_package(*, proposal: Proposal) -> SubmissionPackage:
    documents = (
        proposal.documents.filter(stage__step__lte=Step.SUBMISSION)
        .select_related("stage", "uploaded_by")
        .order_by("stage__step", "created_at", "pk")
    )
    return SubmissionPackage(
        revision=proposal.revisions.order_by("-number").first(), documents=list(documents)
    )


#: The review queue's filters by case officer: (value in the URL, label).
QUEUE_ALL, QUEUE_MINE, QUEUE_UNASSIGNED = "all", "mine", "unassigned"
QUEUE_FILTERS = (
    (QUEUE_MINE, "Assigned to me"),
    (QUEUE_UNASSIGNED, "Unassigned"),
    (QUEUE_ALL, "All"),
)


def review_queue(*, user, assigned: str = QUEUE_ALL) -> QuerySet:
    """Submitted PCC stages waiting for a Home Office decision, oldest first: all of them, those
    whose proposal has `user` as case officer ("mine"), or those with none ("unassigned")."""
    stages = Stage.objects.filter(
        status=StageStatus.SUBMITTED,
        proposal__in=Proposal.objects.visible_to(user).active(),
    )
    if assigned == QUEUE_MINE:
        stages = stages.filter(proposal__case_officer=user)
    elif assigned == QUEUE_UNASSIGNED:
        stages = stages.filter(proposal__case_officer__isnull=True)
    return stages.select_related("proposal__pcc", "proposal__case_officer").order_by(
        "submitted_at", "pk"
    )


def revision_pair(*, proposal: Proposal, older: int, newer: int):
    """Two revisions of the business case with their duty evidence; DoesNotExist if missing."""
    revisions = {
        revision.number: revision
        for revision in proposal.revisions.filter(number__in=[older, newer]).prefetch_related(
            Prefetch("duty_evidence", queryset=DutyEvidence.objects.select_related("duty"))
        )
    }
    if older not in revisions or newer not in revisions:
        raise BusinessCaseRevision.DoesNotExist
    return revisions[older], revisions[newer]


@dataclass(frozen=True)
class FundingRow:
    pcc: Pcc
    allocation: Allocation | None
    allocated: Decimal
    paid: Decimal

    @property
    def remaining(self) -> Decimal:
        return self.allocated - self.paid


@dataclass(frozen=True)
class FundingSummary:
    fund: Fund
    rows: list[FundingRow]
    allocated: Decimal
    paid: Decimal

    @property
    def unallocated(self) -> Decimal:
        """What no PCC has been allocated yet."""
        return self.fund.total - self.allocated

    @property
    def allocated_unpaid(self) -> Decimal:
        """What PCCs have been allocated and not yet paid."""
        return self.allocated - self.paid


def the_fund() -> Fund:
    return Fund.objects.order_by("pk").first()


def funding_summary(*, user) -> FundingSummary:
    """Each PCC's allocation, payments and balance (PCC people see only their own PCC), and
    the fund's totals across all PCCs. Three queries whatever the number of payments."""
    fund = the_fund()
    allocations = {
        allocation.pcc_id: allocation
        for allocation in Allocation.objects.filter(fund=fund).annotate(
            paid=Coalesce(Sum("payments__amount"), Decimal("0.00"))
        )
    }
    rows = [
        FundingRow(
            pcc=pcc,
            allocation=allocations.get(pcc.pk),
            allocated=allocations[pcc.pk].amount if pcc.pk in allocations else Decimal("0.00"),
            paid=allocations[pcc.pk].paid if pcc.pk in allocations else Decimal("0.00"),
        )
        for pcc in Pcc.objects.visible_to(user).order_by("name")
    ]
    return FundingSummary(
        fund=fund,
        rows=rows,
        allocated=sum((a.amount for a in allocations.values()), Decimal("0.00")),
        paid=sum((a.paid for a in allocations.values()), Decimal("0.00")),
    )


def allocation_history(*, allocation: Allocation | None) -> QuerySet:
    """Every change to an allocation and every payment against it, newest first."""
    if allocation is None:
        return AuditEvent.objects.none()
    return (
        AuditEvent.objects.filter(
            object_type=Allocation._meta.label_lower, object_id=str(allocation.pk)
        )
        .select_related("actor")
        .order_by("-created_at", "-pk")
    )


def allocation_latest_change(*, allocation: Allocation | None) -> AuditEvent | None:
    """The last change to an allocation's amount (who, when, why), or None."""
    return allocation_history(allocation=allocation).filter(action="allocation.changed").first()


@dataclass(frozen=True)
class StageCell:
    """One cell of the overview: a stage's status and how far it is from its due date."""

    stage: Stage
    today: date

    @property
    def days_to_due(self) -> int | None:
        # A submitted stage met its deadline: it waits on the Home Office, not the PCC.
        if (
            self.stage.due_date is None
            or self.stage.is_closed
            or self.stage.status == StageStatus.SUBMITTED
        ):
            return None
        return (self.stage.due_date - self.today).days

    @property
    def due_text(self) -> str:
        days = self.days_to_due
        if days is None:
            return ""
        if days == 0:
            return "Due today"
        if days > 0:
            return f"Due in {days} day{'s' if days != 1 else ''}"
        return f"{-days} day{'s' if days != -1 else ''} overdue"

    @property
    def is_overdue(self) -> bool:
        days = self.days_to_due
        return days is not None and days < 0 and self.stage.status in OPEN_STAGE_STATUSES


@dataclass(frozen=True)
class MatrixRow:
    pcc: Pcc
    proposal: Proposal | None
    proposal_count: int
    cells: list[StageCell]


def _lead_first():
    """Active proposals first, then the most recently changed."""
    return [
        Case(When(status=ProposalStatus.ACTIVE, then=0), default=1),
        F("updated_at").desc(),
        F("pk").desc(),
    ]


def overview_matrix(*, proposals: QuerySet, today: date) -> list[MatrixRow]:
    """The nine PCCs against the six stages: each PCC's lead proposal among `proposals`
    (its active one, else its latest) and how many it has. Three queries."""
    per_pcc = proposals.filter(pcc=OuterRef("pk"))
    pccs = list(
        Pcc.objects.annotate(
            lead_id=Subquery(per_pcc.order_by(*_lead_first()).values("pk")[:1]),
            matching=Coalesce(
                Subquery(per_pcc.order_by().values("pcc").annotate(n=Count("pk")).values("n")[:1]),
                0,
            ),
        ).order_by("name")
    )
    leads = {
        proposal.pk: proposal
        for proposal in Proposal.objects.filter(
            pk__in=[p.lead_id for p in pccs if p.lead_id]
        ).prefetch_related(Prefetch("stages", queryset=Stage.objects.order_by("step")))
    }
    rows = []
    for pcc in pccs:
        lead = leads.get(pcc.lead_id)
        cells = [StageCell(stage, today) for stage in lead.stages.all()] if lead else []
        rows.append(MatrixRow(pcc=pcc, proposal=lead, proposal_count=pcc.matching, cells=cells))
    return rows


def overview_counts(*, proposals: QuerySet, today: date) -> dict:
    """Overdue stages and stages awaiting review among `proposals` (active ones)."""
    stages = Stage.objects.filter(proposal__in=proposals.filter(status=ProposalStatus.ACTIVE))
    return stages.aggregate(
        overdue=Count("pk", filter=Q(status__in=OPEN_STAGE_STATUSES, due_date__lt=today)),
        awaiting_review=Count("pk", filter=Q(status=StageStatus.SUBMITTED)),
    )


def stages_reached(*, proposals: QuerySet) -> dict:
    """For each PCC, how many of `proposals` are at each step (7 = every stage passed; a
    rejected proposal stays at its decision)."""
    first_open_step = (
        Stage.objects.filter(proposal=OuterRef("pk"))
        .exclude(status__in=PASSED_STAGE_STATUSES)
        .order_by("step")
        .values("step")[:1]
    )
    counts = (
        proposals.order_by()
        .annotate(current_step=Coalesce(Subquery(first_open_step), 7))
        .values("pcc__name", "current_step")
        .annotate(n=Count("pk"))
    )
    reached = {}
    for row in counts:
        reached.setdefault(row["pcc__name"], {})[row["current_step"]] = row["n"]
    return reached


def recent_activity(*, limit: int = 10) -> QuerySet:
    return (
        AuditEvent.objects.select_related("actor", "proposal__pcc")
        .filter(proposal__isnull=False)
        .order_by("-created_at", "-pk")[:limit]
    )


def duties_with_evidence(*, user) -> QuerySet:
    """The Act's duties, each with `current_evidence`: how the latest revision of each
    proposal the user may see addresses it."""
    latest_number = (
        BusinessCaseRevision.objects.filter(proposal=OuterRef("revision__proposal"))
        .order_by("-number")
        .values("number")[:1]
    )
    evidence = (
        DutyEvidence.objects.filter(revision__proposal__in=Proposal.objects.visible_to(user))
        .annotate(latest_number=Subquery(latest_number))
        .filter(revision__number=F("latest_number"))
        .select_related("revision__proposal__pcc")
        .order_by("revision__proposal__pcc__name", "revision__proposal__title")
    )
    return CollaborationDuty.objects.prefetch_related(
        Prefetch("evidence", queryset=evidence, to_attr="current_evidence")
    )


def upcoming_deadlines(*, proposals: QuerySet, limit: int | None = 10) -> QuerySet:
    """Open stages with due dates among active `proposals`, soonest first."""
    stages = (
        Stage.objects.filter(
            proposal__in=proposals.filter(status=ProposalStatus.ACTIVE),
            status__in=OPEN_STAGE_STATUSES,
            due_date__isnull=False,
        )
        .select_related("proposal__pcc")
        .order_by("due_date", "pk")
    )
    return stages[:limit] if limit else stages


def returned_stages(*, proposals: QuerySet, limit: int = 10) -> QuerySet:
    """Stages the Home Office returned, most recently submitted first."""
    return (
        Stage.objects.filter(
            proposal__in=proposals.filter(status=ProposalStatus.ACTIVE),
            status=StageStatus.RETURNED,
        )
        .select_related("proposal")
        .order_by("-submitted_at", "-pk")[:limit]
    )


def data_version() -> int:
    """A number that changes whenever anything a dashboard shows changes, because every
    change is recorded as an audit event (one index lookup)."""
    return AuditEvent.objects.aggregate(latest=Max("pk"))["latest"] or 0


def dashboard_cached(name: str, *parts, compute):
    """`compute()`, reused until the data changes, the day turns (Europe/London) or
    DASHBOARD_CACHE_SECONDS pass; keyed by `name` and `parts` (such as the filters)."""
    parts_digest = hashlib.sha256(repr(parts).encode()).hexdigest()[:32]
    key = f"dashboard:{name}:{data_version()}:{timezone.localdate().isoformat()}:{parts_digest}"
    # The cache is an optimisation: when it does not answer, the figures are computed directly.
    with _cache_optional(key):
        figures = cache.get(key)
        if figures is not None:
            return figures
    figures = compute()
    with _cache_optional(key):
        cache.set(key, figures, settings.DASHBOARD_CACHE_SECONDS)
    return figures


def _cache_optional(key: str):
    """A dashboard cache operation that, with the cache down, lets the figures be computed."""
    return cache_optional(key, logger=logger, what="Dashboard", instead="figures computed directly")
