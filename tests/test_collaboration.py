"""The collaboration register (issue 14): who sees and records what, the forms, the CSV."""

import csv
import io
from datetime import date

import pytest

from proposals.forms.collaboration import SUBJECT_REQUIRED, TITLE_REQUIRED
from proposals.models import (
    AgreementStatus,
    AuditEvent,
    CollaborationAgreement,
    CollaborationDuty,
    CollaborationSubject,
    Consideration,
)
from proposals.services import collaboration, drafting
from proposals.services.drafting import STALE_EDIT
from proposals.views.collaboration import CONSIDERATIONS_SAVED, SAVED

from .factories import AgreementFactory

pytestmark = pytest.mark.django_db

ROLES = [
    "anonymous",
    "essex_staff",
    "essex_signatory",
    "sussex_staff",
    "reviewer",
    "funding_admin",
    "site_admin",
    "essex_consultee",
    "assessor",
]

# page -> expected status per role, in ROLES order ("login" = sent to sign in). {essex} is an
# Essex agreement's id: Sussex's people get 404, as if it did not exist.
MATRIX = {
    "/collaboration/": ["login", 200, 200, 200, 200, 200, 200, 403, 403],
    "/collaboration/register.csv": ["login", 200, 200, 200, 200, 200, 200, 403, 403],
    "/collaboration/new/": ["login", 200, 200, 200, 403, 403, 403, 403, 403],
    "/collaboration/{essex}/": ["login", 200, 200, 404, 200, 200, 200, 403, 403],
    "/collaboration/{essex}/change/": ["login", 200, 200, 404, 403, 403, 403, 403, 403],
    "/collaboration/{essex}/considerations/": ["login", 200, 200, 404, 403, 403, 403, 403, 403],
    "/collaboration/999999/": ["login", 404, 404, 404, 404, 404, 404, 403, 403],
}


@pytest.fixture
def essex_agreement(essex):
    return AgreementFactory(pcc=essex, title="Shared headquarters at Kelvedon Park")


@pytest.fixture
def sussex_agreement(sussex):
    return AgreementFactory(pcc=sussex, title="Joint control room for Sussex")


@pytest.mark.parametrize(
    ("path", "role", "expected"),
    [
        (path, role, expected)
        for path, row in MATRIX.items()
        for role, expected in zip(ROLES, row, strict=True)
    ],
)
def test_register_pages_answer_each_role_as_the_matrix_says(
    request, client_for, essex_agreement, path, role, expected
):
    user = None if role == "anonymous" else request.getfixturevalue(role)
    response = client_for(user).get(path.format(essex=essex_agreement.pk))
    if expected == "login":
        assert response.status_code == 302
        assert response["Location"].startswith("/accounts/login/?next=")
    else:
        assert response.status_code == expected


def test_pcc_people_see_only_their_own_areas_agreements(
    client_for, sussex_staff, essex_agreement, sussex_agreement
):
    page = client_for(sussex_staff).get("/collaboration/").content.decode()
    assert "Joint control room for Sussex" in page
    assert "Shared headquarters at Kelvedon Park" not in page


def test_the_home_office_sees_every_area_with_its_review_dates(
    client_for, reviewer, essex_agreement, sussex_agreement
):
    page = client_for(reviewer).get("/collaboration/").content.decode()
    assert "Shared headquarters at Kelvedon Park" in page
    assert "Joint control room for Sussex" in page
    assert "1 April 2027" in page
    assert "Record a collaboration agreement" not in page


def test_filters_narrow_the_register_by_area_subject_and_status(
    client_for, reviewer, essex, essex_agreement, sussex_agreement
):
    AgreementFactory(pcc=essex, title="Shared fleet workshop", subject=CollaborationSubject.FLEET)
    client = client_for(reviewer)
    by_area = client.get("/collaboration/", {"pcc": "sussex"}).content.decode()
    assert "Joint control room for Sussex" in by_area
    assert "Kelvedon Park" not in by_area
    by_subject = client.get("/collaboration/", {"subject": "fleet"}).content.decode()
    assert "Shared fleet workshop" in by_subject
    assert "Kelvedon Park" not in by_subject
    by_status = client.get("/collaboration/", {"status": "ended"}).content.decode()
    assert "No agreement matches these filters." in by_status


def test_csv_lists_the_filtered_agreements_with_parties_and_dates(
    client_for, reviewer, essex_agreement, sussex_agreement
):
    essex_agreement.duties.set(CollaborationDuty.objects.filter(provision="PCA 2017 s.1"))
    response = client_for(reviewer).get("/collaboration/register.csv", {"pcc": "essex"})
    rows = list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode("utf-8-sig"))))
    assert rows[0][:5] == ["Area", "Agreement", "Subject", "Status", "Parties"]
    assert rows[1:] == [
        [
            "Essex",
            "Shared headquarters at Kelvedon Park",
            "Estates and shared buildings",
            "In force",
            "Essex Police; Essex Fire Authority",
            "PCA 2017 s.1",
            "",
            "2020-04-01",
            "2027-04-01",
            "",
            "",
            "no",
        ]
    ]


def test_csv_for_pcc_people_holds_only_their_area(
    client_for, sussex_staff, essex_agreement, sussex_agreement
):
    response = client_for(sussex_staff).get("/collaboration/register.csv")
    text = b"".join(response.streaming_content).decode("utf-8-sig")
    assert "Joint control room for Sussex" in text
    assert "Kelvedon Park" not in text


def _form(essex, **changes):
    authority = essex.fire_authorities.first()
    data = {
        "title": "Joint estates strategy",
        "subject": "estates",
        "status": "in_force",
        "police_is_party": "on",
        "fire_authorities": [authority.pk],
        "starts_on_0": "1",
        "starts_on_1": "4",
        "starts_on_2": "2019",
        "review_on_0": "1",
        "review_on_1": "4",
        "review_on_2": "2027",
        "summary": "Shared buildings.",
        "version": "",
    }
    data.update(changes)
    return data


def test_pcc_staff_record_an_agreement_and_it_is_audited(client_for, essex, essex_staff):
    response = client_for(essex_staff).post("/collaboration/new/", _form(essex), follow=True)
    agreement = CollaborationAgreement.objects.get(title="Joint estates strategy")
    assert response.redirect_chain[-1][0] == f"/collaboration/{agreement.pk}/"
    page = response.content.decode()
    assert SAVED in page
    assert agreement.pcc == essex
    assert agreement.review_on == date(2027, 4, 1)
    event = AuditEvent.objects.get(action="collaboration_agreement.saved")
    assert event.actor == essex_staff
    assert event.after["parties"] == ["Essex Police", "Essex Fire Authority"]


def test_missing_answers_are_named_by_their_fields_and_kept(client_for, essex, essex_staff):
    data = _form(essex, title="", subject="", summary="Kept text")
    page = client_for(essex_staff).post("/collaboration/new/", data).content.decode()
    assert "govuk-error-summary" in page
    assert page.count(TITLE_REQUIRED) == 2
    assert page.count(SUBJECT_REQUIRED) == 2
    assert "Kept text" in page
    assert not CollaborationAgreement.objects.exists()


def test_one_party_alone_is_refused(client_for, essex, essex_staff):
    data = _form(essex, fire_authorities=[])
    page = client_for(essex_staff).post("/collaboration/new/", data).content.decode()
    assert page.count(collaboration.TWO_PARTIES) == 2
    assert not CollaborationAgreement.objects.exists()


def test_a_review_date_before_the_start_is_refused(client_for, essex, essex_staff):
    data = _form(essex, review_on_2="2018")
    page = client_for(essex_staff).post("/collaboration/new/", data).content.decode()
    assert page.count(collaboration.REVIEW_BEFORE_START) == 2


def test_another_areas_fire_authority_is_refused(essex, sussex, essex_staff):
    with pytest.raises(collaboration.ValidationError) as refused:
        collaboration.agreement_save(
            pcc=essex,
            agreement=None,
            values=_values(),
            fire_authorities=sussex.fire_authorities.all(),
            ambulance_trusts=[],
            duties=[],
            version="",
            by=essex_staff,
        )
    assert refused.value.message_dict["fire_authorities"] == [collaboration.BODY_OUTSIDE_AREA]


def test_reviewers_cannot_record_an_areas_agreement(essex, reviewer):
    with pytest.raises(collaboration.workflow.TransitionRefused):
        collaboration.agreement_save(
            pcc=essex,
            agreement=None,
            values=_values(),
            fire_authorities=essex.fire_authorities.all(),
            ambulance_trusts=[],
            duties=[],
            version="",
            by=reviewer,
        )


def _values(**changes):
    return {
        "title": "Joint training centre",
        "subject": "training",
        "status": "proposed",
        "police_is_party": True,
        "notified_on": None,
        "starts_on": None,
        "review_on": None,
        "ends_on": None,
        "summary": "",
        "source_url": "",
        **changes,
    }


def test_a_stale_change_is_refused_and_keeps_what_was_typed(
    client_for, essex, essex_staff, essex_signatory, essex_agreement
):
    path = f"/collaboration/{essex_agreement.pk}/change/"
    stale_version = collaboration.agreement_version(essex_agreement)
    first = _form(essex, title="Signatory's title", version=stale_version)
    assert client_for(essex_signatory).post(path, first).status_code == 302
    second = _form(essex, title="Staff's title", version=stale_version)
    page = client_for(essex_staff).post(path, second).content.decode()
    assert STALE_EDIT in page
    assert "Staff&#x27;s title" in page
    essex_agreement.refresh_from_db()
    assert essex_agreement.title == "Signatory's title"


def test_each_party_records_its_consideration_and_a_decline_needs_reasons(
    client_for, essex, essex_staff, essex_agreement
):
    path = f"/collaboration/{essex_agreement.pk}/considerations/"
    client = client_for(essex_staff)
    version = collaboration.considerations_version(essex_agreement)
    fire = f"fire-{essex.fire_authorities.first().pk}"
    data = {
        "police-0_decision": "agreed",
        f"{fire}_decision": "declined",
        "version": version,
    }
    page = client.post(path, data).content.decode()
    assert "Enter the reasons Essex Fire Authority gave for declining" in page
    assert not Consideration.objects.exists()
    data[f"{fire}_reasons"] = "No savings shown."
    response = client.post(path, data, follow=True)
    page = response.content.decode()
    assert CONSIDERATIONS_SAVED in page
    assert "No savings shown." in page
    assert {item.decision for item in Consideration.objects.all()} == {"agreed", "declined"}
    assert AuditEvent.objects.filter(action="collaboration_consideration.saved").count() == 2


@pytest.mark.parametrize("status", AgreementStatus.values)
@pytest.mark.parametrize("role", ["essex_staff", "reviewer"])
def test_every_status_shows_on_the_register_and_the_agreement(
    request, client_for, essex, status, role
):
    agreement = AgreementFactory(pcc=essex, status=status)
    client = client_for(request.getfixturevalue(role))
    label = AgreementStatus(status).label
    assert label in client.get("/collaboration/").content.decode()
    assert label in client.get(f"/collaboration/{agreement.pk}/").content.decode()


@pytest.mark.parametrize("decision", Consideration.Decision.values)
def test_every_decision_shows_on_the_agreement(client_for, essex, reviewer, decision):
    agreement = AgreementFactory(pcc=essex, status=AgreementStatus.PROPOSED)
    Consideration.objects.create(
        agreement=agreement, party_kind="police", decision=decision, reasons="Reasons given"
    )
    page = client_for(reviewer).get(f"/collaboration/{agreement.pk}/").content.decode()
    assert Consideration.Decision(decision).label in page


@pytest.mark.parametrize("subject", CollaborationSubject.values)
def test_every_subject_shows_on_the_register(client_for, essex, reviewer, subject):
    AgreementFactory(pcc=essex, subject=subject)
    page = client_for(reviewer).get("/collaboration/").content.decode()
    assert CollaborationSubject(subject).label in page


def test_register_queries_stay_constant_as_agreements_grow(
    client_for, reviewer, essex, sussex, django_assert_max_num_queries
):
    client = client_for(reviewer)
    AgreementFactory(pcc=essex)
    with django_assert_max_num_queries(20) as few:
        client.get("/collaboration/")
    for pcc in (essex, sussex):
        AgreementFactory.create_batch(15, pcc=pcc)
    with django_assert_max_num_queries(len(few.captured_queries)):
        client.get("/collaboration/")


# --- Business cases cite the register; /duties/ reads from it ---------------------------------


def _s1():
    return CollaborationDuty.objects.get(provision="PCA 2017 s.1")


def test_business_case_duty_evidence_cites_the_areas_agreements(
    client_for, essex_proposal, essex_staff, essex_agreement, sussex_agreement
):
    client = client_for(essex_staff)
    path = f"/proposals/{essex_proposal.pk}/business-case/duties/"
    form = client.get(path).content.decode()
    assert "Shared headquarters at Kelvedon Park" in form
    assert "Joint control room for Sussex" not in form
    duty = _s1()
    response = client.post(
        path,
        {
            f"duty_{duty.pk}": "We share our headquarters.",
            f"agreements_{duty.pk}": [essex_agreement.pk],
            "base_revision": 0,
        },
    )
    assert response.status_code == 302
    evidence = essex_proposal.revisions.get().duty_evidence.get()
    assert list(evidence.agreements.all()) == [essex_agreement]
    detail = client.get(f"/collaboration/{essex_agreement.pk}/").content.decode()
    assert essex_proposal.title in detail


def test_citing_an_agreement_without_saying_how_is_refused_by_the_field(
    client_for, essex_proposal, essex_staff, essex_agreement
):
    duty = _s1()
    page = (
        client_for(essex_staff)
        .post(
            f"/proposals/{essex_proposal.pk}/business-case/duties/",
            {f"agreements_{duty.pk}": [essex_agreement.pk], "base_revision": 0},
        )
        .content.decode()
    )
    message = drafting.CITED_WITHOUT_EVIDENCE.format(provision=duty.provision)
    assert page.count(message) == 2
    assert not essex_proposal.revisions.exists()


def test_another_areas_agreement_cannot_be_cited(
    client_for, essex_proposal, essex_staff, essex_agreement, sussex_agreement
):
    duty = _s1()
    page = (
        client_for(essex_staff)
        .post(
            f"/proposals/{essex_proposal.pk}/business-case/duties/",
            {
                f"duty_{duty.pk}": "Evidence",
                f"agreements_{duty.pk}": [sussex_agreement.pk],
                "base_revision": 0,
            },
        )
        .content.decode()
    )
    assert drafting.CITED_OUTSIDE_AREA in page
    assert not essex_proposal.revisions.exists()


def test_duties_page_lists_the_register_entries_following_each_duty_by_area(
    client_for, reviewer, sussex_staff, essex_agreement, sussex_agreement
):
    for agreement in (essex_agreement, sussex_agreement):
        agreement.duties.set([_s1()])
    everyone = client_for(reviewer).get("/duties/").content.decode()
    assert "Shared headquarters at Kelvedon Park" in everyone
    assert "Joint control room for Sussex" in everyone
    own = client_for(sussex_staff).get("/duties/").content.decode()
    assert "Joint control room for Sussex" in own
    assert "Kelvedon Park" not in own


def test_a_stale_consideration_save_is_refused(
    essex, essex_staff, essex_signatory, essex_agreement
):
    decisions = {"police-0": {"decision": "agreed", "decided_on": None, "reasons": ""}}
    version = collaboration.considerations_version(essex_agreement)
    collaboration.considerations_save(
        agreement=essex_agreement, decisions=decisions, version=version, by=essex_signatory
    )
    with pytest.raises(drafting.StaleEdit):
        collaboration.considerations_save(
            agreement=essex_agreement, decisions=decisions, version=version, by=essex_staff
        )
