"""Forms of the security app: the throttled admin login and the one-time-code forms."""

from django import forms
from django.core.exceptions import ValidationError

from wagtail.admin.forms.auth import LoginForm

from .throttling import clear_failed_logins, lockout_message, login_blocked, record_failed_login


class ThrottledLoginForm(LoginForm):
    """Wagtail's login form, refusing sign-in while the account or address is throttled."""

    def clean(self):
        username = self.cleaned_data.get("username") or ""
        if self.request is not None and login_blocked(request=self.request, username=username):
            raise ValidationError(lockout_message(), code="throttled")
        try:
            cleaned = super().clean()
        except ValidationError:
            if self.request is not None and username:
                record_failed_login(request=self.request, username=username)
            raise
        clear_failed_logins(username=username)
        return cleaned


class OneTimeCodeForm(forms.Form):
    """A six-digit code from the authenticator app."""

    token = forms.RegexField(
        label="Code uit de authenticator-app",
        regex=r"^\s*\d{6}\s*$",
        max_length=8,
        error_messages={
            "invalid": "Vul de zes cijfers in die de authenticator-app nu toont.",
            "required": "Vul de code uit de authenticator-app in.",
        },
        widget=forms.TextInput(
            attrs={"autocomplete": "one-time-code", "inputmode": "numeric", "autofocus": ""}
        ),
    )
