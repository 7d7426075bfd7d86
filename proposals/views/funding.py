"""Funding: the fund's totals, each PCC's allocation and payments, and changing them."""

import rules
from django.contrib.auth.mixins import LoginRequiredMixin
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.formats import date_format
from django.utils.functional import cached_property
from django.views.generic import TemplateView

from .. import selectors
from ..forms.funding import AllocationForm, PaymentForm, PaymentReverseForm
from ..models import Allocation, Payment, Pcc
from ..services import funding
from ..services.drafting import record_version
from ..templatetags.proposal_tags import pounds
from .base import RulePermissionMixin, ServiceFormView, read_only_page
from .exports import csv_response
from .pages import rendered_parts
from .stage import StaleEditMixin


@read_only_page
class FundingView(RulePermissionMixin, TemplateView):
    permission_required = "proposals.view_funding"
    template_name = "funding/funding.html"

    def get_context_data(self, **kwargs):
        user = self.request.user
        # What a person may see follows from their role and PCC (Pcc.objects.visible_to).
        funding = selectors.dashboard_cached(
            "funding",
            user.role,
            user.pcc_id,
            compute=lambda: rendered_parts("funding", ("page",), funding_figures(user)),
        )
        return super().get_context_data(funding=funding, **kwargs)


def funding_figures(user) -> dict:
    """Everything the funding page shows (cached by FundingView)."""
    summary = selectors.funding_summary(user=user)
    chart = {
        "labels": [row.pcc.name for row in summary.rows],
        "series": [
            {"label": "Paid", "data": [float(row.paid) for row in summary.rows]},
            {
                "label": "Allocated, not yet paid",
                "data": [float(row.remaining) for row in summary.rows],
            },
        ],
    }
    return {"summary": summary, "chart": chart, "show_totals": user.is_home_office}


class FundingCsvView(RulePermissionMixin, TemplateView):
    permission_required = "proposals.view_funding"

    def get(self, request, *args, **kwargs):
        summary = selectors.funding_summary(user=request.user)
        rows = [
            [
                row.pcc.name,
                row.allocated,
                row.paid,
                row.remaining,
                "yes" if row.allocation and row.allocation.is_illustrative else "no",
            ]
            for row in summary.rows
        ]
        return csv_response(
            "funding.csv",
            ["PCC", "Allocated (£)", "Paid (£)", "Remaining (£)", "Illustrative"],
            rows,
        )


class PccFundingMixin(LoginRequiredMixin):
    """The PCC named in the URL, if the user may see its money (else 404)."""

    @cached_property
    def pcc(self) -> Pcc:
        pcc = get_object_or_404(Pcc, slug=self.kwargs["slug"])
        if not rules.has_perm("proposals.view_pcc_funding", self.request.user, pcc):
            raise Http404("No such PCC")
        return pcc

    @cached_property
    def allocation(self) -> Allocation | None:
        return Allocation.objects.filter(fund=selectors.the_fund(), pcc=self.pcc).first()

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            pcc=self.pcc,
            allocation=self.allocation,
            caption=f"Funding for {self.pcc.name}",
            back=self.get_success_url(),
            **kwargs,
        )

    def get_success_url(self):
        return reverse("proposals:pcc-funding", kwargs={"slug": self.pcc.slug})


class PccFundingView(PccFundingMixin, TemplateView):
    template_name = "funding/pcc_funding.html"

    def get_context_data(self, **kwargs):
        allocation = self.allocation
        payments = (
            allocation.payments.select_related("recorded_by", "reverses").prefetch_related(
                "reversals"
            )
            if allocation
            else []
        )
        paid = sum((payment.amount for payment in payments), funding.ZERO)
        return super().get_context_data(
            payments=payments,
            paid=paid,
            remaining=(allocation.amount if allocation else funding.ZERO) - paid,
            history=selectors.allocation_history(allocation=allocation),
            can_change=rules.has_perm("proposals.change_funding", self.request.user),
            **kwargs,
        )


class FundingChangeMixin(PccFundingMixin):
    """A page that changes money: only funding admins (others 403)."""

    def forbidden(self):
        return not rules.has_perm("proposals.change_funding", self.request.user)


class AllocationEditView(StaleEditMixin, FundingChangeMixin, ServiceFormView):
    template_name = "funding/allocation_edit.html"
    form_class = AllocationForm
    success_message = "Allocation saved."
    version_field = "version"

    def current_version(self):
        return record_version(self.allocation)

    def get_initial(self):
        return {
            "amount": self.allocation.amount if self.allocation else None,
            "version": self.current_version(),
        }

    def get_context_data(self, **kwargs):
        if kwargs.get("stale") is not None:
            # A stale save: what someone else saved, beside what this person typed.
            kwargs["saved_change"] = selectors.allocation_latest_change(allocation=kwargs["stale"])
        return super().get_context_data(heading=f"Change {self.pcc.name}'s allocation", **kwargs)

    def perform(self, form):
        return funding.allocation_update(
            fund=selectors.the_fund(),
            pcc=self.pcc,
            amount=form.cleaned_data["amount"],
            reason=form.cleaned_data["reason"],
            version=form.cleaned_data["version"],
            by=self.request.user,
        )


class PaymentCreateView(FundingChangeMixin, ServiceFormView):
    template_name = "proposals/form_page.html"
    form_class = PaymentForm
    success_message = "Payment recorded."

    def get_context_data(self, **kwargs):
        return super().get_context_data(heading=f"Record a payment to {self.pcc.name}", **kwargs)

    def perform(self, form):
        return funding.payment_record(
            fund=selectors.the_fund(), pcc=self.pcc, by=self.request.user, **form.cleaned_data
        )


class PaymentReverseView(FundingChangeMixin, ServiceFormView):
    """A funding admin takes back some or all of a payment recorded in error, with a reason."""

    template_name = "proposals/form_page.html"
    form_class = PaymentReverseForm
    success_message = "Payment reversed."

    @cached_property
    def payment(self) -> Payment:
        return get_object_or_404(
            Payment.objects.filter(allocation=self.allocation, reverses__isnull=True),
            pk=self.kwargs["payment_pk"],
        )

    def get_initial(self):
        return {"amount": self.payment.unreversed}

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            heading=f"Reverse the payment to {self.pcc.name} of {pounds(self.payment.amount)} "
            f"on {date_format(self.payment.paid_on)}",
            intro="The payment stays in the record; a reversing entry dated today takes back "
            "the amount you enter, and the totals go down by it.",
            **kwargs,
        )

    def perform(self, form):
        return funding.payment_reverse(
            payment=self.payment,
            amount=form.cleaned_data["amount"],
            reason=form.cleaned_data["reason"],
            by=self.request.user,
        )
