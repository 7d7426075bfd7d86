"""How a proposal's history reads: each audit event's title and what it changed, in words.

Audit events keep what was recorded (codes, ISO dates, checksums); this module turns them into
what a person reads, for the history on the proposal page and its CSV download alike.
"""

import re
from dataclasses import dataclass

from django.template.defaultfilters import filesizeformat
from django.utils.dateparse import parse_date

from .models import (
    CouncilPosition,
    Decision,
    DecisionGround,
    DocumentKind,
    Limb,
    LimbFinding,
    ProposalStatus,
    Representation,
    StageStatus,
    Step,
    finding_field,
    reasons_field,
)

#: How each audit action reads; {stage} is the stage's name, {section} the business case's.
EVENT_TITLES = {
    "proposal.created": "Proposal created",
    "proposal.loaded": "Loaded from public sources",
    "proposal.withdraw": "Proposal withdrawn",
    "proposal.suspend": "Proposal suspended",
    "proposal.resume": "Proposal resumed",
    "proposal.reject": "Proposal rejected by the Home Secretary",
    "proposal.transfer": "Fire governance transferred",
    "proposal.complete": "Proposal complete: the fire authority agreed to representation",
    "proposal.model_changed": "Governance model changed, and the stages with it",
    "proposal.legal_challenge": "Legal challenge flag changed",
    "proposal.case_officer": "Case officer changed",
    "proposal.governance_change": "Fire governance changed after transfer",
    "stage.open": "{stage} opened",
    "stage.skip": "{stage} skipped",
    "stage.submit": "{stage} submitted for review",
    "stage.approve": "{stage} approved",
    "stage.return_to_pcc": "{stage} returned to the PCC",
    "stage.revise": "{stage} reopened for revision",
    "stage.complete": "{stage} completed",
    "stage.sign_off": "Submission signed off by the PCC signatory",
    "document.removed": "Document removed",
    "document.replaced": "Document replaced",
    "stage.sign_off_cleared": "Sign-off cleared: the submission changed after it",
    "stage.due_date": "{stage} due date changed",
    "business_case.saved": "Business case: {section} saved",
    "business_case.duties_saved": "Collaboration duties saved",
    "consultation.saved": "Consultation details saved",
    "council_position.saved": "Council position recorded",
    "assessment.saved": "Independent assessment details saved",
    "decision.saved": "Decision recorded",
    "statutoryorder.saved": "Order details saved",
    "document.uploaded": "Document uploaded",
    "submission_pack.generated": "Submission pack made",
    "submission_pack.regenerated": "Submission pack made again: the record had changed",
    "comment.added": "Comment added",
    "representation.lodged": "Representation lodged",
    "representation.changed": "Representation changed",
    "representation.responded": "The PCC responded to a representation",
    "proposal.assessors": "Independent assessors changed",
    "checklist.created": "Implementation checklist opened",
    "checklist_item.done": "After the order: {item} recorded as done",
    "checklist_item.due_date": "After the order: {item} due date changed",
}

#: What each recorded value is called; others read as their name in words ("si_number" aside).
FIELD_LABELS = {
    "status": "Status",
    "stages": "Stages",
    "kind": "Kind of document",
    "name": "File name",
    "size": "Size",
    "sha256": "Document checksum",
    "outcome": "Decision",
    "decided_on": "Date of the decision",
    "position": "Position",
    "stated_on": "Date of the council's response",
    "due_date": "Due date",
    "under_legal_challenge": "Under legal challenge",
    "si_number": "S.I. number",
    "made_on": "Made",
    "laid_on": "Laid",
    "in_force_on": "In force",
    "starts_on": "Consultation start date",
    "ends_on": "Consultation end date",
    "responses_received": "Number of responses",
    "commissioned_on": "Commissioned",
    "reported_on": "Reported",
    "source_url": "Source",
    "duties": "Collaboration duties",
    "fire_authorities": "Fire and rescue authorities",
    "visibility": "Visible to",
    "changed_on": "Date of the change",
    "passed_to": "Passed to",
    "office_title": "Title of the office",
    "ground": "Ground relied on",
    **{finding_field(limb): f"Finding on {limb.label.lower()}" for limb in Limb},
    **{reasons_field(limb): f"Reasons on {limb.label.lower()}" for limb in Limb},
    "governance_model": "Governance model",
    "route": "Stages, in order",
    "due_dates": "Due dates",
    "due_on": "Due date",
    "done_on": "Done on",
    "evidence": "Evidence document",
}
#: Values kept for the record but of no use to most readers: shown only in a details element.
TECHNICAL_FIELDS = {"sha256"}
#: Values that name what an event is about, already said by its title.
HIDDEN_FIELDS = {"stage", "section", "covers", "item"}  # covers: in words as revision and documents
#: Fields whose recorded values are the codes of a set of choices.
CHOICE_FIELDS = {
    "kind": DocumentKind,
    "outcome": Decision.Outcome,
    "position": CouncilPosition.Position,
    "stages": StageStatus,
    "ground": DecisionGround,
    **{finding_field(limb): LimbFinding for limb in Limb},
}
#: A proposal's and a stage's "status" are different choices; the action says which.
STATUS_CHOICES = {"proposal": ProposalStatus, "stage": StageStatus}
ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")


@dataclass(frozen=True)
class Change:
    """One value an event changed, in words; `before` is None when it was new."""

    field: str
    before: str | None
    after: str | None
    technical: bool


def event_title(event) -> str:
    def named(key, default):
        return event.after.get(key) or event.before.get(key) or default

    return EVENT_TITLES.get(event.action, event.action).format(
        stage=named("stage", "Stage"),
        section=named("section", "section"),
        item=named("item", "an item"),
    )


def event_changes(event) -> list[Change]:
    """Each value `event` changed, named and written in words."""
    changes = []
    for key, after in event.after.items():
        before = event.before.get(key)
        if key in HIDDEN_FIELDS or before == after:
            continue
        choices = _choices_for(event, key)
        changes.append(
            Change(
                field=FIELD_LABELS.get(key, key.replace("_", " ").capitalize()),
                before=_in_words(key, before, choices),
                after=_in_words(key, after, choices),
                technical=key in TECHNICAL_FIELDS,
            )
        )
    return changes


def changes_text(event) -> str:
    """The event's changes on one line, for a spreadsheet cell."""
    return "; ".join(
        f"{change.field}: {change.before} → {change.after}"
        if change.before is not None
        else f"{change.field}: {change.after}"
        for change in event_changes(event)
    )


def _choices_for(event, key):
    if key == "status":
        return STATUS_CHOICES.get(event.action.split(".")[0])
    if key == "position" and event.action.startswith("representation."):
        return Representation.Position
    return CHOICE_FIELDS.get(key)


def _in_words(key, value, choices) -> str | None:
    if value is None or value == "" or value == [] or value == {}:
        return None
    if key == "stages" and isinstance(value, list):
        # [step, status] pairs along the proposal's route; recorded before routes, one status
        # per step of the governance route, in order.
        pairs = value if isinstance(value[0], list) else zip(Step, value, strict=False)
        return "; ".join(f"{Step(step).label}: {_one(key, item, choices)}" for step, item in pairs)
    if isinstance(value, dict):
        return "; ".join(f"{name}: {_one(key, item, choices)}" for name, item in value.items())
    if isinstance(value, list):
        return ", ".join(_one(key, item, choices) for item in value)
    return _one(key, value, choices)


def _one(key, value, choices) -> str:
    if isinstance(value, bool):
        return "Yes" if value else "No"
    if key == "size" and isinstance(value, int):
        return filesizeformat(value)
    if choices is not None and value in choices.values:
        return choices(value).label
    if isinstance(value, str) and ISO_DATE.fullmatch(value):
        return date_in_words(value)
    return str(value)


def date_in_words(value: str) -> str:
    """An ISO date as recorded ("2017-06-01") as people write it ("1 June 2017")."""
    day = parse_date(value)
    return f"{day.day} {day:%B %Y}"
