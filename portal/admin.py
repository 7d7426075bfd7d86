from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin

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
