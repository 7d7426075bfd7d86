"""Uploading documents to a stage, and handing them back only to people who may see them."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse
from django.shortcuts import get_object_or_404, redirect
from django.utils.functional import cached_property
from django.utils.http import url_has_allowed_host_and_scheme
from django.views import View
from django.views.generic import FormView

from .. import workflow
from ..forms.documents import DocumentUploadForm
from ..services.documents import document_upload
from .base import LockedStageMixin, ProposalMixin, StageMixin, stage_url


class DocumentUploadView(LockedStageMixin, StageMixin, FormView):
    """Upload a document to a stage: 404 for another PCC's proposal, 403 for people whose role
    never changes this stage, and back to the stage with the reason when it is locked now."""

    form_class = DocumentUploadForm
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


class DocumentDownloadView(ProposalMixin, View):
    """A document of a proposal the user may see, as an attachment; anything else is 404."""

    def get(self, request, *args, **kwargs):
        document = get_object_or_404(self.proposal.documents, pk=self.kwargs["document_pk"])
        response = FileResponse(
            document.file.open("rb"),
            as_attachment=True,
            filename=document.original_name,
            content_type=document.content_type,
        )
        response["X-Content-Type-Options"] = "nosniff"
        return response
