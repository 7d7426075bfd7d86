"""Who may use the API at all; what each may do is the same `rules` predicates as the pages."""

import rules
from rest_framework.permissions import BasePermission

API_NOT_FOR_ROLE = (
    "The API is open to PCC and Home Office people. Consultees and independent assessors "
    "read the proposals open to them on the portal's pages."
)


class MayUseApi(BasePermission):
    message = API_NOT_FOR_ROLE

    def has_permission(self, request, view):
        return rules.has_perm("proposals.use_api", request.user)
