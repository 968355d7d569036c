"""Forms of the security app: the one-time-code form (authenticator app or recovery code).

Sign-in throttling is django-axes' job (core/security/login_throttling.py), not a form's."""

from django import forms
from django.utils.text import capfirst

from wagtail.admin.forms.auth import LoginForm


class OneTimeCodeForm(forms.Form):
    """Six digits from the authenticator app, or one of the eight-character recovery codes."""

    token = forms.RegexField(
        label="Code uit de authenticator-app (of een herstelcode)",
        regex=r"^\s*(\d{6}|[A-Za-z0-9]{8})\s*$",
        max_length=12,
        error_messages={
            "invalid": "Vul de zes cijfers in die de authenticator-app nu toont, "
            "of een herstelcode van acht tekens.",
            "required": "Vul de code uit de authenticator-app in.",
        },
        widget=forms.TextInput(
            attrs={"autocomplete": "one-time-code", "autofocus": "", "autocapitalize": "off"}
        ),
    )


class DutchLoginForm(LoginForm):
    """Wagtail's login form with Dutch labels: its fields have none, so Django showed the
    English field names ("Username", "Password")."""

    def __init__(self, request=None, *args, **kwargs):
        super().__init__(request, *args, **kwargs)
        self.fields["username"].label = capfirst(self.username_field.verbose_name)
        self.fields["password"].label = "Wachtwoord"
