"""The one way anything is written to the append-only history."""

from contextvars import ContextVar

from django.db.models import Model

from ..models import AuditEvent, Proposal

#: How the change being recorded reached the portal, when not through its pages: set for the
#: length of an API request (proposals/api/views.py), e.g. "API token “Home Office tracker”".
recorded_via: ContextVar[str] = ContextVar("recorded_via", default="")


def audit_event_build(
    *,
    actor,
    action: str,
    target: Model,
    proposal: Proposal | None = None,
    before: dict | None = None,
    after: dict | None = None,
    reason: str = "",
    **extra,
) -> AuditEvent:
    """An unsaved event, for bulk loads; `extra` may carry `created_at` for past history.
    The route the change came by (`via`) is the one set for the request, if any."""
    extra.setdefault("via", recorded_via.get())
    return AuditEvent(
        actor=actor,
        action=action,
        proposal=proposal,
        object_type=target._meta.label_lower,
        object_id=str(target.pk),
        object_repr=str(target)[:300],
        before=before or {},
        after=after or {},
        reason=reason,
        **extra,
    )


def audit_record(**kwargs) -> AuditEvent:
    """Record who did what to which object, and why. Takes audit_event_build's arguments."""
    event = audit_event_build(**kwargs)
    event.save()
    return event
