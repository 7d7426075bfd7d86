"""One stage of a proposal: its page, the workflow's buttons, and the details each step records."""

import rules
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import redirect
from django.views.generic import TemplateView, View

from .. import selectors, workflow
from ..forms.base import ReasonForm
from ..forms.drafting import ConsultationForm, CouncilPositionsForm
from ..forms.review import AssessmentForm, DecisionForm, OrderForm, SignOffForm
from ..messaging import with_told
from ..models import Step
from ..models.choices import OPEN_STAGE_STATUSES
from ..pdf import render_pdf
from ..services import drafting, pack
from ..services import workflow as workflow_services
from .base import (
    DueDateFormMixin,
    LockedStageMixin,
    ProposalMixin,
    ServiceFormView,
    StageMixin,
    proposal_page_url,
    refuse,
    stage_url,
)

#: The form each step's details are recorded with (the record lives in drafting.STAGE_RECORDS).
DETAILS_FORMS = {
    Step.CONSULTATION: ConsultationForm,
    Step.INDEPENDENT_ASSESSMENT: AssessmentForm,
    Step.DECISION: DecisionForm,
    Step.ORDER: OrderForm,
}
#: The steps whose pages show the statutory test limb by limb.
LIMB_STEPS = (Step.INDEPENDENT_ASSESSMENT, Step.DECISION)
ACTION_MESSAGES = {
    "submit": "Submitted for review.",
    "approve": "Stage approved. The next stage is open.",
    "revise": "You can now revise this stage and submit it again.",
    "complete": "Stage marked as complete.",
}
PACK_UP_TO_DATE = "The submission pack is up to date with the record."


class StageDetailView(StageMixin, TemplateView):
    template_name = "proposals/stage_detail.html"
    assessor_may_open = True

    def get_context_data(self, **kwargs):
        user, stage = self.request.user, self.stage
        actions = workflow.available_actions(stage, user, workflow.STAGE_ACTIONS)
        editable = not workflow.edit_blockers(stage, user)
        return super().get_context_data(
            stage_step=Step(stage.step),
            actions=[(name, workflow.label(getattr(stage, name))) for name in actions],
            missing=workflow.missing_content(stage) if editable else [],
            can_edit=editable,
            can_upload=editable,
            can_change_documents=not workflow.edit_blockers(
                stage, user, statuses=workflow.DOCUMENTS_CHANGEABLE
            ),
            can_sign_off=stage.step == Step.SUBMISSION
            and rules.has_perm("proposals.sign_off_submission", user, stage.proposal)
            and stage.signed_off_at is None
            and editable,
            can_set_due_date=rules.has_perm("proposals.review_proposal", user, stage.proposal)
            and not stage.is_closed
            and not stage.proposal.is_finished,
            record=drafting.stage_record(stage) if stage.step in DETAILS_FORMS else None,
            positions=stage.proposal.council_positions.select_related("local_authority")
            if stage.step == Step.CONSULTATION
            else None,
            documents=selectors.stage_documents(stage=stage),
            representations=selectors.representations_open_to(proposal=stage.proposal, user=user)
            if stage.step == Step.CONSULTATION
            else None,
            can_respond=stage.step == Step.CONSULTATION
            and not workflow.response_blockers(stage.proposal, user),
            proposal_url=proposal_page_url(stage.proposal, user),
            limbs=selectors.decision_record(proposal=stage.proposal)
            if stage.step in LIMB_STEPS
            else None,
            show_decision=stage.step == Step.DECISION,
            **self.submission_pack_context(editable),
            **kwargs,
        )

    def submission_pack_context(self, editable: bool) -> dict:
        """The submission stage's pack and, while the stage is open, whether it is current
        (once submitted it is the pack the Home Secretary received, frozen)."""
        stage = self.stage
        if stage.step != Step.SUBMISSION:
            return {}
        submission_pack = selectors.submission_pack(stage=stage)
        return {
            "submission_pack": submission_pack,
            "pack_current": pack.is_current(submission_pack, stage)
            if submission_pack and stage.status in OPEN_STAGE_STATUSES
            else None,
            "can_generate_pack": editable,
        }


class SubmissionPackView(LockedStageMixin, StageMixin, View):
    """POST: PCC people make the submission pack now, to read it before submitting (it is
    made again on submission whenever the record has changed since)."""

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated and self.stage.step != Step.SUBMISSION:
            raise Http404
        return super().dispatch(request, *args, **kwargs)

    def post(self, request, *args, **kwargs):
        try:
            pack.submission_pack_generate(stage=self.stage, by=request.user)
        except workflow.TransitionRefused as refusal:
            return refuse(request, refusal, stage_url(self.stage))
        messages.success(request, PACK_UP_TO_DATE)
        return redirect(stage_url(self.stage))


class DecisionRecordPdfView(ProposalMixin, View):
    """The decision record as a PDF: each limb's finding beside the assessor's conclusion,
    the ground relied on and what was weighed, as the decision page shows them."""

    def get(self, request, *args, **kwargs):
        pdf = render_pdf(
            "proposals/decision_record_pdf.html",
            {"record": selectors.decision_record(proposal=self.proposal), "show_decision": True},
        )
        response = HttpResponse(pdf, content_type="application/pdf")
        response["Content-Disposition"] = (
            f'attachment; filename="decision-record-{self.proposal.pk}.pdf"'
        )
        response["X-Content-Type-Options"] = "nosniff"
        return response


class StageActionView(StageMixin, View):
    """POST-only buttons: submit, approve, revise, complete."""

    def post(self, request, *args, **kwargs):
        action = self.kwargs["action"]
        if action not in ACTION_MESSAGES:
            raise Http404
        if not workflow.may_ever(getattr(self.stage, action), request.user):
            raise PermissionDenied
        try:
            stage = workflow_services.stage_transition(
                stage=self.stage, action=action, by=request.user
            )
        except workflow.TransitionRefused as refusal:
            return refuse(request, refusal, stage_url(self.stage))
        messages.success(request, with_told(ACTION_MESSAGES[action], stage))
        return redirect(stage_url(self.stage))


class StageReturnView(StageMixin, ServiceFormView):
    """A reviewer returns a submitted stage to the PCC with reasons."""

    template_name = "proposals/form_page.html"
    form_class = ReasonForm
    success_message = "Stage returned to the PCC with your reasons."

    def forbidden(self):
        return not workflow.may_ever(self.stage.return_to_pcc, self.request.user)

    def get_form_kwargs(self):
        return {
            **super().get_form_kwargs(),
            "submit": "Return with reasons",
            "label": "Why is this stage being returned?",
            "hint": "The PCC will see these reasons on the stage and in its history.",
        }

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            heading=f"Return the {Step(self.stage.step).label.lower()} stage",
            back=stage_url(self.stage),
            **kwargs,
        )

    def perform(self, form):
        return workflow_services.stage_transition(
            stage=self.stage,
            action="return_to_pcc",
            by=self.request.user,
            reason=form.cleaned_data["reason"],
        )

    def get_success_url(self):
        return stage_url(self.stage)


class SignOffView(StageMixin, ServiceFormView):
    """The PCC signatory reads what they are signing and declares it: the sign-off of the
    submission to the Home Secretary."""

    template_name = "proposals/sign_off.html"
    form_class = SignOffForm
    success_message = "You have signed off the submission to the Home Secretary."

    def forbidden(self):
        if self.stage.step != Step.SUBMISSION:
            raise Http404
        return not rules.has_perm("proposals.sign_off_submission", self.request.user, self.proposal)

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            package=selectors.submission_package(proposal=self.proposal), **kwargs
        )

    def perform(self, form):
        return workflow_services.submission_sign_off(
            stage=self.stage, confirmed=form.cleaned_data["confirmed"], by=self.request.user
        )

    def get_success_url(self):
        return stage_url(self.stage)


class DueDateView(DueDateFormMixin, StageMixin, ServiceFormView):
    def forbidden(self):
        return not rules.has_perm("proposals.review_proposal", self.request.user, self.proposal)

    def get_initial(self):
        return {"due_date": self.stage.due_date}

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            heading="Set the due date", back=stage_url(self.stage), **kwargs
        )

    def perform(self, form):
        return workflow_services.stage_set_due_date(
            stage=self.stage,
            due_date=form.cleaned_data["due_date"],
            reason=form.cleaned_data["reason"],
            past_confirmed=form.cleaned_data["past_confirmed"],
            by=self.request.user,
        )

    def get_success_url(self):
        return stage_url(self.stage)


VERSION_UNREADABLE = (
    "This page could not tell which saved version you started from, so nothing was saved. "
    "Your answers are kept: check them, then save again."
)


class StaleEditMixin:
    """On a stale save: explain, show what is saved now, keep the editor's input, and let the
    next save (made knowingly) go through."""

    def form_valid(self, form):
        try:
            return super().form_valid(form)
        except drafting.StaleEdit as stale:
            form.add_error(None, drafting.STALE_EDIT)
            self.start_from_current_version(form)
            return self.render_to_response(self.get_context_data(form=form, stale=stale.current))

    def form_invalid(self, form):
        if self.version_field in form.errors:
            # The version travels in a hidden field, which the error summary does not list and
            # only a changed page gets wrong: say so where people read errors.
            del form.errors[self.version_field]
            form.add_error(None, VERSION_UNREADABLE)
            self.start_from_current_version(form)
        return super().form_invalid(form)

    def start_from_current_version(self, form):
        """Base the form shown again on what is saved now, keeping everything else typed."""
        data = form.data.copy()
        data[self.version_field] = self.current_version()
        form.data = data


class StageDetailsView(StaleEditMixin, LockedStageMixin, StageMixin, ServiceFormView):
    """Record a step's details: consultation (PCC), assessment (reviewers and the assigned
    independent assessor), decision, order (reviewers)."""

    template_name = "proposals/form_page.html"
    assessor_may_open = True
    success_message = "Saved."
    version_field = "version"

    def locked_stage(self):
        if self.stage.step not in DETAILS_FORMS:
            raise Http404
        return self.stage

    def get_form_class(self):
        return DETAILS_FORMS[self.stage.step]

    def current_version(self):
        return drafting.record_version(drafting.stage_record(self.stage))

    def get_initial(self):
        record = drafting.stage_record(self.stage)
        form_class = self.get_form_class()
        initial = (
            {field: getattr(record, field) for field in form_class.record_fields} if record else {}
        )
        return {**initial, "version": self.current_version()}

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            heading=f"{Step(self.stage.step).label} details", back=stage_url(self.stage), **kwargs
        )

    def perform(self, form):
        return drafting.stage_details_save(
            stage=self.stage,
            by=self.request.user,
            version=form.cleaned_data["version"],
            values={field: form.cleaned_data[field] for field in form.record_fields},
        )

    def get_success_url(self):
        return stage_url(self.stage)


class CouncilPositionsView(StaleEditMixin, LockedStageMixin, StageMixin, ServiceFormView):
    template_name = "proposals/form_page.html"
    form_class = CouncilPositionsForm
    success_message = "Council positions saved."
    version_field = "version"

    def locked_stage(self):
        if self.stage.step != Step.CONSULTATION:
            raise Http404
        return self.stage

    def current_version(self):
        return drafting.council_positions_version(self.proposal)

    def get_form_kwargs(self):
        # A council that lodged its own representation has its position from it.
        councils = self.proposal.pcc.local_authorities.exclude(
            representations__proposal=self.proposal
        )
        return {**super().get_form_kwargs(), "councils": councils}

    def get_initial(self):
        initial = {"version": self.current_version()}
        for position in self.proposal.council_positions.all():
            prefix = f"council_{position.local_authority_id}"
            initial.update(
                {
                    f"{prefix}_position": position.position,
                    f"{prefix}_stated_on": position.stated_on,
                    f"{prefix}_evidence": position.evidence,
                }
            )
        return initial

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            heading="Councils' positions", back=stage_url(self.stage), **kwargs
        )

    def perform(self, form):
        return drafting.council_positions_save(
            stage=self.stage,
            positions=form.positions(),
            version=form.cleaned_data["version"],
            by=self.request.user,
        )

    def get_success_url(self):
        return stage_url(self.stage)
