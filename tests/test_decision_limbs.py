"""The decision, limb by limb (issue 13): the Home Secretary's finding and reasons on economy,
efficiency, effectiveness and public safety, the ground an approval relies on, the assessor's
conclusions beside them, and the decision record PDF."""

import io
from datetime import date

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from pypdf import PdfReader

from proposals import workflow
from proposals.forms.review import FINDING_CHOOSE, FINDING_FOR_REASONS
from proposals.models import (
    Assessment,
    AuditEvent,
    Decision,
    DecisionGround,
    Limb,
    LimbFinding,
    Stage,
    StageStatus,
    Step,
    finding_field,
    reasons_field,
)
from proposals.services import drafting
from proposals.services.drafting import STALE_EDIT
from proposals.services.workflow import stage_transition

from .factories import LIMBS_FOUND, ProposalFactory, at_decision, stage_of

pytestmark = pytest.mark.django_db

EEE = DecisionGround.ECONOMY_EFFICIENCY_EFFECTIVENESS


@pytest.fixture
def proposal(essex, reviewer):
    """An Essex proposal at its decision, the assessment skipped, with the decision letter."""
    return at_decision(ProposalFactory(pcc=essex, title="Essex governance"), reviewer)


def decide(proposal, reviewer, outcome=Decision.Outcome.APPROVED, **changes):
    """Record the decision: every limb found for an approval on economy, efficiency and
    effectiveness, but for `changes`."""
    return drafting.stage_details_save(
        stage=stage_of(proposal, Step.DECISION),
        version=drafting.record_version(getattr(proposal, "decision", None)),
        by=reviewer,
        values={
            "outcome": outcome,
            "decided_on": date(2017, 7, 25),
            "summary": "Letter sent.",
            **LIMBS_FOUND,
            **changes,
        },
    )


def complete(proposal, reviewer):
    return stage_transition(stage=stage_of(proposal, Step.DECISION), action="complete", by=reviewer)


def refusal(proposal, reviewer) -> list[str]:
    with pytest.raises(workflow.TransitionRefused) as refused:
        complete(proposal, reviewer)
    assert stage_of(proposal, Step.DECISION).status == StageStatus.IN_PROGRESS
    return refused.value.reasons


def limb_missing(limb) -> str:
    return workflow.LIMB_MISSING.format(limb=Limb(limb).label.lower())


# --- The rule: no decision completes without every limb -----------------------------------------


@pytest.mark.parametrize("outcome", [Decision.Outcome.APPROVED, Decision.Outcome.REJECTED])
@pytest.mark.parametrize("limb", Limb.values)
def test_a_decision_cannot_complete_with_a_limb_missing_and_the_reviewer_is_told_which(
    proposal, reviewer, outcome, limb
):
    decide(proposal, reviewer, outcome, **{finding_field(limb): ""})
    reasons = refusal(proposal, reviewer)
    assert limb_missing(limb) in reasons[0]
    for other in set(Limb.values) - {limb}:
        assert limb_missing(other) not in reasons[0]


@pytest.mark.parametrize("limb", Limb.values)
def test_a_finding_without_reasons_does_not_complete_the_decision(proposal, reviewer, limb):
    decide(proposal, reviewer, **{reasons_field(limb): "  "})
    assert limb_missing(limb) in refusal(proposal, reviewer)[0]


def test_a_stage_page_lists_every_limb_still_to_decide(client_for, proposal, reviewer):
    page = client_for(reviewer).get(reverse("proposals:stage", args=[proposal.pk, "decision"]))
    text = page.content.decode()
    for limb in Limb:
        assert limb_missing(limb).replace("'", "&#x27;") in text


def test_an_approval_needs_the_ground_it_relies_on(proposal, reviewer):
    decide(proposal, reviewer, ground="")
    assert workflow.GROUND_MISSING in refusal(proposal, reviewer)[0]


def test_an_approval_on_the_three_es_needs_each_found_in_the_interests_on_its_own(
    proposal, reviewer
):
    """Shropshire and Wrekin FA v SSHD [2019] EWHC 1967 (Admin): not "in the round"."""
    decide(proposal, reviewer, efficiency_finding=LimbFinding.NOT_SHOWN)
    reasons = refusal(proposal, reviewer)[0]
    assert "the finding on efficiency that an approval on economy, efficiency and " in reasons
    assert "economy that" not in reasons


def test_an_approval_on_the_three_es_needs_no_adverse_effect_on_public_safety(proposal, reviewer):
    decide(proposal, reviewer, public_safety_finding=LimbFinding.NOT_SHOWN)
    assert "the finding on public safety that an approval" in refusal(proposal, reviewer)[0]


def test_an_approval_on_public_safety_completes_though_the_es_are_not_shown(proposal, reviewer):
    decide(
        proposal,
        reviewer,
        ground=DecisionGround.PUBLIC_SAFETY,
        economy_finding=LimbFinding.NOT_SHOWN,
        efficiency_finding=LimbFinding.NOT_SHOWN,
        public_safety_finding=LimbFinding.IN_THE_INTERESTS,
    )
    assert complete(proposal, reviewer).status == StageStatus.APPROVED


def test_an_approval_on_public_safety_needs_it_found_in_the_interests(proposal, reviewer):
    decide(proposal, reviewer, ground=DecisionGround.PUBLIC_SAFETY)
    assert (
        "the finding on public safety that an approval on public safety"
        in (refusal(proposal, reviewer)[0])
    )


def test_a_rejection_with_every_limb_found_completes_as_rejected(proposal, reviewer):
    decide(
        proposal,
        reviewer,
        Decision.Outcome.REJECTED,
        ground="",
        economy_finding=LimbFinding.NOT_SHOWN,
    )
    assert complete(proposal, reviewer).status == StageStatus.REJECTED


def test_the_database_refuses_no_adverse_effect_on_an_e(proposal, reviewer):
    with pytest.raises(ValidationError):
        decide(proposal, reviewer, economy_finding=LimbFinding.NO_ADVERSE_EFFECT)
    assert not Decision.objects.exists()


# --- The forms --------------------------------------------------------------------------------


def details_url(proposal, step):
    return reverse("proposals:stage-details", args=[proposal.pk, step.slug])


def decision_form(**changes) -> dict:
    return {
        "outcome": "approved",
        "decided_on_0": "25",
        "decided_on_1": "7",
        "decided_on_2": "2017",
        "summary": "Letter sent.",
        "version": "",
        **LIMBS_FOUND,
        **changes,
    }


def test_the_reviewer_records_each_limb_on_the_decision_form_and_it_is_audited_in_words(
    client_for, proposal, reviewer
):
    response = client_for(reviewer).post(details_url(proposal, Step.DECISION), decision_form())
    assert response.status_code == 302
    decision = Decision.objects.get(proposal=proposal)
    assert decision.findings == {
        Limb.ECONOMY: LimbFinding.IN_THE_INTERESTS,
        Limb.EFFICIENCY: LimbFinding.IN_THE_INTERESTS,
        Limb.EFFECTIVENESS: LimbFinding.IN_THE_INTERESTS,
        Limb.PUBLIC_SAFETY: LimbFinding.NO_ADVERSE_EFFECT,
    }
    event = AuditEvent.objects.get(action="decision.saved")
    assert (event.actor, event.after["efficiency_reasons"]) == (reviewer, "Reasons on efficiency.")
    history = client_for(reviewer).get(reverse("proposals:detail", args=[proposal.pk]))
    text = history.content.decode()
    assert "<dt>Finding on efficiency</dt><dd>In the interests of</dd>" in text
    assert "<dt>Finding on public safety</dt><dd>No adverse effect on</dd>" in text
    assert "<dt>Ground relied on</dt><dd>Economy, efficiency and effectiveness</dd>" in text


def test_reasons_without_a_finding_are_named_by_the_field_and_kept(client_for, proposal, reviewer):
    response = client_for(reviewer).post(
        details_url(proposal, Step.DECISION),
        decision_form(effectiveness_finding="", effectiveness_reasons="Response times fall."),
    )
    page = response.content.decode()
    error = FINDING_FOR_REASONS.format(limb="effectiveness")
    assert page.count(error) == 2  # in the error summary and by the field
    assert 'href="#id_effectiveness_finding' in page
    assert "Response times fall." in page
    assert not Decision.objects.exists()


def test_no_adverse_effect_is_offered_on_public_safety_only(client_for, proposal, reviewer):
    client = client_for(reviewer)
    form = client.get(details_url(proposal, Step.DECISION)).content.decode()
    assert form.count('value="no_adverse_effect"') == 1
    response = client.post(
        details_url(proposal, Step.DECISION),
        decision_form(economy_finding=LimbFinding.NO_ADVERSE_EFFECT),
    )
    assert response.content.decode().count(FINDING_CHOOSE.format(limb="economy")) == 2


def test_a_finding_that_contradicts_the_ground_is_named_by_its_field(
    client_for, proposal, reviewer
):
    response = client_for(reviewer).post(
        details_url(proposal, Step.DECISION), decision_form(economy_finding="not_shown")
    )
    error = workflow.GROUND_NEEDS.format(
        ground="economy, efficiency and effectiveness",
        limb="economy",
        needed="“in the interests of”",
    )
    assert response.content.decode().count(error) == 2
    assert not Decision.objects.exists()


def test_a_stale_decision_edit_is_refused_and_keeps_what_was_typed(client_for, proposal, reviewer):
    client = client_for(reviewer)
    client.post(details_url(proposal, Step.DECISION), decision_form())
    decide(proposal, reviewer, economy_reasons="Someone else's reasons.")
    response = client.post(
        details_url(proposal, Step.DECISION),
        decision_form(economy_reasons="My reasons on economy."),
    )
    page = response.content.decode()
    assert STALE_EDIT in page
    assert "My reasons on economy." in page
    assert Decision.objects.get().economy_reasons == "Someone else's reasons."


def test_the_assessor_s_conclusions_show_beside_the_decision_s_findings(
    client_for, proposal, reviewer
):
    Stage.objects.filter(proposal=proposal, step=Step.INDEPENDENT_ASSESSMENT).update(
        status=StageStatus.IN_PROGRESS, skip_reason=""
    )
    response = client_for(reviewer).post(
        details_url(proposal, Step.INDEPENDENT_ASSESSMENT),
        {
            "assessor": "CIPFA",
            "version": "",
            "economy_finding": "not_shown",
            "economy_reasons": "Savings were not evidenced.",
        },
    )
    assert response.status_code == 302
    assert Assessment.objects.get().economy_finding == LimbFinding.NOT_SHOWN
    decide(proposal, reviewer)
    page = client_for(reviewer).get(reverse("proposals:stage", args=[proposal.pk, "decision"]))
    text = page.content.decode()
    economy_row = text[text.index(">Economy</th>") : text.index(">Efficiency</th>")]
    assert "In the interests of economy" in economy_row  # the Home Secretary's finding
    assert "Not shown to be in the interests of economy" in economy_row  # CIPFA's
    assert "Savings were not evidenced." in economy_row
    assert "CIPFA" in text


def test_the_decision_page_says_why_no_assessment_was_weighed(client_for, proposal, reviewer):
    decide(proposal, reviewer)
    page = client_for(reviewer).get(reverse("proposals:stage", args=[proposal.pk, "decision"]))
    text = page.content.decode()
    assert "None: No consulted council objected." in text
    assert "No independent assessment" in text
    assert "document.pdf" in text  # the decision letter weighed in the record


# --- The decision record PDF --------------------------------------------------------------------


def test_the_decision_record_pdf_shows_each_limb_with_its_finding(client_for, proposal, reviewer):
    decide(proposal, reviewer)
    page = client_for(reviewer).get(reverse("proposals:stage", args=[proposal.pk, "decision"]))
    pdf_url = reverse("proposals:decision-record-pdf", args=[proposal.pk])
    assert pdf_url in page.content.decode()
    response = client_for(reviewer).get(pdf_url)
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"].startswith("attachment;")
    reader = PdfReader(io.BytesIO(response.content))
    assert 1 <= len(reader.pages) <= 3
    text = " ".join(" ".join(page.extract_text().split()) for page in reader.pages)
    assert "Decision record: Essex governance" in text
    for limb in Limb:
        assert f"Reasons on {limb.label.lower()}." in text
    assert "In the interests of effectiveness" in text
    assert "No adverse effect on public safety" in text
    assert "Ground relied on Economy, efficiency and effectiveness" in text
    assert "None: No consulted council objected." in text
