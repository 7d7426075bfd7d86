"""Hostile input to every form and action on a proposal: random and malicious values, missing
and tampered fields. Whatever is posted: no server error; a refused post writes nothing and
says why in the error summary, with what was typed still in the form; an accepted post stores
exactly what was typed (trimmed), never a silently changed or dropped value."""

import csv
import io
import re
from collections.abc import Callable
from dataclasses import dataclass, field

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.http.multipartparser import MAX_TOTAL_HEADER_SIZE
from django.urls import reverse
from django.utils import timezone
from hypothesis import given
from hypothesis import strategies as st

from portal.models import Role
from proposals.forms.base import (
    DATE_INCOMPLETE,
    DATE_NOT_REAL,
    DATE_YEAR_FOUR_NUMBERS,
    DATE_YEAR_OUT_OF_RANGE,
)
from proposals.forms.drafting import END_BEFORE_START, POSITION_REQUIRED
from proposals.forms.review import (
    CASE_OFFICER_INVALID,
    DUE_DATE_REQUIRED,
    INTENT_UNCLEAR,
    ORDER_DATES_IN_ORDER,
    REPORTED_BEFORE_COMMISSIONED,
)
from proposals.models import (
    BUSINESS_CASE_SECTIONS,
    SECTION_MAX_CHARS,
    SECTIONS_BY_FIELD,
    CollaborationDuty,
    Comment,
    CouncilPosition,
    Decision,
    DecisionGround,
    Document,
    DocumentKind,
    FireAuthority,
    GovernanceModel,
    Limb,
    LimbFinding,
    LocalAuthority,
    Proposal,
    ProposalStatus,
    StageStatus,
    Step,
    finding_field,
    reasons_field,
)
from proposals.services import drafting
from proposals.services.drafting import STALE_EDIT
from proposals.services.workflow import proposal_transition
from proposals.views.exports import FORMULA_STARTS
from proposals.views.stage import ACTION_MESSAGES, VERSION_UNREADABLE

from .factories import ProposalFactory, UserFactory, stage_of
from .hostile import (
    HOSTILE,
    NULL_CHARACTERS,
    as_choice,
    as_date,
    as_text,
    as_whole_number,
    assert_not_server_error,
    assert_out_of_reach,
    assert_refused,
    date_post,
    error_messages,
    hostile_text,
    junk,
    mostly,
    real_date,
    rolled_back,
    snapshot,
    typed_date,
)

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


def url(name, proposal, *args):
    return reverse(f"proposals:{name}", args=[proposal.pk, *args])


def set_status(proposal, step, status):
    """Put one stage in `status` directly: these tests are about forms, not about the walk
    to a stage (tests/test_workflow.py walks it)."""
    proposal.stages.filter(step=step).update(status=status)


@pytest.fixture
def proposal(essex, essex_staff):
    """An Essex proposal whose business case has one saved revision."""
    proposal = ProposalFactory(pcc=essex, created_by=essex_staff)
    drafting.business_case_section_save(
        proposal=proposal, section="economy", text="Saved", base_revision=0, by=essex_staff
    )
    return proposal


@pytest.fixture
def staff(client_for, essex_staff):
    return client_for(essex_staff)


@pytest.fixture
def home_office(client_for, reviewer):
    return client_for(reviewer)


# --- A new proposal -------------------------------------------------------------------------

OWN, OTHER = "own fire authority", "another PCC's fire authority"


@HOSTILE
@given(
    title=mostly(st.just("Essex governance"), hostile_text),
    model=mostly(st.sampled_from(GovernanceModel.values), junk),
    authorities=st.lists(st.one_of(st.just(OWN), st.just(OTHER), junk), max_size=3),
)
def test_a_new_proposal_takes_only_a_good_title_model_and_own_authorities(
    staff, essex, title, model, authorities
):
    own = str(essex.fire_authorities.get().pk)
    other = str(FireAuthority.objects.exclude(pcc=essex).first().pk)
    posted = [{OWN: own, OTHER: other}.get(value, value) for value in authorities]
    title_ok, cleaned_title = as_text(title, required=True, max_length=200)
    accepted = (
        title_ok
        and model in GovernanceModel.values
        and bool(posted)
        and all(value == own for value in posted)
    )
    with rolled_back():
        before = snapshot()
        response = staff.post(
            reverse("proposals:create"),
            {"title": title, "governance_model": model, "fire_authorities": posted},
        )
        if accepted:
            assert response.status_code == 302
            existing = [row["id"] for row in before["proposals.Proposal"]]
            created = Proposal.objects.exclude(pk__in=existing)
            assert created.get().title == cleaned_title
            assert list(created.get().fire_authorities.values_list("pk", flat=True)) == [int(own)]
        else:
            assert_refused(response, before, kept=[title])


# --- The business case -----------------------------------------------------------------------

CURRENT = "the revision the editor started from"


@HOSTILE
@given(
    section=st.sampled_from([section.field for section in BUSINESS_CASE_SECTIONS]),
    text=hostile_text,
    base=mostly(st.just(CURRENT), st.one_of(junk, st.integers(-5, 2**70).map(str))),
)
def test_a_section_saves_exactly_what_was_typed_or_nothing(staff, proposal, section, text, base):
    current = proposal.revisions.count()
    posted_base = str(current) if base == CURRENT else base
    base_ok, base_number = as_whole_number(posted_base, required=True, min_value=0)
    text_ok, cleaned = as_text(text, max_length=SECTION_MAX_CHARS)
    with rolled_back():
        before = snapshot()
        response = staff.post(
            url("section", proposal, section), {"text": text, "base_revision": posted_base}
        )
        if base_ok and base_number == current and text_ok:
            assert response.status_code == 302
            assert getattr(drafting.business_case_latest(proposal), section) == cleaned
        else:
            messages = assert_refused(response, before, kept=[text])
            if not base_ok:
                assert VERSION_UNREADABLE in messages
            elif base_number != current and text_ok:
                assert STALE_EDIT in messages
            if not text_ok and "\x00" in text:
                assert NULL_CHARACTERS in messages


SLUG = st.from_regex(r"[-a-zA-Z0-9_]{1,30}", fullmatch=True)


@HOSTILE
@given(section=SLUG)
def test_a_made_up_section_is_not_found(staff, proposal, section):
    if section in SECTIONS_BY_FIELD or section in ("duties", "check"):
        return
    with rolled_back():
        before = snapshot()
        response = staff.post(
            url("business-case", proposal) + section + "/", {"text": "x", "base_revision": 1}
        )
        assert_out_of_reach(response, before, status=404)


@HOSTILE
@given(
    evidence=st.dictionaries(st.integers(0, 7), hostile_text, max_size=4),
    tampered=st.dictionaries(
        st.one_of(
            st.integers(min_value=-3, max_value=2**40).map(lambda n: f"duty_{n}"),
            st.text(max_size=12).map(lambda name: f"duty_{name}"),
        ),
        hostile_text,
        max_size=3,
    ),
    base=mostly(st.just(CURRENT), junk),
)
def test_duties_keep_only_real_duties_and_refuse_a_tampered_revision(
    staff, proposal, evidence, tampered, base
):
    duties = list(CollaborationDuty.objects.order_by("pk"))
    current = proposal.revisions.count()
    posted_base = str(current) if base == CURRENT else base
    typed = {duties[index]: text for index, text in evidence.items()}
    data = {**tampered, **{f"duty_{duty.pk}": text for duty, text in typed.items()}}
    data["base_revision"] = posted_base
    base_ok, base_number = as_whole_number(posted_base, required=True, min_value=0)
    texts_ok = all(as_text(text, max_length=SECTION_MAX_CHARS)[0] for text in typed.values())
    with rolled_back():
        before = snapshot()
        response = staff.post(url("duties", proposal), data)
        if base_ok and base_number == current and texts_ok:
            assert response.status_code == 302
            saved = {
                item.duty: item.evidence
                for item in drafting.business_case_latest(proposal).duty_evidence.all()
            }
            assert saved == {duty: text.strip() for duty, text in typed.items() if text.strip()}
        else:
            assert_refused(response, before, kept=list(typed.values()))


# --- Each step's details ---------------------------------------------------------------------


@dataclass
class Details:
    """What one step's details form asks for, to predict what it must make of a post."""

    by: str
    dates: tuple = ()
    texts: dict = field(default_factory=dict)  # name: max length
    numbers: dict = field(default_factory=dict)  # name: limits
    choices: dict = field(default_factory=dict)  # name: (values, required)
    in_order: tuple = ()  # (earlier, later, message)
    patterns: dict = field(default_factory=dict)  # name: (a valid value, regex once trimmed)
    refuses: Callable = lambda expected: []  # fields refused for what other fields hold


#: Each limb's finding and reasons, as a record of the statutory test asks for them.
LIMB_CHOICES = {
    finding_field(limb): ([finding.value for finding in LimbFinding.for_limb(limb)], False)
    for limb in Limb
}
LIMB_TEXTS = {reasons_field(limb): None for limb in Limb}
#: FRSA 2004 s.4A(5), restated: the findings an approval on each ground needs.
GROUND_NEEDS = {
    DecisionGround.ECONOMY_EFFICIENCY_EFFECTIVENESS: {
        "economy_finding": {"in_the_interests"},
        "efficiency_finding": {"in_the_interests"},
        "effectiveness_finding": {"in_the_interests"},
        "public_safety_finding": {"in_the_interests", "no_adverse_effect"},
    },
    DecisionGround.PUBLIC_SAFETY: {"public_safety_finding": {"in_the_interests"}},
}


def reasons_without_a_finding(expected) -> list[str]:
    return [
        finding_field(limb)
        for limb in Limb
        if expected.get(reasons_field(limb)) and not expected.get(finding_field(limb))
    ]


def findings_against_the_ground(expected) -> list[str]:
    if expected.get("outcome") != "approved" or expected.get("ground") not in GROUND_NEEDS:
        return reasons_without_a_finding(expected)
    return reasons_without_a_finding(expected) + [
        name
        for name, needed in GROUND_NEEDS[expected["ground"]].items()
        if expected.get(name) and expected[name] not in needed
    ]


DETAILS = {
    Step.CONSULTATION: Details(
        by="essex_staff",
        dates=("starts_on", "ends_on"),
        texts={"summary": None},
        numbers={"responses_received": {"min_value": 0, "max_value": 10_000_000}},
        in_order=(("starts_on", "ends_on", END_BEFORE_START),),
    ),
    Step.INDEPENDENT_ASSESSMENT: Details(
        by="reviewer",
        dates=("commissioned_on", "reported_on"),
        texts={"assessor": 200, "summary": None, **LIMB_TEXTS},
        choices=LIMB_CHOICES,
        in_order=(("commissioned_on", "reported_on", REPORTED_BEFORE_COMMISSIONED),),
        refuses=reasons_without_a_finding,
    ),
    Step.DECISION: Details(
        by="reviewer",
        dates=("decided_on",),
        texts={"summary": None, **LIMB_TEXTS},
        choices={
            "outcome": (Decision.Outcome.values, True),
            "ground": (DecisionGround.values, False),
            **LIMB_CHOICES,
        },
        refuses=findings_against_the_ground,
    ),
    Step.ORDER: Details(
        by="reviewer",
        dates=("made_on", "laid_on", "in_force_on", "transfer_date"),
        patterns={"si_number": (st.just("2018/970"), r"([0-9]{4}/[1-9][0-9]{0,4})?")},
        in_order=ORDER_DATES_IN_ORDER,
    ),
}
VERSIONS = mostly(st.just(""), st.one_of(junk, hostile_text))
DATES = st.one_of(real_date.map(lambda d: (str(d.day), str(d.month), str(d.year))), typed_date)


@pytest.mark.parametrize("step", DETAILS, ids=lambda step: step.slug)
@HOSTILE
@given(data=st.data())
def test_step_details_store_what_was_typed_or_nothing(request, client_for, proposal, step, data):
    spec = DETAILS[step]
    set_status(proposal, step, StageStatus.IN_PROGRESS)
    client = client_for(request.getfixturevalue(spec.by))
    version = data.draw(VERSIONS, label="version")
    post, expected, problems, kept = {"version": version}, {}, [], []
    for name in spec.dates:
        parts = data.draw(DATES, label=name)
        post.update(date_post(name, parts))
        ok, expected[name] = as_date(parts)
        problems += [] if ok else [name]
        kept += parts
    for name, max_length in spec.texts.items():
        post[name] = data.draw(mostly(st.text(max_size=30)), label=name)
        ok, expected[name] = as_text(post[name], max_length=max_length)
        problems += [] if ok else [name]
        kept.append(post[name])
    for name, (valid, pattern) in spec.patterns.items():
        post[name] = data.draw(mostly(valid), label=name)
        expected[name] = post[name].strip()
        problems += [] if re.fullmatch(pattern, expected[name]) else [name]
        kept.append(post[name])
    for name, limits in spec.numbers.items():
        post[name] = data.draw(mostly(st.integers(0, 5000).map(str), junk), label=name)
        ok, expected[name] = as_whole_number(post[name], **limits)
        problems += [] if ok else [name]
        kept.append(post[name])
    for name, (values, required) in spec.choices.items():
        post[name] = data.draw(mostly(st.sampled_from(values), junk), label=name)
        ok, expected[name] = as_choice(post[name], values, required=required)
        problems += [] if ok else [name]
    for earlier, later, _ in spec.in_order:
        if expected.get(earlier) and expected.get(later) and expected[later] < expected[earlier]:
            problems.append(later)
    problems += spec.refuses(expected)
    version_ok, _ = as_text(version)
    problems += [] if version_ok and version.strip() == "" else ["version"]

    with rolled_back():
        before = snapshot()
        response = client.post(url("stage-details", proposal, step.slug), post)
        if not problems:
            assert response.status_code == 302, error_messages(response.content.decode())
            record = drafting.stage_record(stage_of(proposal, step))
            assert {name: getattr(record, name) for name in expected} == expected
        else:
            messages = assert_refused(response, before, kept=kept)
            if not version_ok:
                assert VERSION_UNREADABLE in messages
            # Each date before one it must follow says so (the first such one, if several).
            for later in {later for _, later, _ in spec.in_order}:
                said = [
                    message
                    for earlier, after, message in spec.in_order
                    if after == later
                    and expected.get(earlier)
                    and expected.get(later)
                    and expected[later] < expected[earlier]
                ]
                if said and later in problems:
                    assert any(message in messages for message in said), messages


@HOSTILE
@given(parts=typed_date)
def test_a_date_that_is_not_real_is_refused_with_a_clear_message(staff, proposal, parts):
    set_status(proposal, Step.CONSULTATION, StageStatus.IN_PROGRESS)
    ok, _ = as_date(parts)
    with rolled_back():
        before = snapshot()
        response = staff.post(
            url("stage-details", proposal, "consultation"),
            {**date_post("starts_on", parts), "version": ""},
        )
        if ok:
            assert response.status_code == 302
            return
        messages = assert_refused(response, before, kept=parts)
        # Never Python's own words ("day is out of range for month", "year 0 is out of range").
        assert not any("out of range" in message for message in messages), messages


@pytest.mark.parametrize(
    ("parts", "message"),
    [
        (("31", "2", "2017"), DATE_NOT_REAL),
        (("30", "2", "2016"), DATE_NOT_REAL),
        (("1", "13", "2017"), DATE_NOT_REAL),
        (("1", "9" * 5000, "2017"), DATE_NOT_REAL),
        (("1", "1", "0"), DATE_YEAR_FOUR_NUMBERS),
        (("1", "1", "17"), DATE_YEAR_FOUR_NUMBERS),
        (("1", "1", "99999"), DATE_YEAR_FOUR_NUMBERS),
        (("1", "1", "9" * 25), DATE_YEAR_FOUR_NUMBERS),
        (("1", "1", "9999"), DATE_YEAR_OUT_OF_RANGE),
        (("1", "1", "0017"), DATE_YEAR_OUT_OF_RANGE),
        (("5", "", "2017"), DATE_INCOMPLETE),
        (("5", " ", "2017"), DATE_INCOMPLETE),
        (("", "3", ""), DATE_INCOMPLETE),
    ],
)
def test_impossible_and_partial_dates_are_refused(staff, proposal, parts, message):
    set_status(proposal, Step.CONSULTATION, StageStatus.IN_PROGRESS)
    before = snapshot()
    response = staff.post(
        url("stage-details", proposal, "consultation"),
        {**date_post("starts_on", parts), "version": ""},
    )
    assert assert_refused(response, before, kept=parts) == [message]


COUNCIL_POSITIONS = st.one_of(
    st.sampled_from(CouncilPosition.Position.values), st.just(""), st.just(""), junk
)


@HOSTILE
@given(data=st.data())
def test_council_positions_store_only_own_councils_and_what_was_typed(
    staff, essex, sussex, proposal, data
):
    set_status(proposal, Step.CONSULTATION, StageStatus.IN_PROGRESS)
    councils = list(essex.local_authorities.order_by("pk"))
    others = list(sussex.local_authorities.all())
    post = {"version": data.draw(mostly(st.just(""), junk), label="version")}
    problems, expected, kept = [], {}, []
    for council in councils:
        prefix = f"council_{council.pk}"
        position = data.draw(COUNCIL_POSITIONS, label=f"{prefix}_position")
        parts = data.draw(st.one_of(st.just(("", "", "")), DATES), label=f"{prefix}_stated_on")
        evidence = data.draw(mostly(st.just(""), hostile_text), label=f"{prefix}_evidence")
        post.update({f"{prefix}_position": position, f"{prefix}_evidence": evidence})
        post.update(date_post(f"{prefix}_stated_on", parts))
        position_ok, _ = as_choice(position, CouncilPosition.Position.values)
        date_ok, stated_on = as_date(parts)
        evidence_ok, cleaned = as_text(evidence)
        if not (position_ok and date_ok and evidence_ok):
            problems.append(council)
        elif position:
            expected[council.pk] = (position, stated_on, cleaned)
        elif stated_on or cleaned:
            problems.append(council)  # a date or evidence with no position would be lost
        kept += [evidence, *parts]
    # Tampered: another PCC's council and made-up ids, which must never be recorded.
    for council in data.draw(st.lists(st.sampled_from(others), max_size=2), label="others"):
        post[f"council_{council.pk}_position"] = "objects"
    # (Made-up ids exclude this PCC's own councils, whose fields were drawn above.)
    own_ids = {council.pk for council in councils}
    made_up = st.integers(-1, 2**64).filter(lambda number: number not in own_ids)
    for number in data.draw(st.lists(made_up, max_size=2), label="made up"):
        post[f"council_{number}_position"] = "objects"
    version_ok, _ = as_text(post["version"])
    if not (version_ok and post["version"].strip() == ""):
        problems.append("version")

    with rolled_back():
        before = snapshot()
        response = staff.post(url("council-positions", proposal, "consultation"), post)
        if not problems:
            assert response.status_code == 302, error_messages(response.content.decode())
            saved = {
                position.local_authority_id: (
                    position.position,
                    position.stated_on,
                    position.evidence,
                )
                for position in proposal.council_positions.all()
            }
            assert saved == expected
        else:
            assert_refused(response, before, kept=kept)
        assert not CouncilPosition.objects.filter(local_authority__in=others).exists()


def test_a_date_or_evidence_without_a_position_is_not_lost(staff, essex, proposal):
    set_status(proposal, Step.CONSULTATION, StageStatus.IN_PROGRESS)
    council = essex.local_authorities.first()
    before = snapshot()
    response = staff.post(
        url("council-positions", proposal, "consultation"),
        {
            "version": "",
            f"council_{council.pk}_evidence": "Letter of 3 May",
            **date_post(f"council_{council.pk}_stated_on", ("3", "5", "2017")),
        },
    )
    messages = assert_refused(response, before, kept=["Letter of 3 May"])
    assert POSITION_REQUIRED.format(council=council.name) in messages


# --- Reasons: returning, due dates, withdrawing, suspending, legal challenges ------------------


@HOSTILE
@given(reason=hostile_text)
def test_returning_a_stage_needs_real_reasons(home_office, proposal, reason):
    set_status(proposal, Step.BUSINESS_CASE, StageStatus.SUBMITTED)
    ok, cleaned = as_text(reason, required=True)
    with rolled_back():
        before = snapshot()
        response = home_office.post(
            url("stage-return", proposal, "business-case"), {"reason": reason}
        )
        if ok:
            assert response.status_code == 302
            stage = stage_of(proposal, Step.BUSINESS_CASE)
            assert (stage.status, stage.return_reasons) == (StageStatus.RETURNED, cleaned)
        else:
            assert_refused(response, before, kept=[reason])


@HOSTILE
@given(parts=mostly(DATES, typed_date), reason=mostly(st.just("Agreed at the board")))
def test_a_due_date_is_a_real_date_with_a_reason(home_office, proposal, parts, reason):
    date_ok, due = as_date(parts, required=True)
    reason_ok, _ = as_text(reason, required=True)
    with rolled_back():
        before = snapshot()
        response = home_office.post(
            url("due-date", proposal, "business-case"),
            {**date_post("due_date", parts), "reason": reason},
        )
        # A past date is refused until confirmed (tests/test_input_checks.py).
        if date_ok and reason_ok and due >= timezone.localdate():
            assert response.status_code == 302
            assert stage_of(proposal, Step.BUSINESS_CASE).due_date == due
        else:
            assert_refused(response, before, kept=[reason, *parts])


@HOSTILE
@given(action=st.sampled_from(["withdraw", "suspend", "resume"]), reason=hostile_text)
def test_withdrawing_suspending_and_resuming_need_a_reason_and_the_right_state(
    staff, proposal, action, reason
):
    ok, cleaned = as_text(reason, required=True)
    with rolled_back():
        before = snapshot()
        response = staff.post(url(action, proposal), {"reason": reason})
        if ok and action != "resume":  # the proposal is active: nothing to resume
            assert response.status_code == 302
            proposal.refresh_from_db()
            assert (
                proposal.status
                == {
                    "withdraw": ProposalStatus.WITHDRAWN,
                    "suspend": ProposalStatus.SUSPENDED,
                }[action]
            )
            assert proposal.status_reason == cleaned
        else:
            assert_refused(response, before, kept=[reason])


@HOSTILE
@given(reason=hostile_text)
def test_a_legal_challenge_needs_real_reasons(home_office, proposal, reason):
    ok, _ = as_text(reason, required=True)
    with rolled_back():
        before = snapshot()
        response = home_office.post(
            url("legal-challenge", proposal), {"reason": reason, "intended": "flag"}
        )
        if ok:
            assert response.status_code == 302
            proposal.refresh_from_db()
            assert proposal.under_legal_challenge
        else:
            assert_refused(response, before, kept=[reason])


@pytest.mark.parametrize("intended", [None, "", "toggle", "flag "], ids=repr)
def test_a_legal_challenge_post_that_does_not_say_flag_or_lift_is_refused_in_words(
    home_office, proposal, intended
):
    post = {"reason": "Claim filed at the High Court"}
    if intended is not None:
        post["intended"] = intended
    before = snapshot()
    response = home_office.post(url("legal-challenge", proposal), post)
    assert_refused(response, before, kept=[post["reason"]], expected=INTENT_UNCLEAR)


# --- Case officer ----------------------------------------------------------------------------


@HOSTILE
@given(data=st.data())
def test_the_case_officer_is_an_active_reviewer_or_nobody(home_office, reviewer, proposal, data):
    with rolled_back():
        colleague = UserFactory(role=Role.REVIEWER)
        not_reviewers = [
            UserFactory(role=Role.PCC_STAFF, pcc=proposal.pcc),
            UserFactory(role=Role.FUNDING_ADMIN),
            UserFactory(role=Role.REVIEWER, is_active=False),
        ]
        people = {person.pk: person for person in (reviewer, colleague, *not_reviewers)}
        officer = data.draw(
            st.one_of(st.sampled_from([str(pk) for pk in people]), junk, hostile_text)
        )
        try:
            chosen = people.get(int(officer))  # as the field reads an id
        except ValueError:
            chosen = None
        before = snapshot()
        response = home_office.post(url("case-officer", proposal), {"officer": officer})
        if officer == "" or chosen in (reviewer, colleague):
            assert response.status_code == 302
            proposal.refresh_from_db()
            assert proposal.case_officer == chosen
        else:
            invalid = NULL_CHARACTERS if "\x00" in officer else CASE_OFFICER_INVALID
            assert_refused(response, before, expected=invalid)


# --- Comments --------------------------------------------------------------------------------


@HOSTILE
@given(
    role=st.sampled_from(["essex_staff", "essex_signatory", "reviewer"]),
    body=mostly(st.just("Please add the costs."), hostile_text),
    visibility=st.one_of(st.sampled_from(Comment.Visibility.values), st.just(""), junk),
)
def test_comments_store_what_was_typed_and_pcc_people_cannot_forge_home_office_only(
    request, client_for, proposal, role, body, visibility
):
    client = client_for(request.getfixturevalue(role))
    body_ok, cleaned = as_text(body, required=True, max_length=10_000)
    reviewer = role == "reviewer"
    visibility_ok = not reviewer or as_choice(visibility, Comment.Visibility.values)[0]
    with rolled_back():
        before = snapshot()
        response = client.post(url("comment", proposal), {"body": body, "visibility": visibility})
        if body_ok and visibility_ok:
            assert response.status_code == 302
            comment = proposal.comments.get()
            assert comment.body == cleaned
            home_office_only = reviewer and visibility == Comment.Visibility.HOME_OFFICE
            assert (comment.visibility == Comment.Visibility.HOME_OFFICE) == home_office_only
        else:
            assert_refused(response, before, kept=[body])


# --- Documents -------------------------------------------------------------------------------

PDF = b"%PDF-1.4\n1 0 obj << >> endobj\n%%EOF\n"
FILE_NAMES = st.one_of(
    st.just("Business case.pdf"),
    st.text(min_size=1, max_size=30),
    st.sampled_from(
        [
            "../../../etc/passwd",
            "..\\..\\windows\\system32\\cmd.exe",
            "/absolute/path.pdf",
            "name\x00.pdf",
            "con.pdf",
            ".pdf",
            ".",
            "..",
            "a" * 1000 + ".pdf",
            "<script>.pdf",
            "\u202egnp.pdf",
            "dir/",
        ]
    ),
)
CONTENTS = st.one_of(
    st.just(PDF),
    st.binary(max_size=400),
    st.binary(max_size=200).map(lambda tail: PDF + tail),
    st.just(b""),
    st.text(max_size=200).map(str.encode),
)


BOUNDARY = "----hostile-input-boundary-5c9e0f"


def file_part_header(name: str) -> bytes:
    return (
        f'Content-Disposition: form-data; name="file"; filename="{name}"\r\n'
        "Content-Type: application/octet-stream\r\n\r\n"
    ).encode()


def upload_exactly(client, path, *, kind: str, name: str, content: bytes):
    """Post a file under exactly `name` (the test client would keep only its last part)."""
    body = (
        f'--{BOUNDARY}\r\nContent-Disposition: form-data; name="kind"\r\n\r\n{kind}\r\n'
        f"--{BOUNDARY}\r\n".encode()
        + file_part_header(name)
        + content
        + f"\r\n--{BOUNDARY}--\r\n".encode()
    )
    return client.post(path, body, content_type=f"multipart/form-data; boundary={BOUNDARY}")


@HOSTILE
@given(
    name=FILE_NAMES,
    content=CONTENTS,
    kind=st.one_of(st.sampled_from(DocumentKind.values), junk),
)
def test_an_upload_is_stored_under_a_safe_name_or_refused_without_a_trace(
    staff, proposal, settings, name, content, kind
):
    media = settings.MEDIA_ROOT
    with rolled_back():
        before = snapshot()
        files_before = sorted(media.rglob("*"))
        response = upload_exactly(
            staff,
            url("document-upload", proposal, "business-case"),
            kind=kind,
            name=name,
            content=content,
        )
        assert_not_server_error(response)
        if len(b"\r\n" + file_part_header(name)) > MAX_TOTAL_HEADER_SIZE:
            # A name longer than any file system allows: Django's parser refuses the whole
            # request (400) before any of it is read.
            assert_out_of_reach(response, before, status=400)
        elif response.status_code == 302:
            document = Document.objects.get()
            assert document.kind == kind
            assert not set(document.original_name) & {"/", "\\", "\x00"}
            assert document.original_name.isprintable()
            assert 0 < len(document.original_name) <= 255
            with document.file.open("rb") as stored:
                assert stored.read() == content
        else:
            assert_refused(response, before)
            assert sorted(media.rglob("*")) == files_before


@pytest.mark.parametrize(
    ("name", "stored"),
    [
        ("../../etc/passwd.pdf", "passwd.pdf"),
        ("..\\..\\windows\\evil.pdf", "evil.pdf"),
        ("name\x00.pdf", "name.pdf"),
        ("\u202egnp.pdf", "gnp.pdf"),
        ("report.exe", None),  # not named as any type the portal takes
        ("..", None),
        ("a" * 1000 + ".pdf", None),
    ],
)
def test_an_uploaded_files_name_never_carries_a_path_or_control_characters(
    staff, proposal, name, stored
):
    before = snapshot()
    response = upload_exactly(
        staff,
        url("document-upload", proposal, "business-case"),
        kind="business_case",
        name=name,
        content=PDF,
    )
    if stored:
        assert response.status_code == 302
        assert Document.objects.get().original_name == stored
    elif response.status_code == 400:  # too long for Django's parser to read at all
        assert snapshot() == before
    else:
        assert_refused(response, before)


# --- Other PCCs' objects and made-up ids -------------------------------------------------------

POSTS = [
    ("withdraw", ()),
    ("suspend", ()),
    ("resume", ()),
    ("legal-challenge", ()),
    ("comment", ()),
    ("section", ("economy",)),
    ("duties", ()),
    ("stage-return", ("business-case",)),
    ("sign-off", ("submission",)),
    ("due-date", ("business-case",)),
    ("stage-details", ("consultation",)),
    ("council-positions", ("consultation",)),
    ("document-upload", ("business-case",)),
    ("stage-action", ("business-case", "submit")),
    ("stage-action", ("business-case", "approve")),
    ("stage-action", ("business-case", "revise")),
    ("stage-action", ("decision", "complete")),
]
ANY_FORM = st.dictionaries(
    st.sampled_from(
        ["reason", "body", "text", "base_revision", "version", "visibility", "kind", "due_date_0"]
    ),
    st.one_of(junk, hostile_text),
    max_size=4,
)


@HOSTILE
@given(route=st.sampled_from(POSTS), data=ANY_FORM)
def test_another_pccs_proposal_is_not_found_and_nothing_is_written(
    client_for, sussex_staff, proposal, route, data
):
    name, args = route
    with rolled_back():
        before = snapshot()
        response = client_for(sussex_staff).post(url(name, proposal, *args), data)
        assert_out_of_reach(response, before, status=404)


@HOSTILE
@given(
    route=st.sampled_from(POSTS),
    pk=st.one_of(st.integers(0, 10**6), st.integers(2**31, 2**64), st.just(10**30)),
    data=ANY_FORM,
)
def test_made_up_proposal_ids_are_not_found(client_for, reviewer, proposal, route, pk, data):
    name, args = route
    if pk == proposal.pk:
        return
    with rolled_back():
        before = snapshot()
        response = client_for(reviewer).post(reverse(f"proposals:{name}", args=[pk, *args]), data)
        assert_out_of_reach(response, before, status=404)


#: Everything a stage's URL may end in besides the workflow's buttons.
STAGE_PAGES = {"return", "sign-off", "due-date", "details", "councils", "documents"}


@HOSTILE
@given(step=SLUG, action=SLUG)
def test_made_up_steps_and_actions_are_not_found(staff, proposal, step, action):
    if step in {s.slug for s in Step} or action in {*ACTION_MESSAGES, *STAGE_PAGES}:
        return
    with rolled_back():
        before = snapshot()
        for path in (
            url("detail", proposal) + f"stages/{step}/{action}/",
            url("detail", proposal) + f"stages/{step}/details/",
            url("stage", proposal, "consultation") + f"{action}/",
        ):
            response = staff.post(path, {"reason": "x"})
            assert_out_of_reach(response, before, status=404)


def test_another_proposals_document_is_not_found(client_for, essex_staff, proposal, essex):
    from .factories import attach_document

    elsewhere = ProposalFactory(pcc=essex)
    document = attach_document(
        stage_of(elsewhere, Step.BUSINESS_CASE), DocumentKind.BUSINESS_CASE, essex_staff
    )
    client = client_for(essex_staff)
    for pk in (document.pk, 0, 10**30):
        response = client.get(reverse("proposals:document-download", args=[proposal.pk, pk]))
        assert response.status_code == 404


# --- Missing fields and unreadable bodies --------------------------------------------------------

FORMS = [
    ("essex_staff", "section", ("economy",)),
    ("essex_staff", "duties", ()),
    ("essex_staff", "withdraw", ()),
    ("essex_staff", "comment", ()),
    ("essex_staff", "document-upload", ("business-case",)),
    ("reviewer", "due-date", ("business-case",)),
    ("reviewer", "legal-challenge", ()),
]


@pytest.mark.parametrize(("role", "name", "args"), FORMS)
def test_a_post_with_nothing_in_it_is_answered_with_messages(
    request, client_for, proposal, role, name, args
):
    client = client_for(request.getfixturevalue(role))
    before = snapshot()
    assert_refused(client.post(url(name, proposal, *args), {}), before)


@pytest.mark.parametrize(("role", "name", "args"), FORMS)
def test_a_post_that_is_not_utf8_is_no_server_error(
    request, client_for, proposal, role, name, args
):
    client = client_for(request.getfixturevalue(role))
    before = snapshot()
    response = client.post(
        url(name, proposal, *args),
        # Undecodable bytes, and a NUL, where the form has no other fault to point at.
        "reason=%FF%FE%00&body=%C0%AF%00&text=%ED%A0%80%00&base_revision=%FF"
        "&due_date_0=%FF&due_date_1=1&due_date_2=2017&kind=%FF",
        content_type="application/x-www-form-urlencoded",
    )
    assert_refused(response, before)


def test_a_post_too_big_to_read_is_refused_as_too_large_not_a_server_error(staff, proposal):
    before = snapshot()
    response = staff.post(url("withdraw", proposal), {"reason": "x" * 3_000_000})
    assert_out_of_reach(response, before, status=413)


def test_a_new_proposal_cannot_cover_another_pccs_authority_even_by_id(staff, essex, sussex):
    before = snapshot()
    response = staff.post(
        reverse("proposals:create"),
        {
            "title": "Overreach",
            "governance_model": "governance",
            "fire_authorities": [sussex.fire_authorities.first().pk],
        },
    )
    assert_refused(response, before, kept=["Overreach"])


def test_a_made_up_council_id_in_positions_records_nothing(staff, proposal):
    set_status(proposal, Step.CONSULTATION, StageStatus.IN_PROGRESS)
    outside = LocalAuthority.objects.exclude(pcc=proposal.pcc).first()
    staff.post(
        url("council-positions", proposal, "consultation"),
        {"version": "", f"council_{outside.pk}_position": "objects"},
    )
    assert not CouncilPosition.objects.exists()


# --- Wrong types, buttons with extra fields, hostile addresses ----------------------------------

WRONG_TYPES = st.one_of(
    st.lists(st.one_of(junk, hostile_text), min_size=2, max_size=3),  # many values for one
    st.binary(max_size=50).map(lambda content: SimpleUploadedFile("field.txt", content)),
)
FORM_FIELDS = {
    ("essex_staff", "create", ()): ["title", "governance_model", "fire_authorities"],
    ("essex_staff", "section", ("economy",)): ["text", "base_revision"],
    ("essex_staff", "duties", ()): ["duty_1", "base_revision"],
    ("essex_staff", "withdraw", ()): ["reason"],
    ("essex_staff", "comment", ()): ["body", "visibility"],
    ("reviewer", "comment", ()): ["body", "visibility"],
    ("reviewer", "due-date", ("business-case",)): ["due_date_0", "due_date_1", "reason"],
    ("reviewer", "legal-challenge", ()): ["reason", "intended"],
}


@HOSTILE
@given(form=st.sampled_from(sorted(FORM_FIELDS)), data=st.data())
def test_lists_and_files_where_text_belongs_are_no_server_error(
    staff, home_office, proposal, form, data
):
    role, name, args = form
    post = {
        field_name: data.draw(WRONG_TYPES, label=field_name) for field_name in FORM_FIELDS[form]
    }
    path = reverse("proposals:create") if name == "create" else url(name, proposal, *args)
    client = home_office if role == "reviewer" else staff
    with rolled_back():
        before = snapshot()
        response = client.post(path, post)
        assert_not_server_error(response)
        if response.status_code != 302:
            assert_refused(response, before)


@HOSTILE
@given(
    action=st.sampled_from(["submit", "revise"]),
    data=st.dictionaries(st.text(max_size=10), st.one_of(junk, hostile_text), max_size=4),
)
def test_buttons_ignore_whatever_else_is_posted(staff, proposal, action, data):
    """The business case is incomplete (submit is refused) and in progress (nothing to
    revise): either way the reasons are shown and nothing moves."""
    with rolled_back():
        before = snapshot()
        response = staff.post(
            url("stage-action", proposal, "business-case", action), data, follow=True
        )
        assert_not_server_error(response)
        assert error_messages(response.content.decode())
        assert snapshot() == before


QUERY_VALUES = st.one_of(junk, hostile_text.map(lambda text: text[:200]))
PAGES_WITH_QUERIES = [
    ("reviewer", "/overview/", ["governance_model", "status", "overdue", "page"]),
    ("reviewer", "/overview/proposals.csv", ["governance_model", "status", "overdue"]),
    ("reviewer", "/review/", ["page"]),
    ("essex_staff", "/pccs/essex/", ["page"]),
    ("essex_staff", "detail", ["page"]),
    ("essex_staff", "compare", ["from", "to"]),
    ("essex_staff", "/notifications/", ["page"]),
    ("essex_staff", "/funding/", ["page"]),
    ("essex_staff", "document-upload", ["next"]),
]


@HOSTILE
@given(page=st.sampled_from(PAGES_WITH_QUERIES), data=st.data())
def test_hostile_query_strings_are_no_server_error(staff, home_office, proposal, page, data):
    role, path, names = page
    if not path.startswith("/"):
        path = url(path, proposal, *(["business-case"] if path == "document-upload" else []))
    query = {name: data.draw(QUERY_VALUES, label=name) for name in names}
    response = (home_office if role == "reviewer" else staff).get(path, query)
    assert_not_server_error(response)
    assert response.status_code in (200, 404)


@pytest.mark.parametrize(
    "path",
    [
        "/pccs/essex/",
        "/funding/essex/",
        "/funding/essex/allocation/",
        "/funding/essex/payments/new/",
    ],
)
def test_another_pccs_pages_are_out_of_reach(client_for, sussex_staff, path):
    response = client_for(sussex_staff).get(path)
    assert response.status_code in (403, 404)


def test_a_required_date_of_spaces_alone_is_asked_for(home_office, proposal):
    before = snapshot()
    response = home_office.post(
        url("due-date", proposal, "business-case"),
        {**date_post("due_date", (" ", " ", " ")), "reason": "Moved"},
    )
    assert DUE_DATE_REQUIRED in assert_refused(response, before, kept=["Moved"])


# --- What was typed, coming back out ----------------------------------------------------------

TYPED_TITLES = st.one_of(
    st.sampled_from(['=HYPERLINK("http://evil.example")', "+1+1", "-2+3", "@SUM(A1)", "\t=1"]),
    hostile_text.map(lambda text: text.replace("\x00", "").strip()[:200]),
).filter(bool)


def csv_rows(response) -> list[list[str]]:
    text = b"".join(response.streaming_content).decode("utf-8-sig")
    return list(csv.reader(io.StringIO(text, newline="")))


@HOSTILE
@given(title=TYPED_TITLES, reason=TYPED_TITLES)
def test_typed_text_comes_out_of_csv_exports_as_text_never_a_formula(
    essex, essex_staff, home_office, staff, title, reason
):
    with rolled_back():
        proposal = drafting.proposal_create(
            pcc=essex,
            title=title,
            governance_model="governance",
            fire_authorities=essex.fire_authorities.all(),
            by=essex_staff,
        )
        proposal_transition(proposal=proposal, action="suspend", by=essex_staff, reason=reason)
        overview = csv_rows(home_office.get(reverse("proposals:overview-csv")))
        history = csv_rows(staff.get(url("history-csv", proposal)))
        title_cell, reason_cell = (
            "'" + typed if typed.startswith(FORMULA_STARTS) else typed
            for typed in (title, reason.strip())
        )
        assert [row[1] for row in overview[1:]] == [title_cell]
        assert reason_cell in [row[4] for row in history[1:]]
        for row in overview + history:
            assert not any(cell.startswith(FORMULA_STARTS) for cell in row), row


# --- The tampered fields named in the issue, one by one ------------------------------------------


def test_pcc_staff_cannot_forge_a_home_office_only_comment(staff, proposal):
    response = staff.post(
        url("comment", proposal), {"body": "Secret?", "visibility": "home_office"}
    )
    assert response.status_code == 302
    assert proposal.comments.get().visibility == Comment.Visibility.EVERYONE


@pytest.mark.parametrize(
    ("base", "message"),
    [
        ("-1", VERSION_UNREADABLE),
        ("abc", VERSION_UNREADABLE),
        ("", VERSION_UNREADABLE),
        ("1.5", VERSION_UNREADABLE),
        ("1\x00", VERSION_UNREADABLE),
        ("9" * 5000, VERSION_UNREADABLE),
        ("0", STALE_EDIT),
        ("99999999999999999999999", STALE_EDIT),
    ],
)
def test_a_tampered_revision_number_is_refused_and_the_next_save_goes_through(
    staff, proposal, base, message
):
    before = snapshot()
    path = url("section", proposal, "economy")
    response = staff.post(path, {"text": "My words", "base_revision": base})
    assert assert_refused(response, before, kept=["My words"]) == [message]
    shown = re.search(r'name="base_revision" value="(\d+)"', response.content.decode()).group(1)
    assert staff.post(path, {"text": "My words", "base_revision": shown}).status_code == 302
    assert drafting.business_case_latest(proposal).economy == "My words"
