"""`manage.py seed_demo` loads demo people and the nine proposals' real history, idempotently."""

from datetime import date, timedelta
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.http import HttpRequest
from django.urls import reverse
from django.utils import timezone

from portal.models import Role, User
from proposals import workflow
from proposals.demo_history import HISTORY, PROPOSED_MODELS
from proposals.models import (
    Assessment,
    AuditEvent,
    CollaborationAgreement,
    Decision,
    GovernanceModel,
    Limb,
    Proposal,
    ProposalStatus,
    Stage,
    StageStatus,
    Step,
)
from proposals.services.demo import (
    DEFAULT_DEMO_PASSWORD,
    DEMO_PASSWORD_REQUIRED,
    INVITED_DEMO_USERS,
    OPEN_CONSULTATION_TITLE,
    SYNTHETIC_TITLE_PREFIX,
)
from proposals.services.reminders import reminders_scan

pytestmark = pytest.mark.django_db


@pytest.fixture
def seed(settings):
    settings.DEBUG = True
    settings.DEMO_PASSWORD = ""

    def run(*args):
        out = StringIO()
        call_command("seed_demo", *args, stdout=out)
        return out.getvalue()

    return run


def table_sizes():
    return {model.__name__: model.objects.count() for model in (User, Proposal, Stage, AuditEvent)}


def test_demo_users_cover_every_role_and_pcc(seed):
    seed()
    assert User.objects.get(username="reviewer").role == Role.REVIEWER
    assert User.objects.get(username="funding").role == Role.FUNDING_ADMIN
    admin = User.objects.get(username="admin")
    assert admin.role == Role.SITE_ADMIN
    assert admin.is_superuser
    staff = User.objects.get(username="staff-west-mercia")
    assert (staff.role, staff.pcc.name) == (Role.PCC_STAFF, "West Mercia")
    signatory = User.objects.get(username="signatory-north-yorkshire")
    assert (signatory.role, signatory.pcc.name) == (Role.PCC_SIGNATORY, "North Yorkshire")
    assert User.objects.count() == 3 + 2 * 9 + len(INVITED_DEMO_USERS)


def test_demo_users_sign_in_with_the_default_password_in_debug(seed, client):
    seed()
    assert client.login(
        request=HttpRequest(), username="staff-essex", password=DEFAULT_DEMO_PASSWORD
    )


def test_demo_password_comes_from_the_environment(seed, settings, client):
    settings.DEMO_PASSWORD = "a-password-from-the-environment"
    seed()
    assert client.login(
        request=HttpRequest(), username="reviewer", password="a-password-from-the-environment"
    )
    assert not client.login(
        request=HttpRequest(), username="reviewer", password=DEFAULT_DEMO_PASSWORD
    )


def test_default_password_is_never_used_with_debug_off(settings):
    settings.DEBUG = False
    settings.DEMO_PASSWORD = ""
    with pytest.raises(CommandError, match=DEMO_PASSWORD_REQUIRED):
        call_command("seed_demo", stdout=StringIO())
    assert not User.objects.exists()


def test_running_twice_creates_nothing_new(seed):
    seed("--proposals", "30")
    before = table_sizes()
    output = seed("--proposals", "30")
    assert table_sizes() == before
    assert "0 users, 0 historical proposals and 0 illustrative proposals added" in output


def test_essex_transferred_on_1_october_2017(seed):
    seed()
    essex = Proposal.objects.get(pcc__slug="essex", is_illustrative=False)
    assert essex.status == ProposalStatus.TRANSFERRED
    assert essex.order.si_number == "2017/864"
    assert essex.order.transfer_date == date(2017, 10, 1)
    assert essex.decision.decided_on == date(2017, 7, 25)
    assessment = essex.stages.get(step=Step.INDEPENDENT_ASSESSMENT)
    assert assessment.status == StageStatus.SKIPPED
    assert "No consulted council objected" in assessment.skip_reason
    assert essex.order.source_url == "https://www.legislation.gov.uk/uksi/2017/864"


def test_sussex_was_not_pursued(seed):
    seed()
    sussex = Proposal.objects.get(pcc__slug="sussex")
    assert sussex.status == ProposalStatus.NOT_PURSUED
    assert "14 July 2017" in sussex.status_reason
    assert "for illustration only" in sussex.summary


def test_west_mercia_proposal_covers_both_fire_authorities_and_awaits_an_order(seed):
    seed()
    west_mercia = Proposal.objects.get(pcc__slug="west-mercia", is_illustrative=False)
    assert west_mercia.fire_authorities.count() == 2
    assert west_mercia.current_stage.step == Step.ORDER
    # All four upper-tier councils did not support it (GOV.UK, 26 March 2018).
    assert list(west_mercia.council_positions.values_list("position", flat=True)) == ["objects"] * 4


def test_every_pcc_has_its_historical_proposal(seed):
    seed()
    assert Proposal.objects.filter(is_illustrative=False).values("pcc").distinct().count() == 9


def test_synthetic_proposals_are_illustrative_and_spread_over_pccs_and_stages(seed):
    seed("--proposals", "60")
    synthetic = Proposal.objects.filter(title__startswith=SYNTHETIC_TITLE_PREFIX)
    assert synthetic.count() == 60
    assert synthetic.values("pcc").distinct().count() == 9
    open_steps = {
        proposal.current_stage.step
        for proposal in synthetic.prefetch_related("stages")
        if proposal.current_stage
    }
    assert len(open_steps) >= 4
    for proposal in synthetic.prefetch_related("stages"):
        steps = tuple(stage.step for stage in proposal.stages.all())
        assert steps == workflow.route(proposal.governance_model), proposal.title
    assert synthetic.values("governance_model").distinct().count() == len(GovernanceModel)
    assert AuditEvent.objects.filter(proposal__in=synthetic).count() > 60 * 3


def test_asking_for_more_synthetic_proposals_adds_only_the_difference(seed):
    seed("--proposals", "10")
    output = seed("--proposals", "25")
    assert "15 illustrative proposals added" in output
    assert Proposal.objects.filter(title__startswith=SYNTHETIC_TITLE_PREFIX).count() == 25


def test_every_illustrative_stage_submitted_or_recorded_has_the_content_the_workflow_asks(seed):
    """Demo data obeys the workflow: a returned stage can be revised and submitted again, an
    approved one had what approval needs, and the Home Office's steps are never "submitted"."""
    seed("--proposals", "60")
    stages = Stage.objects.filter(
        proposal__is_illustrative=True,
        status__in=[StageStatus.SUBMITTED, StageStatus.RETURNED, StageStatus.APPROVED],
    ).select_related("proposal__pcc")
    assert stages.filter(status=StageStatus.RETURNED).exists()
    assert stages.filter(status=StageStatus.SUBMITTED).exists()
    for stage in stages:
        assert workflow.missing_content(stage) == [], (stage.proposal.title, stage.step)
        if stage.step == Step.SUBMISSION and stage.status != StageStatus.RETURNED:
            assert stage.signed_off_at is not None
    assert not Stage.objects.filter(
        proposal__is_illustrative=True,
        step__in=[step for step in Step if not step.is_pcc_step],
        status__in=[StageStatus.SUBMITTED, StageStatus.RETURNED],
    ).exists()


def test_the_demo_gives_a_reviewer_a_queue_an_inbox_and_deadlines(seed, client):
    seed("--proposals", "30")
    reviewer = User.objects.get(username="reviewer")
    today = timezone.localdate()
    open_due = Stage.objects.filter(
        proposal__is_illustrative=True,
        proposal__status=ProposalStatus.ACTIVE,
        status__in=[StageStatus.IN_PROGRESS, StageStatus.RETURNED],
    ).values_list("due_date", flat=True)
    assert open_due
    assert all(abs((due - today).days) <= 35 for due in open_due)
    assert Proposal.objects.filter(is_illustrative=True, case_officer=reviewer).exists()
    assert Proposal.objects.filter(is_illustrative=True, case_officer__isnull=True).exists()
    waiting = Stage.objects.filter(proposal__is_illustrative=True, status=StageStatus.SUBMITTED)
    assert reviewer.notifications.count() == waiting.count() > 0
    client.force_login(reviewer)
    queue = client.get(reverse("proposals:review-queue") + "?assigned=mine").content.decode()
    assert "Illustrative proposal" in queue


def test_the_demo_consultee_can_lodge_on_west_mercias_open_consultation_and_nothing_else(
    seed, client
):
    """On `make run`, consultee-shropshire signs in, sees West Mercia's proposals only, and can
    lodge Shropshire Council's representation on the one whose consultation is in progress."""
    seed("--proposals", "18")
    consultee = User.objects.get(username="consultee-shropshire")
    assert (consultee.role, consultee.local_authority.name) == (
        Role.CONSULTEE,
        "Shropshire Council",
    )
    open_one = Proposal.objects.get(title=OPEN_CONSULTATION_TITLE)
    assert open_one.is_illustrative
    assert open_one.current_stage.step == Step.CONSULTATION
    assert workflow.missing_content(open_one.stages.get(step=Step.BUSINESS_CASE)) == []
    assert client.login(
        request=HttpRequest(), username="consultee-shropshire", password=DEFAULT_DEMO_PASSWORD
    )
    assert client.get(reverse("proposals:representation", args=[open_one.pk])).status_code == 200
    for proposal in Proposal.objects.exclude(pcc__slug="west-mercia"):
        assert client.get(reverse("proposals:public-record", args=[proposal.pk])).status_code == 404
    for proposal in Proposal.objects.all():
        assert client.get(reverse("proposals:detail", args=[proposal.pk])).status_code == 404
    fire_officer = User.objects.get(username="consultee-shropshire-wrekin-fire")
    assert open_one.representations.get().lodged_by == fire_officer
    assessor = User.objects.get(username="assessor-cipfa")
    assert assessor.assessed_proposals.filter(pk=open_one.pk).exists()
    assert assessor.assessed_proposals.filter(pcc__slug="west-mercia", is_illustrative=False)


def test_every_demo_decision_approved_or_rejected_has_every_limb_found_as_its_ground_needs(seed):
    seed("--proposals", "60")
    completed = Decision.objects.exclude(outcome=Decision.Outcome.DEFERRED)
    assert completed.filter(proposal__is_illustrative=False).count() == 6
    assert completed.filter(proposal__is_illustrative=True).exists()
    for decision in completed.select_related("proposal"):
        assert workflow.decision_missing(decision) == [], decision.proposal.title
    assert Assessment.objects.exists()
    for assessment in Assessment.objects.all():
        assert all(conclusion.is_complete for conclusion in assessment.limbs)


def test_a_reviewer_opening_cambridgeshire_s_decision_sees_the_four_limbs_from_the_record(
    seed, client
):
    seed()
    client.force_login(User.objects.get(username="reviewer"))
    cambridgeshire = Proposal.objects.get(pcc__slug="cambridgeshire")
    page = client.get(reverse("proposals:stage", args=[cambridgeshire.pk, "decision"]))
    text = page.content.decode()
    for limb in Limb:
        assert f'<th scope="row" class="govuk-table__header">{limb.label}</th>' in text
    for words in (
        "In the interests of economy",
        "In the interests of efficiency",
        "In the interests of effectiveness",
        "No adverse effect on public safety",
    ):
        assert words in text
    # The court's holdings carry their source; the wording of each finding says it is made up.
    assert text.count("[2019] EWHC 1967 (Admin)") >= 4
    assert text.count("Illustrative wording.") == 4
    assert "Economy, efficiency and effectiveness" in text


def test_each_historical_proposal_is_on_its_real_models_route_with_the_source_beside_it(seed):
    seed()
    assert set(PROPOSED_MODELS) == {history.pcc for history in HISTORY}
    for history in HISTORY:
        proposal = Proposal.objects.get(pcc__slug=history.pcc, is_illustrative=False)
        fact = PROPOSED_MODELS[history.pcc]
        assert fact.source, history.pcc
        assert proposal.governance_model == fact.model
        steps = tuple(proposal.stages.order_by("step").values_list("step", flat=True))
        assert steps == workflow.route(fact.model), history.pcc


def test_the_demo_overview_shows_the_shorter_representation_and_longer_single_employer_routes(
    seed, client
):
    seed("--proposals", "18")
    client.force_login(User.objects.get(username="reviewer"))
    page = client.get(reverse("proposals:overview")).content.decode()
    assert "Representation (illustrative)" in page
    assert "Single employer (illustrative)" in page
    assert ">Not applicable</span>" in page


def test_the_demo_register_holds_the_agreements_the_sources_name_with_their_sources(seed, client):
    seed()
    seed()  # idempotent
    herts = CollaborationAgreement.objects.get(pcc__slug="hertfordshire")
    assert herts.title == "Memorandum of understanding on emergency services collaboration"
    assert herts.source_url.startswith("https://www.lgcplus.com/")
    assert herts.review_on == timezone.localdate() + timedelta(days=7)
    sussex = CollaborationAgreement.objects.filter(pcc__slug="sussex")
    assert sussex.get(status="proposed").notified_on == date(2017, 7, 14)
    made_up = CollaborationAgreement.objects.filter(is_illustrative=True)
    assert made_up.count() == 7
    assert all("Illustrative" in agreement.summary for agreement in made_up)
    client.force_login(User.objects.get(username="staff-hertfordshire"))
    page = client.get(reverse("proposals:collaboration")).content.decode()
    assert "Memorandum of understanding on emergency services collaboration" in page
    assert "(illustrative)" not in page  # another area's made-up entries are not shown


def test_the_demo_register_reminds_hertfordshire_of_its_review_a_week_ahead(seed):
    seed()
    result = reminders_scan(today=timezone.localdate(), dry_run=True)
    reviewed = {
        User.objects.get(pk=reminder.recipient_id).username
        for reminder in result.due
        if reminder.agreement_id is not None
    }
    assert {"staff-hertfordshire", "signatory-hertfordshire"} <= reviewed


def test_essex_implementation_checklist_comes_from_the_public_record_with_sources(seed):
    from proposals.models import ChecklistItem, ChecklistItemKind

    seed("--proposals", "40")
    essex = Proposal.objects.get(pcc__slug="essex", is_illustrative=False)
    items = {item.kind: item for item in essex.checklist_items.all()}
    assert set(items) == set(ChecklistItemKind.values)
    assert all(item.is_done and item.source_url for item in items.values())
    assert items[ChecklistItemKind.CHIEF_FIRE_OFFICER].done_on == date(2018, 1, 22)
    assert items[ChecklistItemKind.FIRE_PLAN].done_on == date(2019, 3, 1)
    assert items[ChecklistItemKind.TRANSFER_SCHEMES].source_url.endswith("/uksi/2017/864")
    # Where the record gives no date, the date shown says it is illustrative.
    for item in items.values():
        assert item.is_illustrative == ("illustrative" in item.note)
    # Every other transferred proposal's checklist is illustrative, and says so.
    others = ChecklistItem.objects.exclude(proposal=essex)
    assert others.exists()
    assert not others.filter(is_illustrative=False).exists()
    transferred = Proposal.objects.filter(
        status=ProposalStatus.TRANSFERRED, governance_model__in=workflow.CHECKLIST_MODELS
    )
    assert transferred.filter(is_illustrative=True).exists()
    assert set(transferred.values_list("pk", flat=True)) == set(
        ChecklistItem.objects.values_list("proposal_id", flat=True)
    )
