"""Nobody gets in with a password alone: enrolling authenticator apps, enrolment links, recovery
codes, the apps page, and who must use a code (production setting: OTP_REQUIRED on)."""

from datetime import timedelta
from urllib.parse import urlparse

import pytest
from django.contrib import admin
from django.core import mail
from django.core.exceptions import PermissionDenied
from django.core.management import call_command
from django.db import IntegrityError
from django.test import Client
from django.utils import timezone
from django_otp.oath import TOTP
from django_otp.plugins.otp_static.models import StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from portal.forms import WRONG_PASSWORD
from portal.models import STAFF_IS_SITE_ADMIN, EnrolmentLink, Role, User
from portal.two_factor import WRONG_CODE, WRONG_CODE_OR_RECOVERY_CODE
from portal.views import KEY_EXPIRED
from proposals.models import AuditEvent, StageStatus, Step
from proposals.services import accounts, workflow
from proposals.services.accounts import (
    DEVICE_ADDED_TITLE,
    DEVICE_REMOVED_TITLE,
    LAST_DEVICE,
    LINK_UNUSABLE,
    recovery_codes_make,
)
from proposals.views.pages import OverviewView

from .factories import TEST_PASSWORD, UserFactory, complete_business_case, stage_of

pytestmark = pytest.mark.django_db

LOGIN = "/accounts/login/"
SETUP = "/accounts/two-factor/setup/"
VERIFY = "/accounts/two-factor/"
DEVICES = "/account/two-factor/"


@pytest.fixture(autouse=True)
def otp_required(settings):
    settings.OTP_REQUIRED = True
    settings.OTP_TOTP_THROTTLE_FACTOR = 0  # these tests type wrong codes on purpose


def code_from(key: bytes) -> str:
    return f"{TOTP(key).token():06d}"


def code_for(device: TOTPDevice) -> str:
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    return f"{totp.token():06d}"


def signed_in(user) -> Client:
    """A client past the password only, as an attacker who knows it would be."""
    client = Client()
    client.post(LOGIN, {"username": user.username, "password": TEST_PASSWORD})
    return client


def enrolled(user, name="Work phone") -> TOTPDevice:
    return TOTPDevice.objects.create(user=user, name=name, confirmed=True)


def verified(user, device) -> Client:
    client = signed_in(user)
    assert client.post(VERIFY, {"token": code_for(device)}).status_code == 302
    device.refresh_from_db()
    device.last_t -= 1  # the next code in this time step is accepted again
    device.save()
    return client


def link_for(user, by=None) -> str:
    return urlparse(accounts.enrolment_link_issue(user=user, by=by)).path


# --- The attack: a password alone ----------------------------------------------------------------


def test_a_stolen_password_cannot_add_an_app_to_an_enrolled_account(reviewer):
    enrolled(reviewer)
    attacker = signed_in(reviewer)
    setup = attacker.get(SETUP)
    assert setup.status_code == 302
    assert setup["Location"].startswith(VERIFY)
    attackers_key = b"attacker-key-0123456"
    refused = attacker.post(SETUP, {"name": "Mine", "token": code_from(attackers_key)})
    assert refused["Location"].startswith(VERIFY)
    assert TOTPDevice.objects.filter(user=reviewer).count() == 1
    assert attacker.get("/overview/").status_code == 302
    assert attacker.get(DEVICES).status_code == 302


def test_a_stolen_password_cannot_enrol_an_account_that_never_enrolled(reviewer):
    attacker = signed_in(reviewer)
    page = attacker.get(SETUP)
    assert "You need an enrolment link" in page.content.decode()
    assert "app-qr" not in page.content.decode()  # no key, no QR code
    attacker.post(SETUP, {"name": "Mine", "token": "123456", "password": TEST_PASSWORD})
    assert not TOTPDevice.objects.filter(user=reviewer).exists()
    assert attacker.get("/overview/")["Location"].startswith(SETUP)


def test_with_only_the_password_every_page_leads_to_the_code_page(reviewer):
    enrolled(reviewer)
    client = signed_in(reviewer)
    for path in ["/", "/overview/", "/review/", "/funding/", DEVICES, "/admin/", SETUP]:
        response = client.get(path)
        assert response.status_code == 302, path
        assert response["Location"].startswith(VERIFY), path


# --- Enrolment links -----------------------------------------------------------------------------


def test_a_site_admin_emails_an_enrolment_link_that_is_audited(site_admin, reviewer):
    admin = verified(site_admin, enrolled(site_admin))
    response = admin.post(
        "/admin/portal/user/",
        {"action": "send_enrolment_link", "_selected_action": [reviewer.pk]},
        follow=True,
    )
    assert f"Enrolment link e-mailed to {reviewer.username}" in response.content.decode()
    (message,) = mail.outbox
    assert message.to == [reviewer.email]
    assert "/accounts/two-factor/enrol/" in message.body
    link = EnrolmentLink.objects.get(user=reviewer)
    assert link.token_digest not in message.body  # only the digest is kept
    assert link.expires_at - link.created_at == timedelta(hours=24)
    event = AuditEvent.objects.get(action="enrolment_link_issued")
    assert (event.actor, event.object_id) == (site_admin, str(reviewer.pk))


def test_an_enrolment_link_enrols_once_then_shows_recovery_codes(reviewer):
    link = link_for(reviewer)
    client = signed_in(reviewer)
    assert client.get(link)["Location"] == SETUP
    page = client.get(SETUP).content.decode()
    assert "Set up your authenticator app" in page
    assert 'name="password"' not in page  # the link is the proof; the password was just typed
    device = TOTPDevice.objects.get(user=reviewer, confirmed=False)
    done = client.post(SETUP, {"name": "Work phone", "token": code_for(device)})
    codes = StaticToken.objects.filter(device__user=reviewer)
    assert codes.count() == 10
    assert all(code.token in done.content.decode() for code in codes)
    assert client.get("/overview/").status_code == 200
    again = signed_in(reviewer)
    assert again.get(link).status_code == 404
    assert LINK_UNUSABLE in again.get(link).content.decode()


def test_an_enrolment_link_expires_after_a_day(reviewer):
    link = link_for(reviewer)
    EnrolmentLink.objects.update(expires_at=timezone.now() - timedelta(seconds=1))
    client = signed_in(reviewer)
    assert LINK_UNUSABLE in client.get(link).content.decode()
    assert "You need an enrolment link" in client.get(SETUP).content.decode()


def test_a_link_that_expires_while_open_enrols_nothing(reviewer):
    link = link_for(reviewer)
    client = signed_in(reviewer)
    client.get(link)
    client.get(SETUP)
    device = TOTPDevice.objects.get(user=reviewer)
    EnrolmentLink.objects.update(expires_at=timezone.now() - timedelta(seconds=1))
    client.post(SETUP, {"name": "Work phone", "token": code_for(device)})
    assert not TOTPDevice.objects.filter(user=reviewer, confirmed=True).exists()


def test_a_link_works_only_for_its_owner(reviewer, funding_admin):
    link = link_for(reviewer)
    assert signed_in(funding_admin).get(link).status_code == 404


def test_a_new_link_replaces_the_last(reviewer):
    first = link_for(reviewer)
    link_for(reviewer)
    assert signed_in(reviewer).get(first).status_code == 404


def test_a_person_who_lost_their_app_and_codes_is_reset_by_a_site_admin(
    site_admin, reviewer, celery_eager, django_capture_on_commit_callbacks
):
    recovery_codes_make(user=reviewer)
    enrolled(reviewer, name="Lost phone")
    admin = verified(site_admin, enrolled(site_admin))
    with django_capture_on_commit_callbacks(execute=True):
        admin.post(
            "/admin/portal/user/",
            {"action": "reset_authenticator_apps", "_selected_action": [reviewer.pk]},
        )
    assert not TOTPDevice.objects.filter(user=reviewer).exists()
    assert not StaticToken.objects.filter(device__user=reviewer).exists()
    assert {message.subject for message in mail.outbox} == {
        DEVICE_REMOVED_TITLE,
        accounts.ENROLMENT_LINK_TITLE,
    }
    assert AuditEvent.objects.get(action="two_factor_reset").actor == site_admin
    assert "You need an enrolment link" in signed_in(reviewer).get(SETUP).content.decode()


def test_the_command_issues_a_link_for_the_first_site_admin(capsys):
    call_command("createsuperuser", interactive=False, username="ops", email="ops@example.com")
    call_command("issue_enrolment_link", "ops")
    assert "/accounts/two-factor/enrol/" in capsys.readouterr().out
    assert mail.outbox[0].to == ["ops@example.com"]


# --- Recovery codes ------------------------------------------------------------------------------


def test_a_recovery_code_signs_in_once(reviewer):
    recovery_codes_make(user=reviewer)
    enrolled(reviewer)
    code = StaticToken.objects.filter(device__user=reviewer).first().token
    first = signed_in(reviewer)
    assert first.post(VERIFY, {"token": code.upper()})["Location"] == "/"
    assert first.get("/overview/").status_code == 200
    second = signed_in(reviewer)
    refused = second.post(VERIFY, {"token": code})
    assert WRONG_CODE_OR_RECOVERY_CODE in refused.content.decode()
    assert second.get("/overview/").status_code == 302


# --- Adding and removing apps --------------------------------------------------------------------


def test_adding_a_second_app_needs_the_code_and_the_password_again(
    reviewer, celery_eager, django_capture_on_commit_callbacks
):
    recovery_codes_make(user=reviewer)
    client = verified(reviewer, enrolled(reviewer))
    page = client.get(SETUP).content.decode()
    assert 'name="password"' in page
    new = TOTPDevice.objects.get(user=reviewer, confirmed=False)
    wrong = client.post(SETUP, {"name": "Tablet", "token": code_for(new), "password": "nope"})
    assert WRONG_PASSWORD in wrong.content.decode()
    assert not TOTPDevice.objects.get(pk=new.pk).confirmed
    with django_capture_on_commit_callbacks(execute=True):
        added = client.post(
            SETUP, {"name": "Tablet", "token": code_for(new), "password": TEST_PASSWORD}
        )
    assert added.status_code == 302
    assert TOTPDevice.objects.get(pk=new.pk).confirmed
    assert StaticToken.objects.filter(device__user=reviewer).count() == 10  # not made again
    (message,) = mail.outbox
    assert (message.to, message.subject) == ([reviewer.email], DEVICE_ADDED_TITLE)
    assert "“Tablet”" in message.body


def test_an_unconfirmed_app_expires(reviewer, settings):
    client = verified(reviewer, enrolled(reviewer))
    client.get(SETUP)
    stale = TOTPDevice.objects.get(user=reviewer, confirmed=False)
    TOTPDevice.objects.filter(pk=stale.pk).update(
        created_at=timezone.now() - timedelta(minutes=settings.ENROLMENT_DEVICE_MINUTES + 1)
    )
    response = client.post(
        SETUP, {"name": "Late", "token": code_for(stale), "password": TEST_PASSWORD}
    )
    assert KEY_EXPIRED in response.content.decode()
    assert not TOTPDevice.objects.filter(pk=stale.pk).exists()
    assert TOTPDevice.objects.filter(user=reviewer, confirmed=True).count() == 1


def test_the_apps_page_lists_name_added_and_last_used(reviewer):
    device = enrolled(reviewer, name="Work phone")
    TOTPDevice.objects.filter(pk=device.pk).update(created_at=timezone.now() - timedelta(days=3))
    client = verified(reviewer, device)
    page = client.get(DEVICES).content.decode()
    added = timezone.localdate() - timedelta(days=3)
    assert "Work phone" in page
    assert f"{added.day} {added:%B %Y}" in page
    today = timezone.localdate()
    assert f"{today.day} {today:%B %Y}" in page  # last used: signing in just now


def test_removing_an_app_emails_the_owner(
    reviewer, celery_eager, django_capture_on_commit_callbacks
):
    keep = enrolled(reviewer, name="Work phone")
    lost = enrolled(reviewer, name="Old phone")
    client = verified(reviewer, keep)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(f"{DEVICES}{lost.pk}/remove/", follow=True)
    assert "“Old phone” removed" in response.content.decode()
    assert not TOTPDevice.objects.filter(pk=lost.pk).exists()
    (message,) = mail.outbox
    assert (message.to, message.subject) == ([reviewer.email], DEVICE_REMOVED_TITLE)
    assert AuditEvent.objects.filter(action="two_factor_removed", actor=reviewer).exists()


def test_a_reviewer_cannot_remove_their_only_app(reviewer):
    device = enrolled(reviewer)
    client = verified(reviewer, device)
    response = client.post(f"{DEVICES}{device.pk}/remove/", follow=True)
    assert LAST_DEVICE in response.content.decode()
    assert TOTPDevice.objects.filter(pk=device.pk).exists()


def test_pcc_people_may_remove_their_only_app_and_its_recovery_codes(essex_staff):
    recovery_codes_make(user=essex_staff)
    device = enrolled(essex_staff)
    client = verified(essex_staff, device)
    client.post(f"{DEVICES}{device.pk}/remove/")
    assert not TOTPDevice.objects.filter(user=essex_staff).exists()
    assert not StaticToken.objects.filter(device__user=essex_staff).exists()
    assert signed_in(essex_staff).get("/pccs/essex/").status_code == 200


def test_nobody_removes_another_persons_app(reviewer, funding_admin):
    theirs = enrolled(funding_admin)
    client = verified(reviewer, enrolled(reviewer))
    assert client.post(f"{DEVICES}{theirs.pk}/remove/").status_code == 404


def test_pcc_people_enrol_without_a_link_by_typing_their_password(essex_staff):
    client = signed_in(essex_staff)
    client.get(SETUP)
    device = TOTPDevice.objects.get(user=essex_staff)
    refused = client.post(SETUP, {"name": "Phone", "token": code_for(device)})
    assert "Enter your password" in refused.content.decode()
    client.post(SETUP, {"name": "Phone", "token": code_for(device), "password": TEST_PASSWORD})
    assert TOTPDevice.objects.get(pk=device.pk).confirmed


def test_a_wrong_code_at_setup_says_so(essex_staff):
    client = signed_in(essex_staff)
    client.get(SETUP)
    response = client.post(SETUP, {"name": "Phone", "token": "000000", "password": TEST_PASSWORD})
    assert WRONG_CODE in response.content.decode()


# --- Who must use a code -------------------------------------------------------------------------


def test_createsuperuser_makes_a_site_admin():
    call_command("createsuperuser", interactive=False, username="ops", email="ops@example.com")
    ops = User.objects.get(username="ops")
    assert (ops.role, ops.is_staff, ops.is_superuser) == (Role.SITE_ADMIN, True, True)


def test_the_database_ties_admin_powers_to_the_site_admin_role(essex):
    with pytest.raises(IntegrityError):
        UserFactory(role=Role.REVIEWER, is_staff=True)


def test_the_database_refuses_a_superuser_without_the_site_admin_role():
    with pytest.raises(IntegrityError):
        UserFactory(role="", is_superuser=True)


def test_a_superuser_from_createsuperuser_is_sent_to_the_code_page_at_admin():
    call_command("createsuperuser", interactive=False, username="ops", email="ops@example.com")
    ops = User.objects.get(username="ops")
    ops.set_password(TEST_PASSWORD)
    ops.save()
    client = signed_in(ops)
    response = client.get("/admin/")
    assert response.status_code == 302
    assert response["Location"].startswith(SETUP)
    assert "You need an enrolment link" in client.get(response["Location"]).content.decode()


def test_admin_signs_in_through_the_portals_sign_in_page(client):
    response = client.get("/admin/login/?next=/admin/")
    assert response["Location"] == "/accounts/login/?next=/admin/"


def test_admin_refuses_a_site_admin_whose_session_has_not_passed_a_code(site_admin, rf):
    request = rf.get("/admin/")
    request.user = site_admin
    request.user.is_verified = lambda: False
    assert not admin.site.has_permission(request)


def test_a_superuser_is_refused_what_only_a_reviewer_may_do(
    site_admin, essex_proposal, essex_staff
):
    complete_business_case(essex_proposal, essex_staff)
    stage = stage_of(essex_proposal, Step.BUSINESS_CASE)
    workflow.stage_transition(stage=stage, action="submit", by=essex_staff)
    assert site_admin.is_superuser
    response = verified(site_admin, enrolled(site_admin)).post(
        f"/proposals/{essex_proposal.pk}/stages/business-case/approve/"
    )
    assert response.status_code == 403
    stage.refresh_from_db()
    assert stage.status == StageStatus.SUBMITTED


def test_a_page_rule_is_not_bypassed_by_superuser_status(rf, essex):
    """Page rules go through rules.has_perm: a superuser flag on a role the rule refuses
    (which the database would not store) still gets no overview."""
    request = rf.get("/overview/")
    request.user = User(role=Role.PCC_STAFF, pcc=essex, is_superuser=True, is_active=True)
    with pytest.raises(PermissionDenied):
        OverviewView.as_view()(request)


@pytest.mark.parametrize(
    ("role", "staff", "made"),
    [(Role.SITE_ADMIN, "on", True), (Role.REVIEWER, "", True), (Role.REVIEWER, "on", False)],
)
def test_admin_adds_people_only_with_the_powers_their_role_carries(site_admin, role, staff, made):
    admin = verified(site_admin, enrolled(site_admin))
    response = admin.post(
        "/admin/portal/user/add/",
        {
            "username": "newcomer",
            "usable_password": "true",
            "password1": "a-long-enough-password-1",
            "password2": "a-long-enough-password-1",
            "role": role,
            "is_staff": staff,
        },
    )
    assert User.objects.filter(username="newcomer").exists() == made
    if not made:
        assert STAFF_IS_SITE_ADMIN in response.content.decode()
