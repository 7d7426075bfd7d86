from base64 import b32encode

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import RequestDataTooBig
from django.db import transaction
from django.http import HttpResponseServerError, JsonResponse
from django.shortcuts import redirect, render
from django.template import loader
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.safestring import mark_safe
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET
from django.views.generic import FormView, TemplateView

from . import health, security_log, two_factor
from .forms import OneTimePasswordForm


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
@transaction.non_atomic_requests  # a database that refuses connections is reported, not raised
def healthz(request):
    """200 when the database, the broker and the cache all answer; 503 naming each that does
    not. Each check answers within its own timeout (portal.health)."""
    checks = {name: check() for name, check in health.CHECKS.items()}
    healthy = all(checks.values())
    return JsonResponse(
        {
            "status": "ok" if healthy else "unavailable",
            **{name: "ok" if up else "unavailable" for name, up in checks.items()},
        },
        status=200 if healthy else 503,
    )


def permission_denied(request, exception=None):
    """The 403 page, with the refusal written to the security log."""
    security_log.permission_refused(request, reason=str(exception or ""))
    return render(request, "403.html", status=403)


def bad_request(request, exception=None):
    """The 400 page; or the 413 page for a request body over the limit, which was not read."""
    if isinstance(exception, RequestDataTooBig):
        return render(
            request,
            "413.html",
            {"document_max_mb": settings.DOCUMENT_MAX_BYTES // (1024 * 1024)},
            status=413,
        )
    return render(request, "400.html", status=400)


def request_too_large(request):
    """The 413 page, for the proxy to show when it refuses a body over its limit."""
    return bad_request(request, RequestDataTooBig())


def server_error(request):
    """The 500 page, with the request's id for the operators. Rendered without the request's
    context (no user, no database), since whatever failed may be the database."""
    return HttpResponseServerError(
        loader.render_to_string("500.html", {"request_id": getattr(request, "id", "")})
    )


class TwoFactorMixin(LoginRequiredMixin):
    template_name = "portal/two_factor.html"
    form_class = OneTimePasswordForm

    def success_url_or_home(self):
        target = self.request.POST.get("next") or self.request.GET.get("next") or ""
        if url_has_allowed_host_and_scheme(target, allowed_hosts={self.request.get_host()}):
            return target
        return reverse("home")

    def get_context_data(self, **kwargs):
        return super().get_context_data(next=self.request.GET.get("next", ""), **kwargs)


class TwoFactorSetupView(TwoFactorMixin, FormView):
    """Enrol an authenticator app: scan the code (or type the key), then prove it works."""

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "submit": "Confirm and continue"}

    def get_context_data(self, **kwargs):
        device = two_factor.enrolment_device(user=self.request.user)
        return super().get_context_data(
            heading="Set up your authenticator app",
            setup=True,
            qr_svg=mark_safe(two_factor.enrolment_qr_svg(device)),  # our own generated SVG
            secret=b32encode(device.bin_key).decode(),
            **kwargs,
        )

    def form_valid(self, form):
        device = two_factor.enrolment_device(user=self.request.user)
        if not two_factor.enrolment_confirm(
            request=self.request, device=device, token=form.cleaned_data["token"]
        ):
            form.add_error("token", two_factor.WRONG_CODE)
            return self.form_invalid(form)
        security_log.log_event("two_factor_enrolled", request=self.request, user=self.request.user)
        return redirect(self.success_url_or_home())


class TwoFactorVerifyView(TwoFactorMixin, FormView):
    """The second step of signing in for people who use a one-time password."""

    def get_context_data(self, **kwargs):
        return super().get_context_data(heading="Enter your code", setup=False, **kwargs)

    def form_valid(self, form):
        if not two_factor.verify(request=self.request, token=form.cleaned_data["token"]):
            security_log.log_event(
                "two_factor_failed", request=self.request, user=self.request.user
            )
            form.add_error("token", two_factor.WRONG_CODE)
            return self.form_invalid(form)
        return redirect(self.success_url_or_home())
