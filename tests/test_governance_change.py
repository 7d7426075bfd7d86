"""A change of fire governance after transfer, and the PCC's title on a given day."""

from datetime import date

import pytest
from django.core.exceptions import ValidationError

from proposals import workflow
from proposals.models import (
    CHANGE_NEEDS_TRANSFER,
    PCC_TITLE,
    PFCC_TITLE,
    AuditEvent,
    ProposalStatus,
    Stage,
    StageStatus,
    StatutoryOrder,
    Step,
)
from proposals.services.governance import governance_change_record

from .factories import ProposalFactory

pytestmark = pytest.mark.django_db

IN_FORCE = date(2017, 10, 1)


def transferred(pcc, *, order_stage=StageStatus.APPROVED, illustrative=False):
    """A proposal whose order came into force on IN_FORCE and which has transferred."""
    proposal = ProposalFactory(pcc=pcc, is_illustrative=illustrative)
    StatutoryOrder.objects.create(
        proposal=proposal,
        si_number="2017/864",
        made_on=date(2017, 9, 6),
        laid_on=date(2017, 9, 8),
        in_force_on=IN_FORCE,
        transfer_date=IN_FORCE,
    )
    Stage.objects.filter(proposal=proposal, step=Step.ORDER).update(status=order_stage)
    type(proposal).objects.filter(pk=proposal.pk).update(status=ProposalStatus.TRANSFERRED)
    proposal.refresh_from_db()
    return proposal


def record(proposal, by, changed_on=date(2024, 5, 7)):
    return governance_change_record(
        proposal=proposal,
        changed_on=changed_on,
        passed_to="the Mayor of Essex",
        office_title="Mayor of Essex",
        summary="Illustrative: a mayor took on the commissioner's functions.",
        by=by,
    )


def test_a_reviewer_records_a_change_after_transfer_and_it_is_in_the_history(essex, reviewer):
    proposal = transferred(essex)
    change = record(proposal, reviewer)
    assert str(change) == "Fire governance passed to the Mayor of Essex on 7 May 2024"
    event = AuditEvent.objects.get(action="proposal.governance_change")
    assert (event.actor, event.proposal, event.after["passed_to"]) == (
        reviewer,
        proposal,
        "the Mayor of Essex",
    )
    proposal.refresh_from_db()
    assert proposal.status == ProposalStatus.TRANSFERRED


def test_a_change_needs_a_transferred_proposal(essex, reviewer):
    with pytest.raises(ValidationError, match=CHANGE_NEEDS_TRANSFER):
        record(ProposalFactory(pcc=essex), reviewer)


def test_a_change_must_come_after_the_transfer(essex, reviewer):
    with pytest.raises(ValidationError) as refused:
        record(transferred(essex), reviewer, changed_on=IN_FORCE)
    assert "after the transfer, on 1 October 2017" in str(refused.value)


def test_pcc_people_cannot_record_a_change(essex, essex_staff):
    with pytest.raises(workflow.TransitionRefused):
        record(transferred(essex), essex_staff)
    assert not AuditEvent.objects.filter(action="proposal.governance_change").exists()


def test_the_title_changes_on_the_day_the_order_came_into_force_and_on_a_later_change(
    essex, reviewer
):
    record(transferred(essex), reviewer)
    assert essex.title_on(date(2017, 9, 30)) == PCC_TITLE.format(area="Essex")
    assert essex.title_on(IN_FORCE) == PFCC_TITLE.format(area="Essex")
    assert essex.title_on(date(2024, 5, 7)) == "Mayor of Essex"


def test_an_order_not_yet_completed_leaves_the_title_alone(essex):
    transferred(essex, order_stage=StageStatus.IN_PROGRESS)
    assert essex.title_on(date(2020, 1, 1)) == PCC_TITLE.format(area="Essex")


def test_an_illustrative_order_leaves_the_title_alone(essex):
    transferred(essex, illustrative=True)
    assert essex.title_on(date(2020, 1, 1)) == PCC_TITLE.format(area="Essex")
