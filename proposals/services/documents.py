"""Adding documents to a proposal's stage."""

import hashlib
import os

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction

from .. import workflow
from ..documents import ACCEPTED_TYPES_BY_KIND, detect_document_type, type_named, types_in_words
from ..models import Document, DocumentKind, Stage, Step
from .audit import audit_record
from .workflow import stage_locked, stage_sign_off_clear

# GOV.UK Design System file upload error messages.
EMPTY_FILE = "The selected file is empty"
FILE_TOO_BIG = "The selected file must be smaller than {limit} MB"
#: `types` are what the chosen kind of document accepts (documents.ACCEPTED_TYPES_BY_KIND).
WRONG_TYPE = "The selected file must be a {types}"
NOT_WHAT_ITS_NAME_SAYS = (
    "The selected file is named as a {type} but it is not one: check you chose the right file"
)


MEGABYTE = 1024 * 1024
ORIGINAL_NAME_MAX_LENGTH = Document._meta.get_field("original_name").max_length


def document_size_limit_in_words() -> str:
    """The upload cap as people read it: "20", or "2.5" for a fractional cap."""
    return f"{settings.DOCUMENT_MAX_BYTES / MEGABYTE:g}"


def _checked_file(*, kind: str, uploaded_file) -> tuple:
    """(the name to show, the type) of an acceptable `kind` document, else ValidationError on
    `file`: empty, over settings.DOCUMENT_MAX_BYTES, a name that is not one of the kind's
    types, or content that is not what the name says. The name shown is the uploader's."""
    if not uploaded_file.size:
        raise ValidationError({"file": EMPTY_FILE})
    if uploaded_file.size > settings.DOCUMENT_MAX_BYTES:
        raise ValidationError({"file": FILE_TOO_BIG.format(limit=document_size_limit_in_words())})
    # Browsers send a bare name, but nothing obliges a client to: keep only the last part.
    original_name = os.path.basename(uploaded_file.name.replace("\\", "/")).strip()
    accepted = ACCEPTED_TYPES_BY_KIND[kind]
    named_type = type_named(original_name)
    if named_type not in accepted:
        raise ValidationError({"file": WRONG_TYPE.format(types=types_in_words(accepted))})
    if detect_document_type(uploaded_file) != named_type:
        raise ValidationError({"file": NOT_WHAT_ITS_NAME_SAYS.format(type=named_type.name)})
    stem, extension = os.path.splitext(original_name)
    original_name = (stem or "document")[: ORIGINAL_NAME_MAX_LENGTH - len(extension)] + extension
    return original_name, named_type


def _described(document: Document) -> dict:
    return {
        "name": document.original_name,
        "kind": document.kind,
        "size": document.size_bytes,
        "sha256": document.sha256,
        "stage": document.stage.get_step_display(),
    }


def _store(
    *, stage: Stage, kind: str, uploaded_file, by, action: str, before=None, representation=None
) -> Document:
    """Check and store `uploaded_file` as a `kind` document of `stage`, audited as `action`
    (`before`: what it replaces; `representation`: the one it supports). If the row or its
    audit cannot be written, the stored file goes too."""
    original_name, document_type = _checked_file(kind=kind, uploaded_file=uploaded_file)
    checksum = hashlib.sha256()
    for chunk in uploaded_file.chunks():
        checksum.update(chunk)
    document = Document(
        proposal=stage.proposal,
        stage=stage,
        kind=kind,
        original_name=original_name,
        content_type=document_type.content_type,
        size_bytes=uploaded_file.size,
        sha256=checksum.hexdigest(),
        uploaded_by=by,
        representation=representation,
    )
    document.full_clean(exclude=["file"])
    # upload_to names the file from the checksum, so it is set before the file is saved.
    document.file.save(document.sha256, uploaded_file, save=False)
    try:
        document.save()
        audit_record(
            actor=by,
            action=action,
            target=document,
            proposal=stage.proposal,
            before=before or {},
            after=_described(document),
        )
    except Exception:
        document.file.delete(save=False)
        raise
    return document


def document_store(*, stage: Stage, kind: str, uploaded_file, by) -> Document:
    """Check, store and audit `uploaded_file` as a `kind` document of `stage`, for services
    that have already decided `by` may add it (e.g. evidence for the implementation checklist,
    kept with the order stage after the stage closed). ValidationError as document_upload."""
    return _store(
        stage=stage, kind=kind, uploaded_file=uploaded_file, by=by, action="document.uploaded"
    )


@transaction.atomic
def document_upload(*, stage: Stage, kind: str, uploaded_file, by) -> Document:
    """Store `uploaded_file` as a `kind` document of `stage` and audit it.

    Raises workflow.TransitionRefused when `by` may not change the stage now, and
    ValidationError on `file` when it is not acceptable (see _checked_file). The file is stored
    under a name made from its checksum, never the uploader's; the name shown is the
    uploader's. A new document of a signed-off submission clears the sign-off.
    """
    stage = stage_locked(stage)
    reasons = workflow.edit_blockers(stage, by)
    if reasons:
        raise workflow.TransitionRefused(reasons)
    document = _store(
        stage=stage, kind=kind, uploaded_file=uploaded_file, by=by, action="document.uploaded"
    )
    stage_sign_off_clear(stage=stage, by=by, because="a document was uploaded")
    return document


def representation_document_store(*, representation, uploaded_file, by) -> Document:
    """Store `uploaded_file` as a document of `representation`, on the consultation stage, and
    audit it. The caller (services.representations) has checked who may, and when; raises
    ValidationError on `file` when it is not acceptable."""
    return _store(
        stage=representation.proposal.stages.get(step=Step.CONSULTATION),
        kind=DocumentKind.REPRESENTATION,
        uploaded_file=uploaded_file,
        by=by,
        action="document.uploaded",
        representation=representation,
    )


def _locked_changeable(document: Document, by) -> Document:
    """`document` and its stage, locked, if `by` may remove or replace it now
    (workflow.document_change_blockers), else TransitionRefused."""
    stage = Document.objects.select_related("stage").get(pk=document.pk).stage
    stage = stage_locked(stage) if stage else None  # the proposal, then the stage, as ever
    document = Document.objects.select_for_update().select_related("proposal").get(pk=document.pk)
    if stage:
        document.stage = stage
    reasons = workflow.document_change_blockers(document, by)
    if reasons:
        raise workflow.TransitionRefused(reasons)
    return document


def _discard(document: Document) -> None:
    """Delete the row now and its stored file once the deletion is committed."""
    file = document.file
    document.delete()
    transaction.on_commit(lambda: file.delete(save=False))


@transaction.atomic
def document_remove(*, document: Document, by) -> None:
    """Remove a wrong document from its stage while the stage is in progress or returned
    (never once submitted), audited with what it was. Its stored file is deleted after
    commit. Clears a submission's sign-off."""
    document = _locked_changeable(document, by)
    audit_record(
        actor=by,
        action="document.removed",
        target=document,
        proposal=document.proposal,
        before=_described(document),
    )
    _discard(document)
    stage_sign_off_clear(stage=document.stage, by=by, because="a document was removed")


@transaction.atomic
def document_replace(*, document: Document, uploaded_file, by) -> Document:
    """Put `uploaded_file` in place of `document` (same stage and kind), under the same
    rules as document_remove and the same checks as document_upload; one audit event says
    what was replaced by what."""
    document = _locked_changeable(document, by)
    stage = document.stage
    replacement = _store(
        stage=stage,
        kind=document.kind,
        uploaded_file=uploaded_file,
        by=by,
        action="document.replaced",
        before=_described(document),
    )
    _discard(document)
    stage_sign_off_clear(stage=stage, by=by, because="a document was replaced")
    return replacement
