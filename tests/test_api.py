"""The JSON API (issue 16): what each role reads and may change through it, the same as on the
pages; refusals as problem details; the history naming the API and the token; the events feed."""

import csv
import io
from datetime import timedelta
from decimal import Decimal
from types import SimpleNamespace

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from rest_framework.test import APIClient

from portal.models import Role
from proposals import workflow
from proposals.api.errors import (
    NOT_AUTHENTICATED_DETAIL,
    PROBLEM_CONTENT_TYPE,
    SESSION_NOT_VERIFIED,
    STALE_PROBLEM,
    UNKNOWN_VERSION,
    VALIDATION_PROBLEM,
)
from proposals.api.permissions import API_NOT_FOR_ROLE
from proposals.api.views import CREATE_ONLY_PCC_PEOPLE
from proposals.models import (
    AuditEvent,
    BusinessCaseRevision,
    CollaborationDuty,
    Confidence,
    GovernanceModel,
    MessageDelivery,
    MessageEvent,
    Notification,
    Proposal,
    ProposalStatus,
    Stage,
    StageStatus,
    Step,
)
from proposals.selectors import the_fund
from proposals.services import drafting
from proposals.services.audit import audit_record
from proposals.services.funding import allocation_update
from proposals.services.workflow import stage_transition

from .factories import ProposalFactory, UserFactory, complete_business_case, stage_of

pytestmark = pytest.mark.django_db

API = "/api/v1/"
ESSEX_TOKEN = SimpleNamespace(pk=1, name="Essex tracker")
HOME_OFFICE_TOKEN = SimpleNamespace(pk=2, name="Home Office tracker")
RETURN_REASONS = "The financial case does not cost the shared control room."


def api_for(user, token=ESSEX_TOKEN):
    """An API client calling as `user` with a token named like `token` (None: anonymous)."""
    client = APIClient()
    if user is not None:
        client.force_authenticate(user=user, token=token)
    return client


def problem(response, status: int) -> dict:
    assert response.status_code == status, response.content
    assert response["Content-Type"] == PROBLEM_CONTENT_TYPE
    body = response.json()
    assert body["status"] == status
    assert body["title"]
    assert body["detail"]
    assert body["type"]
    return body


def proposal_url(proposal, tail=""):
    return f"{API}proposals/{proposal.pk}/{tail}"


def stage_url(proposal, step: Step, action: str):
    return proposal_url(proposal, f"stages/{step.slug}/{action}/")


@pytest.fixture
def sussex_proposal(sussex, sussex_staff):
    return ProposalFactory(pcc=sussex, created_by=sussex_staff, title="Sussex proposal")


@pytest.fixture
def everyone(
    essex_staff,
    essex_signatory,
    sussex_staff,
    reviewer,
    funding_admin,
    site_admin,
    essex_consultee,
    assessor,
):
    return {
        "essex_staff": essex_staff,
        "essex_signatory": essex_signatory,
        "sussex_staff": sussex_staff,
        "reviewer": reviewer,
        "funding_admin": funding_admin,
        "site_admin": site_admin,
        "consultee": essex_consultee,
        "assessor": assessor,
    }


# --- Who reads what ---------------------------------------------------------------------------

#: Which proposals each role lists: the Home Office all, PCC people their own PCC's.
LISTS = {
    "essex_staff": {"essex"},
    "essex_signatory": {"essex"},
    "sussex_staff": {"sussex"},
    "reviewer": {"essex", "sussex"},
    "funding_admin": {"essex", "sussex"},
    "site_admin": {"essex", "sussex"},
}


@pytest.mark.parametrize("role", [*LISTS, "consultee", "assessor"])
def test_each_role_lists_the_proposals_and_pccs_its_pages_show(
    everyone, role, essex_proposal, sussex_proposal
):
    essex_proposal.assessors.add(everyone["assessor"])
    client = api_for(everyone[role])
    response = client.get(f"{API}proposals/")
    if role not in LISTS:
        # Consultees and assessors read the public record on the pages, not the API.
        assert problem(response, 403)["detail"] == API_NOT_FOR_ROLE
        problem(client.get(f"{API}pccs/"), 403)
        problem(client.get(f"{API}events/"), 403)
        return
    assert response.status_code == 200
    assert {item["pcc"] for item in response.json()["results"]} == LISTS[role]
    pccs = client.get(f"{API}pccs/").json()["results"]
    assert {pcc["slug"] for pcc in pccs} >= LISTS[role]
    if len(LISTS[role]) == 1:
        assert [pcc["slug"] for pcc in pccs] == list(LISTS[role])


ESSEX_ONLY = ("pccs/essex/", "proposal", "history", "business-case")
READS = ("pccs/", *ESSEX_ONLY, "proposals/", "collaboration-duties/", "duty", "fund/", "events/")


@pytest.mark.parametrize("role", [*LISTS, "consultee", "assessor"])
def test_every_read_answers_each_role_as_its_page_does(everyone, role, essex_proposal):
    essex_proposal.assessors.add(everyone["assessor"])
    client = api_for(everyone[role])
    duty = CollaborationDuty.objects.first()
    urls = {
        "proposal": proposal_url(essex_proposal),
        "history": proposal_url(essex_proposal, "history/"),
        "business-case": proposal_url(essex_proposal, "business-case/"),
        "duty": f"{API}collaboration-duties/{duty.pk}/",
    }
    for read in READS:
        response = client.get(urls.get(read, f"{API}{read}"))
        if role in ("consultee", "assessor"):
            expected = 403
        elif role == "sussex_staff" and read in ESSEX_ONLY:
            expected = 404
        else:
            expected = 200
        assert response.status_code == expected, (read, response.content)


def test_anonymous_callers_are_asked_for_credentials(essex_proposal):
    for url in (f"{API}proposals/", proposal_url(essex_proposal), f"{API}fund/", f"{API}events/"):
        response = api_for(None).get(url)
        assert problem(response, 401)["detail"] == NOT_AUTHENTICATED_DETAIL
        assert response["WWW-Authenticate"] == 'Bearer realm="api"'
    problem(api_for(None).post(f"{API}proposals/", {}, format="json"), 401)


def test_another_pccs_objects_answer_404_to_every_endpoint(sussex_staff, essex_proposal):
    client = api_for(sussex_staff)
    for url in (
        proposal_url(essex_proposal),
        proposal_url(essex_proposal, "history/"),
        proposal_url(essex_proposal, "business-case/"),
        f"{API}pccs/essex/",
    ):
        problem(client.get(url), 404)
    problem(
        client.put(
            proposal_url(essex_proposal, "business-case/sections/economy/"),
            {"text": "Ours now", "version": 0},
            format="json",
        ),
        404,
    )
    problem(client.post(stage_url(essex_proposal, Step.BUSINESS_CASE, "submit")), 404)
    assert not BusinessCaseRevision.objects.exists()


def test_a_proposal_has_its_stages_statuses_and_due_dates(reviewer, essex_proposal):
    stage = stage_of(essex_proposal, Step.BUSINESS_CASE)
    Stage.objects.filter(pk=stage.pk).update(due_date=timezone.localdate() - timedelta(days=2))
    body = api_for(reviewer).get(proposal_url(essex_proposal)).json()
    assert body["pcc"] == "essex"
    assert body["status"] == "active"
    assert body["current_stage"] == "business-case"
    first = body["stages"][0]
    assert first["step"] == "business-case"
    assert first["status"] == "in_progress"
    assert first["due_date"] == (timezone.localdate() - timedelta(days=2)).isoformat()
    assert first["is_overdue"] is True
    assert [stage["step"] for stage in body["stages"]] == [
        Step(step).slug for step in workflow.route("governance")
    ]


def test_the_overview_filters_select_the_same_proposals(reviewer, essex_proposal, sussex):
    suspended = ProposalFactory(pcc=sussex, governance_model="single_employer")
    Proposal.objects.filter(pk=suspended.pk).update(status=ProposalStatus.SUSPENDED)
    Stage.objects.filter(proposal=essex_proposal, step=Step.BUSINESS_CASE).update(
        due_date=timezone.localdate() - timedelta(days=1)
    )
    client = api_for(reviewer)

    def ids(query):
        return [item["id"] for item in client.get(f"{API}proposals/?{query}").json()["results"]]

    assert ids("status=suspended") == [suspended.pk]
    assert ids("governance_model=governance") == [essex_proposal.pk]
    assert ids("overdue=true") == [essex_proposal.pk]
    body = problem(client.get(f"{API}proposals/?status=sleeping"), 400)
    assert body["type"] == VALIDATION_PROBLEM
    assert "sleeping" in body["errors"]["status"][0]


def test_lists_come_in_pages(reviewer, essex):
    for _ in range(3):
        ProposalFactory(pcc=essex)
    first = api_for(reviewer).get(f"{API}proposals/?page_size=2").json()
    assert first["count"] == 3
    assert len(first["results"]) == 2
    second = api_for(reviewer).get(first["next"]).json()
    assert len(second["results"]) == 1
    problem(api_for(reviewer).get(f"{API}proposals/?page=9"), 404)


@pytest.mark.parametrize("status", ProposalStatus.values)
def test_every_proposal_status_reads_with_its_label(reviewer, essex_proposal, status):
    Proposal.objects.filter(pk=essex_proposal.pk).update(status=status)
    body = api_for(reviewer).get(proposal_url(essex_proposal)).json()
    assert (body["status"], body["status_label"]) == (status, ProposalStatus(status).label)


@pytest.mark.parametrize("status", StageStatus.values)
def test_every_stage_status_reads_with_its_label(reviewer, essex_proposal, status):
    # The database allows "rejected" only on the decision stage, "skipped" on the assessment.
    step = {
        StageStatus.REJECTED: Step.DECISION,
        StageStatus.SKIPPED: Step.INDEPENDENT_ASSESSMENT,
    }.get(status, Step.BUSINESS_CASE)
    Stage.objects.filter(proposal=essex_proposal, step=step).update(
        status=status, skip_reason="No council objected" if status == StageStatus.SKIPPED else ""
    )
    stages = api_for(reviewer).get(proposal_url(essex_proposal)).json()["stages"]
    shown = {stage["step"]: (stage["status"], stage["status_label"]) for stage in stages}
    assert shown[Step(step).slug] == (status, StageStatus(status).label)


@pytest.mark.parametrize("model", GovernanceModel.values)
def test_every_governance_model_reads_with_its_label(reviewer, essex, model):
    proposal = ProposalFactory(pcc=essex, governance_model=model)
    body = api_for(reviewer).get(proposal_url(proposal)).json()
    assert (body["governance_model"], body["governance_model_label"]) == (
        model,
        GovernanceModel(model).label,
    )
    assert [stage["step"] for stage in body["stages"]] == [
        Step(step).slug for step in workflow.route(model)
    ]


@pytest.mark.parametrize(
    ("field", "choices"),
    [("kind", CollaborationDuty.Kind), ("confidence", Confidence)],
)
def test_every_duty_kind_and_confidence_reads_with_its_label(essex_staff, field, choices):
    duty = CollaborationDuty.objects.order_by("position").first()
    for value in choices.values:
        CollaborationDuty.objects.filter(pk=duty.pk).update(**{field: value})
        body = api_for(essex_staff).get(f"{API}collaboration-duties/{duty.pk}/").json()
        assert (body[field], body[f"{field}_label"]) == (value, choices(value).label)


def test_an_unknown_address_under_the_api_is_a_problem_not_a_page(reviewer):
    problem(api_for(reviewer).get(f"{API}no-such-thing/"), 404)


# --- Writes -----------------------------------------------------------------------------------


def test_pcc_staff_create_a_proposal_recorded_as_made_through_their_token(essex_staff, essex):
    authority = essex.fire_authorities.first()
    response = api_for(essex_staff).post(
        f"{API}proposals/",
        {
            "title": "Essex PFCC",
            "governance_model": "governance",
            "fire_authorities": [authority.pk],
        },
        format="json",
    )
    assert response.status_code == 201, response.content
    proposal = Proposal.objects.get(pk=response.json()["id"])
    assert proposal.pcc == essex
    assert response.json()["stages"][0]["status"] == "in_progress"
    event = AuditEvent.objects.get(action="proposal.created", proposal=proposal)
    assert (event.actor, event.via) == (essex_staff, "API token “Essex tracker”")


def test_a_proposal_covering_another_pccs_fire_authority_is_refused_by_the_field(
    essex_staff, sussex
):
    response = api_for(essex_staff).post(
        f"{API}proposals/",
        {
            "title": "Not ours",
            "governance_model": "governance",
            "fire_authorities": [sussex.fire_authorities.first().pk],
        },
        format="json",
    )
    body = problem(response, 400)
    assert body["errors"]["fire_authorities"]
    assert not Proposal.objects.filter(title="Not ours").exists()


def test_bad_input_is_answered_per_field(essex_staff):
    body = problem(
        api_for(essex_staff).post(
            f"{API}proposals/", {"title": "", "governance_model": "monarchy"}, format="json"
        ),
        400,
    )
    assert set(body["errors"]) == {"title", "governance_model", "fire_authorities"}


@pytest.mark.parametrize("role", ["reviewer", "funding_admin", "site_admin"])
def test_the_home_office_cannot_create_proposals(everyone, essex, role):
    response = api_for(everyone[role]).post(
        f"{API}proposals/",
        {"title": "HO", "governance_model": "governance", "fire_authorities": []},
        format="json",
    )
    assert problem(response, 403)["detail"] == CREATE_ONLY_PCC_PEOPLE


def section_url(proposal, section="economy"):
    return proposal_url(proposal, f"business-case/sections/{section}/")


def test_saving_a_section_makes_a_revision_recorded_with_the_token(essex_staff, essex_proposal):
    client = api_for(essex_staff)
    assert client.get(proposal_url(essex_proposal, "business-case/")).json()["version"] == 0
    response = client.put(
        section_url(essex_proposal), {"text": "Shared estates.", "version": 0}, format="json"
    )
    assert response.status_code == 200, response.content
    assert response.json() == {
        "version": 1,
        "section": "economy",
        "label": "Economy",
        "text": "Shared estates.",
        "saved": True,
    }
    case = client.get(proposal_url(essex_proposal, "business-case/")).json()
    assert case["version"] == 1
    assert case["sections"][0] == {
        "section": "economy",
        "label": "Economy",
        "text": "Shared estates.",
    }
    event = AuditEvent.objects.get(action="business_case.saved")
    assert event.via == "API token “Essex tracker”"


def test_a_stale_version_is_refused_and_says_what_to_do(
    essex_staff, essex_signatory, essex_proposal
):
    api_for(essex_signatory).put(
        section_url(essex_proposal), {"text": "The signatory's words.", "version": 0}, format="json"
    )
    response = api_for(essex_staff).put(
        section_url(essex_proposal), {"text": "Mine, from before.", "version": 0}, format="json"
    )
    body = problem(response, 409)
    assert body["type"] == STALE_PROBLEM
    assert body["current_version"] == 1
    assert "send it with version 1" in body["detail"]
    assert BusinessCaseRevision.objects.get().economy == "The signatory's words."


def test_a_version_that_never_was_is_bad_input_not_a_stale_edit(essex_staff, essex_proposal):
    client = api_for(essex_staff)
    client.put(section_url(essex_proposal), {"text": "First.", "version": 0}, format="json")
    response = client.put(
        section_url(essex_proposal), {"text": "Later.", "version": 99}, format="json"
    )
    body = problem(response, 400)
    assert body["errors"]["version"] == [UNKNOWN_VERSION.format(sent=99, current=1)]
    assert BusinessCaseRevision.objects.get().economy == "First."


def test_saving_the_same_text_again_saves_nothing(essex_staff, essex_proposal):
    client = api_for(essex_staff)
    client.put(section_url(essex_proposal), {"text": "Same.", "version": 0}, format="json")
    again = client.put(section_url(essex_proposal), {"text": "Same.", "version": 1}, format="json")
    assert again.json()["saved"] is False
    assert BusinessCaseRevision.objects.count() == 1


@pytest.mark.parametrize("role", ["reviewer", "funding_admin", "site_admin"])
def test_the_home_office_cannot_edit_a_draft(everyone, essex_proposal, role):
    response = api_for(everyone[role]).put(
        section_url(essex_proposal), {"text": "Edited by HO", "version": 0}, format="json"
    )
    assert problem(response, 403)["detail"] == workflow.ONLY_PCC_PEOPLE
    assert not BusinessCaseRevision.objects.exists()


def test_a_section_the_model_does_not_have_is_not_found(essex_staff, essex_proposal):
    problem(
        api_for(essex_staff).put(
            section_url(essex_proposal, "nonsense"), {"text": "x", "version": 0}, format="json"
        ),
        404,
    )


def test_a_section_save_without_its_version_is_refused_by_the_field(essex_staff, essex_proposal):
    body = problem(
        api_for(essex_staff).put(section_url(essex_proposal), {"text": "x"}, format="json"), 400
    )
    assert list(body["errors"]) == ["version"]


def test_a_locked_stage_refuses_edits_with_the_pages_reason(essex_staff, reviewer, essex_proposal):
    complete_business_case(essex_proposal, essex_staff)
    stage_transition(
        stage=stage_of(essex_proposal, Step.BUSINESS_CASE), action="submit", by=essex_staff
    )
    version = BusinessCaseRevision.objects.filter(proposal=essex_proposal).count()
    body = problem(
        api_for(essex_staff).put(
            section_url(essex_proposal), {"text": "Late change", "version": version}, format="json"
        ),
        409,
    )
    assert body["reasons"] == [workflow.STAGE_LOCKED[StageStatus.SUBMITTED]]


def told(event) -> list[str]:
    return sorted(
        MessageDelivery.objects.filter(event=event).values_list("recipient__username", flat=True)
    )


def test_submitting_through_the_api_tells_the_same_people_as_the_page(
    essex_staff, reviewer, essex_proposal
):
    other_reviewer = UserFactory(role=Role.REVIEWER)
    complete_business_case(essex_proposal, essex_staff)
    response = api_for(essex_staff).post(stage_url(essex_proposal, Step.BUSINESS_CASE, "submit"))
    assert response.status_code == 200, response.content
    assert response.json()["stage"]["status"] == "submitted"
    assert response.json()["told"] == "The Home Office has been told."
    assert told(MessageEvent.STAGE_SUBMITTED) == sorted(
        [reviewer.username, other_reviewer.username]
    )
    notification = Notification.objects.get(user=reviewer)
    assert notification.title == (
        f"Submitted for review: the business case stage of {essex_proposal.title}"
    )
    assert Notification.objects.filter(user__role__in=["pcc_staff", "pcc_signatory"]).count() == 0
    event = AuditEvent.objects.get(action="stage.submit")
    assert (event.actor, event.via) == (essex_staff, "API token “Essex tracker”")


def test_a_submission_missing_content_is_refused_with_what_is_missing(essex_staff, essex_proposal):
    body = problem(
        api_for(essex_staff).post(stage_url(essex_proposal, Step.BUSINESS_CASE, "submit")), 409
    )
    assert body["reasons"][0].startswith("Before this stage can move on, add:")
    assert stage_of(essex_proposal, Step.BUSINESS_CASE).status == StageStatus.IN_PROGRESS


@pytest.fixture
def submitted(essex_staff, essex_proposal):
    complete_business_case(essex_proposal, essex_staff)
    return stage_transition(
        stage=stage_of(essex_proposal, Step.BUSINESS_CASE), action="submit", by=essex_staff
    )


def test_a_reviewer_approves_through_the_api_and_the_next_stage_opens(
    reviewer, essex_proposal, submitted
):
    response = api_for(reviewer, HOME_OFFICE_TOKEN).post(
        stage_url(essex_proposal, Step.BUSINESS_CASE, "approve")
    )
    assert response.status_code == 200, response.content
    assert response.json()["stage"]["status"] == "approved"
    assert stage_of(essex_proposal, Step.CONSULTATION).status == StageStatus.IN_PROGRESS
    event = AuditEvent.objects.get(action="stage.approve")
    assert event.via == "API token “Home Office tracker”"


def test_a_return_needs_reasons_and_tells_the_pcc(
    reviewer, essex_staff, essex_signatory, essex_proposal, submitted
):
    client = api_for(reviewer, HOME_OFFICE_TOKEN)
    url = stage_url(essex_proposal, Step.BUSINESS_CASE, "return")
    assert problem(client.post(url, {}, format="json"), 400)["errors"] == {
        "reason": ["This field is required."]
    }
    body = problem(client.post(url, {"reason": "   "}, format="json"), 400)
    assert body["errors"]["reason"]
    response = client.post(url, {"reason": RETURN_REASONS}, format="json")
    assert response.status_code == 200, response.content
    assert response.json()["stage"]["return_reasons"] == RETURN_REASONS
    assert told(MessageEvent.STAGE_RETURNED) == sorted(
        [essex_staff.username, essex_signatory.username]
    )


def test_pcc_staff_revise_a_returned_stage_and_submit_it_again(
    reviewer, essex_staff, essex_proposal, submitted
):
    stage_transition(stage=submitted, action="return_to_pcc", by=reviewer, reason=RETURN_REASONS)
    client = api_for(essex_staff)
    problem(api_for(reviewer).post(stage_url(essex_proposal, Step.BUSINESS_CASE, "revise")), 403)
    revised = client.post(stage_url(essex_proposal, Step.BUSINESS_CASE, "revise"))
    assert revised.json()["stage"]["status"] == "in_progress"
    again = client.post(stage_url(essex_proposal, Step.BUSINESS_CASE, "submit"))
    assert again.json()["stage"]["status"] == "submitted"
    assert again.json()["stage"]["return_reasons"] == ""


@pytest.mark.parametrize("role", ["essex_staff", "essex_signatory", "funding_admin", "site_admin"])
def test_only_reviewers_approve_or_return(everyone, essex_proposal, submitted, role):
    client = api_for(everyone[role])
    for action, data in (("approve", None), ("return", {"reason": "No"})):
        response = client.post(stage_url(essex_proposal, Step.BUSINESS_CASE, action), data)
        assert problem(response, 403)["detail"] == workflow.ONLY_REVIEWERS
    assert stage_of(essex_proposal, Step.BUSINESS_CASE).status == StageStatus.SUBMITTED


@pytest.mark.parametrize("role", ["reviewer", "funding_admin"])
def test_the_home_office_cannot_submit_a_pccs_stage(everyone, essex_staff, essex_proposal, role):
    complete_business_case(essex_proposal, essex_staff)
    response = api_for(everyone[role]).post(stage_url(essex_proposal, Step.BUSINESS_CASE, "submit"))
    assert problem(response, 403)["detail"] == workflow.ONLY_PCC_PEOPLE


def test_the_history_page_says_a_change_came_through_the_api(
    client_for, essex_staff, essex_proposal
):
    api_for(essex_staff).put(
        section_url(essex_proposal), {"text": "Shared estates.", "version": 0}, format="json"
    )
    page = client_for(essex_staff).get(reverse("proposals:detail", args=[essex_proposal.pk]))
    assert "through API token “Essex tracker”" in page.content.decode()


def test_the_history_download_says_a_change_came_through_the_api(
    client_for, essex_staff, essex_proposal
):
    api_for(essex_staff).put(
        section_url(essex_proposal), {"text": "Shared estates.", "version": 0}, format="json"
    )
    download = client_for(essex_staff).get(
        reverse("proposals:history-csv", args=[essex_proposal.pk])
    )
    text = b"".join(download.streaming_content).decode("utf-8-sig")
    rows = list(csv.DictReader(io.StringIO(text)))
    assert [row["Through"] for row in rows] == ["API token “Essex tracker”"]


def test_a_request_that_fails_unexpectedly_leaves_no_api_mark_on_later_changes(
    monkeypatch, essex_staff, essex_proposal
):
    def broken(**kwargs):
        raise RuntimeError("the disk is full")

    monkeypatch.setattr(drafting, "business_case_section_save", broken)
    with pytest.raises(RuntimeError):
        api_for(essex_staff).put(
            section_url(essex_proposal), {"text": "x", "version": 0}, format="json"
        )
    # The same thread then saves through a page's service: no API named.
    monkeypatch.undo()
    drafting.business_case_section_save(
        proposal=essex_proposal,
        section="economy",
        text="On the page",
        base_revision=0,
        by=essex_staff,
    )
    assert AuditEvent.objects.get(action="business_case.saved").via == ""


def test_the_history_reads_in_words_newest_first(essex_staff, essex_proposal):
    client = api_for(essex_staff)
    client.put(section_url(essex_proposal), {"text": "One.", "version": 0}, format="json")
    history = client.get(proposal_url(essex_proposal, "history/")).json()["results"]
    assert [event["title"] for event in history] == ["Business case: Economy saved"]
    assert history[0]["actor"] == essex_staff.get_full_name()
    assert history[0]["via"] == "API token “Essex tracker”"


# --- Money, read-only -------------------------------------------------------------------------


@pytest.fixture
def allocations(essex, sussex, funding_admin):
    fund = the_fund()
    for pcc, amount in ((essex, "100000.00"), (sussex, "125000.00")):
        allocation_update(
            fund=fund,
            pcc=pcc,
            amount=Decimal(amount),
            reason="Agreed",
            version="",
            by=funding_admin,
        )


def test_the_fund_reads_as_pounds_and_pence(reviewer, allocations):
    body = api_for(reviewer).get(f"{API}fund/").json()
    assert body["total"] == "1000000.00"
    rows = {row["pcc"]: row for row in body["allocations"]}
    assert rows["sussex"]["allocated"] == "125000.00"
    assert rows["sussex"]["remaining"] == "125000.00"
    assert body["allocated"] == "225000.00"


def test_pcc_people_see_only_their_own_allocation(essex_staff, allocations):
    rows = api_for(essex_staff).get(f"{API}fund/").json()["allocations"]
    assert [row["pcc"] for row in rows] == ["essex"]


@pytest.mark.parametrize("method", ["post", "put", "patch", "delete"])
def test_funding_is_read_only_through_the_api_even_for_funding_admins(funding_admin, method):
    response = getattr(api_for(funding_admin), method)(f"{API}fund/", {}, format="json")
    problem(response, 405)


# --- Sessions ---------------------------------------------------------------------------------


def test_a_session_write_without_the_csrf_token_is_refused(essex_staff, essex_proposal):
    client = APIClient(enforce_csrf_checks=True)
    client.force_login(essex_staff)
    assert client.get(f"{API}proposals/").status_code == 200
    body = problem(
        client.put(section_url(essex_proposal), {"text": "x", "version": 0}, format="json"), 403
    )
    assert "CSRF" in body["detail"]
    assert not BusinessCaseRevision.objects.exists()


def test_a_session_write_is_recorded_as_from_a_signed_in_browser(essex_staff, essex_proposal):
    client = APIClient()
    client.force_login(essex_staff)
    client.put(
        section_url(essex_proposal), {"text": "From the docs page", "version": 0}, format="json"
    )
    assert AuditEvent.objects.get(action="business_case.saved").via == "API (signed-in browser)"


def test_a_session_that_has_not_passed_its_code_gets_json_not_a_page(settings, reviewer):
    settings.OTP_REQUIRED = True
    client = APIClient()
    client.force_login(reviewer)
    for url in (f"{API}proposals/", "/api/schema/"):
        assert problem(client.get(url), 403)["detail"] == SESSION_NOT_VERIFIED


# --- Rate limits ------------------------------------------------------------------------------


def test_each_token_has_its_own_rate_limit(redis_cache, settings, reviewer):
    settings.API_RATE_LIMIT = "3/min"
    client = api_for(reviewer, HOME_OFFICE_TOKEN)
    for _ in range(3):
        assert client.get(f"{API}pccs/").status_code == 200
    body = problem(client.get(f"{API}pccs/"), 429)
    assert int(client.get(f"{API}pccs/")["Retry-After"]) > 0
    assert "wait" in body["detail"]
    # Another token of the same person is not held up by the first.
    other = api_for(reviewer, SimpleNamespace(pk=99, name="Another"))
    assert other.get(f"{API}pccs/").status_code == 200


# --- The events feed --------------------------------------------------------------------------


def test_the_events_feed_is_oldest_first_and_its_cursor_follows_new_events(
    essex_staff, essex_proposal
):
    client = api_for(essex_staff)
    for number in range(3):
        client.put(
            section_url(essex_proposal),
            {"text": f"Text {number}", "version": number},
            format="json",
        )
    first = client.get(f"{API}events/?page_size=2").json()
    second = client.get(first["next"]).json()
    events = first["results"] + second["results"]
    assert [event["after"]["text"] for event in events] == ["Text 0", "Text 1", "Text 2"]
    # At the end, `next` is where to ask again: later events, and only those, come from it.
    assert client.get(second["next"]).json()["results"] == []
    client.put(section_url(essex_proposal), {"text": "Text 3", "version": 3}, format="json")
    later = client.get(second["next"]).json()
    assert [event["after"]["text"] for event in later["results"]] == ["Text 3"]


def test_events_at_the_same_moment_are_neither_skipped_nor_repeated(reviewer, essex_proposal):
    moment = timezone.now() - timedelta(days=1)
    for number in range(5):
        audit_record(
            actor=reviewer,
            action="proposal.legal_challenge",
            target=essex_proposal,
            proposal=essex_proposal,
            after={"n": number},
            created_at=moment,
        )
    client = api_for(reviewer)
    page = client.get(f"{API}events/?page_size=2").json()
    seen = [event["after"]["n"] for event in page["results"]]
    while page["results"]:
        page = client.get(page["next"]).json()
        seen += [event["after"]["n"] for event in page["results"]]
    assert seen == [0, 1, 2, 3, 4]


def test_a_broken_cursor_is_a_problem(reviewer):
    problem(api_for(reviewer).get(f"{API}events/?cursor=not-a-cursor"), 404)


def test_pcc_people_never_see_another_pccs_or_home_office_only_events(
    essex_staff, reviewer, essex_proposal, sussex_proposal, allocations
):
    for proposal, home_office_only in ((essex_proposal, True), (essex_proposal, False)):
        audit_record(
            actor=reviewer,
            action="comment.added",
            target=proposal,
            proposal=proposal,
            after={"home_office_only": home_office_only},
            home_office_only=home_office_only,
        )
    audit_record(
        actor=reviewer, action="comment.added", target=sussex_proposal, proposal=sussex_proposal
    )

    def feed(user):
        return api_for(user).get(f"{API}events/?page_size=500").json()["results"]

    staff_sees = feed(essex_staff)
    assert {event["proposal"] for event in staff_sees if event["proposal"]} == {essex_proposal.pk}
    assert all(event["after"].get("home_office_only") is not True for event in staff_sees)
    # Money: their own PCC's allocation history, as on their funding page.
    money = [event for event in staff_sees if event["object_type"] == "proposals.allocation"]
    assert len(money) == 1
    assert "Essex" in money[0]["object_repr"]
    reviewer_sees = feed(reviewer)
    assert {event["proposal"] for event in reviewer_sees if event["proposal"]} == {
        essex_proposal.pk,
        sussex_proposal.pk,
    }
    assert any(event["after"].get("home_office_only") is True for event in reviewer_sees)
    assert len([e for e in reviewer_sees if e["object_type"] == "proposals.allocation"]) == 2


# --- Speed ------------------------------------------------------------------------------------


def queries_for(client, url) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


@pytest.mark.parametrize(
    "url", ["proposals/", "pccs/", "events/", "collaboration-duties/", "fund/", "history"]
)
def test_each_list_runs_the_same_queries_however_much_data(
    reviewer, essex, sussex, essex_staff, essex_proposal, url
):
    client = api_for(reviewer)
    path = proposal_url(essex_proposal, "history/") if url == "history" else f"{API}{url}"

    def grow():
        for pcc in (essex, sussex):
            proposal = ProposalFactory(pcc=pcc)
            audit_record(
                actor=reviewer, action="proposal.case_officer", target=proposal, proposal=proposal
            )
        audit_record(
            actor=reviewer,
            action="proposal.case_officer",
            target=essex_proposal,
            proposal=essex_proposal,
        )
        complete_business_case(ProposalFactory(pcc=essex), essex_staff)

    grow()
    before = queries_for(client, path)
    for _ in range(3):
        grow()
    assert queries_for(client, path) == before


def test_the_duties_give_counts_by_pcc_and_each_duty_its_evidence_a_page_at_a_time(
    reviewer, essex, essex_staff, sussex_staff
):
    duty = CollaborationDuty.objects.get(provision="PCA 2017 s.2(1)")
    for number in range(3):
        drafting.business_case_duties_save(
            proposal=ProposalFactory(pcc=essex, title=f"Case {number}"),
            evidence={duty: f"Evidence {number}"},
            base_revision=0,
            by=essex_staff,
        )
    client = api_for(reviewer)
    listed = {each["id"]: each for each in client.get(f"{API}collaboration-duties/").json()}
    assert listed[duty.pk]["addressed_by"] == 3
    assert listed[duty.pk]["coverage"] == [{"pcc": "essex", "proposals": 3}]
    page = client.get(f"{API}collaboration-duties/{duty.pk}/evidence/?page_size=2").json()
    assert page["count"] == 3
    assert [row["evidence"] for row in page["results"]] == ["Evidence 0", "Evidence 1"]
    assert page["next"]
    # Another PCC's people see neither its counts nor its evidence.
    other = api_for(sussex_staff)
    assert other.get(f"{API}collaboration-duties/{duty.pk}/").json()["addressed_by"] == 0
    assert other.get(f"{API}collaboration-duties/{duty.pk}/evidence/").json()["count"] == 0
