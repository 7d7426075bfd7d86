"""Hand-offs: each workflow event tells exactly the right people, once, in the portal and by
e-mail, never the actor; preferences and the daily digest; what the pages say about it."""

from datetime import date
from decimal import Decimal

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone
from django_celery_beat.models import PeriodicTask

from portal.models import Role
from proposals.forms.notifications import EMAIL_PREFIX, EMAIL_TIMING_INVALID
from proposals.models import (
    Comment,
    Decision,
    DocumentKind,
    EmailTiming,
    MessageDelivery,
    MessageEvent,
    Notification,
    Stage,
    StageStatus,
    Step,
)
from proposals.services import comments, drafting, funding
from proposals.services.messages import message_delivery_send, message_digests_send
from proposals.services.notifications import MAY_NOT_TURN_OFF, user_preferences_update
from proposals.services.workflow import (
    NEXT_STAGE_OPEN,
    PROPOSAL_REJECTED,
    proposal_assign_case_officer,
    proposal_set_legal_challenge,
    proposal_transition,
    stage_set_due_date,
    stage_transition,
    submission_sign_off,
)

from .factories import (
    LIMBS_FOUND,
    UserFactory,
    attach_document,
    complete_business_case,
    complete_consultation,
    stage_of,
)

pytestmark = pytest.mark.django_db

RETURN_REASONS = "The financial case does not cost the shared control room."


@pytest.fixture
def reviewers(reviewer):
    return [reviewer, UserFactory(role=Role.REVIEWER)]


@pytest.fixture
def people(essex_staff, essex_signatory, sussex_staff, sussex_signatory, reviewers, funding_admin):
    """Everyone who might be told anything: the wrong PCC's people must never be."""
    return {
        "staff": essex_staff,
        "signatory": essex_signatory,
        "reviewer": reviewers[0],
        "reviewer2": reviewers[1],
        "funding": funding_admin,
    }


def told(event) -> list[str]:
    """Who got a notification of `event`, by username, sorted (a duplicate would show twice)."""
    return sorted(
        MessageDelivery.objects.filter(event=event).values_list("recipient__username", flat=True)
    )


def names(*users) -> list[str]:
    return sorted(user.username for user in users)


def submitted_business_case(proposal, staff):
    complete_business_case(proposal, staff)
    return stage_transition(stage=stage_of(proposal, Step.BUSINESS_CASE), action="submit", by=staff)


def test_a_submission_tells_every_reviewer_once_and_not_the_pcc(people, essex_proposal):
    submitted_business_case(essex_proposal, people["staff"])
    assert told(MessageEvent.STAGE_SUBMITTED) == names(people["reviewer"], people["reviewer2"])
    notification = Notification.objects.get(user=people["reviewer"])
    assert notification.title == (
        f"Submitted for review: the business case stage of {essex_proposal.title}"
    )
    assert notification.link == reverse(
        "proposals:stage", kwargs={"pk": essex_proposal.pk, "step": "business-case"}
    )
    assert Notification.objects.filter(user__role__in=["pcc_staff", "pcc_signatory"]).count() == 0


def test_a_submission_tells_only_the_case_officer_when_there_is_one(people, essex_proposal):
    proposal_assign_case_officer(
        proposal=essex_proposal, officer=people["reviewer2"], by=people["reviewer"]
    )
    submitted_business_case(essex_proposal, people["staff"])
    assert told(MessageEvent.STAGE_SUBMITTED) == names(people["reviewer2"])


def test_a_return_tells_the_pccs_staff_and_signatory_with_the_reasons(people, essex_proposal):
    stage = submitted_business_case(essex_proposal, people["staff"])
    stage_transition(
        stage=stage, action="return_to_pcc", by=people["reviewer"], reason=RETURN_REASONS
    )
    assert told(MessageEvent.STAGE_RETURNED) == names(people["staff"], people["signatory"])
    body = Notification.objects.get(user=people["signatory"]).body
    assert RETURN_REASONS in body


def test_an_approval_tells_the_pcc_that_the_next_stage_is_open(people, essex_proposal):
    stage = submitted_business_case(essex_proposal, people["staff"])
    stage_transition(stage=stage, action="approve", by=people["reviewer"])
    assert told(MessageEvent.STAGE_APPROVED) == names(people["staff"], people["signatory"])
    body = Notification.objects.get(user=people["staff"]).body
    assert NEXT_STAGE_OPEN.format(stage="consultation") in body


def test_the_submission_opening_asks_the_signatories_and_signing_off_tells_the_staff(
    people, essex_proposal
):
    stage = submitted_business_case(essex_proposal, people["staff"])
    stage_transition(stage=stage, action="approve", by=people["reviewer"])
    complete_consultation(essex_proposal, people["staff"])
    consultation = stage_of(essex_proposal, Step.CONSULTATION)
    stage_transition(stage=consultation, action="submit", by=people["staff"])
    stage_transition(stage=consultation, action="approve", by=people["reviewer"])
    assert told(MessageEvent.SIGN_OFF_NEEDED) == names(people["signatory"])
    submission_sign_off(
        stage=stage_of(essex_proposal, Step.SUBMISSION), confirmed=True, by=people["signatory"]
    )
    assert told(MessageEvent.SIGNED_OFF) == names(people["staff"])


def test_a_due_date_tells_the_pcc_with_the_reason(people, essex_proposal):
    stage_set_due_date(
        stage=stage_of(essex_proposal, Step.BUSINESS_CASE),
        due_date=date(2026, 12, 9),
        reason="Agreed at the quarterly meeting",
        by=people["reviewer"],
        past_confirmed=True,  # the dates are fixed; whether they have passed is tested elsewhere
    )
    assert told(MessageEvent.DUE_DATE_CHANGED) == names(people["staff"], people["signatory"])
    notification = Notification.objects.get(user=people["staff"])
    assert "9 December 2026" in notification.title
    assert "Agreed at the quarterly meeting" in notification.body


def test_a_legal_challenge_tells_both_sides_but_not_the_reviewer_who_flagged_it(
    people, essex_proposal
):
    proposal_set_legal_challenge(
        proposal=essex_proposal,
        under_challenge=True,
        reason="Judicial review",
        by=people["reviewer"],
    )
    assert told(MessageEvent.LEGAL_CHALLENGE) == names(
        people["staff"], people["signatory"], people["reviewer2"]
    )


def test_withdrawing_tells_the_home_office_not_the_pcc(people, essex_proposal):
    proposal_transition(
        proposal=essex_proposal, action="withdraw", reason="Not pursuing", by=people["staff"]
    )
    assert told(MessageEvent.PROPOSAL_STATUS) == names(people["reviewer"], people["reviewer2"])
    assert "Withdrawn" in Notification.objects.get(user=people["reviewer"]).title


def test_a_pcc_comment_goes_to_the_home_office(people, essex_proposal):
    comments.comment_add(
        proposal=essex_proposal,
        body="When is the panel?",
        home_office_only=False,
        by=people["staff"],
    )
    assert told(MessageEvent.COMMENT_ADDED) == names(people["reviewer"], people["reviewer2"])


def test_a_reviewer_comment_to_everyone_goes_to_the_pcc(people, essex_proposal):
    comments.comment_add(
        proposal=essex_proposal, body="In March.", home_office_only=False, by=people["reviewer"]
    )
    assert told(MessageEvent.COMMENT_ADDED) == names(people["staff"], people["signatory"])


def test_a_home_office_only_comment_never_reaches_pcc_people(people, essex_proposal):
    comment = comments.comment_add(
        proposal=essex_proposal,
        body="Ministers are sceptical.",
        home_office_only=True,
        by=people["reviewer"],
    )
    assert comment.visibility == Comment.Visibility.HOME_OFFICE
    assert told(MessageEvent.COMMENT_ADDED) == []
    assert not Notification.objects.filter(body__contains="sceptical").exists()


def test_an_assessment_recorded_by_the_home_office_tells_the_pcc(people, essex_proposal):
    stage = stage_of(essex_proposal, Step.INDEPENDENT_ASSESSMENT)
    type(stage).objects.filter(pk=stage.pk).update(status="in_progress")
    drafting.stage_details_save(
        stage=stage, values={"assessor": "CIPFA"}, version="", by=people["reviewer"]
    )
    assert told(MessageEvent.RECORD_SAVED) == names(people["staff"], people["signatory"])


def test_money_changes_tell_the_pcc_and_the_other_funding_admins(people, essex):
    from proposals.models import Fund

    other_admin = UserFactory(role=Role.FUNDING_ADMIN)
    fund = Fund.objects.get()
    funding.allocation_update(
        fund=fund,
        pcc=essex,
        amount=Decimal("100000.00"),
        reason="Agreed split",
        version=funding.record_version(fund.allocations.filter(pcc=essex).first()),
        by=people["funding"],
    )
    funding.payment_record(
        fund=fund,
        pcc=essex,
        amount=Decimal("2500.50"),
        paid_on=date(2017, 6, 1),
        reference="PTF-1",
        by=people["funding"],
    )
    expected = names(people["staff"], people["signatory"], other_admin)
    assert told(MessageEvent.MONEY_CHANGED) == sorted(expected + expected)
    bodies = list(Notification.objects.filter(user=people["staff"]).values_list("body", flat=True))
    assert any("£100,000.00" in body for body in bodies)
    assert any("£2,500.50" in body and "1 June 2017" in body for body in bodies)


def test_a_decision_completed_as_a_rejection_tells_the_pcc_so_never_that_it_was_approved(
    people, essex_proposal
):
    Stage.objects.filter(proposal=essex_proposal, step__lt=Step.DECISION).update(
        status=StageStatus.APPROVED
    )
    Stage.objects.filter(proposal=essex_proposal, step=Step.DECISION).update(
        status=StageStatus.IN_PROGRESS
    )
    Decision.objects.create(
        proposal=essex_proposal,
        outcome=Decision.Outcome.REJECTED,
        decided_on=timezone.localdate(),
        **LIMBS_FOUND,
    )
    decision = stage_of(essex_proposal, Step.DECISION)
    attach_document(decision, DocumentKind.DECISION_LETTER, people["reviewer"])
    stage_transition(stage=decision, action="complete", by=people["reviewer"])
    assert told(MessageEvent.STAGE_APPROVED) == names(people["staff"], people["signatory"])
    notification = Notification.objects.get(user=people["staff"])
    assert "completed the decision stage" in notification.body
    assert PROPOSAL_REJECTED in notification.body
    assert "approved" not in f"{notification.title} {notification.body}".lower()


def test_a_payment_reversal_tells_the_pcc_and_the_other_funding_admins_like_a_payment(
    people, essex
):
    from proposals.models import Fund

    other_admin = UserFactory(role=Role.FUNDING_ADMIN)
    fund = Fund.objects.get()
    funding.allocation_update(
        fund=fund,
        pcc=essex,
        amount=Decimal("100000.00"),
        reason="Agreed split",
        version=funding.record_version(fund.allocations.filter(pcc=essex).first()),
        by=people["funding"],
    )
    payment = funding.payment_record(
        fund=fund,
        pcc=essex,
        amount=Decimal("2500.50"),
        paid_on=date(2017, 6, 1),
        reference="PTF-1",
        by=people["funding"],
    )
    Notification.objects.all().delete()
    reversal = funding.payment_reverse(
        payment=payment,
        amount=Decimal("500.50"),
        reason="Paid twice by mistake",
        by=people["funding"],
    )
    expected = names(people["staff"], people["signatory"], other_admin)
    assert told(MessageEvent.MONEY_CHANGED) == expected
    assert reversal.told.sentence == "The PCC and the funding admins have been told."
    body = Notification.objects.get(user=people["staff"]).body
    for words in ("£500.50", "£2,500.50", "1 June 2017", "£2,000.00", "Paid twice by mistake"):
        assert words in body


def test_reassigning_the_case_officer_tells_the_new_and_the_previous_one(people, essex_proposal):
    third = UserFactory(role=Role.REVIEWER)
    proposal_assign_case_officer(
        proposal=essex_proposal, officer=people["reviewer2"], by=people["reviewer"]
    )
    assert told(MessageEvent.CASE_OFFICER) == names(people["reviewer2"])
    proposal_assign_case_officer(proposal=essex_proposal, officer=third, by=people["reviewer"])
    assert told(MessageEvent.CASE_OFFICER) == names(people["reviewer2"], people["reviewer2"], third)


def test_a_reviewer_taking_a_case_themselves_is_not_told_of_it(people, essex_proposal):
    proposal_assign_case_officer(
        proposal=essex_proposal, officer=people["reviewer"], by=people["reviewer"]
    )
    assert told(MessageEvent.CASE_OFFICER) == []
    assert essex_proposal.audit_events.filter(action="proposal.case_officer").exists()


# --- E-mail ------------------------------------------------------------------------------------


def test_each_message_is_e_mailed_once_in_text_and_html_with_a_link(people, essex_proposal):
    stage = submitted_business_case(essex_proposal, people["staff"])
    stage_transition(
        stage=stage, action="return_to_pcc", by=people["reviewer"], reason=RETURN_REASONS
    )
    deliveries = MessageDelivery.objects.filter(event=MessageEvent.STAGE_RETURNED)
    for delivery in deliveries:
        assert message_delivery_send(delivery_id=delivery.pk) == "sent"
        assert message_delivery_send(delivery_id=delivery.pk) == "sent"  # a retry: nothing
    assert sorted(message.to[0] for message in mail.outbox) == sorted(
        [people["staff"].email, people["signatory"].email]
    )
    message = mail.outbox[0]
    assert message.subject.startswith("Returned: the business case stage")
    assert RETURN_REASONS in message.body
    html = message.alternatives[0][0]
    assert f"/proposals/{essex_proposal.pk}/stages/business-case/" in html
    assert RETURN_REASONS in html


# --- Preferences and the digest --------------------------------------------------------------


def test_e_mail_turned_off_still_notifies_in_the_portal(people, essex_proposal):
    user_preferences_update(
        user=people["reviewer"],
        early_reminders=True,
        email_timings={MessageEvent.STAGE_SUBMITTED: EmailTiming.OFF},
    )
    submitted_business_case(essex_proposal, people["staff"])
    assert Notification.objects.filter(user=people["reviewer"]).count() == 1
    assert told(MessageEvent.STAGE_SUBMITTED) == names(people["reviewer2"])


def test_returns_cannot_be_turned_off(people):
    with pytest.raises(ValueError, match=MAY_NOT_TURN_OFF):
        user_preferences_update(
            user=people["staff"],
            early_reminders=True,
            email_timings={MessageEvent.STAGE_RETURNED: EmailTiming.OFF},
        )


def test_the_digest_is_one_e_mail_listing_the_days_messages_sent_once(people, essex_proposal):
    staff = people["staff"]
    user_preferences_update(
        user=staff,
        early_reminders=True,
        email_timings={
            MessageEvent.DUE_DATE_CHANGED: EmailTiming.DIGEST,
            MessageEvent.COMMENT_ADDED: EmailTiming.DIGEST,
        },
    )
    stage_set_due_date(
        stage=stage_of(essex_proposal, Step.BUSINESS_CASE),
        due_date=date(2026, 12, 9),
        reason="Agreed at the quarterly meeting",
        by=people["reviewer"],
        past_confirmed=True,  # the dates are fixed; whether they have passed is tested elsewhere
    )
    comments.comment_add(
        proposal=essex_proposal,
        body="Draft looks good.",
        home_office_only=False,
        by=people["reviewer"],
    )
    digest_rows = MessageDelivery.objects.filter(recipient=staff, timing=EmailTiming.DIGEST)
    assert digest_rows.count() == 2
    assert message_digests_send() == 1  # the signatory chose nothing: theirs went straight away
    to_staff = [message for message in mail.outbox if message.to == [staff.email]]
    assert len(to_staff) == 1
    assert to_staff[0].subject.startswith("Your daily summary: 2 updates")
    assert "9 December 2026" in to_staff[0].body
    assert "Draft looks good." in to_staff[0].body
    assert set(digest_rows.values_list("status", flat=True)) == {"sent"}
    assert message_digests_send() == 0
    assert len([message for message in mail.outbox if message.to == [staff.email]]) == 1


def test_the_preferences_page_saves_a_choice_per_kind_of_message(client_for, essex_staff):
    client = client_for(essex_staff)
    field = EMAIL_PREFIX + MessageEvent.COMMENT_ADDED
    page = client.get(reverse("preferences")).content.decode()
    assert f'name="{field}"' in page
    assert f'name="{EMAIL_PREFIX}{MessageEvent.STAGE_RETURNED}"' not in page
    for timing in EmailTiming:
        assert timing.label in page
    client.post(reverse("preferences"), {"early_reminders": "yes", field: EmailTiming.DIGEST})
    assert essex_staff.message_preferences.get(event=MessageEvent.COMMENT_ADDED).email == "digest"


# --- What the pages say ----------------------------------------------------------------------


@pytest.mark.parametrize("reviewers_exist", [False, True])
def test_the_page_says_the_home_office_was_told_only_when_someone_was(
    client_for, essex_staff, essex_proposal, reviewers_exist
):
    if reviewers_exist:
        UserFactory(role=Role.REVIEWER)
    complete_business_case(essex_proposal, essex_staff)
    url = reverse(
        "proposals:stage-action",
        kwargs={"pk": essex_proposal.pk, "step": "business-case", "action": "submit"},
    )
    page = client_for(essex_staff).post(url, follow=True).content.decode()
    assert "Submitted for review." in page
    assert ("The Home Office has been told." in page) is reviewers_exist


@pytest.mark.parametrize("other_funding_admin", [False, True])
def test_a_money_page_names_only_the_sides_that_were_told(
    client_for, people, essex, other_funding_admin
):
    if other_funding_admin:
        UserFactory(role=Role.FUNDING_ADMIN)
    page = (
        client_for(people["funding"])
        .post(
            reverse("proposals:allocation-edit", args=["essex"]),
            {"amount": "£100,000.00", "reason": "Agreed split", "version": ""},
            follow=True,
        )
        .content.decode()
    )
    assert "Allocation saved." in page
    if other_funding_admin:
        assert "The PCC and the funding admins have been told." in page
    else:
        assert "The PCC has been told." in page
        assert "funding admins have been told" not in page


def test_a_made_up_e_mail_choice_is_refused_by_the_field_and_nothing_is_saved(
    client_for, essex_staff
):
    field = EMAIL_PREFIX + MessageEvent.COMMENT_ADDED
    response = client_for(essex_staff).post(
        reverse("preferences"), {"early_reminders": "no", field: "hourly"}
    )
    page = response.content.decode()
    assert response.status_code == 200
    assert page.count(EMAIL_TIMING_INVALID) == 2  # by the field and in the error summary
    essex_staff.refresh_from_db()
    assert essex_staff.early_reminders is True
    assert not essex_staff.message_preferences.exists()


def test_the_sweep_runs_every_5_minutes_and_the_digest_at_8am_london_time():
    sweep = PeriodicTask.objects.get(task="proposals.tasks.sweep_messages")
    assert (sweep.interval.every, sweep.interval.period) == (5, "minutes")
    digest = PeriodicTask.objects.get(task="proposals.tasks.send_message_digests")
    assert (digest.crontab.minute, digest.crontab.hour) == ("0", "8")
    assert str(digest.crontab.timezone) == "Europe/London"
