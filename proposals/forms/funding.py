"""Money forms: pounds and pence, typed as people write them ("£125,000.00" or "125000")."""

import re
from decimal import Decimal

from django import forms

from ..services.funding import REVERSAL_REASON_REQUIRED
from .base import GovukForm, VersionedForm, date_field

AMOUNT_INVALID = "Enter an amount in pounds and pence, like £125,000.00"
AMOUNT_REQUIRED = "Enter an amount"
AMOUNT_TOO_BIG = "Enter an amount of £1,000,000,000.00 or less"
# Digits with at most two decimal places: no signs, exponents or spaces.
PLAIN_AMOUNT = re.compile(r"[0-9]+(\.[0-9]{1,2})?")


class MoneyField(forms.DecimalField):
    """A Decimal amount in pounds and pence; a pound sign and thousands commas are allowed."""

    def __init__(self, **kwargs):
        super().__init__(
            max_digits=12,
            decimal_places=2,
            min_value=Decimal("0.00"),
            max_value=Decimal("1000000000.00"),
            error_messages={
                "required": AMOUNT_REQUIRED,
                "invalid": AMOUNT_INVALID,
                "max_decimal_places": AMOUNT_INVALID,
                "max_digits": AMOUNT_TOO_BIG,
                "min_value": AMOUNT_INVALID,
                "max_value": AMOUNT_TOO_BIG,
                "max_whole_digits": AMOUNT_TOO_BIG,
            },
            widget=forms.TextInput(attrs={"inputmode": "decimal", "spellcheck": "false"}),
            **kwargs,
        )

    def to_python(self, value):
        if isinstance(value, str):
            value = value.strip().replace("£", "").replace(",", "").strip()
            if value and not PLAIN_AMOUNT.fullmatch(value):
                raise forms.ValidationError(AMOUNT_INVALID, code="invalid")
        amount = super().to_python(value)
        # Said once: a long enough number breaks both the largest amount and the digits allowed.
        if amount is not None and amount > self.max_value:
            raise forms.ValidationError(AMOUNT_TOO_BIG, code="max_value")
        return amount


class AllocationForm(VersionedForm):
    submit_label = "Save allocation"

    amount = MoneyField(label="Allocation", help_text="In pounds and pence")
    reason = forms.CharField(
        label="Why is it changing?",
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": "Enter why the allocation is changing"},
    )


class PaymentForm(GovukForm):
    submit_label = "Record payment"

    amount = MoneyField(label="Amount paid", help_text="In pounds and pence")
    paid_on = date_field("Date paid", required=True)
    reference = forms.CharField(
        max_length=100, required=False, help_text="For example, the finance system's reference"
    )

    def adjust_fields(self):
        self.fields["paid_on"].error_messages["required"] = "Enter the date of the payment"


class PaymentReverseForm(GovukForm):
    submit_label = "Reverse payment"

    amount = MoneyField(
        label="Amount to reverse", help_text="In pounds and pence: all of the payment, or part"
    )
    reason = forms.CharField(
        label="Why is the payment being reversed?",
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": REVERSAL_REASON_REQUIRED},
    )
