"""A hand-off in a real browser: staff submit, the reviewer sees the notification in the header
and opens it, returns the stage with reasons, and the staff see the reasons in their
notification and on the stage."""

import re

import pytest
from django.core import mail
from playwright.sync_api import expect

from portal.celery import app as celery_app
from portal.models import Role
from proposals.models import Pcc

from ..factories import TEST_PASSWORD, ProposalFactory, UserFactory, complete_business_case

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

REASONS = "Cost the shared control room option."


@pytest.fixture
def sends_at_once():
    """E-mails are sent as they are queued, in the server's process, as a worker would."""
    celery_app.conf.task_always_eager = True
    yield
    celery_app.conf.task_always_eager = False


def sign_out(page):
    page.get_by_role("button", name=re.compile("Sign out")).click()


def test_submit_notify_return_with_reasons_and_the_staff_read_them(page, sign_in, sends_at_once):
    essex = Pcc.objects.get(slug="essex")
    staff = UserFactory(username="staff-essex", role=Role.PCC_STAFF, pcc=essex)
    signatory = UserFactory(username="signatory-essex", role=Role.PCC_SIGNATORY, pcc=essex)
    reviewer = UserFactory(username="reviewer", role=Role.REVIEWER)
    proposal = ProposalFactory(pcc=essex, title="Essex fire governance", created_by=staff)
    complete_business_case(proposal, staff)
    stage_path = f"/proposals/{proposal.pk}/stages/business-case/"

    sign_in("staff-essex", TEST_PASSWORD)
    page.goto(stage_path)
    page.get_by_role("button", name="Submit for review").click()
    expect(page.locator(".govuk-notification-banner")).to_contain_text(
        "Submitted for review. The Home Office has been told."
    )
    sign_out(page)

    sign_in("reviewer", TEST_PASSWORD)
    header = page.locator(".govuk-header")
    expect(header).to_contain_text("1 unread")
    header.get_by_role("link", name=re.compile("Notifications")).click()
    expect(page.get_by_role("table")).to_contain_text("Essex fire governance")
    page.get_by_role(
        "link", name="Submitted for review: the business case stage of Essex fire governance"
    ).click()
    expect(page).to_have_url(re.compile(re.escape(stage_path) + "$"))
    expect(header).not_to_contain_text("unread")
    page.get_by_role("link", name="Return with reasons").click()
    page.get_by_label("Why is this stage being returned?").fill(REASONS)
    page.get_by_role("button", name="Return with reasons").click()
    expect(page.get_by_role("alert", name="Success")).to_contain_text(
        "The PCC's staff and signatories have been told."
    )
    sign_out(page)

    sign_in("staff-essex", TEST_PASSWORD)
    expect(header).to_contain_text("1 unread")
    header.get_by_role("link", name=re.compile("Notifications")).click()
    expect(page.locator("main")).to_contain_text(REASONS)
    page.get_by_role(
        "link", name="Returned: the business case stage of Essex fire governance"
    ).click()
    expect(page).to_have_url(re.compile(re.escape(stage_path) + "$"))
    expect(page.get_by_role("region", name="Returned by the Home Office")).to_contain_text(REASONS)

    returned = [message for message in mail.outbox if message.subject.startswith("Returned")]
    assert sorted(message.to[0] for message in returned) == sorted([staff.email, signatory.email])
    submitted = [message for message in mail.outbox if message.subject.startswith("Submitted")]
    assert [message.to for message in submitted] == [[reviewer.email]]
