"""What every GOV.UK form here shares: a crispy-forms-gds helper, dates and stale-edit tokens."""

from datetime import date

from crispy_forms_gds.fields import DateInputField
from crispy_forms_gds.helper import FormHelper
from crispy_forms_gds.layout import Button, Field, Layout, Size
from django import forms
from django.core.exceptions import ValidationError

# GOV.UK Design System date input error messages.
DATE_INCOMPLETE = "Enter the day, month and year"
DATE_YEAR_FOUR_NUMBERS = "The year must include 4 numbers, for example 2017"
#: Every date the portal records falls well within these years; one outside is a typing slip
#: (and year 9999 leaves no day after it for the deadlines calendar to end an event on).
EARLIEST_YEAR, LATEST_YEAR = 1900, 2100
DATE_YEAR_OUT_OF_RANGE = f"The year must be between {EARLIEST_YEAR} and {LATEST_YEAR}"
DATE_NOT_REAL = "Enter a real date, for example 27 3 2017"


def govuk_helper(*fields, submit: str = "Save and continue") -> FormHelper:
    """A helper rendering `fields` then one primary button; the page renders the form tag."""
    helper = FormHelper()
    helper.form_tag = False
    helper.layout = Layout(*fields, Button("submit", submit))
    return helper


class GovukDateField(DateInputField):
    """A GOV.UK date input whose day, month and year are each checked to be digits (by
    DateInputField); here they must also all be given and make a real date with a 4-figure
    year from EARLIEST_YEAR to LATEST_YEAR. A part left out is refused, never saved as no
    date."""

    def compress(self, data_list):
        day, month, year = (part or "" for part in data_list)
        if not (day or month or year):
            # Only spaces typed: DateInputField checks `required` before trimming them.
            if self.required:
                raise ValidationError(self.error_messages["required"], code="required")
            return None
        if not (day and month and year):
            raise ValidationError(DATE_INCOMPLETE, code="incomplete")
        if len(year) != 4:
            raise ValidationError(DATE_YEAR_FOUR_NUMBERS, code="invalid_year")
        if not EARLIEST_YEAR <= int(year) <= LATEST_YEAR:
            raise ValidationError(DATE_YEAR_OUT_OF_RANGE, code="year_out_of_range")
        try:
            return date(int(year), int(month), int(day))
        except (ValueError, OverflowError):
            # 31 February, month 13, or a number too long to be a day at all.
            raise ValidationError(DATE_NOT_REAL, code="invalid_date") from None


def date_field(label: str, *, required: bool = False, help_text: str = "") -> DateInputField:
    """A GOV.UK date input (day, month, year)."""
    field = GovukDateField(
        label=label, required=required, help_text=help_text or "For example, 27 3 2017"
    )
    field.require_all_fields = False
    return field


def layout_for(form: forms.Form, *, exclude=()) -> list:
    """GOV.UK layout objects for every visible field but those in `exclude`, by widget."""
    items = []
    for name, field in form.fields.items():
        if name in exclude:
            continue
        if isinstance(field.widget, forms.HiddenInput):
            items.append(name)
        elif isinstance(field.widget, forms.Textarea):
            items.append(Field.textarea(name, label_size=Size.SMALL))
        elif isinstance(field.widget, forms.RadioSelect):
            items.append(Field.radios(name, legend_size=Size.SMALL))
        elif isinstance(field.widget, forms.CheckboxSelectMultiple):
            items.append(Field.checkboxes(name, legend_size=Size.SMALL))
        elif isinstance(field.widget, forms.CheckboxInput):
            items.append(Field.checkbox(name))
        elif isinstance(field.widget, forms.Select):
            # Field.select takes a legend size; a select has a label, sized through context.
            items.append(Field(name, context={"label_size": Size.for_label(Size.SMALL)}))
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
