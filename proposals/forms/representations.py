"""A consultee's representation, and the PCC's response to it."""

from crispy_forms_gds.layout import Field, Size
from django import forms

from portal.models import Role, User

from ..documents import ACCEPTED_TYPES_BY_KIND, types_in_words
from ..models import DocumentKind, Representation
from ..services.documents import document_size_limit_in_words
from .base import VersionedForm, govuk_helper
from .documents import FILE_HINT

POSITION_REQUIRED = "Select your body's position on the proposal"
REASONS_REQUIRED = "Enter your body's reasons"
RESPONSE_REQUIRED = "Enter the PCC's response"


class RepresentationForm(VersionedForm):
    """Position, reasons and, optionally, a supporting document (a letter, a resolution)."""

    position = forms.ChoiceField(
        label="What is your body's position on the proposal?",
        choices=Representation.Position.choices,
        widget=forms.RadioSelect,
        error_messages={"required": POSITION_REQUIRED, "invalid_choice": POSITION_REQUIRED},
    )
    reasons = forms.CharField(
        label="Your reasons",
        help_text="The Home Secretary reads them with the PCC's response. Say which of economy, "
        "efficiency, effectiveness or public safety they bear on.",
        widget=forms.Textarea(attrs={"rows": 8}),
        error_messages={"required": REASONS_REQUIRED},
    )
    document = forms.FileField(
        label="Supporting document (optional)",
        required=False,
        allow_empty_file=True,
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["document"].help_text = FILE_HINT.format(
            types=types_in_words(ACCEPTED_TYPES_BY_KIND[DocumentKind.REPRESENTATION]),
            limit=document_size_limit_in_words(),
        )
        self.helper = govuk_helper(
            Field.radios("position", legend_size=Size.MEDIUM),
            Field.textarea("reasons", label_size=Size.SMALL),
            Field("document"),
            "version",
            submit="Lodge the representation",
        )


class ResponseForm(VersionedForm):
    submit_label = "Save the response"

    response = forms.CharField(
        label="The PCC's response",
        help_text="It goes to the Home Secretary with the submission, and the body is told.",
        widget=forms.Textarea(attrs={"rows": 8}),
        error_messages={"required": RESPONSE_REQUIRED},
    )


ASSESSOR_INVALID = "Select independent assessors from the list"


class AssessorsForm(VersionedForm):
    submit_label = "Save assessors"

    assessors = forms.ModelMultipleChoiceField(
        label="Independent assessors",
        help_text="They see this proposal's business case as submitted, its consultation and "
        "representations, and record its independent assessment.",
        queryset=User.objects.filter(role=Role.ASSESSOR, is_active=True),
        widget=forms.CheckboxSelectMultiple,
        required=False,
        error_messages={"invalid_choice": ASSESSOR_INVALID, "invalid_pk_value": ASSESSOR_INVALID},
    )
