from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.contrib.auth.forms import AdminPasswordChangeForm, SetUnusablePasswordMixin
from django.db.models import BLANK_CHOICE_DASH
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _
from django_celery_beat import admin as beat_admin
from django_celery_beat.models import PeriodicTask

from .models import User


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
    fieldsets = (
        *DjangoUserAdmin.fieldsets,
        ("Role in the portal", {"fields": ("role", "pcc")}),
    )
    add_fieldsets = (
        *DjangoUserAdmin.add_fieldsets,
        ("Role in the portal", {"fields": ("role", "pcc")}),
    )


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
