"""The database refuses rows that must never exist."""

from decimal import Decimal

import pytest
from django.db import IntegrityError, InternalError, connection, transaction
from django.utils import timezone

from portal.models import Role
from proposals.models import Allocation, AuditEvent, Fund, Payment, Stage, StageStatus, Step

from .factories import UserFactory

pytestmark = pytest.mark.django_db


def refused(**kwargs):
    return pytest.raises(IntegrityError, **kwargs)


@pytest.fixture
def fund():
    return Fund.objects.get()


def test_one_allocation_per_pcc_per_fund(fund, essex):
    Allocation.objects.create(fund=fund, pcc=essex, amount=Decimal("10.00"))
    with refused(match="one_allocation_per_pcc_per_fund"):
        Allocation.objects.create(fund=fund, pcc=essex, amount=Decimal("20.00"))


def test_allocation_cannot_be_negative(fund, essex):
    with refused(match="allocation_amount_not_negative"):
        Allocation.objects.create(fund=fund, pcc=essex, amount=Decimal("-0.01"))


def test_payment_must_be_positive(fund, essex):
    allocation = Allocation.objects.create(fund=fund, pcc=essex, amount=Decimal("100.00"))
    with refused(match="payment_positive_or_reversal_negative_with_reason"):
        Payment.objects.create(allocation=allocation, amount=Decimal("0.00"), paid_on="2017-08-01")


@pytest.mark.parametrize(
    ("amount", "reason"), [("-1.00", ""), ("1.00", "Paid twice")], ids=["no reason", "positive"]
)
def test_a_reversal_is_negative_with_a_reason(fund, essex, amount, reason):
    allocation = Allocation.objects.create(fund=fund, pcc=essex, amount=Decimal("100.00"))
    payment = Payment.objects.create(
        allocation=allocation, amount=Decimal("10.00"), paid_on="2017-08-01"
    )
    with refused(match="payment_positive_or_reversal_negative_with_reason"):
        Payment.objects.create(
            allocation=allocation,
            amount=Decimal(amount),
            paid_on="2017-08-02",
            reverses=payment,
            reason=reason,
        )


def test_fund_total_cannot_be_negative(fund):
    fund.total = Decimal("-1.00")
    with refused(match="fund_total_not_negative"):
        fund.save()


def test_one_stage_per_step_per_proposal(essex_proposal):
    with refused(match="one_stage_per_step"):
        Stage.objects.create(proposal=essex_proposal, step=Step.CONSULTATION)


def test_only_the_independent_assessment_can_be_skipped(essex_proposal):
    consultation = essex_proposal.stages.filter(step=Step.CONSULTATION)
    with refused(match="only_assessment_skipped_with_reason"):
        consultation.update(status=StageStatus.SKIPPED, skip_reason="No reason is good enough")


def test_skipping_the_assessment_needs_a_reason(essex_proposal):
    assessment = essex_proposal.stages.filter(step=Step.INDEPENDENT_ASSESSMENT)
    with refused(match="only_assessment_skipped_with_reason"):
        assessment.update(status=StageStatus.SKIPPED)


def test_pcc_staff_must_belong_to_a_pcc():
    with refused(match="user_pcc_role_has_exactly_one_pcc"):
        UserFactory(role=Role.PCC_STAFF, pcc=None)


def test_home_office_people_belong_to_no_pcc(essex):
    with refused(match="user_pcc_role_has_exactly_one_pcc"):
        UserFactory(role=Role.REVIEWER, pcc=essex)


def test_audit_events_cannot_be_changed_or_deleted(essex_proposal):
    event = AuditEvent.objects.create(
        action="proposal.created",
        proposal=essex_proposal,
        object_type="proposals.proposal",
        object_id=str(essex_proposal.pk),
        object_repr=str(essex_proposal),
        created_at=timezone.now(),
    )
    with transaction.atomic(), pytest.raises(InternalError, match="append-only"):
        AuditEvent.objects.filter(pk=event.pk).update(reason="rewritten")
    with transaction.atomic(), pytest.raises(InternalError, match="append-only"):
        AuditEvent.objects.filter(pk=event.pk).delete()
    assert AuditEvent.objects.get(pk=event.pk).reason == ""


@pytest.mark.parametrize(
    "table", ["proposals_auditevent", "proposals_businesscaserevision", "proposals_dutyevidence"]
)
def test_history_tables_cannot_be_emptied_by_the_portals_role(essex_proposal, table):
    """TRUNCATE skips row triggers; a statement trigger refuses it for any role that is not a
    superuser, as the portal's own role is not (docker-compose.yml)."""
    AuditEvent.objects.create(
        action="proposal.created",
        proposal=essex_proposal,
        object_type="proposals.proposal",
        object_id=str(essex_proposal.pk),
        object_repr=str(essex_proposal),
    )
    role = f"{connection.settings_dict['NAME']}_portal_role"
    with transaction.atomic(), connection.cursor() as cursor:
        # Made inside this transaction and gone with it: roles are shared by every database.
        # Checks the rows written so far now, as TRUNCATE wants no foreign-key check pending.
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
        cursor.execute(f"CREATE ROLE {role} NOSUPERUSER NOLOGIN")
        cursor.execute(f"GRANT TRUNCATE ON ALL TABLES IN SCHEMA public TO {role}")
        cursor.execute(f"SET LOCAL ROLE {role}")
        with pytest.raises(InternalError, match="append-only"), transaction.atomic():
            cursor.execute(f"TRUNCATE {table} CASCADE")
        transaction.set_rollback(True)
    assert AuditEvent.objects.filter(proposal=essex_proposal).exists()
