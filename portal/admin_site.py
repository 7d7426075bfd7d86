"""Django admin behind the portal's own two steps of signing in."""

from django.contrib import admin
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.urls import reverse

from .two_factor import two_factor_passed


class PortalAdminSite(admin.AdminSite):
    """Admin signs people in through the portal's sign-in page (throttled, logged) and, for
    everyone who must use one, a one-time password: django-otp's OTPAdminSite rule, with the
    portal's own test of who must (so the embedded demo, with codes off, still reaches admin)."""

    site_header = "Fire governance proposals: site admin"
    site_title = "Fire governance proposals admin"

    def has_permission(self, request):
        return super().has_permission(request) and two_factor_passed(request.user)

    def login(self, request, extra_context=None):
        if request.user.is_authenticated:
            # Signed in but not a site admin (or without a code yet): no second sign-in form.
            raise PermissionDenied
        return redirect_to_login(request.GET.get("next") or reverse("admin:index"))
