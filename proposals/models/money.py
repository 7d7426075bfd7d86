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
    allocation = models.ForeignKey(Allocation, on_delete=models.PROTECT, related_name="payments")
    amount = money_field()
    paid_on = models.DateField()
    reference = models.CharField(max_length=100, blank=True)
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
            models.CheckConstraint(name="payment_amount_positive", condition=Q(amount__gt=0)),
        ]

    def __str__(self):
        return f"£{self.amount:,} on {self.paid_on:%d %B %Y}"
