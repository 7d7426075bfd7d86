"""The Home Office overview, the PCC home, exports and the deadlines calendar."""

import hashlib
import json
from datetime import date, datetime, timedelta
from urllib.parse import urlparse
from zoneinfo import ZoneInfo

import pytest
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from icalendar import Calendar

from portal.models import User
from proposals.models import CollaborationDuty, ProposalStatus, Stage, StageStatus, Step
from proposals.services import drafting
from proposals.services.workflow import proposal_transition

from .factories import ProposalFactory

pytestmark = pytest.mark.django_db

LONDON = ZoneInfo("Europe/London")


def at_london(monkeypatch, moment: datetime):
    """Make 'now' a given moment, so 'today' is what people in London would say."""
    monkeypatch.setattr(timezone, "now", lambda: moment.astimezone(ZoneInfo("UTC")))


def set_stage(proposal, step, status, due=None):
    Stage.objects.filter(proposal=proposal, step=step).update(status=status, due_date=due)


def overview(client):
    return client.get(reverse("proposals:overview")).content.decode()


def test_the_matrix_shows_each_stage_status_and_days_to_or_past_due(
    client_for, reviewer, essex, monkeypatch
):
    at_london(monkeypatch, datetime(2026, 11, 30, 9, 0, tzinfo=LONDON))
    proposal = ProposalFactory(pcc=essex, title="Essex governance")
    set_stage(proposal, Step.BUSINESS_CASE, StageStatus.APPROVED)
    set_stage(proposal, Step.CONSULTATION, StageStatus.IN_PROGRESS, date(2026, 11, 27))
    set_stage(proposal, Step.SUBMISSION, StageStatus.NOT_STARTED, date(2026, 12, 5))
    page = overview(client_for(reviewer))
    assert "3 days overdue" in page
    assert "Due in 5 days" in page  # a deadline set ahead of the stage opening
    assert 'app-figure__number">1</span> overdue stage<' in page


def test_a_stage_submitted_before_its_deadline_is_not_shown_overdue_while_it_waits_for_review(
    client_for, reviewer, essex, monkeypatch
):
    at_london(monkeypatch, datetime(2026, 11, 30, 9, 0, tzinfo=LONDON))
    proposal = ProposalFactory(pcc=essex, title="Essex governance")
    set_stage(proposal, Step.BUSINESS_CASE, StageStatus.SUBMITTED, date(2026, 11, 10))
    page = overview(client_for(reviewer))
    assert "days overdue" not in page
    assert 'app-figure__number">0</span> overdue stages<' in page
    assert 'app-figure__number">1</span> stage awaiting review<' in page


def test_the_day_count_follows_london_across_the_clock_change(
    client_for, reviewer, essex, monkeypatch
):
    proposal = ProposalFactory(pcc=essex, title="Essex governance")
    set_stage(proposal, Step.BUSINESS_CASE, StageStatus.IN_PROGRESS, date(2026, 3, 30))
    client = client_for(reviewer)
    # 23:30 UTC on 29 March 2026 is 00:30 on 30 March in London (BST began that morning).
    at_london(monkeypatch, datetime(2026, 3, 29, 23, 30, tzinfo=ZoneInfo("UTC")))
    assert "Due today" in overview(client)
    # 23:30 UTC on 28 March is still 28 March in London (GMT).
    at_london(monkeypatch, datetime(2026, 3, 28, 23, 30, tzinfo=ZoneInfo("UTC")))
    assert "Due in 2 days" in overview(client)


def test_filters_narrow_the_matrix_and_the_csv_returns_what_the_page_shows(
    client_for, reviewer, essex, sussex
):
    ProposalFactory(pcc=essex, title="Essex governance", governance_model="governance")
    ProposalFactory(pcc=sussex, title="Sussex representation", governance_model="representation")
    client = client_for(reviewer)
    page = client.get(reverse("proposals:overview"), {"governance_model": "representation"})
    text = page.content.decode()
    assert "Sussex representation" in text
    assert "Essex governance" not in text
    assert "governance_model=representation" in text  # the CSV link keeps the filter
    csv = client.get(reverse("proposals:overview-csv"), {"governance_model": "representation"})
    lines = b"".join(csv.streaming_content).decode("utf-8-sig").splitlines()
    assert len(lines) == 2
    assert lines[1].startswith("Sussex,Sussex representation,Representation,Active")


def test_the_overdue_filter_keeps_only_proposals_with_an_overdue_stage(
    client_for, reviewer, essex, sussex
):
    late = ProposalFactory(pcc=essex, title="Late one")
    ProposalFactory(pcc=sussex, title="On time")
    set_stage(
        late, Step.BUSINESS_CASE, StageStatus.IN_PROGRESS, timezone.localdate() - timedelta(days=1)
    )
    text = client_for(reviewer).get(reverse("proposals:overview"), {"overdue": "on"})
    assert "Late one" in text.content.decode()
    assert "On time" not in text.content.decode()


def test_the_proposal_history_exports_as_csv(client_for, essex_staff, essex):
    proposal = drafting.proposal_create(
        pcc=essex,
        title="Essex",
        governance_model="governance",
        fire_authorities=essex.fire_authorities.all(),
        by=essex_staff,
    )
    proposal_transition(proposal=proposal, action="suspend", by=essex_staff, reason="Pause")
    response = client_for(essex_staff).get(reverse("proposals:history-csv", args=[proposal.pk]))
    lines = b"".join(response.streaming_content).decode("utf-8-sig").splitlines()
    assert lines[0] == "When,Who,What happened,Changes,Reason,Through"
    assert any("Proposal suspended,Status: Active → Suspended,Pause" in line for line in lines), (
        lines
    )
    assert len(lines) == 3


def test_pcc_home_shows_next_deadlines_and_returned_reasons(client_for, essex_staff, essex):
    proposal = ProposalFactory(pcc=essex, title="Essex governance")
    Stage.objects.filter(proposal=proposal, step=Step.BUSINESS_CASE).update(
        status=StageStatus.RETURNED,
        return_reasons="Cost the options.",
        due_date=date(2030, 1, 15),
    )
    page = client_for(essex_staff).get(reverse("proposals:pcc", args=["essex"])).content.decode()
    assert "Returned by the Home Office" in page
    assert "Cost the options." in page
    assert "Due 15 January 2030" in page


def s21():
    return CollaborationDuty.objects.get(provision="PCA 2017 s.2(1)")


def duty_page(client, duty, query="") -> str:
    return client.get(reverse("proposals:duty", args=[duty.pk]) + query).content.decode()


def address(proposal, duty, evidence, by, base_revision=0):
    drafting.business_case_duties_save(
        proposal=proposal, evidence={duty: evidence}, base_revision=base_revision, by=by
    )


def test_a_duty_page_shows_evidence_from_each_proposals_latest_revision(
    client_for, reviewer, essex, essex_staff
):
    proposal = ProposalFactory(pcc=essex, title="Essex governance")
    address(proposal, s21(), "Old evidence", essex_staff)
    address(proposal, s21(), "New evidence", essex_staff, base_revision=1)
    page = duty_page(client_for(reviewer), s21())
    assert "New evidence" in page
    assert "Old evidence" not in page
    assert "1 proposal addresses it in its latest business case." in page


def test_a_duty_page_names_each_pcc_once_beside_its_proposal(
    client_for, reviewer, essex, essex_staff
):
    proposal = ProposalFactory(pcc=essex, title="Essex: PCC to become the fire authority")
    address(proposal, s21(), "Joint estates", essex_staff)
    page = duty_page(client_for(reviewer), s21())
    assert "Essex: Essex:" not in page
    assert '<td class="govuk-table__cell">Essex</td>' in page
    assert ">Essex: PCC to become the fire authority</a>" in page


def test_pcc_people_see_only_their_own_evidence_and_counts_for_a_duty(
    client_for, sussex_staff, essex, essex_staff
):
    address(
        ProposalFactory(pcc=essex, title="Essex governance"), s21(), "Essex evidence", essex_staff
    )
    client = client_for(sussex_staff)
    page = duty_page(client, s21())
    assert "Essex evidence" not in page
    assert "No proposal that you can see addresses it yet." in page
    summary = client.get(reverse("proposals:duties-list")).content.decode()
    assert "Proposals addressing it, by PCC" not in summary


def test_the_duties_page_counts_the_proposals_addressing_each_duty_by_pcc(
    client_for, reviewer, essex, sussex, essex_staff, sussex_staff
):
    for number in range(3):
        address(ProposalFactory(pcc=essex), s21(), f"Essex case {number}", essex_staff)
    address(ProposalFactory(pcc=sussex), s21(), "Sussex case", sussex_staff)
    page = client_for(reviewer).get(reverse("proposals:duties-list")).content.decode()
    section = page.split(s21().title, 1)[1].split('<h2 class="govuk-heading-m">', 1)[0]
    cells = (
        '<td class="govuk-table__cell">{}</td>'
        '<td class="govuk-table__cell govuk-table__cell--numeric">{}</td>'
    )
    assert cells.format("Essex", 3) in section
    assert cells.format("Sussex", 1) in section
    assert "How the 4 proposals address it" in section
    assert f'href="{reverse("proposals:duty", args=[s21().pk])}"' in section
    # The evidence itself is on the duty's own page, not the summary.
    assert "Essex case 0" not in page


def test_a_duty_page_lists_its_proposals_a_page_at_a_time(client_for, reviewer, essex, essex_staff):
    for number in range(30):
        address(ProposalFactory(pcc=essex, title=f"Case {number:02}"), s21(), "Shared", essex_staff)
    client = client_for(reviewer)
    first, second = duty_page(client, s21()), duty_page(client, s21(), "?page=2")
    assert "30 proposals address it in their latest business case: 1 to 25 below." in first
    assert 'aria-label="Pagination"' in first
    assert first.count('<tr class="govuk-table__row">') - 1 == 25
    assert second.count('<tr class="govuk-table__row">') - 1 == 5
    assert ">Case 29</a>" in second
    assert ">Case 29</a>" not in first


@pytest.mark.parametrize(
    ("role", "expected"),
    [
        ("essex_staff", 200),
        ("essex_signatory", 200),
        ("reviewer", 200),
        ("funding_admin", 200),
        ("site_admin", 200),
        ("essex_consultee", 200),
        ("assessor", 200),
    ],
)
def test_every_role_can_read_a_duty_page_and_no_such_duty_is_not_found(
    request, client_for, role, expected
):
    client = client_for(request.getfixturevalue(role))
    assert client.get(reverse("proposals:duty", args=[s21().pk])).status_code == expected
    assert client.get(reverse("proposals:duty", args=[999999])).status_code == 404


def test_a_duty_page_asks_anonymous_people_to_sign_in(client):
    response = client.get(reverse("proposals:duty", args=[s21().pk]))
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")


def issued_feed(client) -> str:
    """Ask for a new calendar address; the path of the address the page shows (once)."""
    response = client.post(reverse("proposals:calendar"), {"action": "issue"})
    assert response.status_code == 200
    return urlparse(response.context["new_feed_url"]).path


def calendar_events(client, user):
    response = client.get(issued_feed(client))
    assert response["Content-Type"].startswith("text/calendar")
    return {
        str(event["summary"]): event.decoded("dtstart")
        for event in Calendar.from_ical(response.content).walk("VEVENT")
    }


def test_the_calendar_feed_lists_the_users_deadlines_only(client_for, essex_staff, essex, sussex):
    mine = ProposalFactory(pcc=essex)
    theirs = ProposalFactory(pcc=sussex)
    set_stage(mine, Step.BUSINESS_CASE, StageStatus.IN_PROGRESS, date(2030, 2, 1))
    set_stage(theirs, Step.BUSINESS_CASE, StageStatus.IN_PROGRESS, date(2030, 3, 1))
    events = calendar_events(client_for(essex_staff), essex_staff)
    assert events == {"Essex: Business case due": date(2030, 2, 1)}


def test_a_revoked_or_replaced_calendar_address_stops_working(client_for, essex_staff, client):
    staff = client_for(essex_staff)
    old = issued_feed(staff)
    assert client.get(old).status_code == 200
    new = issued_feed(staff)
    assert client.get(old).status_code == 404
    assert client.get(new).status_code == 200
    staff.post(reverse("proposals:calendar"), {"action": "revoke"})
    assert client.get(new).status_code == 404


def test_the_calendar_address_is_kept_only_as_a_digest(client_for, essex_staff):
    path = issued_feed(client_for(essex_staff))
    token = path.removeprefix("/calendar/").removesuffix(".ics")
    row = User.objects.filter(pk=essex_staff.pk).values().get()
    assert not [name for name, value in row.items() if token in str(value)]
    assert row["calendar_token_digest"] == hashlib.sha256(token.encode()).hexdigest()
    page = client_for(essex_staff).get(reverse("proposals:calendar")).content.decode()
    assert token not in page
    assert "shown only once" in page


def test_the_calendar_page_says_when_the_address_was_last_used(client_for, essex_staff, client):
    staff = client_for(essex_staff)
    path = issued_feed(staff)
    assert "has not been used yet" in staff.get(reverse("proposals:calendar")).content.decode()
    client.get(path)
    page = staff.get(reverse("proposals:calendar")).content.decode()
    today = date_format(timezone.localdate())
    assert f"Its address was last used on {today}." in page


def test_closed_and_paused_proposals_have_no_deadlines_in_the_calendar(
    client_for, reviewer, essex, essex_staff
):
    proposal = ProposalFactory(pcc=essex)
    set_stage(proposal, Step.BUSINESS_CASE, StageStatus.IN_PROGRESS, date(2030, 2, 1))
    proposal_transition(proposal=proposal, action="withdraw", by=essex_staff, reason="Stopped")
    assert calendar_events(client_for(reviewer), reviewer) == {}
    proposal.refresh_from_db()
    assert proposal.status == ProposalStatus.WITHDRAWN


@pytest.fixture
def real_cache(settings):
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
            "LOCATION": "overview-test",
        }
    }
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()


def test_the_cached_overview_shows_a_change_as_soon_as_it_is_made(
    real_cache, client_for, reviewer, essex, essex_staff, django_assert_max_num_queries
):
    client = client_for(reviewer)
    overview(client)
    # The user and the data version (the session comes from the cache, or, read from the
    # database where there is no Redis, one more).
    with django_assert_max_num_queries(3):
        overview(client)
    drafting.proposal_create(
        pcc=essex,
        title="A brand new Essex proposal",
        governance_model="governance",
        fire_authorities=essex.fire_authorities.all(),
        by=essex_staff,
    )
    assert "A brand new Essex proposal" in overview(client)


def test_stages_reached_counts_each_pccs_proposals_by_their_current_stage(
    client_for, reviewer, essex
):
    _, second, third = ProposalFactory.create_batch(3, pcc=essex)
    set_stage(second, Step.BUSINESS_CASE, StageStatus.APPROVED)
    set_stage(second, Step.CONSULTATION, StageStatus.IN_PROGRESS)
    for step in Step:
        set_stage(third, step, StageStatus.APPROVED)
    from proposals import selectors

    reached = selectors.stages_reached(proposals=essex.proposals.all())
    assert reached == {"Essex": {1: 1, 2: 1, selectors.ROUTE_PASSED: 1}}
    page = overview(client_for(reviewer))
    assert '<th scope="row" class="govuk-table__header">Essex</th>' in page


def test_pcc_home_lists_the_users_unread_notifications(client_for, essex_staff, essex_signatory):
    from proposals.models import Notification

    Notification.objects.create(user=essex_staff, title="Business case due in 7 working days")
    Notification.objects.create(user=essex_signatory, title="Someone else's reminder")
    page = client_for(essex_staff).get(reverse("proposals:pcc", args=["essex"])).content.decode()
    assert "Your unread notifications" in page
    assert "Business case due in 7 working days" in page
    assert "Someone else&#x27;s reminder" not in page


def test_dashboards_are_cached_in_redis_as_json_and_read_back(
    redis_cache, client_for, reviewer, essex, essex_staff, django_assert_max_num_queries
):
    proposal = ProposalFactory(pcc=essex, title="Essex governance")
    set_stage(proposal, Step.BUSINESS_CASE, StageStatus.SUBMITTED, date(2030, 2, 1))
    proposal.stages.filter(step=Step.BUSINESS_CASE).update(submitted_at=timezone.now())
    client = client_for(reviewer)
    for path, shown in [
        ("/overview/", "Essex governance"),
        ("/review/", "1 submitted stage"),
        ("/pccs/essex/", "Essex governance"),
    ]:
        assert shown in client.get(path).content.decode()
        # Only what is the person's own: the user (the session and the header's unread count
        # come from the cache); on the PCC page, that the PCC is theirs to see and their unread
        # notifications about it; and the data version. None of the figures.
        with django_assert_max_num_queries(4):
            assert shown in client.get(path).content.decode(), path
    raw = redis_cache._cache.get_client()
    stored = [raw.get(key) for key in raw.keys(f"{redis_cache.key_prefix}:*:dashboard:*")]
    assert len(stored) == 3
    for value in stored:
        assert isinstance(json.loads(value), dict)
