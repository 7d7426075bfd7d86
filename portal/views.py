from base64 import b32encode
from urllib.parse import urlencode

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import RequestDataTooBig, ValidationError
from django.db import transaction
from django.http import HttpResponseServerError, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template import loader
from django.urls import reverse
from django.utils.decorators import method_decorator
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.safestring import mark_safe
from django.views import View
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET
from django.views.generic import FormView, TemplateView
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from proposals.services import accounts, api_tokens
from proposals.views.base import add_errors

from . import health, security_log, two_factor
from .forms import ApiTokenForm, EnrolmentForm, OneTimePasswordForm
from .models import EnrolmentLink

#: A code typed for a key this session no longer has: it expired, or was never shown here.
KEY_EXPIRED = "Add the key shown below to your authenticator app, then enter the code it shows"
DEVICE_ADDED = "“{name}” added. From now on, sign in with your password and a code from it."
DEVICE_REMOVED = "“{name}” removed"
TOKEN_REVOKED = "“{name}” revoked: anything using it can no longer reach the portal."


@login_required
def home(request):
    """Each role lands on its own home: the overview for the Home Office, the PCC page for PCCs,
    the proposals open to them for consultees and independent assessors."""
    if request.user.is_home_office:
        return redirect("proposals:overview")
    if request.user.is_consultee or request.user.is_assessor:
        return redirect("proposals:your-proposals")
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

    def success_url_or_home(self):
        target = self.request.POST.get("next") or self.request.GET.get("next") or ""
        if url_has_allowed_host_and_scheme(target, allowed_hosts={self.request.get_host()}):
            return target
        return reverse("home")

    def get_context_data(self, **kwargs):
        return super().get_context_data(next=self.request.GET.get("next", ""), **kwargs)


@method_decorator(never_cache, name="dispatch")
class TwoFactorSetupView(TwoFactorMixin, FormView):
    """Add an authenticator app: scan the code (or type the key), then prove it works.

    A password alone cannot get here: an account with an app must pass its code first (and
    types the password again); an account that must use codes and has none needs its owner's
    enrolment link (see portal/two_factor.py).
    """

    form_class = EnrolmentForm

    def dispatch(self, request, *args, **kwargs):
        user = request.user
        if not user.is_authenticated:
            return self.handle_no_permission()
        if two_factor.has_confirmed_device(user) and not user.is_verified():
            return redirect(f"{reverse('two-factor-verify')}?{urlencode({'next': request.path})}")
        self.link = EnrolmentLink.objects.usable().filter(
            pk=request.session.get(two_factor.ENROLMENT_LINK_KEY), user=user
        )
        if two_factor.needs_enrolment_link(user) and not self.link.exists():
            return render(request, "portal/enrolment_link_needed.html")
        return super().dispatch(request, *args, **kwargs)

    def get_form_kwargs(self):
        return {
            **super().get_form_kwargs(),
            "request": self.request,
            "ask_password": not self.link.exists(),
        }

    def get_context_data(self, **kwargs):
        device = two_factor.pending_device_start(self.request)
        return super().get_context_data(
            heading="Set up your authenticator app",
            setup=True,
            qr_svg=mark_safe(two_factor.enrolment_qr_svg(device)),  # our own generated SVG
            secret=b32encode(device.bin_key).decode(),
            **kwargs,
        )

    def form_valid(self, form):
        device = two_factor.pending_device(self.request)
        if device is None:
            form.add_error("token", KEY_EXPIRED)
            return self.form_invalid(form)
        try:
            codes = accounts.device_enrol(
                request=self.request,
                device=device,
                token=form.cleaned_data["token"],
                name=form.cleaned_data["name"],
            )
        except ValidationError as error:
            add_errors(form, error)
            return self.form_invalid(form)
        messages.success(self.request, DEVICE_ADDED.format(name=device.name))
        if codes:
            return render(
                self.request,
                "portal/recovery_codes.html",
                {"codes": codes, "next": self.success_url_or_home()},
            )
        return redirect(self.success_url_or_home())


class TwoFactorEnrolLinkView(LoginRequiredMixin, View):
    """A site admin's enrolment link: once its owner has signed in, it opens the setup page.

    The link is used up only when an app is confirmed, so opening it (or a mail scanner
    fetching it) does not spend it.
    """

    def get(self, request, token):
        link = accounts.enrolment_link_find(token=token, user=request.user)
        if link is None:
            return render(
                request,
                "portal/enrolment_link_needed.html",
                {"problem": accounts.LINK_UNUSABLE},
                status=404,
            )
        request.session[two_factor.ENROLMENT_LINK_KEY] = link.pk
        return redirect("two-factor-setup")


@method_decorator(never_cache, name="dispatch")
class TwoFactorVerifyView(TwoFactorMixin, FormView):
    """The second step of signing in for people who use a one-time password."""

    form_class = OneTimePasswordForm

    def get_context_data(self, **kwargs):
        return super().get_context_data(heading="Enter your code", setup=False, **kwargs)

    def form_valid(self, form):
        device = two_factor.verify(request=self.request, token=form.cleaned_data["token"])
        if device is None:
            security_log.log_event(
                "two_factor_failed", request=self.request, user=self.request.user
            )
            form.add_error("token", two_factor.WRONG_CODE_OR_RECOVERY_CODE)
            return self.form_invalid(form)
        if isinstance(device, StaticDevice):
            security_log.log_event(
                "recovery_code_used", request=self.request, user=self.request.user
            )
        return redirect(self.success_url_or_home())


class DevicesView(LoginRequiredMixin, TemplateView):
    """The person's authenticator apps (name, added, last used), to remove one or add another."""

    template_name = "portal/devices.html"

    def get_context_data(self, **kwargs):
        user = self.request.user
        devices = list(two_factor.confirmed_devices(user))
        return super().get_context_data(
            devices=devices,
            can_remove=not two_factor.must_use_codes(user) or len(devices) > 1,
            recovery_codes_left=StaticToken.objects.filter(device__user=user).count(),
            **kwargs,
        )


class DeviceRemoveView(LoginRequiredMixin, View):
    def post(self, request, pk):
        device = get_object_or_404(
            TOTPDevice.objects.devices_for_user(request.user, confirmed=True), pk=pk
        )
        try:
            accounts.device_remove(device=device, by=request.user)
        except ValidationError as error:
            for message in error.messages:
                messages.error(request, message)
        else:
            messages.success(request, DEVICE_REMOVED.format(name=device.name))
        return redirect("two-factor-devices")


class ApiTokensView(LoginRequiredMixin, FormView):
    """The person's API tokens (name, first characters, created, last used, state), a form to
    create one, and a button to revoke each. A new token's secret is shown once, in the answer
    to the post that made it (never in an address, never stored). Every signed-in role may have
    tokens; people who sign in with a code reach this page only once they have passed it
    (TwoFactorRequiredMiddleware)."""

    template_name = "portal/api_tokens.html"
    form_class = ApiTokenForm

    def get_context_data(self, **kwargs):
        return super().get_context_data(tokens=self.request.user.api_tokens.all(), **kwargs)

    def form_valid(self, form):
        user = self.request.user
        try:
            token, secret = api_tokens.api_token_issue(
                user=user, name=form.cleaned_data["name"], by=user
            )
        except ValidationError as error:
            add_errors(form, error)
            return self.form_invalid(form)
        return render(
            self.request, "portal/api_token_created.html", {"token": token, "secret": secret}
        )


class ApiTokenRevokeView(LoginRequiredMixin, View):
    """POST: revoke one of your own tokens (anyone else's answers 404)."""

    def post(self, request, pk):
        token = get_object_or_404(request.user.api_tokens.select_related("user"), pk=pk)
        try:
            api_tokens.api_token_revoke(token=token, by=request.user)
        except ValidationError as error:
            for message in error.messages:
                messages.error(request, message)
        else:
            messages.success(request, TOKEN_REVOKED.format(name=token.name))
        return redirect("api-tokens")
