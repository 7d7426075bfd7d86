"""The reminder policy in one file: which stages, on which days, to whom, and in which words.

Read top to bottom:
  1. working days: weekends and England and Wales bank holidays are not working days;
  2. which stages are reminded of what, and the milestones (the days reminders fall due);
  3. who is reminded;
  4. whether a recorded reminder should still go when a worker comes to send it;
  5. what the reminder says;
  6. after the order: the items of a transferred proposal's implementation checklist;
  7. collaboration agreements' review dates, reminded of with the same milestones (issue 14).
The scan and the sending are in proposals/services/reminders.py; the beat schedule (daily,
07:00 Europe/London) is a django-celery-beat row made by migration 0008, editable in admin.

**What is reminded.** A stage that is in progress or returned (the PCC, or for the Home Office
steps the Home Office, has work to do) and has a due date, on a proposal that is active and not
under legal challenge. Its milestones are 14, 7 and 1 working days before the due date
(REMINDER_DAYS_BEFORE), the due date itself, and then every 7 calendar days
(REMINDER_OVERDUE_EVERY_DAYS) while it is overdue: overdue_1 a week after the due date,
overdue_2 a fortnight after, and so on, on the due date's weekday. Counting back in working days
means a "1 working day before" reminder for a Monday deadline goes on the Friday (the Thursday
when that Friday is Good Friday). The due-date and overdue reminders keep to the calendar: a
deadline is a date people chose, and "every 7 days" is a weekly rhythm. A stage submitted and
waiting for the Home Office is not reminded of its due date; instead, once it has waited longer
than the review target (REMINDER_REVIEW_TARGET_WORKING_DAYS working days from the London date it
was submitted), the reviewers are reminded on the next working day (review_1) and every 7 days
after (review_2, ...). Suspended, withdrawn, rejected, not-pursued and transferred proposals,
and proposals paused by a legal challenge, get no reminders of their stages; a transferred
proposal's implementation checklist is reminded instead (section 6).

**Catch-up.** On a scan day the policy takes, for each stage, the most recent milestone on or
before that day, and only that one. A day the scheduler missed is therefore caught up by the
next scan (the "7 days before" reminder still goes when the first scan runs 6 working days
before), but a stale one is not: a stage first scanned 3 working days before its due date gets
one reminder, not a "14 days" and a "7 days" one as well. What a reminder says is worked out
from the scan day, not from its kind ("due in 3 working days"), so a caught-up reminder is
never wrong about the time left.

**Exactly once, and moved dates.** Each (stage, due date, kind, recipient) is one
ReminderDelivery row (unique in the database). A new due date is a new key, so moving a due
date starts a fresh series; the old series stops because its rows no longer match the stage.
A review series is keyed on its target date, so a resubmission starts a fresh one.

**Who.** For the PCC's steps (`Step.is_pcc_step`: business case, consultation, submission,
and a representation's consultation with and agreement of the fire authority) the PCC's staff
and signatory (`User.objects.for_pcc`); overdue reminders go to the Home Office as well.
The Home Office records the independent assessment, the decision, the order and a single
employer's staff transfer, so for those steps every reminder goes to the Home Office and none
to the PCC, who cannot act on them. Only the stages of a proposal's route exist, so nobody is
reminded of a stage its model does not have.
Review reminders go to the Home Office. "The Home Office" is the proposal's case officer when
it has one who is an active reviewer, and every reviewer (`User.objects.reviewers()`)
otherwise (`home_office_ids`); the hand-off messages of proposals/messaging.py use the same
rule. A person who has switched off
early reminders (the preferences page) gets no "before" or "due today" reminder; overdue and
review reminders always go.

**Sending, and the limit of "exactly once".** A send claims its row (pending -> sending, with
the time) in one conditional UPDATE, so of two workers holding the same task only one goes on;
it makes the in-app notification (once: it is unique per delivery), hands the e-mail to the
mail server, then marks the row sent. A retry, a rerun, a second beat or a second worker finds
the row claimed or sent and does nothing. If the worker dies after claiming, the row stays
"sending"; once REMINDER_SEND_LEASE_SECONDS have passed, the next scan hands it to a worker
again and it is sent then. The lease is long (10 minutes) next to a send's limits (each mail
server operation times out after EMAIL_TIMEOUT, and the task is killed at half the lease), so a
send that is still alive is never taken over. What no design can rule out is a worker dying in
the instant after the mail server accepted the message and before the row was marked sent:
nothing records that the message went, and the next scan sends it again. We choose this
at-least-once behaviour for that one window over at-most-once (marking sent before sending),
which would silently drop a reminder whenever a worker died mid-send: a rare duplicate reminder
costs less than a missed deadline.
"""

from dataclasses import dataclass
from datetime import date, timedelta
from functools import lru_cache

import holidays
from django.conf import settings
from django.utils import formats, timezone

from portal.models import PCC_ROLES, Role, User

from .models import ProposalStatus, StageStatus, Step
from .models.choices import OPEN_STAGE_STATUSES

# --- 1. Working days ----------------------------------------------------------------------------


@lru_cache(maxsize=64)
def bank_holidays(year: int) -> frozenset[date]:
    """England and Wales bank holidays of `year`, from the `holidays` library (offline).

    England and Wales share one list of bank holidays; the library files it under "ENG".
    """
    return frozenset(holidays.country_holidays("GB", subdiv="ENG", years=year))


def is_working_day(day: date) -> bool:
    return day.weekday() < 5 and day not in bank_holidays(day.year)


def working_days_before(day: date, count: int) -> date:
    """The working day `count` working days before `day` (which need not be a working day)."""
    while count > 0:
        day -= timedelta(days=1)
        if is_working_day(day):
            count -= 1
    return day


def add_working_days(day: date, count: int) -> date:
    """The working day `count` working days after `day`."""
    while count > 0:
        day += timedelta(days=1)
        if is_working_day(day):
            count -= 1
    return day


def working_days_between(start: date, end: date) -> int:
    """Working days after `start` up to and including `end` (0 when `end` is not later)."""
    count, day = 0, start
    while day < end:
        day += timedelta(days=1)
        count += is_working_day(day)
    return count


# --- 2. Which stages, and their milestones ------------------------------------------------------

#: Stages whose due date is reminded: someone still has work to do on them.
REMINDED_STAGE_STATUSES = OPEN_STAGE_STATUSES
#: Stages waiting for the Home Office, reminded against the review target.
AWAITING_REVIEW_STATUS = StageStatus.SUBMITTED
#: Only active proposals not under legal challenge get reminders.
REMINDED_PROPOSAL_STATUS = ProposalStatus.ACTIVE

DUE = "due"
BEFORE_PREFIX = "before_"
OVERDUE_PREFIX = "overdue_"
REVIEW_PREFIX = "review_"


def is_early(kind: str) -> bool:
    """Before and on the due date: the reminders a person may switch off."""
    return kind == DUE or kind.startswith(BEFORE_PREFIX)


def is_review(kind: str) -> bool:
    return kind.startswith(REVIEW_PREFIX)


@dataclass(frozen=True)
class Milestone:
    """A reminder falling due: its kind, the day it falls on, and the deadline it is about."""

    kind: str
    on: date
    deadline: date

    @property
    def early(self) -> bool:
        return is_early(self.kind)


def due_date_milestone(*, due_date: date, today: date) -> Milestone | None:
    """The most recent milestone of a due date on or before `today` (None before the first)."""
    return _due_date_milestone(
        due_date,
        today,
        tuple(sorted(set(settings.REMINDER_DAYS_BEFORE))),
        settings.REMINDER_OVERDUE_EVERY_DAYS,
    )


@lru_cache(maxsize=8192)
def _due_date_milestone(due_date, today, days_before, every) -> Milestone | None:
    # Cached: a scan meets the same few hundred due dates across many thousands of stages.
    if today >= due_date:
        number = (today - due_date).days // every
        if number == 0:
            return Milestone(DUE, due_date, due_date)
        return Milestone(
            f"{OVERDUE_PREFIX}{number}", due_date + timedelta(days=number * every), due_date
        )
    for days in days_before:  # nearest the due date first: the most recent that has come
        on = working_days_before(due_date, days)
        if on <= today:
            return Milestone(f"{BEFORE_PREFIX}{days}", on, due_date)
    return None


def review_target_date(submitted_on: date) -> date:
    """The day by which the Home Office aims to have reviewed a stage submitted that day."""
    return add_working_days(submitted_on, settings.REMINDER_REVIEW_TARGET_WORKING_DAYS)


def review_milestone(*, submitted_on: date, today: date) -> Milestone | None:
    """The most recent review reminder for a stage submitted on `submitted_on` (London date)."""
    return _review_milestone(
        submitted_on,
        today,
        settings.REMINDER_REVIEW_TARGET_WORKING_DAYS,
        settings.REMINDER_OVERDUE_EVERY_DAYS,
    )


@lru_cache(maxsize=8192)
def _review_milestone(submitted_on, today, target_days, every) -> Milestone | None:
    target = add_working_days(submitted_on, target_days)
    first = add_working_days(target, 1)
    if today < first:
        return None
    number = (today - first).days // every + 1
    return Milestone(
        f"{REVIEW_PREFIX}{number}", first + timedelta(days=(number - 1) * every), target
    )


def latest_reminded_due_date(today: date) -> date:
    """Stages due after this day have no milestone yet on `today`: the scan need not read them.

    Exact: a "N working days before" milestone is on or before `today` exactly when the due
    date is on or before the Nth working day after `today`.
    """
    return add_working_days(today, max(settings.REMINDER_DAYS_BEFORE, default=0))


def latest_reminded_submission(today: date) -> date:
    """Stages submitted after this (London) day are still within the review target on `today`.

    A bound, not the exact day: the target's working days take at least as many calendar days.
    """
    return today - timedelta(days=settings.REMINDER_REVIEW_TARGET_WORKING_DAYS + 1)


def stage_milestone(*, status: str, due_date, submitted_at, today: date) -> Milestone | None:
    """The reminder a stage in `status` has due on `today`, if any (the proposal is eligible)."""
    if status in REMINDED_STAGE_STATUSES and due_date is not None:
        return due_date_milestone(due_date=due_date, today=today)
    if status == AWAITING_REVIEW_STATUS and submitted_at is not None:
        return review_milestone(submitted_on=timezone.localdate(submitted_at), today=today)
    return None


# --- 3. Who is reminded -------------------------------------------------------------------------

PCC_PEOPLE = "pcc"
REVIEWERS = "reviewers"


def audience_of(role: str) -> str | None:
    """The group a person of `role` is reminded as, if any (funding and site admins are not)."""
    if role in PCC_ROLES:
        return PCC_PEOPLE
    if role == Role.REVIEWER:
        return REVIEWERS
    return None


def audiences(*, step: int, kind: str) -> tuple[str, ...]:
    """Which groups a reminder of `kind` about a stage of `step` goes to."""
    if is_review(kind) or not Step(step).is_pcc_step:
        return (REVIEWERS,)
    return pcc_work_audiences(kind)


def pcc_work_audiences(kind: str) -> tuple[str, ...]:
    """Work the PCC does (its stages, its checklist after the order): its people are reminded,
    and the Home Office too once it is overdue."""
    if is_early(kind):
        return (PCC_PEOPLE,)
    return (PCC_PEOPLE, REVIEWERS)


def home_office_ids(*, reviewer_ids, case_officer_id) -> list:
    """Which of the active reviewers (`reviewer_ids`) hear for the Home Office about a proposal:
    its case officer when they are among them, else all of them."""
    reviewer_ids = list(reviewer_ids)
    return [case_officer_id] if case_officer_id in reviewer_ids else reviewer_ids


def wants(*, early_reminders: bool, kind: str) -> bool:
    """Whether a person with this preference gets a reminder of `kind`."""
    return early_reminders or not is_early(kind)


def is_recipient(*, user, stage, kind: str) -> bool:
    """Whether `user` is, today, among the people a reminder of `kind` on `stage` goes to."""
    return _is_recipient(
        user=user, proposal=stage.proposal, kind=kind, groups=audiences(step=stage.step, kind=kind)
    )


def _is_recipient(*, user, proposal, kind: str, groups: tuple[str, ...]) -> bool:
    if not user.is_active or not wants(early_reminders=user.early_reminders, kind=kind):
        return False
    audience = audience_of(user.role)
    if audience not in groups:
        return False
    if audience == REVIEWERS:
        reviewer_ids = User.objects.reviewers().values_list("pk", flat=True)
        officer_id = proposal.case_officer_id
        return user.pk in home_office_ids(reviewer_ids=reviewer_ids, case_officer_id=officer_id)
    return user.pcc_id == proposal.pcc_id


# --- 4. Should a recorded reminder still go? ----------------------------------------------------

CANCELLED_PROPOSAL_PAUSED = "The proposal is not active or is paused by a legal challenge."
CANCELLED_DEADLINE_CHANGED = "The stage has moved on or its deadline has changed."
CANCELLED_NOT_RECIPIENT = "The person no longer gets this reminder (role, account or preference)."
CANCELLED_SUPERSEDED = "A later reminder about the same deadline has been recorded."


def cancel_reason(*, delivery, superseded: bool) -> str | None:
    """Why a recorded reminder should no longer go (None when it should). Checked by the send,
    which may run days after the scan: the stage, proposal and person are read fresh."""
    if delivery.checklist_item_id is not None:
        return checklist_cancel_reason(delivery=delivery, superseded=superseded)
    stage, proposal = delivery.stage, delivery.stage.proposal
    if proposal.status != REMINDED_PROPOSAL_STATUS or proposal.under_legal_challenge:
        return CANCELLED_PROPOSAL_PAUSED
    if is_review(delivery.kind):
        waiting = stage.status == AWAITING_REVIEW_STATUS and stage.submitted_at is not None
        deadline = review_target_date(timezone.localdate(stage.submitted_at)) if waiting else None
    else:
        waiting = stage.status in REMINDED_STAGE_STATUSES
        deadline = stage.due_date
    if not waiting or deadline != delivery.due_date:
        return CANCELLED_DEADLINE_CHANGED
    if not is_recipient(user=delivery.recipient, stage=stage, kind=delivery.kind):
        return CANCELLED_NOT_RECIPIENT
    if superseded:
        return CANCELLED_SUPERSEDED
    return None


# --- 5. What it says ----------------------------------------------------------------------------

SUBJECT_DUE_IN = "Due in {days} working day{plural}: the {stage} stage of {proposal}"
SUBJECT_DUE_BEFORE_NEXT_WORKING_DAY = (
    "Due before the next working day: the {stage} stage of {proposal}"
)
SUBJECT_DUE_TODAY = "Due today: the {stage} stage of {proposal}"
SUBJECT_OVERDUE = "Overdue: the {stage} stage of {proposal}"
SUBJECT_AWAITING_REVIEW = "Waiting for review: the {stage} stage of {proposal}"

SUMMARY_DUE_IN = (
    "The {stage} stage of {proposal} ({pcc}) is due on {due}, in {days} working day{plural}."
)
SUMMARY_DUE_BEFORE_NEXT_WORKING_DAY = (
    "The {stage} stage of {proposal} ({pcc}) is due on {due}, before the next working day."
)
SUMMARY_DUE_TODAY = "The {stage} stage of {proposal} ({pcc}) is due today, {due}."
SUMMARY_OVERDUE = (
    "The {stage} stage of {proposal} ({pcc}) was due on {due} and is {days} day{plural} overdue."
)
SUMMARY_AWAITING_REVIEW = (
    "The {stage} stage of {proposal} ({pcc}) was submitted on {submitted} and has waited "
    "{days} working days for review. The target is {target} working days."
)


DEADLINE_LABEL = "Due date"
REVIEW_DEADLINE_LABEL = "Review target date"


def deadline_label(kind: str) -> str:
    return REVIEW_DEADLINE_LABEL if is_review(kind) else DEADLINE_LABEL


@dataclass(frozen=True)
class Wording:
    subject: str
    summary: str


@dataclass(frozen=True)
class DueDateWords:
    """The (subject, summary) templates of due-date reminders about one kind of subject."""

    due_in: tuple[str, str]
    before_next_working_day: tuple[str, str]
    due_today: tuple[str, str]
    overdue: tuple[str, str]


STAGE_WORDS = DueDateWords(
    due_in=(SUBJECT_DUE_IN, SUMMARY_DUE_IN),
    before_next_working_day=(
        SUBJECT_DUE_BEFORE_NEXT_WORKING_DAY,
        SUMMARY_DUE_BEFORE_NEXT_WORKING_DAY,
    ),
    due_today=(SUBJECT_DUE_TODAY, SUMMARY_DUE_TODAY),
    overdue=(SUBJECT_OVERDUE, SUMMARY_OVERDUE),
)


def _due_date_wording(words: DueDateWords, names: dict, *, today: date, due: date) -> Wording:
    """A due-date reminder's words as of `today`: how long is left, or how late it is."""

    def worded(pair, **numbers):
        subject, summary = pair
        return Wording(subject.format(**names, **numbers), summary.format(**names, **numbers))

    if today < due:
        days = working_days_between(today, due)
        if days == 0:  # due on a weekend or bank holiday that comes before the next working day
            return worded(words.before_next_working_day)
        return worded(words.due_in, days=days, plural="" if days == 1 else "s")
    if today == due:
        return worded(words.due_today)
    days = (today - due).days
    return worded(words.overdue, days=days, plural="" if days == 1 else "s")


def wording(*, delivery) -> Wording:
    """What a reminder says, worked out from the day its scan ran (`scheduled_on`)."""
    if delivery.checklist_item_id is not None:
        return checklist_wording(delivery=delivery)
    stage, proposal = delivery.stage, delivery.stage.proposal
    today, due = delivery.scheduled_on, delivery.due_date
    names = {
        "stage": Step(stage.step).label.lower(),
        "proposal": proposal.title,
        "pcc": proposal.pcc.name,
        "due": formats.date_format(due),
    }
    if is_review(delivery.kind):
        submitted = timezone.localdate(stage.submitted_at)
        days = working_days_between(submitted, today)
        return Wording(
            SUBJECT_AWAITING_REVIEW.format(**names),
            SUMMARY_AWAITING_REVIEW.format(
                **names,
                submitted=formats.date_format(submitted),
                days=days,
                target=settings.REMINDER_REVIEW_TARGET_WORKING_DAYS,
            ),
        )
    return _due_date_wording(STAGE_WORDS, names, today=today, due=due)


# --- 6. After the order: the implementation checklist -------------------------------------------
# An item of a transferred proposal's checklist (models/implementation.py) that is not done is
# reminded of its due date on the same milestones as a stage (due_date_milestone), as work of
# the PCC's: its people before and on the day, the Home Office as well once it is overdue
# (pcc_work_audiences). Not while the proposal is under legal challenge. Each reminder is a
# ReminderDelivery about the item, unique on (item, due date, kind, recipient), so moving the
# due date starts a fresh series and recording the item done ends it.

#: Only transferred proposals have a checklist to remind of.
CHECKLIST_PROPOSAL_STATUS = ProposalStatus.TRANSFERRED

CANCELLED_CHECKLIST_PROPOSAL = (
    "The proposal is no longer transferred or is paused by a legal challenge."
)
CANCELLED_ITEM_DONE_OR_MOVED = "The checklist item is done or its due date has changed."


def checklist_cancel_reason(*, delivery, superseded: bool) -> str | None:
    """As cancel_reason, for a reminder about a checklist item (read fresh)."""
    item = delivery.checklist_item
    proposal = item.proposal
    if proposal.status != CHECKLIST_PROPOSAL_STATUS or proposal.under_legal_challenge:
        return CANCELLED_CHECKLIST_PROPOSAL
    if item.is_done or item.due_on != delivery.due_date:
        return CANCELLED_ITEM_DONE_OR_MOVED
    groups = pcc_work_audiences(delivery.kind)
    if not _is_recipient(
        user=delivery.recipient, proposal=proposal, kind=delivery.kind, groups=groups
    ):
        return CANCELLED_NOT_RECIPIENT
    if superseded:
        return CANCELLED_SUPERSEDED
    return None


CHECKLIST_WORDS = DueDateWords(
    due_in=(
        "Due in {days} working day{plural}: {item}, after the order on {proposal}",
        "After the order on {proposal} ({pcc}), “{item}” is due on {due}, in {days} working "
        "day{plural}.",
    ),
    before_next_working_day=(
        "Due before the next working day: {item}, after the order on {proposal}",
        "After the order on {proposal} ({pcc}), “{item}” is due on {due}, before the next "
        "working day.",
    ),
    due_today=(
        "Due today: {item}, after the order on {proposal}",
        "After the order on {proposal} ({pcc}), “{item}” is due today, {due}.",
    ),
    overdue=(
        "Overdue: {item}, after the order on {proposal}",
        "After the order on {proposal} ({pcc}), “{item}” was due on {due} and is {days} "
        "day{plural} overdue.",
    ),
)


def checklist_wording(*, delivery) -> Wording:
    """What a reminder about a checklist item says, from the day its scan ran."""
    item = delivery.checklist_item
    names = {
        "item": item.get_kind_display(),
        "proposal": item.proposal.title,
        "pcc": item.proposal.pcc.name,
        "due": formats.date_format(delivery.due_date),
    }
    return _due_date_wording(
        CHECKLIST_WORDS, names, today=delivery.scheduled_on, due=delivery.due_date
    )


# --- 7. Collaboration agreements' review dates (issue 14) ---------------------------------------
# An agreement in force with a review date is reminded of like a stage's due date: 14, 7 and
# 1 working days before, on the day, then every 7 days while the review is overdue (the same
# milestones: due_date_milestone). Who: the area's PCC staff and signatories, who record the
# register; the Home Office only reads it. The early ones may be switched off as for stages.
# A reminder recorded for a review date that has since moved, or for an agreement no longer in
# force, is not sent.

#: The agreements whose review date is reminded of (CollaborationAgreementQuerySet.reviewed).
REVIEWED_AGREEMENT_STATUS = "in_force"

CANCELLED_REVIEW_CHANGED = "The agreement is no longer in force or its review date has changed."

SUBJECT_REVIEW_DUE_IN = "Review due in {days} working day{plural}: {agreement} ({pcc})"
SUBJECT_REVIEW_DUE_BEFORE_NEXT_WORKING_DAY = (
    "Review due before the next working day: {agreement} ({pcc})"
)
SUBJECT_REVIEW_DUE_TODAY = "Review due today: {agreement} ({pcc})"
SUBJECT_REVIEW_OVERDUE = "Review overdue: {agreement} ({pcc})"
SUMMARY_REVIEW = (
    "The collaboration agreement {agreement} ({pcc}) is due for review on {due}. Review it "
    "with the other parties and record the outcome, or a new review date, in the register."
)
REVIEW_DATE_LABEL = "Review date"


def is_agreement_recipient(*, user, agreement, kind: str) -> bool:
    """Whether `user` is, today, among the people a review reminder of `kind` goes to."""
    return (
        user.is_active
        and wants(early_reminders=user.early_reminders, kind=kind)
        and audience_of(user.role) == PCC_PEOPLE
        and user.pcc_id == agreement.pcc_id
    )


def agreement_cancel_reason(*, delivery, superseded: bool) -> str | None:
    """Why a recorded review reminder should no longer go (None when it should), read fresh."""
    agreement = delivery.agreement
    if agreement.status != REVIEWED_AGREEMENT_STATUS or agreement.review_on != delivery.due_date:
        return CANCELLED_REVIEW_CHANGED
    if not is_agreement_recipient(user=delivery.recipient, agreement=agreement, kind=delivery.kind):
        return CANCELLED_NOT_RECIPIENT
    if superseded:
        return CANCELLED_SUPERSEDED
    return None


def agreement_wording(*, delivery) -> Wording:
    """What a review reminder says, worked out from the day its scan ran."""
    agreement, today, due = delivery.agreement, delivery.scheduled_on, delivery.due_date
    names = {"agreement": agreement.title, "pcc": agreement.pcc.name}
    summary = SUMMARY_REVIEW.format(**names, due=formats.date_format(due))
    if today < due:
        days = working_days_between(today, due)
        if days == 0:
            return Wording(SUBJECT_REVIEW_DUE_BEFORE_NEXT_WORKING_DAY.format(**names), summary)
        plural = "" if days == 1 else "s"
        return Wording(SUBJECT_REVIEW_DUE_IN.format(**names, days=days, plural=plural), summary)
    if today == due:
        return Wording(SUBJECT_REVIEW_DUE_TODAY.format(**names), summary)
    return Wording(SUBJECT_REVIEW_OVERDUE.format(**names), summary)
