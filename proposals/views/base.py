"""Small mixins every proposal page shares: scoping to what the user may see, the stage, and
turning a refusal from the workflow into what the user reads."""

import rules
from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils.decorators import method_decorator
from django.utils.functional import cached_property
from django.views.generic import FormView

from .. import workflow
from ..forms.review import DueDateForm
from ..messaging import with_told
from ..models import Proposal, StageStatus, Step
from ..services.workflow import DUE_DATE_PAST
from ..workflow import TransitionRefused

#: For a page that only reads (the dashboards): no transaction around it, so no BEGIN and
#: COMMIT round trips around its one or two queries. (Under PostgreSQL's READ COMMITTED each
#: query sees its own snapshot inside a transaction too, so nothing is lost.)
read_only_page = method_decorator(transaction.non_atomic_requests, name="dispatch")


class RulePermissionMixin(LoginRequiredMixin):
    """A signed-in page for those `permission_required` allows, checked with rules.has_perm.

    Not Django's (or rules') PermissionRequiredMixin: they ask `user.has_perms`, which lets a
    superuser through every rule. Here a site admin gets only what the rule gives the role.
    """

    permission_required: str

    def dispatch(self, request, *args, **kwargs):
        user = request.user
        if user.is_authenticated and not rules.has_perm(self.permission_required, user):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)


class ProposalMixin(LoginRequiredMixin):
    """`self.proposal` from the URL's `pk`, among the proposals the user may see (else 404)."""

    def proposals(self):
        """The proposals this page may show the user (others answer 404)."""
        return Proposal.objects.visible_to(self.request.user)

    @cached_property
    def proposal(self) -> Proposal:
        return get_object_or_404(self.proposals().select_related("pcc"), pk=self.kwargs["pk"])

    def get_context_data(self, **kwargs):
        return super().get_context_data(proposal=self.proposal, **kwargs)


class StageMixin(ProposalMixin):
    """`self.stage` from the URL's `step` slug (e.g. `business-case`)."""

    #: Whether an independent assessor may open the independent assessment stage of the
    #: proposals assigned to them here (every other stage stays 404 to them).
    assessor_may_open = False

    def proposals(self):
        user = self.request.user
        if (
            self.assessor_may_open
            and user.is_authenticated
            and user.is_assessor
            and self.kwargs.get("step") == Step.INDEPENDENT_ASSESSMENT.slug
        ):
            return Proposal.objects.assessed_by(user)
        return super().proposals()

    @cached_property
    def stage(self):
        try:
            step = Step.from_slug(self.kwargs["step"])
        except ValueError:
            raise Http404("No such stage") from None
        return get_object_or_404(self.proposal.stages.select_related("proposal"), step=step)

    def get_context_data(self, **kwargs):
        return super().get_context_data(stage=self.stage, **kwargs)


def stage_url(stage) -> str:
    return reverse("proposals:stage", kwargs={"pk": stage.proposal_id, "step": stage.step_slug})


def proposal_page_url(proposal, user) -> str:
    """The proposal's own page for those who may see it, else its public record."""
    if rules.has_perm("proposals.view_proposal", user, proposal):
        return reverse("proposals:detail", kwargs={"pk": proposal.pk})
    return reverse("proposals:public-record", kwargs={"pk": proposal.pk})


def refuse(request, refusal: TransitionRefused, to: str):
    """Send the user back to `to` with the workflow's reasons in an error summary."""
    for reason in refusal.reasons:
        messages.error(request, reason)
    return redirect(to)


def add_errors(form, error: ValidationError) -> None:
    """A service's refusal by the fields it names (else in the error summary), keeping what
    was typed."""
    by_field = error.message_dict if hasattr(error, "error_dict") else {None: error.messages}
    for field, errors in by_field.items():
        form.add_error(field if field in form.fields else None, errors)


class LockedStageMixin:
    """A page that changes a stage's content (`locked_stage()`): people whose role could never
    change it get 403; those who could, but not now (submitted, approved, not yet open...),
    go back to `locked_url()` with the reason in a banner rather than a bare refusal."""

    #: The statuses the stage may change in (documents may be changed in a returned stage too).
    open_statuses = (StageStatus.IN_PROGRESS,)

    def locked_stage(self):
        return self.stage

    def locked_url(self) -> str:
        return stage_url(self.locked_stage())

    def change_blockers(self, stage) -> list[str]:
        """Why the user may not change `stage` now (empty when they may)."""
        return workflow.edit_blockers(stage, self.request.user, statuses=self.open_statuses)

    def dispatch(self, request, *args, **kwargs):
        # Anonymous people go on to LoginRequiredMixin, which sends them to sign in.
        if request.user.is_authenticated:
            stage = self.locked_stage()
            if not workflow.may_ever_edit(stage, request.user):
                raise PermissionDenied
            reasons = self.change_blockers(stage)
            if reasons:
                for reason in reasons:
                    messages.warning(request, reason)
                return redirect(self.locked_url())
        return super().dispatch(request, *args, **kwargs)


class ServiceFormView(FormView):
    """A form whose valid data is handed to one service call: subclasses define `perform(form)`.

    The success message adds who was told, when the service told anyone (messaging.with_told).
    The service's ValidationError lands by the fields it names (keeping what was typed);
    a TransitionRefused lands in the error summary, or answers 403 when `forbidden` says the
    user could never do this here.
    """

    success_message = ""

    def forbidden(self) -> bool:
        return False

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated and self.forbidden():
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def form_valid(self, form):
        try:
            self.result = self.perform(form)
        except ValidationError as error:
            add_errors(form, error)
            return self.form_invalid(form)
        except TransitionRefused as refusal:
            for reason in refusal.reasons:
                form.add_error(None, reason)
            return self.form_invalid(form)
        success_message = self.get_success_message()
        if success_message:
            messages.success(self.request, with_told(success_message, self.result))
        return super().form_valid(form)

    def get_success_message(self) -> str:
        """What the page says once the service has done its work (`self.result`)."""
        return self.success_message


class DueDateFormMixin:
    """Setting a due date (a stage's, a checklist item's): a date already passed is asked to
    be confirmed rather than refused outright."""

    template_name = "proposals/form_page.html"
    form_class = DueDateForm
    success_message = "Due date saved."

    def form_invalid(self, form):
        if DUE_DATE_PAST in form.errors.get("due_date", []):
            form.ask_to_confirm_a_past_date()
        return super().form_invalid(form)
