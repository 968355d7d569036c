"""Wagtail's image and document forms with content checks on the file field.

Set as WAGTAILIMAGES_IMAGE_FORM_BASE and WAGTAILDOCS_DOCUMENT_FORM_BASE, so the single and the
multiple uploader, the choosers' upload tabs and the edit forms all check the bytes before Wagtail
stores anything.
"""

from django.core.files.uploadedfile import UploadedFile

from wagtail.documents.fields import WagtailDocumentField
from wagtail.documents.forms import BaseDocumentForm
from wagtail.images.fields import WagtailImageField
from wagtail.images.forms import BaseImageForm

from .uploads import check_size, inspect_document, inspect_image


def _read(data: UploadedFile, *, limit: int) -> bytes:
    """The upload's bytes (refusing oversized files before reading them), rewound afterwards."""
    check_size(size=data.size or 0, limit=limit)
    data.seek(0)
    content = data.read()
    data.seek(0)
    return content


class SafeImageField(WagtailImageField):
    """An image field that inspects the content before Wagtail's own checks."""

    def to_python(self, data):
        if isinstance(data, UploadedFile):
            inspect_image(name=data.name or "", content=_read(data, limit=self.max_upload_size))
        return super().to_python(data)


class SafeDocumentField(WagtailDocumentField):
    """A document field that accepts only allowlisted types whose content matches."""

    def to_python(self, data):
        if isinstance(data, UploadedFile):
            inspect_document(name=data.name or "", content=_read(data, limit=self.max_upload_size))
        return super().to_python(data)


class SafeImageForm(BaseImageForm):
    """Wagtail's image form with the safe file field."""

    file = SafeImageField(label="Bestand")


class SafeDocumentForm(BaseDocumentForm):
    """Wagtail's document form with the safe file field."""

    file = SafeDocumentField(label="Bestand")
