"""The submission pack's record of what it was made from, so that a stale pack is known."""

from django.db import models

from .records import Document


class SubmissionPack(models.Model):
    """A generated submission pack (a Document of kind "submission_pack") and the SHA-256 of
    the contents it was rendered from: when the record's contents no longer give this digest,
    the pack is out of date (services/pack.py)."""

    document = models.OneToOneField(
        Document, on_delete=models.CASCADE, primary_key=True, related_name="pack"
    )
    contents_sha256 = models.CharField(max_length=64)

    def __str__(self):
        return f"Submission pack {self.document}"
