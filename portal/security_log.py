"""Structured security log lines: sign-ins, failed sign-ins, lockouts, permission refusals.

Never a password, a one-time code or a document's contents: only who, from where, what.
"""

import ipaddress
import logging

from axes.signals import user_locked_out
from django.conf import settings
from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.dispatch import receiver

log = logging.getLogger("portal.security")


def client_address(request) -> str | None:
    """The client's address, for the log and for django-axes alike.

    The connection's address, unless TRUSTED_PROXY_COUNT proxies stand in front: then the
    address the outermost of them saw, counted from the right of X-Forwarded-For (each proxy
    appends the address it was connected from, so whatever a client writes there is ignored).
    """
    if request is None:
        return None
    count = settings.TRUSTED_PROXY_COUNT
    forwarded = [part.strip() for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")]
    if count and len(forwarded) >= count:
        try:
            return str(ipaddress.ip_address(forwarded[-count]))
        except ValueError:
            pass
    return request.META.get("REMOTE_ADDR")


def log_event(event: str, *, request=None, user=None, username=None, **fields) -> None:
    log.info(
        event,
        extra={
            "event": event,
            "user_id": getattr(user, "pk", None),
            "username": username or getattr(user, "username", None),
            "role": getattr(user, "role", None),
            "address": client_address(request),
            "path": getattr(request, "path", None),
            **fields,
        },
    )


@receiver(user_logged_in)
def signed_in(sender, request, user, **kwargs):
    log_event("sign_in", request=request, user=user)


@receiver(user_logged_out)
def signed_out(sender, request, user, **kwargs):
    log_event("sign_out", request=request, user=user)


@receiver(user_login_failed)
def sign_in_failed(sender, credentials, request=None, **kwargs):
    # Django has already masked the password in `credentials`; log only the username.
    log_event("sign_in_failed", request=request, username=credentials.get("username"))


@receiver(user_locked_out)
def locked_out(sender, request, username, ip_address, **kwargs):
    log_event("locked_out", request=request, username=username)


def permission_refused(request, reason: str = "") -> None:
    log_event("permission_refused", request=request, user=request.user, reason=reason)
