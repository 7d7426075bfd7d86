"""Representations: what a council or the fire and rescue authority tells the Home Secretary
about a PCC's proposal during its consultation, lodged by the body itself, and the PCC's
response to each (FRSA 2004 s.4A and Schedule A1: the decision has regard to them)."""

from django.conf import settings
from django.db import models
from django.db.models import Q

from .base import TimeStampedModel
from .proposal import Proposal
from .reference import FireAuthority, LocalAuthority


class Representation(TimeStampedModel):
    """One body's representation on one proposal: lodged by an officer of an upper-tier
    council or of a fire and rescue authority (a consultee), answered by the PCC."""

    class Position(models.TextChoices):
        SUPPORTS = "supports", "Supports the proposal"
        OBJECTS = "objects", "Objects to the proposal"
        COMMENTS = "comments", "Neutral or comments only"

    proposal = models.ForeignKey(Proposal, on_delete=models.PROTECT, related_name="representations")
    local_authority = models.ForeignKey(
        LocalAuthority,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="representations",
    )
    fire_authority = models.ForeignKey(
        FireAuthority,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="representations",
    )
    position = models.CharField(max_length=10, choices=Position.choices)
    reasons = models.TextField()
    lodged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    lodged_at = models.DateTimeField()
    # The PCC's response (staff or signatory of the proposal's PCC).
    response = models.TextField(blank=True)
    responded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    responded_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["lodged_at", "pk"]
        constraints = [
            models.CheckConstraint(
                name="representation_from_exactly_one_body",
                condition=(Q(local_authority__isnull=False) & Q(fire_authority__isnull=True))
                | (Q(local_authority__isnull=True) & Q(fire_authority__isnull=False)),
                violation_error_message="A representation comes from one council or one fire "
                "and rescue authority.",
            ),
            # A body speaks once on a proposal: its officers edit that one representation.
            models.UniqueConstraint(
                fields=["proposal", "local_authority"],
                condition=Q(local_authority__isnull=False),
                name="one_representation_per_council",
            ),
            models.UniqueConstraint(
                fields=["proposal", "fire_authority"],
                condition=Q(fire_authority__isnull=False),
                name="one_representation_per_fire_authority",
            ),
            models.CheckConstraint(
                name="representation_response_complete",
                condition=(
                    Q(response="") & Q(responded_by__isnull=True) & Q(responded_at__isnull=True)
                )
                | (~Q(response="") & Q(responded_by__isnull=False) & Q(responded_at__isnull=False)),
                violation_error_message="A response has its text, who gave it and when.",
            ),
        ]

    def __str__(self):
        return f"{self.body}: {self.get_position_display()}"

    @property
    def body(self):
        """The council or fire and rescue authority that made it."""
        return self.local_authority or self.fire_authority

    @property
    def is_answered(self) -> bool:
        return bool(self.response)
