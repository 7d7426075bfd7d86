"""Adding documents to a proposal's stage."""

import hashlib
import os

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction

from .. import workflow
from ..documents import detect_document_type
from ..models import Document, Stage
from .audit import audit_record
from .workflow import stage_locked, stage_sign_off_clear

# GOV.UK Design System file upload error messages.
EMPTY_FILE = "The selected file is empty"
FILE_TOO_BIG = "The selected file must be smaller than {limit} MB"
WRONG_TYPE = "The selected file must be a PDF, DOCX, ODT, XLSX, ODS or CSV"

MEGABYTE = 1024 * 1024
ORIGINAL_NAME_MAX_LENGTH = Document._meta.get_field("original_name").max_length


def document_size_limit_in_words() -> str:
    """The upload cap as people read it: "20", or "2.5" for a fractional cap."""
    return f"{settings.DOCUMENT_MAX_BYTES / MEGABYTE:g}"


@transaction.atomic
def document_upload(*, stage: Stage, kind: str, uploaded_file, by) -> Document:
    """Store `uploaded_file` as a `kind` document of `stage` and audit it.

    Raises workflow.TransitionRefused when `by` may not change the stage now, and
    ValidationError on `file` when it is empty, over settings.DOCUMENT_MAX_BYTES, not a PDF,
    DOCX, ODT, XLSX, ODS or CSV by its content. The file is stored under a name made from its
    checksum, never the uploader's; the name shown keeps the uploader's, with the extension of
    the type found.
    """
    stage = stage_locked(stage)
    reasons = workflow.edit_blockers(stage, by)
    if reasons:
        raise workflow.TransitionRefused(reasons)
    if not uploaded_file.size:
        raise ValidationError({"file": EMPTY_FILE})
    if uploaded_file.size > settings.DOCUMENT_MAX_BYTES:
        raise ValidationError({"file": FILE_TOO_BIG.format(limit=document_size_limit_in_words())})
    document_type = detect_document_type(uploaded_file)
    if document_type is None:
        raise ValidationError({"file": WRONG_TYPE})
    # Browsers send a bare name, but nothing obliges a client to: keep only the last part.
    original_name = os.path.basename(uploaded_file.name.replace("\\", "/"))
    stem, extension = os.path.splitext(original_name.strip())
    # The content decides the type; the name follows it, so a DOCX called report.pdf comes
    # back down as report.docx rather than as a broken PDF.
    if extension.lower() != f".{document_type.extension}":
        extension = f".{document_type.extension}"
    original_name = (stem or "document")[: ORIGINAL_NAME_MAX_LENGTH - len(extension)] + extension

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
    )
    document.full_clean(exclude=["file"])
    # upload_to names the file from the checksum, so it is set before the file is saved.
    document.file.save(document.sha256, uploaded_file, save=False)
    try:
        document.save()
        audit_record(
            actor=by,
            action="document.uploaded",
            target=document,
            proposal=stage.proposal,
            after={
                "name": document.original_name,
                "kind": document.kind,
                "size": document.size_bytes,
                "sha256": document.sha256,
                "stage": stage.get_step_display(),
            },
        )
        stage_sign_off_clear(stage=stage, by=by, because="a document was uploaded")
    except Exception:
        # If the row or its audit event cannot be written, the stored file goes too.
        document.file.delete(save=False)
        raise
    return document
