from django.apps import AppConfig


class PortalConfig(AppConfig):
    name = "portal"
    verbose_name = "Portal and users"

    def ready(self):
        from . import security_log  # noqa: F401  (connects the security log's receivers)
