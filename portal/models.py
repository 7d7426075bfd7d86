"""The portal's user: one role each, and PCC people tied to exactly one PCC (DESIGN.md s.2)."""

from django.contrib.auth.models import AbstractUser, UserManager
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.db.models.functions import Lower
from django.utils import timezone


class Role(models.TextChoices):
    PCC_STAFF = "pcc_staff", "PCC staff"
    PCC_SIGNATORY = "pcc_signatory", "PCC signatory"
    REVIEWER = "reviewer", "Home Office reviewer"
    FUNDING_ADMIN = "funding_admin", "Funding admin"
    SITE_ADMIN = "site_admin", "Site admin"
    # Outside both: an officer of a council or fire and rescue authority, and an assessor.
    CONSULTEE = "consultee", "Consultee"
    ASSESSOR = "assessor", "Independent assessor"


PCC_ROLES = (Role.PCC_STAFF, Role.PCC_SIGNATORY)
HOME_OFFICE_ROLES = (Role.REVIEWER, Role.FUNDING_ADMIN, Role.SITE_ADMIN)
#: People from outside the PCCs and the Home Office, invited to a narrow part of the portal.
INVITED_ROLES = (Role.CONSULTEE, Role.ASSESSOR)


class UserQuerySet(models.QuerySet):
    def for_pcc(self, pcc):
        return self.filter(pcc=pcc, role__in=PCC_ROLES, is_active=True)

    def reviewers(self):
        return self.filter(role=Role.REVIEWER, is_active=True)

    def consultees_of(self, body):
        """The active consultees who speak for `body`, a council or fire and rescue authority."""
        field = "local_authority" if body._meta.model_name == "localauthority" else "fire_authority"
        return self.filter(role=Role.CONSULTEE, is_active=True, **{field: body})


SUPERUSER_IS_SITE_ADMIN = "A superuser is a site admin: leave the role empty or choose site admin"


class PortalUserManager(UserManager.from_queryset(UserQuerySet)):
    def create_superuser(self, username, email=None, password=None, **extra_fields):
        """`createsuperuser` makes a site admin: Django admin is theirs alone (see the Meta)."""
        role = extra_fields.get("role") or Role.SITE_ADMIN
        if role != Role.SITE_ADMIN:
            raise ValueError(SUPERUSER_IS_SITE_ADMIN)
        extra_fields["role"] = role
        return super().create_superuser(username, email, password, **extra_fields)


STAFF_IS_SITE_ADMIN = (
    "Site admins, and only site admins, have staff status; superusers must be site admins."
)

CONSULTEE_HAS_ONE_BODY = (
    "A consultee speaks for exactly one body: a council or a fire and rescue authority; "
    "nobody else has one."
)
ASSESSOR_HAS_ORGANISATION = (
    "An independent assessor names the organisation they assess for; nobody else has one."
)
CONSULTEE_NO_BODY = "Choose the council or the fire and rescue authority this consultee speaks for"
CONSULTEE_TWO_BODIES = (
    "A consultee speaks for one body: choose a council or a fire and rescue authority, not both"
)
ONLY_CONSULTEES_HAVE_A_BODY = "Only consultees speak for a council or fire and rescue authority"
ASSESSOR_NO_ORGANISATION = "Enter the organisation the assessor works for, for example CIPFA"
ONLY_ASSESSORS_HAVE_AN_ORGANISATION = "Only independent assessors have an organisation here"
ONLY_PCC_PEOPLE_HAVE_A_PCC = "Only PCC staff and signatories belong to a PCC"


class User(AbstractUser):
    role = models.CharField(max_length=20, choices=Role.choices)
    pcc = models.ForeignKey(
        "proposals.Pcc",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="people",
        help_text="Required for PCC staff and signatories; empty for Home Office roles.",
    )
    # A consultee speaks for exactly one body; its PCC area is the body's.
    local_authority = models.ForeignKey(
        "proposals.LocalAuthority",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="consultees",
        help_text="For a consultee officer of an upper-tier council.",
    )
    fire_authority = models.ForeignKey(
        "proposals.FireAuthority",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="consultees",
        help_text="For a consultee officer of a fire and rescue authority.",
    )
    organisation = models.CharField(
        max_length=200,
        blank=True,
        help_text="For an independent assessor: who they assess for, e.g. CIPFA.",
    )

    early_reminders = models.BooleanField(
        default=True,
        help_text="E-mail reminders before a due date. Overdue reminders always go.",
    )
    # The deadlines calendar's secret address (proposals/services/calendar.py): only its
    # first characters, to find the person, and a SHA-256 digest of the whole are kept.
    calendar_token_key = models.CharField(max_length=8, blank=True, default="", db_index=True)
    calendar_token_digest = models.CharField(
        max_length=64,
        blank=True,
        default="",
        help_text="SHA-256 of the calendar address's secret; empty when the calendar is off.",
    )
    calendar_token_last_used_on = models.DateField(null=True, blank=True)

    objects = PortalUserManager()

    class Meta:
        ordering = ["username"]
        constraints = [
            models.CheckConstraint(
                name="user_pcc_role_has_exactly_one_pcc",
                condition=(Q(role__in=PCC_ROLES) & Q(pcc__isnull=False))
                | (~Q(role__in=PCC_ROLES) & Q(pcc__isnull=True)),
                violation_error_message=(
                    "PCC staff and signatories belong to one PCC; Home Office roles to none."
                ),
            ),
            # Django admin (is_staff) and its bypass of model permissions (is_superuser) belong
            # to site admins alone, so nobody outside that role holds powers the role does not.
            models.CheckConstraint(
                name="user_staff_is_site_admin",
                condition=(Q(role=Role.SITE_ADMIN) & Q(is_staff=True))
                | (~Q(role=Role.SITE_ADMIN) & Q(is_staff=False) & Q(is_superuser=False)),
                violation_error_message=STAFF_IS_SITE_ADMIN,
            ),
            models.CheckConstraint(
                name="user_consultee_has_exactly_one_body",
                condition=(
                    Q(role=Role.CONSULTEE)
                    & (
                        (Q(local_authority__isnull=False) & Q(fire_authority__isnull=True))
                        | (Q(local_authority__isnull=True) & Q(fire_authority__isnull=False))
                    )
                )
                | (
                    ~Q(role=Role.CONSULTEE)
                    & Q(local_authority__isnull=True)
                    & Q(fire_authority__isnull=True)
                ),
                violation_error_message=CONSULTEE_HAS_ONE_BODY,
            ),
            models.CheckConstraint(
                name="user_assessor_has_organisation",
                condition=(Q(role=Role.ASSESSOR) & ~Q(organisation=""))
                | (~Q(role=Role.ASSESSOR) & Q(organisation="")),
                violation_error_message=ASSESSOR_HAS_ORGANISATION,
            ),
        ]

    def __str__(self):
        return self.get_full_name() or self.username

    @property
    def is_pcc_member(self) -> bool:
        return self.role in PCC_ROLES

    @property
    def is_home_office(self) -> bool:
        return self.role in HOME_OFFICE_ROLES

    @property
    def is_consultee(self) -> bool:
        return self.role == Role.CONSULTEE

    @property
    def is_assessor(self) -> bool:
        return self.role == Role.ASSESSOR

    @property
    def consultee_body(self):
        """The council or fire and rescue authority a consultee speaks for (else None)."""
        return self.local_authority or self.fire_authority

    @property
    def consultee_pcc_id(self) -> int | None:
        """The police area a consultee's body lies in: the proposals they may see."""
        body = self.consultee_body
        return body.pcc_id if body is not None else None

    def clean(self):
        """The role's ties, by field, before the database's checks refuse them as a whole."""
        super().clean()
        errors = {}
        if self.role == Role.CONSULTEE:
            if self.local_authority_id and self.fire_authority_id:
                errors["fire_authority"] = CONSULTEE_TWO_BODIES
            elif not (self.local_authority_id or self.fire_authority_id):
                errors["local_authority"] = CONSULTEE_NO_BODY
        else:
            for field in ("local_authority", "fire_authority"):
                if getattr(self, f"{field}_id"):
                    errors[field] = ONLY_CONSULTEES_HAVE_A_BODY
        if self.role == Role.ASSESSOR and not self.organisation.strip():
            errors["organisation"] = ASSESSOR_NO_ORGANISATION
        if self.role != Role.ASSESSOR and self.organisation:
            errors["organisation"] = ONLY_ASSESSORS_HAVE_AN_ORGANISATION
        if self.role not in PCC_ROLES and self.pcc_id:
            errors["pcc"] = ONLY_PCC_PEOPLE_HAVE_A_PCC
        if errors:
            raise ValidationError(errors)


class EnrolmentLinkQuerySet(models.QuerySet):
    def usable(self):
        return self.filter(used_at__isnull=True, expires_at__gt=timezone.now())


class EnrolmentLink(models.Model):
    """A single-use link, issued by a site admin and e-mailed to its owner, through which an
    account that must use one-time passwords enrols its first authenticator app.

    Only the SHA-256 digest of the link's secret is stored: the database alone cannot enrol.
    """

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="enrolment_links")
    token_digest = models.CharField(max_length=64, unique=True)
    issued_by = models.ForeignKey(
        User,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        help_text="Empty when issued from the command line.",
    )
    created_at = models.DateTimeField(default=timezone.now)
    expires_at = models.DateTimeField()
    used_at = models.DateTimeField(null=True, blank=True)

    objects = EnrolmentLinkQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]

    def __str__(self):
        return f"Enrolment link for {self.user.username}, {self.created_at:%Y-%m-%d %H:%M}"


class ApiTokenQuerySet(models.QuerySet):
    def active(self):
        """Tokens that still work: not revoked."""
        return self.filter(revoked_at__isnull=True)


class ApiToken(models.Model):
    """A person's named credential for the JSON API (issue 16), used as
    `Authorization: Bearer <secret>`; it reaches what its owner may reach, no more.

    Only the SHA-256 digest of the secret is stored, with its first characters so its owner can
    tell tokens apart: the database alone cannot call the API. Revoking keeps the row (and so
    the history that names it); a revoked token stops working at once.
    Issuing and revoking are services in proposals/services/api_tokens.py.
    """

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="api_tokens")
    name = models.CharField(
        max_length=80, help_text="Its owner's own label, like “Monthly report”."
    )
    digest = models.CharField(
        max_length=64,
        unique=True,
        help_text="SHA-256 (hex) of the secret; the secret itself is never stored.",
    )
    prefix = models.CharField(
        max_length=8, help_text="The secret's first characters, to tell tokens apart."
    )
    created_at = models.DateTimeField(default=timezone.now)
    last_used_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)
    revoked_by = models.ForeignKey(
        User,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        help_text="Who revoked it: its owner or a site admin (empty while it works).",
    )

    objects = ApiTokenQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = "API token"
        constraints = [
            # Names tell a person's working tokens apart; a revoked token's name is free again.
            models.UniqueConstraint(
                Lower("name"),
                "user",
                condition=Q(revoked_at__isnull=True),
                name="api_token_name_unique_per_user_while_active",
                violation_error_message="This person already has a working token of this name.",
            ),
            models.CheckConstraint(
                name="api_token_revoked_by_only_when_revoked",
                condition=Q(revoked_by__isnull=True) | Q(revoked_at__isnull=False),
                violation_error_message="Only a revoked token has someone who revoked it.",
            ),
        ]

    def __str__(self):
        return self.name

    @property
    def is_active(self) -> bool:
        return self.revoked_at is None
