"""Writes PCC staff make to their proposals."""

import rules
from django.core.exceptions import ValidationError
from django.db import transaction
from django.forms.models import model_to_dict
from django.utils import timezone

from .. import workflow
from ..models import (
    SECTION_MAX_CHARS,
    SECTIONS_BY_FIELD,
    Assessment,
    BusinessCaseRevision,
    Consultation,
    CouncilPosition,
    Decision,
    DutyEvidence,
    GovernanceModel,
    MessageEvent,
    Proposal,
    Stage,
    StageStatus,
    StatutoryOrder,
    Step,
    business_case_sections,
)
from .audit import audit_record
from .messages import messages_dispatch
from .workflow import stage_locked, stage_sign_off_clear

FIRE_AUTHORITY_OUTSIDE_PCC = "Choose fire and rescue authorities in your own police area"
NO_FIRE_AUTHORITY = "Choose at least one fire and rescue authority the proposal covers"


def proposal_stages_build(*, proposal: Proposal, now=None) -> list[Stage]:
    """The stages of a new proposal's route, unsaved; the business case starts open."""
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
        for step in workflow.route(proposal.governance_model)
    ]


@transaction.atomic
def proposal_create(*, pcc, title: str, governance_model: str, fire_authorities, by) -> Proposal:
    """Create a proposal for `pcc` covering some of its fire authorities, with the stages of
    its model's route.

    Raises ValidationError when a fire authority lies outside the PCC's area.
    """
    fire_authorities = list(fire_authorities)
    if not fire_authorities:
        raise ValidationError({"fire_authorities": NO_FIRE_AUTHORITY})
    if any(authority.pcc_id != pcc.pk for authority in fire_authorities):
        raise ValidationError({"fire_authorities": FIRE_AUTHORITY_OUTSIDE_PCC})
    proposal = Proposal(pcc=pcc, title=title, governance_model=governance_model, created_by=by)
    proposal.full_clean(exclude=["status"])  # status moves only through the workflow
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
            "governance_model": GovernanceModel(governance_model).label,
            "fire_authorities": [authority.name for authority in fire_authorities],
        },
    )
    return proposal


def _route_in_words(governance_model: str) -> dict:
    return {
        "governance_model": GovernanceModel(governance_model).label,
        "route": [Step(step).label for step in workflow.route(governance_model)],
    }


MODEL_CHANGED_MEANWHILE = (
    "Someone changed this proposal's model to {model} while you were choosing: check the "
    "stages it has now, then choose again."
)


@transaction.atomic
def proposal_change_model(*, proposal: Proposal, governance_model: str, was: str, by) -> Proposal:
    """Move a proposal to another governance model, re-planning its stages to the new route:
    those the routes share stay as they are, the old route's others (none started) go, the
    new route's others are added, not started. Recorded in the history with both routes.

    Refused (ValidationError on `governance_model`) once anything has gone to the Home Office
    (workflow.model_change_blockers), for the model it already has, or when the model is no
    longer `was`, the one the PCC chose from.
    """
    if not rules.has_perm("proposals.draft_proposal", by, proposal):
        raise workflow.TransitionRefused([workflow.ONLY_PCC_PEOPLE])
    proposal = Proposal.objects.select_for_update().get(pk=proposal.pk)
    governance_model = GovernanceModel(governance_model)
    reasons = workflow.model_change_blockers(proposal)
    if not reasons and proposal.governance_model != was:
        reasons = [MODEL_CHANGED_MEANWHILE.format(model=proposal.get_governance_model_display())]
    if not reasons and governance_model == proposal.governance_model:
        reasons = [workflow.MODEL_UNCHANGED]
    if reasons:
        raise ValidationError({"governance_model": reasons})
    before = _route_in_words(proposal.governance_model)
    new_route = workflow.route(governance_model)
    proposal.stages.exclude(step__in=new_route).delete()
    kept = set(proposal.stages.values_list("step", flat=True))
    proposal.governance_model = governance_model
    proposal.save(update_fields=["governance_model", "updated_at"])
    Stage.objects.bulk_create(
        stage for stage in proposal_stages_build(proposal=proposal) if stage.step not in kept
    )
    audit_record(
        actor=by,
        action="proposal.model_changed",
        target=proposal,
        proposal=proposal,
        before=before,
        after=_route_in_words(governance_model),
    )
    return proposal


STALE_EDIT = (
    "Someone else saved this while you were editing it. Their version is shown below and your "
    "text is kept in the form: check both, then save again to replace theirs."
)


TEXT_TOO_LONG = "{label} must be {limit:,} characters or fewer"


def text_too_long(label: str) -> str:
    return TEXT_TOO_LONG.format(label=label, limit=SECTION_MAX_CHARS)


class StaleEdit(Exception):
    """The form was based on an older saved version; `current` is what is saved now."""

    def __init__(self, current):
        super().__init__(STALE_EDIT)
        self.current = current


def _refuse_unless_editable(stage, by) -> None:
    reasons = workflow.edit_blockers(stage, by)
    if reasons:
        raise workflow.TransitionRefused(reasons)


def business_case_latest(proposal: Proposal) -> BusinessCaseRevision | None:
    return proposal.revisions.order_by("-number").first()


NOTHING_CHANGED = "You did not change anything, so no new revision was saved."
REVISION_SAVED = "Saved as revision {number} of the business case."


class NothingChanged(Exception):
    """A save that would make a revision identical to the latest: nothing is written."""

    def __init__(self):
        super().__init__(NOTHING_CHANGED)


def _next_revision(
    *, proposal, base_revision: int, by, changed: str, sections=None, duties=None, links=None
) -> tuple[BusinessCaseRevision | None, BusinessCaseRevision]:
    """Lock the business case, refuse a stale or forbidden edit, and write the next revision:
    the latest's sections with `sections` ({field: text}) replaced, and its duty evidence, or
    `duties` ({duty id: evidence}) with the register entries each cites (`links`: {duty id:
    set of agreement ids}) when given. Raises NothingChanged when that is the latest again (or
    all empty when there is none yet). Returns (previous, new)."""
    stage = stage_locked(proposal.stages.get(step=Step.BUSINESS_CASE))
    _refuse_unless_editable(stage, by)
    stage_sign_off_clear(stage=stage, by=by, because="the business case was saved")
    latest = business_case_latest(proposal)
    if (latest.number if latest else 0) != base_revision:
        raise StaleEdit(current=latest)
    values = {field: getattr(latest, field) if latest else "" for field in SECTIONS_BY_FIELD}
    latest_evidence = list(latest.duty_evidence.prefetch_related("agreements")) if latest else []
    evidence = {item.duty_id: item.evidence for item in latest_evidence}
    cited = {
        item.duty_id: {agreement.pk for agreement in item.agreements.all()}
        for item in latest_evidence
    }
    new_values = {**values, **(sections or {})}
    new_evidence = evidence if duties is None else duties
    new_cited = (
        cited if duties is None else {duty_id: set(links.get(duty_id, ())) for duty_id in duties}
    )
    if new_values == values and new_evidence == evidence and new_cited == cited:
        raise NothingChanged
    revision = BusinessCaseRevision.objects.create(
        proposal=proposal,
        number=base_revision + 1,
        created_by=by,
        changed=changed,
        **new_values,
    )
    made = DutyEvidence.objects.bulk_create(
        DutyEvidence(revision=revision, duty_id=duty_id, evidence=text)
        for duty_id, text in new_evidence.items()
    )
    DutyEvidence.agreements.through.objects.bulk_create(
        DutyEvidence.agreements.through(dutyevidence_id=item.pk, collaborationagreement_id=pk)
        for item in made
        for pk in new_cited.get(item.duty_id, ())
    )
    return latest, revision


@transaction.atomic
def business_case_section_save(
    *, proposal: Proposal, section: str, text: str, base_revision: int, by
) -> BusinessCaseRevision:
    """Save one section as a new immutable revision copying the rest from the latest.

    `base_revision` is the revision number the editor started from (0 for none); if someone
    has saved since, StaleEdit is raised and nothing is written. NothingChanged when the text
    is what is saved already.
    """
    if SECTIONS_BY_FIELD[section] not in business_case_sections(proposal.governance_model):
        raise ValueError(section)  # the pages offer only the model's own sections
    label = SECTIONS_BY_FIELD[section].label
    if len(text.strip()) > SECTION_MAX_CHARS:
        raise ValidationError({"text": text_too_long(label)})
    latest, revision = _next_revision(
        proposal=proposal,
        base_revision=base_revision,
        by=by,
        changed=section,
        sections={section: text.strip()},
    )
    audit_record(
        actor=by,
        action="business_case.saved",
        target=revision,
        proposal=proposal,
        before={"section": label, "text": getattr(latest, section) if latest else ""},
        after={"section": label, "text": getattr(revision, section), "revision": revision.number},
    )
    return revision


#: Issue 14: a duty's evidence may cite the area's collaboration register entries.
CITED_WITHOUT_EVIDENCE = "Say how the agreements you chose address {provision}"
CITED_OUTSIDE_AREA = "Choose agreements of the same area as the proposal"


@transaction.atomic
def business_case_duties_save(
    *, proposal: Proposal, evidence: dict, base_revision: int, by, cited=None
) -> BusinessCaseRevision:
    """Save how the case addresses the Act's collaboration duties ({duty: evidence text};
    blank evidence means not addressed) as a new revision, with the entries of the area's
    collaboration register each duty's evidence cites (`cited`: {duty: agreements}). StaleEdit
    and NothingChanged as for sections."""
    cited = {duty: list(agreements) for duty, agreements in (cited or {}).items() if agreements}
    for duty, text in evidence.items():
        if len(text.strip()) > SECTION_MAX_CHARS:
            raise ValidationError(text_too_long(duty.provision))
    for duty, agreements in cited.items():
        if any(agreement.pcc_id != proposal.pcc_id for agreement in agreements):
            raise ValidationError(CITED_OUTSIDE_AREA)
        if not evidence.get(duty, "").strip():
            # Keyed as the duties form names its evidence fields, so it shows by the field.
            raise ValidationError(
                {f"duty_{duty.pk}": CITED_WITHOUT_EVIDENCE.format(provision=duty.provision)}
            )
    addressed = {duty: text.strip() for duty, text in evidence.items() if text.strip()}
    latest, revision = _next_revision(
        proposal=proposal,
        base_revision=base_revision,
        by=by,
        changed="duties",
        duties={duty.pk: text for duty, text in addressed.items()},
        links={
            duty.pk: {agreement.pk for agreement in agreements}
            for duty, agreements in cited.items()
        },
    )
    before = (
        {item.duty.provision: item.evidence for item in latest.duty_evidence.select_related("duty")}
        if latest
        else {}
    )
    audit_record(
        actor=by,
        action="business_case.duties_saved",
        target=revision,
        proposal=proposal,
        before={"duties": before},
        after={
            "duties": {duty.provision: text for duty, text in addressed.items()},
            "cited_agreements": {
                duty.provision: [agreement.title for agreement in agreements]
                for duty, agreements in cited.items()
            },
            "revision": revision.number,
        },
    )
    return revision


def record_version(record) -> str:
    """A token of the saved state of a record, for refusing stale edits ('' when unsaved)."""
    return record.updated_at.isoformat() if record is not None and record.pk else ""


#: The record each stage's details live in (one per proposal).
STAGE_RECORDS = {
    Step.CONSULTATION: Consultation,
    Step.INDEPENDENT_ASSESSMENT: Assessment,
    Step.DECISION: Decision,
    Step.ORDER: StatutoryOrder,
}


def stage_record(stage: Stage):
    """The saved details record of `stage`, or None."""
    return STAGE_RECORDS[stage.step].objects.filter(proposal_id=stage.proposal_id).first()


@transaction.atomic
def stage_details_save(*, stage: Stage, values: dict, version: str, by):
    """Create or update the details of a stage (consultation, assessment, decision, order).

    PCC people record the consultation; reviewers the Home Office's steps (edit_blockers).
    Raises StaleEdit when the record changed since `version` was read.
    """
    stage = stage_locked(stage)
    _refuse_unless_editable(stage, by)
    stage_sign_off_clear(stage=stage, by=by, because="its details were saved")
    model = STAGE_RECORDS[stage.step]
    record = model.objects.select_for_update().filter(proposal_id=stage.proposal_id).first()
    if record_version(record) != version:
        raise StaleEdit(current=record)
    before = model_to_dict(record, fields=list(values)) if record else {}
    record = record or model(proposal=stage.proposal)
    for field, value in values.items():
        setattr(record, field, value)
    record.full_clean()
    record.save()
    event = audit_record(
        actor=by,
        action=f"{model._meta.model_name}.saved",
        target=record,
        proposal=stage.proposal,
        before=before,
        after=model_to_dict(record, fields=list(values)),
    )
    if not Step(stage.step).is_pcc_step:  # the Home Office's records: the PCC hears of them
        record.told = messages_dispatch(
            event=MessageEvent.RECORD_SAVED,
            audit_event=event,
            by=by,
            proposal=stage.proposal,
            stage=stage,
        )
    return record


def council_positions_version(proposal: Proposal) -> str:
    latest = proposal.council_positions.order_by("-updated_at").first()
    return record_version(latest)


@transaction.atomic
def council_positions_save(*, stage: Stage, positions: dict, version: str, by) -> None:
    """Record each upper-tier council's position on the proposal during consultation.

    `positions` maps a LocalAuthority of the proposal's PCC to a dict of position, stated_on
    and evidence; a council with no position given is left as it was.
    """
    stage = stage_locked(stage)
    if stage.step != Step.CONSULTATION:
        raise ValueError(stage.step)
    _refuse_unless_editable(stage, by)
    stage_sign_off_clear(stage=stage, by=by, because="council positions were recorded")
    proposal = stage.proposal
    if council_positions_version(proposal) != version:
        raise StaleEdit(current=None)
    lodged = set(
        proposal.representations.filter(local_authority__isnull=False).values_list(
            "local_authority_id", flat=True
        )
    )
    for council, values in positions.items():
        if council.pcc_id != proposal.pcc_id:
            raise ValidationError(COUNCIL_OUTSIDE_PCC)
        if council.pk in lodged and values.get("position"):
            # Its own representation states its position (services.representations).
            raise ValidationError(COUNCIL_LODGED_ITS_OWN.format(council=council.name))
        if not values.get("position"):
            continue
        existing = CouncilPosition.objects.filter(
            proposal=proposal, local_authority=council
        ).first()
        before = model_to_dict(existing, fields=list(values)) if existing else {}
        position, _ = CouncilPosition.objects.update_or_create(
            proposal=proposal, local_authority=council, defaults=values
        )
        after = model_to_dict(position, fields=list(values))
        if after != before:
            audit_record(
                actor=by,
                action="council_position.saved",
                target=position,
                proposal=proposal,
                before=before,
                after=after,
            )


COUNCIL_OUTSIDE_PCC = "Positions can only be recorded for the councils in the PCC's area."
COUNCIL_LODGED_ITS_OWN = (
    "{council} has lodged its own representation, which states its position: it cannot be "
    "recorded here."
)
