"""Changing money: allocations from the fund, and payments against them.

Two funding admins saving at the same moment cannot break the totals: every change to an
allocation locks the fund's row first, so changes to one fund happen one after another, and
every payment locks its allocation's row. The database also refuses negative amounts.
"""

from datetime import date
from decimal import Decimal

import rules
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Sum
from django.db.models.functions import Coalesce
from django.utils import formats, timezone

from .. import workflow
from ..models import Allocation, Fund, MessageEvent, Payment, Pcc
from .audit import audit_record
from .drafting import StaleEdit, record_version
from .messages import messages_dispatch

ONLY_FUNDING_ADMINS = "Only funding admins can change money."
REASON_REQUIRED = "Enter why the allocation is changing"
OVER_FUND = (
    "Allocations would total {total} of the {fund} fund: the most {pcc} can be allocated is {most}"
)
BELOW_PAID = "{pcc} has already been paid {paid}: the allocation cannot be less than that"
OVER_ALLOCATION = (
    "Payments would total {total} of {pcc}'s {allocation} allocation: the most that can be "
    "paid now is {most}"
)
NOT_POSITIVE = "Enter an amount more than £0.00"
PAID_IN_FUTURE = "The date of the payment must be today or in the past"
REVERSAL_REASON_REQUIRED = "Enter why the payment is being reversed"
OVER_PAYMENT = "Only {left} of this payment is left to reverse: enter that or less"
NOT_A_PAYMENT = "A reversal cannot itself be reversed."
NO_ALLOCATION = "{pcc} has no allocation yet: set one before recording payments"
ZERO = Decimal("0.00")
ALLOCATION_CHANGED = "Allocation changed"
ALLOCATION_DETAILS = "the allocation to {pcc} is now {after} (it was {before}). Reason: {reason}"
PAYMENT_RECORDED = "Payment recorded"
PAYMENT_DETAILS = (
    "a payment of {amount} to {pcc} on {paid_on} is recorded: {paid} of its {allocation} "
    "allocation is now paid."
)
PAYMENT_REVERSED = "Payment reversed"
REVERSAL_DETAILS = (
    "{amount} of the payment of {payment} to {pcc} on {paid_on} is reversed: {paid} of its "
    "{allocation} allocation is now paid. Reason: {reason}"
)


def pounds(amount: Decimal) -> str:
    return f"£{amount:,.2f}"


def _refuse_unless_funding_admin(by) -> None:
    if not rules.has_perm("proposals.change_funding", by):
        raise workflow.TransitionRefused([ONLY_FUNDING_ADMINS])


def _total(queryset, field="amount") -> Decimal:
    return queryset.aggregate(total=Coalesce(Sum(field), ZERO))["total"]


@transaction.atomic
def allocation_update(
    *, fund: Fund, pcc: Pcc, amount: Decimal, reason: str, version: str, by
) -> Allocation:
    """Set `pcc`'s allocation from `fund` to `amount`, with the reason recorded.

    Refused (ValidationError on `amount`) when allocations would exceed the fund or the
    allocation would fall below what has been paid; StaleEdit when it changed since `version`.
    """
    _refuse_unless_funding_admin(by)
    reason = reason.strip()
    if not reason:
        raise ValidationError({"reason": REASON_REQUIRED})
    fund = Fund.objects.select_for_update().get(pk=fund.pk)
    allocation = Allocation.objects.select_for_update().filter(fund=fund, pcc=pcc).first()
    if record_version(allocation) != version:
        raise StaleEdit(current=allocation)
    others = _total(fund.allocations.exclude(pcc=pcc))
    if others + amount > fund.total:
        raise ValidationError(
            {
                "amount": OVER_FUND.format(
                    total=pounds(others + amount),
                    fund=pounds(fund.total),
                    pcc=pcc.name,
                    most=pounds(fund.total - others),
                )
            }
        )
    paid = _total(allocation.payments.all()) if allocation else ZERO
    if amount < paid:
        raise ValidationError({"amount": BELOW_PAID.format(pcc=pcc.name, paid=pounds(paid))})
    before = allocation.amount if allocation else ZERO
    allocation = allocation or Allocation(fund=fund, pcc=pcc)
    allocation.amount = amount
    allocation.is_illustrative = False
    allocation.full_clean()
    allocation.save()
    event = audit_record(
        actor=by,
        action="allocation.changed",
        target=allocation,
        before={"amount": before},
        after={"amount": amount},
        reason=reason,
    )
    allocation.told = messages_dispatch(
        event=MessageEvent.MONEY_CHANGED,
        audit_event=event,
        by=by,
        pcc=pcc,
        what=ALLOCATION_CHANGED,
        details=ALLOCATION_DETAILS.format(
            pcc=pcc.name, before=pounds(before), after=pounds(amount), reason=reason
        ),
    )
    return allocation


@transaction.atomic
def payment_record(
    *, fund: Fund, pcc: Pcc, amount: Decimal, paid_on: date, reference: str, by
) -> Payment:
    """Record a payment to `pcc` from its allocation; refused when payments would exceed it
    or when it is dated after today (a payment is recorded once made)."""
    _refuse_unless_funding_admin(by)
    if amount <= ZERO:
        raise ValidationError({"amount": NOT_POSITIVE})
    if paid_on > timezone.localdate():
        raise ValidationError({"paid_on": PAID_IN_FUTURE})
    allocation = (
        Allocation.objects.select_for_update().select_related("pcc").filter(fund=fund, pcc=pcc)
    ).first()
    if allocation is None:
        raise ValidationError({"amount": NO_ALLOCATION.format(pcc=pcc.name)})
    paid = _total(allocation.payments.all())
    if paid + amount > allocation.amount:
        raise ValidationError(
            {
                "amount": OVER_ALLOCATION.format(
                    total=pounds(paid + amount),
                    pcc=allocation.pcc.name,
                    allocation=pounds(allocation.amount),
                    most=pounds(allocation.amount - paid),
                )
            }
        )
    payment = Payment(
        allocation=allocation,
        amount=amount,
        paid_on=paid_on,
        reference=reference.strip(),
        recorded_by=by,
    )
    payment.full_clean()
    payment.save()
    event = audit_record(
        actor=by,
        action="payment.recorded",
        target=allocation,
        before={"paid": paid},
        after={
            "paid": paid + amount,
            "payment": amount,
            "paid_on": paid_on,
            "reference": payment.reference,
        },
    )
    payment.told = messages_dispatch(
        event=MessageEvent.MONEY_CHANGED,
        audit_event=event,
        by=by,
        pcc=allocation.pcc,
        what=PAYMENT_RECORDED,
        details=PAYMENT_DETAILS.format(
            amount=pounds(amount),
            pcc=allocation.pcc.name,
            paid_on=formats.date_format(paid_on),
            paid=pounds(paid + amount),
            allocation=pounds(allocation.amount),
        ),
    )
    return payment


@transaction.atomic
def payment_reverse(*, payment: Payment, amount: Decimal, reason: str, by) -> Payment:
    """Take back `amount` of `payment`, recorded in error, as a reversing entry dated today.

    Payments are never edited or deleted: the reversal is a negative entry against the same
    allocation, so totals and history stay true. The PCC and the funding admins are told, as
    of a payment. Under the allocation's row lock (as
    payment_record), so two admins can never reverse more than was paid between them.
    ValidationError on `amount` (not positive, or more than is left of the payment) or
    `reason` (missing).
    """
    _refuse_unless_funding_admin(by)
    if payment.is_reversal:
        raise workflow.TransitionRefused([NOT_A_PAYMENT])
    reason = reason.strip()
    if not reason:
        raise ValidationError({"reason": REVERSAL_REASON_REQUIRED})
    if amount <= ZERO:
        raise ValidationError({"amount": NOT_POSITIVE})
    allocation = Allocation.objects.select_for_update().get(pk=payment.allocation_id)
    left = Payment.objects.get(pk=payment.pk).unreversed  # read afresh, under the lock
    if amount > left:
        raise ValidationError({"amount": OVER_PAYMENT.format(left=pounds(left))})
    paid = _total(allocation.payments.all())
    reversal = Payment(
        allocation=allocation,
        amount=-amount,
        paid_on=timezone.localdate(),
        reference=payment.reference,
        reverses=payment,
        reason=reason,
        recorded_by=by,
    )
    reversal.full_clean()
    reversal.save()
    event = audit_record(
        actor=by,
        action="payment.reversed",
        target=allocation,
        before={"paid": paid},
        after={
            "paid": paid - amount,
            "reversal": amount,
            "payment": payment.amount,
            "paid_on": payment.paid_on,
        },
        reason=reason,
    )
    reversal.told = messages_dispatch(
        event=MessageEvent.MONEY_CHANGED,
        audit_event=event,
        by=by,
        pcc=allocation.pcc,
        what=PAYMENT_REVERSED,
        details=REVERSAL_DETAILS.format(
            amount=pounds(amount),
            payment=pounds(payment.amount),
            pcc=allocation.pcc.name,
            paid_on=formats.date_format(payment.paid_on),
            paid=pounds(paid - amount),
            allocation=pounds(allocation.amount),
            reason=reason,
        ),
    )
    return reversal
