"""The public knowledge signal form; the rules live in services.submit_knowledge_signal."""

from django import forms

from operations.choices import OrganisationKind
from products.models import Region

# The service reports errors under its own argument names; the form shows them at its fields.
SERVICE_FIELD_TO_FORM_FIELD = {"region_code": "region"}


def region_choices() -> list[tuple[str, str]]:
    return [("", "Kies een regio")] + list(Region.objects.values_list("code", "name"))


class KnowledgeSignalForm(forms.Form):
    """A need or insight from a region. Every field is checked by the service, in Dutch."""

    region = forms.ChoiceField(label="Arbeidsmarktregio", required=False, choices=region_choices)
    organisation_kind = forms.ChoiceField(
        label="Soort organisatie",
        required=False,
        choices=OrganisationKind.choices,
        widget=forms.RadioSelect,
    )
    topic = forms.CharField(label="Onderwerp", required=False, max_length=500)
    description = forms.CharField(
        label="Omschrijving",
        required=False,
        widget=forms.Textarea(attrs={"rows": 8}),
        help_text="Welke behoefte of welk inzicht ziet u in uw regio? Ten minste 20 tekens.",
    )
    contact_name = forms.CharField(label="Uw naam (niet verplicht)", required=False)
    contact_email = forms.CharField(
        label="Uw e-mailadres (niet verplicht)",
        required=False,
        help_text="Alleen als u wilt dat we contact met u opnemen over dit signaal.",
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
    )
    # A field people never see; bots that fill every input give themselves away.
    website = forms.CharField(
        label="Laat dit veld leeg",
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "off", "tabindex": "-1"}),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # NL Design System (Utrecht) classes, and hints tied to their inputs.
        css = {
            "region": "utrecht-select utrecht-select--html-select",
            "organisation_kind": "utrecht-radio-button utrecht-radio-button--html-input",
            "description": "utrecht-textarea utrecht-textarea--html-textarea",
        }
        for name, field in self.fields.items():
            field.widget.attrs["class"] = css.get(
                name, "utrecht-textbox utrecht-textbox--html-input"
            )
            if field.help_text:
                field.widget.attrs["aria-describedby"] = f"{name}-hint"

    def is_spam(self) -> bool:
        return bool((self.cleaned_data.get("website") or "").strip())

    def service_arguments(self) -> dict[str, str]:
        data = self.cleaned_data
        return {
            "region_code": data.get("region") or "",
            "organisation_kind": data.get("organisation_kind") or "",
            "topic": data.get("topic") or "",
            "description": data.get("description") or "",
            "contact_name": data.get("contact_name") or "",
            "contact_email": data.get("contact_email") or "",
        }

    def add_service_errors(self, errors: dict[str, list[str]]) -> None:
        """Show the service's messages at the fields, and tie each message to its input."""
        for field, messages in errors.items():
            for message in messages:
                self.add_error(SERVICE_FIELD_TO_FORM_FIELD.get(field, field), message)
        for name in self.errors:
            if name in self.fields:
                attrs = self.fields[name].widget.attrs
                attrs["aria-invalid"] = "true"
                hint = f" {name}-hint" if self.fields[name].help_text else ""
                attrs["aria-describedby"] = f"{name}-error{hint}"
