"""Case officers: a reviewer assigns a proposal to a named reviewer, recorded in the history;
the review queue filters by it and shows the officer."""

import pytest
from django.urls import reverse
from django.utils import timezone

from portal.models import Role
from proposals.forms.review import CASE_OFFICER_INVALID
from proposals.models import Stage, StageStatus, Step
from proposals.views.pages import REVIEWS_PER_PAGE

from .factories import ProposalFactory, UserFactory

pytestmark = pytest.mark.django_db

QUEUE = reverse("proposals:review-queue")


def assign_url(proposal):
    return reverse("proposals:case-officer", kwargs={"pk": proposal.pk})


def waiting(proposal):
    Stage.objects.filter(proposal=proposal, step=Step.BUSINESS_CASE).update(
        status=StageStatus.SUBMITTED, submitted_at=timezone.now()
    )
    return proposal


def test_a_reviewer_assigns_another_reviewer_and_the_history_and_page_show_it(
    client_for, reviewer, essex_proposal
):
    colleague = UserFactory(role=Role.REVIEWER, first_name="Priya", last_name="Shah")
    client = client_for(reviewer)
    response = client.post(assign_url(essex_proposal), {"officer": colleague.pk}, follow=True)
    page = response.content.decode()
    assert "Case officer saved. The case officers have been told." in page
    assert "Priya Shah" in page
    essex_proposal.refresh_from_db()
    assert essex_proposal.case_officer == colleague
    event = essex_proposal.audit_events.get(action="proposal.case_officer")
    assert (event.actor, event.after) == (reviewer, {"case_officer": "Priya Shah"})
    assert "Case officer changed" in page  # the history, in words
    assert "proposal.case_officer" not in page


def test_taking_a_case_yourself_tells_nobody_and_the_page_does_not_pretend(
    client_for, reviewer, essex_proposal
):
    response = client_for(reviewer).post(
        assign_url(essex_proposal), {"officer": reviewer.pk}, follow=True
    )
    page = response.content.decode()
    assert "Case officer saved." in page
    assert "have been told" not in page


def test_only_a_reviewer_can_be_case_officer(client_for, reviewer, essex_staff, essex_proposal):
    response = client_for(reviewer).post(assign_url(essex_proposal), {"officer": essex_staff.pk})
    page = response.content.decode()
    assert response.status_code == 200
    assert page.count(CASE_OFFICER_INVALID) == 2  # by the field and in the error summary
    essex_proposal.refresh_from_db()
    assert essex_proposal.case_officer is None


@pytest.mark.parametrize("role", ["staff", "funding"])
def test_pcc_people_and_funding_admins_cannot_assign(
    client_for, reviewer, essex_staff, funding_admin, essex_proposal, role
):
    user = {"staff": essex_staff, "funding": funding_admin}[role]
    response = client_for(user).post(assign_url(essex_proposal), {"officer": reviewer.pk})
    assert response.status_code == 403


def test_the_queue_filters_by_case_officer_and_shows_the_officer(client_for, reviewer, essex):
    colleague = UserFactory(role=Role.REVIEWER, first_name="Priya", last_name="Shah")
    mine = waiting(ProposalFactory(pcc=essex, title="Mine to review", case_officer=reviewer))
    theirs = waiting(ProposalFactory(pcc=essex, title="Priya's to review", case_officer=colleague))
    nobodys = waiting(ProposalFactory(pcc=essex, title="Nobody's yet"))
    client = client_for(reviewer)
    shown = {
        assigned: client.get(f"{QUEUE}?assigned={assigned}").content.decode()
        for assigned in ("mine", "unassigned", "all")
    }
    titles = (mine.title, theirs.title, nobodys.title)
    assert [title in shown["mine"] for title in titles] == [True, False, False]
    assert [title.replace("'", "&#x27;") in shown["unassigned"] for title in titles] == [
        False,
        False,
        True,
    ]
    assert all(title.replace("'", "&#x27;") in shown["all"] for title in titles)
    assert "Priya Shah" in shown["all"]
    assert "Unassigned" in shown["all"]
    assert client.get(QUEUE).content.decode().count('<tr class="govuk-table__row">') == 4


def test_the_queue_keeps_its_filter_from_page_to_page(client_for, reviewer, essex):
    for number in range(REVIEWS_PER_PAGE + 1):
        waiting(ProposalFactory(pcc=essex, title=f"Mine {number}", case_officer=reviewer))
    page = client_for(reviewer).get(f"{QUEUE}?assigned=mine").content.decode()
    assert 'href="?assigned=mine&amp;page=2"' in page


def test_the_cached_queue_keeps_each_filter_and_each_reviewers_own_cases_apart(
    redis_cache, client_for, reviewer, essex
):
    colleague = UserFactory(role=Role.REVIEWER)
    waiting(ProposalFactory(pcc=essex, title="Mine to review", case_officer=reviewer))
    waiting(ProposalFactory(pcc=essex, title="Theirs to review", case_officer=colleague))
    waiting(ProposalFactory(pcc=essex, title="Nobody has this yet"))
    mine, theirs = client_for(reviewer), client_for(colleague)
    for _ in range(2):  # the second time round, every page comes from the cache
        mine_page = mine.get(f"{QUEUE}?assigned=mine").content.decode()
        theirs_page = theirs.get(f"{QUEUE}?assigned=mine").content.decode()
        unassigned = mine.get(f"{QUEUE}?assigned=unassigned").content.decode()
        everything = theirs.get(QUEUE).content.decode()
        assert "Mine to review" in mine_page
        assert "Theirs to review" not in mine_page
        assert "Theirs to review" in theirs_page
        assert "Mine to review" not in theirs_page
        assert "Nobody has this yet" in unassigned
        assert "Mine to review" not in unassigned
        assert "3 submitted stages" in everything
