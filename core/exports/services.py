"""Report exports: ask for one in a request, make its file in the task worker, clean up old ones.

`request_report_export` stores what the user asked for and enqueues `produce_report_export_task`;
`produce_report_export` replays the request as the requester (core.exports.replay), keeps the file
privately and records the outcome in Dutch. A failure that may pass (a database or storage error)
raises, so that the task queue retries it (core.security.task_retries); a refusal (the requester
lost the permission, the report is gone) is final and never retried.
"""

import logging
from dataclasses import dataclass
from datetime import timedelta
from urllib.parse import urlencode

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.core.files.base import ContentFile
from django.db.models import Q
from django.http import Http404, HttpRequest, HttpResponseBase
from django.utils import timezone
from django.utils.http import parse_header_parameters

from core.exports.models import PENDING_STATUSES, ExportFormat, ExportStatus, ReportExport
from core.exports.replay import replay_request
from core.security.spreadsheets import neutralise_csv

logger = logging.getLogger("hubcms.tasks")

CONTENT_TYPES = {
    ExportFormat.XLSX: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    ExportFormat.CSV: "text/csv; charset=utf-8",
}
NO_ACCESS = "U heeft geen toegang (meer) tot dit rapport. Er is geen bestand gemaakt."
REPORT_GONE = "Dit rapport bestaat niet meer. Er is geen bestand gemaakt."
NOT_QUEUED = (
    "De export kon niet in de wachtrij worden gezet. Probeer het over enkele minuten opnieuw."
)
# An export that no worker finished within this time is reported as failed by `cleanup_exports`.
STALLED_AFTER = timedelta(hours=6)


class ExportRefused(Exception):
    """The export cannot be made for this requester; retrying would not help."""


@dataclass(frozen=True)
class ExportRequest:
    """What the user asked for in the request, before it is stored."""

    created: bool
    export: ReportExport


def request_report_export(
    *,
    request: HttpRequest,
    title: str,
    export_format: str,
    filter_summary: str = "",
    report_url: str = "",
) -> ExportRequest:
    """Store the export the user asked for and enqueue it; an identical pending one is reused.

    `report_url` is where the user sees the report itself (default: this address without
    `export`, i.e. the listing with the same filters)."""
    from core.exports.tasks import produce_report_export_task

    parameters = {key: values for key, values in request.GET.lists() if key != "export"}
    if not report_url:
        query = urlencode(parameters, doseq=True)
        report_url = f"{request.path}?{query}" if query else request.path
    kind = request.resolver_match.view_name
    pending = ReportExport.objects.filter(
        requested_by=request.user,
        kind=kind,
        path=request.path_info,
        format=export_format,
        status__in=PENDING_STATUSES,
    )
    for export in pending:
        if export.parameters == parameters:
            return ExportRequest(created=False, export=export)
    export = ReportExport.objects.create(
        requested_by=request.user,
        title=title[:255],
        filter_summary=filter_summary,
        kind=kind,
        path=request.path_info,  # what the URL resolver sees, without a script prefix
        parameters=parameters,
        report_url=report_url[:1000],
        format=export_format,
    )
    try:
        produce_report_export_task.enqueue(export.pk)
    except Exception:  # the queue is unreachable: say so rather than leave it waiting forever
        logger.exception("Report export %s could not be enqueued", export.pk)
        _mark_failed(export, NOT_QUEUED)
    export.refresh_from_db()
    return ExportRequest(created=True, export=export)


def produce_report_export(*, export_id: int, can_retry: bool = False) -> str:
    """Make the file of export `export_id` as its requester; returns the outcome's status.

    Raises when making it failed in a way that may pass, after recording the failure, so that the
    queue retries it; `can_retry` says whether the queue will (the message tells the user).
    """
    export = ReportExport.objects.select_related("requested_by").filter(pk=export_id).first()
    if export is None:  # cleaned up or its user deleted before the worker came to it
        logger.info("Report export %s no longer exists; nothing to do", export_id)
        return "verdwenen"
    if export.status == ExportStatus.READY:
        return export.status
    export.status = ExportStatus.RUNNING
    export.started_at = timezone.now()
    export.attempts += 1
    export.error_message = ""
    export.save(update_fields=["status", "started_at", "attempts", "error_message"])
    try:
        filename, content = _make_file(export)
        # The stored name is random (models.export_file_name); the download keeps `filename`.
        export.file.save(f"export.{export.format}", ContentFile(content), save=False)
    except ExportRefused as refusal:
        logger.warning(
            "Report export %s (%s) for user %s refused: %s",
            export.pk,
            export.kind,
            export.requested_by_id,
            refusal,
        )
        _mark_failed(export, str(refusal))
        return export.status
    except Exception:
        if can_retry:
            message = (
                "Het maken van de export is mislukt (poging "
                f"{export.attempts} van {settings.HUBCMS_TASK_MAX_ATTEMPTS}). Er wordt "
                "automatisch een nieuwe poging gedaan."
            )
        else:
            message = (
                "Het maken van de export is mislukt. Probeer het later opnieuw; meld het aan de "
                "beheerder als het blijft mislukken."
            )
        logger.exception(
            "Report export %s (%s) failed on attempt %d", export.pk, export.kind, export.attempts
        )
        _mark_failed(export, message)
        raise
    export.status = ExportStatus.READY
    export.filename = filename
    export.content_type = CONTENT_TYPES[export.format]
    export.size = len(content)
    export.finished_at = timezone.now()
    export.error_message = ""
    export.save()
    logger.info("Report export %s (%s) ready: %d bytes", export.pk, export.kind, len(content))
    return export.status


def _make_file(export: ReportExport) -> tuple[str, bytes]:
    """Replay the report's request as the requester; the file's name and content."""
    user = export.requested_by
    if not user.is_active:
        raise ExportRefused(NO_ACCESS)
    try:
        response = replay_request(export)
    except PermissionDenied as error:
        raise ExportRefused(NO_ACCESS) from error
    except (Http404, LookupError) as error:
        raise ExportRefused(REPORT_GONE) from error
    if response.status_code in (301, 302, 403):  # Wagtail sends refused users elsewhere
        raise ExportRefused(NO_ACCESS)
    if response.status_code == 404:
        raise ExportRefused(REPORT_GONE)
    disposition = response.get("Content-Disposition", "")
    if response.status_code != 200 or not disposition.startswith("attachment"):
        raise RuntimeError(
            f"{export.kind} answered {response.status_code} without a file ({disposition!r})"
        )
    content = _content(response)
    if export.format == ExportFormat.CSV:
        # Every CSV export of the admin passes here, Wagtail's own reports included.
        content = neutralise_csv(content)
    return _filename(disposition, export), content


def _filename(disposition: str, export: ReportExport) -> str:
    _, parameters = parse_header_parameters(disposition)
    name = parameters.get("filename") or f"export.{export.format}"
    return name.replace("/", "-").replace("\\", "-")


def _content(response: HttpResponseBase) -> bytes:
    # Not response.close(): it sends request_finished, whose handler closes the task's database
    # connection in the middle of its work. The view's in-memory file goes with the response.
    if getattr(response, "streaming", False):
        return b"".join(
            chunk if isinstance(chunk, bytes) else str(chunk).encode()
            for chunk in response.streaming_content
        )
    return response.content


def _mark_failed(export: ReportExport, message: str) -> None:
    export.status = ExportStatus.FAILED
    export.error_message = message
    export.finished_at = timezone.now()
    export.save(update_fields=["status", "error_message", "finished_at"])


def cleanup_report_exports(*, older_than_days: int | None = None) -> dict[str, int]:
    """Delete exports (and their files) older than the retention period, report stalled ones as
    failed, and remove files that no export refers to any more. Counts of what it did."""
    days = settings.HUBCMS_EXPORTS_RETENTION_DAYS if older_than_days is None else older_than_days
    now = timezone.now()
    cutoff = now - timedelta(days=days)
    deleted = 0
    for export in ReportExport.objects.filter(created_at__lt=cutoff).iterator():
        if export.file:
            export.file.delete(save=False)
        export.delete()
        deleted += 1
    stalled = ReportExport.objects.filter(
        Q(status=ExportStatus.QUEUED, created_at__lt=now - STALLED_AFTER)
        | Q(status=ExportStatus.RUNNING, started_at__lt=now - STALLED_AFTER)
    ).update(
        status=ExportStatus.FAILED,
        finished_at=now,
        error_message="De export is niet op tijd klaargekomen. Vraag hem opnieuw aan.",
    )
    orphans = _delete_orphan_files(older_than=now - timedelta(hours=1))
    return {"deleted": deleted, "stalled": stalled, "orphans": orphans}


def _delete_orphan_files(*, older_than) -> int:
    """Files left by exports that were deleted with their user (a cascade does not delete files).
    Only files older than an hour, so that a file a worker is writing right now stays."""
    storage = ReportExport._meta.get_field("file").storage
    known = set(ReportExport.objects.exclude(file="").values_list("file", flat=True))
    removed = 0
    for name in _walk(storage, ""):
        if name in known:
            continue
        try:
            if storage.get_modified_time(name) >= older_than:
                continue
            storage.delete(name)
        except (FileNotFoundError, NotImplementedError):
            continue
        removed += 1
    return removed


def _walk(storage, folder: str):
    try:
        folders, files = storage.listdir(folder)
    except FileNotFoundError:
        return
    for name in files:
        yield f"{folder}/{name}" if folder else name
    for sub in folders:
        yield from _walk(storage, f"{folder}/{sub}" if folder else sub)
