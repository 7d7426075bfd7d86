"""Django admin cannot move money or history: those are read-only there, and what a site
admin may change (reference data, sign-in lockouts) is recorded like any other change."""

from datetime import date
from decimal import Decimal

import pytest
from axes.models import AccessAttempt
from django.contrib.admin.sites import site
from django.urls import reverse
from django.utils import timezone
from django_otp.plugins.otp_totp.models import TOTPDevice

from proposals.models import (
    Allocation,
    AuditEvent,
    Comment,
    Decision,
    DocumentKind,
    Fund,
    GovernanceChange,
    Payment,
    Pcc,
    StatutoryOrder,
    Step,
)
from proposals.services import comments, drafting

from .factories import ProposalFactory, attach_document, stage_of

pytestmark = pytest.mark.django_db

#: What a POST to a read-only change page tries to set: money, status, visibility, proposal.
TAMPERING = {
    "amount": "999999.00",
    "total": "5000000.00",
    "status": "approved",
    "outcome": "approved",
    "visibility": "everyone",
    "under_legal_challenge": "on",
    "si_number": "2099/1",
    "passed_to": "rewritten",
    "reason": "rewritten",
    "action": "rewritten",
    "economy": "rewritten",
    "body": "rewritten",
}


def build_records(proposal, author, reviewer):
    """One row of each model whose history or money admin must not change."""
    fund = Fund.objects.get()
    allocation = Allocation.objects.create(fund=fund, pcc=proposal.pcc, amount=Decimal("100000"))
    stage = stage_of(proposal, Step.BUSINESS_CASE)
    drafting.business_case_section_save(
        proposal=proposal, section="economy", text="Savings.", base_revision=0, by=author
    )
    return {
        "fund": fund,
        "allocation": allocation,
        "payment": Payment.objects.create(
            allocation=allocation, amount=Decimal("500.00"), paid_on=date(2017, 4, 1)
        ),
        "auditevent": AuditEvent.objects.filter(proposal=proposal).first(),
        "businesscaserevision": proposal.revisions.get(),
        "decision": Decision.objects.create(proposal=proposal, outcome="deferred"),
        "statutoryorder": StatutoryOrder.objects.create(proposal=proposal, si_number="2017/864"),
        "governancechange": GovernanceChange.objects.create(
            proposal=proposal,
            changed_on=date(2024, 5, 7),
            passed_to="the Mayor",
            summary="Passed to the Mayor.",
        ),
        "stage": stage,
        "document": attach_document(stage, DocumentKind.BUSINESS_CASE, author),
        "comment": comments.comment_add(
            proposal=proposal, body="For the Home Office.", home_office_only=True, by=reviewer
        ),
        "proposal": proposal,
    }


@pytest.fixture
def records(essex, essex_staff, reviewer):
    return build_records(ProposalFactory(pcc=essex), essex_staff, reviewer)


def stored(record):
    return type(record).objects.filter(pk=record.pk).values().get()


def change_url(record):
    meta = record._meta
    return reverse(f"admin:{meta.app_label}_{meta.model_name}_change", args=[record.pk])


READ_ONLY = [
    "fund",
    "allocation",
    "payment",
    "auditevent",
    "businesscaserevision",
    "decision",
    "statutoryorder",
    "governancechange",
    "stage",
    "document",
    "comment",
    "proposal",
]


@pytest.mark.parametrize("name", READ_ONLY)
def test_admin_shows_money_and_history_with_nothing_to_edit(client_for, site_admin, records, name):
    record = records[name]
    response = client_for(site_admin).get(change_url(record))
    assert response.status_code == 200
    page = response.content.decode()
    for field in record._meta.concrete_fields:
        assert f'name="{field.name}"' not in page, field.name
        assert f'name="{field.attname}"' not in page, field.attname
    assert 'name="_save"' not in page


@pytest.mark.parametrize("name", READ_ONLY)
def test_a_post_to_a_read_only_admin_page_changes_nothing(
    client_for, site_admin, records, sussex, name
):
    record = records[name]
    before = stored(record)
    other = ProposalFactory(pcc=sussex)
    tampering = {**TAMPERING, "proposal": other.pk, "pcc": sussex.pk, "_save": "Save"}
    client = client_for(site_admin)
    assert client.post(change_url(record), tampering).status_code == 403
    meta = record._meta
    delete_url = reverse(f"admin:{meta.app_label}_{meta.model_name}_delete", args=[record.pk])
    assert client.post(delete_url, {"post": "yes"}).status_code == 403
    add_url = reverse(f"admin:{meta.app_label}_{meta.model_name}_add")
    assert client.post(add_url, tampering).status_code == 403
    assert stored(record) == before


def test_comment_visibility_is_kept_when_admin_posts(client_for, site_admin, records):
    comment = records["comment"]
    client_for(site_admin).post(change_url(comment), {"visibility": "everyone"})
    assert Comment.objects.get(pk=comment.pk).visibility == Comment.Visibility.HOME_OFFICE


def test_every_proposal_model_in_admin_is_read_only(rf, site_admin):
    """Nothing under "Proposals" but reference data can be added, changed or deleted."""
    request = rf.get("/admin/")
    request.user = site_admin
    reference = {"pcc", "fireauthority", "localauthority", "ambulancetrust", "collaborationduty"}
    for model, model_admin in site._registry.items():
        if model._meta.app_label != "proposals" or model._meta.model_name in reference:
            continue
        assert not model_admin.has_add_permission(request), model
        assert not model_admin.has_change_permission(request), model
        assert not model_admin.has_delete_permission(request), model


def test_the_authenticators_secret_is_never_served(client_for, site_admin, reviewer):
    device = TOTPDevice.objects.create(user=reviewer, name="Phone", confirmed=True)
    client = client_for(site_admin)
    base = f"/admin/otp_totp/totpdevice/{device.pk}"
    for path in (f"{base}/config/", f"{base}/qrcode/", f"{base}/change/"):
        response = client.get(path, follow=True)
        assert device.key not in response.content.decode(), path
        assert response.get("Content-Type", "").startswith("text/html"), path
    add = client.post(
        "/admin/otp_totp/totpdevice/add/",
        {"user": reviewer.pk, "name": "Attacker", "key": "00" * 20, "step": 30, "digits": 6},
    )
    assert add.status_code == 403
    assert TOTPDevice.objects.filter(user=reviewer).count() == 1


def test_correcting_reference_data_in_admin_is_recorded(client_for, site_admin, essex):
    url = reverse("admin:proposals_pcc_change", args=[essex.pk])
    response = client_for(site_admin).post(
        url,
        {
            "slug": essex.slug,
            "name": essex.name,
            "police_force": "Essex Police (corrected)",
            "commissioner_in_2017": essex.commissioner_in_2017,
            "ambulance_trust": essex.ambulance_trust_id,
            "source_url": essex.source_url,
            "_save": "Save",
        },
    )
    assert response.status_code == 302
    assert Pcc.objects.get(pk=essex.pk).police_force == "Essex Police (corrected)"
    event = AuditEvent.objects.get(action="reference.changed")
    assert event.actor == site_admin
    assert event.object_type == "proposals.pcc"
    assert event.before == {"police_force": essex.police_force}
    assert event.after == {"police_force": "Essex Police (corrected)"}


def test_lifting_a_lockout_in_admin_is_recorded(client_for, site_admin):
    attempt = AccessAttempt.objects.create(
        username="reviewer",
        ip_address="203.0.113.9",
        user_agent="test",
        get_data="",
        post_data="",
        http_accept="",
        path_info="/accounts/login/",
        failures_since_start=5,
        attempt_time=timezone.now(),
    )
    url = reverse("admin:axes_accessattempt_delete", args=[attempt.pk])
    assert client_for(site_admin).post(url, {"post": "yes"}).status_code == 302
    assert not AccessAttempt.objects.exists()
    event = AuditEvent.objects.get(action="sign_in.unlocked")
    assert event.actor == site_admin
    assert event.before == {"username": "reviewer", "address": "203.0.113.9", "failures": 5}
