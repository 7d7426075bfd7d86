"""A stage with the Home Office is locked, and says so; a returned stage keeps the reviewer's
reasons in view until it is submitted again."""

import pytest
from django.urls import reverse

from proposals import workflow
from proposals.models import StageStatus, Step
from proposals.services.workflow import stage_transition

from .factories import complete_business_case, stage_of

pytestmark = pytest.mark.django_db

REASONS = "Cost the options, including no change."


def act(proposal, action, by, **kwargs):
    stage_transition(stage=stage_of(proposal, Step.BUSINESS_CASE), action=action, by=by, **kwargs)


@pytest.fixture
def submitted(essex_proposal, essex_staff):
    complete_business_case(essex_proposal, essex_staff)
    act(essex_proposal, "submit", essex_staff)
    return essex_proposal


@pytest.fixture
def revised(submitted, essex_staff, reviewer):
    act(submitted, "return_to_pcc", reviewer, reason=REASONS)
    act(submitted, "revise", essex_staff)
    return submitted


def url(name, proposal, *args):
    return reverse(f"proposals:{name}", args=[proposal.pk, *args])


# --- Return reasons stay until resubmission ---------------------------------------------------


@pytest.mark.parametrize(
    "page",
    [
        ("stage", "business-case"),
        ("business-case",),
        ("check-answers",),
        ("section", "economy"),
        ("duties",),
    ],
    ids=lambda page: " ".join(page),
)
def test_after_revise_the_reviewers_reasons_stay_on_the_stage_and_its_sections(
    client_for, essex_staff, revised, page
):
    assert stage_of(revised, Step.BUSINESS_CASE).status == StageStatus.IN_PROGRESS

    response = client_for(essex_staff).get(url(page[0], revised, *page[1:]))

    assert response.status_code == 200
    content = response.content.decode()
    assert "Returned by the Home Office" in content
    assert REASONS in content


def test_the_reasons_go_once_the_stage_is_submitted_again(client_for, essex_staff, revised):
    act(revised, "submit", essex_staff)

    content = client_for(essex_staff).get(url("stage", revised, "business-case")).content.decode()

    assert REASONS not in content


# --- A submitted stage is locked, and says why ------------------------------------------------


@pytest.mark.parametrize(
    ("page", "back_to"),
    [
        (("section", "economy"), ("business-case",)),
        (("duties",), ("business-case",)),
        (("document-upload", "business-case"), ("stage", "business-case")),
    ],
    ids=["a section", "the duties", "a document upload"],
)
def test_a_submitted_stages_pages_say_it_is_with_the_home_office(
    client_for, essex_staff, submitted, page, back_to
):
    response = client_for(essex_staff).get(url(page[0], submitted, *page[1:]), follow=True)

    assert response.redirect_chain == [(url(back_to[0], submitted, *back_to[1:]), 302)]
    content = response.content.decode()
    assert workflow.STAGE_LOCKED[StageStatus.SUBMITTED] in content
    assert "Your role does not give you access to this page" not in content


def test_saving_a_submitted_section_changes_nothing_and_says_why(
    client_for, essex_staff, submitted
):
    revisions = submitted.revisions.count()

    response = client_for(essex_staff).post(
        url("section", submitted, "economy"),
        {"text": "A late change", "base_revision": revisions},
        follow=True,
    )

    assert workflow.STAGE_LOCKED[StageStatus.SUBMITTED] in response.content.decode()
    assert submitted.revisions.count() == revisions


def test_a_reviewer_is_still_refused_a_pccs_section(client_for, reviewer, submitted):
    assert client_for(reviewer).get(url("section", submitted, "economy")).status_code == 403


def test_another_pccs_submitted_section_is_still_not_found(client_for, sussex_staff, submitted):
    assert client_for(sussex_staff).get(url("section", submitted, "economy")).status_code == 404
