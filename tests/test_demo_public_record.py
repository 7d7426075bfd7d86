"""The demo's nine proposals agree with the public record (shared/domain/FACTS.md and the
sources beside each fact), and obey the workflow's own rules."""

import itertools
from datetime import date
from io import StringIO

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from portal.models import User
from proposals import workflow
from proposals.demo_history import HISTORY, THREE_MORE_PCCS
from proposals.models import (
    PCC_TITLE,
    PFCC_TITLE,
    CouncilPosition,
    DocumentKind,
    Pcc,
    Proposal,
    ProposalStatus,
    StageStatus,
    Step,
)

pytestmark = pytest.mark.django_db

OBJECTS = CouncilPosition.Position.OBJECTS


@pytest.fixture
def demo(settings):
    settings.DEBUG = True
    settings.DEMO_PASSWORD = ""
    call_command("seed_demo", stdout=StringIO())


def historical(slug: str) -> Proposal:
    return Proposal.objects.get(pcc__slug=slug, is_illustrative=False)


def stage(proposal: Proposal, step: Step):
    return proposal.stages.get(step=step)


def positions(proposal: Proposal) -> dict:
    return {p.local_authority.name: p for p in proposal.council_positions.all()}


def test_staffordshire_councils_objected_as_gov_uk_says_so_cipfa_assessed_it(demo):
    staffordshire = historical("staffordshire")
    stated = positions(staffordshire)
    assert set(stated) == {"Staffordshire County Council", "Stoke-on-Trent City Council"}
    assert {p.position for p in stated.values()} == {OBJECTS}
    assert {p.source_url for p in stated.values()} == {THREE_MORE_PCCS}
    assessment = stage(staffordshire, Step.INDEPENDENT_ASSESSMENT)
    assert assessment.status == StageStatus.APPROVED
    assert staffordshire.assessment.assessor.startswith("CIPFA")
    assert staffordshire.assessment.commissioned_on == date(2017, 11, 1)


def test_west_mercia_has_all_four_councils_positions_with_sources(demo):
    west_mercia = historical("west-mercia")
    stated = positions(west_mercia)
    assert set(stated) == {
        "Herefordshire Council",
        "Shropshire Council",
        "Telford & Wrekin Council",
        "Worcestershire County Council",
    }
    assert all(p.position == OBJECTS and p.source_url for p in stated.values())
    assert "unanimously" in stated["Worcestershire County Council"].evidence
    assert "not found" in stated["Shropshire Council"].evidence
    consultation = stage(west_mercia, Step.CONSULTATION)
    assert not [m for m in workflow.missing_content(consultation) if "position of" in m]


def test_west_mercia_no_longer_dates_cipfas_assessment_to_the_month_it_was_commissioned(demo):
    west_mercia = historical("west-mercia")
    assert "assessment (November 2017)" not in west_mercia.decision.summary
    assert "commissioned November 2017" in west_mercia.decision.summary
    assert west_mercia.assessment.reported_on > date(2017, 11, 30)
    assert west_mercia.assessment.reported_on < west_mercia.decision.decided_on


@pytest.mark.parametrize(
    "slug", ["staffordshire", "north-yorkshire", "cambridgeshire", "west-mercia"]
)
def test_every_approved_assessment_has_cipfas_record_and_document(demo, slug):
    proposal = historical(slug)
    assessment_stage = stage(proposal, Step.INDEPENDENT_ASSESSMENT)
    assert assessment_stage.status == StageStatus.APPROVED
    record = proposal.assessment
    assert record.assessor.startswith("CIPFA")
    assert record.commissioned_on == date(2017, 11, 1)
    assert record.commissioned_on < record.reported_on < proposal.decision.decided_on
    assert record.source_url
    document = assessment_stage.documents.get(kind=DocumentKind.ASSESSMENT)
    assert "stand-in for the published report" in document.original_name
    assert workflow.missing_content(assessment_stage) == []


def test_cambridgeshire_was_assessed_in_december_2017(demo):
    assert historical("cambridgeshire").assessment.reported_on == date(2017, 12, 1)


def test_north_yorkshire_order_has_its_dates_and_the_pfcc_took_office_on_15_november_2018(demo):
    north_yorkshire = historical("north-yorkshire")
    order = north_yorkshire.order
    assert order.si_number == "2018/970"
    assert order.in_force_on == order.transfer_date == date(2018, 11, 15)
    assert order.made_on >= north_yorkshire.decision.decided_on == date(2018, 6, 13)
    assert order.made_on <= order.laid_on <= order.in_force_on
    assert workflow.missing_content(stage(north_yorkshire, Step.ORDER)) == []
    assert "made and laid dates were not found" in north_yorkshire.summary


def test_north_yorkshire_records_the_2024_passing_to_the_mayor_after_transfer(demo, client):
    north_yorkshire = historical("north-yorkshire")
    assert north_yorkshire.status == ProposalStatus.TRANSFERRED
    change = north_yorkshire.governance_changes.get()
    assert change.changed_on == date(2024, 5, 7)
    assert "Mayor of York and North Yorkshire" in change.passed_to
    assert "2023/1432" in change.source_url
    assert north_yorkshire.audit_events.filter(action="proposal.governance_change").exists()
    client.force_login(User.objects.get(username="reviewer"))
    sentence = (
        "Fire governance passed to the Mayor of York and North Yorkshire (York and North "
        "Yorkshire Combined Authority) on 7 May 2024"
    )
    proposal_page = client.get(reverse("proposals:detail", args=[north_yorkshire.pk]))
    assert sentence in proposal_page.content.decode()
    pcc_page = client.get(reverse("proposals:pcc", args=["north-yorkshire"]))
    assert sentence in pcc_page.content.decode()


def test_the_title_follows_the_record_in_north_yorkshire(demo):
    pcc = Pcc.objects.get(slug="north-yorkshire")
    assert pcc.title_on(date(2018, 11, 14)) == PCC_TITLE.format(area="North Yorkshire")
    assert pcc.title_on(date(2018, 11, 15)) == PFCC_TITLE.format(area="North Yorkshire")
    assert pcc.title_on(date(2024, 5, 6)) == PFCC_TITLE.format(area="North Yorkshire")
    assert pcc.title_on(date(2024, 5, 7)) == "Mayor of York and North Yorkshire"


def test_gloucestershire_is_waiting_for_the_assessment_its_county_councils_objection_requires(
    demo,
):
    gloucestershire = historical("gloucestershire")
    assert workflow.council_objects(gloucestershire)
    assert stage(gloucestershire, Step.INDEPENDENT_ASSESSMENT).status == StageStatus.IN_PROGRESS
    assert stage(gloucestershire, Step.DECISION).status == StageStatus.NOT_STARTED
    assert "no decision was possible before the May 2020 elections" in gloucestershire.summary


@pytest.mark.parametrize("history", HISTORY, ids=lambda history: history.pcc)
def test_every_historical_proposal_is_in_a_state_the_workflow_allows(demo, history):
    """A stage opens only once the one before has passed; the assessment is skipped only when
    no council objects, and a council's objection means it was needed."""
    proposal = historical(history.pcc)
    stages = list(proposal.stages.order_by("step"))
    for before, after in itertools.pairwise(stages):
        if after.status != StageStatus.NOT_STARTED:
            assert before.is_passed, (after.get_step_display(), after.status)
    skipped = stages[Step.INDEPENDENT_ASSESSMENT - 1].status == StageStatus.SKIPPED
    assert not (skipped and workflow.council_objects(proposal))


@pytest.mark.parametrize(
    ("slug", "in_force"),
    [
        ("essex", date(2017, 10, 1)),  # S.I. 2017/864
        ("staffordshire", date(2018, 8, 1)),  # S.I. 2018/696
        ("north-yorkshire", date(2018, 11, 15)),  # S.I. 2018/970
        ("northamptonshire", date(2019, 1, 1)),  # S.I. 2018/1072
    ],
)
def test_a_pcc_is_a_pfcc_from_the_day_its_order_came_into_force(demo, slug, in_force):
    pcc = Pcc.objects.get(slug=slug)
    assert pcc.title_on(in_force) == PFCC_TITLE.format(area=pcc.name)
    assert pcc.title_on(date.fromordinal(in_force.toordinal() - 1)) == PCC_TITLE.format(
        area=pcc.name
    )


@pytest.mark.parametrize("slug", ["cambridgeshire", "west-mercia", "gloucestershire", "sussex"])
def test_a_pcc_without_an_order_in_force_keeps_its_title(demo, slug):
    pcc = Pcc.objects.get(slug=slug)
    assert pcc.office_name == PCC_TITLE.format(area=pcc.name)


def test_essex_is_shown_as_a_pfcc_from_1_october_2017(demo, client):
    client.force_login(User.objects.get(username="staff-essex"))
    page = client.get(reverse("proposals:pcc", args=["essex"])).content.decode()
    assert "Police, Fire and Crime Commissioner for Essex" in page
    assert "Police, Fire and Crime Commissioner from 1 October 2017" in page
    essex = historical("essex")
    detail = client.get(reverse("proposals:detail", args=[essex.pk])).content.decode()
    assert "Police, Fire and Crime Commissioner for Essex" in detail


def test_illustrative_proposals_never_change_a_pccs_title(settings):
    settings.DEBUG = True
    settings.DEMO_PASSWORD = ""
    call_command("seed_demo", "--proposals", "60", stdout=StringIO())
    with_real_order = Proposal.objects.filter(is_illustrative=False, order__isnull=False)
    made_up = (
        Pcc.objects.exclude(pk__in=with_real_order.values("pcc_id"))
        .filter(
            proposals__is_illustrative=True,
            proposals__stages__step=Step.ORDER,
            proposals__stages__status=StageStatus.APPROVED,
        )
        .distinct()
    )
    assert made_up.exists()  # an illustrative order is in force for a PCC with no real one
    today = timezone.localdate()
    for pcc in made_up:
        assert pcc.title_on(today) == PCC_TITLE.format(area=pcc.name)
