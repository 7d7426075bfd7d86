"""The reminder preference each person sets for themselves."""

from django import forms
from django.conf import settings

from .base import GovukForm

EARLY_REMINDERS_LABEL = "Do you want reminders before a due date?"
EARLY_REMINDERS_HINT = (
    "We remind you by e-mail and in your notifications {days} working days before a stage "
    "is due, and on the day. Reminders about overdue stages always go."
)
EARLY_REMINDERS_REQUIRED = "Select whether you want reminders before a due date"
YES, NO = "yes", "no"


class ReminderPreferencesForm(GovukForm):
    submit_label = "Save preferences"

    early_reminders = forms.ChoiceField(
        label=EARLY_REMINDERS_LABEL,
        help_text=EARLY_REMINDERS_HINT,
        choices=[(YES, "Yes, remind me before a due date"), (NO, "No, only when overdue")],
        widget=forms.RadioSelect,
        error_messages={
            "required": EARLY_REMINDERS_REQUIRED,
            "invalid_choice": EARLY_REMINDERS_REQUIRED,
        },
    )

    def adjust_fields(self):
        days = [str(day) for day in sorted(settings.REMINDER_DAYS_BEFORE, reverse=True)]
        listed = " and ".join([", ".join(days[:-1]), days[-1]] if len(days) > 1 else days)
        self.fields["early_reminders"].help_text = EARLY_REMINDERS_HINT.format(days=listed)

    def clean_early_reminders(self) -> bool:
        return self.cleaned_data["early_reminders"] == YES
