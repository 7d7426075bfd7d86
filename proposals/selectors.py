"""Reads for pages and dashboards. Each runs a fixed number of queries whatever the data size."""

from django.db.models import Count, Prefetch, QuerySet

from .models import Allocation, Pcc, Proposal, Stage

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
