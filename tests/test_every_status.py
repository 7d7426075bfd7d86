"""Every value of every choice the portal shows, on every page that shows it, as every role that
can see it: each page answers 200 and names the value in words (issue 9: a rejected proposal
made three pages answer 500)."""

import csv
import io
from datetime import timedelta

import pytest
from django.template import Context, Template
from django.urls import reverse
from django.utils import timezone
from pypdf import PdfReader

from proposals import workflow
from proposals.models import (
    AgreementStatus,
    Assessment,
    ChecklistItemStatus,
    CollaborationDuty,
    Confidence,
    Consideration,
    CouncilPosition,
    Decision,
    DecisionGround,
    DocumentKind,
    GovernanceModel,
    Limb,
    LimbFinding,
    Proposal,
    ProposalStatus,
    Representation,
    Stage,
    StageStatus,
    Step,
    finding_field,
    reasons_field,
)
from proposals.services import calendar
from proposals.services.audit import audit_record
from proposals.templatetags.proposal_tags import TAG_COLOURS

from .factories import ProposalFactory, attach_document, representation_of, stage_of

pytestmark = pytest.mark.django_db

PCC_PEOPLE = ["essex_staff", "essex_signatory"]
HOME_OFFICE = ["reviewer", "funding_admin", "site_admin"]
EVERYONE = PCC_PEOPLE + HOME_OFFICE
#: Where each value is placed: the only steps the database lets skip or reject.
STEP_FOR = {StageStatus.SKIPPED: Step.INDEPENDENT_ASSESSMENT, StageStatus.REJECTED: Step.DECISION}
#: The template tag that shows each set of choices, and the attribute it reads.
TAGS = {
    StageStatus: ("stage_tag", "status"),
    ProposalStatus: ("proposal_tag", "status"),
    CollaborationDuty.Kind: ("duty_kind_tag", "kind"),
    Representation.Position: ("position_tag", "position"),
    AgreementStatus: ("agreement_tag", "status"),
    Consideration.Decision: ("consideration_tag", "decision"),
    # Every item and status on the proposal page: test_implementation_checklist.
    ChecklistItemStatus: ("checklist_status_tag", "status"),
}


@pytest.fixture
def person(request):
    """The user of a role fixture, by name."""
    return request.getfixturevalue


@pytest.fixture
def read(person, client_for):
    """The text of `path` as `role` sees it, after checking it answered 200."""

    def get(role, path):
        response = client_for(person(role)).get(path)
        assert response.status_code == 200, (role, path)
        if response.streaming:
            return b"".join(response.streaming_content).decode("utf-8-sig")
        return response.content.decode()

    return get


def proposal_pages(proposal) -> list[str]:
    """Every page of one proposal that a person reads (forms and actions aside)."""
    return [
        reverse(f"proposals:{name}", args=[proposal.pk])
        for name in ("detail", "business-case", "check-answers", "revisions")
    ] + [
        reverse("proposals:stage", args=[proposal.pk, Step(step).slug])
        for step in workflow.route(proposal.governance_model)
    ]


def csv_cell(text, column, row_title):
    rows = list(csv.DictReader(io.StringIO(text)))
    return next(row[column] for row in rows if row["Proposal"] == row_title)


def tag(label):
    return f">{label}</strong>"


def record(proposal, target, action, *, by=None, **after):
    """An event in `proposal`'s history that `target` now holds `after`."""
    audit_record(actor=by, action=action, target=target, proposal=proposal, after=after)


def set_status(proposal, status):
    """Put `proposal` in `status` and record it, as the workflow's services would."""
    Proposal.objects.filter(pk=proposal.pk).update(status=status)
    record(proposal, proposal, "proposal.loaded", status=status)


def set_stage(proposal, status, step=None) -> Stage:
    """Put one stage of `proposal` in `status`, every stage before it approved."""
    step = step or STEP_FOR.get(status, Step.CONSULTATION)
    Stage.objects.filter(proposal=proposal, step__lt=step).update(status=StageStatus.APPROVED)
    Stage.objects.filter(proposal=proposal, step__gt=step).update(status=StageStatus.NOT_STARTED)
    Stage.objects.filter(proposal=proposal, step=step).update(
        status=status,
        skip_reason="No council objected." if status == StageStatus.SKIPPED else "",
        due_date=timezone.localdate() + timedelta(days=10),
        submitted_at=timezone.now() if status == StageStatus.SUBMITTED else None,
    )
    stage = stage_of(proposal, step)
    record(proposal, stage, "stage.open", stage=Step(step).label, status=status)
    return stage


@pytest.mark.parametrize("choices", list(TAG_COLOURS), ids=lambda choices: choices.__qualname__)
def test_every_choice_shown_as_a_tag_has_a_colour_and_label_for_every_value(choices):
    name, field = TAGS[choices]
    template = Template(f"{{% load proposal_tags %}}{{% {name} thing %}}")
    assert set(TAG_COLOURS[choices]) == set(choices.values)
    for value in choices.values:
        thing = type("Thing", (), {field: value})()
        rendered = template.render(Context({"thing": thing}))
        assert f"govuk-tag--{TAG_COLOURS[choices][value]}" in rendered
        assert tag(choices(value).label) in rendered


@pytest.mark.parametrize("status", ProposalStatus.values)
def test_every_proposal_status_is_named_on_every_page_that_shows_it(read, essex, status):
    proposal = ProposalFactory(pcc=essex, title="Essex proposal")
    set_status(proposal, status)
    label = ProposalStatus(status).label
    detail = reverse("proposals:detail", args=[proposal.pk])
    history_csv = reverse("proposals:history-csv", args=[proposal.pk])
    for role in EVERYONE:
        for page in proposal_pages(proposal):
            read(role, page)
        assert tag(label) in read(role, "/pccs/essex/")
        page = read(role, detail)
        assert tag(label) in page
        assert f"<dt>Status</dt><dd>{label}</dd>" in page  # its history
        assert f"Status: {label}" in read(role, history_csv)
    for role in HOME_OFFICE:
        assert tag(label) in read(role, "/overview/")
        assert csv_cell(read(role, "/overview/proposals.csv"), "Status", proposal.title) == label
        read(role, "/review/")


@pytest.mark.parametrize("status", StageStatus.values)
def test_every_stage_status_is_named_on_every_page_that_shows_it(read, person, essex, status):
    proposal = ProposalFactory(pcc=essex, title="Essex proposal")
    if status == StageStatus.REJECTED:
        Decision.objects.create(proposal=proposal, outcome=Decision.Outcome.REJECTED)
        set_status(proposal, ProposalStatus.REJECTED)
    stage = set_stage(proposal, status)
    label = StageStatus(status).label
    current = Proposal.objects.get(pk=proposal.pk).current_stage
    stage_page = reverse("proposals:stage", args=[proposal.pk, stage.step_slug])
    for role in EVERYONE:
        for page in proposal_pages(proposal):
            read(role, page)
        pcc_page = read(role, "/pccs/essex/")
        assert tag(current.get_status_display()) in pcc_page
        assert tag(label) in read(role, reverse("proposals:detail", args=[proposal.pk]))
        assert tag(label) in read(role, stage_page)
        history = read(role, reverse("proposals:history-csv", args=[proposal.pk]))
        assert f"Status: {label}" in history
        feed = read(role, f"/calendar/{calendar.calendar_token_issue(user=person(role))}.ics")
        listed = status in (StageStatus.IN_PROGRESS, StageStatus.RETURNED)
        assert (f"{stage.get_step_display()} due" in feed) is listed
    for role in HOME_OFFICE:
        assert tag(label) in read(role, "/overview/")
        overview = read(role, "/overview/proposals.csv")
        assert csv_cell(overview, f"{Step(stage.step).label}: status", proposal.title) == label
        queue = read(role, "/review/")
        assert (stage_page in queue) is (status == StageStatus.SUBMITTED)


@pytest.mark.parametrize("outcome", Decision.Outcome.values)
def test_every_decision_outcome_is_named_and_the_stage_never_claims_otherwise(
    read, essex, reviewer, outcome
):
    proposal = ProposalFactory(pcc=essex, title="Essex proposal")
    stage_status = {
        Decision.Outcome.APPROVED: StageStatus.APPROVED,
        Decision.Outcome.REJECTED: StageStatus.REJECTED,
        Decision.Outcome.DEFERRED: StageStatus.IN_PROGRESS,
    }[outcome]
    stage = set_stage(proposal, stage_status, Step.DECISION)
    decision = Decision.objects.create(
        proposal=proposal, outcome=outcome, decided_on=timezone.localdate()
    )
    record(proposal, decision, "decision.saved", by=reviewer, outcome=outcome)
    label = Decision.Outcome(outcome).label
    stage_page = reverse("proposals:stage", args=[proposal.pk, stage.step_slug])
    for role in EVERYONE:
        page = read(role, stage_page)
        assert f'Decision</dt><dd class="govuk-summary-list__value">{label}</dd>' in page
        assert tag(StageStatus(stage_status).label) in page
        assert (tag("Approved") in page) is (outcome == Decision.Outcome.APPROVED)
        history = read(role, reverse("proposals:detail", args=[proposal.pk]))
        assert f"<dt>Decision</dt><dd>{label}</dd>" in history


@pytest.mark.parametrize("position", CouncilPosition.Position.values)
def test_every_council_position_is_named_on_the_consultation_and_in_history(
    read, essex, essex_staff, position
):
    proposal = ProposalFactory(pcc=essex, title="Essex proposal")
    council = essex.local_authorities.first()
    recorded = CouncilPosition.objects.create(
        proposal=proposal, local_authority=council, position=position
    )
    record(proposal, recorded, "council_position.saved", by=essex_staff, position=position)
    label = CouncilPosition.Position(position).label
    for role in EVERYONE:
        page = read(role, reverse("proposals:stage", args=[proposal.pk, "consultation"]))
        assert f"<strong>{label}</strong>" in page
        history = read(role, reverse("proposals:detail", args=[proposal.pk]))
        assert f"<dt>Position</dt><dd>{label}</dd>" in history


@pytest.mark.parametrize("kind", DocumentKind.values)
def test_every_document_kind_is_named_on_its_stage_and_in_history(
    read, essex, essex_staff, essex_consultee, kind
):
    proposal = ProposalFactory(pcc=essex, title="Essex proposal")
    representation = (
        representation_of(proposal, essex_consultee)
        if kind == DocumentKind.REPRESENTATION
        else None
    )
    # A representation's documents are lodged during the consultation, and listed with it.
    step = Step.CONSULTATION if representation else Step.BUSINESS_CASE
    stage = stage_of(proposal, step)
    document = attach_document(stage, kind, essex_staff, representation=representation)
    record(proposal, document, "document.uploaded", by=essex_staff, kind=kind)
    label = DocumentKind(kind).label
    for role in EVERYONE:
        page = read(role, reverse("proposals:stage", args=[proposal.pk, stage.step_slug]))
        if representation:
            card = page.split(f'<h3 class="govuk-summary-card__title">{representation.body}</h3>')
            assert f">{document.original_name}</a>" in card[1]
        else:
            assert f'<td class="govuk-table__cell">{label}</td>' in page
        history = read(role, reverse("proposals:detail", args=[proposal.pk]))
        assert f"<dt>Kind of document</dt><dd>{label}</dd>" in history


@pytest.mark.parametrize("model", GovernanceModel.values)
def test_every_governance_model_is_named_on_every_page_that_shows_it(read, essex, model):
    proposal = ProposalFactory(pcc=essex, title="Essex proposal", governance_model=model)
    label = GovernanceModel(model).label
    for role in EVERYONE:
        assert label in read(role, "/pccs/essex/")
        assert label in read(role, reverse("proposals:detail", args=[proposal.pk]))
    for role in HOME_OFFICE:
        assert label in read(role, "/overview/")
        overview = read(role, "/overview/proposals.csv")
        assert csv_cell(overview, "Governance model", proposal.title) == label


def a_model_with(step) -> str:
    """The first governance model whose route goes through `step`."""
    return next(model for model, route in workflow.ROUTES.items() if step in route)


@pytest.mark.parametrize("step", Step.values)
def test_every_step_is_named_on_every_page_that_shows_it(read, essex, step):
    proposal = ProposalFactory(
        pcc=essex, title="Essex proposal", governance_model=a_model_with(step)
    )
    stage = set_stage(proposal, StageStatus.IN_PROGRESS, step)
    label = Step(step).label
    numbered = f"{stage.number}. {label}"
    stage_page = reverse("proposals:stage", args=[proposal.pk, stage.step_slug])
    for role in EVERYONE:
        for page in proposal_pages(proposal):
            read(role, page)
        assert numbered in read(role, stage_page)
        detail = read(role, reverse("proposals:detail", args=[proposal.pk]))
        assert f"{numbered}</a>" in detail
        assert f"{label} opened" in detail  # its history
        assert f"{label} opened" in read(role, reverse("proposals:history-csv", args=[proposal.pk]))
        assert f"{proposal.title}: {label}" in read(role, "/pccs/essex/")  # what is open
    for role in HOME_OFFICE:
        overview = read(role, "/overview/")
        assert f'<th scope="col" class="govuk-table__header">{label}</th>' in overview
        csv_text = read(role, "/overview/proposals.csv")
        assert csv_cell(csv_text, f"{label}: status", proposal.title) == "In progress"


@pytest.mark.parametrize("confidence", Confidence.values)
def test_every_duty_kind_and_confidence_is_named_on_the_duties_page(read, confidence):
    CollaborationDuty.objects.update(confidence=confidence)
    for role in EVERYONE:
        page = read(role, "/duties/")
        for kind in CollaborationDuty.Kind:
            assert tag(kind.label) in page
        if confidence != Confidence.VERIFIED:
            assert f"({Confidence(confidence).label.lower()})" in page


@pytest.mark.parametrize("position", Representation.Position.values)
def test_every_representation_position_is_named_where_representations_are_shown(
    read, person, client_for, essex, essex_staff, essex_consultee, assessor, position
):
    """On the consultation stage (PCC and Home Office), on the public record (the consultee,
    the assessor) and in the proposal's history."""
    proposal = ProposalFactory(pcc=essex, title="Essex proposal")
    proposal.assessors.add(assessor)
    representation = representation_of(proposal, essex_consultee, position=position)
    record(proposal, representation, "representation.lodged", by=essex_consultee, position=position)
    label = Representation.Position(position).label
    tag = f'<strong class="govuk-tag govuk-tag--{TAG_COLOURS[Representation.Position][position]}">'
    for role in EVERYONE:
        page = read(role, reverse("proposals:stage", args=[proposal.pk, "consultation"]))
        assert f"{tag}{label}</strong>" in page
        history = read(role, reverse("proposals:detail", args=[proposal.pk]))
        assert f"<dt>Position</dt><dd>{label}</dd>" in history
    for user in (essex_consultee, assessor):
        response = client_for(user).get(reverse("proposals:public-record", args=[proposal.pk]))
        assert f"{tag}{label}</strong>" in response.content.decode()


@pytest.mark.parametrize(
    ("finding", "ground"),
    # Every finding, and every ground along the way.
    [
        (finding, DecisionGround.values[index % len(DecisionGround.values)])
        for index, finding in enumerate(LimbFinding.values)
    ],
)
def test_every_limb_finding_and_ground_is_named_on_the_decision_page_and_its_pdf(
    read, client_for, reviewer, essex, finding, ground
):
    proposal = ProposalFactory(pcc=essex, title="Essex proposal")
    set_stage(proposal, StageStatus.IN_PROGRESS, Step.DECISION)
    limbs = [limb for limb in Limb if finding in LimbFinding.for_limb(limb)]
    values = {
        **{finding_field(limb): finding for limb in limbs},
        **{reasons_field(limb): f"Because of {limb.label}." for limb in limbs},
    }
    Decision.objects.create(
        proposal=proposal, outcome=Decision.Outcome.APPROVED, ground=ground, **values
    )
    Assessment.objects.create(proposal=proposal, assessor="CIPFA", **values)
    said = [f"{LimbFinding(finding).label} {limb.label.lower()}" for limb in limbs]
    stage_page = reverse("proposals:stage", args=[proposal.pk, Step.DECISION.slug])
    for role in EVERYONE:
        page = read(role, stage_page)
        for limb in Limb:
            assert f'<th scope="row" class="govuk-table__header">{limb.label}</th>' in page
        for words in said:
            assert page.count(words) == 2  # the decision's finding and the assessor's
        assert DecisionGround(ground).label in page
    # Who may fetch the PDF is the access matrix's concern; what it says is the same for all.
    pdf_url = reverse("proposals:decision-record-pdf", args=[proposal.pk])
    pdf = PdfReader(io.BytesIO(client_for(reviewer).get(pdf_url).content))
    pdf_text = " ".join(" ".join(page.extract_text().split()) for page in pdf.pages)
    for limb in Limb:
        assert limb.label in pdf_text
    for words in said:
        assert pdf_text.count(words) == 2
    assert DecisionGround(ground).label in pdf_text
