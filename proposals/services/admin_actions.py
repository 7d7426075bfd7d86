"""What a site admin may change in Django admin, each change recorded in the history.

Money, proposals, stages, documents, comments, decisions, orders and the history itself are
read-only in admin (proposals/admin.py): the portal's own pages change them, through the
services that check, lock and record. What remains for admin is correcting reference data
(PCCs and the bodies around them, the Act's duties) and lifting a sign-in lockout; both come
through here so they are recorded like any other change.
"""

from django.db import transaction
from django.db.models import Model, QuerySet

from .audit import audit_record

#: Kept by the model itself, not corrected by anyone: left out of what a change records.
TIMESTAMPS = {"created_at", "updated_at"}


def _values(instance: Model) -> dict:
    return {
        field.attname: getattr(instance, field.attname) for field in instance._meta.concrete_fields
    }


@transaction.atomic
def reference_data_save(*, instance: Model, by) -> Model:
    """Validate and save a new or corrected reference record, recording what changed.

    The record is locked while it is compared, so two admins' corrections are recorded one
    after the other, each with the values it replaced.
    """
    instance.full_clean()
    model = type(instance)
    previous = (
        model.objects.select_for_update().filter(pk=instance.pk).first() if instance.pk else None
    )
    before = _values(previous) if previous else {}
    instance.save()
    after = _values(instance)
    changed = [
        key
        for key, value in after.items()
        if key not in TIMESTAMPS and (key not in before or before[key] != value)
    ]
    audit_record(
        actor=by,
        action="reference.changed" if previous else "reference.added",
        target=instance,
        before={key: before[key] for key in changed if key in before},
        after={key: after[key] for key in changed},
    )
    return instance


@transaction.atomic
def sign_in_lockouts_clear(*, attempts: QuerySet, by) -> int:
    """Lift sign-in lockouts (django-axes access attempts) at once, recording each one."""
    cleared = 0
    for attempt in attempts.select_for_update():
        audit_record(
            actor=by,
            action="sign_in.unlocked",
            target=attempt,
            before={
                "username": attempt.username,
                "address": attempt.ip_address,
                "failures": attempt.failures_since_start,
            },
        )
        attempt.delete()
        cleared += 1
    return cleared
