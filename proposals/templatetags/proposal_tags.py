from decimal import Decimal

from django import template
from django.utils import timezone

from proposals.models import SECTIONS_BY_FIELD, ProposalStatus, StageStatus

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


@register.simple_tag
def split_messages(messages):
    """Errors go in a GOV.UK error summary; everything else in notification banners."""
    grouped = {"errors": [], "others": []}
    for message in messages:
        grouped["errors" if message.level_tag == "error" else "others"].append(message)
    return grouped


@register.filter
def days_since(moment, today):
    """Whole days from `moment` (a date or datetime) to `today`."""
    if moment is None:
        return None
    day = timezone.localdate(moment) if hasattr(moment, "hour") else moment
    return (today - day).days


@register.filter
def attr(obj, name):
    """A named attribute, for templates that show one of several fields."""
    return getattr(obj, name, "")


#: How each audit action reads in a proposal's history; {stage} is the stage's name.
EVENT_TITLES = {
    "proposal.created": "Proposal created",
    "proposal.loaded": "Loaded from public sources",
    "proposal.withdraw": "Proposal withdrawn",
    "proposal.suspend": "Proposal suspended",
    "proposal.resume": "Proposal resumed",
    "proposal.reject": "Proposal rejected by the Home Secretary",
    "proposal.transfer": "Fire governance transferred",
    "proposal.legal_challenge": "Legal challenge flag changed",
    "stage.open": "{stage} opened",
    "stage.skip": "{stage} skipped",
    "stage.submit": "{stage} submitted for review",
    "stage.approve": "{stage} approved",
    "stage.return_to_pcc": "{stage} returned to the PCC",
    "stage.revise": "{stage} reopened for revision",
    "stage.complete": "{stage} completed",
    "stage.sign_off": "Submission signed off by the PCC signatory",
    "stage.due_date": "{stage} due date changed",
    "business_case.saved": "Business case: {section} saved",
    "business_case.duties_saved": "Collaboration duties saved",
    "consultation.saved": "Consultation details saved",
    "council_position.saved": "Council position recorded",
    "assessment.saved": "Independent assessment details saved",
    "decision.saved": "Decision recorded",
    "statutoryorder.saved": "Order details saved",
    "document.uploaded": "Document uploaded",
    "comment.added": "Comment added",
}
HIDDEN_CHANGE_KEYS = {"stage", "section"}


@register.simple_tag
def event_title(event):
    def named(key, default):
        return event.after.get(key) or event.before.get(key) or default

    return EVENT_TITLES.get(event.action, event.action).format(
        stage=named("stage", "Stage"), section=named("section", "section")
    )


@register.filter
def govuk_datetime(moment):
    """GOV.UK style: "1 October 2017 at 3:30pm", in Europe/London."""
    if not moment:
        return ""
    local = timezone.localtime(moment)
    hour = local.hour % 12 or 12
    return f"{local.day} {local:%B %Y} at {hour}:{local:%M}{'am' if local.hour < 12 else 'pm'}"


@register.filter
def machine_datetime(moment):
    """For <time datetime>: ISO 8601 in Europe/London to the second (HTML allows no more than
    three digits of a fraction of a second, so Django's "c", with microseconds, is invalid)."""
    if not moment:
        return ""
    return timezone.localtime(moment).isoformat(timespec="seconds")


@register.simple_tag
def event_changes(event):
    """(what, before, after) for each value the event changed; before is None when new."""
    changes = []
    for key, after in event.after.items():
        if key in HIDDEN_CHANGE_KEYS:
            continue
        before = event.before.get(key)
        if before == after:
            continue
        changes.append((key.replace("_", " ").capitalize(), _shown(before), _shown(after)))
    return changes


def _shown(value):
    if value is None or value == "":
        return None
    if isinstance(value, dict):
        return "; ".join(f"{key}: {item}" for key, item in value.items()) or None
    if isinstance(value, list):
        return ", ".join(str(item) for item in value)
    return str(value)


@register.simple_tag
def changed_label(revision):
    section = SECTIONS_BY_FIELD.get(revision.changed)
    return section.label if section else "Collaboration duties"


@register.filter
def pounds_text(amount):
    """A stored (JSON) amount, which arrives as text, shown as money."""
    return pounds(Decimal(str(amount))) if amount not in (None, "") else "£0.00"
