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

from proposals.models import (
    ChecklistItemStatus,
    CollaborationDuty,
    Confidence,
    CouncilPosition,
    Decision,
    DocumentKind,
    GovernanceModel,
    Proposal,
    ProposalStatus,
    Stage,
    StageStatus,
    Step,
)
from proposals.services import calendar
from proposals.services.audit import audit_record
from proposals.templatetags.proposal_tags import TAG_COLOURS

from .factories import ProposalFactory, attach_document, stage_of

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
    ] + [reverse("proposals:stage", args=[proposal.pk, step.slug]) for step in Step]


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
def test_every_document_kind_is_named_on_its_stage_and_in_history(read, essex, essex_staff, kind):
    proposal = ProposalFactory(pcc=essex, title="Essex proposal")
    document = attach_document(stage_of(proposal, Step.BUSINESS_CASE), kind, essex_staff)
    record(proposal, document, "document.uploaded", by=essex_staff, kind=kind)
    label = DocumentKind(kind).label
    for role in EVERYONE:
        page = read(role, reverse("proposals:stage", args=[proposal.pk, "business-case"]))
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


@pytest.mark.parametrize("confidence", Confidence.values)
def test_every_duty_kind_and_confidence_is_named_on_the_duties_page(read, confidence):
    CollaborationDuty.objects.update(confidence=confidence)
    for role in EVERYONE:
        page = read(role, "/duties/")
        for kind in CollaborationDuty.Kind:
            assert tag(kind.label) in page
        if confidence != Confidence.VERIFIED:
            assert f"({Confidence(confidence).label.lower()})" in page
