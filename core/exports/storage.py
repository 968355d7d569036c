"""Where report exports are kept: a private location, never under MEDIA_ROOT or MEDIA_URL."""

import os

from django.conf import settings
from django.core.files.storage import FileSystemStorage, Storage, storages


class PrivateExportStorage(FileSystemStorage):
    """Files on disk under HUBCMS_EXPORTS_ROOT. They have no URL: only the admin's download view
    serves them, to the user who asked for them."""

    def __init__(self, **kwargs) -> None:
        kwargs.setdefault("file_permissions_mode", 0o640)
        kwargs.setdefault("directory_permissions_mode", 0o750)
        super().__init__(**kwargs)

    # Read at use, not at import, so that a test or a command can point it elsewhere.
    @property
    def base_location(self) -> str:
        return self._value_or_setting(self._location, settings.HUBCMS_EXPORTS_ROOT)

    @property
    def location(self) -> str:
        return os.path.abspath(self.base_location)

    def url(self, name: str | None) -> str:
        raise ValueError("Exports have no public URL; the admin's download view serves them.")


def export_storage() -> Storage:
    """The storage of report exports (STORAGES["exports"])."""
    return storages["exports"]
