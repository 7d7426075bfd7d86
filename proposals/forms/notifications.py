"""The reminder and message preferences each person sets for themselves."""

from django import forms
from django.conf import settings

from ..messaging import may_turn_off
from ..models import EmailTiming, MessageEvent
from .base import GovukForm

EARLY_REMINDERS_LABEL = "Do you want reminders before a due date?"
EARLY_REMINDERS_HINT = (
    "We remind you by e-mail and in your notifications {days} working days before a stage "
    "is due, and on the day. Reminders about overdue stages always go."
)
EARLY_REMINDERS_REQUIRED = "Select whether you want reminders before a due date"
YES, NO = "yes", "no"
EMAIL_TIMING_INVALID = "Select how you want these e-mails"
EMAIL_PREFIX = "email_"
#: The kinds of message whose e-mail each person chooses; the rest always go straight away.
CHOOSABLE_EVENTS = [event for event in MessageEvent if may_turn_off(event)]
ALWAYS_EMAILED_EVENTS = [event for event in MessageEvent if event not in CHOOSABLE_EVENTS]


class PreferencesForm(GovukForm):
    """Early reminders on or off, and for each kind of hand-off message whose e-mail may be
    turned off: straight away, in the daily digest, or none. A message field left out of
    the post keeps its saved choice."""

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
        for event in CHOOSABLE_EVENTS:
            self.fields[EMAIL_PREFIX + event] = forms.ChoiceField(
                label=event.label,
                choices=EmailTiming.choices,
                widget=forms.RadioSelect,
                required=False,
                error_messages={"invalid_choice": EMAIL_TIMING_INVALID},
            )
        days = [str(day) for day in sorted(settings.REMINDER_DAYS_BEFORE, reverse=True)]
        listed = " and ".join([", ".join(days[:-1]), days[-1]] if len(days) > 1 else days)
        self.fields["early_reminders"].help_text = EARLY_REMINDERS_HINT.format(days=listed)

    def clean_early_reminders(self) -> bool:
        return self.cleaned_data["early_reminders"] == YES

    def email_timings(self) -> dict:
        """{event: timing} for the message fields that were answered."""
        return {
            event: self.cleaned_data[EMAIL_PREFIX + event]
            for event in CHOOSABLE_EVENTS
            if self.cleaned_data.get(EMAIL_PREFIX + event)
        }

    @staticmethod
    def initial_for(*, early_reminders: bool, email_timings: dict) -> dict:
        return {
            "early_reminders": YES if early_reminders else NO,
            **{EMAIL_PREFIX + event: timing for event, timing in email_timings.items()},
        }


ALWAYS_EMAILED = "These are always e-mailed straight away, as someone must act on them: {}.".format(
    "; ".join(event.label.lower() for event in ALWAYS_EMAILED_EVENTS)
)
