"""What makes every signed-in page cheap (issue 15), with the shared cache on Redis as in
production: the header's unread count, the session and PCC people's "has an authenticator app"
are read from the cache, and each is right again straight after anything changes it."""

from datetime import timedelta

import pytest
import redis
from django.conf import settings
from django.contrib.sessions.models import Session
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from django_otp.plugins.otp_totp.models import TOTPDevice

from portal.cache import RedisCache
from portal.middleware import TOUCHED_AT
from proposals.models import Notification, Step
from proposals.services.notifications import (
    notification_mark_read,
    notification_send,
    notifications_mark_all_read,
)
from proposals.services.workflow import stage_set_due_date

from .factories import TEST_PASSWORD, ProposalFactory, stage_of

pytestmark = pytest.mark.django_db

DUTIES = "/duties/"


def header_count(client) -> str:
    """The header's unread tag as a person sees it ("" when there is none)."""
    page = client.get(DUTIES).content.decode()
    tag = '<strong class="govuk-tag govuk-tag--yellow">'
    if tag not in page:
        return ""
    return page.split(tag, 1)[1].split("</strong>", 1)[0]


def queries_on(table: str, queries) -> list:
    return [query for query in queries if f'"{table}"' in query["sql"]]


def test_the_header_count_is_read_from_the_cache_and_right_after_each_change(
    redis_cache, client_for, essex, essex_staff, essex_signatory, reviewer
):
    client = client_for(essex_staff)
    assert header_count(client) == ""
    # Added one at a time (as a reminder or an account notice is).
    notification_send(
        user=essex_staff, title="Hello", body="", link="/", email_template="emails/message"
    )
    assert header_count(client) == "1 unread"
    with CaptureQueriesContext(connection) as queries:
        assert header_count(client) == "1 unread"
    assert queries_on("proposals_notification", queries) == []
    # Added in bulk to everyone a hand-off message tells (here the PCC's staff and signatory).
    proposal = ProposalFactory(pcc=essex)
    stage_set_due_date(
        stage=stage_of(proposal, Step.BUSINESS_CASE),
        due_date=timezone.localdate() + timedelta(days=30),
        reason="Agreed at the quarterly meeting",
        by=reviewer,
    )
    assert header_count(client) == "2 unread"
    assert header_count(client_for(essex_signatory)) == "1 unread"
    # Read one, then all.
    notification_mark_read(
        notification_id=Notification.objects.filter(user=essex_staff)[0].pk, user=essex_staff
    )
    assert header_count(client) == "1 unread"
    notifications_mark_all_read(user=essex_staff)
    assert header_count(client) == ""
    assert header_count(client_for(essex_signatory)) == "1 unread"


def test_reading_notifications_through_the_pages_updates_the_header_at_once(
    redis_cache, client_for, reviewer
):
    client = client_for(reviewer)
    for title in ("One", "Two", "Three"):
        notification_send(
            user=reviewer, title=title, body="", link="/", email_template="emails/message"
        )
    assert header_count(client) == "3 unread"
    first = Notification.objects.filter(user=reviewer).first()
    client.post(reverse("notification-read", kwargs={"pk": first.pk}))
    assert header_count(client) == "2 unread"
    client.post(reverse("notifications-read-all"))
    assert header_count(client) == ""


def sign_in(client, user):
    response = client.post(reverse("login"), {"username": user.username, "password": TEST_PASSWORD})
    assert response.status_code == 302, response.content.decode()[:500]
    return client.cookies[settings.SESSION_COOKIE_NAME].value


def test_a_signed_in_page_reads_its_session_from_the_cache_not_the_database(
    redis_cache, client, reviewer
):
    sign_in(client, reviewer)
    client.get(DUTIES)
    with CaptureQueriesContext(connection) as queries:
        assert client.get(DUTIES).status_code == 200
    assert queries_on("django_session", queries) == []


def test_signing_out_ends_the_session_in_the_cache_too(redis_cache, client, reviewer):
    key = sign_in(client, reviewer)
    assert client.get(DUTIES).status_code == 200
    client.post(reverse("logout"))
    replay = Client()
    replay.cookies[settings.SESSION_COOKIE_NAME] = key
    assert replay.get(DUTIES)["Location"].startswith("/accounts/login/")
    assert not Session.objects.filter(session_key=key).exists()


def test_the_session_is_rotated_at_sign_in(redis_cache, client, reviewer):
    before = client.session
    before["seen"] = True
    before.save()
    after = sign_in(client, reviewer)
    assert after != before.session_key
    replay = Client()
    replay.cookies[settings.SESSION_COOKIE_NAME] = before.session_key
    assert replay.get(DUTIES)["Location"].startswith("/accounts/login/")


def test_the_cached_session_expires_with_the_idle_timeout_and_is_pushed_back_with_it(
    redis_cache, client, reviewer
):
    key = sign_in(client, reviewer)
    server = redis.Redis.from_url(settings.CACHES["default"]["LOCATION"])
    cached = redis_cache.make_and_validate_key(f"django.contrib.sessions.cached_db{key}")
    assert 0 < server.ttl(cached) <= settings.SESSION_COOKIE_AGE
    # A request once the last push is minutes old pushes the expiry back, in the cache too.
    session = client.session
    session[TOUCHED_AT] -= settings.SESSION_TOUCH_SECONDS
    session.save()
    server.expire(cached, 60)  # as if the session had been idle all but a minute
    client.get(DUTIES)
    assert server.ttl(cached) > settings.SESSION_COOKIE_AGE - 60


def test_pcc_people_without_an_app_cost_no_device_query_and_are_asked_once_they_add_one(
    redis_cache, client_for, essex_staff
):
    client = client_for(essex_staff)
    page = reverse("proposals:pcc", kwargs={"slug": "essex"})
    assert client.get(page).status_code == 200
    with CaptureQueriesContext(connection) as queries:
        assert client.get(page).status_code == 200
    assert queries_on("otp_totp_totpdevice", queries) == []
    device = TOTPDevice.objects.create(user=essex_staff, name="Authenticator app", confirmed=True)
    assert client.get(page)["Location"].startswith("/accounts/two-factor/?next=")
    device.delete()
    assert client.get(page).status_code == 200


def test_a_page_reads_the_person_their_devices_and_unread_count_in_one_cache_round_trip(
    redis_cache, client_for, reviewer, monkeypatch
):
    client = client_for(reviewer)
    notification_send(
        user=reviewer, title="Hello", body="", link="/", email_template="emails/message"
    )
    assert header_count(client) == "1 unread"  # both now cached
    reads = []
    get, get_many = RedisCache.get, RedisCache.get_many

    def logged_get(cache, key, *args, **kwargs):
        reads.append(key)
        return get(cache, key, *args, **kwargs)

    def logged_get_many(cache, keys, *args, **kwargs):
        reads.append(sorted(keys))
        return get_many(cache, keys, *args, **kwargs)

    monkeypatch.setattr(RedisCache, "get", logged_get)
    monkeypatch.setattr(RedisCache, "get_many", logged_get_many)
    assert header_count(client) == "1 unread"
    person = [
        f"auth:user:{reviewer.pk}",
        f"notifications:unread:{reviewer.pk}",
        f"notifications:version:{reviewer.pk}",
        f"two-factor:devices:{reviewer.pk}",
    ]
    assert person in reads
    assert not [key for key in reads if isinstance(key, str) and key in person]
    # Read, and shown unread no more, within the same round of pages.
    notifications_mark_all_read(user=reviewer)
    assert header_count(client) == ""


def test_a_signed_in_page_reads_the_person_from_the_cache_and_sees_each_change_at_once(
    redis_cache, client_for, reviewer
):
    client = client_for(reviewer)
    assert client.get(DUTIES).status_code == 200
    with CaptureQueriesContext(connection) as queries:
        assert client.get(DUTIES).status_code == 200
    assert queries_on("portal_user", queries) == []
    # A change to the account shows on the next page...
    reviewer.username = "reviewer-renamed"
    reviewer.save(update_fields=["username"])
    assert "(reviewer-renamed)" in client.get(DUTIES).content.decode()
    # ...and a deactivated account is signed out on its next page.
    reviewer.is_active = False
    reviewer.save(update_fields=["is_active"])
    assert client.get(DUTIES)["Location"].startswith("/accounts/login/")


def test_a_new_password_signs_out_the_persons_other_sessions_at_once(
    redis_cache, client_for, reviewer
):
    client = client_for(reviewer)
    assert client.get(DUTIES).status_code == 200
    reviewer.set_password("a-new-long-password-for-the-test")
    reviewer.save()
    assert client.get(DUTIES)["Location"].startswith("/accounts/login/")


def test_a_pcc_page_looks_for_unread_news_only_when_the_person_has_some(
    redis_cache, client_for, essex_staff
):
    client = client_for(essex_staff)
    page = reverse("proposals:pcc", kwargs={"slug": "essex"})
    client.get(page)
    with CaptureQueriesContext(connection) as queries:
        assert "Your unread notifications" not in client.get(page).content.decode()
    assert queries_on("proposals_notification", queries) == []
    notification_send(
        user=essex_staff, title="Funding paid", body="", link="/", email_template="emails/message"
    )
    assert "Funding paid" in client.get(page).content.decode()


def test_without_a_shared_cache_the_header_count_is_counted_on_every_page(
    settings, client_for, essex_staff
):
    # The embedded default: each process has a cache of its own, which a change made in
    # another process (the worker, a second web process) could not forget.
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
    settings.CACHE_SHARED = False
    client = client_for(essex_staff)
    notification_send(
        user=essex_staff, title="Hello", body="", link="/", email_template="emails/message"
    )
    assert header_count(client) == "1 unread"
    # Read elsewhere, out of this process's sight.
    Notification.objects.filter(user=essex_staff).update(read_at=timezone.now())
    assert header_count(client) == ""


def test_a_pcc_pages_unread_news_is_kept_until_the_person_adds_or_reads_one(
    redis_cache, client_for, essex_staff
):
    client = client_for(essex_staff)
    page = reverse("proposals:pcc", kwargs={"slug": "essex"})
    notification_send(
        user=essex_staff, title="Funding paid", body="", link="/", email_template="emails/message"
    )
    assert "Funding paid" in client.get(page).content.decode()
    with CaptureQueriesContext(connection) as queries:
        assert "Funding paid" in client.get(page).content.decode()
    assert queries_on("proposals_notification", queries) == []
    notification_send(
        user=essex_staff, title="Grant agreed", body="", link="/", email_template="emails/message"
    )
    assert "Grant agreed" in client.get(page).content.decode()
    notifications_mark_all_read(user=essex_staff)
    assert "Your unread notifications" not in client.get(page).content.decode()
