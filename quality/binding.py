"""What an assessment binds to: a fingerprint of everything the public would see from a revision.

A quality assessment judges content, not a revision id. `revision_fingerprint` hashes the
revision's content (without Wagtail's bookkeeping) together with the title and the bytes of every
document and image the revision shows (fields, inline downloads and images, StreamField blocks and
rich-text links, found the way Wagtail's reference index finds them). The gate compares it with the
fingerprint stored in the assessment; any change after the assessment makes it count no more.

`media_in_governed_use` names the live or submitted governed pages that show a document or image,
so that its file is never replaced in place under them.
"""

import hashlib
import json
import logging
from dataclasses import dataclass
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.core.serializers.json import DjangoJSONEncoder
from django.db.models import Model, Q, QuerySet

from wagtail.documents import get_document_model
from wagtail.images import get_image_model
from wagtail.models import (
    COMMENTS_RELATION_NAME,
    Page,
    ReferenceIndex,
    Revision,
    TaskState,
    WorkflowState,
)

from quality.models import QualityAssessment

logger = logging.getLogger(__name__)

# Page fields that are Wagtail's bookkeeping, not what the public sees (publication state, locks,
# tree position, timestamps). Title, slug and the SEO fields do count.
_PUBLIC_PAGE_FIELDS = {"title", "slug", "seo_title", "search_description"}
BOOKKEEPING_KEYS = frozenset(
    {f.name for f in Page._meta.concrete_fields if f.name not in _PUBLIC_PAGE_FIELDS}
    | {f.attname for f in Page._meta.concrete_fields if f.name not in _PUBLIC_PAGE_FIELDS}
    | {COMMENTS_RELATION_NAME}
)
_CHUNK = 1024 * 1024


@dataclass(frozen=True)
class ContentFingerprint:
    """The hash of what a revision shows, and the keys of the documents and images in it."""

    digest: str
    media: tuple[str, ...]

    @property
    def media_text(self) -> str:
        """The media keys as stored in `QualityAssessment.bound_media` (space-delimited)."""
        return f" {' '.join(self.media)} " if self.media else ""


def media_key(obj: Model) -> str:
    """A stable name for a document or image: "wagtaildocs.document:12"."""
    return f"{obj._meta.label_lower}:{obj.pk}"


def _media_models() -> list[type[Model]]:
    return [get_document_model(), get_image_model()]


def shown_media(obj: Model) -> list[Model]:
    """Every document and image `obj` (a page as a revision rebuilds it) refers to."""
    wanted = {ContentType.objects.get_for_model(model).pk: model for model in _media_models()}
    ids: dict[type[Model], set[str]] = {}
    for content_type_id, object_id, *_ in ReferenceIndex._extract_references_from_object(obj):
        model = wanted.get(content_type_id)
        if model is not None:
            ids.setdefault(model, set()).add(str(object_id))
    found: list[Model] = []
    for model, pks in ids.items():
        valid = [pk for pk in pks if pk.isdigit()]
        by_pk = {str(item.pk): item for item in model._default_manager.filter(pk__in=valid)}
        for pk in sorted(pks):
            # A reference to a deleted document still counts: "missing" is part of the hash.
            found.append(by_pk.get(pk) or model(pk=pk))
    return sorted(found, key=media_key)


def file_digest(obj: Model) -> str:
    """The SHA-256 of the file's bytes, or "ontbreekt" when there is no readable file."""
    field_file = getattr(obj, "file", None)
    if not field_file or not getattr(field_file, "name", ""):
        return "ontbreekt"
    digest = hashlib.sha256()
    try:
        with field_file.storage.open(field_file.name, "rb") as handle:
            for chunk in iter(lambda: handle.read(_CHUNK), b""):
                digest.update(chunk)
    except OSError:
        logger.warning("Cannot read %s for the content fingerprint", field_file.name)
        return "ontbreekt"
    return digest.hexdigest()


def public_content(content: dict[str, Any]) -> dict[str, Any]:
    """A revision's content without Wagtail's bookkeeping."""
    return {key: value for key, value in content.items() if key not in BOOKKEEPING_KEYS}


def revision_fingerprint(revision: Revision, *, page: Model | None = None) -> ContentFingerprint:
    """The fingerprint of everything the public would see if `revision` went live.

    `page` is `revision.as_object()` when the caller has just built it from this same revision
    (building it again costs a query per referenced object); otherwise it is built here.
    """
    media = shown_media(page if page is not None else revision.as_object())
    payload = {
        "content": public_content(revision.content or {}),
        "media": [
            {
                "key": media_key(item),
                "title": getattr(item, "title", None),
                "sha256": file_digest(item),
            }
            for item in media
        ],
    }
    encoded = json.dumps(payload, cls=DjangoJSONEncoder, sort_keys=True, separators=(",", ":"))
    return ContentFingerprint(
        digest=hashlib.sha256(encoded.encode()).hexdigest(),
        media=tuple(media_key(item) for item in media),
    )


def _governed_page_filter() -> Q:
    from quality.gate import GOVERNED_MODEL_NAMES

    return Q(content_type__app_label="content", content_type__model__in=GOVERNED_MODEL_NAMES)


def _pending_revisions() -> QuerySet[Revision]:
    """Revisions of governed pages on their way live: in an open workflow or scheduled."""
    from quality.gate import GOVERNED_MODEL_NAMES

    open_states = WorkflowState.objects.filter(
        status__in=[WorkflowState.STATUS_IN_PROGRESS, WorkflowState.STATUS_NEEDS_CHANGES]
    )
    in_workflow = TaskState.objects.filter(workflow_state__in=open_states).values("revision_id")
    pending: QuerySet[Revision] = Revision.objects.filter(
        Q(pk__in=in_workflow) | Q(approved_go_live_at__isnull=False),
        content_type__app_label="content",
        content_type__model__in=GOVERNED_MODEL_NAMES,
    )
    return pending


def media_in_governed_use(obj: Model) -> list[Page]:
    """The live or submitted governed pages that show document or image `obj`."""

    key = media_key(obj)
    live_governed = Page.objects.live().filter(_governed_page_filter())
    # Live pages: what their live revision's assessment bound, and Wagtail's reference index.
    bound = QualityAssessment.objects.filter(
        bound_media__contains=f" {key} ",
        revision_id__in=live_governed.values("live_revision_id"),
    ).values("page_id")
    referenced = ReferenceIndex.get_references_to(obj).filter(
        base_content_type=ContentType.objects.get_for_model(Page)
    )
    referencing_ids = [
        int(pk) for pk in referenced.values_list("object_id", flat=True) if pk.isdigit()
    ]
    pages = {
        page.pk: page for page in live_governed.filter(Q(pk__in=bound) | Q(pk__in=referencing_ids))
    }
    # Submitted or scheduled revisions: read what each one shows (there are few at any time).
    for revision in _pending_revisions():
        if int(revision.object_id) in pages:
            continue
        if key in {media_key(item) for item in shown_media(revision.as_object())}:
            page = Page.objects.filter(pk=revision.object_id).first()
            if page is not None:
                pages[page.pk] = page
    return sorted(pages.values(), key=lambda page: page.pk)
