"""Permission predicates: who may see and do what (DESIGN.md s.2). One place for every rule.

Scoping of lists and pages to a user's own PCC is done by QuerySet `visible_to(user)`, so
another PCC's pages answer 404 and nothing leaks; these predicates decide actions and pages.
What must hold of a stage before it moves (content complete, not paused) is in workflow.py.
Code checks these with `rules.has_perm(name, user, obj)`, not `user.has_perm`, so a Django
superuser (a site admin) gets no silent bypass: least privilege holds for every role.
"""

import rules

from portal.models import Role


@rules.predicate
def is_home_office(user):
    return user.is_authenticated and user.is_home_office


@rules.predicate
def is_reviewer(user):
    return user.is_authenticated and user.role == Role.REVIEWER


@rules.predicate
def is_funding_admin(user):
    return user.is_authenticated and user.role == Role.FUNDING_ADMIN


@rules.predicate
def is_pcc_member(user):
    return user.is_authenticated and user.is_pcc_member


@rules.predicate
def is_member_of_pcc(user, pcc):
    return is_pcc_member(user) and pcc is not None and user.pcc_id == pcc.pk


@rules.predicate
def is_member_for_proposal(user, proposal):
    return is_pcc_member(user) and proposal is not None and user.pcc_id == proposal.pcc_id


@rules.predicate
def is_signatory_for_proposal(user, proposal):
    return is_member_for_proposal(user, proposal) and user.role == Role.PCC_SIGNATORY


rules.add_perm("proposals.view_overview", is_home_office)
rules.add_perm("proposals.view_pcc", is_home_office | is_member_of_pcc)
rules.add_perm("proposals.view_review_queue", is_home_office)
rules.add_perm("proposals.view_proposal", is_home_office | is_member_for_proposal)
rules.add_perm("proposals.create_proposal", is_pcc_member)
# Drafting: content, documents, consultation, withdrawing and suspending. Reviewers never draft.
rules.add_perm("proposals.draft_proposal", is_member_for_proposal)
rules.add_perm("proposals.sign_off_submission", is_signatory_for_proposal)
# Review: approving, returning, recording the Home Office's steps, due dates, legal challenges.
rules.add_perm("proposals.review_proposal", is_reviewer)
rules.add_perm("proposals.comment_on_proposal", is_reviewer | is_member_for_proposal)
rules.add_perm("proposals.comment_home_office_only", is_reviewer)
rules.add_perm("proposals.see_home_office_comments", is_home_office)
# Money: only funding admins change it; the Home Office sees all of it, PCC people their own.
rules.add_perm("proposals.change_funding", is_funding_admin)
rules.add_perm("proposals.view_funding", is_home_office | is_pcc_member)
rules.add_perm("proposals.view_pcc_funding", is_home_office | is_member_of_pcc)
# After the order: PCC people record the implementation checklist; reviewers move its dates.
rules.add_perm("proposals.record_implementation", is_member_for_proposal)
rules.add_perm("proposals.set_implementation_due_date", is_reviewer)
