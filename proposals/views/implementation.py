"""After the order: recording the implementation checklist of a transferred proposal."""

import rules
from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils.functional import cached_property

from .. import workflow
from ..forms.implementation import ChecklistItemDoneForm
from ..models import ChecklistItemKind
from ..services import implementation
from ..services.drafting import record_version
from .base import DueDateFormMixin, ProposalMixin, ServiceFormView
from .stage import StaleEditMixin


class ChecklistItemMixin(ProposalMixin):
    """`self.item` from the URL's `kind`, on a proposal the user may see (else 404)."""

    @cached_property
    def item(self):
        return get_object_or_404(self.proposal.checklist_items, kind=self.kwargs["kind"])

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            caption=self.proposal.title, back=self.get_success_url(), **kwargs
        )

    def get_success_url(self):
        return reverse("proposals:detail", kwargs={"pk": self.proposal.pk}) + "#after-the-order"


class ChecklistItemDoneView(StaleEditMixin, ChecklistItemMixin, ServiceFormView):
    """PCC people record an item done, with the date and the evidence document."""

    template_name = "proposals/form_page.html"
    form_class = ChecklistItemDoneForm
    version_field = "version"

    def forbidden(self):
        return not rules.has_perm(
            "proposals.record_implementation", self.request.user, self.proposal
        )

    def get(self, request, *args, **kwargs):
        # Already done, or not transferred: back to the checklist with the reason.
        reasons = workflow.checklist_item_blockers(self.item, request.user)
        if reasons:
            for reason in reasons:
                messages.warning(request, reason)
            return redirect(self.get_success_url())
        return super().get(request, *args, **kwargs)

    def current_version(self):
        return record_version(self.item)

    def get_initial(self):
        return {"version": self.current_version()}

    def get_context_data(self, **kwargs):
        return super().get_context_data(heading=self.item.get_kind_display(), **kwargs)

    def perform(self, form):
        return implementation.checklist_item_complete(
            item=self.item,
            done_on=form.cleaned_data["done_on"],
            uploaded_file=form.cleaned_data["file"],
            note=form.cleaned_data["note"],
            version=form.cleaned_data["version"],
            by=self.request.user,
        )

    def get_success_message(self):
        return f"{ChecklistItemKind(self.item.kind).label}: recorded as done."


class ChecklistItemDueDateView(DueDateFormMixin, ChecklistItemMixin, ServiceFormView):
    """Home Office reviewers move an outstanding item's due date, with the reason."""

    def forbidden(self):
        return not rules.has_perm(
            "proposals.set_implementation_due_date", self.request.user, self.proposal
        )

    def get_initial(self):
        return {"due_date": self.item.due_on}

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            heading=f"Due date: {self.item.get_kind_display()}", **kwargs
        )

    def perform(self, form):
        return implementation.checklist_item_set_due_date(
            item=self.item,
            due_date=form.cleaned_data["due_date"],
            reason=form.cleaned_data["reason"],
            past_confirmed=form.cleaned_data["past_confirmed"],
            by=self.request.user,
        )
