"""Forms of the security app: the one-time-code form (authenticator app or recovery code).

Sign-in throttling is django-axes' job (hubcms/security/login_throttling.py), not a form's."""

from django import forms


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
