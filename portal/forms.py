from crispy_forms_gds.helper import FormHelper
from crispy_forms_gds.layout import Button, Field, Fixed, Fluid, Layout
from django import forms
from django.contrib.auth import authenticate
from django.contrib.auth.forms import AuthenticationForm
from django.core.exceptions import ValidationError
from django.core.validators import MaxLengthValidator, RegexValidator

from proposals.forms.base import GovukForm
from proposals.services import api_tokens

from . import security_log, sign_in, two_factor

INVALID_SIGN_IN = "Enter a correct username and password. Both are case-sensitive."
USERNAME_REQUIRED = "Enter your username"
PASSWORD_REQUIRED = "Enter your password"
USERNAME_TOO_LONG = "Enter a username of {limit} characters or fewer"
SIGN_IN_DELAYED = (
    "There have been too many failed attempts to sign in to this account. "
    "Wait {wait}, then try again."
)
WRONG_PASSWORD = "Enter the password you sign in with"
DEVICE_NAME_REQUIRED = "Enter a name for this authenticator app, like “Work phone”"
DEVICE_NAME_TOO_LONG = "Enter a name of 64 characters or fewer"


def refuse_while_delayed(request, username: str) -> None:
    """Refuse a sign-in attempt for `username` while its failures make it wait, before any
    password is checked (so waiting attempts cannot guess, and are not counted as failures)."""
    wait = sign_in.wait_seconds(username)
    if wait:
        security_log.log_event("sign_in_delayed", request=request, username=username)
        seconds = f"{wait} second{'' if wait == 1 else 's'}"
        raise ValidationError(SIGN_IN_DELAYED.format(wait=seconds), code="delayed")


class SignInForm(AuthenticationForm):
    error_messages = {**AuthenticationForm.error_messages, "invalid_login": INVALID_SIGN_IN}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # GOV.UK advises against moving focus on load: it skips the page's heading and text.
        self.fields["username"].widget.attrs.pop("autofocus", None)
        self.fields["username"].error_messages["required"] = USERNAME_REQUIRED
        self.fields["password"].error_messages["required"] = PASSWORD_REQUIRED
        # AuthenticationForm sets the length limit without checking it: an over-long name would
        # reach authentication, and the failed-sign-in record could not hold it.
        limit = self.fields["username"].max_length
        self.fields["username"].validators.append(
            MaxLengthValidator(limit, message=USERNAME_TOO_LONG.format(limit=limit))
        )
        self.helper = FormHelper()
        self.helper.form_tag = False  # the page renders the form element
        self.helper.layout = Layout(
            Field.text(
                "username", field_width=Fluid.ONE_HALF, autocomplete="username", spellcheck="false"
            ),
            Field.text("password", field_width=Fluid.ONE_HALF),
            Button("submit", "Sign in"),
        )

    def clean(self):
        if username := self.cleaned_data.get("username"):
            refuse_while_delayed(self.request, username)
        return super().clean()


def code_field(*, pattern: str, message: str, help_text: str, max_length: int):
    return forms.CharField(
        label="Code from your authenticator app",
        help_text=help_text,
        max_length=max_length,
        error_messages={"required": message, "max_length": message},
        validators=[RegexValidator(pattern, message)],
    )


def code_input(name: str = "token", **attrs):
    return Field.text(
        name, field_width=Fixed.TEN, autocomplete="one-time-code", spellcheck="false", **attrs
    )


class OneTimePasswordForm(forms.Form):
    """The second step of signing in: the app's 6-digit code, or one of the recovery codes."""

    token = code_field(
        pattern=r"^\s*([0-9]{6}|[A-Za-z2-7]{8})\s*$",
        message=two_factor.WRONG_CODE_OR_RECOVERY_CODE,
        help_text="The 6-digit code it shows now. Lost it? Enter one of your recovery codes.",
        max_length=12,
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.form_tag = False  # the page renders the form element
        self.helper.layout = Layout(code_input(), Button("submit", "Continue"))


class EnrolmentForm(forms.Form):
    """Adding an authenticator app: its name, a code it made, and (unless the session came
    through an enrolment link) the password again, so a session left open cannot add one."""

    name = forms.CharField(
        label="Name this app",
        help_text="So you can tell your apps apart, like “Work phone”",
        initial=two_factor.DEVICE_NAME,
        max_length=64,
        error_messages={"required": DEVICE_NAME_REQUIRED, "max_length": DEVICE_NAME_TOO_LONG},
    )
    token = code_field(
        pattern=r"^\s*[0-9]{6}\s*$",
        message=two_factor.WRONG_CODE,
        help_text="The 6-digit code it shows now",
        max_length=8,
    )
    password = forms.CharField(
        label="Your password",
        help_text="Type it again to confirm it is you",
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
        error_messages={"required": PASSWORD_REQUIRED},
    )

    def __init__(self, *args, request, ask_password: bool, **kwargs):
        super().__init__(*args, **kwargs)
        self.request = request
        fields = [Field.text("name", field_width=Fluid.ONE_HALF), code_input(inputmode="numeric")]
        if ask_password:
            fields.append(Field.text("password", field_width=Fluid.ONE_HALF))
        else:
            del self.fields["password"]
        self.helper = FormHelper()
        self.helper.form_tag = False  # the page renders the form element
        self.helper.layout = Layout(*fields, Button("submit", "Confirm and continue"))

    def clean_password(self):
        """The password checked as signing in checks it: delays, lockouts and the log apply."""
        password = self.cleaned_data["password"]
        username = self.request.user.get_username()
        refuse_while_delayed(self.request, username)
        if authenticate(self.request, username=username, password=password) is None:
            raise ValidationError(WRONG_PASSWORD)
        return password


API_TOKEN_NAME_TOO_LONG = "Enter a name of 80 characters or fewer"


class ApiTokenForm(GovukForm):
    """A new API token's name, so its owner can tell their tokens apart."""

    submit_label = "Create token"

    name = forms.CharField(
        label="Name this token",
        help_text="Say what will use it, like “Monthly report” or “Force tracker”",
        max_length=80,
        error_messages={
            "required": api_tokens.NAME_REQUIRED,
            "max_length": API_TOKEN_NAME_TOO_LONG,
        },
    )
