from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView

from proposals.views import notifications

from . import views
from .forms import SignInForm

handler400 = "portal.views.bad_request"
handler403 = "portal.views.permission_denied"
handler500 = "portal.views.server_error"

urlpatterns = [
    path("", views.home, name="home"),
    path(
        "accounts/login/",
        auth_views.LoginView.as_view(form_class=SignInForm, redirect_authenticated_user=True),
        name="login",
    ),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("accounts/two-factor/", views.TwoFactorVerifyView.as_view(), name="two-factor-verify"),
    path("accounts/two-factor/setup/", views.TwoFactorSetupView.as_view(), name="two-factor-setup"),
    path(
        "accounts/two-factor/enrol/<str:token>/",
        views.TwoFactorEnrolLinkView.as_view(),
        name="two-factor-enrol",
    ),
    path("account/two-factor/", views.DevicesView.as_view(), name="two-factor-devices"),
    path(
        "account/two-factor/<int:pk>/remove/",
        views.DeviceRemoveView.as_view(),
        name="two-factor-device-remove",
    ),
    path("account/api-tokens/", views.ApiTokensView.as_view(), name="api-tokens"),
    path(
        "account/api-tokens/<int:pk>/revoke/",
        views.ApiTokenRevokeView.as_view(),
        name="api-token-revoke",
    ),
    path("accessibility/", views.AccessibilityStatementView.as_view(), name="accessibility"),
    path("healthz", views.healthz, name="healthz"),
    # Where the proxy sends a body over its limit, for the same GOV.UK 413 page.
    path("request-too-large", views.request_too_large, name="request-too-large"),
    path("notifications/", notifications.NotificationListView.as_view(), name="notifications"),
    path(
        "notifications/<int:pk>/",
        notifications.NotificationOpenView.as_view(),
        name="notification-open",
    ),
    path(
        "notifications/<int:pk>/read/",
        notifications.NotificationReadView.as_view(),
        name="notification-read",
    ),
    path(
        "notifications/read-all/",
        notifications.NotificationReadAllView.as_view(),
        name="notifications-read-all",
    ),
    path("account/preferences/", notifications.PreferencesView.as_view(), name="preferences"),
    path("admin/", admin.site.urls),
    path("api/v1/", include("proposals.api.urls")),
    path("api/schema/", SpectacularAPIView.as_view(), name="api-schema"),
    # Swagger UI from our own static files (drf-spectacular-sidecar), its script a file too:
    # the Content-Security-Policy allows no CDN and no inline script.
    path(
        "api/docs/",
        login_required(SpectacularSwaggerSplitView.as_view(url_name="api-schema")),
        name="api-docs",
    ),
    path("", include("proposals.urls")),
]
