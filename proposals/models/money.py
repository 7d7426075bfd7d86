"""The fund and its money, in Decimal pounds and pence.

The database refuses negative amounts and a second allocation for one PCC; the rule that
allocations never add up to more than the fund spans rows, so the funding services enforce it
under a row lock on the fund.
"""

from decimal import Decimal

from django.conf import settings
from django.db import models
from django.db.models import Q

from .base import TimeStampedModel, source_url_field
from .reference import Pcc


def money_field(**kwargs):
    return models.DecimalField(max_digits=12, decimal_places=2, **kwargs)


class Fund(TimeStampedModel):
    name = models.CharField(max_length=200, unique=True)
    source = models.CharField(max_length=200, help_text="e.g. Police Transformation Fund")
    awarded_by = models.CharField(max_length=200)
    purpose = models.TextField()
    total = money_field()
    announced = models.CharField(
        max_length=200, blank=True, help_text="When it was announced, as precisely as known."
    )
    source_url = source_url_field()

    class Meta:
        ordering = ["name"]
        constraints = [
            models.CheckConstraint(name="fund_total_not_negative", condition=Q(total__gte=0)),
        ]

    def __str__(self):
        return self.name


class Allocation(TimeStampedModel):
    fund = models.ForeignKey(Fund, on_delete=models.PROTECT, related_name="allocations")
    pcc = models.ForeignKey(Pcc, on_delete=models.PROTECT, related_name="allocations")
    amount = money_field(default=Decimal("0.00"))
    is_illustrative = models.BooleanField(
        default=False,
        help_text="The per-PCC split was never published: demo figures are illustrative.",
    )

    class Meta:
        ordering = ["pcc__name"]
        constraints = [
            models.UniqueConstraint(fields=["fund", "pcc"], name="one_allocation_per_pcc_per_fund"),
            models.CheckConstraint(
                name="allocation_amount_not_negative", condition=Q(amount__gte=0)
            ),
        ]

    def __str__(self):
        return f"{self.pcc} — {self.fund}"


class Payment(TimeStampedModel):
    """Money paid against an allocation; or, when it `reverses` one, a negative entry taking
    back some or all of a payment recorded in error (with the reason). Payments are never
    edited or deleted: totals are the sum of the entries."""

    allocation = models.ForeignKey(Allocation, on_delete=models.PROTECT, related_name="payments")
    amount = money_field()
    paid_on = models.DateField()
    reference = models.CharField(max_length=100, blank=True)
    reverses = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="reversals",
        help_text="The payment this entry reverses.",
    )
    reason = models.TextField(blank=True, help_text="Why a payment was reversed.")
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )

    class Meta:
        ordering = ["paid_on", "pk"]
        constraints = [
            # A payment is positive; a reversal negative, and never without its reason.
            models.CheckConstraint(
                name="payment_positive_or_reversal_negative_with_reason",
                condition=Q(reverses__isnull=True, amount__gt=0)
                | (Q(reverses__isnull=False, amount__lt=0) & ~Q(reason="")),
            ),
        ]

    def __str__(self):
        if self.reverses_id:
            return f"Reversal of £{-self.amount:,} on {self.paid_on:%d %B %Y}"
        return f"£{self.amount:,} on {self.paid_on:%d %B %Y}"

    @property
    def is_reversal(self) -> bool:
        return self.reverses_id is not None

    @property
    def unreversed(self) -> Decimal:
        """What of this payment has not been taken back (reads prefetched reversals)."""
        return self.amount + sum((reversal.amount for reversal in self.reversals.all()), Decimal(0))
