"""Forms the Home Office fills in: its own steps, due dates, legal challenges, comments."""

from django import forms

from portal.models import User

from ..models import Assessment, Comment, Decision, StatutoryOrder
from .base import GovukForm, VersionedForm, date_field

COMMENT_REQUIRED = "Enter a comment"
DECISION_REQUIRED = "Select the decision"
VISIBILITY_REQUIRED = "Select who can see the comment"
DUE_DATE_REQUIRED = "Enter the due date"
LAID_BEFORE_MADE = "The order must be laid on or after the day it was made"
IN_FORCE_BEFORE_MADE = "The order must come into force on or after the day it was made"
REPORTED_BEFORE_COMMISSIONED = "The report must be dated on or after the day it was commissioned"
CASE_OFFICER_INVALID = "Select a Home Office reviewer from the list"


class AssessmentForm(VersionedForm):
    assessor = forms.CharField(max_length=200, required=False, help_text="For example, CIPFA")
    commissioned_on = date_field("Date commissioned")
    reported_on = date_field("Date of the assessment report")
    summary = forms.CharField(widget=forms.Textarea(attrs={"rows": 6}), required=False)

    record_fields = ("assessor", "commissioned_on", "reported_on", "summary")
    model = Assessment

    def clean(self):
        cleaned = super().clean()
        start, end = cleaned.get("commissioned_on"), cleaned.get("reported_on")
        if start and end and end < start:
            self.add_error("reported_on", REPORTED_BEFORE_COMMISSIONED)
        return cleaned


class DecisionForm(VersionedForm):
    outcome = forms.ChoiceField(
        label="The Home Secretary's decision",
        choices=Decision.Outcome.choices,
        widget=forms.RadioSelect,
        error_messages={"required": DECISION_REQUIRED, "invalid_choice": DECISION_REQUIRED},
    )
    decided_on = date_field("Date of the decision")
    summary = forms.CharField(
        label="Summary of the decision letter",
        widget=forms.Textarea(attrs={"rows": 6}),
        required=False,
    )

    record_fields = ("outcome", "decided_on", "summary")
    model = Decision


class OrderForm(VersionedForm):
    si_number = forms.CharField(
        label="Statutory instrument number",
        max_length=20,
        required=False,
        help_text="For example, 2017/864",
    )
    made_on = date_field("Made on")
    laid_on = date_field("Laid before Parliament on")
    in_force_on = date_field("Comes into force on")
    transfer_date = date_field(
        "Transfer date", help_text="When the PCC takes on fire governance. For example, 1 10 2017"
    )

    record_fields = ("si_number", "made_on", "laid_on", "in_force_on", "transfer_date")
    model = StatutoryOrder

    def clean(self):
        cleaned = super().clean()
        made = cleaned.get("made_on")
        if made and cleaned.get("laid_on") and cleaned["laid_on"] < made:
            self.add_error("laid_on", LAID_BEFORE_MADE)
        if made and cleaned.get("in_force_on") and cleaned["in_force_on"] < made:
            self.add_error("in_force_on", IN_FORCE_BEFORE_MADE)
        return cleaned


class DueDateForm(GovukForm):
    submit_label = "Save due date"

    due_date = date_field("Due date", required=True)
    reason = forms.CharField(
        label="Why is the date being set or moved?",
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": "Enter why the date is being set or moved"},
    )

    def adjust_fields(self):
        self.fields["due_date"].error_messages["required"] = DUE_DATE_REQUIRED


class CommentForm(GovukForm):
    submit_label = "Add comment"

    body = forms.CharField(
        label="Add a comment",
        widget=forms.Textarea(attrs={"rows": 4}),
        max_length=10_000,
        error_messages={"required": COMMENT_REQUIRED},
    )
    visibility = forms.ChoiceField(
        label="Who can see it",
        choices=Comment.Visibility.choices,
        widget=forms.RadioSelect,
        initial=Comment.Visibility.EVERYONE,
        required=False,
        error_messages={"invalid_choice": VISIBILITY_REQUIRED},
    )

    def __init__(self, *args, home_office_choice: bool, **kwargs):
        self.home_office_choice = home_office_choice
        super().__init__(*args, **kwargs)

    def adjust_fields(self):
        # Only reviewers may keep a comment within the Home Office.
        if not self.home_office_choice:
            del self.fields["visibility"]


class CaseOfficerForm(GovukForm):
    submit_label = "Save case officer"

    officer = forms.ModelChoiceField(
        label="Case officer",
        help_text="Submissions and Home Office reminders go to them; to every reviewer when "
        "nobody is chosen.",
        queryset=User.objects.reviewers(),
        required=False,
        empty_label="Nobody",
        error_messages={"invalid_choice": CASE_OFFICER_INVALID},
    )
