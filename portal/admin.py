from axes import admin as axes_admin
from axes.models import AccessAttempt, AccessFailureLog, AccessLog
from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django_otp.plugins.otp_totp import admin as otp_totp_admin
from django_otp.plugins.otp_totp.models import TOTPDevice

from proposals.admin import ReadOnly
from proposals.services.admin_actions import sign_in_lockouts_clear

from .models import User


@admin.register(User)
class UserAdmin(DjangoUserAdmin):
    list_display = ["username", "get_full_name", "email", "role", "pcc", "is_active"]
    list_filter = ["role", "pcc", "is_active"]
    fieldsets = (
        *DjangoUserAdmin.fieldsets,
        ("Role in the portal", {"fields": ("role", "pcc")}),
    )
    add_fieldsets = (
        *DjangoUserAdmin.add_fieldsets,
        ("Role in the portal", {"fields": ("role", "pcc")}),
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
