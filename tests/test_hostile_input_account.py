"""Hostile input to each person's own pages: signing in, notifications, reminder preferences,
the calendar address and API tokens. No server error; nobody reaches anyone else's notifications; a
refused form says why, keeps what was typed (never a password) and writes nothing."""

import re
import unicodedata
from datetime import date
from urllib.parse import quote

import pytest
from django.urls import reverse
from hypothesis import given
from hypothesis import strategies as st

from portal.forms import (
    API_TOKEN_NAME_TOO_LONG,
    INVALID_SIGN_IN,
    PASSWORD_REQUIRED,
    USERNAME_REQUIRED,
    USERNAME_TOO_LONG,
)
from portal.models import ApiToken
from portal.two_factor import WRONG_CODE, WRONG_CODE_OR_RECOVERY_CODE
from proposals.forms.notifications import EARLY_REMINDERS_REQUIRED, NO, YES
from proposals.models import Step
from proposals.services import api_tokens
from proposals.services.calendar import calendar_token_issue
from proposals.services.workflow import stage_set_due_date

from .factories import TEST_PASSWORD, NotificationFactory, UserFactory
from .hostile import (
    HOSTILE,
    NULL_CHARACTERS,
    as_text,
    assert_not_server_error,
    assert_out_of_reach,
    assert_refused,
    error_messages,
    hostile_text,
    junk,
    mostly,
    rolled_back,
    snapshot,
)

pytestmark = pytest.mark.django_db

LOGIN = "/accounts/login/"


# --- Signing in ------------------------------------------------------------------------------


@HOSTILE
@given(
    username=mostly(st.sampled_from(["", "known"]), st.one_of(hostile_text, junk)),
    password=mostly(st.sampled_from(["", "known", "wrong"]), st.one_of(hostile_text, junk)),
    next_url=st.one_of(st.just(""), hostile_text, st.sampled_from(["//evil.example", "/\\x"])),
)
def test_sign_in_refuses_anything_but_the_right_password_and_says_why(
    client, essex_staff, username, password, next_url
):
    username = essex_staff.username if username == "known" else username
    if password == "known":
        password = TEST_PASSWORD + "\x01"  # close, but not the password
    with rolled_back():
        before = snapshot()
        response = client.post(
            LOGIN, {"username": username, "password": password, "next": next_url}
        )
        messages = assert_refused(response, before, kept=[username])
        page = response.content.decode()
        password_input = re.search(r'<input type="password"[^>]*>', page).group()
        assert "value=" not in password_input, "the password was shown again"
        typed = unicodedata.normalize("NFKC", username.strip())
        if "\x00" in username or "\x00" in password:
            assert NULL_CHARACTERS in messages
        elif not typed:
            assert USERNAME_REQUIRED in messages
        elif not password:
            assert PASSWORD_REQUIRED in messages
        elif len(typed) > 150:
            assert USERNAME_TOO_LONG.format(limit=150) in messages
        else:
            assert INVALID_SIGN_IN in messages
        assert "_auth_user_id" not in client.session


# --- Notifications ---------------------------------------------------------------------------


@pytest.fixture
def mine(essex_staff):
    return NotificationFactory(user=essex_staff)


@pytest.fixture
def theirs(sussex_staff):
    return NotificationFactory(user=sussex_staff)


PAGES = st.one_of(
    st.integers(-2, 10**30).map(str), junk, st.sampled_from(["²", "1²", "٣", "1e3", "last"])
)


@HOSTILE
@given(pk=st.one_of(st.just("theirs"), st.integers(0, 10**6), st.integers(2**31, 2**64)))
def test_nobody_marks_another_persons_notification_read(client_for, essex_staff, mine, theirs, pk):
    pk = theirs.pk if pk == "theirs" else pk
    if pk == mine.pk:
        return
    with rolled_back():
        before = snapshot()
        response = client_for(essex_staff).post(reverse("notification-read", args=[pk]))
        assert_out_of_reach(response, before, status=404)


@HOSTILE
@given(page=PAGES)
def test_after_marking_read_the_list_opens_whatever_page_was_posted(
    client_for, essex_staff, mine, page
):
    client = client_for(essex_staff)
    with rolled_back():
        for path in (
            reverse("notification-read", args=[mine.pk]),
            reverse("notifications-read-all"),
        ):
            response = client.post(path, {"page": page}, follow=True)
            assert_not_server_error(response)
            assert response.status_code == 200, (page, response.redirect_chain)


# --- Reminder preferences --------------------------------------------------------------------


@HOSTILE
@given(choice=st.one_of(st.sampled_from([YES, NO]), junk, hostile_text))
def test_reminder_preferences_take_yes_or_no_and_nothing_else(client_for, essex_staff, choice):
    client = client_for(essex_staff)
    with rolled_back():
        before = snapshot()
        response = client.post(reverse("preferences"), {"early_reminders": choice})
        if choice in (YES, NO):
            assert response.status_code == 302
            essex_staff.refresh_from_db()
            assert essex_staff.early_reminders == (choice == YES)
        else:
            messages = assert_refused(response, before)
            assert messages == [EARLY_REMINDERS_REQUIRED]


# --- The calendar address --------------------------------------------------------------------


@HOSTILE
@given(action=st.one_of(st.just("revoke"), junk, hostile_text))
def test_the_calendar_address_is_only_revoked_or_replaced(client_for, essex_staff, action):
    client = client_for(essex_staff)
    with rolled_back():
        before = snapshot()
        response = client.post(reverse("proposals:calendar"), {"action": action})
        assert response.status_code == (302 if action == "revoke" else 200)
        essex_staff.refresh_from_db()
        if action == "revoke":
            assert essex_staff.calendar_token_digest == ""
        else:
            assert essex_staff.calendar_token_digest
            [row] = [row for row in before["users"] if row["pk"] == essex_staff.pk]
            assert essex_staff.calendar_token_digest != row["calendar_token_digest"]


def test_the_calendar_copes_with_the_last_day_there_is(client, reviewer, essex_proposal):
    """A form refuses such a year, but the admin and the services take any date."""
    stage = essex_proposal.stages.get(step=Step.BUSINESS_CASE)
    stage_set_due_date(stage=stage, due_date=date.max, reason="Typed in the admin", by=reviewer)
    response = client.get(f"/calendar/{calendar_token_issue(user=reviewer)}.ics")
    assert response.status_code == 200
    assert b"DTSTART;VALUE=DATE:99991231" in response.content


@HOSTILE
@given(token=st.one_of(hostile_text, junk, st.just("")))
def test_a_made_up_calendar_address_is_not_found(client, essex_staff, token):
    response = client.get(f"/calendar/{quote(token, safe='')}.ics")
    assert_not_server_error(response)
    assert response.status_code == 404


# --- API tokens ------------------------------------------------------------------------------


@pytest.fixture
def taken(essex_staff):
    """A working token of essex_staff's, whose name another may not have."""
    return api_tokens.api_token_issue(user=essex_staff, name="Taken", by=essex_staff)[0]


@pytest.fixture
def their_token(reviewer):
    return api_tokens.api_token_issue(user=reviewer, name="Theirs", by=reviewer)[0]


@HOSTILE
@given(name=mostly(st.sampled_from(["Monthly report", "  Tracker ", "x" * 80, "taken"])))
def test_an_api_token_takes_a_plain_new_name_or_is_refused_with_why(
    client_for, essex_staff, taken, name
):
    client = client_for(essex_staff)
    accepted, cleaned = as_text(name, required=True, max_length=80)
    accepted = accepted and cleaned.lower() != "taken"
    with rolled_back():
        before = snapshot()
        response = client.post(reverse("api-tokens"), {"name": name})
        if accepted:
            assert response.status_code == 200
            assert ApiToken.objects.get(user=essex_staff, name=cleaned).is_active
            assert "it is shown only this once" in response.content.decode()
        else:
            messages = assert_refused(response, before, kept=[name])
            if cleaned.lower() == "taken":
                assert api_tokens.NAME_TAKEN.format(name=cleaned) in messages
            elif len(cleaned) > 80:
                assert API_TOKEN_NAME_TOO_LONG in messages


@HOSTILE
@given(pk=st.one_of(st.just("theirs"), st.integers(0, 10**6), st.integers(2**31, 2**64)))
def test_nobody_revokes_another_persons_api_token(client_for, essex_staff, their_token, pk):
    client = client_for(essex_staff)
    with rolled_back():
        before = snapshot()
        target = their_token.pk if pk == "theirs" else pk
        response = client.post(f"/account/api-tokens/{target}/revoke/")
        assert_out_of_reach(response, before, status=404)


# --- One-time passwords ----------------------------------------------------------------------


@HOSTILE
@given(token=st.one_of(st.integers(0, 999_999).map(lambda n: f"{n:06d}"), junk, hostile_text))
def test_a_wrong_one_time_password_is_refused_with_a_message(client_for, reviewer, token):
    client = client_for(reviewer)
    with rolled_back():
        for name, message, also in [
            ("two-factor-setup", WRONG_CODE, {"name": "Phone", "password": TEST_PASSWORD}),
            ("two-factor-verify", WRONG_CODE_OR_RECOVERY_CODE, {}),
        ]:
            client.get(reverse(name))  # the page as it was shown, with its key
            response = client.post(reverse(name), {"token": token, **also})
            assert_not_server_error(response)
            assert response.status_code == 200
            messages = error_messages(response.content.decode())
            assert messages
            assert all(messages), messages
            assert message in messages or NULL_CHARACTERS in messages


def test_a_post_too_long_to_be_a_username_is_answered_not_crashed(client, essex_staff):
    before = snapshot()
    user = UserFactory.build()
    response = client.post(LOGIN, {"username": user.username * 100, "password": "x" * 100_000})
    assert_refused(response, before, kept=[user.username * 100])
