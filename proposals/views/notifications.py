"""Each person's notifications and reminder preference. Every signed-in role has them; nobody
sees or changes anyone else's (another person's notification answers 404)."""

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.http import Http404
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.generic import ListView, View

from ..forms.notifications import ALWAYS_EMAILED, PreferencesForm
from ..models import Notification
from ..services import notifications as services
from .base import ServiceFormView

NOTIFICATIONS_PER_PAGE = 25
MARKED_READ = "Notification marked as read."
ALL_MARKED_READ = "All your notifications are marked as read."
PREFERENCES_SAVED = "Your preferences have been saved."


class NotificationListView(LoginRequiredMixin, ListView):
    """The person's notifications, newest first, each page grouped by proposal (the newest
    first): a fixed number of queries at any length."""

    template_name = "notifications/list.html"
    context_object_name = "notifications"
    paginate_by = NOTIFICATIONS_PER_PAGE

    def get_queryset(self):
        return services.notifications_for(user=self.request.user)

    def paginate_queryset(self, queryset, page_size):
        # As on the other lists: a page number mistyped or past the end shows the nearest page,
        # so coming back after marking something read never ends on "Page not found".
        paginator = self.get_paginator(queryset, page_size)
        page = paginator.get_page(self.request.GET.get(self.page_kwarg))
        return paginator, page, page.object_list, page.has_other_pages()

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        groups = {}
        for notification in context["notifications"]:
            groups.setdefault(notification.proposal, []).append(notification)
        return {**context, "groups": list(groups.items())}


def _back_to_list(request):
    """The list again, on the page the button was pressed on."""
    page = request.POST.get("page", "")
    url = reverse("notifications")
    return redirect(f"{url}?page={page}" if page.isdigit() else url)


class NotificationOpenView(LoginRequiredMixin, View):
    """Follow one of your notifications to the page it is about, marking it read."""

    def get(self, request, pk):
        try:
            notification = services.notification_mark_read(notification_id=pk, user=request.user)
        except Notification.DoesNotExist:
            raise Http404("No such notification") from None
        link = notification.link
        if not link or not url_has_allowed_host_and_scheme(link, allowed_hosts=None):
            return _back_to_list(request)
        return redirect(link)


class NotificationReadView(LoginRequiredMixin, View):
    """POST: mark one of your notifications as read."""

    def post(self, request, pk):
        try:
            services.notification_mark_read(notification_id=pk, user=request.user)
        except Notification.DoesNotExist:
            raise Http404("No such notification") from None
        messages.success(request, MARKED_READ)
        return _back_to_list(request)


class NotificationReadAllView(LoginRequiredMixin, View):
    """POST: mark all your notifications as read."""

    def post(self, request):
        services.notifications_mark_all_read(user=request.user)
        messages.success(request, ALL_MARKED_READ)
        return _back_to_list(request)


class PreferencesView(LoginRequiredMixin, ServiceFormView):
    template_name = "notifications/preferences.html"
    form_class = PreferencesForm
    success_message = PREFERENCES_SAVED

    def get_initial(self):
        user = self.request.user
        return PreferencesForm.initial_for(
            early_reminders=user.early_reminders,
            email_timings=services.user_message_preferences(user=user),
        )

    def get_context_data(self, **kwargs):
        return super().get_context_data(always_emailed=ALWAYS_EMAILED, **kwargs)

    def perform(self, form):
        return services.user_preferences_update(
            user=self.request.user,
            early_reminders=form.cleaned_data["early_reminders"],
            email_timings=form.email_timings(),
        )

    def get_success_url(self):
        return reverse("preferences")
