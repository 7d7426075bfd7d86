"""Independent assessors assigned to proposals; representations lodged by the councils and
fire and rescue authorities themselves, and the PCC's response to each. Who may, and when, is
workflow.py's (section 5b); every write is audited, and lodging and responding are told
(messaging.py).

A council's representation is its position: lodging or changing one sets that council's
CouncilPosition (supports, objects, or no view for "neutral or comments"), stated on the day it
was lodged, with "Representation lodged by <name>" as its evidence. So the consultation's
completeness rule (workflow.missing_content: each council's position) reads what the council
said itself, and the PCC no longer records that council's position (drafting refuses it).
"""

import rules
from django.core.exceptions import ValidationError
from django.db import transaction
from django.forms.models import model_to_dict
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format

from .. import workflow
from ..models import CouncilPosition, MessageEvent, Proposal, Representation, Step
from .audit import audit_record
from .documents import representation_document_store
from .drafting import StaleEdit, record_version
from .messages import messages_dispatch
from .workflow import stage_locked, stage_sign_off_clear

COUNCIL_POSITIONS = {
    Representation.Position.SUPPORTS: CouncilPosition.Position.SUPPORTS,
    Representation.Position.OBJECTS: CouncilPosition.Position.OBJECTS,
    Representation.Position.COMMENTS: CouncilPosition.Position.NO_VIEW,
}
LODGED_EVIDENCE = "Representation lodged by {name} on {date}"
FIELDS = ["position", "reasons"]


def body_representation(*, proposal: Proposal, user) -> Representation | None:
    """The representation of the body `user` speaks for on `proposal`, if it has lodged one."""
    if not user.is_consultee:
        return None
    return (
        proposal.representations.filter(
            local_authority_id=user.local_authority_id, fire_authority_id=user.fire_authority_id
        )
        .prefetch_related("documents")
        .first()
    )


def _refuse(reasons: list[str]) -> None:
    if reasons:
        raise workflow.TransitionRefused(reasons)


@transaction.atomic
def representation_lodge(
    *, proposal: Proposal, position: str, reasons: str, documents=(), version: str, by
) -> Representation:
    """Lodge, or change, the representation of the body `by` speaks for, with any `documents`
    (uploaded files). Raises TransitionRefused when they may not now (workflow), StaleEdit when
    it changed since `version` was read, ValidationError on `file` for an unacceptable file."""
    consultation = stage_locked(proposal.stages.get(step=Step.CONSULTATION))
    proposal = consultation.proposal
    _refuse(workflow.representation_blockers(proposal, by))
    existing = (
        Representation.objects.select_for_update()
        .filter(
            proposal=proposal,
            local_authority_id=by.local_authority_id,
            fire_authority_id=by.fire_authority_id,
        )
        .first()
    )
    if record_version(existing) != version:
        raise StaleEdit(current=existing)
    representation = existing or Representation(
        proposal=proposal, local_authority=by.local_authority, fire_authority=by.fire_authority
    )
    before = model_to_dict(existing, fields=FIELDS) if existing else {}
    representation.position = position
    representation.reasons = reasons
    representation.lodged_by = by
    representation.lodged_at = timezone.now()
    representation.full_clean()
    representation.save()
    for uploaded_file in documents:
        representation_document_store(
            representation=representation, uploaded_file=uploaded_file, by=by
        )
    lodged = "changed" if existing else "lodged"
    audit = audit_record(
        actor=by,
        action=f"representation.{lodged}",
        target=representation,
        proposal=proposal,
        before=before,
        after={
            **model_to_dict(representation, fields=FIELDS),
            "body": representation.body.name,
            "documents": [document.original_name for document in representation.documents.all()],
        },
    )
    if representation.local_authority_id:
        _council_position_set(representation, by=by)
    representation.told = messages_dispatch(
        event=MessageEvent.REPRESENTATION_LODGED,
        audit_event=audit,
        by=by,
        proposal=proposal,
        stage=consultation,
        body=representation.body.name,
        position=representation.get_position_display().lower(),
        lodged=lodged,
    )
    return representation


def _council_position_set(representation: Representation, *, by) -> None:
    """The council's position on the proposal is the one its representation states."""
    lodged_on = timezone.localdate(representation.lodged_at)
    values = {
        "position": COUNCIL_POSITIONS[representation.position],
        "stated_on": lodged_on,
        "evidence": LODGED_EVIDENCE.format(
            name=representation.lodged_by, date=date_format(lodged_on)
        ),
    }
    existing = CouncilPosition.objects.filter(
        proposal=representation.proposal, local_authority=representation.local_authority
    ).first()
    before = model_to_dict(existing, fields=list(values)) if existing else {}
    position, _ = CouncilPosition.objects.update_or_create(
        proposal=representation.proposal,
        local_authority=representation.local_authority,
        defaults=values,
    )
    audit_record(
        actor=by,
        action="council_position.saved",
        target=position,
        proposal=representation.proposal,
        before=before,
        after=model_to_dict(position, fields=list(values)),
        reason="Set by the council's own representation.",
    )


@transaction.atomic
def representation_respond(*, representation: Representation, response: str, version: str, by):
    """Record, or change, the PCC's response to `representation`, and tell the body's
    consultees. The response goes to the Home Secretary with the submission, so a signed-off
    submission must be signed off again. Raises TransitionRefused (workflow) or StaleEdit."""
    submission = stage_locked(representation.proposal.stages.get(step=Step.SUBMISSION))
    representation = (
        Representation.objects.select_for_update(of=("self",))
        .select_related("proposal__pcc", "local_authority", "fire_authority")
        .get(pk=representation.pk)
    )
    _refuse(workflow.response_blockers(representation.proposal, by))
    if record_version(representation) != version:
        raise StaleEdit(current=representation)
    before = {"response": representation.response}
    representation.response = response
    representation.responded_by = by
    representation.responded_at = timezone.now()
    representation.full_clean()
    representation.save()
    audit = audit_record(
        actor=by,
        action="representation.responded",
        target=representation,
        proposal=representation.proposal,
        before=before,
        after={"response": response, "body": representation.body.name},
    )
    stage_sign_off_clear(
        stage=submission, by=by, because="a response to a representation was recorded"
    )
    proposal = representation.proposal
    representation.told = messages_dispatch(
        event=MessageEvent.REPRESENTATION_ANSWERED,
        audit_event=audit,
        by=by,
        proposal=proposal,
        named=[representation.body],
        link=reverse("proposals:public-record", kwargs={"pk": proposal.pk}),
        body=representation.body.name,
    )
    return representation


ASSESSOR_NOT_ASSESSOR = "Select independent assessors from the list"


@transaction.atomic
def proposal_assign_assessors(*, proposal: Proposal, assessors, version: str, by) -> Proposal:
    """Assign the independent assessors (active users of that role) who may see `proposal`'s
    public record and record its independent assessment, as a reviewer `by`. Audited.
    Raises StaleEdit when the proposal changed since `version` was read."""
    if not rules.has_perm("proposals.review_proposal", by, proposal):
        raise workflow.TransitionRefused([workflow.ONLY_REVIEWERS])
    assessors = list(assessors)
    if any(not (person.is_assessor and person.is_active) for person in assessors):
        raise ValidationError({"assessors": ASSESSOR_NOT_ASSESSOR})
    proposal = Proposal.objects.select_for_update().get(pk=proposal.pk)
    if record_version(proposal) != version:
        raise StaleEdit(current=proposal)
    before = sorted(str(person) for person in proposal.assessors.all())
    proposal.assessors.set(assessors)
    proposal.save(update_fields=["updated_at"])
    audit_record(
        actor=by,
        action="proposal.assessors",
        target=proposal,
        proposal=proposal,
        before={"assessors": before},
        after={"assessors": sorted(str(person) for person in assessors)},
    )
    return proposal
