"""Writes about fire governance after a transfer: a later change of who governs."""

from datetime import date

import rules
from django.db import transaction

from .. import workflow
from ..models import GovernanceChange, Proposal
from .audit import audit_record


@transaction.atomic
def governance_change_record(
    *,
    proposal: Proposal,
    changed_on: date,
    passed_to: str,
    summary: str,
    office_title: str = "",
    source_url: str = "",
    by,
    reason: str = "",
) -> GovernanceChange:
    """Record that fire governance passed from a transferred proposal's PFCC to someone else
    (e.g. a mayor), by a reviewer or, with `by` None, a data load. The proposal stays
    transferred; the change is audited, and the PCC's title follows it from `changed_on`."""
    if by is not None and not rules.has_perm("proposals.review_proposal", by, proposal):
        raise workflow.TransitionRefused([workflow.ONLY_REVIEWERS])
    change = GovernanceChange(
        proposal=proposal,
        changed_on=changed_on,
        passed_to=passed_to,
        office_title=office_title,
        summary=summary,
        source_url=source_url,
    )
    change.full_clean()
    change.save()
    audit_record(
        actor=by,
        action="proposal.governance_change",
        target=change,
        proposal=proposal,
        after={
            "changed_on": changed_on,
            "passed_to": passed_to,
            "office_title": office_title,
            "source_url": source_url,
        },
        reason=reason or summary,
    )
    return change
