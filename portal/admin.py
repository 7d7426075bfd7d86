from axes import admin as axes_admin
from axes.models import AccessAttempt, AccessFailureLog, AccessLog
from django.conf import settings
from django.contrib import admin, messages
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.contrib.auth.forms import AdminPasswordChangeForm, SetUnusablePasswordMixin
from django.core.exceptions import ValidationError
from django.db.models import BLANK_CHOICE_DASH
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _
from django_celery_beat import admin as beat_admin
from django_celery_beat.models import PeriodicTask
from django_otp.plugins.otp_totp import admin as otp_totp_admin
from django_otp.plugins.otp_totp.models import TOTPDevice

from proposals.admin import ReadOnly
from proposals.services import accounts, api_tokens
from proposals.services.admin_actions import sign_in_lockouts_clear

from .models import ApiToken, User

TOKENS_REVOKED = "{count} API {tokens} revoked; each owner is told by e-mail and in the portal"
ENROLMENT_LINK_SENT = (
    "Enrolment link e-mailed to {user} at {email}; it works once, for {hours} hours"
)


class PasswordChangeForm(AdminPasswordChangeForm):
    # Django words its warning as a list, which its template puts inside a <p> (invalid HTML):
    # the same words as a sentence.
    usable_password_help_text = format_lazy(
        "{} {}",
        SetUnusablePasswordMixin.usable_password_help_text,
        _("If disabled, the current password for this user will be lost."),
    )


@admin.register(User)
class UserAdmin(DjangoUserAdmin):
    change_password_form = PasswordChangeForm
    list_display = ["username", "get_full_name", "email", "role", "pcc", "is_active"]
    list_filter = ["role", "pcc", "is_active"]
    # Consultees speak for one body; assessors name their organisation (User.clean says which).
    ROLE_FIELDS = ("role", "pcc", "local_authority", "fire_authority", "organisation")
    fieldsets = (
        *DjangoUserAdmin.fieldsets,
        ("Role in the portal", {"fields": ROLE_FIELDS}),
    )
    add_fieldsets = (
        *DjangoUserAdmin.add_fieldsets,
        # Admin powers go with the site-admin role alone (constraint user_staff_is_site_admin).
        (
            "Role in the portal",
            {"fields": (*ROLE_FIELDS, "email", "is_staff", "is_superuser")},
        ),
    )
    actions = ["send_invitation", "send_enrolment_link", "reset_authenticator_apps"]

    @admin.action(description="Invite consultees and independent assessors by e-mail")
    def send_invitation(self, request, queryset):
        """Through the accounts service: what they may do, and their enrolment link (audited)."""
        self._send_links(request, queryset, accounts.invitation_send)

    @admin.action(description="E-mail an enrolment link for an authenticator app")
    def send_enrolment_link(self, request, queryset):
        """Through the accounts service: single use, 24 hours, audited (proposals/services)."""
        self._send_links(request, queryset, accounts.enrolment_link_issue)

    @admin.action(
        description="Lost their app and recovery codes: remove their apps, e-mail an enrolment link"
    )
    def reset_authenticator_apps(self, request, queryset):
        """Through the accounts service: audited, and the owner is told of each app removed."""
        self._send_links(request, queryset, accounts.devices_reset)

    def _send_links(self, request, queryset, service):
        for user in queryset:
            try:
                service(user=user, by=request.user)
            except ValidationError as error:
                self.message_user(request, " ".join(error.messages), messages.ERROR)
            else:
                self.message_user(
                    request,
                    ENROLMENT_LINK_SENT.format(
                        user=user.username, email=user.email, hours=settings.ENROLMENT_LINK_HOURS
                    ),
                    messages.SUCCESS,
                )


@admin.register(ApiToken)
class ApiTokenAdmin(ReadOnly, admin.ModelAdmin):
    """People's API tokens, to see and to revoke (through api_token_revoke: audited, and the
    owner told). Nothing is added or changed here: people create their own on their page, and
    operators with `manage.py api_token_create`. The digest is not shown: it is no use to read."""

    list_display = ["name", "user", "prefix", "created_at", "last_used_at", "revoked_at"]
    list_filter = [("revoked_at", admin.EmptyFieldListFilter)]
    list_select_related = ["user"]
    search_fields = ["name", "prefix", "user__username"]
    exclude = ["digest"]
    actions = ["revoke"]

    @admin.action(description="Revoke the selected API tokens")
    def revoke(self, request, queryset):
        revoked = 0
        for token in queryset.select_related("user"):
            try:
                api_tokens.api_token_revoke(token=token, by=request.user)
            except ValidationError as error:
                self.message_user(request, " ".join(error.messages), messages.WARNING)
            else:
                revoked += 1
        if revoked:
            tokens = "token" if revoked == 1 else "tokens"
            self.message_user(
                request, TOKENS_REVOKED.format(count=revoked, tokens=tokens), messages.SUCCESS
            )


# --- Sign-in protection in admin ------------------------------------------------------------
# An authenticator's secret is never shown or set here: django-otp's configuration page (key
# and QR code) is not served, and devices are only listed. Lifting a lockout is recorded.
admin.site.unregister(TOTPDevice)


@admin.register(TOTPDevice)
class TOTPDeviceAdmin(ReadOnly, otp_totp_admin.TOTPDeviceAdmin):
    def get_urls(self):
        return admin.ModelAdmin.get_urls(self)


admin.site.unregister([AccessAttempt, AccessLog, AccessFailureLog])


@admin.register(AccessAttempt)
class AccessAttemptAdmin(axes_admin.AccessAttemptAdmin):
    """Deleting an attempt lifts the lockout at once, recorded by sign_in_lockouts_clear."""

    actions = []  # not "clean up expired attempts": every lifted lockout is recorded

    def has_change_permission(self, request, obj=None):
        return False

    def delete_model(self, request, obj):
        sign_in_lockouts_clear(attempts=AccessAttempt.objects.filter(pk=obj.pk), by=request.user)

    def delete_queryset(self, request, queryset):
        sign_in_lockouts_clear(attempts=queryset, by=request.user)


@admin.register(AccessLog)
class AccessLogAdmin(ReadOnly, axes_admin.AccessLogAdmin):
    pass


@admin.register(AccessFailureLog)
class AccessFailureLogAdmin(ReadOnly, axes_admin.AccessFailureLogAdmin):
    pass


class TaskSelectWidget(beat_admin.TaskSelectWidget):
    def tasks_as_choices(self):
        # HTML wants an empty <option> labelled: Django's own blank choice, "---------".
        _blank, *tasks = super().tasks_as_choices()
        return (*BLANK_CHOICE_DASH, *tasks)


class PeriodicTaskForm(beat_admin.PeriodicTaskForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["regtask"].widget = TaskSelectWidget()


# The schedules (Periodic tasks), as django-celery-beat registers them, with a valid task list.
admin.site.unregister(PeriodicTask)


@admin.register(PeriodicTask)
class PeriodicTaskAdmin(beat_admin.PeriodicTaskAdmin):
    form = PeriodicTaskForm
