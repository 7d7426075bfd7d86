from crispy_forms_gds.helper import FormHelper
from crispy_forms_gds.layout import Button, Field, Fixed, Fluid, Layout
from django import forms
from django.contrib.auth.forms import AuthenticationForm
from django.core.validators import MaxLengthValidator, RegexValidator

from . import two_factor

INVALID_SIGN_IN = "Enter a correct username and password. Both are case-sensitive."
USERNAME_REQUIRED = "Enter your username"
PASSWORD_REQUIRED = "Enter your password"
USERNAME_TOO_LONG = "Enter a username of {limit} characters or fewer"


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


class OneTimePasswordForm(forms.Form):
    """The 6-digit code from an authenticator app."""

    token = forms.CharField(
        label="Code from your authenticator app",
        help_text="The 6-digit code it shows now",
        max_length=6,
        min_length=6,
        error_messages={
            "required": two_factor.WRONG_CODE,
            "min_length": two_factor.WRONG_CODE,
            "max_length": two_factor.WRONG_CODE,
        },
        validators=[RegexValidator(r"^[0-9]{6}$", two_factor.WRONG_CODE)],
    )

    def __init__(self, *args, submit="Continue", **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.form_tag = False  # the page renders the form element
        self.helper.layout = Layout(
            Field.text(
                "token",
                field_width=Fixed.TEN,
                autocomplete="one-time-code",
                inputmode="numeric",
                spellcheck="false",
            ),
            Button("submit", submit),
        )
