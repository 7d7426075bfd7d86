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
    CharField,
    Count,
    Exists,
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
from django.db.models.functions import Cast, Coalesce
from django.utils import timezone

from portal.cache import cache_optional

from .models import (
    BUSINESS_CASE_SECTIONS,
    PASSED_STAGE_STATUSES,
    Allocation,
    Assessment,
    AuditEvent,
    BusinessCaseRevision,
    CollaborationAgreement,
    CollaborationDuty,
    Comment,
    Consideration,
    Consultation,
    Decision,
    Document,
    DocumentKind,
    DutyEvidence,
    Fund,
    Limb,
    LimbConclusion,
    Pcc,
    Proposal,
    ProposalStatus,
    Representation,
    Stage,
    StageStatus,
    Step,
)
from .models.choices import OPEN_STAGE_STATUSES

logger = logging.getLogger(__name__)


def proposals_with_stages(queryset: QuerySet) -> QuerySet:
    """`queryset` with each proposal's stages (in step order) and fire authorities prefetched."""
    return queryset.prefetch_related(
        Prefetch("stages", queryset=Stage.objects.order_by("step")),
        "fire_authorities",
    )


def pcc_proposals(*, pcc: Pcc) -> QuerySet:
    """All of one PCC's proposals, newest first, with stages and fire authorities prefetched."""
    return proposals_with_stages(Proposal.objects.for_pcc(pcc).order_by("-updated_at", "-pk"))


def pcc_profile(*, slug: str) -> Pcc:
    """One PCC with the bodies around it (who may see it is the caller's to check)."""
    return (
        Pcc.objects.select_related("ambulance_trust")
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
    return _events_readable_by(events, user=user)


def _events_readable_by(events: QuerySet, *, user) -> QuerySet:
    """`events` without the Home Office-only ones, for those who may not read them."""
    if rules.has_perm("proposals.see_home_office_comments", user):
        return events
    return events.filter(home_office_only=False)


def events_visible_to(*, user) -> QuerySet:
    """The audit events `user` may read (the API's events feed), oldest first: the history of
    each proposal they may see (without Home Office-only entries for PCC people, as on its
    page) and the money history of each allocation whose PCC funding page they may see."""
    allocations = Allocation.objects.filter(pcc__in=Pcc.objects.visible_to(user)).annotate(
        key=Cast("pk", output_field=CharField())
    )
    if not rules.has_perm("proposals.view_funding", user):
        allocations = allocations.none()
    events = AuditEvent.objects.filter(
        Q(proposal__in=Proposal.objects.visible_to(user))
        | Q(
            object_type=Allocation._meta.label_lower,
            object_id__in=allocations.values("key"),
        )
    )
    return (
        _events_readable_by(events, user=user).select_related("actor").order_by("created_at", "pk")
    )


def proposal_comments(*, proposal: Proposal, user) -> QuerySet:
    comments = proposal.comments.select_related("author", "stage")
    if not rules.has_perm("proposals.see_home_office_comments", user):
        comments = comments.filter(visibility=Comment.Visibility.EVERYONE)
    return comments


def proposal_checklist(*, proposal: Proposal) -> QuerySet:
    """The implementation checklist after the order, soonest due first, in one query."""
    return proposal.checklist_items.select_related("evidence", "confirmed_by").order_by(
        "due_on", "pk"
    )


def stage_documents(*, stage: Stage) -> QuerySet:
    """The stage's own documents; a representation's are shown with the representation."""
    return (
        stage.documents.exclude(kind=DocumentKind.REPRESENTATION)
        .select_related("uploaded_by")
        .order_by("-created_at", "-pk")
    )


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
        .exclude(kind=DocumentKind.SUBMISSION_PACK)
        .select_related("stage", "uploaded_by")
        .order_by("stage__step", "created_at", "pk")
    )
    return SubmissionPackage(
        revision=proposal.revisions.order_by("-number").first(), documents=list(documents)
    )


@dataclass(frozen=True)
class SubmissionPackContents:
    """Everything the submission pack to the Home Secretary holds, as the record stands: the
    business case as submitted (its latest revision), the consultation and each council's
    position, every representation with the PCC's response, the sign-off, and the stored
    documents included or referred to (with their checksums)."""

    proposal: Proposal
    stage: Stage
    revision: BusinessCaseRevision | None
    sections: list  # (Section, its text) in the business case's order
    consultation: Consultation | None
    positions: list
    representations: list
    documents: list


def submission_pack_contents(*, stage: Stage) -> SubmissionPackContents:
    proposal = stage.proposal
    package = submission_package(proposal=proposal)
    revision = package.revision
    if revision is not None:
        revision = (
            proposal.revisions.filter(pk=revision.pk)
            .prefetch_related(
                Prefetch("duty_evidence", queryset=DutyEvidence.objects.select_related("duty"))
            )
            .get()
        )
    representations = list(
        proposal.representations.select_related(
            "local_authority", "fire_authority", "lodged_by", "responded_by"
        ).prefetch_related(
            Prefetch(
                "documents",
                queryset=Document.objects.select_related("stage", "uploaded_by").order_by(
                    "created_at", "pk"
                ),
            )
        )
    )
    attached = [
        each for representation in representations for each in representation.documents.all()
    ]
    # Each document once, whether it is on a stage, attached to a representation, or both.
    documents = list({document.pk: document for document in package.documents + attached}.values())
    return SubmissionPackContents(
        proposal=proposal,
        stage=stage,
        revision=revision,
        sections=[
            (section, getattr(revision, section.field) if revision else "")
            for section in BUSINESS_CASE_SECTIONS
        ],
        consultation=Consultation.objects.filter(proposal=proposal).first(),
        positions=list(proposal.council_positions.select_related("local_authority")),
        representations=representations,
        documents=documents,
    )


def submission_pack(*, stage: Stage) -> Document | None:
    """The stage's generated submission pack, with what it was made from, or None."""
    return (
        stage.documents.filter(kind=DocumentKind.SUBMISSION_PACK)
        .select_related("pack", "uploaded_by")
        .first()
    )


@dataclass(frozen=True)
class LimbRow:
    """One limb of the statutory test: the decision's finding beside the assessor's."""

    limb: Limb
    decision: LimbConclusion | None
    assessment: LimbConclusion | None


@dataclass(frozen=True)
class DecisionRecord:
    """The decision limb by limb beside the independent assessment, and what was weighed:
    the assessment, or why there was none (the skipped stage's reason)."""

    proposal: Proposal
    decision: Decision | None
    assessment: Assessment | None
    assessment_stage: Stage
    rows: list[LimbRow]
    letters: list


def _decision_letters(proposal: Proposal) -> list:
    return list(
        proposal.documents.filter(
            stage__step=Step.DECISION, kind=DocumentKind.DECISION_LETTER
        ).order_by("created_at", "pk")
    )


def decision_record(*, proposal: Proposal) -> DecisionRecord:
    """What the decision page and its PDF show, in four queries whatever the data."""
    decision = Decision.objects.filter(proposal=proposal).first()
    assessment = Assessment.objects.filter(proposal=proposal).first()
    limbs = {
        name: {row.limb: row for row in record.limbs} if record else {}
        for name, record in (("decision", decision), ("assessment", assessment))
    }
    return DecisionRecord(
        proposal=proposal,
        decision=decision,
        assessment=assessment,
        assessment_stage=proposal.stages.get(step=Step.INDEPENDENT_ASSESSMENT),
        rows=[
            LimbRow(
                limb=limb,
                decision=limbs["decision"].get(limb),
                assessment=limbs["assessment"].get(limb),
            )
            for limb in Limb
        ],
        letters=_decision_letters(proposal),
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
    cells: list[StageCell | None]  # one per Step; None where the route has no such stage


def _lead_first():
    """Active proposals first, then the most recently changed."""
    return [
        Case(When(status=ProposalStatus.ACTIVE, then=0), default=1),
        F("updated_at").desc(),
        F("pk").desc(),
    ]


def overview_matrix(*, proposals: QuerySet, today: date) -> list[MatrixRow]:
    """The nine PCCs against every step: each PCC's lead proposal among `proposals` (its
    active one, else its latest), its stages (None for a step not on its route) and how many
    it has. Three queries."""
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
        cells = _route_cells(lead, today) if lead else []
        rows.append(MatrixRow(pcc=pcc, proposal=lead, proposal_count=pcc.matching, cells=cells))
    return rows


def _route_cells(proposal, today) -> list[StageCell | None]:
    """One cell per step, in Step order: None for a step not on the proposal's route."""
    stages = {stage.step: stage for stage in proposal.stages.all()}
    return [StageCell(stages[step], today) if step in stages else None for step in Step]


def overview_counts(*, proposals: QuerySet, today: date) -> dict:
    """Overdue stages and stages awaiting review among `proposals` (active ones)."""
    stages = Stage.objects.filter(proposal__in=proposals.filter(status=ProposalStatus.ACTIVE))
    return stages.aggregate(
        overdue=Count("pk", filter=Q(status__in=OPEN_STAGE_STATUSES, due_date__lt=today)),
        awaiting_review=Count("pk", filter=Q(status=StageStatus.SUBMITTED)),
    )


#: In stages_reached, where a proposal is once every stage of its route is passed.
ROUTE_PASSED = max(Step) + 1


def stages_reached(*, proposals: QuerySet) -> dict:
    """For each PCC, how many of `proposals` are at each step (ROUTE_PASSED when every stage
    of its route is passed; a rejected proposal stays at its decision)."""
    first_open_step = (
        Stage.objects.filter(proposal=OuterRef("pk"))
        .exclude(status__in=PASSED_STAGE_STATUSES)
        .order_by("step")
        .values("step")[:1]
    )
    counts = (
        proposals.order_by()
        .annotate(current_step=Coalesce(Subquery(first_open_step), ROUTE_PASSED))
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


def current_duty_evidence(*, user) -> QuerySet:
    """The duty evidence of the latest revision of each business case the user may see."""
    latest_number = (
        BusinessCaseRevision.objects.filter(proposal=OuterRef("revision__proposal"))
        .order_by("-number")
        .values("number")[:1]
    )
    return (
        DutyEvidence.objects.filter(revision__proposal__in=Proposal.objects.visible_to(user))
        .annotate(latest_number=Subquery(latest_number))
        .filter(revision__number=F("latest_number"))
    )


def duties_with_coverage(*, user) -> list[CollaborationDuty]:
    """The Act's duties, each with `register_entries`: the entries of the collaboration
    register (of the areas the user may see) that follow it, by area; and `coverage`: how many
    proposals the user may see address it in their latest business case, per PCC (`pcc`,
    `pcc_slug`, `proposals`), with `addressed_by` their total. Counts rather than the evidence
    itself, so the page stays a few kilobytes at any number of proposals: three queries."""
    entries = CollaborationAgreement.objects.visible_to(user).select_related("pcc")
    duties = list(
        CollaborationDuty.objects.prefetch_related(
            Prefetch("agreements", queryset=entries, to_attr="register_entries")
        )
    )
    counts = (
        current_duty_evidence(user=user)
        .values(
            "duty_id",
            pcc=F("revision__proposal__pcc__name"),
            pcc_slug=F("revision__proposal__pcc__slug"),
        )
        .annotate(proposals=Count("pk"))
        .order_by("pcc")
    )
    coverage = {}
    for row in counts:
        coverage.setdefault(row.pop("duty_id"), []).append(row)
    for duty in duties:
        duty.coverage = coverage.get(duty.pk, [])
        duty.addressed_by = sum(row["proposals"] for row in duty.coverage)
    return duties


def duty_evidence(*, duty: CollaborationDuty, user) -> QuerySet:
    """How the latest business case of each proposal the user may see addresses `duty`, with
    the register entries each cites, by PCC and title."""
    return (
        current_duty_evidence(user=user)
        .filter(duty=duty)
        .select_related("revision__proposal__pcc")
        .prefetch_related("agreements")
        .order_by("revision__proposal__pcc__name", "revision__proposal__title", "pk")
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


# --- Consultees and independent assessors --------------------------------------------------


def documents_open_to(*, proposal: Proposal, user) -> QuerySet:
    """The documents of `proposal` that `user` may download. Those who may see the proposal see
    them all; a consultee or assessor sees its public record: the business case as submitted
    (once approved), the consultation report, and representations (a consultee only its own
    body's); an assessor also the independent assessment's and the councils' responses."""
    documents = proposal.documents.select_related("uploaded_by", "stage")
    if rules.has_perm("proposals.view_proposal", user, proposal):
        return documents
    public = Q(
        kind=DocumentKind.BUSINESS_CASE,
        stage__step=Step.BUSINESS_CASE,
        stage__status__in=PASSED_STAGE_STATUSES,
    ) | Q(kind=DocumentKind.CONSULTATION_REPORT)
    if rules.has_perm("proposals.view_representations", user, proposal):
        public |= Q(kind__in=(DocumentKind.REPRESENTATION, DocumentKind.COUNCIL_RESPONSE)) | Q(
            stage__step=Step.INDEPENDENT_ASSESSMENT
        )
    elif rules.has_perm("proposals.lodge_representation", user, proposal):
        public |= Q(
            kind=DocumentKind.REPRESENTATION,
            representation__local_authority_id=user.local_authority_id,
            representation__fire_authority_id=user.fire_authority_id,
        )
    else:
        return documents.none()
    return documents.filter(public)


def business_case_as_submitted(*, proposal: Proposal) -> BusinessCaseRevision | None:
    """The business case revision the PCC submitted (the latest when its stage was last
    submitted), or None before it was ever submitted: drafts are never shown outside."""
    stage = proposal.stages.get(step=Step.BUSINESS_CASE)
    if stage.submitted_at is None:
        return None
    return (
        proposal.revisions.filter(created_at__lte=stage.submitted_at)
        .select_related("created_by")
        .order_by("-number")
        .first()
    )


def representations_open_to(*, proposal: Proposal, user) -> QuerySet:
    """Every representation on `proposal` with the PCC's response, for those who may see them
    all; a consultee's own body's only."""
    representations = proposal.representations.select_related(
        "local_authority", "fire_authority", "lodged_by", "responded_by"
    ).prefetch_related("documents")
    if rules.has_perm("proposals.view_representations", user, proposal):
        return representations
    if rules.has_perm("proposals.lodge_representation", user, proposal):
        return representations.filter(
            local_authority_id=user.local_authority_id, fire_authority_id=user.fire_authority_id
        )
    return representations.none()


def your_proposals(*, user) -> QuerySet:
    """A consultee's police area's proposals, or an assessor's assigned ones, each with its
    stages (in step order) and `representation_lodged` (whether the consultee's body has)."""
    lodged = Representation.objects.filter(
        proposal=OuterRef("pk"),
        local_authority_id=user.local_authority_id,
        fire_authority_id=user.fire_authority_id,
    )
    return proposals_with_stages(Proposal.objects.open_to(user).select_related("pcc")).annotate(
        representation_lodged=Exists(lodged)
    )


def collaboration_register(*, agreements: QuerySet) -> QuerySet:
    """The register's rows (`agreements`, already scoped to the reader), by area and then by
    review date, with their parties and provisions: four queries whatever their number."""
    return agreements.select_related("pcc").prefetch_related(
        "fire_authorities", "ambulance_trusts", "duties"
    )


def agreement_detail(*, pk: int, user) -> CollaborationAgreement:
    """One agreement the user may see, with its parties, provisions, the parties'
    considerations and the business cases citing it; DoesNotExist outside the user's reach."""
    citing = (
        current_duty_evidence(user=user)
        .select_related("duty", "revision__proposal")
        .order_by("revision__proposal__title", "duty__position")
    )
    return (
        collaboration_register(agreements=CollaborationAgreement.objects.visible_to(user))
        .prefetch_related(
            Prefetch(
                "considerations",
                queryset=Consideration.objects.select_related("fire_authority", "ambulance_trust"),
            ),
            Prefetch("duty_evidence", queryset=citing, to_attr="citing_evidence"),
        )
        .get(pk=pk)
    )
