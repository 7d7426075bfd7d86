"""Hand-off messages on real infrastructure: the change is made by a portal process, a Celery
worker on Redis e-mails the people told to an SMTP server (aiosmtpd) the test starts, once, even
when the sweep runs twice; and with the broker down at the moment of a return, the return is
saved and its messages go out once the broker is back."""

import pytest

from proposals.management.commands.send_messages import QUEUED
from proposals.models import MessageDelivery, Notification, Stage, StageStatus, Step

from .factories import ProposalFactory, complete_business_case, stage_of
from .helpers import clean_env, free_port, manage
from .workers import celery_call, embedded_worker, mail_files_to, settle, wait_until

pytestmark = pytest.mark.worker
committed = pytest.mark.django_db(transaction=True, serialized_rollback=True)

REASONS = "The options appraisal leaves out the single employer model."
RETURN = """
from portal.models import User
from proposals.models import Stage
from proposals.services.workflow import stage_transition

stage_transition(
    stage=Stage.objects.get(pk={stage_id}), action="return_to_pcc",
    by=User.objects.get(pk={reviewer_id}), reason="{reasons}",
)
"""


def submitted_business_case(pcc, staff):
    proposal = ProposalFactory(pcc=pcc, created_by=staff)
    complete_business_case(proposal, staff)
    stage = stage_of(proposal, Step.BUSINESS_CASE)
    # Submitted as it was before this test: the submission's own messages are not the point.
    Stage.objects.filter(pk=stage.pk).update(status=StageStatus.SUBMITTED)
    return stage


def return_stage(stage, reviewer, env):
    script = RETURN.format(stage_id=stage.pk, reviewer_id=reviewer.pk, reasons=REASONS)
    result = manage("shell", "-c", script, env=env, timeout=60)
    assert result.returncode == 0, result.stderr
    return result


def sweep(env) -> str:
    result = manage("send_messages", env=env, timeout=60)
    assert result.returncode == 0, result.stderr
    return result.stdout


def returned_mails(messages):
    return sorted(
        str(message["To"]) for message in messages if message["Subject"].startswith("Returned")
    )


@committed
def test_a_return_is_e_mailed_once_to_staff_and_signatory_even_when_the_sweep_runs_twice(
    essex, essex_staff, essex_signatory, reviewer, smtp_server, start_worker, portal_env
):
    stage = submitted_business_case(essex, essex_staff)
    _, catcher = smtp_server
    _, log = start_worker()
    start_worker.ready(log)
    return_stage(stage, reviewer, portal_env)
    messages = settle(catcher, 2)
    assert QUEUED.format(count=0, s="s") in sweep(portal_env)
    sweep(portal_env)
    messages = settle(catcher, 2)
    assert returned_mails(messages) == sorted([essex_staff.email, essex_signatory.email])
    assert len(messages) == 2
    message = messages[0]
    assert message.get_content_type() == "multipart/alternative"
    assert REASONS in message.get_body(preferencelist=("plain",)).get_content()
    html = message.get_body(preferencelist=("html",)).get_content()
    assert f"https://fire-governance.example.gov.uk/proposals/{stage.proposal_id}/stages/" in html
    assert set(MessageDelivery.objects.values_list("status", flat=True)) == {"sent"}
    assert Notification.objects.filter(user=essex_staff, body__contains=REASONS).count() == 1
    assert not Notification.objects.filter(user=reviewer).exists()


@committed
def test_with_the_broker_down_a_return_is_saved_and_its_e_mails_go_once_it_is_back(
    essex, essex_staff, essex_signatory, reviewer, smtp_server, start_worker, portal_env
):
    stage = submitted_business_case(essex, essex_staff)
    _, catcher = smtp_server
    broker_down = {**portal_env, "REDIS_URL": f"redis://127.0.0.1:{free_port()}/0"}
    return_stage(stage, reviewer, broker_down)
    stage.refresh_from_db()
    assert stage.status == StageStatus.RETURNED
    assert stage.return_reasons == REASONS
    assert set(MessageDelivery.objects.values_list("status", flat=True)) == {"pending"}
    assert Notification.objects.filter(user=essex_signatory, body__contains=REASONS).exists()
    _, log = start_worker()
    start_worker.ready(log)
    # What the 5-minute beat does, as its task, on the worker.
    celery_call("proposals.tasks.sweep_messages", portal_env)
    messages = settle(catcher, 2)
    assert returned_mails(messages) == sorted([essex_staff.email, essex_signatory.email])
    assert len(messages) == 2
    assert set(MessageDelivery.objects.values_list("status", flat=True)) == {"sent"}


EMBEDDED_RETURN = """
from portal.models import User
from proposals.models import Stage
from proposals.services.workflow import stage_transition

stage = Stage.objects.filter(
    status="submitted", step__lte=2, proposal__is_illustrative=True
).select_related("proposal__pcc").order_by("pk").first()
stage_transition(
    stage=stage, action="return_to_pcc", by=User.objects.get(username="reviewer"),
    reason="Cost the shared control room.",
)
print(stage.proposal.pcc.slug)
"""
EMBEDDED_RESUBMIT = """
from portal.models import User
from proposals.models import Stage
from proposals.services.workflow import stage_transition

stage = Stage.objects.get(status="returned", return_reasons="Cost the shared control room.")
staff = User.objects.get(username="staff-{pcc}")
stage = stage_transition(stage=stage, action="revise", by=staff)
stage_transition(stage=stage, action="submit", by=staff)
"""
COUNT_RETURNED = (
    "from proposals.models import Notification; "
    "print(sorted(Notification.objects.filter(title__startswith='Returned')"
    ".values_list('user__username', flat=True)))"
)


def test_on_the_embedded_default_a_return_and_its_resubmission_each_e_mail_the_next_people(
    tmp_path,
):
    """The issue's "done when", on what `make run` runs (SQLite, the filesystem broker, e-mail
    files under var/mail, the Procfile's worker and demo data): a reviewer's return reaches
    the PCC's staff and signatory, and their resubmission reaches the Home Office."""
    env = clean_env(DJANGO_DEBUG="true", PORTAL_VAR_DIR=str(tmp_path))
    for command in (["migrate", "--no-input"], ["seed_demo", "--proposals", "18"]):
        result = manage(*command, env=env)
        assert result.returncode == 0, result.stderr
    mail = tmp_path / "mail"
    with embedded_worker(env, tmp_path / "worker.log"):
        returned = manage("shell", "--verbosity=0", "-c", EMBEDDED_RETURN, env=env)
        assert returned.returncode == 0, returned.stderr
        pcc = returned.stdout.strip()
        people = [f"signatory-{pcc}@example.com", f"staff-{pcc}@example.com"]
        wait_until(lambda: mail_files_to(mail, "Returned") == people, message="the returns")
        script = EMBEDDED_RESUBMIT.format(pcc=pcc)
        resubmitted = manage("shell", "--verbosity=0", "-c", script, env=env)
        assert resubmitted.returncode == 0, resubmitted.stderr
        wait_until(
            lambda: mail_files_to(mail, "Submitted for review") == ["reviewer@example.com"],
            message="the resubmission",
        )
        assert QUEUED.format(count=0, s="s") in manage("send_messages", env=env).stdout
    assert mail_files_to(mail, "Returned") == people
    shown = manage("shell", "--verbosity=0", "-c", COUNT_RETURNED, env=env)
    assert shown.stdout.strip() == str([f"signatory-{pcc}", f"staff-{pcc}"]), shown.stderr
