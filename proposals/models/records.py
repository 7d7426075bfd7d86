"""What people add to a proposal (documents, comments) and the append-only history of it all."""

from django.conf import settings
from django.core.serializers.json import DjangoJSONEncoder
from django.db import models
from django.db.models import Q
from django.utils import timezone

from .base import TimeStampedModel
from .proposal import Proposal, Stage
from .representation import Representation


class DocumentKind(models.TextChoices):
    BUSINESS_CASE = "business_case", "Business case"
    CONSULTATION_REPORT = "consultation_report", "Consultation report"
    COUNCIL_RESPONSE = "council_response", "Council response"
    ASSESSMENT = "assessment", "Independent assessment"
    DECISION_LETTER = "decision_letter", "Decision letter"
    ORDER = "order", "Statutory instrument"
    # Attached by a consultee to their body's representation (Document.representation).
    REPRESENTATION = "representation", "Representation"
    # Made by the portal from the record (services/pack.py), never uploaded: one per submission.
    SUBMISSION_PACK = "submission_pack", "Submission pack"
    FIRE_AUTHORITY_RESPONSE = "fire_authority_response", "Fire authority consultation response"
    FIRE_AUTHORITY_AGREEMENT = "fire_authority_agreement", "Fire authority agreement"
    TRANSFER_SCHEME = "transfer_scheme", "Staff transfer scheme"
    OTHER = "other", "Other"


def document_upload_to(document, filename):
    # The stored name is not the uploader's: it carries no user input into the file system.
    return f"proposals/{document.proposal_id}/{document.sha256}"


class Document(TimeStampedModel):
    proposal = models.ForeignKey(Proposal, on_delete=models.PROTECT, related_name="documents")
    stage = models.ForeignKey(
        Stage, on_delete=models.PROTECT, null=True, blank=True, related_name="documents"
    )
    kind = models.CharField(max_length=30, choices=DocumentKind.choices)
    file = models.FileField(upload_to=document_upload_to, max_length=300)
    original_name = models.CharField(max_length=255)
    content_type = models.CharField(max_length=100)
    size_bytes = models.PositiveBigIntegerField()
    sha256 = models.CharField(max_length=64)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    representation = models.ForeignKey(
        Representation,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="documents",
        help_text="The representation this document supports, for kind 'representation'.",
    )

    class Meta:
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.CheckConstraint(name="document_not_empty", condition=Q(size_bytes__gt=0)),
            models.CheckConstraint(
                name="document_representation_kind",
                condition=(Q(kind=DocumentKind.REPRESENTATION) & Q(representation__isnull=False))
                | (~Q(kind=DocumentKind.REPRESENTATION) & Q(representation__isnull=True)),
            ),
        ]

    def __str__(self):
        return self.original_name

    @property
    def is_generated(self) -> bool:
        """Made by the portal from the record (the submission pack), not uploaded by anyone."""
        return self.kind == DocumentKind.SUBMISSION_PACK


class Comment(TimeStampedModel):
    class Visibility(models.TextChoices):
        EVERYONE = "everyone", "Everyone on this proposal"
        HOME_OFFICE = "home_office", "Home Office only"

    proposal = models.ForeignKey(Proposal, on_delete=models.PROTECT, related_name="comments")
    stage = models.ForeignKey(
        Stage, on_delete=models.PROTECT, null=True, blank=True, related_name="comments"
    )
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    body = models.TextField()
    visibility = models.CharField(
        max_length=20, choices=Visibility.choices, default=Visibility.EVERYONE
    )

    class Meta:
        ordering = ["created_at", "pk"]
        constraints = [
            models.CheckConstraint(name="comment_not_blank", condition=~Q(body="")),
        ]

    def __str__(self):
        return f"Comment by {self.author} on {self.proposal}"


class AuditEvent(models.Model):
    """Who did what, to which object, when and why; before and after as JSON.

    Append-only: the database refuses UPDATE and DELETE (see the migration's triggers).
    """

    # A default rather than auto_now_add so that data loads can record when history happened.
    created_at = models.DateTimeField(default=timezone.now, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        help_text="Empty for the system (scheduled jobs, data loads).",
    )
    action = models.CharField(max_length=60)
    proposal = models.ForeignKey(
        Proposal, on_delete=models.PROTECT, null=True, blank=True, related_name="audit_events"
    )
    object_type = models.CharField(max_length=60, help_text="Model label, e.g. proposals.stage")
    object_id = models.CharField(max_length=40)
    object_repr = models.CharField(max_length=300)
    before = models.JSONField(default=dict, blank=True, encoder=DjangoJSONEncoder)
    after = models.JSONField(default=dict, blank=True, encoder=DjangoJSONEncoder)
    reason = models.TextField(blank=True)
    home_office_only = models.BooleanField(
        default=False, help_text="Hidden from PCC people, like the comment it records."
    )
    via = models.CharField(
        max_length=200,
        blank=True,
        help_text="How the change came, when not through the pages: e.g. API token “Tracker”.",
    )

    class Meta:
        ordering = ["-created_at", "-pk"]
        indexes = [
            models.Index(fields=["proposal", "-created_at"], name="audit_proposal_time_idx"),
            models.Index(fields=["object_type", "object_id"], name="audit_object_idx"),
        ]

    def __str__(self):
        return f"{self.created_at:%Y-%m-%d %H:%M} {self.action} {self.object_repr}"
