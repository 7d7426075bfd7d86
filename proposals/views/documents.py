"""Uploading documents to a stage, and handing them back only to people who may see them."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse
from django.shortcuts import get_object_or_404, redirect
from django.utils.functional import cached_property
from django.utils.http import url_has_allowed_host_and_scheme
from django.views import View
from django.views.generic import FormView, TemplateView

from .. import selectors, workflow
from ..forms.documents import DocumentReplaceForm, DocumentUploadForm
from ..models import Proposal
from ..services.documents import document_remove, document_replace, document_upload
from .base import LockedStageMixin, ProposalMixin, StageMixin, refuse, stage_url


class DocumentUploadView(LockedStageMixin, StageMixin, FormView):
    """Upload a document to a stage: 404 for another PCC's proposal, 403 for people whose role
    never changes this stage, and back to the stage with the reason when it is locked now."""

    form_class = DocumentUploadForm
    assessor_may_open = True
    template_name = "proposals/document_upload.html"

    def form_valid(self, form):
        try:
            document = document_upload(
                stage=self.stage,
                kind=form.cleaned_data["kind"],
                uploaded_file=form.cleaned_data["file"],
                by=self.request.user,
            )
        except ValidationError as error:
            form.add_error(None, error)
            return self.form_invalid(form)
        except workflow.TransitionRefused:
            raise PermissionDenied from None
        messages.success(self.request, f"{document.original_name} has been uploaded")
        return redirect(self.get_success_url())

    @cached_property
    def next_url(self) -> str | None:
        """Where the person came from, when it is a path on this site."""
        url = self.request.POST.get("next") or self.request.GET.get("next")
        if url and url_has_allowed_host_and_scheme(
            url, allowed_hosts={self.request.get_host()}, require_https=self.request.is_secure()
        ):
            return url
        return None

    def get_success_url(self):
        return self.next_url or stage_url(self.stage)

    def get_context_data(self, **kwargs):
        back_url = self.next_url or stage_url(self.stage)
        return super().get_context_data(next_url=self.next_url, back_url=back_url, **kwargs)


class DocumentChangeMixin(LockedStageMixin, ProposalMixin):
    """A document of the proposal (else 404) that may be removed or replaced while its stage
    is in progress or returned (workflow.document_change_blockers): people whose role never
    changes the stage get 403; once it is submitted, or for the generated submission pack,
    they go back to the stage with why."""

    @cached_property
    def document(self):
        return get_object_or_404(
            self.proposal.documents.select_related("stage__proposal").filter(stage__isnull=False),
            pk=self.kwargs["document_pk"],
        )

    def locked_stage(self):
        return self.document.stage

    def change_blockers(self, stage) -> list[str]:
        return workflow.document_change_blockers(self.document, self.request.user)

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            document=self.document,
            stage=self.document.stage,
            back_url=stage_url(self.document.stage),
            **kwargs,
        )


class DocumentRemoveView(DocumentChangeMixin, TemplateView):
    """Are you sure? Then the document is removed (POST)."""

    template_name = "proposals/document_remove.html"

    def post(self, request, *args, **kwargs):
        stage, name = self.document.stage, self.document.original_name
        try:
            document_remove(document=self.document, by=request.user)
        except workflow.TransitionRefused as refusal:
            return refuse(request, refusal, stage_url(stage))
        messages.success(request, f"{name} has been removed")
        return redirect(stage_url(stage))


class DocumentReplaceView(DocumentChangeMixin, FormView):
    form_class = DocumentReplaceForm
    template_name = "proposals/document_replace.html"

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "kind": self.document.kind}

    def form_valid(self, form):
        stage, name = self.document.stage, self.document.original_name
        try:
            replacement = document_replace(
                document=self.document,
                uploaded_file=form.cleaned_data["file"],
                by=self.request.user,
            )
        except ValidationError as error:
            form.add_error(None, error)
            return self.form_invalid(form)
        except workflow.TransitionRefused as refusal:
            return refuse(self.request, refusal, stage_url(stage))
        messages.success(self.request, f"{name} has been replaced by {replacement.original_name}")
        return redirect(stage_url(stage))


class DocumentDownloadView(ProposalMixin, View):
    """A document the user may see, as an attachment; anything else is 404. Consultees and
    assessors get the documents of the public record (selectors.documents_open_to)."""

    def proposals(self):
        return Proposal.objects.open_to(self.request.user)

    def get(self, request, *args, **kwargs):
        document = get_object_or_404(
            selectors.documents_open_to(proposal=self.proposal, user=request.user),
            pk=self.kwargs["document_pk"],
        )
        response = FileResponse(
            document.file.open("rb"),
            as_attachment=True,
            filename=document.original_name,
            content_type=document.content_type,
        )
        response["X-Content-Type-Options"] = "nosniff"
        return response
