from crispy_forms_gds.helper import FormHelper
from crispy_forms_gds.layout import Button, Field, Fluid, Layout
from django.contrib.auth.forms import AuthenticationForm

INVALID_SIGN_IN = "Enter a correct username and password. Both are case-sensitive."
USERNAME_REQUIRED = "Enter your username"
PASSWORD_REQUIRED = "Enter your password"


class SignInForm(AuthenticationForm):
    error_messages = {**AuthenticationForm.error_messages, "invalid_login": INVALID_SIGN_IN}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["username"].error_messages["required"] = USERNAME_REQUIRED
        self.fields["password"].error_messages["required"] = PASSWORD_REQUIRED
        self.helper = FormHelper()
        self.helper.layout = Layout(
            Field.text(
                "username", field_width=Fluid.ONE_HALF, autocomplete="username", spellcheck="false"
            ),
            Field.text("password", field_width=Fluid.ONE_HALF),
            Button("submit", "Sign in"),
        )
