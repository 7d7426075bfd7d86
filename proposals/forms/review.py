"""Forms the Home Office fills in: its own steps, due dates, legal challenges, comments."""

from crispy_forms_gds.layout import Field, Fieldset, Size
from django import forms
from django.core.validators import RegexValidator

from portal.models import User

from .. import workflow
from ..models import (
    LIMB_FIELDS,
    SI_NUMBER,
    Assessment,
    Comment,
    Decision,
    DecisionGround,
    Limb,
    LimbFinding,
    StatutoryOrder,
    finding_field,
    reasons_field,
)
from ..services.workflow import SIGN_OFF_NOT_CONFIRMED
from .base import GovukForm, ReasonForm, VersionedForm, date_field, govuk_helper, layout_for

COMMENT_REQUIRED = "Enter a comment"
DECISION_REQUIRED = "Select the decision"
VISIBILITY_REQUIRED = "Select who can see the comment"
DUE_DATE_REQUIRED = "Enter the due date"
LAID_BEFORE_MADE = "The order must be laid on or after the day it was made"
IN_FORCE_BEFORE_MADE = "The order must come into force on or after the day it was made"
IN_FORCE_BEFORE_LAID = "The order must come into force on or after the day it was laid"
TRANSFER_BEFORE_IN_FORCE = (
    "The transfer date must be on or after the day the order comes into force"
)
TRANSFER_BEFORE_LAID = "The transfer date must be on or after the day the order was laid"
TRANSFER_BEFORE_MADE = "The transfer date must be on or after the day the order was made"
#: An order is made, then laid before Parliament, then comes into force; governance transfers
#: when it is in force (FACTS.md: the orders were made, laid about 2 days later, then came into
#: force). Each date is checked against every earlier one given; the first it precedes is said.
ORDER_DATES_IN_ORDER = (
    ("made_on", "laid_on", LAID_BEFORE_MADE),
    ("laid_on", "in_force_on", IN_FORCE_BEFORE_LAID),
    ("made_on", "in_force_on", IN_FORCE_BEFORE_MADE),
    ("in_force_on", "transfer_date", TRANSFER_BEFORE_IN_FORCE),
    ("laid_on", "transfer_date", TRANSFER_BEFORE_LAID),
    ("made_on", "transfer_date", TRANSFER_BEFORE_MADE),
)
SI_NUMBER_INVALID = "Enter the statutory instrument number as the year and number, like 2018/970"
REPORTED_BEFORE_COMMISSIONED = "The report must be dated on or after the day it was commissioned"
CASE_OFFICER_INVALID = "Select a Home Office reviewer from the list"
FINDING_CHOOSE = "Select the finding on {limb}"
FINDING_FOR_REASONS = "Select the finding on {limb}, or remove its reasons"
GROUND_CHOOSE = "Select the ground the approval relies on"
INTENT_UNCLEAR = (
    "The page did not say whether to flag or clear the legal challenge: open it again from "
    "the proposal's page"
)


class LimbsForm(VersionedForm):
    """A record with a finding and reasons on each limb of the statutory test, each limb in its
    own group after the record's other fields (those in `before_limbs` come first)."""

    finding_label = "Finding on {limb}"
    before_limbs: tuple = ()

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        before = set(self.before_limbs)
        self.helper = govuk_helper(
            *layout_for(self, exclude=set(self.fields) - before),
            *[self._limb_fieldset(limb) for limb in Limb],
            *layout_for(self, exclude=before | set(LIMB_FIELDS)),
            submit=self.submit_label,
        )

    def adjust_fields(self):
        for limb in Limb:
            label = limb.label.lower()
            self.fields[finding_field(limb)] = forms.ChoiceField(
                label=self.finding_label.format(limb=label),
                # Each choice reads whole: "Not shown to be in the interests of economy".
                choices=[
                    (finding.value, f"{finding.label} {label}")
                    for finding in LimbFinding.for_limb(limb)
                ],
                widget=forms.RadioSelect,
                required=False,
                error_messages={"invalid_choice": FINDING_CHOOSE.format(limb=label)},
            )
            self.fields[reasons_field(limb)] = forms.CharField(
                label=f"Reasons on {label}",
                widget=forms.Textarea(attrs={"rows": 4}),
                required=False,
            )

    @staticmethod
    def _limb_fieldset(limb):
        return Fieldset(
            Field.radios(finding_field(limb), legend_size=Size.SMALL),
            Field.textarea(reasons_field(limb), label_size=Size.SMALL),
            legend=limb.label,
            legend_size=Size.MEDIUM,
        )

    def clean(self):
        cleaned = super().clean()
        for limb in Limb:
            # Reasons without a finding would read as a finding: ask for it, not lose them.
            if (
                finding_field(limb) not in self.errors
                and not cleaned.get(finding_field(limb))
                and cleaned.get(reasons_field(limb), "").strip()
            ):
                self.add_error(
                    finding_field(limb), FINDING_FOR_REASONS.format(limb=limb.label.lower())
                )
        return cleaned

    def findings(self) -> dict:
        return {limb: self.cleaned_data.get(finding_field(limb)) for limb in Limb}


class AssessmentForm(LimbsForm):
    finding_label = "The assessor's conclusion on {limb}"
    before_limbs = ("assessor", "commissioned_on", "reported_on")

    assessor = forms.CharField(max_length=200, required=False, help_text="For example, CIPFA")
    commissioned_on = date_field("Date commissioned")
    reported_on = date_field("Date of the assessment report")
    summary = forms.CharField(widget=forms.Textarea(attrs={"rows": 6}), required=False)

    record_fields = ("assessor", "commissioned_on", "reported_on", "summary", *LIMB_FIELDS)
    model = Assessment

    def clean(self):
        cleaned = super().clean()
        start, end = cleaned.get("commissioned_on"), cleaned.get("reported_on")
        if start and end and end < start:
            self.add_error("reported_on", REPORTED_BEFORE_COMMISSIONED)
        return cleaned


class DecisionForm(LimbsForm):
    """The Home Secretary's decision, limb by limb; workflow.decision_missing says what it
    needs before the stage completes."""

    finding_label = "The Home Secretary's finding on {limb}"
    before_limbs = ("outcome", "decided_on")

    outcome = forms.ChoiceField(
        label="The Home Secretary's decision",
        choices=Decision.Outcome.choices,
        widget=forms.RadioSelect,
        error_messages={"required": DECISION_REQUIRED, "invalid_choice": DECISION_REQUIRED},
    )
    decided_on = date_field("Date of the decision")
    ground = forms.ChoiceField(
        label="Ground the approval relies on",
        help_text="FRSA 2004 s.4A(5): (a) economy, efficiency and effectiveness, each found on "
        "its own, with no adverse effect on public safety; or (b) public safety. Leave it "
        "unanswered for a rejection.",
        choices=DecisionGround.choices,
        widget=forms.RadioSelect,
        required=False,
        error_messages={"invalid_choice": GROUND_CHOOSE},
    )
    summary = forms.CharField(
        label="Summary of the decision letter",
        widget=forms.Textarea(attrs={"rows": 6}),
        required=False,
    )

    record_fields = ("outcome", "decided_on", "ground", "summary", *LIMB_FIELDS)
    model = Decision

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("outcome") == Decision.Outcome.APPROVED:
            conflicts = workflow.ground_conflicts(
                ground=cleaned.get("ground"), findings=self.findings()
            )
            for limb, sentence in conflicts.items():
                if finding_field(limb) not in self.errors:
                    self.add_error(finding_field(limb), sentence)
        return cleaned


class OrderForm(VersionedForm):
    si_number = forms.CharField(
        label="Statutory instrument number",
        max_length=20,
        required=False,
        help_text="For example, 2017/864",
        validators=[RegexValidator(SI_NUMBER, SI_NUMBER_INVALID)],
        error_messages={"max_length": SI_NUMBER_INVALID},
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
        for earlier, later, message in ORDER_DATES_IN_ORDER:
            if (
                later not in self.errors
                and cleaned.get(earlier)
                and cleaned.get(later)
                and cleaned[later] < cleaned[earlier]
            ):
                self.add_error(later, message)
        return cleaned


class LegalChallengeForm(ReasonForm):
    """Carries what the reviewer asked for (flag or lift), not a toggle: a second click of the
    same button is refused rather than undoing the first."""

    FLAG, LIFT = "flag", "lift"
    intended = forms.ChoiceField(
        choices=[(FLAG, FLAG), (LIFT, LIFT)],
        widget=forms.HiddenInput,
        error_messages={"required": INTENT_UNCLEAR, "invalid_choice": INTENT_UNCLEAR},
    )

    def clean(self):
        cleaned = super().clean()
        # A hidden field has nowhere beside it to show an error: say it in the error summary.
        if "intended" in self.errors:
            self.add_error(None, self.errors.pop("intended"))
        return cleaned

    @property
    def under_challenge(self) -> bool:
        return self.cleaned_data["intended"] == self.FLAG


class DueDateForm(GovukForm):
    submit_label = "Save due date"

    due_date = date_field("Due date", required=True)
    reason = forms.CharField(
        label="Why is the date being set or moved?",
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": "Enter why the date is being set or moved"},
    )
    past_confirmed = forms.BooleanField(
        label="Yes, set a due date that has already passed", required=False
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # The confirmation is asked for only once a past date has been entered.
        if not self.data.get("past_confirmed"):
            self.helper = govuk_helper(
                *layout_for(self, exclude={"past_confirmed"}), submit=self.submit_label
            )

    def adjust_fields(self):
        self.fields["due_date"].error_messages["required"] = DUE_DATE_REQUIRED

    def ask_to_confirm_a_past_date(self):
        self.helper = govuk_helper(*layout_for(self), submit=self.submit_label)


class SignOffForm(GovukForm):
    """The signatory's declaration; what it covers is shown above it on the page."""

    submit_label = "Sign off the submission"

    confirmed = forms.BooleanField(
        label="I confirm that, as the PCC's signatory, I am submitting this proposal to the Home "
        "Secretary, and that it is the business case revision and the documents listed above",
        error_messages={"required": SIGN_OFF_NOT_CONFIRMED},
    )


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
