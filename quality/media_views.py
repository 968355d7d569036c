"""Wagtail's document and image edit views, with the file kept as it is under governed pages.

A document or image that a live or submitted governed page shows is never replaced in place: the
public would see the new file without a quality assessment. The editor uploads a new version as a
new document or image and chooses it in a new revision of the page, which passes the gate.
"""

from typing import TYPE_CHECKING, Any

from django.http import HttpRequest, HttpResponse

from wagtail.admin import messages
from wagtail.documents.views.documents import EditView as DocumentEditView
from wagtail.images.views.images import EditView as ImageEditView

from quality.binding import media_in_governed_use
from quality.gate import media_replacement_refusal

IN_USE_NOTICE = (
    "Dit bestand staat op een gepubliceerde of ingediende pagina en wordt hier niet vervangen. "
    "Een nieuwe versie uploadt u als nieuw bestand; kies dat in een nieuwe revisie van de pagina, "
    "die langs de kwaliteitstoets gaat. Titel en tags kunt u hier wel aanpassen."
)


if TYPE_CHECKING:  # the mixin's super() is one of Wagtail's (untyped) edit views
    from wagtail.documents.views.documents import EditView as _EditView
else:
    _EditView = object


class _KeepGovernedFileMixin(_EditView):
    """Refuse a new file for media in governed use, with the reason on the file field."""

    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        response: HttpResponse = super().get(request, *args, **kwargs)
        if media_in_governed_use(self.object):
            messages.warning(request, IN_USE_NOTICE)
        return response

    def is_valid(self, form: Any) -> bool:
        # Wagtail's extension point for validation beyond the form: nothing is saved on refusal.
        if not super().is_valid(form):
            return False
        if "file" in form.changed_data:
            reason = media_replacement_refusal(self.object)
            if reason:
                form.add_error("file", reason)
                self.produced_error_code = "validation_error"
                self.produced_error_message = self.get_error_message()
                return False
        return True


class GuardedDocumentEditView(_KeepGovernedFileMixin, DocumentEditView):
    pass


class GuardedImageEditView(_KeepGovernedFileMixin, ImageEditView):
    pass
