from django import template

from proposals.models import ProposalStatus, StageStatus

register = template.Library()

STAGE_TAG_COLOURS = {
    StageStatus.NOT_STARTED: "grey",
    StageStatus.IN_PROGRESS: "light-blue",
    StageStatus.SUBMITTED: "purple",
    StageStatus.RETURNED: "orange",
    StageStatus.APPROVED: "green",
    StageStatus.SKIPPED: "grey",
}

PROPOSAL_TAG_COLOURS = {
    ProposalStatus.ACTIVE: "blue",
    ProposalStatus.SUSPENDED: "yellow",
    ProposalStatus.WITHDRAWN: "grey",
    ProposalStatus.NOT_PURSUED: "grey",
    ProposalStatus.TRANSFERRED: "green",
}


@register.inclusion_tag("includes/tag.html")
def stage_tag(stage):
    return {"text": stage.get_status_display(), "colour": STAGE_TAG_COLOURS[stage.status]}


@register.inclusion_tag("includes/tag.html")
def proposal_tag(proposal):
    return {"text": proposal.get_status_display(), "colour": PROPOSAL_TAG_COLOURS[proposal.status]}


@register.filter
def pounds(amount):
    """Money as GOV.UK writes it: £125,000.00."""
    return f"£{amount:,.2f}"
