"""Every proposal URL — pages, forms, downloads and actions — against every role."""

import pytest
from django.urls import reverse

from proposals.models import DocumentKind, StageStatus, Step
from proposals.services import drafting

from .factories import ProposalFactory, attach_document, representation_of, stage_of

pytestmark = pytest.mark.django_db

ROLES = [
    "anonymous",
    "essex_staff",
    "essex_signatory",
    "sussex_staff",
    "sussex_signatory",
    "reviewer",
    "funding_admin",
    "essex_consultee",
    "sussex_consultee",
    "assessor",
    "other_assessor",
]
LOGIN = "login"
#: Consultees (Essex's, Sussex's) and assessors (assigned to the proposal, not assigned) reach
#: none of the proposal's own pages: they read its public record (tests/test_representations).
OUTSIDERS = [404, 404, 404, 404]
# Expected answers per role, in ROLES order.
READ = [LOGIN, 200, 200, 404, 404, 200, 200, *OUTSIDERS]
DRAFT = [LOGIN, 200, 200, 404, 404, 403, 403, *OUTSIDERS]
REVIEW = [LOGIN, 403, 403, 404, 404, 200, 403, *OUTSIDERS]
# Editing a stage that is not open: those who could edit it later are sent back to the stage
# with the reason; those who never could are refused.
PCC_LOCKED = [LOGIN, 302, 302, 404, 404, 403, 403, *OUTSIDERS]
HOME_OFFICE_LOCKED = [LOGIN, 403, 403, 404, 404, 302, 403, *OUTSIDERS]

PAGES = {
    "detail": READ,
    "business-case": READ,
    "check-answers": READ,
    "revisions": READ,
    "compare?from=1&to=2": READ,
    "stage business-case": READ,
    "stage consultation": READ,
    "stage submission": READ,
    # The assigned assessor opens the independent assessment stage, and only that one.
    "stage independent-assessment": [LOGIN, 200, 200, 404, 404, 200, 200, 404, 404, 200, 404],
    "stage decision": READ,
    "stage order": READ,
    # A governance proposal has no stage of another model's route: nobody finds one.
    "stage fire-authority-consultation": [LOGIN, 404, 404, 404, 404, 404, 404, *OUTSIDERS],
    "stage fire-authority-agreement": [LOGIN, 404, 404, 404, 404, 404, 404, *OUTSIDERS],
    "stage staff-transfer": [LOGIN, 404, 404, 404, 404, 404, 404, *OUTSIDERS],
    "section single_employer_reasons": [LOGIN, 404, 404, 404, 404, 404, 404, *OUTSIDERS],
    "model": DRAFT,
    "download": READ,
    "decision-record-pdf": READ,
    "section economy": DRAFT,
    "duties": DRAFT,
    "document-upload business-case": DRAFT,
    "withdraw": DRAFT,
    "suspend": DRAFT,
    "stage-return business-case": REVIEW,
    "due-date business-case": REVIEW,
    "legal-challenge": REVIEW,
    "sign-off submission": [LOGIN, 403, 200, 404, 404, 403, 403, *OUTSIDERS],
    "case-officer": REVIEW,
    "assessors": REVIEW,
    "stage-details consultation": PCC_LOCKED,
    "stage-details decision": HOME_OFFICE_LOCKED,
    "stage-details independent-assessment": [
        *[LOGIN, 403, 403, 404, 404, 302, 403],
        *[404, 404, 302, 404],
    ],
    "council-positions consultation": PCC_LOCKED,
    "public-record": [LOGIN, 200, 200, 404, 404, 200, 200, 200, 404, 200, 404],
    # Before the consultation opens, the consultee is sent back to the public record with why.
    "representation": [LOGIN, 403, 403, 404, 404, 403, 403, 302, 404, 403, 404],
    "representation-respond": [LOGIN, 200, 200, 404, 404, 403, 403, *OUTSIDERS],
}

# POST actions: expected answers; 302 means the action ran or was explained on the page.
ACTIONS = {
    "stage-action business-case submit": [LOGIN, 302, 302, 404, 404, 403, 403, *OUTSIDERS],
    "stage-action business-case approve": [LOGIN, 403, 403, 404, 404, 302, 403, *OUTSIDERS],
    "stage-action business-case revise": [LOGIN, 302, 302, 404, 404, 403, 403, *OUTSIDERS],
    "stage-action decision complete": [LOGIN, 403, 403, 404, 404, 302, 403, *OUTSIDERS],
    # The signatory is asked to confirm the declaration: nothing is signed without it.
    "sign-off submission": [LOGIN, 403, 200, 404, 404, 403, 403, *OUTSIDERS],
    "comment": [LOGIN, 302, 302, 404, 404, 302, 403, *OUTSIDERS],
    # Only a reviewer completes the assessment, not the assessor who records it.
    "stage-action independent-assessment complete": [
        *[LOGIN, 403, 403, 404, 404, 302, 403],
        *OUTSIDERS,
    ],
    # The submission has not started: its PCC people are sent back to it with why.
    "submission-pack submission": [LOGIN, 302, 302, 404, 404, 403, 403, *OUTSIDERS],
    # PCC people see the form again, saying what is missing; the rest are refused.
    "model": [LOGIN, 200, 200, 404, 404, 403, 403, *OUTSIDERS],
}


@pytest.fixture
def proposal(essex, essex_staff, essex_fire_consultee, assessor):
    proposal = ProposalFactory(pcc=essex, title="Essex draft")
    proposal.assessors.add(assessor)
    # The fire authority's representation, for the PCC's response page.
    representation_of(proposal, essex_fire_consultee)
    for number, text in enumerate(["First draft", "Second draft"]):
        drafting.business_case_section_save(
            proposal=proposal,
            section="economy",
            text=text,
            base_revision=number,
            by=essex_staff,
        )
    attach_document(stage_of(proposal, Step.BUSINESS_CASE), DocumentKind.BUSINESS_CASE, essex_staff)
    return proposal


def path_for(name: str, proposal) -> str:
    route, *args = name.split("?")[0].split()
    if route == "download":
        document = proposal.documents.get()
        path = reverse("proposals:document-download", args=[proposal.pk, document.pk])
    elif route == "representation-respond":
        representation = proposal.representations.get()
        path = reverse(f"proposals:{route}", args=[proposal.pk, representation.pk])
    else:
        path = reverse(f"proposals:{route}", args=[proposal.pk, *args])
    return path + ("?" + name.split("?")[1] if "?" in name else "")


def client_as(request, client_for, role):
    return client_for(None if role == "anonymous" else request.getfixturevalue(role))


def check(response, expected):
    if expected == LOGIN:
        assert response.status_code == 302
        assert response["Location"].startswith("/accounts/login/?next=")
    else:
        assert response.status_code == expected


@pytest.mark.parametrize(
    ("name", "role", "expected"),
    [
        (name, role, expected)
        for name, row in PAGES.items()
        for role, expected in zip(ROLES, row, strict=True)
    ],
)
def test_proposal_page_answers_each_role(request, client_for, proposal, name, role, expected):
    check(client_as(request, client_for, role).get(path_for(name, proposal)), expected)


@pytest.mark.parametrize(
    ("name", "role", "expected"),
    [
        (name, role, expected)
        for name, row in ACTIONS.items()
        for role, expected in zip(ROLES, row, strict=True)
    ],
)
def test_proposal_action_answers_each_role(request, client_for, proposal, name, role, expected):
    route, *args = name.split()
    path = reverse(f"proposals:{route}", args=[proposal.pk, *args])
    before = list(proposal.stages.order_by("step").values_list("status", flat=True))
    response = client_as(request, client_for, role).post(path, {"body": "A comment"})
    check(response, expected)
    if expected != 302:
        after = list(proposal.stages.order_by("step").values_list("status", flat=True))
        assert after == before
        assert not proposal.comments.exists()


def test_pcc_people_do_not_see_home_office_only_comments_or_their_history(
    client_for, proposal, reviewer, essex_staff
):
    from proposals.services.comments import comment_add

    comment_add(
        proposal=proposal, body="Minister is minded to refuse", home_office_only=True, by=reviewer
    )
    staff_page = client_for(essex_staff).get(path_for("detail", proposal)).content.decode()
    reviewer_page = client_for(reviewer).get(path_for("detail", proposal)).content.decode()
    assert "Minister is minded to refuse" not in staff_page
    assert "Minister is minded to refuse" in reviewer_page


def test_a_withdrawn_proposal_offers_no_changes_to_anyone(
    client_for, proposal, essex_staff, reviewer
):
    from proposals.services.workflow import proposal_transition

    proposal_transition(proposal=proposal, action="withdraw", by=essex_staff, reason="Stopped")
    response = client_for(essex_staff).get(path_for("section economy", proposal))
    assert response.status_code == 302
    assert response["Location"] == path_for("business-case", proposal)
    staff_page = client_for(essex_staff).get(path_for("detail", proposal)).content.decode()
    assert "Add comment" not in staff_page
    stage_page = client_for(essex_staff).get(path_for("stage business-case", proposal))
    assert "Submit for review" not in stage_page.content.decode()
    assert stage_of(proposal, Step.BUSINESS_CASE).status == StageStatus.IN_PROGRESS
    reviewer_page = client_for(reviewer).get(path_for("detail", proposal)).content.decode()
    assert "Flag a legal challenge" not in reviewer_page
