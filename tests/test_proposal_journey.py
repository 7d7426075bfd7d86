"""A proposal walked from a new draft to transferred through the pages, as people would."""

import csv
import io
from datetime import date

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils.html import escape

from proposals.diff import COMPARE_MAX_WORDS
from proposals.forms.drafting import COUNCIL_DATE_ERROR
from proposals.models import (
    BUSINESS_CASE_SECTIONS,
    SECTION_MAX_CHARS,
    CollaborationDuty,
    Proposal,
    ProposalStatus,
    StageStatus,
    Step,
)
from proposals.services.drafting import STALE_EDIT, text_too_long

from .factories import LIMBS_FOUND

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n1 0 obj << >> endobj\n%%EOF\n"


def url(name, proposal, *args):
    return reverse(f"proposals:{name}", args=[proposal.pk, *args])


def date_fields(name, day: date) -> dict:
    return {f"{name}_0": day.day, f"{name}_1": day.month, f"{name}_2": day.year}


def ok(response):
    """A form post that worked redirects; one that did not shows its errors."""
    assert response.status_code == 302, response.content.decode()[:3000]
    return response


class People:
    def __init__(self, client_for, staff, signatory, reviewer):
        self.staff = client_for(staff)
        self.signatory = client_for(signatory)
        self.reviewer = client_for(reviewer)


@pytest.fixture
def people(client_for, essex_staff, essex_signatory, reviewer):
    return People(client_for, essex_staff, essex_signatory, reviewer)


def create_proposal(people, essex) -> Proposal:
    ok(
        people.staff.post(
            reverse("proposals:create"),
            {
                "title": "Essex: PCC to become the fire and rescue authority",
                "governance_model": "governance",
                "fire_authorities": [essex.fire_authorities.get().pk],
            },
        )
    )
    return Proposal.objects.get(title="Essex: PCC to become the fire and rescue authority")


def upload(client, proposal, step, kind, name="document.pdf"):
    return ok(
        client.post(
            url("document-upload", proposal, step.slug),
            {
                "kind": kind,
                "file": SimpleUploadedFile(name, PDF),
            },
        )
    )


def write_business_case(people, proposal):
    for number, section in enumerate(BUSINESS_CASE_SECTIONS):
        ok(
            people.staff.post(
                url("section", proposal, section.field),
                {
                    "text": f"Our case on {section.label.lower()}.",
                    "base_revision": number,
                },
            )
        )
    duty = CollaborationDuty.objects.get(provision="PCA 2017 s.2(1)")
    ok(
        people.staff.post(
            url("duties", proposal),
            {
                f"duty_{duty.pk}": "We review collaboration every quarter.",
                "base_revision": len(BUSINESS_CASE_SECTIONS),
            },
        )
    )
    upload(people.staff, proposal, Step.BUSINESS_CASE, "business_case", "Business case.pdf")


def stage_status(proposal, step):
    return proposal.stages.get(step=step).status


def run_consultation(people, proposal, essex, objecting=()):
    step = Step.CONSULTATION.slug
    ok(
        people.staff.post(
            url("stage-details", proposal, step),
            {
                **date_fields("starts_on", date(2017, 2, 16)),
                **date_fields("ends_on", date(2017, 5, 10)),
                "responses_received": "1200",
                "summary": "Most agreed.",
                "version": "",
            },
        )
    )
    positions = {"version": ""}
    for council in essex.local_authorities.all():
        prefix = f"council_{council.pk}"
        positions[f"{prefix}_position"] = "objects" if council.name in objecting else "supports"
        positions.update(date_fields(f"{prefix}_stated_on", date(2017, 5, 1)))
        positions[f"{prefix}_evidence"] = "Council resolution"
    ok(people.staff.post(url("council-positions", proposal, step), positions))
    upload(people.staff, proposal, Step.CONSULTATION, "consultation_report")
    ok(people.staff.post(url("stage-action", proposal, step, "submit")))
    ok(people.reviewer.post(url("stage-action", proposal, step, "approve")))


def submit_to_home_secretary(people, proposal):
    step = Step.SUBMISSION.slug
    ok(people.signatory.post(url("sign-off", proposal, step), {"confirmed": "on"}))
    ok(people.staff.post(url("stage-action", proposal, step, "submit")))
    ok(people.reviewer.post(url("stage-action", proposal, step, "approve")))


def decide(people, proposal, outcome):
    step = Step.DECISION.slug
    ok(
        people.reviewer.post(
            url("stage-details", proposal, step),
            {
                "outcome": outcome,
                **date_fields("decided_on", date(2017, 7, 25)),
                "summary": "The Home Secretary's letter.",
                **LIMBS_FOUND,
                "version": "",
            },
        )
    )
    upload(people.reviewer, proposal, Step.DECISION, "decision_letter")
    ok(people.reviewer.post(url("stage-action", proposal, step, "complete")))


def decide_and_order(people, proposal, transfer_date):
    decide(people, proposal, "approved")
    step = Step.ORDER.slug
    ok(
        people.reviewer.post(
            url("stage-details", proposal, step),
            {
                "si_number": "2017/864",
                **date_fields("made_on", date(2017, 9, 6)),
                **date_fields("laid_on", date(2017, 9, 8)),
                **date_fields("in_force_on", transfer_date),
                **date_fields("transfer_date", transfer_date),
                "version": "",
            },
        )
    )
    ok(people.reviewer.post(url("stage-action", proposal, step, "complete")))


def test_a_proposal_walks_from_draft_to_transferred_without_objection(people, essex):
    proposal = create_proposal(people, essex)
    write_business_case(people, proposal)
    check = people.staff.get(url("check-answers", proposal)).content.decode()
    assert "Our case on economy." in check
    assert "Submit for review" in check
    ok(people.staff.post(url("stage-action", proposal, "business-case", "submit")))
    ok(
        people.reviewer.post(
            url("stage-return", proposal, "business-case"),
            {"reason": "Please cost the single employer option."},
        )
    )
    stage_page = people.staff.get(url("stage", proposal, "business-case")).content.decode()
    assert "Please cost the single employer option." in stage_page
    ok(people.staff.post(url("stage-action", proposal, "business-case", "revise")))
    ok(
        people.staff.post(
            url("section", proposal, "financial_case"),
            {"text": "Single employer costed at £1.2m.", "base_revision": 8},
        )
    )
    ok(people.staff.post(url("stage-action", proposal, "business-case", "submit")))
    ok(people.reviewer.post(url("stage-action", proposal, "business-case", "approve")))
    assert stage_status(proposal, Step.CONSULTATION) == StageStatus.IN_PROGRESS

    run_consultation(people, proposal, essex)
    submit_to_home_secretary(people, proposal)
    assert stage_status(proposal, Step.INDEPENDENT_ASSESSMENT) == StageStatus.SKIPPED
    decide_and_order(people, proposal, transfer_date=date(2017, 10, 1))

    proposal.refresh_from_db()
    assert proposal.status == ProposalStatus.TRANSFERRED
    page = people.staff.get(url("detail", proposal)).content.decode()
    for line in [
        "Proposal created",
        "Business case submitted for review",
        "Business case returned to the PCC",
        "Please cost the single employer option.",
        "Independent assessment skipped",
        "Submission signed off by the PCC signatory",
        "Fire governance transferred",
        "Document uploaded",
    ]:
        assert line in page, line


def test_a_rejected_proposal_reads_rejected_on_every_page_and_export(people, essex):
    proposal = create_proposal(people, essex)
    write_business_case(people, proposal)
    ok(people.staff.post(url("stage-action", proposal, "business-case", "submit")))
    ok(people.reviewer.post(url("stage-action", proposal, "business-case", "approve")))
    run_consultation(people, proposal, essex)
    submit_to_home_secretary(people, proposal)
    decide(people, proposal, "rejected")

    for client in (people.staff, people.reviewer):
        for page in (url("detail", proposal), "/pccs/essex/"):
            response = client.get(page)
            assert response.status_code == 200
            assert ">Rejected</strong>" in response.content.decode()
        decision = client.get(url("stage", proposal, "decision")).content.decode()
        assert '<strong class="govuk-tag govuk-tag--red">Rejected</strong>' in decision
        assert "Approved" not in decision
        assert "Rejection recorded</dt>" in decision  # not to be read as the decision's date
        history = client.get(url("detail", proposal)).content.decode()
        assert "<dt>Status</dt><dd><del>In progress</del> → Rejected</dd>" in history
        assert "<dt>Status</dt><dd><del>Active</del> → Rejected</dd>" in history
    overview = people.reviewer.get("/overview/")
    assert overview.status_code == 200
    assert ">Rejected</strong>" in overview.content.decode()
    csv_text = b"".join(people.reviewer.get("/overview/proposals.csv").streaming_content)
    (cells,) = csv.DictReader(io.StringIO(csv_text.decode("utf-8-sig")))
    assert cells["Status"] == "Rejected"
    assert cells["Decision: status"] == "Rejected"


def test_an_objection_makes_the_home_office_assess_before_deciding(people, essex):
    proposal = create_proposal(people, essex)
    write_business_case(people, proposal)
    ok(people.staff.post(url("stage-action", proposal, "business-case", "submit")))
    ok(people.reviewer.post(url("stage-action", proposal, "business-case", "approve")))
    run_consultation(people, proposal, essex, objecting=["Thurrock Council"])
    submit_to_home_secretary(people, proposal)
    assert stage_status(proposal, Step.INDEPENDENT_ASSESSMENT) == StageStatus.IN_PROGRESS
    step = Step.INDEPENDENT_ASSESSMENT.slug
    refused = people.reviewer.post(url("stage-action", proposal, step, "complete"), follow=True)
    assert "the independent assessment document" in refused.content.decode()
    ok(
        people.reviewer.post(
            url("stage-details", proposal, step),
            {
                "assessor": "CIPFA",
                **date_fields("commissioned_on", date(2017, 11, 1)),
                **date_fields("reported_on", date(2017, 12, 1)),
                "summary": "Meets the tests.",
                "version": "",
            },
        )
    )
    upload(people.reviewer, proposal, Step.INDEPENDENT_ASSESSMENT, "assessment")
    ok(people.reviewer.post(url("stage-action", proposal, step, "complete")))
    decide_and_order(people, proposal, transfer_date=date(2018, 8, 1))
    proposal.refresh_from_db()
    assert proposal.status == ProposalStatus.TRANSFERRED


def test_a_refused_submission_lists_what_is_missing(people, essex):
    proposal = create_proposal(people, essex)
    response = people.staff.post(
        url("stage-action", proposal, "business-case", "submit"), follow=True
    )
    page = response.content.decode()
    assert "govuk-error-summary" in page
    assert "the business case document" in page


def test_a_stale_section_save_is_refused_and_keeps_the_text(people, essex):
    proposal = create_proposal(people, essex)
    ok(
        people.signatory.post(
            url("section", proposal, "economy"), {"text": "Signatory's words", "base_revision": 0}
        )
    )
    response = people.staff.post(
        url("section", proposal, "economy"), {"text": "Staff words", "base_revision": 0}
    )
    page = response.content.decode()
    assert response.status_code == 200
    assert STALE_EDIT.split(".")[0] in page
    assert "Staff words" in page
    assert "Signatory&#x27;s words" in page
    assert proposal.revisions.get().economy == "Signatory's words"
    ok(
        people.staff.post(
            url("section", proposal, "economy"), {"text": "Staff words", "base_revision": 1}
        )
    )


def test_bad_dates_are_answered_by_the_field_and_the_input_kept(people, essex):
    proposal = create_proposal(people, essex)
    write_business_case(people, proposal)
    ok(people.staff.post(url("stage-action", proposal, "business-case", "submit")))
    ok(people.reviewer.post(url("stage-action", proposal, "business-case", "approve")))
    response = people.staff.post(
        url("stage-details", proposal, "consultation"),
        {
            **date_fields("starts_on", date(2017, 5, 10)),
            **date_fields("ends_on", date(2017, 2, 1)),
            "responses_received": "lots",
            "summary": "Kept summary",
            "version": "",
        },
    )
    page = response.content.decode()
    assert response.status_code == 200
    assert "The consultation must end on or after the day it starts" in page
    assert "Enter the number of responses, as a whole number" in page
    assert "Kept summary" in page


def test_a_councils_date_error_names_the_council_by_the_field_and_in_the_summary(people, essex):
    proposal = create_proposal(people, essex)
    write_business_case(people, proposal)
    ok(people.staff.post(url("stage-action", proposal, "business-case", "submit")))
    ok(people.reviewer.post(url("stage-action", proposal, "business-case", "approve")))
    council = essex.local_authorities.order_by("name").first()
    prefix = f"council_{council.pk}"
    response = people.staff.post(
        url("council-positions", proposal, "consultation"),
        {
            f"{prefix}_position": "supports",
            f"{prefix}_stated_on_0": "31",
            f"{prefix}_stated_on_1": "2",
            f"{prefix}_stated_on_2": "2017",
            f"{prefix}_evidence": "Kept evidence",
            "version": "",
        },
    )
    assert response.status_code == 200
    page = response.content.decode()
    message = escape(
        COUNCIL_DATE_ERROR.format(
            council=council.name, error="enter a real date, for example 27 3 2017"
        )
    )
    summary = page.split("govuk-error-summary__list")[1].split("</ul>")[0]
    assert f'href="#id_{prefix}_stated_on_0">{message}</a>' in summary
    by_the_field = page.split('class="govuk-error-message">')[1].split("</span> <div")[0]
    assert f'<span class="govuk-visually-hidden">Error:</span> {message}' in by_the_field
    assert "Kept evidence" in page


def test_revisions_can_be_compared_side_by_side(people, essex):
    proposal = create_proposal(people, essex)
    ok(
        people.staff.post(
            url("section", proposal, "economy"),
            {"text": "Savings of two million pounds", "base_revision": 0},
        )
    )
    ok(
        people.staff.post(
            url("section", proposal, "economy"),
            {"text": "Savings of three million pounds", "base_revision": 1},
        )
    )
    page = people.staff.get(url("compare", proposal), {"from": 1, "to": 2}).content.decode()
    assert '<del class="app-diff-removed">two</del>' in page
    assert '<ins class="app-diff-added">three</ins>' in page
    assert people.staff.get(url("compare", proposal), {"from": 1, "to": 9}).status_code == 404


def test_a_long_section_is_compared_as_a_whole_not_word_by_word(people, essex):
    """Matching words costs more than linear time: past COMPARE_MAX_WORDS a changed section is
    marked whole, so one request cannot tie up a worker."""
    proposal = create_proposal(people, essex)
    words = [f"w{number % 97}" for number in range(COMPARE_MAX_WORDS + 1)]
    for base, last in enumerate(("two", "three")):
        ok(
            people.staff.post(
                url("section", proposal, "economy"),
                {"text": " ".join([*words, last]), "base_revision": base},
            )
        )
    page = people.staff.get(url("compare", proposal), {"from": 1, "to": 2}).content.decode()
    assert page.count('<del class="app-diff-removed">') == 1
    assert f'<del class="app-diff-removed">{" ".join(words)} two</del>' in page
    assert f'<ins class="app-diff-added">{" ".join(words)} three</ins>' in page


def test_a_section_longer_than_the_limit_is_refused_by_the_field(people, essex):
    proposal = create_proposal(people, essex)
    typed = "Savings. " * (SECTION_MAX_CHARS // 9 + 1)
    response = people.staff.post(
        url("section", proposal, "economy"), {"text": typed, "base_revision": 0}
    )
    assert response.status_code == 200
    page = response.content.decode()
    assert text_too_long("Economy") in page
    assert typed.strip() in page
    assert not proposal.revisions.exists()


def test_the_review_queue_lists_submitted_stages_oldest_first(people, essex):
    first = create_proposal(people, essex)
    write_business_case(people, first)
    ok(people.staff.post(url("stage-action", first, "business-case", "submit")))
    page = people.reviewer.get(reverse("proposals:review-queue")).content.decode()
    assert first.title in page
    assert "1 submitted stage" in page
