"""Each governance model's route (issue 14): the stages a proposal of each model goes through,
what each new stage needs, how the last one ends the proposal, changing the model before the
business case goes to the Home Office, and what the overview and reminders make of it."""

import re
from datetime import date, timedelta

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from proposals import workflow
from proposals.models import (
    BUSINESS_CASE_SECTIONS,
    AuditEvent,
    DocumentKind,
    GovernanceModel,
    Notification,
    Proposal,
    ProposalStatus,
    Stage,
    StageStatus,
    Step,
)
from proposals.services import drafting
from proposals.services.reminders import reminders_scan
from proposals.services.workflow import (
    REPRESENTATION_COMPLETE,
    proposals_transfer_due,
    stage_transition,
    submission_sign_off,
)

from .factories import (
    LIMBS_FOUND,
    ProposalFactory,
    attach_document,
    complete_business_case,
    complete_consultation,
    stage_of,
)

pytestmark = pytest.mark.django_db

REPRESENTATION = GovernanceModel.REPRESENTATION
SINGLE_EMPLOYER = GovernanceModel.SINGLE_EMPLOYER


def new_proposal(essex, essex_staff, model):
    return drafting.proposal_create(
        pcc=essex,
        title=f"Essex {GovernanceModel(model).label.lower()}",
        governance_model=model,
        fire_authorities=essex.fire_authorities.all(),
        by=essex_staff,
    )


def act(proposal, step, action, by):
    return stage_transition(stage=stage_of(proposal, step), action=action, by=by)


def steps_of(proposal):
    return [stage.step for stage in proposal.stages.order_by("step")]


def refused_with(text):
    return pytest.raises(workflow.TransitionRefused, match=re.escape(text[:60]))


# --- Each model's stages ------------------------------------------------------------------------


@pytest.mark.parametrize("model", GovernanceModel.values)
def test_a_new_proposal_has_its_models_stages_in_order_with_the_business_case_open(
    essex, essex_staff, model
):
    proposal = new_proposal(essex, essex_staff, model)
    assert steps_of(proposal) == list(workflow.route(model))
    assert proposal.stages.get(step=Step.BUSINESS_CASE).status == StageStatus.IN_PROGRESS
    assert set(
        proposal.stages.exclude(step=Step.BUSINESS_CASE).values_list("status", flat=True)
    ) == {StageStatus.NOT_STARTED}
    numbered = [stage.number for stage in proposal.stages.order_by("step")]
    assert numbered == list(range(1, len(workflow.route(model)) + 1))


def test_every_route_runs_in_step_order_so_stages_listed_by_step_follow_it():
    for route in workflow.ROUTES.values():
        assert list(route) == sorted(route)
    assert set(workflow.ROUTES) == set(GovernanceModel)
    assert {step for route in workflow.ROUTES.values() for step in route} == set(Step)


def test_a_representation_has_no_assessment_decision_order_or_submission(
    client_for, essex, essex_staff, reviewer
):
    proposal = new_proposal(essex, essex_staff, REPRESENTATION)
    assert steps_of(proposal) == [
        Step.BUSINESS_CASE,
        Step.FIRE_AUTHORITY_CONSULTATION,
        Step.FIRE_AUTHORITY_AGREEMENT,
    ]
    for step in (Step.SUBMISSION, Step.INDEPENDENT_ASSESSMENT, Step.DECISION, Step.ORDER):
        page = reverse("proposals:stage", args=[proposal.pk, step.slug])
        assert client_for(reviewer).get(page).status_code == 404
    detail = client_for(essex_staff).get(reverse("proposals:detail", args=[proposal.pk]))
    text = detail.content.decode()
    assert "2. Consultation with the fire authority" in text
    assert "3. Fire authority agreement" in text
    assert "Independent assessment" not in text


# --- The representation route through the services ----------------------------------------------


def test_a_representation_goes_business_case_fire_authority_consultation_agreement_and_completes(
    essex, essex_staff, reviewer
):
    proposal = new_proposal(essex, essex_staff, REPRESENTATION)
    complete_business_case(proposal, essex_staff)
    act(proposal, Step.BUSINESS_CASE, "submit", essex_staff)
    act(proposal, Step.BUSINESS_CASE, "approve", reviewer)
    consultation = stage_of(proposal, Step.FIRE_AUTHORITY_CONSULTATION)
    assert consultation.status == StageStatus.IN_PROGRESS

    with refused_with(workflow.CONTENT_MISSING.format(missing=workflow.FIRE_AUTHORITY_RESPONSE)):
        act(proposal, Step.FIRE_AUTHORITY_CONSULTATION, "submit", essex_staff)
    attach_document(consultation, DocumentKind.FIRE_AUTHORITY_RESPONSE, essex_staff)
    act(proposal, Step.FIRE_AUTHORITY_CONSULTATION, "submit", essex_staff)
    act(proposal, Step.FIRE_AUTHORITY_CONSULTATION, "approve", reviewer)

    agreement = stage_of(proposal, Step.FIRE_AUTHORITY_AGREEMENT)
    assert agreement.status == StageStatus.IN_PROGRESS
    with refused_with(workflow.NOT_A_HOME_OFFICE_STEP):
        act(proposal, Step.FIRE_AUTHORITY_AGREEMENT, "complete", reviewer)
    with refused_with(workflow.CONTENT_MISSING.format(missing=workflow.FIRE_AUTHORITY_AGREEMENT)):
        act(proposal, Step.FIRE_AUTHORITY_AGREEMENT, "submit", essex_staff)
    attach_document(agreement, DocumentKind.FIRE_AUTHORITY_AGREEMENT, essex_staff)
    act(proposal, Step.FIRE_AUTHORITY_AGREEMENT, "submit", essex_staff)
    act(proposal, Step.FIRE_AUTHORITY_AGREEMENT, "approve", reviewer)

    proposal.refresh_from_db()
    assert proposal.status == ProposalStatus.COMPLETED
    assert proposal.status_reason == workflow.REPRESENTATION_COMPLETED
    assert proposal.audit_events.filter(action="proposal.complete").exists()
    told = Notification.objects.filter(user=essex_staff, proposal=proposal).latest("pk")
    assert REPRESENTATION_COMPLETE in told.body
    with pytest.raises(ValidationError):
        drafting.proposal_change_model(
            proposal=proposal, governance_model="governance", was=REPRESENTATION, by=essex_staff
        )


def test_a_representations_stages_wait_for_the_one_before(essex, essex_staff):
    proposal = new_proposal(essex, essex_staff, REPRESENTATION)
    agreement = stage_of(proposal, Step.FIRE_AUTHORITY_AGREEMENT)
    assert workflow.blockers(agreement.open) == [workflow.PREVIOUS_STAGE_OPEN]


# --- The single employer route ------------------------------------------------------------------


def test_only_a_single_employer_business_case_must_give_reasons_for_the_s4h_order(
    essex, essex_staff
):
    reasons = "reasons for a single employer"
    single = new_proposal(essex, essex_staff, SINGLE_EMPLOYER)
    governance = new_proposal(essex, essex_staff, GovernanceModel.GOVERNANCE)
    for proposal in (single, governance):
        for number, section in enumerate(BUSINESS_CASE_SECTIONS):
            drafting.business_case_section_save(
                proposal=proposal,
                section=section.field,
                text="Evidence.",
                base_revision=number,
                by=essex_staff,
            )
    assert reasons in workflow.missing_content(stage_of(single, Step.BUSINESS_CASE))
    assert reasons not in workflow.missing_content(stage_of(governance, Step.BUSINESS_CASE))
    with pytest.raises(ValueError, match="single_employer_reasons"):
        drafting.business_case_section_save(
            proposal=governance,
            section="single_employer_reasons",
            text="Not asked for.",
            base_revision=len(BUSINESS_CASE_SECTIONS),
            by=essex_staff,
        )
    drafting.business_case_section_save(
        proposal=single,
        section="single_employer_reasons",
        text="One employer for both services.",
        base_revision=len(BUSINESS_CASE_SECTIONS),
        by=essex_staff,
    )
    assert reasons not in workflow.missing_content(stage_of(single, Step.BUSINESS_CASE))


def test_the_business_case_task_list_asks_a_single_employer_for_the_s4h_reasons(
    client_for, essex, essex_staff
):
    single = new_proposal(essex, essex_staff, SINGLE_EMPLOYER)
    governance = new_proposal(essex, essex_staff, GovernanceModel.GOVERNANCE)
    client = client_for(essex_staff)

    def task_list(proposal):
        return client.get(reverse("proposals:business-case", args=[proposal.pk])).content.decode()

    assert "Reasons for a single employer" in task_list(single)
    assert "Reasons for a single employer" not in task_list(governance)
    section = reverse("proposals:section", args=[single.pk, "single_employer_reasons"])
    assert "section 4H" in client.get(section).content.decode()


def record_through_order(proposal, reviewer, transfer_date):
    """Record the decision (approved) and the order, completing both stages."""
    decision = stage_of(proposal, Step.DECISION)
    drafting.stage_details_save(
        stage=decision,
        version="",
        by=reviewer,
        values={
            "outcome": "approved",
            "decided_on": date(2026, 1, 5),
            "summary": "Approved.",
            **LIMBS_FOUND,
        },
    )
    attach_document(decision, DocumentKind.DECISION_LETTER, reviewer)
    act(proposal, Step.DECISION, "complete", reviewer)
    drafting.stage_details_save(
        stage=stage_of(proposal, Step.ORDER),
        version="",
        by=reviewer,
        values={
            "si_number": "2026/101",
            "made_on": date(2026, 2, 2),
            "laid_on": date(2026, 2, 4),
            "in_force_on": transfer_date,
            "transfer_date": transfer_date,
        },
    )
    act(proposal, Step.ORDER, "complete", reviewer)


def test_a_single_employer_transfers_only_after_its_staff_transfer_stage(
    essex, essex_staff, essex_signatory, reviewer
):
    proposal = new_proposal(essex, essex_staff, SINGLE_EMPLOYER)
    complete_business_case(proposal, essex_staff)
    act(proposal, Step.BUSINESS_CASE, "submit", essex_staff)
    act(proposal, Step.BUSINESS_CASE, "approve", reviewer)
    complete_consultation(proposal, essex_staff)
    act(proposal, Step.CONSULTATION, "submit", essex_staff)
    act(proposal, Step.CONSULTATION, "approve", reviewer)
    submission = stage_of(proposal, Step.SUBMISSION)
    submission_sign_off(stage=submission, confirmed=True, by=essex_signatory)
    act(proposal, Step.SUBMISSION, "submit", essex_signatory)
    act(proposal, Step.SUBMISSION, "approve", reviewer)
    assert stage_of(proposal, Step.INDEPENDENT_ASSESSMENT).status == StageStatus.SKIPPED

    record_through_order(proposal, reviewer, transfer_date=timezone.localdate() - timedelta(days=1))
    staff_transfer = stage_of(proposal, Step.STAFF_TRANSFER)
    assert staff_transfer.status == StageStatus.IN_PROGRESS
    assert proposals_transfer_due() == 0  # the transfer date has come, the staff have not moved
    assert Proposal.objects.get(pk=proposal.pk).status == ProposalStatus.ACTIVE

    with refused_with(workflow.NOT_A_PCC_STEP):
        act(proposal, Step.STAFF_TRANSFER, "submit", essex_staff)
    with refused_with("Before this stage can move on, add: the transfer scheme"):
        act(proposal, Step.STAFF_TRANSFER, "complete", reviewer)
    attach_document(staff_transfer, DocumentKind.TRANSFER_SCHEME, reviewer)
    act(proposal, Step.STAFF_TRANSFER, "complete", reviewer)
    assert Proposal.objects.get(pk=proposal.pk).status == ProposalStatus.TRANSFERRED


# --- Changing the model ---------------------------------------------------------------------------


def test_changing_the_model_before_submission_replans_the_stages_and_records_both_routes(
    client_for, essex, essex_staff
):
    proposal = new_proposal(essex, essex_staff, GovernanceModel.GOVERNANCE)
    drafting.business_case_section_save(
        proposal=proposal, section="economy", text="Kept.", base_revision=0, by=essex_staff
    )
    business_case = stage_of(proposal, Step.BUSINESS_CASE)
    drafting.proposal_change_model(
        proposal=proposal, governance_model=REPRESENTATION, was="governance", by=essex_staff
    )
    proposal.refresh_from_db()
    assert proposal.governance_model == REPRESENTATION
    assert steps_of(proposal) == list(workflow.route(REPRESENTATION))
    assert stage_of(proposal, Step.BUSINESS_CASE).pk == business_case.pk
    assert proposal.revisions.get().economy == "Kept."

    event = AuditEvent.objects.get(proposal=proposal, action="proposal.model_changed")
    assert event.actor == essex_staff
    assert event.before["governance_model"] == "Governance"
    assert event.after["route"] == [
        "Business case",
        "Consultation with the fire authority",
        "Fire authority agreement",
    ]
    page = client_for(essex_staff).get(reverse("proposals:detail", args=[proposal.pk]))
    text = page.content.decode()
    assert "Governance model changed, and the stages with it" in text
    assert "<dt>Governance model</dt><dd><del>Governance</del> → Representation</dd>" in text
    assert (
        "<dd><del>Business case, Consultation, Submission, Independent assessment, Decision, "
        "Order</del> → Business case, Consultation with the fire authority, Fire authority "
        "agreement</dd>"
    ) in text


def test_the_model_cannot_change_once_the_business_case_has_gone_to_the_home_office(
    essex, essex_staff, reviewer
):
    proposal = new_proposal(essex, essex_staff, GovernanceModel.GOVERNANCE)
    complete_business_case(proposal, essex_staff)
    act(proposal, Step.BUSINESS_CASE, "submit", essex_staff)
    with pytest.raises(ValidationError) as refused:
        drafting.proposal_change_model(
            proposal=proposal, governance_model=REPRESENTATION, was="governance", by=essex_staff
        )
    assert refused.value.message_dict == {"governance_model": [workflow.MODEL_FIXED]}
    assert steps_of(proposal) == list(workflow.route(GovernanceModel.GOVERNANCE))
    assert not AuditEvent.objects.filter(action="proposal.model_changed").exists()


def test_a_model_change_based_on_an_old_choice_is_refused(essex, essex_staff, essex_signatory):
    proposal = new_proposal(essex, essex_staff, GovernanceModel.GOVERNANCE)
    drafting.proposal_change_model(
        proposal=proposal, governance_model=SINGLE_EMPLOYER, was="governance", by=essex_signatory
    )
    with pytest.raises(ValidationError, match="Someone changed this proposal's model to Single"):
        drafting.proposal_change_model(
            proposal=proposal, governance_model=REPRESENTATION, was="governance", by=essex_staff
        )
    assert steps_of(proposal) == list(workflow.route(SINGLE_EMPLOYER))


def test_the_model_page_changes_the_model_and_says_why_not_next_to_the_field(
    client_for, essex, essex_staff, reviewer, site_admin
):
    proposal = new_proposal(essex, essex_staff, GovernanceModel.GOVERNANCE)
    client = client_for(essex_staff)
    page = reverse("proposals:model", args=[proposal.pk])
    form = client.get(page).content.decode()
    assert "Change the governance model" in form
    assert "The stages of each governance model" in form
    response = client.post(page, {"governance_model": "single_employer", "version": "governance"})
    assert response.status_code == 302
    assert steps_of(proposal)[-1] == Step.STAFF_TRANSFER

    complete_business_case(Proposal.objects.get(pk=proposal.pk), essex_staff)
    act(proposal, Step.BUSINESS_CASE, "submit", essex_staff)
    response = client.post(
        page, {"governance_model": "representation", "version": "single_employer"}
    )
    text = response.content.decode()
    assert response.status_code == 200
    assert text.count("The governance model can no longer be changed") >= 2  # summary and field
    assert re.search(r'govuk-error-message">\s*<span class="govuk-visually-hidden">Error:', text)
    assert re.search(r'value="representation"\s+checked="checked"', text)  # choice kept
    assert Proposal.objects.get(pk=proposal.pk).governance_model == SINGLE_EMPLOYER
    assert workflow.MODEL_FIXED in client.get(page).content.decode()  # said before choosing
    assert client_for(site_admin).get(page).status_code == 403
    assert client_for(reviewer).post(page, {"governance_model": "governance"}).status_code == 403


# --- The overview and the reminders ---------------------------------------------------------------


def test_the_overview_marks_the_stages_a_representation_does_not_have_not_applicable(
    client_for, essex, reviewer
):
    ProposalFactory(pcc=essex, title="Essex representation", governance_model=REPRESENTATION)
    page = client_for(reviewer).get(reverse("proposals:overview")).content.decode()
    row = page.split("Essex representation")[1].split("</tr>")[0]
    assert row.count(">Not applicable</span>") == len(Step) - 3
    assert row.count('<strong class="govuk-tag') == 1 + 3  # the proposal's status, 3 stages
    response = client_for(reviewer).get(reverse("proposals:overview-csv"))
    csv = b"".join(response.streaming_content).decode("utf-8-sig")
    line = next(line for line in csv.splitlines() if "Essex representation" in line)
    assert line.count("Not applicable") == len(Step) - 3


def test_the_overview_asks_no_more_queries_as_proposals_of_every_model_grow(
    client_for, reviewer, django_assert_max_num_queries
):
    from proposals.models import Pcc

    client = client_for(reviewer)
    pccs = list(Pcc.objects.all())

    def add(count):
        for number in range(count):
            model = list(GovernanceModel)[number % len(GovernanceModel)]
            ProposalFactory(pcc=pccs[number % len(pccs)], governance_model=model)

    add(3)
    with django_assert_max_num_queries(60) as few:
        client.get(reverse("proposals:overview"))
    add(24)
    with django_assert_max_num_queries(len(few.captured_queries)):
        client.get(reverse("proposals:overview"))


DUE = date(2026, 12, 9)  # a Wednesday


def test_a_representations_fire_authority_stage_reminds_the_pcc_and_nothing_else_is_reminded(
    celery_eager, django_capture_on_commit_callbacks, essex, essex_staff, reviewer
):
    proposal = ProposalFactory(pcc=essex, governance_model=REPRESENTATION)
    Stage.objects.filter(proposal=proposal, step=Step.BUSINESS_CASE).update(
        status=StageStatus.APPROVED
    )
    Stage.objects.filter(proposal=proposal, step=Step.FIRE_AUTHORITY_AGREEMENT).update(
        status=StageStatus.IN_PROGRESS, due_date=DUE
    )
    with django_capture_on_commit_callbacks(execute=True):
        reminders_scan(today=date(2026, 11, 30))  # 7 working days before
    reminded = essex_staff.reminder_deliveries.get()
    assert reminded.stage.step == Step.FIRE_AUTHORITY_AGREEMENT
    assert reminded.kind == "before_7"
    assert not reviewer.reminder_deliveries.exists()
    assert "fire authority agreement" in essex_staff.notifications.get().title
