"""Reference data: the nine PCCs and the bodies around them, and the Act's duties.

Loaded by data migrations from shared/domain/FACTS.md; site admins may correct it in admin.
"""

from django.db import models
from django.utils import timezone
from django.utils.functional import cached_property

from .base import TimeStampedModel, source_url_field


class Confidence(models.TextChoices):
    """How sure FACTS.md is of a fact: the label it carries there."""

    VERIFIED = "verified", "Verified"
    DERIVED = "derived", "Derived"
    UNCERTAIN = "uncertain", "Uncertain"


class AmbulanceTrust(TimeStampedModel):
    name = models.CharField(max_length=200, unique=True)
    source_url = source_url_field()

    class Meta:
        ordering = ["name"]

    def __str__(self):
        return self.name


class PccQuerySet(models.QuerySet):
    def visible_to(self, user):
        """Home Office people see all nine PCCs; PCC people only their own."""
        if not user.is_authenticated:
            return self.none()
        if user.is_home_office:
            return self.all()
        return self.filter(pk=user.pcc_id)


def pcc_visible_to(pcc_id: int, user) -> bool:
    """PccQuerySet.visible_to's rule for one PCC whose id is known, without a query."""
    return user.is_authenticated and (user.is_home_office or user.pcc_id == pcc_id)


class Pcc(TimeStampedModel):
    """A Police and Crime Commissioner's office, named by its police area."""

    slug = models.SlugField(unique=True)
    name = models.CharField(max_length=100, unique=True, help_text="Police area, e.g. Essex.")
    police_force = models.CharField(max_length=200)
    commissioner_in_2017 = models.CharField(max_length=200, blank=True)
    ambulance_trust = models.ForeignKey(
        AmbulanceTrust, on_delete=models.PROTECT, related_name="pccs"
    )
    source_url = source_url_field()

    objects = PccQuerySet.as_manager()

    class Meta:
        ordering = ["name"]
        verbose_name = "PCC"
        verbose_name_plural = "PCCs"

    def __str__(self):
        return self.name

    @cached_property
    def fire_governance(self):
        """When it became the fire and rescue authority, and what changed after (2 queries)."""
        from .governance_change import FireGovernance

        return FireGovernance.of(self)

    def title_on(self, day) -> str:
        """ "Police and Crime Commissioner for <area>" until its order came into force, then
        "Police, Fire and Crime Commissioner for <area>" (or a successor's title)."""
        return self.fire_governance.title_on(day)

    @property
    def office_name(self) -> str:
        """The office's title today (Europe/London)."""
        return self.title_on(timezone.localdate())


class FireAuthority(TimeStampedModel):
    """A fire and rescue authority as it stood before any change of governance."""

    pcc = models.ForeignKey(Pcc, on_delete=models.PROTECT, related_name="fire_authorities")
    name = models.CharField(max_length=200, unique=True)
    service_name = models.CharField(max_length=200, help_text="The fire and rescue service.")
    note = models.TextField(blank=True)
    source_url = source_url_field()

    class Meta:
        ordering = ["name"]
        verbose_name_plural = "fire authorities"

    def __str__(self):
        return self.name


class LocalAuthority(TimeStampedModel):
    """An upper-tier council in the police area: a statutory consultee that may object."""

    pcc = models.ForeignKey(Pcc, on_delete=models.PROTECT, related_name="local_authorities")
    name = models.CharField(max_length=200, unique=True)
    source_url = source_url_field()

    class Meta:
        ordering = ["name"]
        verbose_name_plural = "local authorities"

    def __str__(self):
        return self.name


class CollaborationDuty(TimeStampedModel):
    """A provision of the Policing and Crime Act 2017 that a business case may address."""

    class Kind(models.TextChoices):
        DUTY = "duty", "Duty"
        POWER = "power", "Power"

    provision = models.CharField(max_length=100, unique=True, help_text="e.g. PCA 2017 s.2(1)")
    title = models.CharField(max_length=200)
    kind = models.CharField(max_length=10, choices=Kind.choices)
    binds = models.TextField(help_text="Who the provision applies to.")
    requires = models.TextField(help_text="What it requires or allows.")
    confidence = models.CharField(
        max_length=10, choices=Confidence.choices, default=Confidence.VERIFIED
    )
    position = models.PositiveSmallIntegerField(help_text="Order in which the Act sets it out.")
    source_url = source_url_field()

    class Meta:
        ordering = ["position"]
        verbose_name_plural = "collaboration duties"

    def __str__(self):
        return f"{self.provision}: {self.title}"
