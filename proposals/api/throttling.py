"""Rate limits per API token (per person for a signed-in browser), on the shared cache."""

from django.conf import settings
from rest_framework.throttling import SimpleRateThrottle


class PerTokenRateThrottle(SimpleRateThrottle):
    """settings.API_RATE_LIMIT requests (e.g. "600/min") per token: each token its own
    allowance, so one busy tracker does not use up another's; a session counts per person."""

    scope = "api"

    def get_rate(self):
        return settings.API_RATE_LIMIT

    def get_cache_key(self, request, view):
        token_pk = getattr(request.auth, "pk", None)
        if token_pk is not None:
            ident = f"token-{token_pk}"
        elif request.user.is_authenticated:
            ident = f"user-{request.user.pk}"
        else:
            ident = f"address-{self.get_ident(request)}"
        return self.cache_format % {"scope": self.scope, "ident": ident}
