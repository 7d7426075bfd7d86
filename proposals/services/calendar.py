"""Each person's deadlines calendar: a secret address they can turn off or replace.

The address is its own credential, so it is kept like a password: the portal stores only a
SHA-256 digest of its token and shows the token once, when it is made. A token's first
characters (its key, not secret on their own) find the person; the digest of the whole token
is then compared in constant time.
"""

import hashlib
import hmac
import re
import secrets

from django.db import transaction
from django.utils import timezone

from portal.models import User

#: What calendar_token_issue makes (URL-safe base64): any other address is not one of ours.
TOKEN_PATTERN = re.compile(r"[A-Za-z0-9_-]+")
#: How many of a token's characters are stored in the clear to find its owner (48 of its 256
#: random bits; the other 208 stay secret).
KEY_LENGTH = 8


def _digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def _store(user, token: str | None) -> None:
    user.calendar_token_key = token[:KEY_LENGTH] if token else ""
    user.calendar_token_digest = _digest(token) if token else ""
    user.calendar_token_last_used_on = None
    user.save(
        update_fields=[
            "calendar_token_key",
            "calendar_token_digest",
            "calendar_token_last_used_on",
        ]
    )


@transaction.atomic
def calendar_token_issue(*, user) -> str:
    """A new secret address for `user`'s calendar, returned once and never stored; any old
    address stops working."""
    token = secrets.token_urlsafe(32)
    _store(user, token)
    return token


@transaction.atomic
def calendar_token_revoke(*, user) -> None:
    """Turn the calendar off: its address stops working at once."""
    _store(user, None)


def calendar_token_owner(*, token: str) -> User | None:
    """The active person whose calendar address carries `token`, or None; records the day
    (Europe/London) it was last used."""
    if not TOKEN_PATTERN.fullmatch(token) or len(token) <= KEY_LENGTH:
        return None
    digest = _digest(token)
    candidates = User.objects.filter(calendar_token_key=token[:KEY_LENGTH], is_active=True)
    owner = next(
        (user for user in candidates if hmac.compare_digest(user.calendar_token_digest, digest)),
        None,
    )
    today = timezone.localdate()
    if owner is not None and owner.calendar_token_last_used_on != today:
        owner.calendar_token_last_used_on = today
        owner.save(update_fields=["calendar_token_last_used_on"])
    return owner
