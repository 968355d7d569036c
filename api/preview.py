"""Preview of a draft in an external front end: a signed, expiring token for one page revision.

An editor opens the preview link from the admin; it carries a token signed with the project's
SECRET_KEY (django.core.signing.TimestampSigner). The token names exactly one revision. Both APIs
show that revision, and only that one, while the token is valid; nothing else changes for its
bearer.
"""

import os
from urllib.parse import urlencode

from django.core import signing
from django.urls import reverse

from wagtail.models import Page, Revision

from products.models import DevelopmentLinePage, InnovationAgendaPage, ProductPage

SALT = "hubcms.api.preview"
MAX_AGE_SECONDS = 60 * 60


class PreviewTokenError(Exception):
    """The token is missing, malformed, expired or names a revision that is gone."""


def make_preview_token(*, revision: Revision) -> str:
    """Sign the revision's identity; the token expires after MAX_AGE_SECONDS."""
    return signing.TimestampSigner(salt=SALT).sign_object(
        {"revision": revision.pk, "page": int(revision.object_id)}, compress=True
    )


def revision_for_token(token: str, *, max_age: int | None = None) -> Revision:
    """The page revision the token names, or PreviewTokenError with a Dutch reason."""
    if max_age is None:
        max_age = MAX_AGE_SECONDS
    if not token:
        raise PreviewTokenError("Geef een voorvertoningstoken mee.")
    try:
        data = signing.TimestampSigner(salt=SALT).unsign_object(token, max_age=max_age)
    except signing.SignatureExpired as error:
        raise PreviewTokenError(
            "Dit voorvertoningstoken is verlopen. Open de voorvertoning opnieuw vanuit het beheer."
        ) from error
    except (signing.BadSignature, ValueError, TypeError) as error:
        raise PreviewTokenError("Dit voorvertoningstoken is ongeldig.") from error
    # Ids as this module signs them; anything else (only a holder of SECRET_KEY could sign it)
    # would reach the database as it came.
    if not isinstance(data, dict) or not all(
        type(data.get(key)) is int and 0 < data[key] < 2**63 for key in ("revision", "page")
    ):
        raise PreviewTokenError("Dit voorvertoningstoken is ongeldig.")
    revision = (
        Revision.page_revisions.filter(pk=data.get("revision"), object_id=str(data.get("page")))
        .select_related("content_type")
        .first()
    )
    if revision is None:
        raise PreviewTokenError("De versie van dit voorvertoningstoken bestaat niet meer.")
    return revision


def page_for_token(token: str) -> tuple[Page, Revision]:
    """The specific page as the token's revision holds it (never saved, never published)."""
    revision = revision_for_token(token)
    return revision.as_object(), revision


def frontend_preview_url() -> str:
    """The external front end's preview address, from PREVIEW_FRONTEND_URL (empty when unset)."""
    return os.environ.get("PREVIEW_FRONTEND_URL", "").strip()


def preview_link(*, revision: Revision, base_url: str = "") -> str:
    """The link an editor follows: the front end with `?token=`, else the API's own preview."""
    token = make_preview_token(revision=revision)
    target = frontend_preview_url()
    if not target:
        model = revision.content_type.model_class()

        if model and issubclass(model, ProductPage | DevelopmentLinePage | InnovationAgendaPage):
            target = base_url + reverse("productbibliotheek-v1:preview")
        else:
            target = base_url + reverse("wagtailapi:page_preview:preview")
    separator = "&" if "?" in target else "?"
    return f"{target}{separator}{urlencode({'token': token})}"
