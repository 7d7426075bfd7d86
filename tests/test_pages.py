"""The overview and PCC pages show real data, and their query counts do not grow with it."""

from io import StringIO

import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext

from proposals.models import CollaborationDuty, Stage, StageStatus, Step

from .factories import ProposalFactory

pytestmark = pytest.mark.django_db


def test_overview_lists_all_nine_pccs_with_each_proposals_model_and_stage(
    client_for, reviewer, essex
):
    ProposalFactory(pcc=essex, title="Essex governance case", governance_model="governance")
    page = client_for(reviewer).get("/overview/").content.decode()
    for name in [
        "Cambridgeshire",
        "Essex",
        "Gloucestershire",
        "Hertfordshire",
        "North Yorkshire",
        "Northamptonshire",
        "Staffordshire",
        "Sussex",
        "West Mercia",
    ]:
        assert f">{name}</a>" in page
    assert "Essex governance case" in page
    assert "Business case" in page
    assert "In progress" in page


def test_pcc_page_shows_its_bodies_and_proposals(client_for, essex_staff, essex):
    proposal = ProposalFactory(pcc=essex, title="Essex governance case")
    consultation = proposal.stages.get(step=Step.BUSINESS_CASE)
    consultation.due_date = "2026-12-01"
    consultation.save()
    page = client_for(essex_staff).get("/pccs/essex/").content.decode()
    assert "Essex Fire Authority" in page
    assert "Thurrock Council" in page
    assert "East of England Ambulance Service NHS Trust" in page
    assert "Essex governance case" in page
    assert "Due 1 December 2026" in page


def test_pcc_people_see_only_their_own_pcc_in_the_header(client_for, essex_staff):
    page = client_for(essex_staff).get("/pccs/essex/").content.decode()
    assert 'href="/pccs/essex/"' in page
    assert 'href="/overview/"' not in page


def test_closed_stages_are_passed_over_for_the_current_stage(client_for, reviewer, essex):
    proposal = ProposalFactory(pcc=essex, title="Further along")
    Stage.objects.filter(proposal=proposal, step=Step.BUSINESS_CASE).update(
        status=StageStatus.APPROVED
    )
    Stage.objects.filter(proposal=proposal, step=Step.CONSULTATION).update(
        status=StageStatus.SUBMITTED
    )
    page = client_for(reviewer).get("/pccs/essex/").content.decode()
    assert "Consultation" in page
    assert "Submitted" in page


def count_queries(client, path):
    with CaptureQueriesContext(connection) as context:
        assert client.get(path).status_code == 200
    return len(context)


@pytest.mark.parametrize("path", ["/overview/", "/pccs/essex/"])
def test_query_count_does_not_grow_with_the_number_of_proposals(
    client_for, reviewer, essex, sussex, path
):
    client = client_for(reviewer)
    for pcc in (essex, sussex):
        ProposalFactory.create_batch(3, pcc=pcc)
    few = count_queries(client, path)
    for pcc in (essex, sussex):
        ProposalFactory.create_batch(40, pcc=pcc)
    many = count_queries(client, path)
    assert many == few


DASHBOARDS = [
    "/overview/",
    "/pccs/essex/",
    "/funding/",
    "/duties/",
    "/duties/{duty}/",
    "/review/",
    "/collaboration/",
]
# The PCC page reads its title history (the PFCC title from the order's in-force date) too.
MAX_DASHBOARD_QUERIES = 18


@pytest.fixture
def seeded(settings):
    """Demo data with `n` illustrative proposals, made the fast way seed_demo does."""
    settings.DEBUG = True
    settings.DEMO_PASSWORD = ""

    def make(n):
        call_command("seed_demo", "--proposals", str(n), stdout=StringIO())

    return make


@pytest.mark.parametrize("path", DASHBOARDS)
@pytest.mark.parametrize("proposals", [10, 1000])
def test_dashboards_run_the_same_bounded_queries_at_any_size(
    client_for, reviewer, seeded, django_assert_max_num_queries, path, proposals
):
    seeded(proposals)
    client = client_for(reviewer)
    path = path.format(duty=CollaborationDuty.objects.get(provision="PCA 2017 s.2(1)").pk)
    with django_assert_max_num_queries(MAX_DASHBOARD_QUERIES):
        assert client.get(path).status_code == 200


def test_long_pcc_lists_are_paginated(client_for, reviewer, essex):
    ProposalFactory.create_batch(30, pcc=essex)
    client = client_for(reviewer)
    first = client.get("/pccs/essex/").content.decode()
    second = client.get("/pccs/essex/?page=2").content.decode()
    assert 'aria-label="Pagination"' in first
    assert first.count('<tr class="govuk-table__row">') - 1 == 25
    assert second.count('<tr class="govuk-table__row">') - 1 == 5


def test_every_page_has_the_govuk_frame(client_for, reviewer):
    page = client_for(reviewer).get("/overview/").content.decode()
    assert 'class="govuk-skip-link"' in page
    assert "Fire governance proposals" in page
    assert "govuk-phase-banner" in page
    assert 'href="/accessibility/"' in page
    assert "govuk-frontend/govuk-frontend.min.css" in page
