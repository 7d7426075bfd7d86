"""Time-based one-time passwords (django-otp): who must use them, enrolling, and verifying.

Home Office reviewers, funding admins and site admins must sign in with a code from an
authenticator app when OTP_REQUIRED is on (the default whenever debug is off). PCC people may
enrol; once they have, their codes are asked for too.
"""

from io import BytesIO

import qrcode
import qrcode.image.svg
from django.conf import settings
from django.db import transaction
from django_otp import login as otp_login
from django_otp.plugins.otp_totp.models import TOTPDevice

from .models import HOME_OFFICE_ROLES

DEVICE_NAME = "Authenticator app"
WRONG_CODE = "Enter the 6-digit code your authenticator app shows now"


def two_factor_required(user) -> bool:
    """Whether `user` must have passed a one-time password to use the portal now."""
    if not user.is_authenticated:
        return False
    if user.role in HOME_OFFICE_ROLES:
        return settings.OTP_REQUIRED
    return TOTPDevice.objects.devices_for_user(user, confirmed=True).exists()


def has_confirmed_device(user) -> bool:
    return TOTPDevice.objects.devices_for_user(user, confirmed=True).exists()


def enrolment_device(*, user) -> TOTPDevice:
    """The device being enrolled: an unconfirmed one, made on first visit and kept until used."""
    device = TOTPDevice.objects.devices_for_user(user, confirmed=False).first()
    return device or TOTPDevice.objects.create(user=user, name=DEVICE_NAME, confirmed=False)


def enrolment_qr_svg(device: TOTPDevice) -> str:
    """The device's otpauth:// address as an inline SVG QR code, for the authenticator app."""
    image = qrcode.make(device.config_url, image_factory=qrcode.image.svg.SvgPathImage)
    buffer = BytesIO()
    image.save(buffer)
    return buffer.getvalue().decode()


@transaction.atomic
def enrolment_confirm(*, request, device: TOTPDevice, token: str) -> bool:
    """Confirm the device with a code it generated, and count this session as verified."""
    if not device.verify_token(token.strip()):
        return False
    device.confirmed = True
    device.save(update_fields=["confirmed"])
    otp_login(request, device)
    return True


def verify(*, request, token: str) -> bool:
    """Check a code against the user's confirmed devices; on success the session is verified.

    Each device throttles repeated wrong codes (django-otp), so guessing is slow.
    """
    for device in TOTPDevice.objects.devices_for_user(request.user, confirmed=True):
        if device.verify_token(token.strip()):
            otp_login(request, device)
            return True
    return False
