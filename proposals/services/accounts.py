"""Writes to people's sign-in: enrolment links, authenticator apps and recovery codes.

Every change is an audit event, and every enrolment and removal is told to the account's owner
(in the portal and by e-mail) after it commits, so a stranger's app does not go unnoticed.
Who may do what, and when, is in portal/two_factor.py.
"""

import hashlib
import secrets
from datetime import timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django_otp import login as otp_login
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from portal import security_log
from portal.models import EnrolmentLink, Role, User
from portal.two_factor import (
    ENROLMENT_LINK_KEY,
    PENDING_DEVICE_KEY,
    WRONG_CODE,
    confirmed_devices,
    has_confirmed_device,
    must_use_codes,
)

from .audit import audit_record
from .notifications import absolute_url, email_send, notification_send

NO_EMAIL_ADDRESS = "{user} has no e-mail address: add one before sending an enrolment link"
ALREADY_ENROLLED = (
    "{user} already has an authenticator app: they add another from their account's "
    "authenticator apps page"
)
LINK_UNUSABLE = (
    "This enrolment link has expired, has been used or is for another account. "
    "Ask a site admin for a new one."
)
LAST_DEVICE = (
    "You cannot remove your only authenticator app: your role signs in with a code. "
    "Add another app first."
)
RECOVERY_DEVICE_NAME = "Recovery codes"

ENROLMENT_LINK_TITLE = "Set up your authenticator app for Fire governance proposals"
ENROLMENT_LINK_BODY = (
    "A site admin has asked you to set up an authenticator app, which you will need with your "
    "password to sign in. Open the link below, sign in, and follow the steps. The link works "
    "once and expires on {expires}. If you did not expect it, tell a site admin."
)
DEVICE_ADDED_TITLE = "An authenticator app was added to your account"
DEVICE_REMOVED_TITLE = "An authenticator app was removed from your account"
DEVICE_CHANGED_BODY = (
    "“{name}” was {change} your Fire governance proposals account on {when}. If this was not "
    "you, tell a site admin at once: someone may know your password."
)


def _digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def london_moment(moment) -> str:
    """“1 December 2026 at 09:30”, in Europe/London."""
    local = timezone.localtime(moment)
    return f"{date_format(local, 'j F Y')} at {local:%H:%M}"


@transaction.atomic
def enrolment_link_issue(
    *,
    user: User,
    by: User | None,
    title: str = ENROLMENT_LINK_TITLE,
    body: str = ENROLMENT_LINK_BODY,
    words: dict | None = None,
) -> str:
    """Issue `user` a single-use enrolment link that expires after ENROLMENT_LINK_HOURS, e-mail
    it to them, and return its address. Earlier unused links stop working. Only a digest of the
    secret is kept. Refused (ValidationError) for an account without an e-mail address or one
    that already has an app (it adds another from its own page, after passing a code)."""
    if not user.email:
        raise ValidationError(NO_EMAIL_ADDRESS.format(user=user.username))
    if has_confirmed_device(user):
        raise ValidationError(ALREADY_ENROLLED.format(user=user.username))
    now = timezone.now()
    user.enrolment_links.usable().update(expires_at=now)
    token = secrets.token_urlsafe(32)
    link = EnrolmentLink.objects.create(
        user=user,
        token_digest=_digest(token),
        issued_by=by,
        created_at=now,
        expires_at=now + timedelta(hours=settings.ENROLMENT_LINK_HOURS),
    )
    audit_record(
        actor=by,
        action="enrolment_link_issued",
        target=user,
        after={"link": link.pk, "expires_at": link.expires_at},
    )
    path = reverse("two-factor-enrol", kwargs={"token": token})
    email_send(
        user=user,
        title=title,
        body=body.format(expires=london_moment(link.expires_at), **(words or {})),
        link=path,
        template="emails/account",
        context={"link_text": "Set up your authenticator app"},
    )
    return absolute_url(path)


NOT_INVITED_ROLE = "{user} is not a consultee or independent assessor: send an enrolment link"
INVITATION_TITLE = "You are invited to Fire governance proposals"
INVITATION_BODIES = {
    Role.CONSULTEE: "A site admin has invited you, as an officer of {body}, to the Home Office's "
    "fire governance proposals portal. There you can read the proposals of your police area "
    "and, while a proposal's consultation is in progress, lodge your body's representation on "
    "it; you are told when the PCC responds.",
    Role.ASSESSOR: "A site admin has invited you, as an independent assessor ({body}), to the "
    "Home Office's fire governance proposals portal. There you can read the proposals assigned "
    "to you and record their independent assessment.",
}
INVITATION_NEXT = (
    " Sign in with the username {username} and the password the site admin gave you, then set "
    "up an authenticator app through the link below. The link works once and expires on "
    "{expires}. If you did not expect this, tell a site admin."
)


def invitation_send(*, user: User, by: User | None) -> str:
    """Invite a consultee or independent assessor by e-mail: what the portal lets them do, and
    the single-use link through which they set up the authenticator app their role signs in
    with (enrolment_link_issue: audited, and refused without an e-mail address)."""
    if user.role not in INVITATION_BODIES:
        raise ValidationError(NOT_INVITED_ROLE.format(user=user.username))
    return enrolment_link_issue(
        user=user,
        by=by,
        title=INVITATION_TITLE,
        body=INVITATION_BODIES[user.role] + INVITATION_NEXT,
        words={"body": user.consultee_body or user.organisation, "username": user.username},
    )


def enrolment_link_find(*, token: str, user: User) -> EnrolmentLink | None:
    """The usable link with this secret, if it is `user`'s."""
    return EnrolmentLink.objects.usable().filter(token_digest=_digest(token), user=user).first()


@transaction.atomic
def device_enrol(*, request, device: TOTPDevice, token: str, name: str) -> list[str]:
    """Confirm this session's pending `device` with a code it generated, name it, and count the
    session as verified. An enrolment made through a link uses the link up (a link used or
    expired meanwhile refuses it). The first enrolment also makes the recovery codes, returned
    here to be shown once; later ones return none. Raises ValidationError by field."""
    by = request.user
    link_id = request.session.get(ENROLMENT_LINK_KEY)
    if link_id is not None:
        used = EnrolmentLink.objects.usable().filter(pk=link_id, user=by)
        if not used.update(used_at=timezone.now()):
            raise ValidationError(LINK_UNUSABLE)
    if not device.verify_token(token.strip()):
        raise ValidationError({"token": WRONG_CODE})
    device.name = name
    device.confirmed = True
    device.save(update_fields=["name", "confirmed"])
    otp_login(request, device)
    for key in (PENDING_DEVICE_KEY, ENROLMENT_LINK_KEY):
        request.session.pop(key, None)
    audit_record(actor=by, action="two_factor_enrolled", target=by, after={"device": name})
    security_log.log_event("two_factor_enrolled", request=request, user=by)
    _tell_owner(by, DEVICE_ADDED_TITLE, name=name, change="added to")
    return recovery_codes_make(user=by)


def recovery_codes_make(*, user: User) -> list[str]:
    """RECOVERY_CODE_COUNT single-use codes (django-otp's static device), unless the user has
    them already."""
    device, created = StaticDevice.objects.get_or_create(
        user=user, defaults={"name": RECOVERY_DEVICE_NAME, "confirmed": True}
    )
    if not created:
        return []
    codes = [StaticToken.random_token() for _ in range(settings.RECOVERY_CODE_COUNT)]
    StaticToken.objects.bulk_create(StaticToken(device=device, token=code) for code in codes)
    return codes


@transaction.atomic
def device_remove(*, device: TOTPDevice, by: User) -> None:
    """Remove one of `by`'s own confirmed apps. The last one cannot go for roles that must use
    codes; when it goes for anyone else, their recovery codes go with it."""
    others = TOTPDevice.objects.filter(user=by, confirmed=True).exclude(pk=device.pk)
    if must_use_codes(by) and not others.exists():
        raise ValidationError(LAST_DEVICE)
    name = device.name
    device.delete()
    if not others.exists():
        StaticDevice.objects.filter(user=by).delete()
    audit_record(actor=by, action="two_factor_removed", target=by, before={"device": name})
    _tell_owner(by, DEVICE_REMOVED_TITLE, name=name, change="removed from")


@transaction.atomic
def devices_reset(*, user: User, by: User | None) -> str:
    """For a person who lost their app and their recovery codes: remove all their apps and
    codes, tell them, and e-mail them an enrolment link (returned). Audited."""
    names = list(confirmed_devices(user).values_list("name", flat=True))
    TOTPDevice.objects.filter(user=user).delete()
    StaticDevice.objects.filter(user=user).delete()
    audit_record(actor=by, action="two_factor_reset", target=user, before={"devices": names})
    for name in names:
        _tell_owner(user, DEVICE_REMOVED_TITLE, name=name, change="removed from")
    return enrolment_link_issue(user=user, by=by)


def _tell_owner(user: User, title: str, *, name: str, change: str) -> None:
    body = DEVICE_CHANGED_BODY.format(name=name, change=change, when=london_moment(timezone.now()))
    account_notice_queue(user=user, title=title, body=body)


#: The account page each kind of notice links to (its URL name), and the link's words.
ACCOUNT_PAGES = {
    "two_factor": ("two-factor-devices", "See the authenticator apps on your account"),
    "api_tokens": ("api-tokens", "See the API tokens on your account"),
}


def account_notice_queue(*, user: User, title: str, body: str, page: str = "two_factor") -> None:
    """Once the change commits, tell the account's owner (account_notice_send, in a task)."""
    from ..tasks import send_account_notice  # the tasks module imports the services

    transaction.on_commit(lambda: send_account_notice.delay(user.pk, title, body, page))


def account_notice_send(*, user_id: int, title: str, body: str, page: str = "two_factor") -> None:
    """Tell the account's owner about a change to their sign-in, in the portal and by e-mail,
    linking to the account page (ACCOUNT_PAGES) where they can see it."""
    url_name, link_text = ACCOUNT_PAGES[page]
    notification_send(
        user=User.objects.get(pk=user_id),
        title=title,
        body=body,
        link=reverse(url_name),
        email_template="emails/account",
        email_context={"link_text": link_text},
    )
