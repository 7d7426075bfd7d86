"""Forms for the collaboration register: an agreement, and the parties' considerations."""

from crispy_forms_gds.layout import Field, Fieldset, Size
from django import forms

from ..models import (
    AgreementStatus,
    AmbulanceTrust,
    CollaborationDuty,
    CollaborationSubject,
    Consideration,
    FireAuthority,
)
from .base import VersionedForm, date_field, govuk_helper

TITLE_REQUIRED = "Enter a title for the agreement"
SUBJECT_REQUIRED = "Select what the bodies collaborate on"
STATUS_REQUIRED = "Select the agreement's status"
DECISION_REQUIRED = "Select the decision of {party}"


class AgreementForm(VersionedForm):
    """An agreement of one area: the parties offered are that area's bodies only."""

    submit_label = "Save agreement"

    title = forms.CharField(
        max_length=200,
        error_messages={"required": TITLE_REQUIRED},
        help_text="For example, Shared headquarters with the fire and rescue service",
    )
    subject = forms.ChoiceField(
        label="Subject",
        choices=[("", "Select a subject"), *CollaborationSubject.choices],
        error_messages={"required": SUBJECT_REQUIRED, "invalid_choice": SUBJECT_REQUIRED},
    )
    status = forms.ChoiceField(
        choices=AgreementStatus.choices,
        widget=forms.RadioSelect,
        error_messages={"required": STATUS_REQUIRED, "invalid_choice": STATUS_REQUIRED},
        help_text="Proposed: notified to the other bodies under s.2(2) and being considered.",
    )
    police_is_party = forms.BooleanField(required=False, label="The police (PCC and force)")
    fire_authorities = forms.ModelMultipleChoiceField(
        queryset=FireAuthority.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        required=False,
        label="Fire and rescue authorities",
    )
    ambulance_trusts = forms.ModelMultipleChoiceField(
        queryset=AmbulanceTrust.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        required=False,
        label="Ambulance trusts",
    )
    duties = forms.ModelMultipleChoiceField(
        queryset=CollaborationDuty.objects.all(),
        widget=forms.CheckboxSelectMultiple,
        required=False,
        label="Provisions of the Act it follows",
    )
    notified_on = date_field(
        "Date notified under s.2(2)", help_text="If it was proposed to the other bodies."
    )
    starts_on = date_field("Start date")
    review_on = date_field("Review date", help_text="The area's PCC people are reminded of it.")
    ends_on = date_field("End date")
    summary = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 5}), required=False, label="What it covers"
    )
    source_url = forms.URLField(
        required=False,
        max_length=500,
        label="Published document or source",
        assume_scheme="https",
    )

    record_fields = (
        "title",
        "subject",
        "status",
        "police_is_party",
        "notified_on",
        "starts_on",
        "review_on",
        "ends_on",
        "summary",
        "source_url",
    )

    def __init__(self, *args, pcc, **kwargs):
        self.pcc = pcc
        super().__init__(*args, **kwargs)

    def adjust_fields(self):
        self.fields["fire_authorities"].queryset = self.pcc.fire_authorities.all()
        self.fields["ambulance_trusts"].queryset = AmbulanceTrust.objects.filter(
            pk=self.pcc.ambulance_trust_id
        )
        self.fields["police_is_party"].label = f"{self.pcc.police_force} and its PCC"

    def values(self) -> dict:
        return {field: self.cleaned_data[field] for field in self.record_fields}


class ConsiderationsForm(forms.Form):
    """Each party's consideration of a proposed collaboration (PCA 2017 s.2(3))."""

    version = forms.CharField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, parties, **kwargs):
        super().__init__(*args, **kwargs)
        self.parties = list(parties)
        fieldsets = []
        for party in self.parties:
            key = party.key
            self.fields[f"{key}_decision"] = forms.ChoiceField(
                label="Decision",
                choices=Consideration.Decision.choices,
                widget=forms.RadioSelect,
                error_messages={
                    "required": DECISION_REQUIRED.format(party=party.name),
                    "invalid_choice": DECISION_REQUIRED.format(party=party.name),
                },
            )
            self.fields[f"{key}_decided_on"] = date_field(f"Date of {party.name}'s decision")
            self.fields[f"{key}_reasons"] = forms.CharField(
                label="Reasons",
                required=False,
                widget=forms.Textarea(attrs={"rows": 3}),
                help_text="Required when the body declined.",
            )
            fieldsets.append(
                Fieldset(
                    Field.radios(f"{key}_decision", legend_size=Size.SMALL, inline=True),
                    Field(f"{key}_decided_on"),
                    Field.textarea(f"{key}_reasons", label_size=Size.SMALL),
                    legend=party.name,
                    legend_size=Size.MEDIUM,
                )
            )
        self.helper = govuk_helper(*fieldsets, "version", submit="Save considerations")

    def decisions(self) -> dict:
        return {
            party.key: {
                "decision": self.cleaned_data[f"{party.key}_decision"],
                "decided_on": self.cleaned_data[f"{party.key}_decided_on"],
                "reasons": self.cleaned_data[f"{party.key}_reasons"].strip(),
            }
            for party in self.parties
        }
