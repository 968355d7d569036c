"""The Beheerder's "Hub verhuizen" screen: download the whole hub, or import one into a fresh hub.

Only users who may create users and assign roles (the Beheerder) see it: an export holds the
hub's people and the contact details in its registers, and an import creates users with roles.
In the admin an import makes drafts only; publishing what was live in the old hub needs a
Kwaliteitsbewaker's assessment (the workflow, or `import_hub --approved-by`), as the gate asks.
"""

import tempfile
from pathlib import Path

from django import forms
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, HttpRequest, HttpResponse
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.generic import TemplateView

from wagtail.admin.views.generic import WagtailAdminTemplateMixin

from core.hubmove.hubexport import export_hub
from core.hubmove.hubimport import import_hub

REQUIRED_PERMISSIONS = ["auth.add_user", "auth.change_group"]


def may_move_hub(user) -> bool:
    """Whether `user` may export or import the whole hub (the Beheerder's rights)."""
    return user.is_active and user.has_perms(REQUIRED_PERMISSIONS)


class HubImportForm(forms.Form):
    file = forms.FileField(
        label="Hub-export (zip)",
        help_text="Een bestand van 'Hub exporteren' of van manage.py export_hub.",
    )
    dry_run = forms.BooleanField(
        label="Proefimport",
        required=False,
        initial=True,
        help_text="Controleer alles en toon wat er zou gebeuren, zonder iets op te slaan.",
    )


class MoveHubView(WagtailAdminTemplateMixin, TemplateView):
    page_title = "Hub verhuizen"
    header_icon = "download"
    template_name = "importexport/admin/move_hub.html"

    def dispatch(self, request: HttpRequest, *args, **kwargs) -> HttpResponse:
        if not may_move_hub(request.user):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def get_breadcrumbs_items(self):
        return self.breadcrumbs_items + [{"url": "", "label": self.page_title}]

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.setdefault("form", HubImportForm())
        return context

    def post(self, request: HttpRequest, *args, **kwargs) -> HttpResponse:
        if "export" in request.POST:
            return self.export()
        form = HubImportForm(request.POST, request.FILES)
        if not form.is_valid():
            return self.render_to_response(self.get_context_data(form=form))
        with tempfile.TemporaryDirectory(prefix="hubcms-upload-") as folder:
            path = Path(folder) / Path(form.cleaned_data["file"].name).name
            with path.open("wb") as target:
                for chunk in form.cleaned_data["file"].chunks():
                    target.write(chunk)
            report = import_hub(
                path, dry_run=form.cleaned_data["dry_run"], user=request.user.get_username()
            )
        return self.render_to_response(self.get_context_data(form=form, report=report))

    def export(self) -> HttpResponse:
        name = f"hub-{timezone.localdate():%Y-%m-%d}.zip"
        folder = Path(tempfile.mkdtemp(prefix="hubcms-hubexport-"))
        export_hub(folder / name)
        # The file is opened before its folder is removed; the open handle keeps it readable.
        handle = (folder / name).open("rb")
        (folder / name).unlink()
        folder.rmdir()
        return FileResponse(
            handle, as_attachment=True, filename=name, content_type="application/zip"
        )


move_hub = never_cache(MoveHubView.as_view())
