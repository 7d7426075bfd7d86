"""A payment recorded in error is corrected by a reversing entry with a reason, never edited."""

import re
import threading
from datetime import date
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.urls import reverse
from django.utils import timezone

from proposals import selectors, workflow
from proposals.models import AuditEvent, Fund, Payment
from proposals.services import funding

pytestmark = pytest.mark.django_db


@pytest.fixture
def payment(essex, funding_admin):
    fund = Fund.objects.get()
    funding.allocation_update(
        fund=fund,
        pcc=essex,
        amount=Decimal("100000.00"),
        reason="Agreed",
        version="",
        by=funding_admin,
    )
    return funding.payment_record(
        fund=fund,
        pcc=essex,
        amount=Decimal("25000.00"),
        paid_on=date(2017, 4, 3),
        reference="PTF-0001",
        by=funding_admin,
    )


def reverse_url(payment):
    return reverse("proposals:payment-reverse", args=["essex", payment.pk])


def summary_value(page, key):
    pattern = rf'summary-list__key">{key}</dt><dd class="govuk-summary-list__value">(.*?)</dd>'
    return re.search(pattern, page).group(1)


def essex_page(client):
    return client.get(reverse("proposals:pcc-funding", args=["essex"])).content.decode()


def test_a_funding_admin_reverses_a_payment_and_the_list_and_totals_show_it(
    client_for, funding_admin, payment
):
    client = client_for(funding_admin)
    form = client.get(reverse_url(payment)).content.decode()
    assert 'value="25000.00"' in form  # all of it, unless they say less

    response = client.post(
        reverse_url(payment), {"amount": "£25,000.00", "reason": "Paid to the wrong account"}
    )

    assert response.status_code == 302
    page = essex_page(client)
    assert "-£25,000.00" in page
    assert "Paid to the wrong account" in page
    assert "Reversal" in page
    assert summary_value(page, "Paid") == "£0.00"
    assert summary_value(page, "Remaining") == "£100,000.00"
    assert selectors.funding_summary(user=funding_admin).paid == Decimal("0.00")
    event = AuditEvent.objects.get(action="payment.reversed")
    assert (event.actor, event.reason) == (funding_admin, "Paid to the wrong account")
    assert event.after["reversal"] == "25000.00"


def test_part_of_a_payment_can_be_reversed_and_the_rest_stays_paid(funding_admin, payment):
    reversal = funding.payment_reverse(
        payment=payment, amount=Decimal("5000.00"), reason="Overpaid", by=funding_admin
    )

    assert reversal.amount == Decimal("-5000.00")
    assert reversal.paid_on == timezone.localdate()
    assert Payment.objects.get(pk=payment.pk).unreversed == Decimal("20000.00")
    assert selectors.funding_summary(user=funding_admin).paid == Decimal("20000.00")


def test_never_more_than_was_paid_is_reversed(client_for, funding_admin, payment):
    funding.payment_reverse(
        payment=payment, amount=Decimal("20000.00"), reason="Overpaid", by=funding_admin
    )

    response = client_for(funding_admin).post(
        reverse_url(payment), {"amount": "5000.01", "reason": "And the rest"}
    )

    message = funding.OVER_PAYMENT.format(left="£5,000.00")
    assert f'<a href="#id_amount">{message}</a>' in response.content.decode()
    assert payment.reversals.count() == 1


def test_a_reason_is_required(funding_admin, payment):
    with pytest.raises(ValidationError) as refusal:
        funding.payment_reverse(payment=payment, amount=Decimal("1"), reason=" ", by=funding_admin)

    assert refusal.value.message_dict == {"reason": [funding.REVERSAL_REASON_REQUIRED]}
    assert not payment.reversals.exists()


def test_a_reversal_cannot_be_reversed(funding_admin, payment, client_for):
    reversal = funding.payment_reverse(
        payment=payment, amount=Decimal("1.00"), reason="Typo", by=funding_admin
    )

    with pytest.raises(workflow.TransitionRefused):
        funding.payment_reverse(
            payment=reversal, amount=Decimal("1.00"), reason="Undo", by=funding_admin
        )
    assert client_for(funding_admin).get(reverse_url(reversal)).status_code == 404


@pytest.mark.parametrize(
    ("role", "status"),
    [("reviewer", 403), ("essex_staff", 403), ("sussex_staff", 403), ("funding_admin", 200)],
)
def test_only_funding_admins_reverse_payments(request, client_for, payment, role, status):
    client = client_for(request.getfixturevalue(role))

    assert client.get(reverse_url(payment)).status_code == status
    if status == 403:
        assert client.post(reverse_url(payment), {"amount": "1", "reason": "x"}).status_code == 403
        assert not payment.reversals.exists()


def test_the_payments_list_offers_reverse_only_to_funding_admins(
    client_for, funding_admin, reviewer, payment
):
    assert reverse_url(payment) in essex_page(client_for(funding_admin))
    assert reverse_url(payment) not in essex_page(client_for(reviewer))


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_two_admins_reversing_at_once_never_take_back_more_than_was_paid(funding_admin, payment):
    barrier = threading.Barrier(2)
    outcomes = []

    def reverse_all():
        try:
            barrier.wait()
            funding.payment_reverse(
                payment=payment, amount=Decimal("25000.00"), reason="Wrong PCC", by=funding_admin
            )
            outcomes.append("reversed")
        except ValidationError:
            outcomes.append("refused")
        finally:
            connection.close()

    threads = [threading.Thread(target=reverse_all) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert sorted(outcomes) == ["refused", "reversed"]
    assert Payment.objects.get(pk=payment.pk).unreversed == Decimal("0.00")
