"""Forms PCC staff fill in: a new proposal, the business case, the consultation."""

from crispy_forms_gds.layout import Field, Fieldset, Size
from django import forms

from ..models import (
    SECTION_MAX_CHARS,
    CollaborationAgreement,
    CollaborationDuty,
    Consultation,
    CouncilPosition,
    FireAuthority,
    GovernanceModel,
)
from ..services.drafting import CITED_OUTSIDE_AREA, text_too_long
from .base import GovukForm, VersionedForm, date_field, govuk_helper

TITLE_REQUIRED = "Enter a title for the proposal"
MODEL_REQUIRED = "Select the governance model the proposal is for"
AUTHORITIES_REQUIRED = "Select the fire and rescue authorities the proposal covers"
END_BEFORE_START = "The consultation must end on or after the day it starts"
RESPONSES_REQUIRED = "Enter the number of responses, as a whole number"
POSITION_CHOOSE = "Select the position of {council}"
POSITION_REQUIRED = "Select the position of {council}, or remove its date and evidence"
COUNCIL_DATE_LABEL = "Date of {council}'s response"
#: A date error names the council: every council's date field looks the same.
COUNCIL_DATE_ERROR = COUNCIL_DATE_LABEL + ": {error}"


def governance_model_field() -> forms.ChoiceField:
    return forms.ChoiceField(
        choices=GovernanceModel.choices,
        widget=forms.RadioSelect,
        error_messages={"required": MODEL_REQUIRED, "invalid_choice": MODEL_REQUIRED},
    )


class ProposalCreateForm(GovukForm):
    submit_label = "Create proposal"

    title = forms.CharField(
        max_length=200,
        error_messages={"required": TITLE_REQUIRED},
        help_text="For example, Essex: PCC to become the fire and rescue authority",
    )
    governance_model = governance_model_field()
    fire_authorities = forms.ModelMultipleChoiceField(
        queryset=FireAuthority.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        label="Fire and rescue authorities covered",
        error_messages={
            "required": AUTHORITIES_REQUIRED,
            "invalid_choice": AUTHORITIES_REQUIRED,
            "invalid_pk_value": AUTHORITIES_REQUIRED,
        },
    )

    def __init__(self, *args, pcc, **kwargs):
        self.pcc = pcc
        super().__init__(*args, **kwargs)

    def adjust_fields(self):
        authorities = self.pcc.fire_authorities.all()
        self.fields["fire_authorities"].queryset = authorities
        if len(authorities) == 1:
            # Most PCCs have one fire and rescue authority: nothing to choose.
            self.fields["fire_authorities"].initial = list(authorities)


class ProposalModelForm(VersionedForm):
    """Another governance model for a proposal; `version` is the model the PCC started from."""

    submit_label = "Change the model"

    governance_model = governance_model_field()


class SectionForm(GovukForm):
    """One section of the business case, based on the revision the editor started from."""

    text = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 12}), required=False, max_length=SECTION_MAX_CHARS
    )
    base_revision = forms.IntegerField(widget=forms.HiddenInput, min_value=0)

    def __init__(self, *args, section, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["text"].label = section.label
        self.fields["text"].error_messages["max_length"] = text_too_long(section.label)
        self.fields["text"].help_text = section.hint
        self.helper = govuk_helper(
            Field.textarea("text", label_size=Size.LARGE, label_tag="h1"),
            "base_revision",
        )


class DutiesForm(forms.Form):
    """Evidence against each of the Act's collaboration duties; blank means not addressed.
    Each may cite the entries of the area's collaboration register it rests on (issue 14)."""

    base_revision = forms.IntegerField(widget=forms.HiddenInput, min_value=0)

    def __init__(self, *args, pcc, **kwargs):
        super().__init__(*args, **kwargs)
        self.duties = list(CollaborationDuty.objects.all())
        agreements = list(CollaborationAgreement.objects.for_pcc(pcc).order_by("title"))
        layout = []
        for duty in self.duties:
            self.fields[self.field_name(duty)] = forms.CharField(
                label=f"{duty.provision}: {duty.title}",
                help_text=duty.requires,
                required=False,
                widget=forms.Textarea(attrs={"rows": 4}),
                max_length=SECTION_MAX_CHARS,
                error_messages={"max_length": text_too_long(duty.provision)},
            )
            layout.append(Field.textarea(self.field_name(duty), label_size=Size.SMALL))
            if agreements:
                name = self.cited_name(duty)
                self.fields[name] = forms.ModelMultipleChoiceField(
                    queryset=CollaborationAgreement.objects.for_pcc(pcc),
                    widget=forms.CheckboxSelectMultiple,
                    required=False,
                    label=f"Agreements in the collaboration register it cites ({duty.provision})",
                    error_messages={"invalid_choice": CITED_OUTSIDE_AREA},
                )
                self.fields[name].choices = [(item.pk, item.title) for item in agreements]
                layout.append(Field.checkboxes(name, legend_size=Size.SMALL, small=True))
        self.helper = govuk_helper(*layout, "base_revision")

    @staticmethod
    def field_name(duty) -> str:
        return f"duty_{duty.pk}"

    @staticmethod
    def cited_name(duty) -> str:
        return f"agreements_{duty.pk}"

    def evidence(self) -> dict:
        return {duty: self.cleaned_data[self.field_name(duty)] for duty in self.duties}

    def cited(self) -> dict:
        return {duty: self.cleaned_data.get(self.cited_name(duty), []) for duty in self.duties}


class ConsultationForm(VersionedForm):
    starts_on = date_field("Consultation start date")
    ends_on = date_field("Consultation end date")
    responses_received = forms.IntegerField(
        label="Number of responses",
        min_value=0,
        max_value=10_000_000,
        required=False,
        error_messages={
            "invalid": RESPONSES_REQUIRED,
            "min_value": RESPONSES_REQUIRED,
            "max_value": RESPONSES_REQUIRED,
        },
    )
    summary = forms.CharField(
        label="Summary of what people said",
        widget=forms.Textarea(attrs={"rows": 8}),
        required=False,
    )

    record_fields = ("starts_on", "ends_on", "responses_received", "summary")
    model = Consultation

    def clean(self):
        cleaned = super().clean()
        starts_on, ends_on = cleaned.get("starts_on"), cleaned.get("ends_on")
        if starts_on and ends_on and ends_on < starts_on:
            self.add_error("ends_on", END_BEFORE_START)
        return cleaned


class CouncilPositionsForm(forms.Form):
    """Each upper-tier council's position, as the consultation found it."""

    version = forms.CharField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, councils, **kwargs):
        super().__init__(*args, **kwargs)
        self.councils = list(councils)
        fieldsets = []
        for council in self.councils:
            prefix = f"council_{council.pk}"
            self.fields[f"{prefix}_position"] = forms.ChoiceField(
                label="Position",
                choices=CouncilPosition.Position.choices,
                widget=forms.RadioSelect,
                required=False,
                error_messages={"invalid_choice": POSITION_CHOOSE.format(council=council.name)},
            )
            self.fields[f"{prefix}_stated_on"] = date_field(
                COUNCIL_DATE_LABEL.format(council=council.name)
            )
            self.fields[f"{prefix}_evidence"] = forms.CharField(
                label="Evidence",
                required=False,
                widget=forms.Textarea(attrs={"rows": 3}),
                help_text="For example, the council resolution or letter, and its date.",
            )
            fieldsets.append(
                Fieldset(
                    Field.radios(f"{prefix}_position", legend_size=Size.SMALL, inline=True),
                    Field(f"{prefix}_stated_on"),
                    Field.textarea(f"{prefix}_evidence", label_size=Size.SMALL),
                    legend=council.name,
                    legend_size=Size.MEDIUM,
                )
            )
        self.helper = govuk_helper(*fieldsets, "version")

    def clean(self):
        cleaned = super().clean()
        for council in self.councils:
            prefix = f"council_{council.pk}"
            if f"{prefix}_stated_on" in self.errors:
                self.errors[f"{prefix}_stated_on"] = self.error_class(
                    COUNCIL_DATE_ERROR.format(
                        council=council.name, error=error[:1].lower() + error[1:]
                    )
                    for error in self.errors[f"{prefix}_stated_on"]
                )
            # A date or evidence without a position would not be saved: say so, not lose it.
            if (
                f"{prefix}_position" not in self.errors
                and not cleaned.get(f"{prefix}_position")
                and (cleaned.get(f"{prefix}_stated_on") or cleaned.get(f"{prefix}_evidence"))
            ):
                self.add_error(f"{prefix}_position", POSITION_REQUIRED.format(council=council.name))
        return cleaned

    def positions(self) -> dict:
        return {
            council: {
                key: self.cleaned_data[f"council_{council.pk}_{key}"] or default
                for key, default in (("position", ""), ("stated_on", None), ("evidence", ""))
            }
            for council in self.councils
        }
