"""Each person's API tokens: named secrets for the JSON API, created and revoked by their owner.

A token is a credential like a password, so it is kept like one: the secret is shown once, when
it is made, and the portal stores only its SHA-256 digest (and its first characters, so its
owner can tell tokens apart). Issuing and revoking are audit events, and the owner is told of
each, in the portal and by e-mail, after it commits (as for authenticator apps), so a token
made by someone who learned their password does not go unnoticed.

Authentication with a token is portal/api_auth.py; the page is /account/api-tokens/.
"""

import hashlib
import hmac
import re
import secrets
from datetime import timedelta

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from portal.models import ApiToken, User

from .accounts import account_notice_queue, london_moment
from .audit import audit_record

#: What api_token_issue makes (secrets.token_urlsafe: URL-safe base64); anything else is not
#: one of ours and is refused without a query.
SECRET_PATTERN = re.compile(r"[A-Za-z0-9_-]{20,100}")
#: How many of the secret's characters are kept in the clear (48 of its 256 random bits).
PREFIX_LENGTH = 8
#: last_used_at is written at most this often per token, so using the API is not a write on
#: every request.
LAST_USED_PRECISION = timedelta(minutes=1)

NAME_REQUIRED = "Enter a name for this token, like “Monthly report”"
NAME_TAKEN = (
    "You already have a token called “{name}”: choose another name, or revoke that one first"
)
ALREADY_REVOKED = "“{name}” was already revoked"

ISSUED_TITLE = "An API token was created on your account"
ISSUED_BODY = (
    "An API token named “{name}” (it starts {prefix}) was created on your Fire governance "
    "proposals account{by} on {when}. Anything holding it can read and change through the API "
    "what you can in the portal. If you did not expect it, revoke it on your API tokens page "
    "and tell a site admin at once: someone may know your password."
)
REVOKED_TITLE = "An API token on your account was revoked"
REVOKED_BODY = (
    "The API token “{name}” (it starts {prefix}) on your Fire governance proposals account was "
    "revoked{by} on {when}. Anything using it can no longer reach the portal."
)


def _digest(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


def _by_whom(*, by: User | None, owner: User) -> str:
    """Who made the change, as the owner's notice says it (nothing when it was them)."""
    if by is None:
        return " by the portal's operators"
    return "" if by.pk == owner.pk else f" by {by}"


def _tell_owner(token: ApiToken, *, title: str, body: str, by: User | None) -> None:
    account_notice_queue(
        user=token.user,
        title=title,
        body=body.format(
            name=token.name,
            prefix=token.prefix,
            by=_by_whom(by=by, owner=token.user),
            when=london_moment(timezone.now()),
        ),
        page="api_tokens",
    )


def api_token_issue(*, user: User, name: str, by: User | None) -> tuple[ApiToken, str]:
    """Make `user` a token called `name` and return it with its secret, which is shown once and
    never stored. `by` is who asked (the user, or None for the command line). Refused
    (ValidationError on `name`) when the name is empty or one of the user's working tokens has
    it already (in any case). Audited; the owner is told after it commits."""
    name = name.strip()
    if not name:
        raise ValidationError({"name": NAME_REQUIRED})
    if user.api_tokens.active().filter(name__iexact=name).exists():
        raise ValidationError({"name": NAME_TAKEN.format(name=name)})
    secret = secrets.token_urlsafe(32)
    token = ApiToken(user=user, name=name, digest=_digest(secret), prefix=secret[:PREFIX_LENGTH])
    # Lengths (the command line has no form); uniqueness is the database's, below.
    token.full_clean(validate_unique=False, validate_constraints=False)
    try:
        with transaction.atomic():
            # Two requests with the same name at once: the database's constraint refuses one.
            token.save()
            audit_record(
                actor=by,
                action="api_token.issued",
                target=token,
                after={"user": user.username, "name": token.name, "prefix": token.prefix},
            )
    except IntegrityError:
        raise ValidationError({"name": NAME_TAKEN.format(name=name)}) from None
    _tell_owner(token, title=ISSUED_TITLE, body=ISSUED_BODY, by=by)
    return token, secret


@transaction.atomic
def api_token_revoke(*, token: ApiToken, by: User | None) -> None:
    """Revoke `token`: from now on it authenticates nothing (nothing caches it). Refused
    (ValidationError) when it was already revoked. Audited; the owner is told after it
    commits. Who may revoke which token is the caller's to check: its owner on their page,
    a site admin in Django admin."""
    now = timezone.now()
    # A conditional UPDATE, so that two revocations at once record one.
    if not ApiToken.objects.active().filter(pk=token.pk).update(revoked_at=now, revoked_by=by):
        raise ValidationError(ALREADY_REVOKED.format(name=token.name))
    token.revoked_at, token.revoked_by = now, by
    audit_record(
        actor=by,
        action="api_token.revoked",
        target=token,
        before={"user": token.user.username, "name": token.name, "prefix": token.prefix},
    )
    _tell_owner(token, title=REVOKED_TITLE, body=REVOKED_BODY, by=by)


def api_token_owner(*, secret: str) -> ApiToken | None:
    """The working token with this secret (its user loaded), or None.

    Found by the digest of what was presented, through the digest's unique index: how long the
    lookup takes depends on digests, which say nothing of any stored secret, and the match is
    confirmed with a constant-time comparison. Revoked tokens are never found."""
    if not SECRET_PATTERN.fullmatch(secret):
        return None
    digest = _digest(secret)
    token = ApiToken.objects.active().select_related("user").filter(digest=digest).first()
    if token is None or not hmac.compare_digest(token.digest, digest):
        return None
    return token


def api_token_touch(*, token: ApiToken) -> None:
    """Record that `token` was used now, unless that was recorded within LAST_USED_PRECISION:
    one conditional UPDATE, which writes nothing for the other requests of the minute."""
    now = timezone.now()
    recent = now - LAST_USED_PRECISION
    stale = ApiToken.objects.filter(pk=token.pk).exclude(last_used_at__gt=recent)
    if stale.update(last_used_at=now):
        token.last_used_at = now
