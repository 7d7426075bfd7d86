"""Money: allocations that never exceed the fund, payments that never exceed an allocation."""

import re
import threading
from datetime import date
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.urls import reverse

from portal.models import Role
from proposals import workflow
from proposals.forms.funding import AMOUNT_INVALID
from proposals.models import Allocation, AuditEvent, Fund, Pcc
from proposals.services import funding
from proposals.services.drafting import STALE_EDIT, StaleEdit
from proposals.templatetags.proposal_tags import govuk_datetime

from .factories import UserFactory

pytestmark = pytest.mark.django_db

ALLOCATION = "proposals:allocation-edit"


@pytest.fixture
def fund():
    return Fund.objects.get()


def set_allocation(fund, pcc, amount, by, reason="Agreed at the funding board"):
    allocation = Allocation.objects.filter(fund=fund, pcc=pcc).first()
    return funding.allocation_update(
        fund=fund,
        pcc=pcc,
        amount=Decimal(amount),
        reason=reason,
        version=funding.record_version(allocation),
        by=by,
    )


def pay(fund, pcc, amount, by, paid_on=date(2017, 8, 1), reference=""):
    return funding.payment_record(
        fund=fund, pcc=pcc, amount=Decimal(amount), paid_on=paid_on, reference=reference, by=by
    )


def test_funding_admin_changes_essexs_allocation_and_sees_it_in_history_and_totals(
    client_for, funding_admin, essex
):
    client = client_for(funding_admin)
    response = client.post(
        reverse(ALLOCATION, args=["essex"]),
        {
            "amount": "£125,000.00",
            "reason": "Business case costs agreed",
            "version": "",
        },
    )
    assert response.status_code == 302
    page = client.get(reverse("proposals:pcc-funding", args=["essex"])).content.decode()
    assert "£125,000.00" in page
    assert "Business case costs agreed" in page
    assert "Allocation £0.00 → £125,000.00" in page
    assert str(funding_admin) in page
    overview = client.get(reverse("proposals:funding")).content.decode()
    assert "£875,000.00" in overview  # not yet allocated


def test_allocations_cannot_exceed_the_fund(fund, essex, sussex, funding_admin):
    set_allocation(fund, essex, "600000.00", funding_admin)
    with pytest.raises(ValidationError) as error:
        set_allocation(fund, sussex, "400000.01", funding_admin)
    assert "the most Sussex can be allocated is £400,000.00" in str(error.value)
    assert not Allocation.objects.filter(pcc=sussex).exists()


def test_a_refused_change_says_why_and_keeps_what_was_typed(client_for, funding_admin, fund, essex):
    set_allocation(fund, essex, "900000.00", funding_admin)
    response = client_for(funding_admin).post(
        reverse(ALLOCATION, args=["sussex"]),
        {
            "amount": "200,000",
            "reason": "Extra consultation",
            "version": "",
        },
    )
    page = response.content.decode()
    assert response.status_code == 200
    assert "govuk-error-summary" in page
    assert "the most Sussex can be allocated is £100,000.00" in page
    assert 'value="200,000"' in page
    assert "Extra consultation" in page


@pytest.mark.parametrize("typed", ["£12.345", "-5", "twelve", "1e6"])
def test_bad_amounts_are_answered_by_the_field(client_for, funding_admin, typed):
    response = client_for(funding_admin).post(
        reverse(ALLOCATION, args=["essex"]),
        {
            "amount": typed,
            "reason": "Testing",
            "version": "",
        },
    )
    assert response.status_code == 200
    assert AMOUNT_INVALID in response.content.decode()
    assert not Allocation.objects.exists()


def test_a_reason_is_required(client_for, funding_admin):
    response = client_for(funding_admin).post(
        reverse(ALLOCATION, args=["essex"]),
        {
            "amount": "1000",
            "reason": "",
            "version": "",
        },
    )
    assert "Enter why the allocation is changing" in response.content.decode()


def test_an_allocation_cannot_fall_below_what_was_paid(fund, essex, funding_admin):
    set_allocation(fund, essex, "100000.00", funding_admin)
    pay(fund, essex, "60000.00", funding_admin, reference="PTF-1")
    with pytest.raises(ValidationError, match=re.escape("already been paid £60,000.00")):
        set_allocation(fund, essex, "50000.00", funding_admin)


def test_payments_cannot_exceed_the_allocation(fund, essex, funding_admin):
    set_allocation(fund, essex, "100000.00", funding_admin)
    pay(fund, essex, "99999.99", funding_admin)
    with pytest.raises(ValidationError, match=re.escape("the most that can be paid now is £0.01")):
        pay(fund, essex, "0.02", funding_admin, paid_on=date(2017, 9, 1))


def test_payments_are_recorded_with_who_and_when(client_for, funding_admin, fund, essex):
    set_allocation(fund, essex, "100000.00", funding_admin)
    client = client_for(funding_admin)
    response = client.post(
        reverse("proposals:payment-create", args=["essex"]),
        {
            "amount": "25,000.50",
            "paid_on_0": "1",
            "paid_on_1": "8",
            "paid_on_2": "2017",
            "reference": "PTF-ESSEX-1",
        },
    )
    assert response.status_code == 302
    page = client.get(reverse("proposals:pcc-funding", args=["essex"])).content.decode()
    assert "£25,000.50" in page
    assert "PTF-ESSEX-1" in page
    assert "£74,999.50" in page  # remaining
    assert "Payment of £25,000.50 on 1 August 2017" in page  # the changes, in words
    event = AuditEvent.objects.get(action="payment.recorded")
    assert event.actor == funding_admin


def test_a_stale_allocation_edit_is_refused(fund, essex, funding_admin):
    set_allocation(fund, essex, "1000.00", funding_admin)
    with pytest.raises(StaleEdit):
        funding.allocation_update(
            fund=fund,
            pcc=essex,
            amount=Decimal("2000.00"),
            reason="Old page",
            version="",
            by=funding_admin,
        )


@pytest.mark.parametrize("role", ["reviewer", "essex_staff", "essex_signatory", "site_admin"])
def test_only_funding_admins_change_money(request, client_for, fund, essex, role):
    user = request.getfixturevalue(role)
    client = client_for(user)
    assert client.get(reverse(ALLOCATION, args=["essex"])).status_code == 403
    assert (
        client.post(
            reverse(ALLOCATION, args=["essex"]), {"amount": "1", "reason": "x", "version": ""}
        ).status_code
        == 403
    )
    assert (
        client.post(
            reverse("proposals:payment-create", args=["essex"]), {"amount": "1"}
        ).status_code
        == 403
    )
    with pytest.raises(workflow.TransitionRefused, match=funding.ONLY_FUNDING_ADMINS):
        set_allocation(fund, essex, "1.00", user)
    assert not Allocation.objects.exists()


def test_pcc_people_see_only_their_own_pccs_money(
    client_for, essex_staff, fund, sussex, funding_admin
):
    set_allocation(fund, sussex, "123456.78", funding_admin)
    client = client_for(essex_staff)
    page = client.get(reverse("proposals:funding")).content.decode()
    assert "Essex" in page
    assert "£123,456.78" not in page
    assert ">Sussex<" not in page
    assert client.get(reverse("proposals:pcc-funding", args=["sussex"])).status_code == 404
    csv = b"".join(client.get(reverse("proposals:funding-csv")).streaming_content).decode()
    assert "Sussex" not in csv


def test_funding_csv_has_the_tables_figures(client_for, reviewer, fund, essex, funding_admin):
    set_allocation(fund, essex, "125000.00", funding_admin)
    response = client_for(reviewer).get(reverse("proposals:funding-csv"))
    lines = b"".join(response.streaming_content).decode("utf-8-sig").splitlines()
    assert lines[0] == "PCC,Allocated (£),Paid (£),Remaining (£),Illustrative"
    assert "Essex,125000.00,0.00,125000.00,no" in lines
    assert len(lines) == 1 + 9


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_two_admins_saving_at_once_can_never_push_the_total_over_the_fund(funding_admin):
    """Real PostgreSQL, two threads: each alone would fit; together they would not."""
    fund = Fund.objects.get()
    essex, sussex = Pcc.objects.get(slug="essex"), Pcc.objects.get(slug="sussex")
    start = threading.Barrier(2)
    outcomes = []

    def save(pcc):
        try:
            start.wait()
            set_allocation(fund, pcc, "600000.00", funding_admin)
            outcomes.append("saved")
        except ValidationError:
            outcomes.append("refused")
        finally:
            connection.close()

    threads = [threading.Thread(target=save, args=(pcc,)) for pcc in (essex, sussex)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(outcomes) == ["refused", "saved"]
    total = sum(a.amount for a in Allocation.objects.all())
    assert total == Decimal("600000.00")


def test_the_overview_says_what_is_unallocated_and_what_is_allocated_but_unpaid(
    client_for, funding_admin, reviewer, fund, essex, sussex
):
    set_allocation(fund, essex, "300000.00", funding_admin)
    set_allocation(fund, sussex, "200000.00", funding_admin)
    pay(fund, essex, "100000.00", funding_admin, paid_on=date(2017, 6, 1))
    page = client_for(reviewer).get(reverse("proposals:overview")).content.decode()
    figures = " ".join(re.sub(r"<[^>]+>", " ", page).split())
    assert "£500,000.00 of the £1,000,000.00 fund not yet allocated" in figures
    assert "£400,000.00 allocated but not yet paid" in figures
    assert "Not yet allocated £500,000.00" in figures
    assert "Paid £100,000.00" in figures
    assert "Allocated but not yet paid £400,000.00" in figures
    assert "left of the" not in figures


def test_a_stale_allocation_edit_shows_the_saved_version_beside_what_was_typed(
    client_for, fund, essex, funding_admin
):
    set_allocation(fund, essex, "100000.00", funding_admin)
    client = client_for(funding_admin)
    page = client.get(reverse(ALLOCATION, args=["essex"])).content.decode()
    version = re.search(r'name="version" value="([^"]+)"', page).group(1)
    colleague = UserFactory(role=Role.FUNDING_ADMIN, first_name="Ada", last_name="Lovelace")
    set_allocation(fund, essex, "250000.00", colleague, reason="Board minute 12")
    saved = AuditEvent.objects.filter(action="allocation.changed").latest("pk")

    response = client.post(
        reverse(ALLOCATION, args=["essex"]),
        {"amount": "£300,000.00", "reason": "My own reason", "version": version},
    )
    assert response.status_code == 200
    page = response.content.decode()
    assert STALE_EDIT.split(".")[0] in page
    shown = " ".join(re.sub(r"<[^>]+>", " ", page.split("What is saved now")[1]).split())
    assert shown.startswith(
        f"Allocation £250,000.00 Why Board minute 12 Changed by Ada Lovelace "
        f"When {govuk_datetime(saved.created_at)} What you typed is kept"
    )
    assert 'value="£300,000.00"' in page
    assert "My own reason</textarea>" in page
    assert Allocation.objects.get(pcc=essex).amount == Decimal("250000.00")
