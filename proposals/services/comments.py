"""Comments on a proposal: to everyone on it, or kept within the Home Office."""

import rules
from django.db import transaction

from .. import messaging, workflow
from ..models import Comment, MessageEvent, Proposal
from .audit import audit_record
from .messages import messages_dispatch

FINISHED = "This proposal is closed: it can no longer be commented on."


@transaction.atomic
def comment_add(*, proposal: Proposal, body: str, home_office_only: bool, by) -> Comment:
    """Add a comment as `by`; only reviewers may keep one within the Home Office. The other
    side is told (messaging.comment_audiences): a Home Office only comment never reaches the
    PCC. The comment's `told` says who was."""
    if not rules.has_perm("proposals.comment_on_proposal", by, proposal):
        raise workflow.TransitionRefused([workflow.ONLY_PCC_PEOPLE])
    if home_office_only and not rules.has_perm("proposals.comment_home_office_only", by, proposal):
        raise workflow.TransitionRefused([workflow.ONLY_REVIEWERS])
    if proposal.is_finished:
        raise workflow.TransitionRefused([FINISHED])
    comment = Comment(
        proposal=proposal,
        author=by,
        body=body.strip(),
        visibility=Comment.Visibility.HOME_OFFICE
        if home_office_only
        else Comment.Visibility.EVERYONE,
    )
    comment.full_clean()
    comment.save()
    event = audit_record(
        actor=by,
        action="comment.added",
        target=comment,
        proposal=proposal,
        after={"comment": comment.body, "visibility": comment.get_visibility_display()},
        home_office_only=home_office_only,
    )
    comment.told = messages_dispatch(
        event=MessageEvent.COMMENT_ADDED,
        audit_event=event,
        by=by,
        proposal=proposal,
        audiences=messaging.comment_audiences(author=by, home_office_only=home_office_only),
        comment=comment.body,
    )
    return comment
