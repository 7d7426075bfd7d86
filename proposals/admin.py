"""Django admin: reference data a site admin may correct (recorded in the history), and a
read-only view of everything else.

Money, proposals and their stages, documents, comments, decisions, orders and the history
change only through the portal's own pages, whose services check who may, lock the rows and
record an audit event. Admin can list and view them; it cannot add, change or delete them, and
a POST to one of their pages is refused (403) with nothing written.
"""

from django.contrib import admin

from . import models
from .services.admin_actions import reference_data_save


class ReadOnly:
    """List and view only."""

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class ReadOnlyAdmin(ReadOnly, admin.ModelAdmin):
    pass


class ReadOnlyInline(ReadOnly, admin.TabularInline):
    extra = 0


class ReferenceDataAdmin(admin.ModelAdmin):
    """Corrections to reference data, each saved and recorded by reference_data_save.

    Nothing is deleted here: proposals, people and history refer to these rows.
    """

    def save_model(self, request, obj, form, change):
        reference_data_save(instance=obj, by=request.user)

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(models.Pcc)
class PccAdmin(ReferenceDataAdmin):
    list_display = ["name", "police_force", "ambulance_trust"]
    prepopulated_fields = {"slug": ["name"]}


@admin.register(models.FireAuthority)
class FireAuthorityAdmin(ReferenceDataAdmin):
    list_display = ["name", "service_name", "pcc"]
    list_filter = ["pcc"]


@admin.register(models.LocalAuthority)
class LocalAuthorityAdmin(ReferenceDataAdmin):
    list_display = ["name", "pcc"]
    list_filter = ["pcc"]


@admin.register(models.AmbulanceTrust)
class AmbulanceTrustAdmin(ReferenceDataAdmin):
    list_display = ["name"]


@admin.register(models.CollaborationDuty)
class CollaborationDutyAdmin(ReferenceDataAdmin):
    list_display = ["provision", "title", "kind", "confidence"]


@admin.register(models.Fund)
class FundAdmin(ReadOnlyAdmin):
    list_display = ["name", "source", "total"]


@admin.register(models.Allocation)
class AllocationAdmin(ReadOnlyAdmin):
    list_display = ["pcc", "fund", "amount", "is_illustrative"]
    list_select_related = ["pcc", "fund"]


@admin.register(models.Payment)
class PaymentAdmin(ReadOnlyAdmin):
    """Read-only: payments and their reversals are recorded on the funding pages, audited."""

    list_display = ["allocation", "amount", "paid_on", "reference", "reverses", "reason"]
    list_select_related = ["allocation__pcc", "allocation__fund"]


class StageInline(ReadOnlyInline):
    model = models.Stage
    fields = ["step", "status", "due_date", "signed_off_by", "signed_off_at"]


@admin.register(models.Proposal)
class ProposalAdmin(ReadOnlyAdmin):
    list_display = ["title", "pcc", "governance_model", "status", "is_illustrative"]
    list_filter = ["pcc", "governance_model", "status", "is_illustrative"]
    list_select_related = ["pcc"]
    search_fields = ["title"]
    # The case officer changes on the proposal's page, through the audited service that tells
    # the officers (services.workflow.proposal_assign_case_officer).
    inlines = [StageInline]


@admin.register(models.Stage)
class StageAdmin(ReadOnlyAdmin):
    list_display = ["proposal", "step", "status", "due_date"]
    list_filter = ["step", "status"]
    list_select_related = ["proposal"]


@admin.register(models.Consultation)
class ConsultationAdmin(ReadOnlyAdmin):
    list_display = ["proposal", "starts_on", "ends_on", "responses_received"]


@admin.register(models.CouncilPosition)
class CouncilPositionAdmin(ReadOnlyAdmin):
    list_display = ["proposal", "local_authority", "position", "stated_on"]


@admin.register(models.Assessment)
class AssessmentAdmin(ReadOnlyAdmin):
    list_display = ["proposal", "assessor", "reported_on"]


@admin.register(models.BusinessCaseRevision)
class BusinessCaseRevisionAdmin(ReadOnlyAdmin):
    list_display = ["proposal", "number", "changed", "created_by", "created_at"]


@admin.register(models.Decision)
class DecisionAdmin(ReadOnlyAdmin):
    list_display = ["proposal", "outcome", "decided_on", "ground"]


@admin.register(models.StatutoryOrder)
class StatutoryOrderAdmin(ReadOnlyAdmin):
    list_display = ["proposal", "si_number", "made_on", "in_force_on", "transfer_date"]


@admin.register(models.GovernanceChange)
class GovernanceChangeAdmin(ReadOnlyAdmin):
    """Read-only: recorded by services.governance.governance_change_record, audited."""

    list_display = ["proposal", "changed_on", "passed_to", "office_title"]
    list_select_related = ["proposal"]


@admin.register(models.Document)
class DocumentAdmin(ReadOnlyAdmin):
    """Read-only: documents are uploaded, replaced and removed on the stage pages, audited."""

    list_display = ["original_name", "proposal", "kind", "size_bytes", "uploaded_by", "created_at"]


@admin.register(models.Comment)
class CommentAdmin(ReadOnlyAdmin):
    list_display = ["proposal", "author", "visibility", "created_at"]


@admin.register(models.AuditEvent)
class AuditEventAdmin(ReadOnlyAdmin):
    """Read-only: the history is append-only, in admin as in the database."""

    list_display = ["created_at", "actor", "action", "object_repr"]
    list_filter = ["action"]
    search_fields = ["object_repr", "reason"]


class ConsiderationInline(ReadOnlyInline):
    model = models.Consideration


@admin.register(models.CollaborationAgreement)
class CollaborationAgreementAdmin(ReadOnlyAdmin):
    """Read-only: the area's PCC people record agreements on /collaboration/, audited."""

    list_display = ["title", "pcc", "subject", "status", "review_on"]
    list_filter = ["status", "subject", "pcc"]
    list_select_related = ["pcc"]
    inlines = [ConsiderationInline]


@admin.register(models.ReminderDelivery)
class ReminderDeliveryAdmin(ReadOnlyAdmin):
    """What was sent, to whom and when; the scan and the workers write these."""

    list_display = [
        "stage",
        "agreement",
        "checklist_item",
        "kind",
        "due_date",
        "recipient",
        "status",
        "sent_at",
        "attempts",
    ]
    list_filter = ["status", "kind"]
    list_select_related = ["stage__proposal", "checklist_item__proposal", "agreement", "recipient"]


@admin.register(models.ChecklistItem)
class ChecklistItemAdmin(ReadOnlyAdmin):
    """Read-only: PCC people record items done and reviewers move dates on the proposal page,
    audited (services.implementation)."""

    list_display = ["proposal", "kind", "due_on", "done_on", "confirmed_by", "is_illustrative"]
    list_filter = ["kind"]
    list_select_related = ["proposal", "confirmed_by"]


@admin.register(models.MessageDelivery)
class MessageDeliveryAdmin(ReadOnlyAdmin):
    """Which hand-off e-mails went, to whom and when; the services and the workers write these."""

    list_display = ["event", "recipient", "timing", "status", "created_at", "sent_at", "attempts"]
    list_filter = ["status", "event", "timing"]
    list_select_related = ["recipient"]


@admin.register(models.Notification)
class NotificationAdmin(ReadOnlyAdmin):
    list_display = ["user", "created_at", "read_at"]
    list_select_related = ["user"]
