"""What the API reads and writes, field by field. Money is a string of pounds and pence
("125000.00"), dates ISO 8601, times in Europe/London; each choice comes with its label."""

from django.utils import timezone
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from .. import history, selectors
from ..models import (
    AuditEvent,
    CollaborationDuty,
    FireAuthority,
    Pcc,
    Proposal,
    Stage,
)
from .schema import STEP_SLUGS

MONEY = {"max_digits": 12, "decimal_places": 2}


def _name(user) -> str | None:
    return (user.get_full_name() or user.username) if user is not None else None


class FireAuthoritySerializer(serializers.ModelSerializer):
    class Meta:
        model = FireAuthority
        fields = ["id", "name", "service_name"]


class PccSerializer(serializers.ModelSerializer):
    fire_authorities = FireAuthoritySerializer(many=True, read_only=True)
    councils = serializers.SlugRelatedField(
        source="local_authorities", many=True, read_only=True, slug_field="name"
    )

    class Meta:
        model = Pcc
        fields = [
            "slug",
            "name",
            "police_force",
            "commissioner_in_2017",
            "fire_authorities",
            "councils",
            "source_url",
        ]


class StageSerializer(serializers.ModelSerializer):
    step = serializers.SerializerMethodField()
    name = serializers.CharField(source="get_step_display", read_only=True)
    status_label = serializers.CharField(source="get_status_display", read_only=True)
    is_overdue = serializers.SerializerMethodField()

    class Meta:
        model = Stage
        fields = [
            "step",
            "name",
            "status",
            "status_label",
            "due_date",
            "is_overdue",
            "started_at",
            "submitted_at",
            "closed_at",
            "return_reasons",
            "skip_reason",
            "signed_off_at",
        ]
        read_only_fields = fields

    @extend_schema_field({"type": "string", "enum": STEP_SLUGS})
    def get_step(self, stage) -> str:
        return stage.step_slug

    def get_is_overdue(self, stage) -> bool:
        today = self.context.get("today") or timezone.localdate()
        return selectors.StageCell(stage=stage, today=today).is_overdue


class ProposalSerializer(serializers.ModelSerializer):
    """A proposal as it is now; created with a title, model and fire authorities."""

    pcc = serializers.SlugRelatedField(slug_field="slug", read_only=True)
    pcc_name = serializers.CharField(source="pcc.name", read_only=True)
    governance_model_label = serializers.CharField(
        source="get_governance_model_display", read_only=True
    )
    status_label = serializers.CharField(source="get_status_display", read_only=True)
    fire_authorities = serializers.PrimaryKeyRelatedField(
        many=True,
        queryset=FireAuthority.objects.all(),
        help_text="Ids of the PCC's own fire and rescue authorities the proposal covers.",
    )
    case_officer = serializers.SerializerMethodField()
    current_stage = serializers.SerializerMethodField()
    stages = StageSerializer(many=True, read_only=True)

    class Meta:
        model = Proposal
        fields = [
            "id",
            "pcc",
            "pcc_name",
            "title",
            "governance_model",
            "governance_model_label",
            "fire_authorities",
            "status",
            "status_label",
            "status_reason",
            "under_legal_challenge",
            "is_illustrative",
            "case_officer",
            "current_stage",
            "stages",
            "created_at",
            "updated_at",
        ]
        read_only_fields = [
            "status",
            "status_reason",
            "under_legal_challenge",
            "is_illustrative",
            "created_at",
            "updated_at",
        ]

    def get_case_officer(self, proposal) -> str | None:
        return _name(proposal.case_officer)

    @extend_schema_field({"type": "string", "enum": STEP_SLUGS, "nullable": True})
    def get_current_stage(self, proposal) -> str | None:
        stage = proposal.current_stage
        return stage.step_slug if stage else None


class SectionSerializer(serializers.Serializer):
    section = serializers.CharField(read_only=True, help_text="e.g. economy")
    label = serializers.CharField(read_only=True)
    text = serializers.CharField(read_only=True)


class BusinessCaseSerializer(serializers.Serializer):
    version = serializers.IntegerField(
        read_only=True,
        help_text="The latest revision's number (0 before the first save). Send it back with "
        "a change: if someone has saved since, the change is refused (409), never lost.",
    )
    sections = SectionSerializer(many=True, read_only=True)


class SectionUpdateSerializer(serializers.Serializer):
    text = serializers.CharField(allow_blank=True, trim_whitespace=False)
    version = serializers.IntegerField(
        min_value=0,
        max_value=2**31 - 1,
        help_text="The business case `version` your change starts from.",
    )


class SectionSavedSerializer(serializers.Serializer):
    version = serializers.IntegerField(help_text="The revision this save made (or the latest).")
    section = serializers.CharField()
    label = serializers.CharField()
    text = serializers.CharField()
    saved = serializers.BooleanField(help_text="False when the text was already this.")


class ReturnSerializer(serializers.Serializer):
    reason = serializers.CharField(
        max_length=10_000, help_text="Why the stage goes back: the PCC reads this."
    )


class StageActionResultSerializer(serializers.Serializer):
    stage = StageSerializer()
    told = serializers.CharField(help_text="Who the hand-off told, in words (may be empty).")


class ChangeSerializer(serializers.Serializer):
    field = serializers.CharField()
    before = serializers.CharField(allow_null=True)
    after = serializers.CharField(allow_null=True)


class EventSerializer(serializers.ModelSerializer):
    """One audit event: who, when, what (in words and as recorded), why, and by which route."""

    title = serializers.SerializerMethodField()
    actor = serializers.SerializerMethodField()
    changes = serializers.SerializerMethodField()
    proposal = serializers.PrimaryKeyRelatedField(read_only=True)
    before = serializers.JSONField(read_only=True)
    after = serializers.JSONField(read_only=True)

    class Meta:
        model = AuditEvent
        fields = [
            "id",
            "created_at",
            "action",
            "title",
            "actor",
            "via",
            "proposal",
            "object_type",
            "object_id",
            "object_repr",
            "changes",
            "before",
            "after",
            "reason",
        ]
        read_only_fields = fields

    def get_title(self, event) -> str:
        return history.event_title(event)

    def get_actor(self, event) -> str | None:
        return _name(event.actor)

    @extend_schema_field(ChangeSerializer(many=True))
    def get_changes(self, event):
        return [
            {"field": change.field, "before": change.before, "after": change.after}
            for change in history.event_changes(event)
        ]


class DutyEvidenceSerializer(serializers.Serializer):
    """How the latest business case of one proposal addresses a duty (as on the duty's page)."""

    proposal = serializers.IntegerField(source="revision.proposal_id")
    title = serializers.CharField(source="revision.proposal.title")
    pcc = serializers.CharField(source="revision.proposal.pcc.slug")
    revision = serializers.IntegerField(source="revision.number")
    evidence = serializers.CharField()
    cites = serializers.SerializerMethodField(
        help_text="The ids of the collaboration register's entries the evidence rests on."
    )

    def get_cites(self, evidence) -> list[int]:
        return [agreement.pk for agreement in evidence.agreements.all()]


class DutyCoverageSerializer(serializers.Serializer):
    pcc = serializers.CharField(source="pcc_slug")
    proposals = serializers.IntegerField(help_text="How many of its proposals address the duty.")


class CollaborationDutySerializer(serializers.ModelSerializer):
    """One of the Act's duties, and how many proposals the caller may see address it in their
    latest business case, by PCC (as on the duties page); how each does is at its `evidence`."""

    kind_label = serializers.CharField(source="get_kind_display", read_only=True)
    confidence_label = serializers.CharField(source="get_confidence_display", read_only=True)
    addressed_by = serializers.IntegerField(read_only=True)
    coverage = DutyCoverageSerializer(many=True, read_only=True)

    class Meta:
        model = CollaborationDuty
        fields = [
            "id",
            "provision",
            "title",
            "kind",
            "kind_label",
            "binds",
            "requires",
            "confidence",
            "confidence_label",
            "position",
            "addressed_by",
            "coverage",
        ]
        read_only_fields = fields


class FundingRowSerializer(serializers.Serializer):
    pcc = serializers.CharField(source="pcc.slug")
    pcc_name = serializers.CharField(source="pcc.name")
    allocated = serializers.DecimalField(**MONEY)
    paid = serializers.DecimalField(**MONEY)
    remaining = serializers.DecimalField(**MONEY)
    is_illustrative = serializers.SerializerMethodField()

    def get_is_illustrative(self, row) -> bool:
        return bool(row.allocation and row.allocation.is_illustrative)


class FundSerializer(serializers.Serializer):
    """The fund and each PCC's allocation (PCC people: their own), read-only."""

    name = serializers.CharField(source="fund.name")
    source = serializers.CharField(source="fund.source")
    awarded_by = serializers.CharField(source="fund.awarded_by")
    purpose = serializers.CharField(source="fund.purpose")
    total = serializers.DecimalField(source="fund.total", **MONEY)
    allocated = serializers.DecimalField(**MONEY)
    paid = serializers.DecimalField(**MONEY)
    unallocated = serializers.DecimalField(**MONEY)
    allocations = FundingRowSerializer(source="rows", many=True)
