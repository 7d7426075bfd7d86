"""The submission pack: one PDF for the Home Secretary, made from the record and stored as a
document of the submission stage.

The pack records the SHA-256 of the contents it was rendered from (the pack's HTML, which
holds everything it shows). Any change to what it holds before submission (a business case
revision, the consultation or a council's position, a document added, replaced or removed, the
sign-off given or cleared, a representation lodged or answered) gives other contents, so the
stored pack is out of date: the stage page says so, PCC people may regenerate it to read it,
and submitting the stage regenerates it, so the Home Secretary receives the pack of exactly
what was submitted. Once submitted the stage is locked, and so is its pack.
"""

import hashlib

from django.core.files.base import ContentFile
from django.db import transaction
from django.template.loader import render_to_string
from django.utils.text import slugify

from .. import selectors, workflow
from ..models import Document, DocumentKind, Stage, Step, SubmissionPack
from ..pdf import render_pdf
from .documents import _described, _discard, _store
from .workflow import stage_locked

TEMPLATE = "proposals/pdf/submission_pack.html"
ONLY_THE_SUBMISSION = "Only the submission to the Home Secretary has a submission pack."


def _context(contents: selectors.SubmissionPackContents) -> dict:
    return {"pack": contents}


def contents_sha256(contents: selectors.SubmissionPackContents) -> str:
    """The digest of everything the pack shows: equal digests, equal packs."""
    html = render_to_string(TEMPLATE, _context(contents))
    return hashlib.sha256(html.encode()).hexdigest()


def is_current(pack: Document | None, stage: Stage) -> bool:
    """Whether `pack` was made from the record as it stands now."""
    if pack is None:
        return False
    contents = selectors.submission_pack_contents(stage=stage)
    return pack.pack.contents_sha256 == contents_sha256(contents)


@transaction.atomic
def submission_pack_generate(*, stage: Stage, by) -> Document:
    """Make the submission pack now, as PCC people of the proposal may while the submission is
    in progress (to read it before submitting); the current pack is kept when nothing it holds
    has changed. Raises workflow.TransitionRefused with the reasons otherwise."""
    stage = stage_locked(stage)
    if stage.step != Step.SUBMISSION:
        raise workflow.TransitionRefused([ONLY_THE_SUBMISSION])
    reasons = workflow.edit_blockers(stage, by)
    if reasons:
        raise workflow.TransitionRefused(reasons)
    return submission_pack_make_current(stage=stage, by=by)


def submission_pack_make_current(*, stage: Stage, by) -> Document:
    """The stage's pack, regenerated (and audited, the old one replaced) when it is missing or
    out of date. For a locked submission stage that `by` may change or is submitting."""
    contents = selectors.submission_pack_contents(stage=stage)
    digest = contents_sha256(contents)
    previous = selectors.submission_pack(stage=stage)
    if previous is not None and previous.pack.contents_sha256 == digest:
        return previous
    name = f"submission-pack-{slugify(stage.proposal.title) or stage.proposal.pk}.pdf"
    document = _store(
        stage=stage,
        kind=DocumentKind.SUBMISSION_PACK,
        uploaded_file=ContentFile(render_pdf(TEMPLATE, _context(contents)), name=name),
        by=by,
        action="submission_pack.regenerated" if previous else "submission_pack.generated",
        before=_described(previous) if previous else None,
    )
    SubmissionPack.objects.create(document=document, contents_sha256=digest)
    if previous is not None:
        _discard(previous)
    return document
