"""A finding and reasons on each limb of the statutory test, as a decision or an assessment
records them (FRSA 2004 s.4A(5); Shropshire and Wrekin FA v SSHD [2019] EWHC 1967 (Admin))."""

from dataclasses import dataclass

from django.db import models
from django.db.models import Q

from .choices import Limb, LimbFinding


def finding_field(limb: str) -> str:
    return f"{limb}_finding"


def reasons_field(limb: str) -> str:
    return f"{limb}_reasons"


#: Every field a record of the limbs has, in the order they are asked for.
LIMB_FIELDS = tuple(name for limb in Limb for name in (finding_field(limb), reasons_field(limb)))


@dataclass(frozen=True)
class LimbConclusion:
    """One limb of one record: its finding ('' when none yet) and the reasons for it."""

    limb: Limb
    finding: str
    reasons: str

    @property
    def finding_label(self) -> str:
        return LimbFinding(self.finding).label if self.finding else ""

    @property
    def is_complete(self) -> bool:
        return bool(self.finding and self.reasons.strip())


def _finding_allowed(limb: Limb) -> models.CheckConstraint:
    return models.CheckConstraint(
        name=f"%(class)s_{limb}_finding_allowed",
        condition=Q(**{f"{finding_field(limb)}__in": ["", *LimbFinding.for_limb(limb)]}),
    )


def _finding_on(limb: str) -> models.CharField:
    return models.CharField(
        max_length=20, blank=True, choices=LimbFinding.choices, verbose_name=f"finding on {limb}"
    )


def _reasons_on(limb: str) -> models.TextField:
    return models.TextField(blank=True, verbose_name=f"reasons on {limb}")


class LimbConclusions(models.Model):
    """A finding and reasons on each of the four limbs.

    Two columns per limb rather than a child table: the statute fixes the four limbs, so one row
    holds the whole test; a page reads it with the record it belongs to (no query per limb,
    however many proposals are listed); and the record's existing save, audit and stale-edit
    check (services.drafting.stage_details_save) cover the findings unchanged.
    """

    economy_finding = _finding_on("economy")
    economy_reasons = _reasons_on("economy")
    efficiency_finding = _finding_on("efficiency")
    efficiency_reasons = _reasons_on("efficiency")
    effectiveness_finding = _finding_on("effectiveness")
    effectiveness_reasons = _reasons_on("effectiveness")
    public_safety_finding = _finding_on("public safety")
    public_safety_reasons = _reasons_on("public safety")

    class Meta:
        abstract = True
        constraints = [_finding_allowed(limb) for limb in Limb]

    @property
    def limbs(self) -> list[LimbConclusion]:
        """Each limb's finding and reasons, in the statute's order."""
        return [
            LimbConclusion(
                limb=limb,
                finding=getattr(self, finding_field(limb)),
                reasons=getattr(self, reasons_field(limb)),
            )
            for limb in Limb
        ]

    @property
    def findings(self) -> dict[Limb, str]:
        return {conclusion.limb: conclusion.finding for conclusion in self.limbs}
