"""Writes to the collaboration register: agreements and the parties' considerations (issue 14).

Only PCC people of the agreement's area write (rules.py, "proposals.edit_collaboration");
every write is audited with who, when, what before and after; a save based on an older version
than the one saved now is refused (drafting.StaleEdit), so two editors never overwrite each
other unknowingly.
"""

import rules
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import formats

from .. import workflow
from ..models import CollaborationAgreement, Consideration, Pcc
from .audit import audit_record
from .drafting import StaleEdit, record_version

ONLY_THE_AREA = "Only the PCC's staff and signatories of the area record its collaboration."
TWO_PARTIES = "Choose at least two parties: a collaboration is between bodies"
BODY_OUTSIDE_AREA = "Choose bodies of your own police area"
IN_FORCE_NEEDS_START = "Enter the date the agreement came into force"
REVIEW_BEFORE_START = "The review date must be on or after the start date"
END_BEFORE_START = "The end date must be on or after the start date"
DECLINED_NEEDS_REASONS = "Enter the reasons {party} gave for declining"

#: What an agreement's audit event records, by field.
AUDITED_FIELDS = (
    "title",
    "subject",
    "status",
    "police_is_party",
    "notified_on",
    "starts_on",
    "review_on",
    "ends_on",
    "summary",
    "source_url",
)


def agreement_version(agreement: CollaborationAgreement | None) -> str:
    return record_version(agreement)


def _refuse_unless_area_member(pcc: Pcc, by) -> None:
    if not rules.has_perm("proposals.edit_collaboration", by, pcc):
        raise workflow.TransitionRefused([ONLY_THE_AREA])


def _state(agreement: CollaborationAgreement) -> dict:
    """What the audit keeps of an agreement: its fields and the names of its parties and duties."""
    state = {field: getattr(agreement, field) for field in AUDITED_FIELDS}
    state["parties"] = [party.name for party in agreement.parties()]
    state["duties"] = [duty.provision for duty in agreement.duties.all()]
    return state


def _check(*, pcc: Pcc, values: dict, fire_authorities, ambulance_trusts) -> None:
    errors = {}
    if any(authority.pcc_id != pcc.pk for authority in fire_authorities):
        errors["fire_authorities"] = BODY_OUTSIDE_AREA
    if any(trust.pk != pcc.ambulance_trust_id for trust in ambulance_trusts):
        errors["ambulance_trusts"] = BODY_OUTSIDE_AREA
    if values["police_is_party"] + len(fire_authorities) + len(ambulance_trusts) < 2:
        errors["police_is_party"] = TWO_PARTIES
    starts_on = values.get("starts_on")
    if values["status"] == "in_force" and not starts_on:
        errors["starts_on"] = IN_FORCE_NEEDS_START
    if starts_on and values.get("review_on") and values["review_on"] < starts_on:
        errors["review_on"] = REVIEW_BEFORE_START
    if starts_on and values.get("ends_on") and values["ends_on"] < starts_on:
        errors["ends_on"] = END_BEFORE_START
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def agreement_save(
    *,
    pcc: Pcc,
    agreement: CollaborationAgreement | None,
    values: dict,
    fire_authorities,
    ambulance_trusts,
    duties,
    version: str,
    by,
) -> CollaborationAgreement:
    """Record a new agreement for `pcc` (`agreement` None) or change one of its own.

    `values` holds AUDITED_FIELDS. Raises TransitionRefused for anyone but the area's PCC
    people, ValidationError (by field) for parties outside the area or dates out of order, and
    StaleEdit when the agreement changed since `version` was read.
    """
    _refuse_unless_area_member(pcc, by)
    fire_authorities, ambulance_trusts = list(fire_authorities), list(ambulance_trusts)
    _check(
        pcc=pcc, values=values, fire_authorities=fire_authorities, ambulance_trusts=ambulance_trusts
    )
    if agreement is None:
        before = {}
        agreement = CollaborationAgreement(pcc=pcc, created_by=by)
    else:
        agreement = CollaborationAgreement.objects.select_for_update().get(pk=agreement.pk, pcc=pcc)
        if agreement_version(agreement) != version:
            raise StaleEdit(current=agreement)
        before = _state(agreement)
    for field, value in values.items():
        setattr(agreement, field, value)
    agreement.full_clean(exclude=["pcc", "created_by"])
    agreement.save()
    agreement.fire_authorities.set(fire_authorities)
    agreement.ambulance_trusts.set(ambulance_trusts)
    agreement.duties.set(duties)
    after = _state(agreement)
    if after != before:
        audit_record(
            actor=by,
            action="collaboration_agreement.saved",
            target=agreement,
            before=before,
            after=after,
        )
    return agreement


def considerations_version(agreement: CollaborationAgreement) -> str:
    """A token of the considerations saved ('' before the first)."""
    return record_version(agreement.considerations.order_by("-updated_at").first())


@transaction.atomic
def considerations_save(
    *, agreement: CollaborationAgreement, decisions: dict, version: str, by
) -> list[Consideration]:
    """Record each party's consideration of a proposed collaboration (PCA 2017 s.2(3)).

    `decisions` maps a Party's key to {decision, decided_on, reasons}; a party left out keeps
    what it had. A declined party must give reasons. StaleEdit when anyone saved since
    `version`; TransitionRefused for anyone but the area's PCC people.
    """
    _refuse_unless_area_member(agreement.pcc, by)
    agreement = CollaborationAgreement.objects.select_for_update().get(pk=agreement.pk)
    if considerations_version(agreement) != version:
        raise StaleEdit(current=None)
    parties = {party.key: party for party in agreement.parties()}
    if not decisions.keys() <= parties.keys():  # the parties changed since the form was read
        raise StaleEdit(current=None)
    saved = []
    for key, values in decisions.items():
        party = parties[key]
        if values["decision"] == Consideration.Decision.DECLINED and not values["reasons"]:
            reasons_needed = DECLINED_NEEDS_REASONS.format(party=party.name)
            raise ValidationError({f"{key}_reasons": reasons_needed})
        existing = agreement.considerations.filter(
            party_kind=party.kind,
            fire_authority_id=party.fire_authority_id,
            ambulance_trust_id=party.ambulance_trust_id,
        ).first()
        before = _consideration_state(existing) if existing else {}
        consideration = existing or Consideration(
            agreement=agreement,
            party_kind=party.kind,
            fire_authority_id=party.fire_authority_id,
            ambulance_trust_id=party.ambulance_trust_id,
        )
        for field, value in values.items():
            setattr(consideration, field, value)
        consideration.full_clean()
        consideration.save()
        after = _consideration_state(consideration)
        if after != before:
            audit_record(
                actor=by,
                action="collaboration_consideration.saved",
                target=consideration,
                before=before,
                after={"party": party.name, **after},
            )
        saved.append(consideration)
    return saved


def _consideration_state(consideration: Consideration) -> dict:
    return {
        "decision": consideration.get_decision_display(),
        "decided_on": formats.date_format(consideration.decided_on)
        if consideration.decided_on
        else "",
        "reasons": consideration.reasons,
    }
