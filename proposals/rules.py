"""Permission predicates: who may see and do what (DESIGN.md s.2). One place for every rule.

Scoping of lists and pages to a user's own PCC is done by QuerySet `visible_to(user)`, so
another PCC's pages answer 404 and nothing leaks; these predicates decide actions and pages.
"""

import rules

from portal.models import Role


@rules.predicate
def is_home_office(user):
    return user.is_authenticated and user.is_home_office


@rules.predicate
def is_funding_admin(user):
    return user.is_authenticated and user.role == Role.FUNDING_ADMIN


@rules.predicate
def is_member_of_pcc(user, pcc):
    return (
        user.is_authenticated and user.is_pcc_member and pcc is not None and user.pcc_id == pcc.pk
    )


rules.add_perm("proposals.view_overview", is_home_office)
rules.add_perm("proposals.view_pcc", is_home_office | is_member_of_pcc)
