"""A report export that a user asked for: what, with which filters, its state and its file."""

import uuid

from django.conf import settings
from django.db import models
from django.utils import timezone

from core.exports.storage import export_storage


class ExportFormat(models.TextChoices):
    XLSX = "xlsx", "Excel (XLSX)"
    CSV = "csv", "CSV"


class ExportStatus(models.TextChoices):
    QUEUED = "wachtrij", "In de wachtrij"
    RUNNING = "bezig", "Wordt gemaakt"
    READY = "klaar", "Klaar"
    FAILED = "mislukt", "Mislukt"


PENDING_STATUSES = (ExportStatus.QUEUED, ExportStatus.RUNNING)


def export_file_name(instance: "ReportExport", filename: str) -> str:
    """A random name per file; the download keeps the report's own file name."""
    return f"{timezone.now():%Y/%m}/{uuid.uuid4().hex}.{instance.format}"


class ReportExport(models.Model):
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="report_exports",
        verbose_name="aangevraagd door",
    )
    title = models.CharField("rapport", max_length=255)
    filter_summary = models.TextField("filters", blank=True)
    # The admin URL name of the view that makes the file, and the request it answers.
    kind = models.CharField("soort", max_length=200)
    path = models.CharField("adres", max_length=500)
    parameters = models.JSONField("parameters", default=dict, blank=True)
    report_url = models.CharField("adres van het rapport", max_length=1000, blank=True)
    format = models.CharField("formaat", max_length=8, choices=ExportFormat.choices)
    status = models.CharField(
        "status", max_length=16, choices=ExportStatus.choices, default=ExportStatus.QUEUED
    )
    attempts = models.PositiveSmallIntegerField("pogingen", default=0)
    created_at = models.DateTimeField("aangevraagd op", default=timezone.now, db_index=True)
    started_at = models.DateTimeField("gestart op", null=True, blank=True)
    finished_at = models.DateTimeField("klaar op", null=True, blank=True)
    file = models.FileField(
        "bestand", storage=export_storage, upload_to=export_file_name, max_length=255, blank=True
    )
    filename = models.CharField("bestandsnaam", max_length=255, blank=True)
    content_type = models.CharField("bestandssoort", max_length=120, blank=True)
    size = models.PositiveBigIntegerField("grootte in bytes", null=True, blank=True)
    error_message = models.TextField("foutmelding", blank=True)

    class Meta:
        verbose_name = "rapportexport"
        verbose_name_plural = "rapportexports"
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["requested_by", "-created_at"])]

    def __str__(self) -> str:
        return f"{self.title} ({self.get_format_display()}, {self.get_status_display()})"

    @property
    def is_pending(self) -> bool:
        return self.status in PENDING_STATUSES

    @property
    def is_ready(self) -> bool:
        return self.status == ExportStatus.READY and bool(self.file)
