from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.paginator import Paginator
from django.http import Http404
from django.utils import timezone
from django.views.generic import TemplateView
from rules.contrib.views import PermissionRequiredMixin

from .. import selectors
from ..models import Pcc

PROPOSALS_PER_PAGE = 25


class OverviewView(LoginRequiredMixin, PermissionRequiredMixin, TemplateView):
    """The Home Office's picture of all nine PCCs and where each proposal stands."""

    permission_required = "proposals.view_overview"
    template_name = "proposals/overview.html"

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            pccs=selectors.pcc_overview(user=self.request.user),
            per_pcc=selectors.OVERVIEW_PROPOSALS_PER_PCC,
            **kwargs,
        )


class PccView(LoginRequiredMixin, TemplateView):
    """One PCC: the bodies it works with, its funding and its proposals. Others' PCCs are 404."""

    template_name = "proposals/pcc.html"

    def get_context_data(self, **kwargs):
        try:
            pcc = selectors.pcc_profile(slug=self.kwargs["slug"], user=self.request.user)
        except Pcc.DoesNotExist:
            raise Http404("No such PCC") from None
        page = Paginator(selectors.pcc_proposals(pcc=pcc), PROPOSALS_PER_PAGE).get_page(
            self.request.GET.get("page")
        )
        return super().get_context_data(pcc=pcc, page=page, **kwargs)


class ReviewQueueView(LoginRequiredMixin, PermissionRequiredMixin, TemplateView):
    """Submitted stages waiting for the Home Office, oldest first, with days waiting."""

    permission_required = "proposals.view_review_queue"
    template_name = "proposals/review_queue.html"

    def get_context_data(self, **kwargs):
        page = Paginator(selectors.review_queue(user=self.request.user), 50).get_page(
            self.request.GET.get("page")
        )
        return super().get_context_data(page=page, today=timezone.localdate(), **kwargs)
