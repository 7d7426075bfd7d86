"""What every GOV.UK form here shares: a crispy-forms-gds helper, dates and stale-edit tokens."""

from crispy_forms_gds.fields import DateInputField
from crispy_forms_gds.helper import FormHelper
from crispy_forms_gds.layout import Button, Field, Layout, Size
from django import forms


def govuk_helper(*fields, submit: str = "Save and continue") -> FormHelper:
    """A helper rendering `fields` then one primary button; the page renders the form tag."""
    helper = FormHelper()
    helper.form_tag = False
    helper.layout = Layout(*fields, Button("submit", submit))
    return helper


def date_field(label: str, *, required: bool = False, help_text: str = "") -> DateInputField:
    """A GOV.UK date input (day, month, year)."""
    field = DateInputField(
        label=label, required=required, help_text=help_text or "For example, 27 3 2017"
    )
    field.require_all_fields = False
    return field


def layout_for(form: forms.Form) -> list:
    """GOV.UK layout objects for every visible field, by widget."""
    items = []
    for name, field in form.fields.items():
        if isinstance(field.widget, forms.HiddenInput):
            items.append(name)
        elif isinstance(field.widget, forms.Textarea):
            items.append(Field.textarea(name, label_size=Size.SMALL))
        elif isinstance(field.widget, forms.RadioSelect):
            items.append(Field.radios(name, legend_size=Size.SMALL))
        elif isinstance(field.widget, forms.CheckboxSelectMultiple):
            items.append(Field.checkboxes(name, legend_size=Size.SMALL))
        elif isinstance(field, DateInputField):
            items.append(Field(name))
        else:
            items.append(Field.text(name, label_size=Size.SMALL))
    return items


class GovukForm(forms.Form):
    """A form laid out field by field in GOV.UK style; subclasses set `submit_label`."""

    submit_label = "Save and continue"

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.adjust_fields()
        self.helper = govuk_helper(*layout_for(self), submit=self.submit_label)

    def adjust_fields(self):
        """Change `self.fields` before they are laid out."""


class VersionedForm(GovukForm):
    """Carries the version of what the editor started from, so a stale save is refused."""

    version = forms.CharField(widget=forms.HiddenInput, required=False)


class ReasonForm(GovukForm):
    """A reason that a change records: returning a stage, withdrawing, moving a date..."""

    reason = forms.CharField(
        label="Reasons",
        widget=forms.Textarea(attrs={"rows": 5}),
        error_messages={"required": "Enter the reasons"},
    )

    def __init__(self, *args, label="Reasons", hint="", submit="Continue", **kwargs):
        self.submit_label = submit
        super().__init__(*args, **kwargs)
        self.fields["reason"].label = label
        self.fields["reason"].help_text = hint
