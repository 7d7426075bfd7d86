"""Time-based one-time passwords (django-otp): who must use them, and what a session has passed.

One rule for who must use a code (`must_use_codes`): the Home Office roles, the invited
consultees and independent assessors, and anyone with Django admin powers (is_staff or
is_superuser) whatever their role, whenever OTP_REQUIRED is on (the default whenever debug is
off). PCC people may enrol; once they have, codes are asked too.

What a password alone cannot do: enrol an app on an account that has one (the session must pass
a code first, and the password is typed again), or enrol the first app of an account that must
use codes (that takes a single-use link a site admin issues and e-mails to the owner).
Confirming, removing and resetting apps, and issuing links, are services in
proposals/services/accounts.py; here are the rules and this session's pending app.
"""

import logging
from datetime import timedelta
from io import BytesIO

import qrcode
import qrcode.image.svg
from django.conf import settings
from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver
from django.utils import timezone
from django_otp import devices_for_user, match_token
from django_otp import login as otp_login
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice

from .cache import cache_optional, person_cache_forget, person_cached, person_key
from .models import HOME_OFFICE_ROLES, INVITED_ROLES

logger = logging.getLogger(__name__)

DEVICE_NAME = "Authenticator app"
WRONG_CODE = "Enter the 6-digit code your authenticator app shows now"
WRONG_CODE_OR_RECOVERY_CODE = (
    "Enter the 6-digit code your authenticator app shows now, or one of your recovery codes"
)
#: The session key holding the unconfirmed device this session is enrolling.
PENDING_DEVICE_KEY = "portal_enrolment_device"
#: At most this long a list of confirmed_device_ids is reused (any change forgets it sooner).
DEVICE_CACHE_SECONDS = 10 * 60
#: The session key holding the enrolment link this session opened.
ENROLMENT_LINK_KEY = "portal_enrolment_link"


def must_use_codes(user) -> bool:
    """Whether `user`'s role or powers call for a one-time password (when OTP_REQUIRED is on)."""
    return (
        user.role in HOME_OFFICE_ROLES
        or user.role in INVITED_ROLES
        or user.is_staff
        or user.is_superuser
    )


@person_key
def _devices_key(user_id: int) -> str:
    return f"two-factor:devices:{user_id}"


def confirmed_device_ids(user) -> list[str]:
    """The persistent ids (django-otp's "app.model/pk") of `user`'s confirmed devices: their
    authenticator apps and recovery codes. Needed on every page, for PCC people (who need a
    code only once they enrol) and for everyone whose session passed a code (that device must
    still be theirs), so kept in the shared cache and forgotten whenever one of their devices
    is saved or removed (device_changed)."""
    return person_cached(
        user.pk,
        _devices_key(user.pk),
        lambda: [device.persistent_id for device in devices_for_user(user, confirmed=True)],
        timeout=DEVICE_CACHE_SECONDS,
        optional=_cache_optional,
    )


def has_confirmed_device(user) -> bool:
    """Whether `user` has a confirmed authenticator app."""
    app = TOTPDevice.model_label() + "/"
    return any(device_id.startswith(app) for device_id in confirmed_device_ids(user))


@receiver([post_save, post_delete], sender=TOTPDevice)
@receiver([post_save, post_delete], sender=StaticDevice)
def device_changed(sender, instance, **kwargs):
    """A device added, confirmed or removed: its owner's devices are looked up afresh, now and
    once the change commits (so a list read in between is not kept)."""
    person_cache_forget([_devices_key(instance.user_id)], optional=_cache_optional)


def _cache_optional(key: str):
    return cache_optional(key, logger=logger, what="Two-factor", instead="devices looked up")


def two_factor_required(user) -> bool:
    """Whether `user` must have passed a one-time password to use the portal now."""
    if not user.is_authenticated:
        return False
    if must_use_codes(user):
        return settings.OTP_REQUIRED
    return has_confirmed_device(user)


def two_factor_passed(user) -> bool:
    """Whether `user` is signed in as fully as they must be: with a code when one is required."""
    return user.is_authenticated and (not two_factor_required(user) or user.is_verified())


def needs_enrolment_link(user) -> bool:
    """An account that must use codes and has never enrolled enrols only through a link."""
    return must_use_codes(user) and settings.OTP_REQUIRED and not has_confirmed_device(user)


def confirmed_devices(user):
    return TOTPDevice.objects.devices_for_user(user, confirmed=True).order_by("created_at", "pk")


def pending_device(request) -> TOTPDevice | None:
    """The unconfirmed device this session started enrolling, unless it has expired.

    A device belongs to the session that made it (another session, say an attacker's with the
    same password, cannot confirm it) and is forgotten after ENROLMENT_DEVICE_MINUTES.
    """
    cutoff = timezone.now() - timedelta(minutes=settings.ENROLMENT_DEVICE_MINUTES)
    TOTPDevice.objects.filter(user=request.user, confirmed=False, created_at__lt=cutoff).delete()
    device_id = request.session.get(PENDING_DEVICE_KEY)
    if device_id is None:
        return None
    return TOTPDevice.objects.filter(pk=device_id, user=request.user, confirmed=False).first()


def pending_device_start(request) -> TOTPDevice:
    """This session's unconfirmed device, made now if there is none (or it expired)."""
    device = pending_device(request)
    if device is None:
        device = TOTPDevice.objects.create(user=request.user, name=DEVICE_NAME, confirmed=False)
        request.session[PENDING_DEVICE_KEY] = device.pk
    return device


def enrolment_qr_svg(device: TOTPDevice) -> str:
    """The device's otpauth:// address as an inline SVG QR code, for the authenticator app."""
    image = qrcode.make(device.config_url, image_factory=qrcode.image.svg.SvgPathImage)
    buffer = BytesIO()
    image.save(buffer)
    svg = buffer.getvalue().decode()
    # Inline in HTML: from the <svg> element on, without the XML declaration before it.
    return svg[svg.index("<svg") :]


def verify(*, request, token: str):
    """Check a code, or a recovery code, against the user's confirmed devices; on success the
    session is verified and the device that matched is returned (else None).

    Each device throttles repeated wrong codes (django-otp), so guessing is slow; a recovery
    code is deleted as it is used, under a row lock, so it works once.
    """
    device = match_token(request.user, "".join(token.split()).lower())
    if device is not None:
        otp_login(request, device)
    return device
