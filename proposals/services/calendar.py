"""Each person's deadlines calendar: a secret address they can turn off or replace."""

import secrets

from django.db import transaction


@transaction.atomic
def calendar_token_issue(*, user) -> str:
    """A new secret address for `user`'s calendar; any old address stops working."""
    user.calendar_token = secrets.token_urlsafe(32)
    user.save(update_fields=["calendar_token"])
    return user.calendar_token


@transaction.atomic
def calendar_token_revoke(*, user) -> None:
    """Turn the calendar off: its address stops working at once."""
    user.calendar_token = None
    user.save(update_fields=["calendar_token"])
