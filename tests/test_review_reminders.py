"""Reminders of collaboration agreements' review dates (issue 14), through the daily scan and
the send services that stage reminders use: the same milestones, to the area's PCC people,
exactly once.

The review date in these tests is Wednesday 9 December 2026, so 7 working days before is
Monday 30 November 2026.
"""

from datetime import date

import pytest
from django.db import IntegrityError

from proposals import reminders
from proposals.models import AgreementStatus, Notification, ReminderDelivery
from proposals.services.reminders import reminder_delivery_send, reminders_scan

from .factories import AgreementFactory, ProposalFactory, stage_of
from .workers import celery_call, settle

pytestmark = pytest.mark.django_db

REVIEW = date(2026, 12, 9)
SEVEN_BEFORE = date(2026, 11, 30)


@pytest.fixture
def scan(celery_eager, django_capture_on_commit_callbacks):
    def run(day):
        with django_capture_on_commit_callbacks(execute=True):
            return reminders_scan(today=day)

    return run


@pytest.fixture
def agreement(essex, essex_staff, essex_signatory, reviewer, sussex_staff):
    return AgreementFactory(pcc=essex, title="Shared estates", review_on=REVIEW)


def test_the_areas_pcc_people_are_reminded_seven_working_days_before_the_review(
    scan, agreement, essex_staff, essex_signatory, mailoutbox
):
    scan(SEVEN_BEFORE)
    assert sorted(message.to[0] for message in mailoutbox) == sorted(
        [essex_staff.email, essex_signatory.email]
    )
    assert mailoutbox[0].subject == reminders.SUBJECT_REVIEW_DUE_IN.format(
        days=7, plural="s", agreement="Shared estates", pcc="Essex"
    )
    assert f"/collaboration/{agreement.pk}/" in mailoutbox[0].body


def test_the_home_office_and_other_areas_are_not_reminded(
    scan, agreement, reviewer, sussex_staff, mailoutbox
):
    scan(SEVEN_BEFORE)
    assert not [m for m in mailoutbox if m.to[0] in (reviewer.email, sussex_staff.email)]


def test_a_review_reminder_is_sent_once_however_often_the_scan_runs(
    scan, agreement, essex_staff, mailoutbox
):
    scan(SEVEN_BEFORE)
    scan(SEVEN_BEFORE)
    result = scan(date(2026, 12, 1))
    assert len(mailoutbox) == 2
    assert result.to_send == []
    delivery = ReminderDelivery.objects.get(recipient=essex_staff)
    assert reminder_delivery_send(delivery_id=delivery.pk) == "sent"
    assert len(mailoutbox) == 2
    assert Notification.objects.filter(user=essex_staff).count() == 1


def test_on_the_day_and_weekly_after_the_review_date_they_are_reminded_again(
    scan, agreement, essex_staff, mailoutbox
):
    scan(REVIEW)
    scan(date(2026, 12, 16))
    subjects = [m.subject for m in mailoutbox if m.to == [essex_staff.email]]
    assert subjects == [
        reminders.SUBJECT_REVIEW_DUE_TODAY.format(agreement="Shared estates", pcc="Essex"),
        reminders.SUBJECT_REVIEW_OVERDUE.format(agreement="Shared estates", pcc="Essex"),
    ]


def test_a_moved_review_date_cancels_the_reminder_already_recorded(
    celery_eager, agreement, essex_staff, mailoutbox
):
    reminders_scan(today=SEVEN_BEFORE)  # recorded; its sends not yet run
    agreement.review_on = date(2027, 6, 1)
    agreement.save()
    delivery = ReminderDelivery.objects.get(recipient=essex_staff)
    assert reminder_delivery_send(delivery_id=delivery.pk) == "cancelled"
    assert mailoutbox == []
    delivery.refresh_from_db()
    assert delivery.last_error == reminders.CANCELLED_REVIEW_CHANGED


@pytest.mark.parametrize(
    "status", [AgreementStatus.PROPOSED, AgreementStatus.NOT_AGREED, AgreementStatus.ENDED]
)
def test_agreements_not_in_force_are_not_reminded(scan, essex, essex_staff, status, mailoutbox):
    AgreementFactory(pcc=essex, status=status, review_on=REVIEW)
    scan(REVIEW)
    assert mailoutbox == []


def test_stage_reminders_still_go_beside_review_reminders(
    scan, essex, agreement, essex_staff, mailoutbox
):
    proposal = ProposalFactory(pcc=essex, title="Essex fire governance")
    stage = stage_of(proposal, 1)
    type(stage).objects.filter(pk=stage.pk).update(due_date=REVIEW)
    scan(SEVEN_BEFORE)
    subjects = sorted(m.subject for m in mailoutbox if m.to == [essex_staff.email])
    assert len(subjects) == 2
    assert subjects[0].startswith("Due in 7 working days: the business case stage")
    assert subjects[1].startswith("Review due in 7 working days: Shared estates")


def test_a_reminder_is_about_a_stage_or_an_agreement_never_both(agreement, essex, essex_staff):
    stage = stage_of(ProposalFactory(pcc=essex), 1)
    with pytest.raises(IntegrityError):
        ReminderDelivery.objects.create(
            stage=stage,
            agreement=agreement,
            due_date=REVIEW,
            kind="due",
            recipient=essex_staff,
            milestone_on=REVIEW,
            scheduled_on=REVIEW,
        )


@pytest.mark.worker
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_worker_delivers_each_review_reminder_once_by_smtp(
    essex, essex_staff, essex_signatory, reviewer, smtp_server, start_worker, portal_env
):
    AgreementFactory(pcc=essex, title="Shared estates", review_on=REVIEW)
    _, catcher = smtp_server
    _, log = start_worker()
    start_worker.ready(log)
    for _ in range(2):  # the beat's task twice: the second finds everything recorded
        celery_call("proposals.tasks.scan_reminders", portal_env, args='["2026-11-30"]')
    messages = settle(catcher, 2)
    assert sorted(str(message["To"]) for message in messages) == sorted(
        [essex_staff.email, essex_signatory.email]
    )
    assert str(messages[0]["Subject"]).startswith("Review due in 7 working days: Shared estates")
    assert set(ReminderDelivery.objects.values_list("status", flat=True)) == {"sent"}
