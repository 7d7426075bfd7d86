"""What happened to fire governance after a proposal's transfer, and the title of the office.

A transfer is not the end of the story: North Yorkshire's Police, Fire and Crime Commissioner
handed fire (and police) governance to the Mayor of York and North Yorkshire on 7 May 2024
(S.I. 2023/1432). The proposal stays "transferred"; its page and its PCC's say what came after.
"""

from dataclasses import dataclass
from datetime import date

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.formats import date_format

from .base import TimeStampedModel, source_url_field
from .choices import ProposalStatus
from .proposal import Proposal

PCC_TITLE = "Police and Crime Commissioner for {area}"
PFCC_TITLE = "Police, Fire and Crime Commissioner for {area}"
CHANGE_NEEDS_TRANSFER = "A change of governance after transfer needs a transferred proposal."
CHANGE_BEFORE_TRANSFER = "The change must come after the transfer, on {date}."


class GovernanceChange(TimeStampedModel):
    """A later change to who governs fire and rescue, after the proposal's transfer."""

    proposal = models.ForeignKey(
        Proposal, on_delete=models.PROTECT, related_name="governance_changes"
    )
    changed_on = models.DateField()
    passed_to = models.CharField(
        max_length=300,
        help_text="Who governs fire and rescue from that date, e.g. the Mayor of York and "
        "North Yorkshire (York and North Yorkshire Combined Authority).",
    )
    office_title = models.CharField(
        max_length=200,
        blank=True,
        help_text="When the commissioner's office itself passed on: the title of its "
        "successor, e.g. Mayor of York and North Yorkshire.",
    )
    summary = models.TextField(help_text="What changed, and under which legislation.")
    source_url = source_url_field()

    class Meta:
        ordering = ["changed_on", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["proposal", "changed_on"], name="one_governance_change_a_day"
            ),
        ]

    def __str__(self):
        return f"Fire governance passed to {self.passed_to} on {date_format(self.changed_on)}"

    def clean(self):
        if self.proposal.status != ProposalStatus.TRANSFERRED:
            raise ValidationError(CHANGE_NEEDS_TRANSFER)
        order = getattr(self.proposal, "order", None)
        transfer = order.transfer_date if order else None
        if transfer and self.changed_on and self.changed_on <= transfer:
            raise ValidationError(
                {"changed_on": CHANGE_BEFORE_TRANSFER.format(date=date_format(transfer))}
            )


@dataclass(frozen=True)
class FireGovernance:
    """A PCC's fire governance on the public record: when its order made it the fire and
    rescue authority, and what changed after. Illustrative demo proposals play no part."""

    area: str
    pfcc_since: date | None
    changes: tuple[GovernanceChange, ...]

    @classmethod
    def of(cls, pcc) -> "FireGovernance":
        """Two queries: the earliest order in force among completed orders, and the changes."""
        from .choices import StageStatus, Step
        from .proposal import StatutoryOrder

        real = {"proposal__pcc": pcc, "proposal__is_illustrative": False}
        pfcc_since = StatutoryOrder.objects.filter(
            **real,
            proposal__stages__step=Step.ORDER,
            proposal__stages__status=StageStatus.APPROVED,
        ).aggregate(first=models.Min("in_force_on"))["first"]
        changes = GovernanceChange.objects.filter(**real).order_by("changed_on", "pk")
        return cls(pcc.name, pfcc_since, tuple(changes))

    def title_on(self, day: date) -> str:
        """The office's title on `day`: a PFCC from the day its order came into force (FRSA
        2004 s.4A; e.g. S.I. 2017/864 for Essex), a successor's after a later change."""
        successors = [
            change.office_title
            for change in self.changes
            if change.office_title and change.changed_on <= day
        ]
        if successors:
            return successors[-1]
        if self.pfcc_since and self.pfcc_since <= day:
            return PFCC_TITLE.format(area=self.area)
        return PCC_TITLE.format(area=self.area)
