"""The collaboration register: each police area's agreements between its police, fire and
ambulance bodies, and each party's consideration of a proposed collaboration (issue 14).

Policing and Crime Act 2017 s.1 lets these bodies make collaboration agreements; s.2 binds them,
whether or not a PCC ever pursues fire governance, to keep collaboration under consideration,
to notify the others of a proposed collaboration, and each to consider it. An agreement in the
register is therefore either proposed (notified under s.2(2), the parties considering it) or
made. PCC staff and signatories of the area record their own area's entries; the Home Office
reads every area's (rules.py, "proposals.edit_collaboration").
"""

from dataclasses import dataclass

from django.conf import settings
from django.db import models
from django.db.models import Q

from .base import TimeStampedModel, source_url_field
from .reference import AmbulanceTrust, CollaborationDuty, FireAuthority, Pcc


class CollaborationSubject(models.TextChoices):
    """What the bodies work together on."""

    ESTATES = "estates", "Estates and shared buildings"
    CONTROL_ROOMS = "control_rooms", "Control rooms"
    PREVENTION = "prevention", "Prevention and community safety"
    TRAINING = "training", "Training"
    FLEET = "fleet", "Fleet and workshops"
    PROCUREMENT = "procurement", "Procurement"
    SUPPORT_SERVICES = "support_services", "Support services (finance, HR, IT)"
    RESPONSE = "response", "Emergency response"
    GOVERNANCE = "governance", "Governance and joint working"


class AgreementStatus(models.TextChoices):
    PROPOSED = "proposed", "Proposed"
    IN_FORCE = "in_force", "In force"
    NOT_AGREED = "not_agreed", "Not agreed"
    ENDED = "ended", "Ended"


class CollaborationAgreementQuerySet(models.QuerySet):
    def visible_to(self, user):
        """Home Office people see every area's register; PCC people only their own area's."""
        if not user.is_authenticated:
            return self.none()
        if user.is_home_office:
            return self.all()
        if user.is_pcc_member:
            return self.filter(pcc_id=user.pcc_id)
        return self.none()

    def for_pcc(self, pcc):
        return self.filter(pcc=pcc)

    def reviewed(self):
        """The agreements whose review date is reminded of: those in force with one set."""
        return self.filter(status=AgreementStatus.IN_FORCE, review_on__isnull=False)


@dataclass(frozen=True)
class Party:
    """One body party to an agreement: the police (the PCC and its force), a fire and rescue
    authority or an ambulance trust."""

    kind: str
    name: str
    fire_authority_id: int | None = None
    ambulance_trust_id: int | None = None

    @property
    def key(self) -> str:
        return f"{self.kind}-{self.fire_authority_id or self.ambulance_trust_id or 0}"


class CollaborationAgreement(TimeStampedModel):
    """One agreement (or proposed collaboration) between bodies of one police area."""

    pcc = models.ForeignKey(
        Pcc, on_delete=models.PROTECT, related_name="collaboration_agreements", verbose_name="Area"
    )
    title = models.CharField(max_length=200)
    subject = models.CharField(max_length=20, choices=CollaborationSubject.choices)
    status = models.CharField(max_length=20, choices=AgreementStatus.choices)
    police_is_party = models.BooleanField(
        default=True, help_text="The PCC and the chief constable of the area's police force."
    )
    fire_authorities = models.ManyToManyField(
        FireAuthority, blank=True, related_name="collaboration_agreements"
    )
    ambulance_trusts = models.ManyToManyField(
        AmbulanceTrust, blank=True, related_name="collaboration_agreements"
    )
    duties = models.ManyToManyField(
        CollaborationDuty,
        blank=True,
        related_name="agreements",
        help_text="The provisions of the Act the entry follows.",
    )
    notified_on = models.DateField(
        null=True, blank=True, help_text="When the collaboration was notified under s.2(2)."
    )
    starts_on = models.DateField(null=True, blank=True)
    review_on = models.DateField(null=True, blank=True)
    ends_on = models.DateField(null=True, blank=True)
    summary = models.TextField(blank=True)
    source_url = source_url_field()
    is_illustrative = models.BooleanField(
        default=False, help_text="Demo data that was invented, not taken from public sources."
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    objects = CollaborationAgreementQuerySet.as_manager()

    class Meta:
        ordering = ["pcc__name", "review_on", "title"]
        constraints = [
            models.CheckConstraint(
                name="agreement_review_not_before_start",
                condition=Q(starts_on__isnull=True)
                | Q(review_on__isnull=True)
                | Q(review_on__gte=models.F("starts_on")),
            ),
            models.CheckConstraint(
                name="agreement_end_not_before_start",
                condition=Q(starts_on__isnull=True)
                | Q(ends_on__isnull=True)
                | Q(ends_on__gte=models.F("starts_on")),
            ),
            models.CheckConstraint(
                name="agreement_in_force_has_start",
                condition=~Q(status="in_force") | Q(starts_on__isnull=False),
            ),
        ]
        indexes = [
            models.Index(
                fields=["review_on"],
                condition=Q(status="in_force"),
                name="agreement_reviewed_idx",
            )
        ]

    def __str__(self):
        return self.title

    def parties(self) -> list[Party]:
        """Every body party to it, police first (reads prefetched bodies when there are)."""
        parties = [Party("police", self.pcc.police_force)] if self.police_is_party else []
        parties += [
            Party("fire", authority.name, fire_authority_id=authority.pk)
            for authority in self.fire_authorities.all()
        ]
        parties += [
            Party("ambulance", trust.name, ambulance_trust_id=trust.pk)
            for trust in self.ambulance_trusts.all()
        ]
        return parties


class Consideration(TimeStampedModel):
    """One party's consideration of a proposed collaboration (PCA 2017 s.2(3))."""

    class Decision(models.TextChoices):
        PENDING = "pending", "Still considering"
        AGREED = "agreed", "Agreed"
        DECLINED = "declined", "Declined"

    agreement = models.ForeignKey(
        CollaborationAgreement, on_delete=models.CASCADE, related_name="considerations"
    )
    party_kind = models.CharField(
        max_length=10,
        choices=[
            ("police", "Police"),
            ("fire", "Fire and rescue authority"),
            ("ambulance", "Ambulance trust"),
        ],
    )
    fire_authority = models.ForeignKey(
        FireAuthority, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    ambulance_trust = models.ForeignKey(
        AmbulanceTrust, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    decision = models.CharField(max_length=10, choices=Decision.choices)
    decided_on = models.DateField(null=True, blank=True)
    reasons = models.TextField(blank=True)

    class Meta:
        ordering = ["agreement_id", "party_kind", "pk"]
        constraints = [
            # One consideration per party: the police, each fire authority, each ambulance
            # trust (partial indexes, which SQLite has too).
            models.UniqueConstraint(
                fields=["agreement"],
                condition=Q(party_kind="police"),
                name="one_police_consideration",
            ),
            models.UniqueConstraint(
                fields=["agreement", "fire_authority"],
                condition=Q(party_kind="fire"),
                name="one_consideration_per_fire_authority",
            ),
            models.UniqueConstraint(
                fields=["agreement", "ambulance_trust"],
                condition=Q(party_kind="ambulance"),
                name="one_consideration_per_ambulance_trust",
            ),
            models.CheckConstraint(
                name="consideration_names_its_party",
                condition=Q(party_kind="police", fire_authority=None, ambulance_trust=None)
                | Q(party_kind="fire", fire_authority__isnull=False, ambulance_trust=None)
                | Q(party_kind="ambulance", fire_authority=None, ambulance_trust__isnull=False),
            ),
            models.CheckConstraint(
                name="declined_consideration_has_reasons",
                condition=~Q(decision="declined") | ~Q(reasons=""),
            ),
        ]

    def __str__(self):
        return f"{self.party_kind} on {self.agreement}"

    @property
    def party_key(self) -> str:
        return f"{self.party_kind}-{self.fire_authority_id or self.ambulance_trust_id or 0}"
