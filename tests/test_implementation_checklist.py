"""After the order: the implementation checklist of a transferred proposal (issue 14) — made on
transfer, recorded by the PCC with evidence, dated by the Home Office, reminded of, and shown
to each role as it may see it."""

from datetime import date, timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import IntegrityError, connection, transaction
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from proposals import reminders, workflow
from proposals.forms.implementation import DONE_ON_REQUIRED
from proposals.models import (
    AuditEvent,
    ChecklistItem,
    ChecklistItemKind,
    ChecklistItemStatus,
    DocumentKind,
    Notification,
    ProposalStatus,
    ReminderDelivery,
    Step,
)
from proposals.services.drafting import STALE_EDIT
from proposals.services.implementation import checklist_item_complete, checklist_item_set_due_date
from proposals.services.reminders import reminders_scan

from . import test_reminders
from .factories import stage_of, transferred_proposal
from .test_proposal_access import LOGIN, check, client_as
from .test_workflow import act, proposal, record_decision, record_order, walk  # noqa: F401

pytestmark = pytest.mark.django_db
#: The daily scan for a day, its sends run at once (test_reminders' fixture).
scan = test_reminders.scan

PDF = b"%PDF-1.4\n% panel minutes\n%%EOF\n"
DUE = date(2026, 12, 9)  # a Wednesday: 7 working days after Monday 30 November 2026


def evidence(name="Panel minutes.pdf", content=PDF):
    return SimpleUploadedFile(name, content, content_type="application/pdf")


def record_done(item, by, *, done_on=None, name="Panel minutes.pdf", note=""):
    """Record `item` done through the service, as of the item as saved now."""
    item = ChecklistItem.objects.get(pk=item.pk)
    return checklist_item_complete(
        item=item,
        done_on=done_on or timezone.localdate(),
        uploaded_file=evidence(name),
        note=note,
        version=item.updated_at.isoformat(),
        by=by,
    )


@pytest.fixture
def transferred(essex):
    return transferred_proposal(
        essex,
        transfer_date=timezone.localdate() - timedelta(days=60),
        title="Essex PFCC",
    )


def item_of(transferred, kind) -> ChecklistItem:
    return transferred.checklist_items.get(kind=kind)


def done_url(of, kind):
    return reverse("proposals:checklist-done", args=[of.pk, kind])


def due_date_url(of, kind):
    return reverse("proposals:checklist-due-date", args=[of.pk, kind])


def detail(of):
    return reverse("proposals:detail", args=[of.pk])


def done_form(item, **values):
    today = timezone.localdate()
    return {
        "done_on_0": today.day,
        "done_on_1": today.month,
        "done_on_2": today.year,
        "file": evidence(),
        "note": "The panel met as the Police, Fire and Crime Panel.",
        "version": item.updated_at.isoformat(),
        **values,
    }


# --- Made when governance transfers -------------------------------------------------------------


def test_completing_the_order_on_its_transfer_date_opens_the_checklist_due_from_that_date(
    walk,  # noqa: F811 (the fixture of test_workflow, imported above)
    reviewer,
):
    walked = walk(through=Step.SUBMISSION)
    record_decision(walked, reviewer, "approved")
    act(walked, Step.DECISION, "complete", reviewer)
    transfer_day = timezone.localdate()
    record_order(walked, reviewer, transfer_day)
    act(walked, Step.ORDER, "complete", reviewer)
    walked.refresh_from_db()
    assert walked.status == ProposalStatus.TRANSFERRED
    due = dict(walked.checklist_items.values_list("kind", "due_on"))
    assert due == workflow.checklist_due_dates(transfer_day)
    assert set(due) == set(ChecklistItemKind.values)
    assert due[ChecklistItemKind.FIRE_PLAN] == transfer_day + timedelta(days=365)
    assert walked.audit_events.filter(action="checklist.created").count() == 1


def test_the_first_precept_falls_due_on_the_next_first_of_march():
    due = workflow.checklist_due_dates(date(2017, 10, 1))
    assert due[ChecklistItemKind.FIRE_PRECEPT] == date(2018, 3, 1)
    due = workflow.checklist_due_dates(date(2018, 2, 1))
    assert due[ChecklistItemKind.FIRE_PRECEPT] == date(2018, 3, 1)


def test_a_representation_proposal_has_no_checklist(essex):
    from proposals.models import GovernanceModel
    from proposals.services.implementation import checklist_create

    joined = transferred_proposal(essex, transfer_date=date(2017, 10, 1))
    joined.checklist_items.all().delete()
    joined.governance_model = GovernanceModel.REPRESENTATION
    assert checklist_create(proposal=joined) == []
    assert not joined.checklist_items.exists()


def test_a_proposal_still_active_has_no_checklist_to_record(client_for, essex_staff, essex):
    from .factories import ProposalFactory

    active = ProposalFactory(pcc=essex)
    page = client_for(essex_staff).get(detail(active)).content.decode()
    assert "After the order" not in page
    response = client_for(essex_staff).get(done_url(active, ChecklistItemKind.PANEL))
    assert response.status_code == 404


# --- Recording an item done ---------------------------------------------------------------------


def test_pcc_staff_record_an_item_done_with_its_evidence_and_the_history_says_so(
    client_for, transferred, essex_staff
):
    item = item_of(transferred, ChecklistItemKind.PANEL)
    response = client_for(essex_staff).post(
        done_url(transferred, item.kind), done_form(item), follow=True
    )
    assert response.status_code == 200
    item.refresh_from_db()
    assert item.done_on == timezone.localdate()
    assert item.confirmed_by == essex_staff
    assert item.evidence.original_name == "Panel minutes.pdf"
    # The evidence is kept with the order stage's documents, served by the checked view.
    assert item.evidence.stage == stage_of(transferred, Step.ORDER)
    assert item.evidence.kind == DocumentKind.OTHER
    page = response.content.decode()
    assert "Police, Fire and Crime Panel constituted: recorded as done." in page
    assert reverse("proposals:document-download", args=[transferred.pk, item.evidence.pk]) in page
    assert f"Confirmed by {essex_staff}" in page
    assert "After the order: Police, Fire and Crime Panel constituted recorded as done" in page
    event = AuditEvent.objects.get(action="checklist_item.done")
    assert event.actor == essex_staff
    assert event.after["evidence"] == "Panel minutes.pdf"


def test_a_missing_date_and_document_are_named_by_their_fields_and_the_note_is_kept(
    client_for, transferred, essex_staff
):
    item = item_of(transferred, ChecklistItemKind.PANEL)
    data = done_form(item, done_on_0="", done_on_1="", done_on_2="")
    del data["file"]
    response = client_for(essex_staff).post(done_url(transferred, item.kind), data)
    page = response.content.decode()
    assert response.status_code == 200
    assert "govuk-error-summary" in page
    assert page.count(DONE_ON_REQUIRED) == 2
    assert page.count(workflow.CHECKLIST_EVIDENCE_REQUIRED) == 2
    assert "The panel met as the Police, Fire and Crime Panel." in page
    assert not item_of(transferred, ChecklistItemKind.PANEL).is_done


def test_a_date_in_the_future_is_refused(client_for, transferred, essex_staff):
    item = item_of(transferred, ChecklistItemKind.PANEL)
    tomorrow = timezone.localdate() + timedelta(days=1)
    data = done_form(
        item, done_on_0=tomorrow.day, done_on_1=tomorrow.month, done_on_2=tomorrow.year
    )
    page = client_for(essex_staff).post(done_url(transferred, item.kind), data).content.decode()
    assert workflow.CHECKLIST_DONE_IN_FUTURE in page
    assert not transferred.documents.exists()


def test_a_record_made_on_a_stale_page_is_refused_and_keeps_what_was_typed(
    client_for, transferred, essex_staff, reviewer
):
    item = item_of(transferred, ChecklistItemKind.PANEL)
    data = done_form(item)
    checklist_item_set_due_date(
        item=item,
        due_date=timezone.localdate() + timedelta(days=30),
        reason="The panel meets next month.",
        by=reviewer,
    )
    page = client_for(essex_staff).post(done_url(transferred, item.kind), data).content.decode()
    assert STALE_EDIT in page
    assert "The panel met as the Police, Fire and Crime Panel." in page
    assert not item_of(transferred, ChecklistItemKind.PANEL).is_done


def test_an_item_done_is_not_recorded_twice(client_for, transferred, essex_staff, essex_signatory):
    item = item_of(transferred, ChecklistItemKind.PANEL)
    record_done(item, essex_staff)
    response = client_for(essex_signatory).get(done_url(transferred, item.kind), follow=True)
    assert "there is nothing left to record" in response.content.decode()
    with pytest.raises(workflow.TransitionRefused):
        record_done(item, essex_signatory)


def test_reviewers_cannot_record_an_item_done(transferred, reviewer):
    item = item_of(transferred, ChecklistItemKind.PANEL)
    with pytest.raises(workflow.TransitionRefused, match="Only staff and signatories"):
        record_done(item, reviewer)


def test_the_database_keeps_a_done_item_confirmed(transferred):
    with transaction.atomic(), pytest.raises(IntegrityError):
        ChecklistItem.objects.filter(proposal=transferred).update(done_on=date(2017, 10, 1))


# --- Due dates ----------------------------------------------------------------------------------


def test_a_reviewer_moves_a_due_date_with_a_reason_that_the_history_keeps(
    client_for, transferred, reviewer
):
    item = item_of(transferred, ChecklistItemKind.FIRE_PLAN)
    later = timezone.localdate() + timedelta(days=90)
    response = client_for(reviewer).post(
        due_date_url(transferred, item.kind),
        {
            "due_date_0": later.day,
            "due_date_1": later.month,
            "due_date_2": later.year,
            "reason": "The plan follows the integrated risk management plan.",
        },
        follow=True,
    )
    assert response.status_code == 200
    assert item_of(transferred, item.kind).due_on == later
    event = AuditEvent.objects.get(action="checklist_item.due_date")
    assert event.reason == "The plan follows the integrated risk management plan."
    assert "After the order: First fire and rescue plan published due date changed" in (
        response.content.decode()
    )


def test_a_due_date_already_passed_is_asked_to_be_confirmed(client_for, transferred, reviewer):
    item = item_of(transferred, ChecklistItemKind.FIRE_PLAN)
    past = timezone.localdate() - timedelta(days=3)
    page = (
        client_for(reviewer)
        .post(
            due_date_url(transferred, item.kind),
            {
                "due_date_0": past.day,
                "due_date_1": past.month,
                "due_date_2": past.year,
                "reason": "As agreed.",
            },
        )
        .content.decode()
    )
    assert 'name="past_confirmed"' in page
    assert item_of(transferred, item.kind).due_on != past


# --- Who sees and does what ---------------------------------------------------------------------

ROLES = [
    "anonymous",
    "essex_staff",
    "essex_signatory",
    "sussex_staff",
    "sussex_signatory",
    "reviewer",
    "funding_admin",
    "site_admin",
    "essex_consultee",
    "assessor",
]
MATRIX = {
    "detail": [LOGIN, 200, 200, 404, 404, 200, 200, 200, 404, 404],
    "checklist-done": [LOGIN, 200, 200, 404, 404, 403, 403, 403, 404, 404],
    "checklist-due-date": [LOGIN, 403, 403, 404, 404, 200, 403, 403, 404, 404],
}


def path(name, of):
    if name == "detail":
        return detail(of)
    return reverse(f"proposals:{name}", args=[of.pk, ChecklistItemKind.FIRE_PLAN])


@pytest.mark.parametrize(
    ("name", "role", "expected"),
    [
        (name, role, exp)
        for name, row in MATRIX.items()
        for role, exp in zip(ROLES, row, strict=True)
    ],
)
def test_checklist_pages_answer_each_role(request, client_for, transferred, name, role, expected):
    check(client_as(request, client_for, role).get(path(name, transferred)), expected)


@pytest.mark.parametrize(
    ("name", "role", "expected"),
    [
        (name, role, exp)
        for name, row in MATRIX.items()
        if name != "detail"
        for role, exp in zip(ROLES, row, strict=True)
    ],
)
def test_checklist_posts_change_nothing_for_roles_that_may_not(
    request, client_for, transferred, name, role, expected
):
    before = list(transferred.checklist_items.values_list("due_on", "done_on"))
    response = client_as(request, client_for, role).post(path(name, transferred), {})
    # Those who may get the form back with its errors (nothing was filled in).
    check(response, expected)
    assert list(transferred.checklist_items.values_list("due_on", "done_on")) == before


def test_only_the_pccs_people_see_the_record_link_and_only_reviewers_the_change_link(
    client_for, transferred, essex_staff, reviewer, funding_admin
):
    record = done_url(transferred, ChecklistItemKind.FIRE_PLAN)
    change = due_date_url(transferred, ChecklistItemKind.FIRE_PLAN)
    staff_page = client_for(essex_staff).get(detail(transferred)).content.decode()
    reviewer_page = client_for(reviewer).get(detail(transferred)).content.decode()
    funding_page = client_for(funding_admin).get(detail(transferred)).content.decode()
    assert record in staff_page
    assert change not in staff_page
    assert change in reviewer_page
    assert record not in reviewer_page
    assert record not in funding_page
    assert change not in funding_page
    assert "First fire and rescue plan published" in funding_page


# --- Every value shows in words -----------------------------------------------------------------


@pytest.mark.parametrize("role", ["essex_staff", "essex_signatory", "reviewer", "funding_admin"])
def test_every_item_and_status_reads_in_words_on_the_proposal_page(
    request, client_for, transferred, essex_staff, role
):
    today = timezone.localdate()
    statuses = {
        ChecklistItemStatus.NOT_STARTED: ChecklistItemKind.FIRE_PLAN,
        ChecklistItemStatus.OVERDUE: ChecklistItemKind.PFCC_TITLE,
        ChecklistItemStatus.DONE: ChecklistItemKind.PANEL,
    }
    assert set(statuses) == set(ChecklistItemStatus.values)
    ChecklistItem.objects.filter(proposal=transferred, kind=ChecklistItemKind.FIRE_PLAN).update(
        due_on=today + timedelta(days=10)
    )
    ChecklistItem.objects.filter(proposal=transferred, kind=ChecklistItemKind.PFCC_TITLE).update(
        due_on=today - timedelta(days=10)
    )
    panel = item_of(transferred, ChecklistItemKind.PANEL)
    record_done(panel, essex_staff)
    page = client_for(request.getfixturevalue(role)).get(detail(transferred)).content.decode()
    for kind in ChecklistItemKind:
        assert kind.label in page
    for status, kind in statuses.items():
        assert item_of(transferred, kind).status == status
        assert f">{ChecklistItemStatus(status).label}</strong>" in page


# --- Query count --------------------------------------------------------------------------------


def page_queries(client, of) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(detail(of)).status_code == 200
    return len(queries)


def test_the_proposal_page_reads_the_checklist_in_the_same_queries_however_much_is_done(
    client_for, transferred, essex_staff, essex_signatory, reviewer
):
    client = client_for(reviewer)
    nothing_done = page_queries(client, transferred)
    for index, item in enumerate(transferred.checklist_items.all()):
        record_done(
            item,
            essex_staff if index % 2 else essex_signatory,
            name=f"Evidence {index}.pdf",
            note="Done.",
        )
    assert page_queries(client, transferred) == nothing_done


# --- Reminders ----------------------------------------------------------------------------------


@pytest.fixture
def plan_due(transferred):
    """Only the fire and rescue plan outstanding, due on DUE; everything else done."""
    ChecklistItem.objects.filter(proposal=transferred).exclude(
        kind=ChecklistItemKind.FIRE_PLAN
    ).update(done_on=date(2026, 10, 1), confirmed_at=timezone.now())
    ChecklistItem.objects.filter(proposal=transferred, kind=ChecklistItemKind.FIRE_PLAN).update(
        due_on=DUE
    )
    return item_of(transferred, ChecklistItemKind.FIRE_PLAN)


def sent(user):
    return list(
        ReminderDelivery.objects.filter(recipient=user, status=ReminderDelivery.Status.SENT)
        .order_by("milestone_on")
        .values_list("kind", flat=True)
    )


def test_an_item_is_reminded_to_the_pcc_once_and_the_home_office_once_overdue(
    scan, plan_due, essex_staff, essex_signatory, reviewer, sussex_staff, mailoutbox
):
    scan(date(2026, 11, 30))
    scan(date(2026, 11, 30))  # a rerun sends nothing more
    assert sorted(message.to[0] for message in mailoutbox) == sorted(
        [essex_staff.email, essex_signatory.email]
    )
    assert mailoutbox[0].subject == (
        "Due in 7 working days: First fire and rescue plan published, after the order on Essex PFCC"
    )
    assert "After the order: First fire and rescue plan published" in mailoutbox[0].body
    scan(date(2026, 12, 16))
    assert sent(essex_staff) == ["before_7", "overdue_1"]
    assert sent(reviewer) == ["overdue_1"]
    assert sent(sussex_staff) == []
    notification = Notification.objects.filter(user=essex_staff).first()
    assert notification.link == f"/proposals/{plan_due.proposal_id}/#after-the-order"
    assert notification.proposal_id == plan_due.proposal_id


def test_an_item_recorded_done_is_reminded_no_more(scan, plan_due, essex_staff, mailoutbox):
    scan(date(2026, 11, 30))
    record_done(plan_due, essex_staff, done_on=date(2026, 12, 1), name="Fire and rescue plan.pdf")
    scan(date(2026, 12, 8))
    scan(date(2026, 12, 16))
    assert sent(essex_staff) == ["before_7"]


def test_a_moved_due_date_starts_a_fresh_series_and_cancels_the_old_one(
    plan_due, essex_staff, reviewer, scan, mailoutbox
):
    reminders_scan(today=date(2026, 11, 30))  # recorded; its sends wait for a commit
    checklist_item_set_due_date(
        item=plan_due,
        due_date=date(2027, 1, 20),
        reason="Waiting for the risk plan.",
        by=reviewer,
        past_confirmed=True,
    )
    from proposals.services.reminders import reminder_delivery_send

    old = ReminderDelivery.objects.get(recipient=essex_staff)
    assert reminder_delivery_send(delivery_id=old.pk) == "cancelled"
    assert ReminderDelivery.objects.get(pk=old.pk).last_error == (
        reminders.CANCELLED_ITEM_DONE_OR_MOVED
    )
    scan(date(2027, 1, 11))
    assert sent(essex_staff) == ["before_7"]
    assert mailoutbox[-1].subject.startswith("Due in 7 working days")


def test_the_database_allows_one_reminder_per_item_deadline_kind_and_person(plan_due, essex_staff):
    values = {
        "checklist_item": plan_due,
        "due_date": DUE,
        "kind": "due",
        "recipient": essex_staff,
        "milestone_on": DUE,
        "scheduled_on": DUE,
    }
    ReminderDelivery.objects.create(**values)
    with transaction.atomic(), pytest.raises(IntegrityError):
        ReminderDelivery.objects.create(**values)
    with transaction.atomic(), pytest.raises(IntegrityError):
        ReminderDelivery.objects.create(
            **{**values, "kind": "before_1", "stage": stage_of(plan_due.proposal, Step.ORDER)}
        )
