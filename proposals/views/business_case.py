"""Drafting the business case: task list, sections, duties, check your answers, revisions."""

from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect
from django.urls import reverse
from django.views.generic import TemplateView

from .. import workflow
from ..diff import COMPARE_MAX_WORDS, marked_pair
from ..forms.drafting import DutiesForm, SectionForm
from ..models import SECTIONS_BY_FIELD, BusinessCaseRevision, Step, business_case_sections
from ..selectors import revision_pair
from ..services import drafting
from .base import LockedStageMixin, ProposalMixin, ServiceFormView
from .stage import StaleEditMixin

DUTIES = "duties"


class BusinessCaseMixin(ProposalMixin):
    def get_stage(self):
        return self.proposal.stages.get(step=Step.BUSINESS_CASE)

    def latest(self):
        return drafting.business_case_latest(self.proposal)

    def get_context_data(self, **kwargs):
        return super().get_context_data(stage=self.get_stage(), **kwargs)


class BusinessCaseEditMixin(BusinessCaseMixin, LockedStageMixin):
    """A form that saves the next revision: locked with the stage, back to the task list after,
    and a save that changes nothing says so and makes no revision."""

    template_name = "proposals/form_page.html"
    version_field = "base_revision"

    def locked_stage(self):
        return self.get_stage()

    def locked_url(self):
        return self.get_success_url()

    def current_version(self):
        latest = self.latest()
        return latest.number if latest else 0

    def get_success_message(self) -> str:
        return drafting.REVISION_SAVED.format(number=self.result.number)

    def form_valid(self, form):
        try:
            return super().form_valid(form)
        except drafting.NothingChanged:
            messages.info(self.request, drafting.NOTHING_CHANGED)
            return redirect(self.get_success_url())

    def get_success_url(self):
        return reverse("proposals:business-case", kwargs={"pk": self.proposal.pk})


class TaskListView(BusinessCaseMixin, TemplateView):
    """The GOV.UK task list: each section's status, then check your answers."""

    template_name = "proposals/business_case.html"

    def get_context_data(self, **kwargs):
        latest = self.latest()
        stage = self.get_stage()
        tasks = [
            (section.label, section.field, bool(latest and getattr(latest, section.field).strip()))
            for section in business_case_sections(self.proposal.governance_model)
        ]
        duties_done = bool(latest and latest.duty_evidence.exists())
        return super().get_context_data(
            latest=latest,
            tasks=tasks,
            duties_done=duties_done,
            document_done=stage.documents.filter(kind="business_case").exists(),
            can_edit=not workflow.edit_blockers(stage, self.request.user),
            **kwargs,
        )


class SectionEditView(StaleEditMixin, BusinessCaseEditMixin, ServiceFormView):
    form_class = SectionForm

    def locked_stage(self):
        section = SECTIONS_BY_FIELD.get(self.kwargs["section"])
        if section not in business_case_sections(self.proposal.governance_model):
            raise Http404
        return super().locked_stage()

    @property
    def section(self):
        return SECTIONS_BY_FIELD[self.kwargs["section"]]

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "section": self.section}

    def get_initial(self):
        latest = self.latest()
        return {
            "text": getattr(latest, self.section.field) if latest else "",
            "base_revision": self.current_version(),
        }

    def get_context_data(self, **kwargs):
        return super().get_context_data(section=self.section, **kwargs)

    def perform(self, form):
        return drafting.business_case_section_save(
            proposal=self.proposal,
            section=self.section.field,
            text=form.cleaned_data["text"],
            base_revision=form.cleaned_data["base_revision"],
            by=self.request.user,
        )


class DutiesEditView(StaleEditMixin, BusinessCaseEditMixin, ServiceFormView):
    form_class = DutiesForm

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "pcc": self.proposal.pcc}

    def get_initial(self):
        latest = self.latest()
        initial = {"base_revision": self.current_version()}
        if latest:
            for item in latest.duty_evidence.select_related("duty").prefetch_related("agreements"):
                initial[DutiesForm.field_name(item.duty)] = item.evidence
                initial[DutiesForm.cited_name(item.duty)] = [a.pk for a in item.agreements.all()]
        return initial

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            heading="Collaboration duties addressed",
            intro="The Policing and Crime Act 2017 puts duties on police, fire and ambulance "
            "services to collaborate. Say how the proposal addresses each one that applies; "
            "leave the others blank.",
            **kwargs,
        )

    def perform(self, form):
        return drafting.business_case_duties_save(
            proposal=self.proposal,
            evidence=form.evidence(),
            cited=form.cited(),
            base_revision=form.cleaned_data["base_revision"],
            by=self.request.user,
        )


class CheckAnswersView(BusinessCaseMixin, TemplateView):
    """Check your answers, then submit the business case for review."""

    template_name = "proposals/check_answers.html"

    def get_context_data(self, **kwargs):
        latest = self.latest()
        stage = self.get_stage()
        return super().get_context_data(
            latest=latest,
            sections=[
                (section, getattr(latest, section.field) if latest else "")
                for section in business_case_sections(self.proposal.governance_model)
            ],
            duty_evidence=latest.duty_evidence.select_related("duty").prefetch_related("agreements")
            if latest
            else [],
            documents=stage.documents.select_related("uploaded_by"),
            missing=workflow.missing_content(stage),
            can_submit="submit"
            in workflow.available_actions(stage, self.request.user, workflow.STAGE_ACTIONS),
            **kwargs,
        )


class RevisionsView(ProposalMixin, TemplateView):
    template_name = "proposals/revisions.html"

    def get_context_data(self, **kwargs):
        revisions = self.proposal.revisions.select_related("created_by").order_by("-number")
        return super().get_context_data(revisions=revisions, **kwargs)


class CompareView(ProposalMixin, TemplateView):
    """Two revisions side by side, removed words struck through and added words marked."""

    template_name = "proposals/compare.html"

    def get_context_data(self, **kwargs):
        try:
            older, newer = sorted(int(self.request.GET[key]) for key in ("from", "to"))
            old, new = revision_pair(proposal=self.proposal, older=older, newer=newer)
        except (KeyError, ValueError, BusinessCaseRevision.DoesNotExist):
            raise Http404("Choose two revisions to compare") from None
        rows = [
            (
                section.label,
                *marked_pair(getattr(old, section.field), getattr(new, section.field)),
                getattr(old, section.field) != getattr(new, section.field),
            )
            for section in business_case_sections(self.proposal.governance_model)
        ]
        old_duties = {item.duty: item.evidence for item in old.duty_evidence.all()}
        new_duties = {item.duty: item.evidence for item in new.duty_evidence.all()}
        for duty in sorted(old_duties.keys() | new_duties.keys(), key=lambda d: d.position):
            before, after = old_duties.get(duty, ""), new_duties.get(duty, "")
            rows.append((duty.provision, *marked_pair(before, after), before != after))
        return super().get_context_data(
            old=old, new=new, rows=rows, compare_max_words=COMPARE_MAX_WORDS, **kwargs
        )
