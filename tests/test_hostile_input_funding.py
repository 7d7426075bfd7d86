"""Hostile input to the money forms: amounts that are negative, huge, exponents, NaN, too
precise, padded, and tampered versions and PCCs. A refused change writes nothing and says why
with the typed amount still in the form; an accepted one stores exactly the amount typed."""

import re
from datetime import date
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone
from hypothesis import given
from hypothesis import strategies as st

from proposals.forms.funding import AMOUNT_INVALID, AMOUNT_REQUIRED, AMOUNT_TOO_BIG
from proposals.models import Allocation, Fund, Payment, Pcc
from proposals.services import funding
from proposals.services.drafting import STALE_EDIT, record_version
from proposals.views.stage import VERSION_UNREADABLE

from .hostile import (
    HOSTILE,
    as_date,
    as_text,
    assert_out_of_reach,
    assert_refused,
    date_post,
    error_messages,
    junk,
    mostly,
    rolled_back,
    snapshot,
    typed_date,
)

pytestmark = pytest.mark.django_db

FUND_TOTAL = Decimal("1000000.00")
SUSSEX_ALLOCATION = Decimal("600000.00")
ESSEX_ALLOCATION = Decimal("100000.00")
ESSEX_PAID = Decimal("20000.00")

AMOUNTS = st.one_of(
    st.decimals(min_value=0, max_value=2_000_000, places=2).flatmap(
        lambda amount: st.sampled_from([f"£{amount:,.2f}", f"{amount}", f" {amount:,} "])
    ),
    st.integers(min_value=0, max_value=500_000).map(str),
    st.sampled_from(
        [
            "-5",
            "£-5",
            "-0.01",
            "1e9",
            "1E3",
            "NaN",
            "nan",
            "Infinity",
            "-Infinity",
            "sNaN",
            "12.345",
            "0.001",
            "1.",
            ".5",
            "12 000",
            "12\u00a0000",
            "£",
            "££5",
            "5£",
            "1,000,000,000.01",
            "1000000000.00",
            "99999999999",
            "9" * 30,
            "9" * 5000,
            "0x10",
            "١٢",
            "\uff11\uff12",
            "\x00",
            "5\x00",
            "$5",
            "5p",
            "",
            "   ",
        ]
    ),
    junk,
)


def as_amount(raw: str) -> tuple[bool, Decimal | None, str | None]:
    """(accepted by the field, the amount, the field's message when refused)."""
    typed = raw.strip().replace("£", "").replace(",", "").strip()
    if not typed:
        return False, None, AMOUNT_REQUIRED
    if not re.fullmatch(r"[0-9]+(\.[0-9]{1,2})?", typed):
        return False, None, AMOUNT_INVALID
    amount = Decimal(typed)
    if amount > Decimal("1000000000.00"):
        return False, None, AMOUNT_TOO_BIG
    return True, amount, None


@pytest.fixture
def fund():
    return Fund.objects.get()


@pytest.fixture
def allocations(fund, essex, sussex, funding_admin):
    """Sussex has £600,000 of the £1m fund; Essex £100,000, of which £20,000 is paid."""
    for pcc, amount in ((sussex, SUSSEX_ALLOCATION), (essex, ESSEX_ALLOCATION)):
        funding.allocation_update(
            fund=fund, pcc=pcc, amount=amount, reason="Board", version="", by=funding_admin
        )
    funding.payment_record(
        fund=fund,
        pcc=essex,
        amount=ESSEX_PAID,
        paid_on=date(2017, 4, 1),
        reference="First",
        by=funding_admin,
    )
    return Allocation.objects.get(pcc=essex)


@pytest.fixture
def admin(client_for, funding_admin):
    return client_for(funding_admin)


CURRENT = "the version the form was shown with"


@HOSTILE
@given(
    amount=AMOUNTS,
    reason=mostly(st.just("Agreed at the funding board")),
    version=mostly(st.just(CURRENT), junk),
)
def test_an_allocation_stores_the_amount_typed_or_nothing(
    admin, allocations, amount, reason, version
):
    current = record_version(allocations)
    posted_version = current if version == CURRENT else version
    amount_ok, typed, message = as_amount(amount)
    reason_ok, _ = as_text(reason, required=True)
    version_ok, _ = as_text(posted_version)
    within_fund = amount_ok and typed + SUSSEX_ALLOCATION <= FUND_TOTAL
    above_paid = amount_ok and typed >= ESSEX_PAID
    accepted = (
        amount_ok
        and reason_ok
        and version_ok
        and posted_version.strip() == current
        and within_fund
        and above_paid
    )
    with rolled_back():
        before = snapshot()
        response = admin.post(
            reverse("proposals:allocation-edit", args=["essex"]),
            {"amount": amount, "reason": reason, "version": posted_version},
        )
        if accepted:
            assert response.status_code == 302, error_messages(response.content.decode())
            assert Allocation.objects.get(pk=allocations.pk).amount == typed
            return
        messages = assert_refused(response, before, kept=[amount, reason])
        if message:
            assert message in messages
        if not version_ok:
            assert VERSION_UNREADABLE in messages
        elif amount_ok and reason_ok and posted_version.strip() != current:
            assert STALE_EDIT in messages


@HOSTILE
@given(
    amount=AMOUNTS,
    parts=mostly(st.just(("1", "4", "2017")), typed_date),
    reference=mostly(st.just("PO-123")),
)
def test_a_payment_stores_what_was_typed_or_nothing(admin, allocations, amount, parts, reference):
    amount_ok, typed, message = as_amount(amount)
    date_ok, paid_on = as_date(parts, required=True)
    reference_ok, cleaned = as_text(reference, max_length=100)
    accepted = (
        amount_ok
        and typed > 0
        and typed + ESSEX_PAID <= ESSEX_ALLOCATION
        and date_ok
        and paid_on <= timezone.localdate()
        and reference_ok
    )
    with rolled_back():
        before = snapshot()
        response = admin.post(
            reverse("proposals:payment-create", args=["essex"]),
            {"amount": amount, **date_post("paid_on", parts), "reference": reference},
        )
        if accepted:
            assert response.status_code == 302, error_messages(response.content.decode())
            payment = Payment.objects.latest("pk")
            assert (payment.amount, payment.paid_on, payment.reference) == (
                typed,
                paid_on,
                cleaned,
            )
            return
        messages = assert_refused(response, before, kept=[amount, reference, *parts])
        if message:
            assert message in messages


@pytest.mark.parametrize(
    ("typed", "message"),
    [
        ("-5", AMOUNT_INVALID),
        ("£-5", AMOUNT_INVALID),
        ("1e9", AMOUNT_INVALID),
        ("NaN", AMOUNT_INVALID),
        ("Infinity", AMOUNT_INVALID),
        ("12.345", AMOUNT_INVALID),
        ("1000000000.01", AMOUNT_TOO_BIG),
        ("9" * 5000, AMOUNT_TOO_BIG),
        ("  ", AMOUNT_REQUIRED),
    ],
)
def test_bad_payment_amounts_are_named_once_in_the_summary(admin, allocations, typed, message):
    before = snapshot()
    response = admin.post(
        reverse("proposals:payment-create", args=["essex"]),
        {"amount": typed, **date_post("paid_on", ("1", "4", "2017"))},
    )
    messages = assert_refused(response, before, kept=[typed])
    assert messages == [message]


SLUGS = st.one_of(
    st.from_regex(r"[-a-zA-Z0-9_]{1,30}", fullmatch=True),
    st.sampled_from(["essex-", "ESSEX", "sussex%00", "..", "1"]),
)


@HOSTILE
@given(slug=SLUGS, data=st.dictionaries(st.sampled_from(["amount", "reason"]), junk))
def test_a_made_up_pcc_has_no_money_to_change(admin, allocations, slug, data):
    if Pcc.objects.filter(slug=slug).exists() or not re.fullmatch(r"[-a-zA-Z0-9_]+", slug):
        return
    with rolled_back():
        before = snapshot()
        for name in ("allocation-edit", "payment-create"):
            response = admin.post(reverse(f"proposals:{name}", args=[slug]), data)
            assert_out_of_reach(response, before, status=404)


@pytest.mark.parametrize("role", ["essex_staff", "sussex_staff", "reviewer"])
@pytest.mark.parametrize("pcc", ["essex", "sussex"])
def test_only_funding_admins_change_money_whatever_they_post(
    request, client_for, allocations, role, pcc
):
    client = client_for(request.getfixturevalue(role))
    before = snapshot()
    for name, data in (
        ("allocation-edit", {"amount": "1", "reason": "x", "version": ""}),
        ("payment-create", {"amount": "1", **date_post("paid_on", ("1", "4", "2017"))}),
    ):
        response = client.post(reverse(f"proposals:{name}", args=[pcc]), data)
        assert_out_of_reach(response, before)
