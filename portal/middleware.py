"""Keep people who must use a one-time password out of the portal until they have, and keep
signed-in pages out of every cache."""

from django.shortcuts import redirect
from django.urls import reverse
from django.utils.cache import add_never_cache_headers

from .two_factor import has_confirmed_device, two_factor_required

#: Pages open before the one-time password: the steps themselves and what every page needs.
OPEN_PATHS = ("/accounts/", "/static/", "/healthz", "/accessibility/")


class TwoFactorRequiredMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = request.user
        if (
            user.is_authenticated
            and not request.path.startswith(OPEN_PATHS)
            and two_factor_required(user)
            and not user.is_verified()
        ):
            step = "two-factor-verify" if has_confirmed_device(user) else "two-factor-setup"
            return redirect(f"{reverse(step)}?next={request.get_full_path()}")
        return self.get_response(request)


class NoStoreWhenSignedInMiddleware:
    """Pages shown to a signed-in person are theirs alone: no browser, proxy or shared
    computer may keep a copy (`Cache-Control: no-store`, with Django's never-cache set)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if request.user.is_authenticated:
            add_never_cache_headers(response)
        return response
