from django.contrib import admin

from . import models


class StageInline(admin.TabularInline):
    model = models.Stage
    extra = 0
    fields = ["step", "status", "due_date", "skip_reason"]
    # Status moves only through the workflow (proposals/workflow.py), never by hand.
    readonly_fields = ["step", "status"]
    can_delete = False


@admin.register(models.Pcc)
class PccAdmin(admin.ModelAdmin):
    list_display = ["name", "police_force", "ambulance_trust"]
    prepopulated_fields = {"slug": ["name"]}


@admin.register(models.FireAuthority)
class FireAuthorityAdmin(admin.ModelAdmin):
    list_display = ["name", "service_name", "pcc"]
    list_filter = ["pcc"]


@admin.register(models.LocalAuthority)
class LocalAuthorityAdmin(admin.ModelAdmin):
    list_display = ["name", "pcc"]
    list_filter = ["pcc"]


@admin.register(models.AmbulanceTrust)
class AmbulanceTrustAdmin(admin.ModelAdmin):
    list_display = ["name"]


@admin.register(models.CollaborationDuty)
class CollaborationDutyAdmin(admin.ModelAdmin):
    list_display = ["provision", "title", "kind", "confidence"]


@admin.register(models.Fund)
class FundAdmin(admin.ModelAdmin):
    list_display = ["name", "source", "total"]


@admin.register(models.Allocation)
class AllocationAdmin(admin.ModelAdmin):
    list_display = ["pcc", "fund", "amount", "is_illustrative"]
    list_select_related = ["pcc", "fund"]


@admin.register(models.Payment)
class PaymentAdmin(admin.ModelAdmin):
    list_display = ["allocation", "amount", "paid_on", "reference"]
    list_select_related = ["allocation__pcc", "allocation__fund"]


@admin.register(models.Proposal)
class ProposalAdmin(admin.ModelAdmin):
    list_display = ["title", "pcc", "governance_model", "status", "is_illustrative"]
    list_filter = ["pcc", "governance_model", "status", "is_illustrative"]
    list_select_related = ["pcc"]
    search_fields = ["title"]
    filter_horizontal = ["fire_authorities"]
    # The case officer changes on the proposal's page, through the audited service that tells
    # the officers (services.workflow.proposal_assign_case_officer).
    readonly_fields = ["status", "case_officer"]
    inlines = [StageInline]


@admin.register(models.Stage)
class StageAdmin(admin.ModelAdmin):
    list_display = ["proposal", "step", "status", "due_date"]
    list_filter = ["step", "status"]
    list_select_related = ["proposal"]
    raw_id_fields = ["proposal"]
    readonly_fields = ["status"]


@admin.register(models.Consultation)
class ConsultationAdmin(admin.ModelAdmin):
    list_display = ["proposal", "starts_on", "ends_on", "responses_received"]
    raw_id_fields = ["proposal"]


@admin.register(models.CouncilPosition)
class CouncilPositionAdmin(admin.ModelAdmin):
    list_display = ["proposal", "local_authority", "position", "stated_on"]
    raw_id_fields = ["proposal"]


@admin.register(models.Assessment)
class AssessmentAdmin(admin.ModelAdmin):
    list_display = ["proposal", "assessor", "reported_on"]
    raw_id_fields = ["proposal"]


@admin.register(models.BusinessCaseRevision)
class BusinessCaseRevisionAdmin(admin.ModelAdmin):
    """Read-only: revisions are immutable."""

    list_display = ["proposal", "number", "changed", "created_by", "created_at"]
    raw_id_fields = ["proposal"]

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(models.Decision)
class DecisionAdmin(admin.ModelAdmin):
    list_display = ["proposal", "outcome", "decided_on"]
    raw_id_fields = ["proposal"]


@admin.register(models.StatutoryOrder)
class StatutoryOrderAdmin(admin.ModelAdmin):
    list_display = ["proposal", "si_number", "made_on", "in_force_on", "transfer_date"]
    raw_id_fields = ["proposal"]


@admin.register(models.Document)
class DocumentAdmin(admin.ModelAdmin):
    list_display = ["original_name", "proposal", "kind", "size_bytes", "uploaded_by", "created_at"]
    raw_id_fields = ["proposal", "stage"]
    readonly_fields = ["sha256", "size_bytes", "content_type"]


@admin.register(models.Comment)
class CommentAdmin(admin.ModelAdmin):
    list_display = ["proposal", "author", "visibility", "created_at"]
    raw_id_fields = ["proposal", "stage"]


@admin.register(models.AuditEvent)
class AuditEventAdmin(admin.ModelAdmin):
    """Read-only: the history is append-only, in admin as in the database."""

    list_display = ["created_at", "actor", "action", "object_repr"]
    list_filter = ["action"]
    search_fields = ["object_repr", "reason"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(models.ReminderDelivery)
class ReminderDeliveryAdmin(admin.ModelAdmin):
    """Read-only: what was sent, to whom and when; the scan and the workers write these."""

    list_display = ["stage", "kind", "due_date", "recipient", "status", "sent_at", "attempts"]
    list_filter = ["status", "kind"]
    list_select_related = ["stage__proposal", "recipient"]
    raw_id_fields = ["stage", "recipient"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(models.MessageDelivery)
class MessageDeliveryAdmin(admin.ModelAdmin):
    """Read-only: which hand-off e-mails went, to whom and when; the services and the workers
    write these."""

    list_display = ["event", "recipient", "timing", "status", "created_at", "sent_at", "attempts"]
    list_filter = ["status", "event", "timing"]
    list_select_related = ["recipient"]
    raw_id_fields = ["recipient", "audit_event", "notification"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(models.Notification)
class NotificationAdmin(admin.ModelAdmin):
    list_display = ["user", "created_at", "read_at"]
    list_select_related = ["user"]
    raw_id_fields = ["user"]
    readonly_fields = [field.name for field in models.Notification._meta.fields]

    def has_add_permission(self, request):
        return False
