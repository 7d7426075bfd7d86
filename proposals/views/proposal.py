"""A proposal as a whole: creating one, its page, withdrawing or suspending, legal challenges,
comments."""

import rules
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.paginator import Paginator
from django.urls import reverse
from django.utils import timezone
from django.views import View
from django.views.generic import TemplateView

from .. import history, selectors, workflow
from ..forms.base import ReasonForm
from ..forms.drafting import ProposalCreateForm, ProposalModelForm
from ..forms.review import CaseOfficerForm, CommentForm, LegalChallengeForm
from ..models import Comment
from ..services import comments, drafting
from ..services import workflow as workflow_services
from .base import ProposalMixin, ServiceFormView
from .exports import csv_response

HISTORY_PER_PAGE = 50


class ProposalCreateView(LoginRequiredMixin, ServiceFormView):
    template_name = "proposals/proposal_form.html"
    form_class = ProposalCreateForm
    success_message = "Proposal created. Start with the business case."

    def forbidden(self):
        return not rules.has_perm("proposals.create_proposal", self.request.user)

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "pcc": self.request.user.pcc}

    def perform(self, form):
        return drafting.proposal_create(
            pcc=self.request.user.pcc, by=self.request.user, **form.cleaned_data
        )

    def get_success_url(self):
        return reverse("proposals:business-case", kwargs={"pk": self.result.pk})


class ProposalDetailView(ProposalMixin, TemplateView):
    template_name = "proposals/proposal_detail.html"

    def get_context_data(self, **kwargs):
        user, proposal = self.request.user, self.proposal
        history = Paginator(
            selectors.proposal_history(proposal=proposal, user=user), HISTORY_PER_PAGE
        ).get_page(self.request.GET.get("page"))
        can_comment = rules.has_perm("proposals.comment_on_proposal", user, proposal) and not (
            proposal.is_finished
        )
        return super().get_context_data(
            stages=proposal.stages.order_by("step"),
            actions=workflow.available_actions(proposal, user, workflow.PROPOSAL_ACTIONS),
            can_flag_legal_challenge=rules.has_perm("proposals.review_proposal", user, proposal)
            and not proposal.is_finished,
            can_assign_case_officer=rules.has_perm("proposals.review_proposal", user, proposal),
            can_change_model=rules.has_perm("proposals.draft_proposal", user, proposal)
            and not proposal.is_finished,
            comments=selectors.proposal_comments(proposal=proposal, user=user),
            comment_form=CommentForm(
                home_office_choice=rules.has_perm(
                    "proposals.comment_home_office_only", user, proposal
                )
            )
            if can_comment
            else None,
            page=history,
            checklist=selectors.proposal_checklist(proposal=proposal),
            can_record_implementation=rules.has_perm(
                "proposals.record_implementation", user, proposal
            ),
            can_move_checklist_dates=rules.has_perm(
                "proposals.set_implementation_due_date", user, proposal
            ),
            **kwargs,
        )


class ProposalActionView(ProposalMixin, ServiceFormView):
    """Withdraw, suspend or resume, with a reason (PCC people)."""

    template_name = "proposals/form_page.html"
    form_class = ReasonForm
    action = ""

    HEADINGS = {
        "withdraw": "Withdraw this proposal",
        "suspend": "Suspend this proposal",
        "resume": "Resume this proposal",
    }

    def forbidden(self):
        return not workflow.may_ever(getattr(self.proposal, self.action), self.request.user)

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "submit": self.HEADINGS[self.action]}

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            heading=self.HEADINGS[self.action], back=self.get_success_url(), **kwargs
        )

    def perform(self, form):
        return workflow_services.proposal_transition(
            proposal=self.proposal,
            action=self.action,
            by=self.request.user,
            reason=form.cleaned_data["reason"],
        )

    def get_success_url(self):
        return reverse("proposals:detail", kwargs={"pk": self.proposal.pk})


class LegalChallengeView(ProposalMixin, ServiceFormView):
    """Reviewers flag a legal challenge (pausing the stages) or lift it."""

    template_name = "proposals/form_page.html"
    form_class = LegalChallengeForm

    def forbidden(self):
        return not rules.has_perm("proposals.review_proposal", self.request.user, self.proposal)

    @property
    def heading(self):
        if self.proposal.under_legal_challenge:
            return "Clear the legal challenge"
        return "Flag a legal challenge"

    def get_initial(self):
        lift = self.proposal.under_legal_challenge
        return {"intended": LegalChallengeForm.LIFT if lift else LegalChallengeForm.FLAG}

    def get_form_kwargs(self):
        return {
            **super().get_form_kwargs(),
            "submit": self.heading,
            "hint": "For example, the claim, the court and its reference.",
        }

    def get_context_data(self, **kwargs):
        return super().get_context_data(heading=self.heading, back=self.get_success_url(), **kwargs)

    def perform(self, form):
        return workflow_services.proposal_set_legal_challenge(
            proposal=self.proposal,
            under_challenge=form.under_challenge,
            reason=form.cleaned_data["reason"],
            by=self.request.user,
        )

    def get_success_url(self):
        return reverse("proposals:detail", kwargs={"pk": self.proposal.pk})


class CommentCreateView(ProposalMixin, ServiceFormView):
    template_name = "proposals/form_page.html"
    form_class = CommentForm
    success_message = "Comment added."

    def forbidden(self):
        return not rules.has_perm("proposals.comment_on_proposal", self.request.user, self.proposal)

    def get_form_kwargs(self):
        return {
            **super().get_form_kwargs(),
            "home_office_choice": rules.has_perm(
                "proposals.comment_home_office_only", self.request.user, self.proposal
            ),
        }

    def perform(self, form):
        visibility = form.cleaned_data.get("visibility") or Comment.Visibility.EVERYONE
        return comments.comment_add(
            proposal=self.proposal,
            body=form.cleaned_data["body"],
            by=self.request.user,
            home_office_only=visibility == Comment.Visibility.HOME_OFFICE,
        )

    def get_success_url(self):
        return reverse("proposals:detail", kwargs={"pk": self.proposal.pk}) + "#comments"


class HistoryCsvView(ProposalMixin, View):
    """The proposal's history as the person may see it on the page, as CSV."""

    def get(self, request, *args, **kwargs):
        events = selectors.proposal_history(proposal=self.proposal, user=request.user)
        rows = (
            [
                timezone.localtime(event.created_at).isoformat(),
                str(event.actor or "The portal"),
                history.event_title(event),
                history.changes_text(event),
                event.reason,
                event.via,
            ]
            for event in events.iterator(chunk_size=500)
        )
        return csv_response(
            f"proposal-{self.proposal.pk}-history.csv",
            ["When", "Who", "What happened", "Changes", "Reason", "Through"],
            rows,
        )


class CaseOfficerView(ProposalMixin, ServiceFormView):
    """A reviewer makes a reviewer (themselves or another) the proposal's case officer."""

    template_name = "proposals/form_page.html"
    form_class = CaseOfficerForm
    success_message = "Case officer saved."

    def forbidden(self):
        return not rules.has_perm("proposals.review_proposal", self.request.user, self.proposal)

    def get_initial(self):
        return {"officer": self.proposal.case_officer_id}

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            heading="Choose the case officer", back=self.get_success_url(), **kwargs
        )

    def perform(self, form):
        return workflow_services.proposal_assign_case_officer(
            proposal=self.proposal, officer=form.cleaned_data["officer"], by=self.request.user
        )

    def get_success_url(self):
        return reverse("proposals:detail", kwargs={"pk": self.proposal.pk})


MODEL_CHANGE_INTRO = (
    "The model decides the stages the proposal goes through. It can change until the business "
    "case is first submitted to the Home Office; the stages both models share keep what they hold."
)


class ProposalModelView(ProposalMixin, ServiceFormView):
    """PCC people move a proposal to another governance model, and so another route, until
    its business case first goes to the Home Office (workflow.model_change_blockers)."""

    template_name = "proposals/form_page.html"
    form_class = ProposalModelForm
    success_message = "Governance model changed. The proposal's stages now follow its route."

    def forbidden(self):
        return not rules.has_perm("proposals.draft_proposal", self.request.user, self.proposal)

    def get_initial(self):
        model = self.proposal.governance_model
        return {"governance_model": model, "version": model}

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            heading="Change the governance model",
            intro=" ".join(workflow.model_change_blockers(self.proposal)) or MODEL_CHANGE_INTRO,
            routes=True,
            back=self.get_success_url(),
            **kwargs,
        )

    def perform(self, form):
        return drafting.proposal_change_model(
            proposal=self.proposal,
            governance_model=form.cleaned_data["governance_model"],
            was=form.cleaned_data["version"],
            by=self.request.user,
        )

    def get_success_url(self):
        return reverse("proposals:detail", kwargs={"pk": self.proposal.pk})
