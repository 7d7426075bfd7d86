"""Keeping strangers out: lockouts, one-time passwords, idle sessions, headers, the security log."""

import json
import logging
import re
from datetime import timedelta

import pytest
from axes.models import AccessAttempt
from django.conf import settings
from django.contrib.auth.password_validation import validate_password
from django.contrib.sessions.models import Session
from django.core.exceptions import ValidationError
from django.db.models import F
from django.test import Client
from django.utils import timezone
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice

from portal.forms import INVALID_SIGN_IN, SIGN_IN_DELAYED
from portal.middleware import SIGNED_IN_AT, TOUCHED_AT
from portal.two_factor import WRONG_CODE

from .factories import TEST_PASSWORD, UserFactory

pytestmark = pytest.mark.django_db

LOGIN = "/accounts/login/"
WRONG = "not-the-password"


def sign_in(client, username, password, address="203.0.113.7", **headers):
    return client.post(
        LOGIN,
        {"username": username, "password": password},
        REMOTE_ADDR=address,
        follow=True,
        **headers,
    )


def fail_sign_in(client, username, address="203.0.113.7", **headers):
    """A failed sign-in by someone who then sits out the account's delay (moved back in the
    database, not waited for)."""
    response = sign_in(client, username, WRONG, address, **headers)
    sit_out_the_wait()
    return response


def current_code(device: TOTPDevice) -> str:
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    return f"{totp.token():06d}"


# --- Lockout (django-axes) ----------------------------------------------------------------------


def test_five_failed_sign_ins_lock_the_account_from_that_address(client, reviewer):
    for _ in range(4):
        page = fail_sign_in(client, reviewer.username).content.decode()
        assert "Enter a correct username and password" in page
    assert fail_sign_in(client, reviewer.username).status_code == 429
    locked = sign_in(client, reviewer.username, TEST_PASSWORD)
    assert locked.status_code == 429
    assert "Your account is locked" in locked.content.decode()
    assert "_auth_user_id" not in client.session


def test_a_lockout_does_not_lock_the_same_account_from_another_address(client, reviewer):
    for _ in range(5):
        fail_sign_in(client, reviewer.username, address="203.0.113.7")
    elsewhere = sign_in(Client(), reviewer.username, TEST_PASSWORD, address="198.51.100.9")
    assert elsewhere.redirect_chain[-1][0] == "/overview/"


def test_a_site_admin_unlocks_a_locked_account_in_admin(client, client_for, reviewer, site_admin):
    for _ in range(5):
        fail_sign_in(client, reviewer.username)
    attempt = AccessAttempt.objects.get(username=reviewer.username)
    admin = client_for(site_admin)
    response = admin.post(f"/admin/axes/accessattempt/{attempt.pk}/delete/", {"post": "yes"})
    assert response.status_code == 302
    assert sign_in(client, reviewer.username, TEST_PASSWORD).redirect_chain[-1][0] == "/overview/"


def test_the_lockout_limit_is_a_setting(client, reviewer, settings):
    settings.AXES_FAILURE_LIMIT = 2
    for _ in range(2):
        sign_in(client, reviewer.username, WRONG)
    assert sign_in(client, reviewer.username, TEST_PASSWORD).status_code == 429


def sit_out_the_wait():
    AccessAttempt.objects.update(
        attempt_time=F("attempt_time") - timedelta(seconds=settings.SIGN_IN_DELAY_MAX_SECONDS)
    )


def test_failures_from_many_addresses_slow_an_account_progressively(client, reviewer):
    for address in ["198.51.100.1", "198.51.100.2", "198.51.100.3"]:  # typos happen
        refused = sign_in(Client(), reviewer.username, WRONG, address)
        assert INVALID_SIGN_IN in refused.content.decode()
    waits = []
    for address in ["198.51.100.4", "198.51.100.5", "198.51.100.6"]:
        # Even the right password is not checked while the account waits.
        attempt = Client()
        delayed = sign_in(attempt, reviewer.username, TEST_PASSWORD, address).content.decode()
        waits.append(int(re.search(r"Wait (\d+) seconds?", delayed).group(1)))
        assert "_auth_user_id" not in attempt.session
        sit_out_the_wait()
        sign_in(Client(), reviewer.username, WRONG, address)  # and the guess was wrong
    assert waits == [1, 2, 4]
    sit_out_the_wait()
    owner = sign_in(client, reviewer.username, TEST_PASSWORD, "192.0.2.50")
    assert owner.redirect_chain[-1][0] == "/overview/"  # slowed, never locked out


def test_the_longest_wait_is_a_setting(reviewer, settings):
    settings.SIGN_IN_DELAY_MAX_SECONDS = 5
    for number in range(12):
        sit_out_the_wait()
        sign_in(Client(), reviewer.username, WRONG, f"198.51.100.{number}")
    delayed = sign_in(Client(), reviewer.username, TEST_PASSWORD, "192.0.2.50")
    assert SIGN_IN_DELAYED.format(wait="5 seconds") in delayed.content.decode()


def test_a_forged_forwarded_for_is_ignored_without_a_trusted_proxy(client, reviewer, caplog):
    caplog.set_level(logging.INFO, logger="portal.security")
    for number in range(5):
        fail_sign_in(
            client, reviewer.username, "203.0.113.7", HTTP_X_FORWARDED_FOR=f"10.0.0.{number}"
        )
    assert AccessAttempt.objects.get().ip_address == "203.0.113.7"
    locked = sign_in(client, reviewer.username, TEST_PASSWORD, HTTP_X_FORWARDED_FOR="10.9.9.9")
    assert locked.status_code == 429
    addresses = {r.address for r in security_events(caplog) if r.event == "sign_in_failed"}
    assert addresses == {"203.0.113.7"}


def test_behind_a_trusted_proxy_the_address_it_saw_is_the_clients(reviewer, settings, caplog):
    settings.TRUSTED_PROXY_COUNT = 1
    caplog.set_level(logging.INFO, logger="portal.security")
    # The client wrote "10.0.0.1" itself; the proxy appended the address it was connected from.
    forwarded = {"HTTP_X_FORWARDED_FOR": "10.0.0.1, 198.51.100.23"}
    sign_in(Client(), reviewer.username, WRONG, "172.16.0.2", **forwarded)
    assert AccessAttempt.objects.get().ip_address == "198.51.100.23"
    (failed,) = [r for r in security_events(caplog) if r.event == "sign_in_failed"]
    assert failed.address == "198.51.100.23"


# --- One-time passwords (django-otp) ------------------------------------------------------------


@pytest.fixture
def otp_required(settings):
    settings.OTP_REQUIRED = True
    # django-otp slows repeated wrong codes; these tests type a wrong code then a right one.
    settings.OTP_TOTP_THROTTLE_FACTOR = 0


def test_wrong_codes_slow_down_guessing(otp_required, settings, reviewer, client):
    settings.OTP_TOTP_THROTTLE_FACTOR = 1
    device = TOTPDevice.objects.create(user=reviewer, name="Authenticator app", confirmed=True)
    sign_in(client, reviewer.username, TEST_PASSWORD)
    client.post("/accounts/two-factor/", {"token": "000000"})
    refused = client.post("/accounts/two-factor/", {"token": current_code(device)})
    assert WRONG_CODE in refused.content.decode()


def test_a_reviewer_must_enrol_an_authenticator_app_before_anything_else(
    otp_required, client, reviewer
):
    response = sign_in(client, reviewer.username, TEST_PASSWORD)
    assert response.redirect_chain[-1][0].startswith("/accounts/two-factor/setup/")
    # Enrolling takes the link a site admin e-mails (tests/test_enrolment.py).
    assert "You need an enrolment link" in response.content.decode()
    assert client.get("/overview/")["Location"].startswith("/accounts/two-factor/setup/")


def test_an_enrolled_reviewer_signs_in_with_password_then_code(otp_required, reviewer):
    device = TOTPDevice.objects.create(user=reviewer, name="Authenticator app", confirmed=True)
    client = Client()
    response = sign_in(client, reviewer.username, TEST_PASSWORD)
    assert response.redirect_chain[-1][0].startswith("/accounts/two-factor/?next=")
    assert client.get("/funding/").status_code == 302
    refused = client.post("/accounts/two-factor/", {"token": "12345x", "next": "/funding/"})
    assert WRONG_CODE in refused.content.decode()
    verified = client.post(
        "/accounts/two-factor/", {"token": current_code(device), "next": "/funding/"}
    )
    assert verified["Location"] == "/funding/"
    assert client.get("/funding/").status_code == 200


@pytest.mark.parametrize("role", ["funding_admin", "site_admin"])
def test_funding_and_site_admins_need_a_code_too(otp_required, request, client, role):
    user = request.getfixturevalue(role)
    response = sign_in(client, user.username, TEST_PASSWORD)
    assert response.redirect_chain[-1][0].startswith("/accounts/two-factor/setup/")


def test_pcc_people_need_no_code_unless_they_enrolled(otp_required, client, essex_staff):
    assert sign_in(client, essex_staff.username, TEST_PASSWORD).redirect_chain[-1][0] == (
        "/pccs/essex/"
    )
    TOTPDevice.objects.create(user=essex_staff, name="Authenticator app", confirmed=True)
    client = Client()
    response = sign_in(client, essex_staff.username, TEST_PASSWORD)
    assert response.redirect_chain[-1][0].startswith("/accounts/two-factor/")


def test_with_one_time_passwords_off_reviewers_sign_in_with_a_password(client, reviewer, settings):
    settings.OTP_REQUIRED = False
    assert sign_in(client, reviewer.username, TEST_PASSWORD).redirect_chain[-1][0] == "/overview/"


# --- Sessions and passwords ---------------------------------------------------------------------


def test_an_idle_session_expires(client, reviewer):
    sign_in(client, reviewer.username, TEST_PASSWORD)
    assert client.get("/overview/").status_code == 200
    Session.objects.update(expire_date=timezone.now() - timedelta(seconds=1))
    assert client.get("/overview/")["Location"].startswith("/accounts/login/")


def move_session_back(client, key: str, seconds: int) -> None:
    """Move one of the session's timestamps back, as if that much time had passed."""
    session = client.session
    session[key] -= seconds
    session.save()


def test_a_request_pushes_the_idle_expiry_back_once_the_last_push_is_minutes_old(
    client, reviewer, settings
):
    sign_in(client, reviewer.username, TEST_PASSWORD)
    client.get("/overview/")
    move_session_back(client, TOUCHED_AT, settings.SESSION_TOUCH_SECONDS)
    Session.objects.update(expire_date=timezone.now() + timedelta(seconds=5))
    client.get("/overview/")
    expires = Session.objects.get().expire_date
    assert expires > timezone.now() + timedelta(seconds=settings.SESSION_COOKIE_AGE - 60)


def test_requests_within_minutes_of_the_last_push_do_not_write_the_session(client, reviewer):
    sign_in(client, reviewer.username, TEST_PASSWORD)
    client.get("/overview/")
    soon = timezone.now() + timedelta(seconds=5)
    Session.objects.update(expire_date=soon)
    response = client.get("/overview/")
    assert response.status_code == 200
    assert Session.objects.get().expire_date == soon
    assert settings.SESSION_COOKIE_NAME not in response.cookies


def test_a_session_ends_session_max_hours_after_signing_in_however_active(
    client, reviewer, settings
):
    sign_in(client, reviewer.username, TEST_PASSWORD)
    assert client.get("/overview/").status_code == 200
    move_session_back(client, SIGNED_IN_AT, settings.SESSION_MAX_SECONDS + 1)
    response = client.get("/overview/")
    assert response["Location"] == "/accounts/login/?next=/overview/"
    assert "_auth_user_id" not in client.session


@pytest.mark.parametrize("weak", ["password", "12345678901234", "short"])
def test_weak_passwords_are_refused(weak):
    with pytest.raises(ValidationError):
        validate_password(weak, user=UserFactory.build(username="someone"))


# --- Headers and cookies with production settings -----------------------------------------------


def test_production_responses_carry_the_security_headers(client, settings):
    assert not settings.DEBUG
    response = client.get(LOGIN, secure=True)
    csp = response["Content-Security-Policy"]
    assert "default-src 'self'" in csp
    assert "script-src 'self'" in csp
    assert "'unsafe-inline'" not in csp
    assert "frame-ancestors 'none'" in csp
    assert response["Strict-Transport-Security"].startswith("max-age=31536000")
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"
    assert response["X-Frame-Options"] == "DENY"


def test_session_and_csrf_cookies_are_secure_and_http_only(client, reviewer):
    response = client.post(
        LOGIN, {"username": reviewer.username, "password": TEST_PASSWORD}, secure=True
    )
    session = response.cookies["sessionid"]
    assert session["secure"]
    assert session["httponly"]
    assert session["samesite"] == "Lax"
    csrf = client.get(LOGIN, secure=True).cookies.get("csrftoken") or client.cookies["csrftoken"]
    assert csrf["secure"]


# --- The security log ---------------------------------------------------------------------------


def security_events(caplog):
    return [record for record in caplog.records if record.name == "portal.security"]


def test_sign_ins_failures_lockouts_and_refusals_are_logged_without_passwords(
    client, client_for, reviewer, essex_staff, caplog
):
    caplog.set_level(logging.INFO, logger="portal.security")
    for _ in range(5):
        fail_sign_in(client, reviewer.username)
    sign_in(client, reviewer.username, TEST_PASSWORD)
    sign_in(Client(), essex_staff.username, TEST_PASSWORD)
    client_for(essex_staff).get("/overview/")
    events = [record.event for record in security_events(caplog)]
    assert events.count("sign_in_failed") >= 5
    assert "locked_out" in events
    assert "sign_in" in events
    assert "permission_refused" in events
    refused = next(r for r in security_events(caplog) if r.event == "permission_refused")
    assert (refused.username, refused.path) == (essex_staff.username, "/overview/")
    for record in security_events(caplog):
        text = json.dumps(record.__dict__, default=str)
        assert WRONG not in text
        assert TEST_PASSWORD not in text


def test_the_security_log_is_one_json_object_per_line(reviewer, capfd, settings):
    import logging.config

    logging.config.dictConfig(settings.LOGGING)
    sign_in(Client(), reviewer.username, WRONG)
    line = next(line for line in capfd.readouterr().err.splitlines() if '"sign_in_failed"' in line)
    record = json.loads(line)
    assert record["event"] == "sign_in_failed"
    assert record["username"] == reviewer.username
    assert record["address"] == "203.0.113.7"
