from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.http import JsonResponse
from django.shortcuts import redirect
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET
from django.views.generic import TemplateView

from . import health


@login_required
def home(request):
    """Each role lands on its own home: the overview for the Home Office, the PCC page for PCCs."""
    if request.user.is_home_office:
        return redirect("proposals:overview")
    return redirect("proposals:pcc", slug=request.user.pcc.slug)


class AccessibilityStatementView(TemplateView):
    template_name = "portal/accessibility.html"

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            govuk_frontend_version=settings.GOVUK_FRONTEND_VERSION, **kwargs
        )


@never_cache
@require_GET
def healthz(request):
    """200 when the database and the broker both answer, 503 when either does not."""
    checks = {"database": health.database_answers(), "broker": health.broker_answers()}
    healthy = all(checks.values())
    return JsonResponse(
        {
            "status": "ok" if healthy else "unavailable",
            **{name: "ok" if up else "unavailable" for name, up in checks.items()},
        },
        status=200 if healthy else 503,
    )
