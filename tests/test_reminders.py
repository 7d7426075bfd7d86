"""The reminder policy and its exactly-once sending, through the scan and send services.

Dates are chosen around real England and Wales bank holidays: the due date in most tests is
Wednesday 9 December 2026, so 14, 7 and 1 working days before are 19 November, 30 November
and 8 December.
"""

import smtplib
from datetime import date, datetime, timedelta
from io import StringIO
from unittest import mock
from zoneinfo import ZoneInfo

import pytest
from django.core.mail.backends.locmem import EmailBackend
from django.core.management import CommandError, call_command
from django.db import IntegrityError, connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from django_celery_beat.models import PeriodicTask

from portal.models import Role
from proposals import reminders
from proposals.management.commands.send_reminders import (
    DATE_FORMAT_WRONG,
    NOTHING_TO_SEND,
    WOULD_SEND,
)
from proposals.models import (
    Notification,
    Proposal,
    ProposalStatus,
    ReminderDelivery,
    Stage,
    StageStatus,
    Step,
)
from proposals.services.reminders import reminder_delivery_send, reminders_scan
from proposals.services.workflow import proposal_set_legal_challenge, stage_set_due_date

from .factories import ProposalFactory, UserFactory, stage_of

pytestmark = pytest.mark.django_db

DUE = date(2026, 12, 9)  # a Wednesday
LONDON = ZoneInfo("Europe/London")
UTC = ZoneInfo("UTC")


@pytest.fixture
def scan(celery_eager, django_capture_on_commit_callbacks):
    """Run the daily scan for a day; the sends it queues run at once."""

    def run(day, **kwargs):
        with django_capture_on_commit_callbacks(execute=True):
            return reminders_scan(today=day, **kwargs)

    return run


@pytest.fixture
def people(essex_staff, essex_signatory, reviewer, sussex_staff, funding_admin):
    return {
        "staff": essex_staff,
        "signatory": essex_signatory,
        "reviewer": reviewer,
        "sussex": sussex_staff,
        "funding": funding_admin,
    }


@pytest.fixture
def proposal(essex, people):
    return ProposalFactory(pcc=essex, title="Essex fire governance")


def set_stage(proposal, step=Step.BUSINESS_CASE, **values):
    """Put a stage in a state directly (the workflow's own tests cover getting there)."""
    Stage.objects.filter(proposal=proposal, step=step).update(**values)
    return stage_of(proposal, step)


def sent_to(mailoutbox, user):
    return [message for message in mailoutbox if message.to == [user.email]]


def kinds(user):
    return list(
        ReminderDelivery.objects.filter(recipient=user, status=ReminderDelivery.Status.SENT)
        .order_by("milestone_on")
        .values_list("milestone_on", "kind")
    )


# --- Working days -------------------------------------------------------------------------------


def test_weekends_are_not_working_days():
    assert reminders.working_days_before(date(2026, 12, 7), 1) == date(2026, 12, 4)  # Mon -> Fri
    assert reminders.working_days_before(date(2026, 12, 12), 1) == date(2026, 12, 11)  # Sat -> Fri
    assert reminders.add_working_days(date(2026, 12, 4), 1) == date(2026, 12, 7)


def test_england_and_wales_bank_holidays_are_not_working_days():
    # Christmas Day (Friday) and Boxing Day observed on Monday 28 December 2026.
    assert reminders.working_days_before(date(2026, 12, 29), 1) == date(2026, 12, 24)
    assert reminders.working_days_before(date(2026, 12, 30), 7) == date(2026, 12, 17)
    # Good Friday 26 March and Easter Monday 29 March 2027.
    assert reminders.working_days_before(date(2027, 3, 30), 1) == date(2027, 3, 25)
    # The early May bank holiday, Monday 4 May 2026.
    assert not reminders.is_working_day(date(2026, 5, 4))
    assert reminders.working_days_between(date(2026, 5, 1), date(2026, 5, 5)) == 1


# --- When reminders go, and to whom -------------------------------------------------------------


def test_reminders_go_14_7_and_1_working_days_before_on_the_day_and_weekly_while_overdue(
    scan, proposal, people
):
    set_stage(proposal, due_date=DUE)
    day = date(2026, 11, 1)
    while day <= date(2026, 12, 31):
        scan(day)
        day += timedelta(days=1)
    assert kinds(people["staff"]) == [
        (date(2026, 11, 19), "before_14"),
        (date(2026, 11, 30), "before_7"),
        (date(2026, 12, 8), "before_1"),
        (date(2026, 12, 9), "due"),
        (date(2026, 12, 16), "overdue_1"),
        (date(2026, 12, 23), "overdue_2"),
        (date(2026, 12, 30), "overdue_3"),
    ]
    assert kinds(people["signatory"]) == kinds(people["staff"])
    assert kinds(people["reviewer"]) == [
        (date(2026, 12, 16), "overdue_1"),
        (date(2026, 12, 23), "overdue_2"),
        (date(2026, 12, 30), "overdue_3"),
    ]
    assert kinds(people["sussex"]) == []
    assert kinds(people["funding"]) == []


def test_seven_working_days_before_the_pccs_people_get_one_e_mail_each(
    scan, proposal, people, mailoutbox
):
    set_stage(proposal, due_date=DUE)
    scan(date(2026, 11, 30))
    assert sorted(message.to[0] for message in mailoutbox) == sorted(
        [people["staff"].email, people["signatory"].email]
    )
    assert mailoutbox[0].subject == reminders.SUBJECT_DUE_IN.format(
        days=7, plural="s", stage="business case", proposal="Essex fire governance"
    )


def test_running_the_scan_again_sends_nothing_more(scan, proposal, mailoutbox):
    set_stage(proposal, due_date=DUE)
    scan(date(2026, 11, 30))
    scan(date(2026, 11, 30))
    result = scan(date(2026, 12, 1))
    assert len(mailoutbox) == 2
    assert result.to_send == []
    assert ReminderDelivery.objects.count() == 2


def test_reminders_queued_in_chunks_reach_everyone_once(scan, essex, people, mailoutbox, settings):
    """Five stages due, ten reminders, queued three to a task: four tasks, each e-mail once."""
    settings.REMINDER_SEND_BATCH_SIZE = 3
    for proposal in ProposalFactory.create_batch(5, pcc=essex):
        set_stage(proposal, due_date=DUE)
    result = scan(date(2026, 11, 30))
    assert len(result.to_send) == 10
    sent = sorted((message.to[0], message.subject) for message in mailoutbox)
    assert len(sent) == len(set(sent)) == 10
    assert set(ReminderDelivery.objects.values_list("status", flat=True)) == {"sent"}
    assert Notification.objects.filter(user=people["staff"]).count() == 5


def test_a_chunk_hands_a_reminder_the_mail_server_deferred_to_a_retrying_task_and_goes_on(
    scan, essex, people, mailoutbox, settings, monkeypatch
):
    """A 4xx on one reminder of a chunk: the others go out at once; that one is queued alone
    (with its own retries) and goes out once."""
    import smtplib

    from proposals import tasks

    for proposal in ProposalFactory.create_batch(2, pcc=essex):
        set_stage(proposal, due_date=DUE)
    real_send = tasks.reminder_delivery_send
    deferred = []

    def first_deferred(*, delivery_id):
        if not deferred:
            deferred.append(delivery_id)
            raise smtplib.SMTPResponseException(451, b"Try again later")
        return real_send(delivery_id=delivery_id)

    monkeypatch.setattr(tasks, "reminder_delivery_send", first_deferred)
    retried = []
    monkeypatch.setattr(
        tasks.send_reminder, "apply_async", lambda args, **options: retried.append(args)
    )
    scan(date(2026, 11, 30))
    assert len(mailoutbox) == 3
    assert retried == [(deferred[0],)]
    tasks.send_reminder(*retried[0])
    assert len(mailoutbox) == 4
    assert len({(message.to[0], message.subject) for message in mailoutbox}) == 4


def test_a_missed_day_is_caught_up_with_the_latest_reminder_only(
    scan, proposal, people, mailoutbox
):
    set_stage(proposal, due_date=DUE)
    scan(date(2026, 12, 1))  # the first scan, 6 working days before: 14 and 7 have passed
    assert kinds(people["staff"]) == [(date(2026, 11, 30), "before_7")]
    [message] = sent_to(mailoutbox, people["staff"])
    assert message.subject.startswith("Due in 6 working days")


def test_a_due_date_missed_by_the_scheduler_is_reminded_late_as_overdue(
    scan, proposal, people, mailoutbox
):
    set_stage(proposal, due_date=DUE)
    scan(date(2026, 12, 10))
    assert kinds(people["staff"]) == [(DUE, "due")]
    [message] = sent_to(mailoutbox, people["staff"])
    assert message.subject == reminders.SUBJECT_OVERDUE.format(
        stage="business case", proposal="Essex fire governance"
    )
    assert "is 1 day overdue" in message.body


def test_moving_the_due_date_starts_a_fresh_series_and_ends_the_old_one(
    scan, proposal, people, mailoutbox
):
    stage = set_stage(proposal, due_date=DUE)
    scan(date(2026, 11, 30))
    stage_set_due_date(
        stage=stage,
        due_date=date(2026, 12, 16),
        reason="More time",
        by=people["reviewer"],
        past_confirmed=True,  # the dates are fixed; whether they have passed is tested elsewhere
    )
    scan(date(2026, 12, 7))  # 7 working days before 16 December
    scan(date(2026, 12, 8))  # 1 working day before the old date: nothing about it now
    deliveries = ReminderDelivery.objects.filter(
        recipient=people["staff"], status=ReminderDelivery.Status.SENT
    )
    assert sorted(deliveries.values_list("due_date", "kind")) == [
        (DUE, "before_7"),
        (date(2026, 12, 16), "before_7"),
    ]


def test_a_reminder_queued_for_an_old_due_date_is_cancelled_not_sent(
    proposal, people, mailoutbox, django_capture_on_commit_callbacks
):
    stage = set_stage(proposal, due_date=DUE)
    reminders_scan(today=date(2026, 11, 30))  # recorded; the sends never ran
    stage_set_due_date(
        stage=stage,
        due_date=date(2027, 1, 20),
        reason="More time",
        by=people["reviewer"],
        past_confirmed=True,  # the dates are fixed; whether they have passed is tested elsewhere
    )
    for delivery in ReminderDelivery.objects.all():
        assert reminder_delivery_send(delivery_id=delivery.pk) == "cancelled"
    assert mailoutbox == []
    assert set(ReminderDelivery.objects.values_list("last_error", flat=True)) == {
        reminders.CANCELLED_DEADLINE_CHANGED
    }


@pytest.mark.parametrize(
    "pause",
    [
        {"under_legal_challenge": True},
        {"status": ProposalStatus.SUSPENDED},
        {"status": ProposalStatus.WITHDRAWN},
        {"status": ProposalStatus.TRANSFERRED},
    ],
    ids=["legal challenge", "suspended", "withdrawn", "transferred"],
)
def test_paused_and_finished_proposals_get_no_reminders(scan, proposal, mailoutbox, pause):
    set_stage(proposal, due_date=DUE)
    Proposal.objects.filter(pk=proposal.pk).update(**pause)
    for day in (date(2026, 11, 30), DUE, date(2026, 12, 16)):
        scan(day)
    assert mailoutbox == []
    assert not ReminderDelivery.objects.exists()


def test_lifting_a_legal_challenge_resumes_reminders(scan, proposal, people, mailoutbox):
    set_stage(proposal, due_date=DUE)
    proposal_set_legal_challenge(
        proposal=proposal, under_challenge=True, reason="Judicial review", by=people["reviewer"]
    )
    scan(date(2026, 11, 30))
    proposal_set_legal_challenge(
        proposal=proposal, under_challenge=False, reason="Dismissed", by=people["reviewer"]
    )
    scan(date(2026, 12, 1))
    assert kinds(people["staff"]) == [(date(2026, 11, 30), "before_7")]


def test_people_who_switch_off_early_reminders_still_get_overdue_ones(scan, proposal, people):
    people["staff"].early_reminders = False
    people["staff"].save()
    set_stage(proposal, due_date=DUE)
    for day in (date(2026, 11, 30), DUE, date(2026, 12, 16)):
        scan(day)
    assert kinds(people["staff"]) == [(date(2026, 12, 16), "overdue_1")]
    assert [kind for _, kind in kinds(people["signatory"])] == ["before_7", "due", "overdue_1"]


def test_home_office_steps_remind_the_reviewers_not_the_pcc(scan, proposal, people):
    set_stage(proposal, Step.BUSINESS_CASE, status=StageStatus.APPROVED)
    set_stage(proposal, Step.DECISION, status=StageStatus.IN_PROGRESS, due_date=DUE)
    for day in (date(2026, 11, 30), date(2026, 12, 16)):
        scan(day)
    assert kinds(people["reviewer"]) == [
        (date(2026, 11, 30), "before_7"),
        (date(2026, 12, 16), "overdue_1"),
    ]
    assert kinds(people["staff"]) == []


def test_a_returned_stage_is_reminded_like_one_in_progress(scan, proposal, people):
    set_stage(proposal, status=StageStatus.RETURNED, due_date=DUE)
    scan(date(2026, 11, 30))
    assert kinds(people["staff"]) == [(date(2026, 11, 30), "before_7")]


def test_stages_waiting_longer_than_the_review_target_remind_the_reviewers(
    scan, proposal, people, mailoutbox
):
    submitted = datetime(2026, 12, 1, 10, 0, tzinfo=LONDON)
    set_stage(proposal, status=StageStatus.SUBMITTED, due_date=DUE, submitted_at=submitted)
    # 10 working days from Tuesday 1 December is Tuesday 15 December: the target.
    scan(date(2026, 12, 15))
    assert mailoutbox == []
    scan(date(2026, 12, 16))
    scan(date(2026, 12, 23))
    assert kinds(people["reviewer"]) == [
        (date(2026, 12, 16), "review_1"),
        (date(2026, 12, 23), "review_2"),
    ]
    assert kinds(people["staff"]) == []  # a submitted stage waits on the Home Office
    assert ReminderDelivery.objects.filter(due_date=date(2026, 12, 15)).count() == 2
    message = sent_to(mailoutbox, people["reviewer"])[0]
    assert message.subject == reminders.SUBJECT_AWAITING_REVIEW.format(
        stage="business case", proposal="Essex fire governance"
    )
    assert "has waited 11 working days for review" in message.body


def test_home_office_and_review_reminders_go_to_the_case_officer_alone(scan, proposal, people):
    officer = UserFactory(role=Role.REVIEWER)
    Proposal.objects.filter(pk=proposal.pk).update(case_officer=officer)
    set_stage(proposal, Step.BUSINESS_CASE, status=StageStatus.APPROVED)
    set_stage(proposal, Step.DECISION, status=StageStatus.IN_PROGRESS, due_date=DUE)
    other = ProposalFactory(pcc=proposal.pcc, case_officer=officer)
    set_stage(
        other,
        status=StageStatus.SUBMITTED,
        submitted_at=datetime(2026, 11, 13, 10, 0, tzinfo=LONDON),
    )
    scan(date(2026, 11, 30))
    assert sorted(kind for _, kind in kinds(officer)) == ["before_7", "review_1"]
    assert kinds(people["reviewer"]) == []


def test_a_case_officer_who_left_hands_the_reminders_back_to_every_reviewer(scan, proposal, people):
    officer = UserFactory(role=Role.REVIEWER, is_active=False)
    Proposal.objects.filter(pk=proposal.pk).update(case_officer=officer)
    set_stage(proposal, Step.BUSINESS_CASE, status=StageStatus.APPROVED)
    set_stage(proposal, Step.DECISION, status=StageStatus.IN_PROGRESS, due_date=DUE)
    scan(date(2026, 11, 30))
    assert kinds(people["reviewer"]) == [(date(2026, 11, 30), "before_7")]


def test_offsets_and_the_review_target_are_settings(scan, proposal, essex, people, settings):
    settings.REMINDER_DAYS_BEFORE = [3]
    settings.REMINDER_REVIEW_TARGET_WORKING_DAYS = 2
    set_stage(proposal, due_date=DUE)
    waiting = ProposalFactory(pcc=essex)
    set_stage(
        waiting,
        status=StageStatus.SUBMITTED,
        submitted_at=datetime(2026, 12, 1, 9, 0, tzinfo=LONDON),
    )
    for day in (date(2026, 11, 30), date(2026, 12, 4)):
        scan(day)
    assert kinds(people["staff"]) == [(date(2026, 12, 4), "before_3")]
    assert kinds(people["reviewer"]) == [(date(2026, 12, 4), "review_1")]


# --- Dates in London, and the schedule ----------------------------------------------------------


@pytest.mark.parametrize(
    ("utc_moment", "london_date"),
    [
        (datetime(2026, 3, 28, 23, 30, tzinfo=UTC), date(2026, 3, 28)),  # GMT
        (datetime(2026, 3, 29, 6, 0, tzinfo=UTC), date(2026, 3, 29)),  # 07:00 BST
        (datetime(2026, 10, 24, 23, 30, tzinfo=UTC), date(2026, 10, 25)),  # BST
        (datetime(2026, 10, 25, 7, 0, tzinfo=UTC), date(2026, 10, 25)),  # 07:00 GMT
    ],
)
def test_the_scan_runs_for_londons_date_either_side_of_the_clock_change(utc_moment, london_date):
    with mock.patch("django.utils.timezone.now", return_value=utc_moment):
        assert reminders_scan(dry_run=True).today == london_date


@pytest.mark.parametrize(
    ("last_run", "first_due_utc"),
    [
        # Clocks go forward on Sunday 29 March 2026: 07:00 London is 06:00 UTC.
        (datetime(2026, 3, 28, 7, 0, tzinfo=LONDON), datetime(2026, 3, 29, 6, 0, tzinfo=UTC)),
        # Clocks go back on Sunday 25 October 2026: 07:00 London is 07:00 UTC.
        (datetime(2026, 10, 24, 7, 0, tzinfo=LONDON), datetime(2026, 10, 25, 7, 0, tzinfo=UTC)),
    ],
)
def test_the_daily_scan_is_scheduled_at_7am_london_time_across_the_clock_change(
    last_run, first_due_utc
):
    task = PeriodicTask.objects.get(task="proposals.tasks.scan_reminders")
    assert (task.crontab.minute, task.crontab.hour, str(task.crontab.timezone)) == (
        "0",
        "7",
        "Europe/London",
    )
    schedule = task.crontab.schedule
    for moment, expected in (
        (first_due_utc - timedelta(minutes=1), False),
        (first_due_utc, True),
    ):
        schedule.nowfun = lambda moment=moment: moment.astimezone(LONDON)
        assert schedule.is_due(last_run).is_due is expected


# --- What is sent -------------------------------------------------------------------------------


def test_the_e_mail_says_what_is_due_when_and_links_to_the_stage(
    scan, proposal, people, mailoutbox, settings
):
    settings.SITE_URL = "https://fire-governance.example.gov.uk"
    set_stage(proposal, due_date=DUE)
    scan(date(2026, 11, 30))
    message = sent_to(mailoutbox, people["staff"])[0]
    link = f"https://fire-governance.example.gov.uk/proposals/{proposal.pk}/stages/business-case/"
    summary = reminders.SUMMARY_DUE_IN.format(
        stage="business case",
        proposal="Essex fire governance",
        pcc="Essex",
        due="9 December 2026",
        days=7,
        plural="s",
    )
    html, mimetype = message.alternatives[0]
    assert mimetype == "text/html"
    for body in (message.body, html):
        assert summary in body
        assert link in body
        assert "9 December 2026" in body
        assert "/account/preferences/" in body  # an early reminder can be switched off


def test_every_reminder_also_appears_as_a_notification(scan, proposal, people):
    set_stage(proposal, due_date=DUE)
    scan(date(2026, 11, 30))
    scan(date(2026, 11, 30))
    [notification] = Notification.objects.filter(user=people["staff"])
    assert notification.title.startswith("Due in 7 working days")
    assert notification.link == f"/proposals/{proposal.pk}/stages/business-case/"
    assert notification.read_at is None


def test_people_without_an_e_mail_address_are_told_in_the_portal(scan, proposal, mailoutbox):
    quiet = UserFactory(role=Role.PCC_STAFF, pcc=proposal.pcc, email="")
    set_stage(proposal, due_date=DUE)
    scan(date(2026, 11, 30))
    assert Notification.objects.filter(user=quiet).count() == 1
    assert ReminderDelivery.objects.get(recipient=quiet).status == "sent"
    assert len(mailoutbox) == 2


# --- Exactly once -------------------------------------------------------------------------------


@pytest.fixture
def recorded(proposal, people):
    """One reminder recorded for the PCC staff member, not yet sent."""
    set_stage(proposal, due_date=DUE)
    reminders_scan(today=date(2026, 11, 30))  # its sends wait for a commit that never comes
    return ReminderDelivery.objects.get(recipient=people["staff"])


def test_a_reminder_being_sent_is_not_sent_by_a_second_worker(recorded, mailoutbox):
    ReminderDelivery.objects.filter(pk=recorded.pk).update(
        status=ReminderDelivery.Status.SENDING, claimed_at=timezone.now()
    )
    assert reminder_delivery_send(delivery_id=recorded.pk) == "sending"
    assert mailoutbox == []


def test_a_sent_reminder_is_not_sent_again_by_a_retry(recorded, mailoutbox):
    assert reminder_delivery_send(delivery_id=recorded.pk) == "sent"
    assert reminder_delivery_send(delivery_id=recorded.pk) == "sent"
    assert len(mailoutbox) == 1


def test_a_send_that_died_is_completed_by_the_next_scan_after_the_lease(
    recorded, scan, mailoutbox, settings
):
    claimed = timezone.now() - timedelta(seconds=settings.REMINDER_SEND_LEASE_SECONDS - 5)
    ReminderDelivery.objects.filter(pk=recorded.pk).update(status="sending", claimed_at=claimed)
    scan(date(2026, 12, 1))
    assert recorded.recipient.email not in [message.to[0] for message in mailoutbox]
    ReminderDelivery.objects.filter(pk=recorded.pk).update(
        claimed_at=claimed - timedelta(seconds=10)
    )
    scan(date(2026, 12, 1))
    scan(date(2026, 12, 1))
    assert [message.to[0] for message in mailoutbox].count(recorded.recipient.email) == 1
    recorded.refresh_from_db()
    assert (recorded.status, recorded.attempts) == ("sent", 1)


@pytest.fixture
def refusing_mail_server(monkeypatch):
    """The mail backend raises `error` on every send until told otherwise."""
    state = {"error": None}
    real_send = EmailBackend.send_messages

    def send_messages(backend, messages):
        if state["error"] is not None:
            raise state["error"]
        return real_send(backend, messages)

    monkeypatch.setattr(EmailBackend, "send_messages", send_messages)
    return state


def test_a_mail_server_saying_try_later_leaves_the_reminder_to_be_retried_once(
    recorded, refusing_mail_server, mailoutbox
):
    refusing_mail_server["error"] = smtplib.SMTPDataError(451, b"Try again later")
    with pytest.raises(smtplib.SMTPDataError):
        reminder_delivery_send(delivery_id=recorded.pk)
    recorded.refresh_from_db()
    assert recorded.status == "pending"
    assert "451" in recorded.last_error
    refusing_mail_server["error"] = None
    assert reminder_delivery_send(delivery_id=recorded.pk) == "sent"
    assert reminder_delivery_send(delivery_id=recorded.pk) == "sent"
    assert len(mailoutbox) == 1
    assert Notification.objects.filter(delivery=recorded).count() == 1


def test_a_mail_server_refusing_for_good_marks_the_reminder_failed_and_keeps_the_notification(
    recorded, refusing_mail_server, mailoutbox
):
    refusing_mail_server["error"] = smtplib.SMTPRecipientsRefused(
        {recorded.recipient.email: (550, b"No such user")}
    )
    assert reminder_delivery_send(delivery_id=recorded.pk) == "failed"
    assert Notification.objects.filter(delivery=recorded).exists()
    refusing_mail_server["error"] = None
    assert reminder_delivery_send(delivery_id=recorded.pk) == "failed"
    assert mailoutbox == []


def test_an_earlier_unsent_reminder_is_dropped_when_a_later_one_is_due(
    recorded, scan, people, mailoutbox
):
    scan(date(2026, 12, 8))  # 1 working day before: the 7-day reminder is stale now
    staff_mail = sent_to(mailoutbox, people["staff"])
    assert [message.subject[:22] for message in staff_mail] == ["Due in 1 working day: "]
    recorded.refresh_from_db()
    assert (recorded.status, recorded.last_error) == ("cancelled", reminders.CANCELLED_SUPERSEDED)


def test_a_stage_closed_since_the_scan_is_not_reminded(recorded, proposal, mailoutbox):
    set_stage(proposal, status=StageStatus.SUBMITTED, submitted_at=timezone.now())
    assert reminder_delivery_send(delivery_id=recorded.pk) == "cancelled"
    assert mailoutbox == []


def test_the_database_allows_one_delivery_per_deadline_kind_and_person(recorded):
    with pytest.raises(IntegrityError, match="one_reminder_per_deadline_kind_recipient"):
        ReminderDelivery.objects.create(
            stage=recorded.stage,
            due_date=recorded.due_date,
            kind=recorded.kind,
            recipient=recorded.recipient,
            milestone_on=recorded.milestone_on,
            scheduled_on=recorded.scheduled_on,
        )


# --- Scale: the scan's queries do not grow with the stages --------------------------------------


def scan_queries(day):
    with CaptureQueriesContext(connection) as context:
        reminders_scan(today=day)
    return len(context)


def test_the_scan_runs_the_same_queries_for_few_or_many_stages(essex, sussex, people):
    for pcc in (essex, sussex):
        for proposal in ProposalFactory.create_batch(3, pcc=pcc):
            set_stage(proposal, due_date=DUE)
    few = scan_queries(date(2026, 11, 30))
    for pcc in (essex, sussex):
        for proposal in ProposalFactory.create_batch(30, pcc=pcc):
            set_stage(proposal, due_date=date(2026, 12, 10))
    many = scan_queries(date(2026, 12, 1))
    assert ReminderDelivery.objects.count() == 9 + 90
    assert many == few


# --- The command and the schedule ---------------------------------------------------------------


def send_reminders(*args):
    out = StringIO()
    call_command("send_reminders", *args, stdout=out)
    return out.getvalue()


def test_send_reminders_dry_run_lists_what_would_go_and_sends_nothing(proposal, people, mailoutbox):
    set_stage(proposal, due_date=DUE)
    output = send_reminders("--date", "2026-11-30", "--dry-run")
    assert WOULD_SEND.format(count=2, s="s") in output
    assert people["staff"].username in output
    assert "Essex fire governance" in output
    assert "before_7" in output
    assert mailoutbox == []
    assert not ReminderDelivery.objects.exists()


def test_send_reminders_sends_once_however_often_it_runs(
    proposal, people, mailoutbox, celery_eager, django_capture_on_commit_callbacks
):
    set_stage(proposal, due_date=DUE)
    with django_capture_on_commit_callbacks(execute=True):
        first = send_reminders("--date", "2026-11-30")
    with django_capture_on_commit_callbacks(execute=True):
        second = send_reminders("--date", "2026-11-30")
    assert "Queued 2 reminders" in first
    assert NOTHING_TO_SEND in second
    assert len(mailoutbox) == 2


def test_send_reminders_refuses_a_date_it_cannot_read():
    with pytest.raises(CommandError, match=DATE_FORMAT_WRONG):
        send_reminders("--date", "30/11/2026")


def test_the_scan_task_runs_the_scan_for_today(proposal, celery_eager, mailoutbox):
    from proposals.tasks import scan_reminders

    set_stage(proposal, due_date=timezone.localdate() + timedelta(days=1))
    assert scan_reminders.delay().get() >= 0
    assert ReminderDelivery.objects.exists()
