from decimal import Decimal

from django import template
from django.utils import timezone

from proposals import history, workflow
from proposals.models import (
    SECTIONS_BY_FIELD,
    AgreementStatus,
    ChecklistItemStatus,
    CollaborationDuty,
    Consideration,
    GovernanceModel,
    ProposalStatus,
    Representation,
    StageStatus,
)

register = template.Library()

#: The GOV.UK tag colour of every value of each set of choices shown as a tag.
TAG_COLOURS = {
    StageStatus: {
        StageStatus.NOT_STARTED: "grey",
        StageStatus.IN_PROGRESS: "light-blue",
        StageStatus.SUBMITTED: "purple",
        StageStatus.RETURNED: "orange",
        StageStatus.APPROVED: "green",
        StageStatus.SKIPPED: "grey",
        StageStatus.REJECTED: "red",
    },
    ProposalStatus: {
        ProposalStatus.ACTIVE: "blue",
        ProposalStatus.SUSPENDED: "yellow",
        ProposalStatus.WITHDRAWN: "grey",
        ProposalStatus.NOT_PURSUED: "grey",
        ProposalStatus.TRANSFERRED: "green",
        ProposalStatus.REJECTED: "red",
        ProposalStatus.COMPLETED: "green",
    },
    CollaborationDuty.Kind: {
        CollaborationDuty.Kind.DUTY: "blue",
        CollaborationDuty.Kind.POWER: "grey",
    },
    Representation.Position: {
        Representation.Position.SUPPORTS: "green",
        Representation.Position.OBJECTS: "red",
        Representation.Position.COMMENTS: "grey",
    },
    AgreementStatus: {
        AgreementStatus.PROPOSED: "light-blue",
        AgreementStatus.IN_FORCE: "green",
        AgreementStatus.NOT_AGREED: "red",
        AgreementStatus.ENDED: "grey",
    },
    Consideration.Decision: {
        Consideration.Decision.PENDING: "yellow",
        Consideration.Decision.AGREED: "green",
        Consideration.Decision.DECLINED: "red",
    },
    ChecklistItemStatus: {
        ChecklistItemStatus.NOT_STARTED: "grey",
        ChecklistItemStatus.DONE: "green",
        ChecklistItemStatus.OVERDUE: "red",
    },
}


def choice_tag(choices, value) -> dict:
    """A GOV.UK tag for one value of `choices`: its label, in its colour."""
    member = choices(value)
    return {"text": member.label, "colour": TAG_COLOURS[choices][member]}


@register.inclusion_tag("includes/tag.html")
def stage_tag(stage):
    return choice_tag(StageStatus, stage.status)


@register.inclusion_tag("includes/tag.html")
def proposal_tag(proposal):
    return choice_tag(ProposalStatus, proposal.status)


@register.inclusion_tag("proposals/_routes.html")
def routes_table():
    """The stages each governance model goes through (workflow.ROUTES), as a table."""
    return {
        "routes": [
            (GovernanceModel(model).label, [step.label for step in steps])
            for model, steps in workflow.ROUTES.items()
        ]
    }


@register.inclusion_tag("includes/tag.html")
def position_tag(representation):
    return choice_tag(Representation.Position, representation.position)


@register.inclusion_tag("includes/tag.html")
def duty_kind_tag(duty):
    return choice_tag(CollaborationDuty.Kind, duty.kind)


@register.inclusion_tag("includes/tag.html")
def agreement_tag(agreement):
    return choice_tag(AgreementStatus, agreement.status)


@register.inclusion_tag("includes/tag.html")
def consideration_tag(consideration):
    return choice_tag(Consideration.Decision, consideration.decision)


@register.inclusion_tag("includes/tag.html")
def checklist_status_tag(item):
    return choice_tag(ChecklistItemStatus, item.status)


@register.filter
def pounds(amount):
    """Money as GOV.UK writes it: £125,000.00, or -£5,000.00 for money taken back."""
    return f"-£{-amount:,.2f}" if amount < 0 else f"£{amount:,.2f}"


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


@register.simple_tag
def event_title(event):
    return history.event_title(event)


@register.filter
def recorded_date(value):
    """A date kept in an audit event (ISO text) as people write it."""
    return history.date_in_words(value) if value else ""


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
    return history.event_changes(event)


@register.simple_tag
def changed_label(revision):
    section = SECTIONS_BY_FIELD.get(revision.changed)
    return section.label if section else "Collaboration duties"


@register.filter
def pounds_text(amount):
    """A stored (JSON) amount, which arrives as text, shown as money."""
    return pounds(Decimal(str(amount))) if amount not in (None, "") else "£0.00"
