"""Recording the implementation checklist after the order (PCC people)."""

from crispy_forms_gds.layout import Field, Size
from django import forms

from ..documents import ACCEPTED_TYPES_BY_KIND, types_in_words
from ..models import DocumentKind
from ..services.documents import document_size_limit_in_words
from ..workflow import CHECKLIST_EVIDENCE_REQUIRED
from .base import VersionedForm, date_field, govuk_helper
from .documents import FILE_HINT

DONE_ON_REQUIRED = "Enter the date it was done"


class ChecklistItemDoneForm(VersionedForm):
    """When an item was done and the document that shows it. Whether the file is acceptable
    is the document service's to decide, as for any upload."""

    submit_label = "Record as done"

    done_on = date_field("Date it was done", required=True)
    file = forms.FileField(
        label="Evidence document",
        allow_empty_file=True,
        error_messages={
            "required": CHECKLIST_EVIDENCE_REQUIRED,
            "missing": CHECKLIST_EVIDENCE_REQUIRED,
        },
    )
    note = forms.CharField(
        label="What was done, and where it is published (optional)",
        widget=forms.Textarea(attrs={"rows": 4}),
        max_length=5_000,
        required=False,
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["done_on"].error_messages["required"] = DONE_ON_REQUIRED
        self.fields["file"].help_text = FILE_HINT.format(
            types=types_in_words(ACCEPTED_TYPES_BY_KIND[DocumentKind.OTHER]),
            limit=document_size_limit_in_words(),
        )
        self.helper = govuk_helper(
            Field("done_on"),
            Field("file"),
            Field.textarea("note", label_size=Size.SMALL),
            "version",
            submit=self.submit_label,
        )
