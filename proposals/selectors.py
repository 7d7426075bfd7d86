"""Reads for pages and dashboards. Each runs a fixed number of queries whatever the data size."""

from django.db.models import Count, Prefetch, QuerySet

from .models import (
    Allocation,
    BusinessCaseRevision,
    Comment,
    DutyEvidence,
    Pcc,
    Proposal,
    Stage,
    StageStatus,
)

#: How many proposals per PCC the overview shows before linking to the PCC's own page.
OVERVIEW_PROPOSALS_PER_PCC = 5


def _proposals_with_stages(queryset: QuerySet) -> QuerySet:
    return queryset.prefetch_related(
        Prefetch("stages", queryset=Stage.objects.order_by("step")),
        "fire_authorities",
    )


def pcc_overview(*, user) -> QuerySet:
    """The nine PCCs (as far as `user` may see), each with its most recently active proposals.

    Each PCC carries `proposal_count` and `recent_proposals` (newest first, at most
    OVERVIEW_PROPOSALS_PER_PCC, stages prefetched in step order).
    """
    recent = _proposals_with_stages(Proposal.objects.order_by("-updated_at", "-pk"))[
        :OVERVIEW_PROPOSALS_PER_PCC
    ]
    return (
        Pcc.objects.visible_to(user)
        .annotate(proposal_count=Count("proposals"))
        .prefetch_related(Prefetch("proposals", queryset=recent, to_attr="recent_proposals"))
        .order_by("name")
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


def proposal_stages(*, proposal: Proposal) -> list[Stage]:
    return list(proposal.stages.order_by("step"))


def proposal_history(*, proposal: Proposal, user) -> QuerySet:
    """The proposal's audit trail, newest first; Home Office-only entries hidden from PCCs."""
    events = proposal.audit_events.select_related("actor").order_by("-created_at", "-pk")
    if not user.has_perm("proposals.see_home_office_comments"):
        events = events.filter(home_office_only=False)
    return events


def proposal_comments(*, proposal: Proposal, user) -> QuerySet:
    comments = proposal.comments.select_related("author", "stage")
    if not user.has_perm("proposals.see_home_office_comments"):
        comments = comments.filter(visibility=Comment.Visibility.EVERYONE)
    return comments


def stage_documents(*, stage: Stage) -> QuerySet:
    return stage.documents.select_related("uploaded_by").order_by("-created_at", "-pk")


def review_queue(*, user) -> QuerySet:
    """Submitted PCC stages waiting for a Home Office decision, oldest first."""
    return (
        Stage.objects.filter(
            status=StageStatus.SUBMITTED,
            proposal__in=Proposal.objects.visible_to(user).active(),
        )
        .select_related("proposal__pcc")
        .order_by("submitted_at", "pk")
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
