from django.apps import AppConfig


class PortalConfig(AppConfig):
    name = "portal"
    verbose_name = "Portal and users"

    def ready(self):
        # Connect their receivers: the security log, and the session's lifetimes at sign-in.
        from . import middleware, security_log  # noqa: F401
