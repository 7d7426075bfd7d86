"""The portal's middleware: one-time passwords, request ids, pages kept out of caches, and
sessions that end on time and never turn a saved change into an error page."""

import logging
import time

from django.conf import settings
from django.contrib.auth import logout
from django.contrib.auth.signals import user_logged_in
from django.contrib.auth.views import redirect_to_login
from django.contrib.sessions import middleware as sessions
from django.contrib.sessions.exceptions import SessionInterrupted
from django.db import DatabaseError
from django.dispatch import receiver
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.cache import add_never_cache_headers
from django.utils.functional import SimpleLazyObject
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.middleware import OTPMiddleware as DjangoOTPMiddleware
from django_otp.models import Device

from . import logs
from .two_factor import confirmed_device_ids, has_confirmed_device, two_factor_required

logger = logging.getLogger(__name__)

HEALTH_PATH = "/healthz"
#: Pages open before the one-time password: the steps themselves and what every page needs.
OPEN_PATHS = ("/accounts/", "/static/", HEALTH_PATH, "/accessibility/", "/request-too-large")
#: The JSON API and its schema: a session without its code gets a JSON refusal, not a page.
API_PATHS = ("/api/v1/", "/api/schema/")


class TwoFactorRequiredMiddleware:
    """Keep people who must use a one-time password out of the portal until they have."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = request.user
        if (
            not request.path.startswith(OPEN_PATHS)
            and user.is_authenticated
            and two_factor_required(user)
            and not user.is_verified()
        ):
            if request.path.startswith(API_PATHS):
                from proposals.api.errors import SESSION_NOT_VERIFIED, problem_json_response

                return problem_json_response(403, SESSION_NOT_VERIFIED)
            step = "two-factor-verify" if has_confirmed_device(user) else "two-factor-setup"
            return redirect(f"{reverse(step)}?next={request.get_full_path()}")
        return self.get_response(request)


class OTPMiddleware(DjangoOTPMiddleware):
    """django-otp's, checking the device a session passed its code with against the person's
    cached list of confirmed devices (portal/two_factor.py) rather than loading it from the
    database on every request. A device removed or unconfirmed leaves the list at once, and
    the session is then no longer verified, as with django-otp's own check. The device itself
    is loaded only if a page asks for it."""

    def _verify_user_sync(self, request, user):
        self._init_user_fields(user)
        if user.is_authenticated:
            persistent_id = request.session.get(DEVICE_ID_SESSION_KEY)
            if persistent_id:
                persistent_id = self._normalize_persistent_id(persistent_id)
            if persistent_id and persistent_id in confirmed_device_ids(user):
                user.otp_device = SimpleLazyObject(lambda: Device.from_persistent_id(persistent_id))
            else:
                user.otp_device = self._finalize_device(request, user, None)
        return user


class NoStoreWhenSignedInMiddleware:
    """Pages shown to a signed-in person (one with a session) are theirs alone: no browser,
    proxy or shared computer may keep a copy (`Cache-Control: no-store`, with Django's
    never-cache set)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        # Decided by the session cookie, not request.user, so that deciding needs no database:
        # /healthz and a page that failed because the database is down are answered as they are.
        if settings.SESSION_COOKIE_NAME in request.COOKIES:
            add_never_cache_headers(response)
        return response


class RequestIdMiddleware:
    """Give each request an id (the proxy's X-Request-ID, or a new one): on every log line
    written while it runs, on the 500 page, and in the response's X-Request-ID header."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        request.id = logs.request_id_for(request.headers.get("X-Request-ID"))
        token = logs.request_id.set(request.id)
        try:
            response = self.get_response(request)
        finally:
            logs.request_id.reset(token)
        response["X-Request-ID"] = request.id
        return response


class SessionMiddleware(sessions.SessionMiddleware):
    """Django's, except that a session that cannot be saved does not turn the answer into an
    error: by then the request's own work has committed, and the page must say so. The only
    loss is that the idle expiry is not pushed back this time."""

    def process_response(self, request, response):
        try:
            return super().process_response(request, response)
        except (DatabaseError, SessionInterrupted) as error:
            logger.warning("Session not saved (%s: %s)", type(error).__name__, error)
            return response


# Session keys (seconds since the epoch) for the idle and absolute lifetimes.
SIGNED_IN_AT = "portal_signed_in_at"
TOUCHED_AT = "portal_touched_at"


@receiver(user_logged_in)
def session_started(sender, request, user, **kwargs):
    """Signing in starts both lifetimes (saved with the session that login() writes anyway)."""
    if request is not None:
        request.session[SIGNED_IN_AT] = request.session[TOUCHED_AT] = int(time.time())


class SessionLifetimeMiddleware:
    """End a session SESSION_MAX_SECONDS after signing in, however active; and push the idle
    expiry back only when the last push is SESSION_TOUCH_SECONDS old, so that most requests
    write nothing to the session."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        # /healthz must answer without the database, so it never reads a session.
        if request.path != HEALTH_PATH and request.user.is_authenticated:
            now = int(time.time())
            session = request.session
            # A session from before this rule starts its lifetime now.
            signed_in_at = session.setdefault(SIGNED_IN_AT, now)
            if now - signed_in_at > settings.SESSION_MAX_SECONDS:
                logout(request)
                return redirect_to_login(request.get_full_path())
            if now - session.get(TOUCHED_AT, 0) >= settings.SESSION_TOUCH_SECONDS:
                session[TOUCHED_AT] = now
        return self.get_response(request)
