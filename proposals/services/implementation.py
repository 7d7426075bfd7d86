"""After the order: the implementation checklist of a transferred proposal (issue 14).

Made when governance transfers (services.workflow calls checklist_create); PCC people record
each item done with its date and an evidence document; Home Office reviewers move due dates.
Every change is audited. What may happen when is workflow.py section 7; reminders of the due
dates are reminders.py section 6.
"""

from datetime import date

import rules
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import formats, timezone

from .. import workflow
from ..models import ChecklistItem, DocumentKind, Proposal, ProposalStatus, Step
from .audit import audit_record
from .documents import document_store
from .drafting import StaleEdit, record_version
from .workflow import DUE_DATE_PAST, REASON_REQUIRED


def _label(item: ChecklistItem) -> str:
    return item.get_kind_display()


def checklist_create(*, proposal: Proposal) -> list[ChecklistItem]:
    """Make the proposal's checklist, each item due as workflow.checklist_due_dates has it from
    the order's transfer date, and audit it. Called with the proposal locked, as it transfers;
    a proposal that has its checklist already keeps it, and one under the representation model
    has none (workflow.CHECKLIST_MODELS)."""
    if proposal.governance_model not in workflow.CHECKLIST_MODELS:
        return []
    if proposal.checklist_items.exists():
        return []
    due_dates = workflow.checklist_due_dates(proposal.order.transfer_date)
    items = ChecklistItem.objects.bulk_create(
        ChecklistItem(proposal=proposal, kind=kind, due_on=due_on)
        for kind, due_on in due_dates.items()
    )
    audit_record(
        actor=None,
        action="checklist.created",
        target=proposal,
        proposal=proposal,
        after={"due_dates": {kind.label: due_on.isoformat() for kind, due_on in due_dates.items()}},
    )
    return items


def _locked(item: ChecklistItem) -> ChecklistItem:
    """The proposal, then the item, locked in that order as every workflow service does."""
    proposal = Proposal.objects.select_for_update().get(pk=item.proposal_id)
    locked = ChecklistItem.objects.select_for_update(of=("self",)).get(pk=item.pk)
    locked.proposal = proposal
    return locked


@transaction.atomic
def checklist_item_complete(
    *, item: ChecklistItem, done_on: date, uploaded_file, note: str, version: str, by
) -> ChecklistItem:
    """Record `item` done on `done_on`, with `uploaded_file` as its evidence, as PCC person `by`.

    Refused (TransitionRefused) as workflow.checklist_item_blockers says; StaleEdit when the
    item changed since `version` was read; ValidationError on `done_on` for a date in the
    future or before the order was made, and on `file` for a missing or unacceptable document.
    The evidence is kept with the order stage's documents.
    """
    item = _locked(item)
    reasons = workflow.checklist_item_blockers(item, by)
    if reasons:
        raise workflow.TransitionRefused(reasons)
    if record_version(item) != version:
        raise StaleEdit(current=item)
    if done_on > timezone.localdate():
        raise ValidationError({"done_on": workflow.CHECKLIST_DONE_IN_FUTURE})
    order = item.proposal.order
    if order.made_on and done_on < order.made_on:
        raise ValidationError(
            {
                "done_on": workflow.CHECKLIST_DONE_BEFORE_ORDER.format(
                    date=formats.date_format(order.made_on)
                )
            }
        )
    if uploaded_file is None:
        raise ValidationError({"file": workflow.CHECKLIST_EVIDENCE_REQUIRED})
    evidence = document_store(
        stage=item.proposal.stages.get(step=Step.ORDER),
        kind=DocumentKind.OTHER,
        uploaded_file=uploaded_file,
        by=by,
    )
    item.done_on = done_on
    item.evidence = evidence
    item.note = note.strip()
    item.confirmed_by = by
    item.confirmed_at = timezone.now()
    item.full_clean()
    item.save()
    audit_record(
        actor=by,
        action="checklist_item.done",
        target=item,
        proposal=item.proposal,
        before={"item": _label(item)},
        after={
            "item": _label(item),
            "done_on": done_on.isoformat(),
            "evidence": evidence.original_name,
            "note": item.note,
        },
    )
    return item


@transaction.atomic
def checklist_item_set_due_date(
    *, item: ChecklistItem, due_date: date, reason: str, by, past_confirmed: bool = False
) -> ChecklistItem:
    """Move an outstanding item's due date (Home Office reviewers), with the reason recorded.
    A date already passed needs `past_confirmed`, as for a stage's due date."""
    if not rules.has_perm("proposals.set_implementation_due_date", by, item.proposal):
        raise workflow.TransitionRefused([workflow.ONLY_REVIEWERS])
    reason = reason.strip()
    if not reason:
        raise ValidationError({"reason": REASON_REQUIRED})
    if due_date < timezone.localdate() and not past_confirmed:
        raise ValidationError({"due_date": DUE_DATE_PAST})
    item = _locked(item)
    if item.proposal.status != ProposalStatus.TRANSFERRED:
        raise workflow.TransitionRefused([workflow.CHECKLIST_ONLY_TRANSFERRED])
    if item.is_done:
        raise workflow.TransitionRefused(
            [workflow.CHECKLIST_ALREADY_DONE.format(date=formats.date_format(item.done_on))]
        )
    before = item.due_on
    item.due_on = due_date
    item.save(update_fields=["due_on", "updated_at"])
    audit_record(
        actor=by,
        action="checklist_item.due_date",
        target=item,
        proposal=item.proposal,
        before={"item": _label(item), "due_on": before.isoformat()},
        after={"item": _label(item), "due_on": due_date.isoformat()},
        reason=reason,
    )
    return item
