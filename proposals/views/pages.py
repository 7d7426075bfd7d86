from urllib.parse import urlencode

import rules
from crispy_forms.utils import render_crispy_form
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.paginator import Paginator
from django.db.models import Prefetch
from django.http import Http404, HttpResponse
from django.shortcuts import redirect
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.decorators import method_decorator
from django.views import View
from django.views.decorators.cache import never_cache
from django.views.generic import TemplateView

from .. import selectors
from ..filters import ProposalFilter
from ..models import CollaborationDuty, Pcc, Proposal, Stage, Step
from ..models.reference import pcc_visible_to
from ..services import calendar
from ..services.notifications import notifications_unread_about_pcc
from .base import RulePermissionMixin, read_only_page
from .exports import csv_response, deadlines_calendar

PROPOSALS_PER_PAGE = 25


def page_asked(request) -> str:
    """The page number asked for, if it looks like one (else the first): cache keys stay few."""
    asked = request.GET.get("page", "1")
    return asked if asked.isascii() and asked.isdigit() and len(asked) <= 6 else "1"


REVIEWS_PER_PAGE = 50
UNREAD_ON_HOME = 5


@read_only_page
class OverviewView(RulePermissionMixin, TemplateView):
    """The Home Office's picture of all nine PCCs: where each stands, what is late, money."""

    permission_required = "proposals.view_overview"
    template_name = "proposals/overview.html"

    def get_context_data(self, **kwargs):
        user = self.request.user
        filters = ProposalFilter(self.request.GET, queryset=Proposal.objects.visible_to(user))
        query = self.request.GET.urlencode()
        # Keyed by what the filters understood, so odd query strings share one cache entry.
        understood = sorted(filters.form.cleaned_data.items()) if filters.is_valid() else "all"
        overview = selectors.dashboard_cached(
            "overview",
            user.is_home_office,
            understood,
            compute=lambda: {
                **rendered_parts(
                    "overview", ("counts", "matrix", "details"), overview_figures(filters.qs, user)
                ),
                # The filter form drawn once too (a third of the page's time): for filters it
                # understood, it shows what they chose, which the key names.
                "filters": render_crispy_form(filters.form) if filters.is_valid() else "",
            },
        )
        return super().get_context_data(filters=filters, query=query, overview=overview, **kwargs)


def rendered_parts(page: str, parts, context: dict) -> dict:
    """The parts of a dashboard drawn from the data, rendered (`proposals/_<page>_<part>.html`):
    text is what the cache keeps, as JSON, so reading it back can never run code."""
    return {part: render_to_string(f"proposals/_{page}_{part}.html", context) for part in parts}


def overview_figures(proposals, user) -> dict:
    """Everything the overview shows that comes from the data (cached by OverviewView)."""
    today = timezone.localdate()
    rows = selectors.overview_matrix(proposals=proposals, today=today)
    reached = selectors.stages_reached(proposals=proposals)
    pccs = [row.pcc.name for row in rows]
    return {
        "steps": list(Step),
        "rows": rows,
        "counts": selectors.overview_counts(proposals=proposals, today=today),
        "queue": list(selectors.review_queue(user=user)[:10]),
        "today": today,
        "funding": selectors.funding_summary(user=user),
        "activity": list(selectors.recent_activity()),
        "reached": [
            (name, [reached.get(name, {}).get(step, 0) for step in REACHED_COLUMNS])
            for name in pccs
        ],
        "reached_chart": stages_reached_chart(pccs, reached),
    }


#: The columns of "Stages reached": every step, then every stage of the route passed.
REACHED_COLUMNS = (*Step, selectors.ROUTE_PASSED)
ROUTE_PASSED_NAME = "All stages complete"


def stages_reached_chart(pccs, reached) -> dict:
    return {
        "labels": pccs,
        "series": [
            {
                "label": Step(number).label if number in Step.values else ROUTE_PASSED_NAME,
                "data": [reached.get(pcc, {}).get(number, 0) for pcc in pccs],
            }
            for number in REACHED_COLUMNS
        ],
    }


NOT_APPLICABLE = "Not applicable"


class OverviewCsvView(RulePermissionMixin, View):
    """Every proposal the overview's filters select, one row each, with its stages (a step
    not on its route says so)."""

    permission_required = "proposals.view_overview"

    def get(self, request, *args, **kwargs):
        filters = ProposalFilter(request.GET, queryset=Proposal.objects.visible_to(request.user))
        proposals = (
            filters.qs.select_related("pcc")
            .prefetch_related(Prefetch("stages", queryset=Stage.objects.order_by("step")))
            .order_by("pcc__name", "pk")
        )
        header = ["PCC", "Proposal", "Governance model", "Status"]
        for step in Step:
            header += [f"{step.label}: status", f"{step.label}: due"]

        def rows():
            for proposal in proposals.iterator(chunk_size=500):
                row = [
                    proposal.pcc.name,
                    proposal.title,
                    proposal.get_governance_model_display(),
                    proposal.get_status_display(),
                ]
                stages = {stage.step: stage for stage in proposal.stages.all()}
                for step in Step:
                    stage = stages.get(step)
                    if stage is None:
                        row += [NOT_APPLICABLE, ""]
                    else:
                        due = stage.due_date.isoformat() if stage.due_date else ""
                        row += [stage.get_status_display(), due]
                yield row

        return csv_response("proposals-overview.csv", header, rows())


@read_only_page
class PccView(LoginRequiredMixin, TemplateView):
    """One PCC: the bodies it works with, its funding and its proposals. Others' PCCs are 404."""

    template_name = "proposals/pcc.html"

    def get_context_data(self, **kwargs):
        slug, requested = self.kwargs["slug"], page_asked(self.request)

        def pcc_page():
            # The same for everyone who may see the PCC: who may is checked below.
            try:
                pcc = selectors.pcc_profile(slug=slug)
            except Pcc.DoesNotExist:
                raise Http404("No such PCC") from None
            page = Paginator(selectors.pcc_proposals(pcc=pcc), PROPOSALS_PER_PAGE).get_page(
                requested
            )
            proposals = Proposal.objects.for_pcc(pcc)
            figures = {
                "pcc": pcc,
                "page": page,
                "rows": list(page.object_list),
                "today": timezone.localdate(),
                "deadlines": list(selectors.upcoming_deadlines(proposals=proposals)),
                "returned": list(selectors.returned_stages(proposals=proposals)),
            }
            return {
                "pk": pcc.pk,
                "name": pcc.name,
                "office_name": pcc.office_name,
                "count": page.paginator.count,
                "number": page.number,
                **rendered_parts("pcc", ("returned", "about", "proposals"), figures),
            }

        pcc_page = selectors.dashboard_cached("pcc", slug, requested, compute=pcc_page)
        # Another PCC's page is not found, as if it did not exist (the id is in the cached page).
        if not pcc_visible_to(pcc_page["pk"], self.request.user):
            raise Http404("No such PCC")
        page = Paginator(range(pcc_page["count"]), PROPOSALS_PER_PAGE).get_page(pcc_page["number"])
        unread = notifications_unread_about_pcc(
            user=self.request.user, pcc_id=pcc_page["pk"], limit=UNREAD_ON_HOME
        )
        return super().get_context_data(
            page=page,
            count=pcc_page["count"],
            pcc_page=pcc_page,
            unread=unread,
            # The rule itself (as every view checks): user.has_perm would also ask Django's
            # permission tables, two queries on every visit, and let superusers past.
            can_create_proposal=rules.has_perm("proposals.create_proposal", self.request.user),
            **kwargs,
        )


@read_only_page
class ReviewQueueView(RulePermissionMixin, TemplateView):
    """Submitted stages waiting for the Home Office, oldest first, with days waiting."""

    permission_required = "proposals.view_review_queue"
    template_name = "proposals/review_queue.html"

    def get_context_data(self, **kwargs):
        user = self.request.user
        requested = page_asked(self.request)
        filters = dict(selectors.QUEUE_FILTERS)
        assigned = self.request.GET.get("assigned")
        assigned = assigned if assigned in filters else selectors.QUEUE_ALL

        def queue_page():
            page = Paginator(
                selectors.review_queue(user=user, assigned=assigned), REVIEWS_PER_PAGE
            ).get_page(requested)
            figures = {"page": page, "stages": page.object_list, "today": timezone.localdate()}
            return {
                "count": page.paginator.count,
                "number": page.number,
                **rendered_parts("review_queue", ("table",), figures),
            }

        queue = selectors.dashboard_cached(
            "review-queue",
            user.is_home_office,
            requested,
            assigned,
            user.pk if assigned == selectors.QUEUE_MINE else None,
            compute=queue_page,
        )
        # Page navigation from the cached count alone, without touching the database again.
        page = Paginator(range(queue["count"]), REVIEWS_PER_PAGE).get_page(queue["number"])
        return super().get_context_data(
            page=page,
            table=queue["table"],
            assigned=assigned,
            assigned_query=urlencode({"assigned": assigned}),
            queue_filters=selectors.QUEUE_FILTERS,
            **kwargs,
        )


@read_only_page
class DutiesView(LoginRequiredMixin, TemplateView):
    """The Act's collaboration duties: for each, the register entries following it and how
    many proposals address it, per PCC (each duty's own page says how)."""

    template_name = "proposals/duties.html"

    def get_context_data(self, **kwargs):
        user = self.request.user
        # What a person may see follows from their role and PCC (Proposal.objects.visible_to).
        duties = selectors.dashboard_cached(
            "duties",
            user.role,
            user.pcc_id,
            compute=lambda: rendered_parts(
                "duties", ("list",), {"duties": selectors.duties_with_coverage(user=user)}
            ),
        )
        return super().get_context_data(duties=duties, **kwargs)


@read_only_page
class DutyView(LoginRequiredMixin, TemplateView):
    """One of the Act's duties and how each proposal the viewer may see addresses it, a page
    of proposals at a time."""

    template_name = "proposals/duty.html"

    def get_context_data(self, **kwargs):
        user, requested = self.request.user, page_asked(self.request)
        duty = CollaborationDuty.objects.filter(pk=self.kwargs["pk"]).first()
        if duty is None:
            raise Http404("No such provision")

        def evidence_page():
            page = Paginator(
                selectors.duty_evidence(duty=duty, user=user), PROPOSALS_PER_PAGE
            ).get_page(requested)
            figures = {"duty": duty, "page": page, "rows": page.object_list}
            return {
                "count": page.paginator.count,
                "number": page.number,
                **rendered_parts("duty", ("evidence",), figures),
            }

        evidence = selectors.dashboard_cached(
            "duty", duty.pk, user.role, user.pcc_id, requested, compute=evidence_page
        )
        page = Paginator(range(evidence["count"]), PROPOSALS_PER_PAGE).get_page(evidence["number"])
        return super().get_context_data(duty=duty, page=page, evidence=evidence, **kwargs)


class CalendarView(LoginRequiredMixin, TemplateView):
    """Where people get, replace or turn off the address of their deadlines calendar. A new
    address is shown once, in the answer to the post that made it: it is stored nowhere."""

    template_name = "proposals/calendar.html"

    def post(self, request, *args, **kwargs):
        if request.POST.get("action") == "revoke":
            calendar.calendar_token_revoke(user=request.user)
            messages.success(request, "Your calendar address no longer works.")
            return redirect("proposals:calendar")
        token = calendar.calendar_token_issue(user=request.user)
        feed = request.build_absolute_uri(reverse("proposals:calendar-feed", args=[token]))
        return self.render_to_response(self.get_context_data(new_feed_url=feed))

    def get_context_data(self, **kwargs):
        user = self.request.user
        return super().get_context_data(
            calendar_on=bool(user.calendar_token_digest),
            last_used_on=user.calendar_token_last_used_on,
            **kwargs,
        )


@method_decorator(never_cache, name="dispatch")
class CalendarFeedView(View):
    """The deadlines of the proposals the token's owner may see, as iCalendar. The secret
    address is the credential, so calendar programs can fetch it without signing in."""

    def get(self, request, token):
        user = calendar.calendar_token_owner(token=token)
        if user is None:
            raise Http404("No such calendar")
        stages = selectors.upcoming_deadlines(
            proposals=Proposal.objects.visible_to(user), limit=None
        )
        body = deadlines_calendar(stages, site_url=settings.SITE_URL)
        return HttpResponse(body, content_type="text/calendar; charset=utf-8")
