"""Consultees and independent assessors: the proposals open to them and their public record; a
consultee's representation; the PCC's response to each representation."""

import rules
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils.functional import cached_property
from django.views.generic import ListView, TemplateView

from .. import selectors, workflow
from ..forms.representations import AssessorsForm, RepresentationForm, ResponseForm
from ..models import BUSINESS_CASE_SECTIONS, DocumentKind, Proposal, Step
from ..services import representations as services
from ..services.drafting import record_version
from .base import ProposalMixin, RulePermissionMixin, ServiceFormView, stage_url
from .stage import StaleEditMixin


def public_record_url(proposal) -> str:
    return reverse("proposals:public-record", kwargs={"pk": proposal.pk})


class YourProposalsView(RulePermissionMixin, ListView):
    """A consultee's home: their police area's proposals. An assessor's: those assigned."""

    permission_required = "proposals.view_your_proposals"
    template_name = "proposals/your_proposals.html"
    context_object_name = "proposals"

    def get_queryset(self):
        return selectors.your_proposals(user=self.request.user)


class OpenToOutsidersMixin(ProposalMixin):
    """The proposal among those whose public record the user may read (else 404)."""

    def proposals(self):
        return Proposal.objects.open_to(self.request.user)


class PublicRecordView(OpenToOutsidersMixin, TemplateView):
    """What a consultee or assessor may read of a proposal: the business case as submitted,
    the consultation and its report, and the representations they may see."""

    template_name = "proposals/public_record.html"

    def get_context_data(self, **kwargs):
        user, proposal = self.request.user, self.proposal
        stages = {stage.step: stage for stage in proposal.stages.all()}
        return super().get_context_data(
            business_case_stage=stages[Step.BUSINESS_CASE],
            consultation_stage=stages.get(Step.CONSULTATION),
            revision=selectors.business_case_as_submitted(proposal=proposal),
            sections=BUSINESS_CASE_SECTIONS,
            consultation=getattr(proposal, "consultation", None),
            documents=selectors.documents_open_to(proposal=proposal, user=user).exclude(
                kind=DocumentKind.REPRESENTATION
            ),
            representations=selectors.representations_open_to(proposal=proposal, user=user),
            may_lodge=not workflow.representation_blockers(proposal, user),
            body_representation=services.body_representation(proposal=proposal, user=user),
            proposal_url=reverse("proposals:detail", kwargs={"pk": proposal.pk})
            if rules.has_perm("proposals.view_proposal", user, proposal)
            else None,
            **kwargs,
        )


class RepresentationView(StaleEditMixin, OpenToOutsidersMixin, ServiceFormView):
    """A consultee lodges, or changes, their body's representation during the consultation."""

    template_name = "proposals/representation_form.html"
    form_class = RepresentationForm
    version_field = "version"

    def dispatch(self, request, *args, **kwargs):
        user = request.user
        if user.is_authenticated:
            if not rules.has_perm("proposals.lodge_representation", user, self.proposal):
                raise PermissionDenied
            reasons = workflow.representation_blockers(self.proposal, user)
            if reasons:
                for reason in reasons:
                    messages.warning(request, reason)
                return redirect(public_record_url(self.proposal))
        return super().dispatch(request, *args, **kwargs)

    @cached_property
    def representation(self):
        return services.body_representation(proposal=self.proposal, user=self.request.user)

    def current_version(self):
        return record_version(
            services.body_representation(proposal=self.proposal, user=self.request.user)
        )

    def get_initial(self):
        initial = {"version": record_version(self.representation)}
        if self.representation:
            initial.update(
                position=self.representation.position, reasons=self.representation.reasons
            )
        return initial

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            heading=f"Representation of {self.request.user.consultee_body}",
            back=public_record_url(self.proposal),
            representation=self.representation,
            **kwargs,
        )

    def perform(self, form):
        document = form.cleaned_data.get("document")
        return services.representation_lodge(
            proposal=self.proposal,
            position=form.cleaned_data["position"],
            reasons=form.cleaned_data["reasons"],
            documents=[document] if document else [],
            version=form.cleaned_data["version"],
            by=self.request.user,
        )

    def get_success_message(self):
        return f"The representation of {self.result.body} is lodged."

    def get_success_url(self):
        return public_record_url(self.proposal)


class RepresentationRespondView(StaleEditMixin, ProposalMixin, ServiceFormView):
    """The PCC's staff or signatory record the PCC's response to one representation."""

    template_name = "proposals/form_page.html"
    form_class = ResponseForm
    version_field = "version"
    success_message = "The response is saved."

    @cached_property
    def representation(self):
        return get_object_or_404(
            selectors.representations_open_to(proposal=self.proposal, user=self.request.user),
            pk=self.kwargs["representation_pk"],
        )

    @cached_property
    def consultation_url(self):
        return stage_url(self.proposal.stages.get(step=Step.CONSULTATION))

    def dispatch(self, request, *args, **kwargs):
        user = request.user
        if user.is_authenticated:
            if not rules.has_perm("proposals.respond_to_representation", user, self.proposal):
                raise PermissionDenied
            reasons = workflow.response_blockers(self.proposal, user)
            if reasons:
                for reason in reasons:
                    messages.warning(request, reason)
                return redirect(self.consultation_url)
        return super().dispatch(request, *args, **kwargs)

    def current_version(self):
        self.representation.refresh_from_db()
        return record_version(self.representation)

    def get_initial(self):
        return {
            "response": self.representation.response,
            "version": record_version(self.representation),
        }

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            heading=f"Respond to {self.representation.body}",
            intro=f"{self.representation.body}: {self.representation.get_position_display()}. "
            f"{self.representation.reasons}",
            back=self.consultation_url,
            **kwargs,
        )

    def perform(self, form):
        return services.representation_respond(
            representation=self.representation,
            response=form.cleaned_data["response"],
            version=form.cleaned_data["version"],
            by=self.request.user,
        )

    def get_success_url(self):
        return self.consultation_url


class AssessorsView(StaleEditMixin, ProposalMixin, ServiceFormView):
    """A reviewer assigns the independent assessors of a proposal."""

    template_name = "proposals/form_page.html"
    form_class = AssessorsForm
    version_field = "version"
    success_message = "Independent assessors saved."

    def forbidden(self):
        return not rules.has_perm("proposals.review_proposal", self.request.user, self.proposal)

    def current_version(self):
        self.proposal.refresh_from_db()
        return record_version(self.proposal)

    def get_initial(self):
        return {
            "assessors": list(self.proposal.assessors.all()),
            "version": record_version(self.proposal),
        }

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            heading="Choose the independent assessors", back=self.get_success_url(), **kwargs
        )

    def perform(self, form):
        return services.proposal_assign_assessors(
            proposal=self.proposal,
            assessors=form.cleaned_data["assessors"],
            version=form.cleaned_data["version"],
            by=self.request.user,
        )

    def get_success_url(self):
        return reverse("proposals:detail", kwargs={"pk": self.proposal.pk})
