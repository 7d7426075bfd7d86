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


@rules.predicate
def is_consultee_for_proposal(user, proposal):
    """An officer of a council or fire and rescue authority in the proposal's police area."""
    return (
        user.is_authenticated
        and user.is_consultee
        and proposal is not None
        and user.consultee_pcc_id == proposal.pcc_id
    )


@rules.predicate
def is_assessor_for_proposal(user, proposal):
    return (
        user.is_authenticated
        and user.is_assessor
        and proposal is not None
        and proposal.assessors.filter(pk=user.pk).exists()
    )


@rules.predicate
def is_consultee_or_assessor(user):
    return user.is_authenticated and (user.is_consultee or user.is_assessor)


rules.add_perm("proposals.view_overview", is_home_office)
# The JSON API (proposals/api/): PCC and Home Office people; each endpoint then asks the same
# rule as its page. Consultees and assessors use the pages' public record.
rules.add_perm("proposals.use_api", is_home_office | is_pcc_member)
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
# Consultees and assessors: the public record of the proposals open to them (the business case
# as submitted, the consultation and its report), never the drafts, comments or history.
rules.add_perm("proposals.view_your_proposals", is_consultee_or_assessor)
rules.add_perm(
    "proposals.view_public_record",
    is_home_office | is_member_for_proposal | is_consultee_for_proposal | is_assessor_for_proposal,
)
# A consultee lodges their own body's representation; when is in workflow.py.
rules.add_perm("proposals.lodge_representation", is_consultee_for_proposal)
# Every body's representation and the PCC's responses (a consultee sees only their body's).
rules.add_perm(
    "proposals.view_representations",
    is_home_office | is_member_for_proposal | is_assessor_for_proposal,
)
rules.add_perm("proposals.respond_to_representation", is_member_for_proposal)
# The independent assessment: recorded by reviewers, or by the assessor assigned to it.
rules.add_perm("proposals.record_assessment", is_reviewer | is_assessor_for_proposal)
# The collaboration register (issue 14). The Home Office reads every area's; PCC people read
# and record their own area's agreements, notifications and considerations (the PCA 2017 s.2
# duty binds their bodies, not the Home Office, so reviewers and funding admins only read).
rules.add_perm("proposals.view_collaboration", is_home_office | is_pcc_member)
rules.add_perm("proposals.record_collaboration", is_pcc_member)
rules.add_perm("proposals.edit_collaboration", is_member_of_pcc)
# After the order: PCC people record the implementation checklist; reviewers move its dates.
rules.add_perm("proposals.record_implementation", is_member_for_proposal)
rules.add_perm("proposals.set_implementation_due_date", is_reviewer)
