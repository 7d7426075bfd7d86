"""Writes PCC staff make to their proposals."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from ..models import Proposal, Stage, StageStatus, Step
from .audit import audit_record

FIRE_AUTHORITY_OUTSIDE_PCC = "Choose fire and rescue authorities in your own police area"
NO_FIRE_AUTHORITY = "Choose at least one fire and rescue authority the proposal covers"


def proposal_stages_build(*, proposal: Proposal, now=None) -> list[Stage]:
    """The six statutory stages of a new proposal, unsaved; the business case starts open."""
    now = now or timezone.now()
    return [
        Stage(
            proposal=proposal,
            step=step,
            status=StageStatus.IN_PROGRESS
            if step == Step.BUSINESS_CASE
            else StageStatus.NOT_STARTED,
            started_at=now if step == Step.BUSINESS_CASE else None,
        )
        for step in Step
    ]


@transaction.atomic
def proposal_create(*, pcc, title: str, governance_model: str, fire_authorities, by) -> Proposal:
    """Create a proposal for `pcc` covering some of its fire authorities, with its six stages.

    Raises ValidationError when a fire authority lies outside the PCC's area.
    """
    fire_authorities = list(fire_authorities)
    if not fire_authorities:
        raise ValidationError({"fire_authorities": NO_FIRE_AUTHORITY})
    if any(authority.pcc_id != pcc.pk for authority in fire_authorities):
        raise ValidationError({"fire_authorities": FIRE_AUTHORITY_OUTSIDE_PCC})
    proposal = Proposal(pcc=pcc, title=title, governance_model=governance_model, created_by=by)
    proposal.full_clean()
    proposal.save()
    proposal.fire_authorities.set(fire_authorities)
    Stage.objects.bulk_create(proposal_stages_build(proposal=proposal))
    audit_record(
        actor=by,
        action="proposal.created",
        target=proposal,
        proposal=proposal,
        after={
            "title": title,
            "governance_model": governance_model,
            "fire_authorities": [authority.name for authority in fire_authorities],
        },
    )
    return proposal
