from django.apps import AppConfig
from django.contrib.admin import apps as admin_apps


class PortalConfig(AppConfig):
    name = "portal"
    verbose_name = "Portal and users"

    def ready(self):
        # Connect their receivers: the security log, the session's lifetimes at sign-in, and
        # forgetting the cached copy of an account when it changes.
        from . import backends, middleware, security_log  # noqa: F401


class PortalAdminConfig(admin_apps.AdminConfig):
    """Django admin, as the portal's admin site (portal/admin_site.py)."""

    default = False  # PortalConfig is this module's configuration of the portal app itself
    default_site = "portal.admin_site.PortalAdminSite"
