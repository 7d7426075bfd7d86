"""API tokens: each person creates, sees and revokes their own on /account/api-tokens/; a token
is shown once, stored as a digest, and authenticates API calls (portal/api_auth.py) as its
owner until it is revoked."""

import hashlib
import logging
import re
from datetime import timedelta
from io import StringIO

import pytest
from django.core import mail
from django.core.management import CommandError, call_command
from django.utils import timezone
from django.utils.formats import date_format
from rest_framework.exceptions import AuthenticationFailed
from rest_framework.permissions import IsAuthenticated
from rest_framework.renderers import JSONRenderer
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from portal.api_auth import (
    ACCOUNT_DISABLED,
    MALFORMED_HEADER,
    UNKNOWN_TOKEN,
    TokenAuthentication,
)
from portal.forms import API_TOKEN_NAME_TOO_LONG
from portal.models import ApiToken
from portal.views import TOKEN_REVOKED
from proposals.models import AuditEvent, Notification
from proposals.services import api_tokens

from .test_enrolment import enrolled, signed_in, verified
from .test_html_validity import VNU, nu_html_checker_errors

pytestmark = pytest.mark.django_db

PAGE = "/account/api-tokens/"
EVERY_ROLE = [
    "essex_staff",
    "essex_signatory",
    "reviewer",
    "funding_admin",
    "site_admin",
    "essex_consultee",
    "assessor",
]


def revoke_url(token) -> str:
    return f"{PAGE}{token.pk}/revoke/"


def create(client, name: str):
    return client.post(PAGE, {"name": name})


def shown_secret(response) -> str:
    """The secret on the page that answers the creating post."""
    match = re.search(
        r'<code class="app-code">([A-Za-z0-9_-]{40,})</code>', response.content.decode()
    )
    assert match, "no secret on the page"
    return match.group(1)


class WhoAmI(APIView):
    """A tiny API view authenticated only by API tokens."""

    authentication_classes = [TokenAuthentication]
    permission_classes = [IsAuthenticated]
    renderer_classes = [JSONRenderer]

    def get(self, request):
        return Response({"username": request.user.username, "token": request.auth.name})


def call_api(rf, secret: str | None = None, header: str | None = None):
    headers = {}
    if secret is not None:
        headers["HTTP_AUTHORIZATION"] = f"Bearer {secret}"
    if header is not None:
        headers["HTTP_AUTHORIZATION"] = header
    response = WhoAmI.as_view()(rf.get("/api/whoami/", **headers))
    response.render()
    return response


def authenticate(rf, secret: str):
    request = Request(rf.get("/api/", HTTP_AUTHORIZATION=f"Bearer {secret}"))
    return TokenAuthentication().authenticate(request)


# --- The page ---------------------------------------------------------------------------------


def test_creating_a_token_shows_its_secret_once_and_the_list_only_its_first_characters(
    client_for, essex_staff
):
    client = client_for(essex_staff)
    created = create(client, "Monthly report")
    assert created.status_code == 200
    page = created.content.decode()
    secret = shown_secret(created)
    assert "it is shown only this once" in page
    assert "no-store" in created["Cache-Control"]  # no browser or proxy keeps the page
    listed = client.get(PAGE).content.decode()
    assert secret not in listed
    assert "Monthly report" in listed
    assert secret[: api_tokens.PREFIX_LENGTH] in listed
    assert "Never used" in listed
    assert "Working" in listed


def row_of(page: str, name: str) -> str:
    """The list's table row of the token called `name`."""
    (row,) = [row for row in page.split("<tr")[1:] if f">{name}</td>" in row]
    return row


def test_the_list_shows_when_a_token_was_last_used_and_which_are_revoked(
    client_for, essex_staff, rf
):
    _, secret = api_tokens.api_token_issue(user=essex_staff, name="Tracker", by=essex_staff)
    gone, _ = api_tokens.api_token_issue(user=essex_staff, name="Old report", by=essex_staff)
    authenticate(rf, secret)
    api_tokens.api_token_revoke(token=gone, by=essex_staff)
    page = client_for(essex_staff).get(PAGE).content.decode()
    used = row_of(page, "Tracker")
    assert "Never used" not in used
    assert date_format(timezone.localdate(), "j F Y") in used
    assert "Working" in used
    assert "Revoke<span" in used
    revoked = row_of(page, "Old report")
    assert "Revoked" in revoked
    assert "Revoke<span" not in revoked


def test_a_duplicate_name_is_refused_by_the_field(client_for, essex_staff):
    client = client_for(essex_staff)
    create(client, "Monthly report")
    refused = create(client, "monthly REPORT ")
    assert refused.status_code == 200
    page = refused.content.decode()
    assert "govuk-error-summary" in page
    taken = api_tokens.NAME_TAKEN.format(name="monthly REPORT")
    by_the_field = re.search(
        r'id="id_name_\d+_error" class="govuk-error-message">(.*?)</span>\s*<input', page, re.S
    )
    assert by_the_field
    assert taken in by_the_field.group(1)
    assert "<title>Error: " in page
    assert ApiToken.objects.filter(user=essex_staff).count() == 1


def test_a_revoked_tokens_name_may_be_used_again(essex_staff):
    token, _ = api_tokens.api_token_issue(user=essex_staff, name="Tracker", by=essex_staff)
    api_tokens.api_token_revoke(token=token, by=essex_staff)
    again, _ = api_tokens.api_token_issue(user=essex_staff, name="Tracker", by=essex_staff)
    assert again.is_active


@pytest.mark.parametrize(
    ("name", "message"),
    [("", api_tokens.NAME_REQUIRED), ("x" * 81, API_TOKEN_NAME_TOO_LONG)],
)
def test_a_missing_or_long_name_is_refused_with_a_message(client_for, essex_staff, name, message):
    refused = create(client_for(essex_staff), name)
    assert message in refused.content.decode()
    assert not ApiToken.objects.exists()


def test_revoking_a_token_stops_it_authenticating_at_once(client_for, essex_staff, rf):
    token, secret = api_tokens.api_token_issue(user=essex_staff, name="Tracker", by=essex_staff)
    assert call_api(rf, secret).status_code == 200
    response = client_for(essex_staff).post(revoke_url(token), follow=True)
    assert TOKEN_REVOKED.format(name="Tracker") in response.content.decode()
    token.refresh_from_db()
    assert (token.revoked_by, token.is_active) == (essex_staff, False)
    refused = call_api(rf, secret)
    assert refused.status_code == 401
    assert refused.data["detail"] == UNKNOWN_TOKEN


def test_revoking_a_revoked_token_says_so(client_for, essex_staff):
    token, _ = api_tokens.api_token_issue(user=essex_staff, name="Tracker", by=essex_staff)
    client = client_for(essex_staff)
    client.post(revoke_url(token))
    again = client.post(revoke_url(token), follow=True)
    assert api_tokens.ALREADY_REVOKED.format(name="Tracker") in again.content.decode()
    assert AuditEvent.objects.filter(action="api_token.revoked").count() == 1


def test_another_persons_token_answers_404_and_stays_working(client_for, essex_staff, reviewer):
    token, _ = api_tokens.api_token_issue(user=essex_staff, name="Tracker", by=essex_staff)
    client = client_for(reviewer)
    assert client.post(revoke_url(token)).status_code == 404
    assert "Tracker" not in client.get(PAGE).content.decode()
    token.refresh_from_db()
    assert token.is_active


def test_revoking_is_a_post(client_for, essex_staff):
    token, _ = api_tokens.api_token_issue(user=essex_staff, name="Tracker", by=essex_staff)
    assert client_for(essex_staff).get(revoke_url(token)).status_code == 405
    token.refresh_from_db()
    assert token.is_active


@pytest.mark.parametrize("role", EVERY_ROLE)
def test_every_role_can_create_a_token_that_authenticates_as_them(request, client_for, rf, role):
    user = request.getfixturevalue(role)
    client = client_for(user)
    assert client.get(PAGE).status_code == 200
    secret = shown_secret(create(client, "Reporting"))
    response = call_api(rf, secret)
    assert response.data == {"username": user.username, "token": "Reporting"}


def test_the_page_asks_anonymous_people_to_sign_in(client):
    response = client.get(PAGE)
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/?next=")


@pytest.mark.parametrize(
    "role", ["reviewer", "funding_admin", "site_admin", "essex_consultee", "assessor"]
)
def test_people_who_sign_in_with_a_code_reach_the_page_only_after_it(request, settings, role):
    settings.OTP_REQUIRED = True
    settings.OTP_TOTP_THROTTLE_FACTOR = 0
    user = request.getfixturevalue(role)
    device = enrolled(user)
    password_only = signed_in(user)
    held_back = password_only.get(PAGE)
    assert held_back.status_code == 302
    assert held_back["Location"].startswith("/accounts/two-factor/")
    assert create(password_only, "Stolen").status_code == 302
    assert not ApiToken.objects.exists()
    assert verified(user, device).get(PAGE).status_code == 200


# --- What is stored, and what is recorded -------------------------------------------------------


def test_only_the_digest_is_stored_never_the_secret(essex_staff):
    token, secret = api_tokens.api_token_issue(user=essex_staff, name="Tracker", by=essex_staff)
    row = ApiToken.objects.filter(pk=token.pk).values().get()
    assert row["digest"] == hashlib.sha256(secret.encode()).hexdigest()
    assert row["prefix"] == secret[:8]
    assert not any(secret in str(value) for value in row.values())
    event = AuditEvent.objects.get(action="api_token.issued")
    assert secret not in str(event.after)


def test_issuing_and_revoking_are_recorded_and_the_owner_is_told(
    essex_staff, site_admin, celery_eager, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        token, secret = api_tokens.api_token_issue(user=essex_staff, name="Tracker", by=essex_staff)
    with django_capture_on_commit_callbacks(execute=True):
        api_tokens.api_token_revoke(token=token, by=site_admin)
    issued = AuditEvent.objects.get(action="api_token.issued")
    assert (issued.actor, issued.object_type, issued.object_id) == (
        essex_staff,
        "portal.apitoken",
        str(token.pk),
    )
    assert issued.after == {"user": essex_staff.username, "name": "Tracker", "prefix": secret[:8]}
    revoked = AuditEvent.objects.get(action="api_token.revoked")
    assert revoked.actor == site_admin
    created_mail, revoked_mail = mail.outbox
    assert (created_mail.to, created_mail.subject) == ([essex_staff.email], api_tokens.ISSUED_TITLE)
    assert "“Tracker”" in created_mail.body
    assert secret not in created_mail.body
    assert f"by {site_admin}" in revoked_mail.body
    assert PAGE in revoked_mail.body
    assert Notification.objects.filter(user=essex_staff).count() == 2


# --- Authenticating -------------------------------------------------------------------------------


def test_the_auth_class_returns_the_owner_and_the_token(essex_staff, rf):
    token, secret = api_tokens.api_token_issue(user=essex_staff, name="Tracker", by=essex_staff)
    assert authenticate(rf, secret) == (essex_staff, token)


def test_a_request_without_a_bearer_header_is_left_to_other_authentication(rf):
    request = Request(rf.get("/api/", HTTP_AUTHORIZATION="Basic dXNlcjpwYXNz"))
    assert TokenAuthentication().authenticate(request) is None
    assert TokenAuthentication().authenticate(Request(rf.get("/api/"))) is None


@pytest.mark.parametrize(
    ("header", "message"),
    [
        ("Bearer", MALFORMED_HEADER),
        ("Bearer two parts", MALFORMED_HEADER),
        ("Bearer not-a-token-we-ever-issued-0123456789abcdefghijk", UNKNOWN_TOKEN),
        ("Bearer short", UNKNOWN_TOKEN),
    ],
)
def test_a_bad_bearer_header_answers_401_with_a_challenge_and_why(rf, header, message):
    response = call_api(rf, header=header)
    assert response.status_code == 401
    assert response["WWW-Authenticate"] == 'Bearer realm="api"'
    assert response.data["detail"] == message


def test_a_refused_token_is_in_the_security_log_without_the_token(essex_staff, rf, caplog):
    caplog.set_level(logging.INFO, logger="portal.security")
    token, secret = api_tokens.api_token_issue(user=essex_staff, name="Tracker", by=essex_staff)
    api_tokens.api_token_revoke(token=token, by=essex_staff)
    assert call_api(rf, secret).status_code == 401
    (record,) = [record for record in caplog.records if record.name == "portal.security"]
    assert (record.event, record.reason) == ("api_token_refused", UNKNOWN_TOKEN)
    assert secret not in caplog.text
    assert secret[: api_tokens.PREFIX_LENGTH] not in caplog.text


def test_a_disabled_accounts_token_answers_401(essex_staff, rf):
    _, secret = api_tokens.api_token_issue(user=essex_staff, name="Tracker", by=essex_staff)
    essex_staff.is_active = False
    essex_staff.save()
    with pytest.raises(AuthenticationFailed, match=ACCOUNT_DISABLED):
        authenticate(rf, secret)


def test_last_used_is_recorded_and_not_rewritten_within_the_minute(essex_staff, rf):
    token, secret = api_tokens.api_token_issue(user=essex_staff, name="Tracker", by=essex_staff)
    authenticate(rf, secret)
    token.refresh_from_db()
    assert token.last_used_at is not None
    half_a_minute_ago = timezone.now() - timedelta(seconds=30)
    ApiToken.objects.filter(pk=token.pk).update(last_used_at=half_a_minute_ago)
    authenticate(rf, secret)
    token.refresh_from_db()
    assert token.last_used_at == half_a_minute_ago
    two_minutes_ago = timezone.now() - timedelta(minutes=2)
    ApiToken.objects.filter(pk=token.pk).update(last_used_at=two_minutes_ago)
    authenticate(rf, secret)
    token.refresh_from_db()
    assert token.last_used_at > two_minutes_ago


def test_last_used_is_written_at_most_once_a_minute(essex_staff, rf, django_assert_num_queries):
    _, secret = api_tokens.api_token_issue(user=essex_staff, name="Tracker", by=essex_staff)
    authenticate(rf, secret)
    # The lookup, and the conditional UPDATE that matches no row: no row is written.
    with django_assert_num_queries(2) as captured:
        authenticate(rf, secret)
    update = captured.captured_queries[-1]["sql"]
    assert update.startswith("UPDATE")
    assert "last_used_at" in update


# --- The command line and Django admin ---------------------------------------------------------


def test_the_command_prints_a_working_secret_once_and_is_recorded(essex_staff, rf):
    out, err = StringIO(), StringIO()
    call_command("api_token_create", essex_staff.username, "Ops check", stdout=out, stderr=err)
    secret = out.getvalue().strip()
    assert authenticate(rf, secret)[1].name == "Ops check"
    assert "shown only now" in err.getvalue()
    event = AuditEvent.objects.get(action="api_token.issued")
    assert event.actor is None


def test_the_command_refuses_an_unknown_person_and_a_taken_name(essex_staff):
    with pytest.raises(CommandError, match="No user called nobody"):
        call_command("api_token_create", "nobody", "Ops", stdout=StringIO(), stderr=StringIO())
    api_tokens.api_token_issue(user=essex_staff, name="Ops", by=None)
    with pytest.raises(CommandError, match="already have a token called"):
        call_command(
            "api_token_create", essex_staff.username, "Ops", stdout=StringIO(), stderr=StringIO()
        )


def test_admin_lists_tokens_read_only_without_their_digest(client_for, site_admin, essex_staff):
    token, _ = api_tokens.api_token_issue(user=essex_staff, name="Tracker", by=essex_staff)
    client = client_for(site_admin)
    listed = client.get("/admin/portal/apitoken/").content.decode()
    assert "Tracker" in listed
    assert token.prefix in listed
    change = client.get(f"/admin/portal/apitoken/{token.pk}/change/").content.decode()
    assert token.digest not in change
    assert 'name="_save"' not in change
    assert client.post("/admin/portal/apitoken/add/", {"name": "x"}).status_code == 403
    delete = f"/admin/portal/apitoken/{token.pk}/delete/"
    assert client.post(delete, {"post": "yes"}).status_code == 403


def test_a_site_admin_revokes_tokens_in_admin_through_the_service(
    client_for, site_admin, essex_staff, rf
):
    token, secret = api_tokens.api_token_issue(user=essex_staff, name="Tracker", by=essex_staff)
    response = client_for(site_admin).post(
        "/admin/portal/apitoken/",
        {"action": "revoke", "_selected_action": [token.pk]},
        follow=True,
    )
    assert "1 API token revoked" in response.content.decode()
    with pytest.raises(AuthenticationFailed):
        authenticate(rf, secret)
    event = AuditEvent.objects.get(action="api_token.revoked")
    assert event.actor == site_admin


# --- HTML ---------------------------------------------------------------------------------------


def test_the_pages_are_valid_html_with_tokens_errors_and_a_new_secret(
    client_for, essex_staff, tmp_path
):
    if not VNU.exists():
        pytest.fail(f"No Nu Html Checker at {VNU}: run `npm ci` (make test does).")
    client = client_for(essex_staff)
    created = create(client, "Tracker")
    gone, _ = api_tokens.api_token_issue(user=essex_staff, name="Old", by=essex_staff)
    api_tokens.api_token_revoke(token=gone, by=essex_staff)
    pages = {
        "created": created.content.decode(),
        "refused": create(client, "Tracker").content.decode(),
        "list": client.get(PAGE).content.decode(),
    }
    assert nu_html_checker_errors(pages, tmp_path) == []
