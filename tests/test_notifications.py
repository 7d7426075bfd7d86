"""Each person's notifications and reminder preference, through the pages, for every role."""

import re

import pytest
from django.urls import reverse

from proposals.forms.notifications import EARLY_REMINDERS_REQUIRED
from proposals.models import Notification
from proposals.views.notifications import (
    ALL_MARKED_READ,
    MARKED_READ,
    NOTIFICATIONS_PER_PAGE,
    PREFERENCES_SAVED,
)

from .factories import NotificationFactory, ProposalFactory
from .test_access import ROLES

pytestmark = pytest.mark.django_db

SIGNED_IN_ROLES = [role for role in ROLES if role != "anonymous"]
NOTIFICATIONS = "/notifications/"
PREFERENCES = "/account/preferences/"


def checked(page) -> str:
    """The value of the radio chosen on `page`."""
    return re.search(r'value="(\w+)"\s+checked', page).group(1)


def read_url(notification):
    return reverse("notification-read", kwargs={"pk": notification.pk})


@pytest.mark.parametrize("path", [NOTIFICATIONS, PREFERENCES])
@pytest.mark.parametrize("role", SIGNED_IN_ROLES)
def test_every_role_has_notifications_and_preferences(request, client_for, role, path):
    user = request.getfixturevalue(role)
    response = client_for(user).get(path)
    assert response.status_code == 200


@pytest.mark.parametrize("path", [NOTIFICATIONS, PREFERENCES])
def test_people_not_signed_in_are_sent_to_sign_in(client, path):
    response = client.get(path)
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/?next=")


@pytest.mark.parametrize("role", SIGNED_IN_ROLES)
def test_the_header_shows_how_many_notifications_are_unread(request, client_for, role):
    user = request.getfixturevalue(role)
    NotificationFactory.create_batch(3, user=user)
    NotificationFactory(user=user, read_at="2026-11-30T09:00Z")
    page = client_for(user).get(PREFERENCES).content.decode()
    assert f'href="{NOTIFICATIONS}">Notifications' in page
    assert '<strong class="govuk-tag govuk-tag--yellow">3 unread</strong>' in page


def test_the_header_shows_no_count_when_all_are_read(client_for, reviewer):
    NotificationFactory(user=reviewer, read_at="2026-11-30T09:00Z")
    page = client_for(reviewer).get(PREFERENCES).content.decode()
    assert f'href="{NOTIFICATIONS}">Notifications</a>' in page
    assert "unread</strong>" not in page


def test_the_list_shows_only_your_own_notifications_newest_first(
    client_for, essex_staff, sussex_staff
):
    older = NotificationFactory(user=essex_staff, title="Older reminder")
    newer = NotificationFactory(user=essex_staff, title="Newer reminder", link="/pccs/essex/")
    NotificationFactory(user=sussex_staff, title="Sussex's reminder")
    page = client_for(essex_staff).get(NOTIFICATIONS).content.decode()
    assert page.index(newer.title) < page.index(older.title)
    assert "Sussex&#x27;s reminder" not in page
    assert 'class="govuk-table"' in page
    assert 'href="/pccs/essex/"' in page
    assert page.count(">Mark as read<") == 2


def test_mark_as_read_marks_one_and_says_so(client_for, essex_staff):
    first, second = NotificationFactory.create_batch(2, user=essex_staff)
    client = client_for(essex_staff)
    response = client.post(read_url(first), follow=True)
    assert response.redirect_chain[-1][0] == NOTIFICATIONS
    page = response.content.decode()
    assert MARKED_READ in page
    assert "govuk-notification-banner--success" in page
    assert "1 unread</strong>" in page
    first.refresh_from_db()
    second.refresh_from_db()
    assert first.read_at is not None
    assert second.read_at is None


def test_mark_as_read_returns_to_the_same_page(client_for, essex_staff):
    notifications = NotificationFactory.create_batch(NOTIFICATIONS_PER_PAGE + 2, user=essex_staff)
    response = client_for(essex_staff).post(read_url(notifications[0]), {"page": "2"})
    assert response["Location"] == f"{NOTIFICATIONS}?page=2"


def test_mark_all_as_read(client_for, essex_staff, sussex_staff):
    NotificationFactory.create_batch(3, user=essex_staff)
    theirs = NotificationFactory(user=sussex_staff)
    response = client_for(essex_staff).post(reverse("notifications-read-all"), follow=True)
    assert ALL_MARKED_READ in response.content.decode()
    assert not Notification.objects.filter(user=essex_staff, read_at__isnull=True).exists()
    theirs.refresh_from_db()
    assert theirs.read_at is None


def test_another_persons_notification_answers_404_and_stays_unread(
    client_for, essex_staff, sussex_staff
):
    theirs = NotificationFactory(user=sussex_staff)
    assert client_for(essex_staff).post(read_url(theirs)).status_code == 404
    theirs.refresh_from_db()
    assert theirs.read_at is None


def test_marking_as_read_is_a_post(client_for, essex_staff):
    notification = NotificationFactory(user=essex_staff)
    assert client_for(essex_staff).get(read_url(notification)).status_code == 405


def test_long_lists_are_paginated(client_for, reviewer):
    NotificationFactory.create_batch(NOTIFICATIONS_PER_PAGE + 5, user=reviewer)
    client = client_for(reviewer)
    first = client.get(NOTIFICATIONS).content.decode()
    second = client.get(f"{NOTIFICATIONS}?page=2").content.decode()
    assert 'aria-label="Pagination"' in first
    assert first.count(">Mark as read<") == NOTIFICATIONS_PER_PAGE
    assert second.count(">Mark as read<") == 5


def test_the_notifications_page_runs_the_same_queries_however_many_there_are(
    client_for, reviewer, django_assert_max_num_queries
):
    client = client_for(reviewer)
    NotificationFactory.create_batch(3, user=reviewer)
    # session, user, unread count, list count, list page; and the request's savepoint
    with django_assert_max_num_queries(10) as few:
        client.get(NOTIFICATIONS)
    NotificationFactory.create_batch(60, user=reviewer)
    with django_assert_max_num_queries(10) as many:
        client.get(NOTIFICATIONS)
    assert len(many) == len(few)


def test_preferences_start_with_early_reminders_on(client_for, essex_staff):
    page = client_for(essex_staff).get(PREFERENCES).content.decode()
    assert 'class="govuk-radios"' in page
    assert checked(page) == "yes"
    assert "14, 7 and 1 working days before" in page


def test_switching_off_early_reminders_is_saved_with_a_success_banner(client_for, essex_staff):
    response = client_for(essex_staff).post(PREFERENCES, {"early_reminders": "no"}, follow=True)
    page = response.content.decode()
    assert PREFERENCES_SAVED in page
    assert "govuk-notification-banner--success" in page
    assert checked(page) == "no"
    essex_staff.refresh_from_db()
    assert essex_staff.early_reminders is False


def test_preferences_need_an_answer(client_for, essex_staff):
    response = client_for(essex_staff).post(PREFERENCES, {})
    page = response.content.decode()
    assert response.status_code == 200
    assert "govuk-error-summary" in page
    assert page.count(EARLY_REMINDERS_REQUIRED) == 2
    essex_staff.refresh_from_db()
    assert essex_staff.early_reminders is True


# --- Grouped by proposal, opened from the list, counted in the header ------------------------


def test_the_list_groups_notifications_by_proposal(client_for, essex_staff, essex):
    first = ProposalFactory(pcc=essex, title="Essex governance")
    second = ProposalFactory(pcc=essex, title="Essex single employer")
    for proposal in (first, second, first):
        NotificationFactory(user=essex_staff, proposal=proposal, title=f"About {proposal.title}")
    page = client_for(essex_staff).get(NOTIFICATIONS).content.decode()
    captions = re.findall(r'govuk-table__caption--m">([^<]+)<', page)
    assert [caption.strip() for caption in captions] == [first.title, second.title]
    grouped = page.split(second.title)[0]
    assert grouped.count(f">About {first.title}</a>") == 2


def test_opening_a_notification_marks_it_read_and_goes_to_its_stage(
    client_for, essex_staff, essex_proposal
):
    stage_page = reverse(
        "proposals:stage", kwargs={"pk": essex_proposal.pk, "step": "business-case"}
    )
    notification = NotificationFactory(user=essex_staff, link=stage_page)
    client = client_for(essex_staff)
    listing = client.get(NOTIFICATIONS).content.decode()
    open_url = reverse("notification-open", kwargs={"pk": notification.pk})
    assert f'href="{open_url}"' in listing
    response = client.get(open_url)
    assert response.status_code == 302
    assert response["Location"] == stage_page
    notification.refresh_from_db()
    assert notification.is_read


def test_nobody_opens_anyone_elses_notification(client_for, essex_staff, sussex_staff):
    notification = NotificationFactory(user=essex_staff)
    response = client_for(sussex_staff).get(
        reverse("notification-open", kwargs={"pk": notification.pk})
    )
    assert response.status_code == 404
    notification.refresh_from_db()
    assert not notification.is_read


def test_the_header_count_costs_the_same_queries_however_many_are_unread(
    client_for, reviewer, django_assert_max_num_queries
):
    client = client_for(reviewer)
    page = reverse("proposals:duties-list")
    NotificationFactory(user=reviewer)
    with django_assert_max_num_queries(50) as one:
        first = client.get(page).content.decode()
    NotificationFactory.create_batch(49, user=reviewer)
    with django_assert_max_num_queries(50) as fifty:
        second = client.get(page).content.decode()
    assert "1 unread" in first
    assert "50 unread" in second
    assert len(fifty) == len(one)
    counted = [query for query in fifty if "proposals_notification" in query["sql"]]
    assert len(counted) == 1


def test_a_pcc_page_shows_only_the_unread_notifications_about_that_pcc(
    client_for, reviewer, essex, sussex
):
    NotificationFactory(user=reviewer, title="Essex submitted", proposal=ProposalFactory(pcc=essex))
    NotificationFactory(
        user=reviewer, title="Sussex submitted", proposal=ProposalFactory(pcc=sussex)
    )
    page = client_for(reviewer).get(reverse("proposals:pcc", args=["essex"])).content.decode()
    assert "Essex submitted" in page
    assert "Sussex submitted" not in page
