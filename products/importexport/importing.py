"""The import service: validate a whole file, then create or update product drafts in one go.

New products are created as drafts (not live) under the product library; existing products (found
by slug) get a new revision built on their latest revision, so their live version is never
touched. A record whose content equals the latest revision's content is left alone
("ongewijzigd"). Publishing is not part of an import.
"""

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from django.contrib.auth.base_user import AbstractBaseUser
from django.core.exceptions import ValidationError
from django.core.files import File
from django.db import transaction

from wagtail.documents import get_document_model
from wagtail.rich_text import RichText

from products.importexport.format import RICH_TEXT_SECTION_KEYS
from products.importexport.reading import read_records
from products.importexport.report import ImportProblem, ImportReport, RecordOutcome
from products.importexport.richtext import to_rich_text
from products.importexport.validation import (
    STEP_FEATURES,
    DownloadSpec,
    ProductRecord,
    validate_records,
)
from products.models import ProductDownload, ProductLibraryPage, ProductPage, TargetGroup
from products.models.products import SECTION_FEATURES


def import_products(
    path: Path,
    *,
    dry_run: bool = False,
    user: AbstractBaseUser | None = None,
    file_format: str | None = None,
) -> ImportReport:
    """Import the products in a JSON or CSV file as drafts; return what happened.

    Nothing is written when any record has a problem (`report.problems`, in Dutch, each with its
    record number and field) or when `dry_run` is set. `user` becomes the author of the new
    revisions; `file_format` ('json' or 'csv') overrides the file's extension.
    """
    path = Path(path)
    report = ImportReport(path=path, dry_run=dry_run)
    raw_records, problems = read_records(path, file_format=file_format)
    if problems:
        report.problems = problems
        return report
    library = ProductLibraryPage.objects.first()
    if library is None:
        report.problems = [
            ImportProblem(0, "", "er is nog geen productbibliotheek; voer eerst bootstrap_hub uit")
        ]
        return report
    records, problems = validate_records(
        raw_records, library=library, base_dir=path.parent.resolve(), user=user
    )
    if problems:
        report.problems = problems
        return report

    new_groups = _new_target_groups(records)
    new_documents = _new_documents(records)
    report.created_target_groups = [name for name in new_groups.values()]
    report.created_documents = [_document_title(spec) for spec in new_documents]
    if dry_run:
        report.records = [_planned_outcome(record) for record in records]
        return report

    stored_files: list[Any] = []
    try:
        with transaction.atomic():
            groups = _create_target_groups(new_groups)
            documents = _create_documents(new_documents, user=user, stored_files=stored_files)
            for record in records:
                report.records.append(
                    _apply_record(
                        record, library=library, user=user, groups=groups, documents=documents
                    )
                )
    except BaseException as error:
        # The transaction is rolled back; the files stored for new documents must go as well.
        for stored in stored_files:
            stored.delete(save=False)
        if not isinstance(error, _RecordInvalid):
            raise
        invalid = error
        report.records = []
        report.created_target_groups = []
        report.created_documents = []
        report.problems = invalid.problems
    return report


class _RecordInvalid(Exception):
    def __init__(self, problems: list[ImportProblem]) -> None:
        self.problems = problems


# Comparing


def page_state(page: ProductPage) -> dict[str, Any]:
    """The content of a product as the import sees it, for comparing with a record."""
    # Imported text is stripped, as the admin's forms strip it; compare like with like.
    state: dict[str, Any] = {
        "title": (page.title or "").strip(),
        "slug": page.slug,
        "product_type": page.product_type,
        "summary": (page.summary or "").strip(),
        "lifecycle_status": page.lifecycle_status,
        "version": (page.version or "").strip(),
        "change_note": (page.change_note or "").strip(),
        "product_owner": page.product_owner_id,
        "next_review_date": page.next_review_date,
    }
    for key in RICH_TEXT_SECTION_KEYS:
        state[key] = to_rich_text(getattr(page, key) or "", features=SECTION_FEATURES)
    state["aanpak"] = [
        {
            "title": (block.value["title"] or "").strip(),
            "description": to_rich_text(
                _source(block.value["description"]), features=STEP_FEATURES
            ),
            "duration": (block.value["duration"] or "").strip(),
        }
        for block in page.aanpak
        if block.block_type == "step"
    ]
    state["target_groups"] = sorted(group.slug for group in page.target_groups.all())
    state["themes"] = sorted(tag.name for tag in page.themes.all())
    state["development_lines"] = sorted(line.pk for line in page.development_lines.all())
    state["regions"] = sorted(region.pk for region in page.regions.all())
    state["downloads"] = [
        (_document_hash(download.document_id), download.kind, download.title)
        for download in page.downloads.all()
    ]
    return state


def record_state(record: ProductRecord, current: dict[str, Any]) -> dict[str, Any]:
    """The content a product would have after this record: the current state with its keys."""
    state = dict(current)
    for field_name, value in record.values.items():
        if field_name == "product_owner":
            value = value.pk if value is not None else None
        state[field_name] = value
    if record.target_groups is not None:
        state["target_groups"] = sorted(choice.slug for choice in record.target_groups)
    if record.themes is not None:
        state["themes"] = sorted(record.themes)
    if record.development_lines is not None:
        state["development_lines"] = sorted(line.pk for line in record.development_lines)
    if record.regions is not None:
        state["regions"] = sorted(region.pk for region in record.regions)
    if record.downloads is not None:
        state["downloads"] = [(spec.file_hash, spec.kind, spec.title) for spec in record.downloads]
    return state


def _planned_outcome(record: ProductRecord) -> RecordOutcome:
    if record.page is None:
        return RecordOutcome(record.number, record.slug, record.title, "created")
    latest = record.page.get_latest_revision_as_object()
    current = page_state(latest)
    outcome = "unchanged" if record_state(record, current) == current else "updated"
    return RecordOutcome(record.number, record.slug, latest.title, outcome, page=record.page)


# Applying


def _new_target_groups(records: list[ProductRecord]) -> dict[str, str]:
    """slug -> name of the target groups that records name but that do not exist yet."""
    new: dict[str, str] = {}
    for record in records:
        for choice in record.target_groups or []:
            if choice.existing is None:
                new.setdefault(choice.slug, choice.name)
    return new


def _new_documents(records: list[ProductRecord]) -> list[DownloadSpec]:
    """One download spec per file content that no existing document has."""
    new: dict[str, DownloadSpec] = {}
    for record in records:
        for spec in record.downloads or []:
            if spec.existing_document_id is None:
                new.setdefault(spec.file_hash, spec)
    return list(new.values())


def _create_target_groups(new_groups: dict[str, str]) -> dict[str, TargetGroup]:
    return {
        slug: TargetGroup.objects.create(name=name, slug=slug) for slug, name in new_groups.items()
    }


def _create_documents(specs: list[DownloadSpec], *, user, stored_files: list) -> dict[str, int]:
    """Create a Wagtail document per new file; return file hash -> document id."""
    Document = get_document_model()
    created: dict[str, int] = {}
    for spec in specs:
        with spec.path.open("rb") as handle:
            document = Document(
                title=_document_title(spec),
                file=File(handle, name=spec.path.name),
                file_size=spec.path.stat().st_size,
                file_hash=spec.file_hash,
                uploaded_by_user=user,
            )
            document.save()
        stored_files.append(document.file)
        created[spec.file_hash] = document.pk
    return created


def _apply_record(
    record: ProductRecord,
    *,
    library: ProductLibraryPage,
    user,
    groups: dict[str, TargetGroup],
    documents: dict[str, int],
) -> RecordOutcome:
    if record.page is None:
        page = ProductPage(owner=user, live=False, has_unpublished_changes=True)
        _fill(page, record, groups=groups, documents=documents)
        with _model_validation(record):
            library.add_child(instance=page)
            page.full_clean()  # saving a draft checks only its title and slug
        revision = page.save_revision(user=user, log_action=True, clean=False)
        return RecordOutcome(record.number, record.slug, page.title, "created", page, revision)

    latest = record.page.get_latest_revision_as_object()
    current = page_state(latest)
    if record_state(record, current) == current:
        return RecordOutcome(record.number, record.slug, latest.title, "unchanged", record.page)
    _fill(latest, record, groups=groups, documents=documents)
    with _model_validation(record):
        latest.full_clean()
        if not record.page.live:
            # As Wagtail's edit view does: a page that is not live keeps its draft in its row.
            latest.save(clean=False)
    revision = latest.save_revision(user=user, log_action=True, clean=False)
    return RecordOutcome(record.number, record.slug, latest.title, "updated", record.page, revision)


def _fill(
    page: ProductPage,
    record: ProductRecord,
    *,
    groups: dict[str, TargetGroup],
    documents: dict[str, int],
) -> None:
    for field_name, value in record.values.items():
        if field_name == "aanpak":
            page.aanpak = [
                (
                    "step",
                    {
                        "title": step["title"],
                        "description": RichText(step["description"]),
                        "duration": step["duration"],
                    },
                )
                for step in value
            ]
        else:
            setattr(page, field_name, value)
    if record.target_groups is not None:
        page.target_groups = [
            choice.existing or groups[choice.slug] for choice in record.target_groups
        ]
    if record.themes is not None:
        page.themes.set(record.themes)
    if record.development_lines is not None:
        page.development_lines = record.development_lines
    if record.regions is not None:
        page.regions = record.regions
    if record.downloads is not None:
        page.downloads = [
            ProductDownload(
                document_id=spec.existing_document_id or documents[spec.file_hash],
                kind=spec.kind,
                title=spec.title,
                sort_order=index,
            )
            for index, spec in enumerate(record.downloads)
        ]


@contextmanager
def _model_validation(record: ProductRecord) -> Iterator[None]:
    """The model's own validation backs up ours; a failure becomes a problem of the record."""
    try:
        yield
    except ValidationError as error:
        problems = [
            ImportProblem(record.number, field_name, " ".join(messages))
            for field_name, messages in error.message_dict.items()
        ]
        raise _RecordInvalid(problems) from None


def _document_title(spec: DownloadSpec) -> str:
    """A new document is titled after its download, or after its file as the admin does."""
    return spec.title or spec.path.stem


def _source(value: Any) -> str:
    return value.source if isinstance(value, RichText) else str(value or "")


def _document_hash(document_id: int | None) -> str:
    """The content hash of a document (computed from its file when Wagtail has not stored it)."""
    if document_id is None:
        return ""
    document = get_document_model().objects.filter(pk=document_id).first()
    if document is None:
        return f"ontbrekend document {document_id}"
    if document.file_hash:
        return document.file_hash
    try:
        return document.get_file_hash()
    except OSError:
        return f"document {document_id}"
