"""The local business case: structured sections kept as immutable, numbered revisions."""

from dataclasses import dataclass

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone

from .choices import GovernanceModel
from .proposal import Proposal
from .reference import CollaborationDuty


@dataclass(frozen=True)
class Section:
    field: str
    label: str
    hint: str


# FRSA 2004 Sch A1 para 1: a s.4A proposal must assess why the order is in the interests of
# economy, efficiency and effectiveness, or of public safety. Each E is tested separately
# (Shropshire & Wrekin FA v SSHD [2019] EWHC 1967 (Admin)), so each has its own section.
BUSINESS_CASE_SECTIONS = (
    Section("economy", "Economy", "How the proposal is in the interests of economy."),
    Section("efficiency", "Efficiency", "How the proposal is in the interests of efficiency."),
    Section(
        "effectiveness", "Effectiveness", "How the proposal is in the interests of effectiveness."
    ),
    Section(
        "public_safety",
        "Public safety",
        "The effect on public safety, and why it would not be adverse.",
    ),
    Section(
        "options_appraisal",
        "Options appraisal",
        "Every model considered — no change, representation, governance and single "
        "employer — and why this one was chosen.",
    ),
    Section("financial_case", "Financial case", "Costs, savings and how the change is funded."),
    Section(
        "consultation_plan",
        "Consultation plan",
        "Who will be consulted, how and for how long, including the upper-tier councils.",
    ),
)
#: Longest text of one section or one duty's evidence: about 3,000 words, far more than a
#: section needs, and a bound on what every save copies and every comparison reads.
SECTION_MAX_CHARS = 20_000

# FRSA 2004 Sch A1 para 1(2): a proposal that asks for a s.4H order (single employer) gives
# its reasons for asking.
SINGLE_EMPLOYER_SECTION = Section(
    "single_employer_reasons",
    "Reasons for a single employer",
    "Why the proposal asks for an order under section 4H of the Fire and Rescue Services Act "
    "2004, delegating the fire and rescue functions to the chief constable.",
)
SECTIONS_BY_FIELD = {
    section.field: section for section in (*BUSINESS_CASE_SECTIONS, SINGLE_EMPLOYER_SECTION)
}


def business_case_sections(governance_model: str) -> tuple[Section, ...]:
    """The sections a business case for `governance_model` has, in order."""
    if governance_model == GovernanceModel.SINGLE_EMPLOYER:
        return (*BUSINESS_CASE_SECTIONS, SINGLE_EMPLOYER_SECTION)
    return BUSINESS_CASE_SECTIONS


class BusinessCaseRevision(models.Model):
    """One saved state of the whole business case. Never changed once written: every save of a
    section makes a new revision, so any two can be compared."""

    proposal = models.ForeignKey(Proposal, on_delete=models.PROTECT, related_name="revisions")
    number = models.PositiveIntegerField()
    created_at = models.DateTimeField(default=timezone.now)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    changed = models.CharField(max_length=40, help_text="The section this save changed.")
    economy = models.TextField(blank=True)
    efficiency = models.TextField(blank=True)
    effectiveness = models.TextField(blank=True)
    public_safety = models.TextField(blank=True)
    options_appraisal = models.TextField(blank=True)
    financial_case = models.TextField(blank=True)
    consultation_plan = models.TextField(blank=True)
    single_employer_reasons = models.TextField(blank=True)

    class Meta:
        ordering = ["proposal_id", "-number"]
        constraints = [
            models.UniqueConstraint(fields=["proposal", "number"], name="one_revision_number"),
            models.CheckConstraint(
                name="revision_numbers_start_at_one", condition=Q(number__gte=1)
            ),
        ]

    def __str__(self):
        return f"Revision {self.number} of {self.proposal}"


class DutyEvidence(models.Model):
    """How a revision of the business case addresses one of the Act's collaboration duties."""

    revision = models.ForeignKey(
        BusinessCaseRevision, on_delete=models.PROTECT, related_name="duty_evidence"
    )
    duty = models.ForeignKey(CollaborationDuty, on_delete=models.PROTECT, related_name="evidence")
    evidence = models.TextField()
    agreements = models.ManyToManyField(
        "CollaborationAgreement",
        blank=True,
        related_name="duty_evidence",
        help_text="The area's entries in the collaboration register this evidence rests on.",
    )

    class Meta:
        ordering = ["duty__position"]
        constraints = [
            models.UniqueConstraint(fields=["revision", "duty"], name="one_evidence_per_duty"),
            models.CheckConstraint(name="duty_evidence_not_blank", condition=~Q(evidence="")),
        ]

    def __str__(self):
        return f"{self.duty.provision} in {self.revision}"
