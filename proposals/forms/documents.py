from crispy_forms_gds.helper import FormHelper
from crispy_forms_gds.layout import Button, Field, Layout, Size
from django import forms

from ..documents import ACCEPTED_TYPES_BY_KIND, listed, types_in_words
from ..models import DocumentKind
from ..services.documents import document_size_limit_in_words

KIND_REQUIRED = "Select what kind of document this is"
FILE_REQUIRED = "Select a file"
FILE_HINT = "{types}. Smaller than {limit} MB."


#: What a stage's upload page offers: a representation's documents come with it (its own page),
#: and the submission pack is made by the portal (services/pack.py), never uploaded.
STAGE_DOCUMENT_KINDS = [
    kind
    for kind in DocumentKind
    if kind not in (DocumentKind.REPRESENTATION, DocumentKind.SUBMISSION_PACK)
]


def accepted_types_hint() -> str:
    """Which types each kind accepts, kinds that accept the same grouped: "Business case,
    consultation report ...: PDF, DOCX or ODT. Other: PDF, ..."."""
    kinds_by_types = {}
    for kind in STAGE_DOCUMENT_KINDS:
        kinds_by_types.setdefault(ACCEPTED_TYPES_BY_KIND[kind], []).append(kind.label)
    return ". ".join(
        f"{listed([label.lower() for label in labels], 'and').capitalize()}: "
        f"{types_in_words(types)}"
        for types, labels in kinds_by_types.items()
    )


class DocumentUploadForm(forms.Form):
    """What kind of document and which file. Whether the file is acceptable is the service's
    to decide (services/documents.py), so empty files reach it rather than stop here."""

    kind = forms.ChoiceField(
        label="What kind of document is this?",
        choices=[(kind.value, kind.label) for kind in STAGE_DOCUMENT_KINDS],
        widget=forms.RadioSelect,
        error_messages={"required": KIND_REQUIRED, "invalid_choice": KIND_REQUIRED},
    )
    file = forms.FileField(
        label="Upload a file",
        allow_empty_file=True,
        error_messages={"required": FILE_REQUIRED, "missing": FILE_REQUIRED},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Read per form, not at import, so a changed limit shows at once.
        self.fields["file"].help_text = FILE_HINT.format(
            types=accepted_types_hint(), limit=document_size_limit_in_words()
        )
        self.helper = FormHelper()
        # The template writes the <form> tag: file uploads need its multipart encoding.
        self.helper.form_tag = False
        self.helper.layout = Layout(
            Field.radios("kind", legend_size=Size.MEDIUM),
            Field("file"),
            Button("submit", "Upload"),
        )


class DocumentReplaceForm(forms.Form):
    """The file to put in place of a document; checked by the service as an upload is."""

    file = forms.FileField(
        label="Upload the replacement",
        allow_empty_file=True,
        error_messages={"required": FILE_REQUIRED, "missing": FILE_REQUIRED},
    )

    def __init__(self, *args, kind, **kwargs):
        super().__init__(*args, **kwargs)
        types = types_in_words(ACCEPTED_TYPES_BY_KIND[kind])
        self.fields["file"].help_text = FILE_HINT.format(
            types=types, limit=document_size_limit_in_words()
        )
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.layout = Layout(Field("file"), Button("submit", "Replace document"))
