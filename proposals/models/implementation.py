"""After the order: what a transferred proposal's PCC still has to put in place (issue 14).

One ChecklistItem per proposal and kind, made when governance transfers
(services.implementation.checklist_create). When it falls due is workflow.checklist_due_dates;
who records what is rules.py; its reminders are section 6 of reminders.py.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone

from .base import TimeStampedModel, source_url_field
from .proposal import Proposal
from .records import Document


class ChecklistItemKind(models.TextChoices):
    """What follows an order under FRSA 2004 s.4A, in the order it usually comes."""

    # FRSA 2004 s.4C (the order's property, rights and liabilities) and, for the single
    # employer model, s.4I (schemes moving fire staff to the chief constable).
    TRANSFER_SCHEMES = "transfer_schemes", "Transfer schemes made"
    # PRSRA 2011 as applied by FRSA 2004 Sch A2: the PCC is styled Police, Fire and Crime
    # Commissioner.
    PFCC_TITLE = "pfcc_title", "Police, Fire and Crime Commissioner title in use"
    # FRSA 2004 Sch A2: the police and crime panel becomes the police, fire and crime panel.
    PANEL = "panel", "Police, Fire and Crime Panel constituted"
    # Fire and Rescue National Framework for England: the PFCC publishes a fire and rescue plan.
    FIRE_PLAN = "fire_plan", "First fire and rescue plan published"
    # S.I. 2017/863: the PFCC's fire and rescue authority appoints the chief fire officer.
    CHIEF_FIRE_OFFICER = "chief_fire_officer", "Chief fire officer appointed"
    # Local Government Finance Act 1992 s.40: a precept is issued before 1 March.
    FIRE_PRECEPT = "fire_precept", "First fire precept set"


class ChecklistItemStatus(models.TextChoices):
    """Worked out from the dates, never stored: an item becomes overdue by the calendar."""

    NOT_STARTED = "not_started", "Not started"
    DONE = "done", "Done"
    OVERDUE = "overdue", "Overdue"


class ChecklistItemQuerySet(models.QuerySet):
    def outstanding(self):
        return self.filter(done_on__isnull=True)


class ChecklistItem(TimeStampedModel):
    """One thing to put in place after the order, its due date, and who confirmed it done."""

    proposal = models.ForeignKey(Proposal, on_delete=models.PROTECT, related_name="checklist_items")
    kind = models.CharField(max_length=30, choices=ChecklistItemKind.choices)
    due_on = models.DateField(
        help_text="Defaulted from the transfer date; the Home Office moves it."
    )
    done_on = models.DateField(null=True, blank=True, help_text="When it was put in place.")
    evidence = models.ForeignKey(
        Document,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        help_text="The document showing it was done (kept with the order stage's documents).",
    )
    note = models.TextField(blank=True, help_text="What was done, and where it is published.")
    source_url = source_url_field()
    confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        help_text="Empty for items loaded from the public record.",
    )
    confirmed_at = models.DateTimeField(null=True, blank=True)
    is_illustrative = models.BooleanField(
        default=False, help_text="Demo data that was invented, not taken from public sources."
    )

    objects = ChecklistItemQuerySet.as_manager()

    class Meta:
        ordering = ["proposal_id", "due_on", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["proposal", "kind"], name="one_checklist_item_per_kind"
            ),
            # Done means a date and a moment of confirmation; not done means neither.
            models.CheckConstraint(
                name="checklist_item_done_is_confirmed",
                condition=Q(done_on__isnull=True, confirmed_at__isnull=True)
                | Q(done_on__isnull=False, confirmed_at__isnull=False),
            ),
        ]

    def __str__(self):
        return f"{self.get_kind_display()}: {self.proposal}"

    @property
    def is_done(self) -> bool:
        return self.done_on is not None

    def status_on(self, today) -> str:
        if self.is_done:
            return ChecklistItemStatus.DONE
        if self.due_on < today:
            return ChecklistItemStatus.OVERDUE
        return ChecklistItemStatus.NOT_STARTED

    @property
    def status(self) -> str:
        return self.status_on(timezone.localdate())
