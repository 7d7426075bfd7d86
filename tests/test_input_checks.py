"""Inputs that look right but are not: S.I. numbers, order dates out of sequence, due dates
already passed, payments not yet made."""

from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape

from proposals.forms.review import (
    IN_FORCE_BEFORE_LAID,
    SI_NUMBER_INVALID,
    TRANSFER_BEFORE_IN_FORCE,
)
from proposals.models import (
    MADE_BEFORE_DECISION,
    Decision,
    Fund,
    Payment,
    StageStatus,
    StatutoryOrder,
    Step,
)
from proposals.services import funding
from proposals.services.workflow import DUE_DATE_PAST, stage_set_due_date

from .factories import stage_of
from .hostile import date_post

pytestmark = pytest.mark.django_db

ESSEX_ORDER = {
    "si_number": "2017/864",
    "made_on": ("6", "9", "2017"),
    "laid_on": ("8", "9", "2017"),
    "in_force_on": ("1", "10", "2017"),
    "transfer_date": ("1", "10", "2017"),
}


@pytest.fixture
def order_open(essex_proposal):
    essex_proposal.stages.filter(step=Step.ORDER).update(status=StageStatus.IN_PROGRESS)
    return essex_proposal


def post_order(client, proposal, **changes):
    values = {**ESSEX_ORDER, **changes}
    post = {"version": "", "si_number": values.pop("si_number")}
    for name, parts in values.items():
        post.update(date_post(name, parts))
    url = reverse("proposals:stage-details", args=[proposal.pk, Step.ORDER.slug])
    return client.post(url, post)


# --- The statutory order ----------------------------------------------------------------------


@pytest.mark.parametrize("typed", ["banana", "864", "2017-864", "2017/", "17/864", "2017/0"])
def test_an_si_number_that_is_not_year_and_number_is_refused(
    client_for, reviewer, order_open, typed
):
    response = post_order(client_for(reviewer), order_open, si_number=typed)

    page = response.content.decode()
    assert response.status_code == 200
    assert SI_NUMBER_INVALID in page
    assert f'value="{typed}"' in page
    assert not StatutoryOrder.objects.exists()


def test_a_real_order_is_saved(client_for, reviewer, order_open):
    response = post_order(client_for(reviewer), order_open, si_number=" 2018/970 ")

    assert response.status_code == 302
    order = StatutoryOrder.objects.get()
    assert (order.si_number, order.transfer_date) == ("2018/970", date(2017, 10, 1))


def test_a_transfer_before_the_order_is_in_force_is_refused(client_for, reviewer, order_open):
    response = post_order(client_for(reviewer), order_open, transfer_date=("30", "9", "2017"))

    assert TRANSFER_BEFORE_IN_FORCE in response.content.decode()
    assert not StatutoryOrder.objects.exists()


def test_an_order_in_force_before_it_was_laid_is_refused(client_for, reviewer, order_open):
    response = post_order(client_for(reviewer), order_open, in_force_on=("7", "9", "2017"))

    assert IN_FORCE_BEFORE_LAID in response.content.decode()
    assert not StatutoryOrder.objects.exists()


def test_an_order_made_before_the_decision_is_refused(client_for, reviewer, order_open):
    Decision.objects.create(
        proposal=order_open, outcome=Decision.Outcome.APPROVED, decided_on=date(2017, 9, 7)
    )

    response = post_order(client_for(reviewer), order_open)

    message = MADE_BEFORE_DECISION.format(date="7 September 2017")
    assert escape(message) in response.content.decode()
    assert not StatutoryOrder.objects.exists()


@pytest.mark.parametrize(
    "dates",
    [
        {"laid_on": date(2017, 9, 8), "in_force_on": date(2017, 9, 7)},
        {"in_force_on": date(2017, 10, 1), "transfer_date": date(2017, 9, 30)},
    ],
    ids=["in force before laid", "transfer before in force"],
)
def test_the_database_refuses_order_dates_out_of_sequence(essex_proposal, dates):
    with pytest.raises(IntegrityError), transaction.atomic():
        StatutoryOrder.objects.create(proposal=essex_proposal, **dates)


# --- Due dates --------------------------------------------------------------------------------


def due_date_url(proposal):
    return reverse("proposals:due-date", args=[proposal.pk, Step.BUSINESS_CASE.slug])


def test_a_past_due_date_is_refused_until_confirmed(client_for, reviewer, essex_proposal):
    client = client_for(reviewer)
    post = {**date_post("due_date", ("1", "3", "2020")), "reason": "Agreed late"}

    form = client.get(due_date_url(essex_proposal)).content.decode()
    refused = client.post(due_date_url(essex_proposal), post).content.decode()

    assert 'name="past_confirmed"' not in form
    assert DUE_DATE_PAST in refused
    assert 'name="past_confirmed"' in refused
    assert 'value="2020"' in refused
    assert "Agreed late" in refused
    assert stage_of(essex_proposal, Step.BUSINESS_CASE).due_date is None

    confirmed = client.post(due_date_url(essex_proposal), {**post, "past_confirmed": "on"})

    assert confirmed.status_code == 302
    assert stage_of(essex_proposal, Step.BUSINESS_CASE).due_date == date(2020, 3, 1)


def test_todays_due_date_needs_no_confirmation(reviewer, essex_proposal):
    today = timezone.localdate()
    stage = stage_set_due_date(
        stage=stage_of(essex_proposal, Step.BUSINESS_CASE),
        due_date=today,
        reason="Now",
        by=reviewer,
    )

    assert stage.due_date == today


def test_the_service_refuses_an_unconfirmed_past_due_date(reviewer, essex_proposal):
    yesterday = timezone.localdate() - timedelta(days=1)
    with pytest.raises(ValidationError) as refusal:
        stage_set_due_date(
            stage=stage_of(essex_proposal, Step.BUSINESS_CASE),
            due_date=yesterday,
            reason="Slip",
            by=reviewer,
        )

    assert refusal.value.message_dict == {"due_date": [DUE_DATE_PAST]}


# --- Payments ---------------------------------------------------------------------------------


@pytest.fixture
def essex_allocation(essex, funding_admin):
    return funding.allocation_update(
        fund=Fund.objects.get(),
        pcc=essex,
        amount=Decimal("100000.00"),
        reason="Agreed",
        version="",
        by=funding_admin,
    )


def test_a_payment_dated_in_the_future_is_refused_by_the_date(
    client_for, funding_admin, essex_allocation
):
    tomorrow = timezone.localdate() + timedelta(days=1)
    response = client_for(funding_admin).post(
        reverse("proposals:payment-create", args=["essex"]),
        {
            "amount": "1000",
            **date_post("paid_on", (str(tomorrow.day), str(tomorrow.month), str(tomorrow.year))),
        },
    )

    page = response.content.decode()
    assert f'<a href="#id_paid_on_0">{funding.PAID_IN_FUTURE}</a>' in page
    assert not Payment.objects.exists()


def test_a_payment_made_today_is_recorded(funding_admin, essex, essex_allocation):
    payment = funding.payment_record(
        fund=Fund.objects.get(),
        pcc=essex,
        amount=Decimal("1000.00"),
        paid_on=timezone.localdate(),
        reference="",
        by=funding_admin,
    )

    assert payment.paid_on == timezone.localdate()
