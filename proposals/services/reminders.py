"""Deadlines and reminders: the daily scan, and sending each reminder once (DESIGN.md s.5).

The policy (which stages, which days, whom, what it says) is proposals/reminders.py. Here:
- the scan records every reminder due on a day as a ReminderDelivery row (a database insert
  that ignores rows already there), then queues one send task per chunk of
  REMINDER_SEND_BATCH_SIZE unfinished rows (publishing costs about 0.6 ms a task, so one task
  per row made a first-ever catch-up of 74,000 reminders take 43 s to queue);
- the send claims its row, checks the reminder is still wanted, notifies the person in the
  portal and by e-mail (services.notifications), and marks the row sent.
The scan runs a fixed number of queries whatever the number of stages: the people once, the
stages through one cursor read in batches, one insert, one read of the unfinished rows; for
the implementation checklists after the order (reminders.py section 6), one read of the
outstanding items and, when any is due, one insert; and for collaboration agreements' review
dates (section 7), one read and one insert more.
"""

from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from functools import partial

from django.conf import settings
from django.db import connection, transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone

from portal.models import User

from .. import reminders as policy
from ..models import ChecklistItem, CollaborationAgreement, ReminderDelivery, Stage
from .notifications import checklist_link, delivery_send, notification_send, stage_link


@dataclass(frozen=True)
class Reminder:
    """One reminder to one person: its delivery's key, and the day it fell due. About a stage,
    or, with no stage, about an item of the implementation checklist or a collaboration
    agreement's review date."""

    stage_id: int | None
    due_date: date
    kind: str
    recipient_id: int
    milestone_on: date
    delivery_id: int | None = None
    checklist_item_id: int | None = None
    agreement_id: int | None = None

    @property
    def key(self) -> tuple:
        return (
            self.stage_id,
            self.checklist_item_id,
            self.agreement_id,
            self.due_date,
            self.kind,
            self.recipient_id,
        )


@dataclass
class ScanResult:
    """What a scan found for `today`: the stages it read, the reminders the policy has due
    (sent already or not), and those handed to the workers (or, in a dry run, that would be)."""

    today: date
    dry_run: bool = False
    stages: int = 0
    due: list[Reminder] = field(default_factory=list)
    to_send: list[Reminder] = field(default_factory=list)


def _people() -> dict:
    """Everyone reminders can go to, by group: reviewers, and each PCC's people by PCC id."""
    groups = {policy.REVIEWERS: [], policy.PCC_PEOPLE: {}}
    people = (
        User.objects.filter(is_active=True)
        .order_by()
        .values_list("pk", "role", "pcc_id", "early_reminders")
    )
    for pk, role, pcc_id, early_reminders in people:
        audience = policy.audience_of(role)
        if audience == policy.REVIEWERS:
            groups[policy.REVIEWERS].append((pk, early_reminders))
        elif audience == policy.PCC_PEOPLE:
            groups[policy.PCC_PEOPLE].setdefault(pcc_id, []).append((pk, early_reminders))
    return groups


def _start_of_day(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, time.min))


def _eligible_stages(today: date):
    """The stages that may have a reminder due on `today`, as plain rows read in batches."""
    submitted_before = _start_of_day(policy.latest_reminded_submission(today) + timedelta(days=1))
    return (
        Stage.objects.filter(
            proposal__status=policy.REMINDED_PROPOSAL_STATUS,
            proposal__under_legal_challenge=False,
        )
        .filter(
            Q(
                status__in=policy.REMINDED_STAGE_STATUSES,
                due_date__lte=policy.latest_reminded_due_date(today),
            )
            | Q(status=policy.AWAITING_REVIEW_STATUS, submitted_at__lt=submitted_before)
        )
        .order_by()
        .values_list(
            "pk",
            "step",
            "status",
            "due_date",
            "submitted_at",
            "proposal__pcc_id",
            "proposal__case_officer_id",
        )
        .iterator(chunk_size=settings.REMINDER_SCAN_BATCH_SIZE)
    )


def _recipients(people: dict, *, audiences, pcc_id, officer_id, kind: str) -> list[int]:
    """Who of `people` (from _people) a reminder of `kind` to `audiences` goes to."""
    reviewers = dict(people[policy.REVIEWERS])
    recipients = []
    for audience in audiences:
        group = (
            [
                (person, reviewers[person])
                for person in policy.home_office_ids(
                    reviewer_ids=reviewers, case_officer_id=officer_id
                )
            ]
            if audience == policy.REVIEWERS
            else people[policy.PCC_PEOPLE].get(pcc_id, ())
        )
        recipients += [
            person
            for person, early_reminders in group
            if policy.wants(early_reminders=early_reminders, kind=kind)
        ]
    return recipients


def reminders_due(*, today: date) -> tuple[int, list[Reminder]]:
    """Every reminder the policy has due on `today`, whether sent already or not, and how many
    stages were read. Three queries whatever the number of stages and checklist items."""
    people = _people()
    due, stages = [], 0
    for pk, step, status, due_date, submitted_at, pcc_id, officer_id in _eligible_stages(today):
        stages += 1
        milestone = policy.stage_milestone(
            status=status, due_date=due_date, submitted_at=submitted_at, today=today
        )
        if milestone is None:
            continue
        due.extend(
            Reminder(pk, milestone.deadline, milestone.kind, person, milestone.on)
            for person in _recipients(
                people,
                audiences=policy.audiences(step=step, kind=milestone.kind),
                pcc_id=pcc_id,
                officer_id=officer_id,
                kind=milestone.kind,
            )
        )
    return (
        stages,
        due
        + _checklist_reminders_due(today, people)
        + _agreement_reminders_due(today=today, people=people),
    )


def _checklist_reminders_due(today: date, people: dict) -> list[Reminder]:
    """The reminders due on `today` about items of implementation checklists (reminders.py
    section 6): one query, the items read in batches."""
    items = (
        ChecklistItem.objects.outstanding()
        .filter(
            proposal__status=policy.CHECKLIST_PROPOSAL_STATUS,
            proposal__under_legal_challenge=False,
            due_on__lte=policy.latest_reminded_due_date(today),
        )
        .order_by()
        .values_list("pk", "due_on", "proposal__pcc_id", "proposal__case_officer_id")
        .iterator(chunk_size=settings.REMINDER_SCAN_BATCH_SIZE)
    )
    due = []
    for pk, due_on, pcc_id, officer_id in items:
        milestone = policy.due_date_milestone(due_date=due_on, today=today)
        if milestone is None:
            continue
        due.extend(
            Reminder(
                stage_id=None,
                checklist_item_id=pk,
                due_date=milestone.deadline,
                kind=milestone.kind,
                recipient_id=person,
                milestone_on=milestone.on,
            )
            for person in _recipients(
                people,
                audiences=policy.pcc_work_audiences(milestone.kind),
                pcc_id=pcc_id,
                officer_id=officer_id,
                kind=milestone.kind,
            )
        )
    return due


def _agreement_reminders_due(*, today: date, people: dict) -> list[Reminder]:
    """The review reminders due on `today` of agreements in force (reminders.py s.7), to the
    area's PCC people. One query whatever the number of agreements."""
    agreements = (
        CollaborationAgreement.objects.reviewed()
        .filter(review_on__lte=policy.latest_reminded_due_date(today))
        .order_by()
        .values_list("pk", "review_on", "pcc_id")
    )
    due = []
    for pk, review_on, pcc_id in agreements:
        milestone = policy.due_date_milestone(due_date=review_on, today=today)
        if milestone is None:
            continue
        due.extend(
            Reminder(
                None, milestone.deadline, milestone.kind, person, milestone.on, agreement_id=pk
            )
            for person, early_reminders in people[policy.PCC_PEOPLE].get(pcc_id, ())
            if policy.wants(early_reminders=early_reminders, kind=milestone.kind)
        )
    return due


# On PostgreSQL the deliveries go in as columns of arrays: one statement, without building a
# model instance per row (at 100,000 stages that is most of the scan's time otherwise).
_INSERT_DELIVERIES = """
    INSERT INTO {table} (created_at, updated_at, stage_id, due_date, kind, recipient_id,
                         milestone_on, scheduled_on, status, attempts, last_error)
    SELECT %(now)s, %(now)s, stage_id, due_date, kind, recipient_id, milestone_on,
           %(today)s, %(status)s, 0, ''
    FROM UNNEST(%(stages)s::bigint[], %(due_dates)s::date[], %(kinds)s::varchar[],
                %(recipients)s::bigint[], %(milestones)s::date[])
         AS due(stage_id, due_date, kind, recipient_id, milestone_on)
    ON CONFLICT DO NOTHING
"""


def _insert_with_the_orm(reminders: list[Reminder], today: date) -> None:
    ReminderDelivery.objects.bulk_create(
        [
            ReminderDelivery(
                stage_id=reminder.stage_id,
                checklist_item_id=reminder.checklist_item_id,
                agreement_id=reminder.agreement_id,
                due_date=reminder.due_date,
                kind=reminder.kind,
                recipient_id=reminder.recipient_id,
                milestone_on=reminder.milestone_on,
                scheduled_on=today,
            )
            for reminder in reminders
        ],
        ignore_conflicts=True,
    )


def _insert_deliveries(due: list[Reminder], today: date) -> None:
    """Insert a pending delivery for each reminder, skipping any already recorded."""
    if connection.vendor != "postgresql":
        _insert_with_the_orm(due, today)
        return
    # Checklist items and review dates are few (a handful per transferred proposal, one per
    # agreement in force): the ORM's insert is quick enough.
    _insert_with_the_orm([reminder for reminder in due if reminder.stage_id is None], today)
    due = [reminder for reminder in due if reminder.stage_id is not None]
    with connection.cursor() as cursor:
        cursor.execute(
            _INSERT_DELIVERIES.format(
                table=connection.ops.quote_name(ReminderDelivery._meta.db_table)
            ),
            {
                "now": timezone.now(),
                "today": today,
                "status": ReminderDelivery.Status.PENDING.value,
                "stages": [reminder.stage_id for reminder in due],
                "due_dates": [reminder.due_date for reminder in due],
                "kinds": [reminder.kind for reminder in due],
                "recipients": [reminder.recipient_id for reminder in due],
                "milestones": [reminder.milestone_on for reminder in due],
            },
        )


def reminders_record(*, today: date) -> ScanResult:
    """Record the reminders due on `today` as deliveries, in one statement. Ones already
    recorded (by an earlier run, another beat or another scan at this moment) are left as they
    are: the database's unique constraint turns a second insert into nothing."""
    stages, due = reminders_due(today=today)
    _insert_deliveries(due, today)
    return ScanResult(today=today, stages=stages, due=due)


def _unfinished() -> list[Reminder]:
    stale_before = timezone.now() - timedelta(seconds=settings.REMINDER_SEND_LEASE_SECONDS)
    rows = (
        ReminderDelivery.objects.unfinished(stale_before=stale_before)
        .order_by()
        .values_list(
            "stage_id",
            "due_date",
            "kind",
            "recipient_id",
            "milestone_on",
            "pk",
            "checklist_item_id",
            "agreement_id",
        )
        .iterator(chunk_size=settings.REMINDER_SCAN_BATCH_SIZE)
    )
    return [Reminder(*row) for row in rows]


def _publish(delivery_ids: list[int]) -> None:
    from ..tasks import send_reminders

    size = settings.REMINDER_SEND_BATCH_SIZE
    # One broker connection for the lot, rather than one taken from the pool per task.
    with send_reminders.app.producer_or_acquire() as producer:
        for start in range(0, len(delivery_ids), size):
            send_reminders.apply_async((delivery_ids[start : start + size],), producer=producer)


def reminders_enqueue_unfinished() -> list[Reminder]:
    """Queue the sends of every delivery not yet sent, one task per chunk: new ones, ones
    whose sends gave up after their retries, and ones claimed by a worker that died (after the
    lease). Tasks are queued once the current transaction commits; duplicates are harmless, as
    each send claims its row first."""
    unfinished = _unfinished()
    transaction.on_commit(partial(_publish, [reminder.delivery_id for reminder in unfinished]))
    return unfinished


def reminders_scan(*, today: date | None = None, dry_run: bool = False) -> ScanResult:
    """The daily scan: record the reminders due on `today` (London's date by default) and
    queue their sends. A dry run reads only: it reports what would be recorded and sent."""
    today = today or timezone.localdate()
    if not dry_run:
        result = reminders_record(today=today)
        result.to_send = reminders_enqueue_unfinished()
        return result
    stages, due = reminders_due(today=today)
    recorded = set(
        ReminderDelivery.objects.filter(
            Q(stage_id__in={reminder.stage_id for reminder in due})
            | Q(checklist_item_id__in={reminder.checklist_item_id for reminder in due})
            | Q(agreement_id__in={reminder.agreement_id for reminder in due})
        )
        .order_by()
        .values_list(
            "stage_id", "checklist_item_id", "agreement_id", "due_date", "kind", "recipient_id"
        )
    )
    unfinished = _unfinished()
    return ScanResult(
        today=today,
        dry_run=True,
        stages=stages,
        due=due,
        to_send=[reminder for reminder in due if reminder.key not in recorded] + unfinished,
    )


def reminders_describe(*, reminders: list[Reminder]) -> list[str]:
    """One line per reminder for operators: who, which stage of which proposal, what kind."""
    users = User.objects.in_bulk({reminder.recipient_id for reminder in reminders})
    stages = Stage.objects.select_related("proposal__pcc").in_bulk(
        {reminder.stage_id for reminder in reminders}
    )
    agreements = CollaborationAgreement.objects.select_related("pcc").in_bulk(
        {reminder.agreement_id for reminder in reminders}
    )
    items = ChecklistItem.objects.select_related("proposal__pcc").in_bulk(
        {reminder.checklist_item_id for reminder in reminders}
    )
    lines = []
    for reminder in reminders:
        user = users[reminder.recipient_id]
        if reminder.agreement_id is not None:
            agreement = agreements[reminder.agreement_id]
            about = f"{agreement.pcc.name}, collaboration agreement {agreement.title}, review"
        else:
            subject = stages.get(reminder.stage_id) or items[reminder.checklist_item_id]
            what = (
                subject.get_step_display()
                if isinstance(subject, Stage)
                else f"after the order: {subject.get_kind_display()}"
            )
            about = f"{subject.proposal.pcc.name}, {subject.proposal.title}, {what}"
        lines.append(
            f"{reminder.kind:<11} {user.username} <{user.email or 'no e-mail'}>: "
            f"{about} (deadline {reminder.due_date.isoformat()})"
        )
    return lines


def _reminder_cancel_reason(delivery) -> str | None:
    superseded = ReminderDelivery.objects.filter(
        stage_id=delivery.stage_id,
        checklist_item_id=delivery.checklist_item_id,
        agreement_id=delivery.agreement_id,
        due_date=delivery.due_date,
        recipient_id=delivery.recipient_id,
        milestone_on__gt=delivery.milestone_on,
    ).exists()
    if delivery.agreement_id is not None:
        return policy.agreement_cancel_reason(delivery=delivery, superseded=superseded)
    return policy.cancel_reason(delivery=delivery, superseded=superseded)


def _review_reminder_send(delivery) -> None:
    """A collaboration agreement's review reminder (reminders.py s.7)."""
    wording = policy.agreement_wording(delivery=delivery)
    agreement = delivery.agreement
    notification_send(
        user=delivery.recipient,
        title=wording.subject,
        body=wording.summary,
        link=reverse("proposals:agreement", kwargs={"pk": agreement.pk}),
        delivery=delivery,
        email_template="emails/review_reminder",
        email_context={
            "agreement": agreement,
            "early": policy.is_early(delivery.kind),
            "deadline": delivery.due_date,
            "deadline_label": policy.REVIEW_DATE_LABEL,
        },
    )


def _reminder_send(delivery) -> None:
    if delivery.agreement_id is not None:
        _review_reminder_send(delivery)
        return
    wording = policy.wording(delivery=delivery)
    stage, item = delivery.stage, delivery.checklist_item
    if stage is not None:
        proposal, link = stage.proposal, stage_link(stage)
        about_label, about = "Stage", stage.get_step_display()
    else:
        proposal, link = item.proposal, checklist_link(item.proposal)
        about_label, about = "After the order", item.get_kind_display()
    notification_send(
        user=delivery.recipient,
        title=wording.subject,
        body=wording.summary,
        link=link,
        stage=stage,
        proposal=proposal,
        delivery=delivery,
        email_template="emails/reminder",
        email_context={
            "proposal": proposal,
            "about_label": about_label,
            "about": about,
            "early": policy.is_early(delivery.kind),
            "deadline": delivery.due_date,
            "deadline_label": policy.deadline_label(delivery.kind),
        },
    )


def reminder_delivery_send(*, delivery_id: int) -> str:
    """Send one recorded reminder unless it has been sent, is being sent, or is no longer
    wanted (the policy's cancel_reason, read fresh); returns the delivery's status afterwards.
    Claiming, retrying and recording are services.notifications.delivery_send's."""
    return delivery_send(
        deliveries=ReminderDelivery.objects.filter(pk=delivery_id).select_related(
            "stage__proposal__pcc",
            "stage__proposal__case_officer",
            "checklist_item__proposal__pcc",
            "checklist_item__proposal__case_officer",
            "agreement__pcc",
            "recipient",
        ),
        cancel_reason=_reminder_cancel_reason,
        send=_reminder_send,
        label="Reminder",
    )
