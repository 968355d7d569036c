"""The whole-hub export: one ZIP file that holds everything a hub is (format version 2).

`export_hub(output)` writes `hub.json` (see `products.importexport.format.HUB_SECTIONS`) and the
files that products carry (downloads under `bestanden/`, images under `afbeeldingen/`). Products
are records of the product format (version 1) with a few extra keys; people are named by e-mail
address. Governed pages (products, lines, the agenda) carry their live content and, when an editor
is working on a next version, that draft as well. `import_hub` reads the file back.
"""

import datetime
import json
import os
import shutil
import tempfile
import zipfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.utils import timezone

from wagtail.models import Page

from core import roles
from operations.models import (
    Certification,
    KnowledgeSignal,
    NationalPartner,
    PartnerConsultation,
    Pilot,
    Specialist,
)
from products.importexport.exporting import (
    ExportReport,
    _DownloadWriter,
    _text,
    person_key,
    product_record,
)
from products.importexport.format import (
    HUB_DOCUMENTS_DIR,
    HUB_FILE_NAME,
    HUB_FORMAT,
    HUB_FORMAT_VERSION,
    HUB_IMAGES_DIR,
    HUB_SECTIONS,
    count_phrase,
)
from products.importexport.richtext import comparable
from products.models import DevelopmentLinePage, InnovationAgendaPage, ProductPage, TargetGroup
from quality.models import QualityAssessment, QualityFrameworkVersion
from search.models import SearchSynonym


@dataclass
class HubExportReport:
    """What a hub export wrote: a count per section and any warnings."""

    output: Path
    counts: dict[str, int] = field(default_factory=dict)
    warnings: list[str] = field(default_factory=list)

    def summary(self) -> str:
        """One Dutch line about the export."""
        parts = ", ".join(count_phrase(key, count) for key, count in self.counts.items())
        return f"Hub geëxporteerd naar {self.output}: {parts}."


def export_hub(output: Path) -> HubExportReport:
    """Write the whole hub to the ZIP file `output`; return what was written."""
    output = Path(output)
    report = HubExportReport(output=output)
    with tempfile.TemporaryDirectory(prefix="hubcms-export-") as folder:
        base = Path(folder)
        documents = _DownloadWriter(
            folder=base / HUB_DOCUMENTS_DIR, base_dir=base, report=ExportReport(file_format="json")
        )
        images = _ImageWriter(folder=base / HUB_IMAGES_DIR, base_dir=base, report=report)
        data = hub_data(documents=documents, images=images)
        report.warnings += documents.report.warnings
        (base / HUB_FILE_NAME).write_text(
            json.dumps(data, ensure_ascii=False, indent=2) + "\n", encoding="utf-8"
        )
        output.parent.mkdir(parents=True, exist_ok=True)
        with zipfile.ZipFile(output, "w", compression=zipfile.ZIP_DEFLATED) as archive:
            for path in sorted(base.rglob("*")):
                if path.is_file():
                    archive.write(path, path.relative_to(base).as_posix())
    report.counts = {
        key: len(data[key])
        for key in HUB_SECTIONS
        if key not in ("targetGroups", "nationalPartners")
    }
    return report


def hub_data(*, documents: _DownloadWriter, images: "_ImageWriter") -> dict[str, Any]:
    """The hub as the content of `hub.json`."""
    return {
        "format": HUB_FORMAT,
        "formatVersion": HUB_FORMAT_VERSION,
        "exportedAt": timezone.now().isoformat(timespec="seconds"),
        "people": _people(),
        "targetGroups": [
            {"slug": group.slug, "name": group.name, "description": group.description}
            for group in TargetGroup.objects.order_by("slug")
        ],
        "frameworkVersions": [_framework_version(v) for v in _framework_versions()],
        "developmentLines": [
            _governed(page, _line_record) for page in DevelopmentLinePage.objects.order_by("path")
        ],
        "agenda": [
            _governed(page, _agenda_record)
            for page in InnovationAgendaPage.objects.order_by("path")
        ],
        "products": [
            _governed(page, lambda p: _product_record(p, documents=documents, images=images))
            for page in ProductPage.objects.order_by("path")
        ],
        "nationalPartners": list(
            NationalPartner.objects.order_by("name").values_list("name", flat=True)
        ),
        "specialists": _specialists(),
        "pilots": [
            _pilot(pilot) for pilot in Pilot.objects.order_by("product__slug", "title", "pk")
        ],
        "certifications": _certifications(),
        "knowledgeSignals": [
            _signal(signal) for signal in KnowledgeSignal.objects.order_by("received_at", "pk")
        ],
        "consultations": [
            _consultation(item) for item in PartnerConsultation.objects.order_by("date", "title")
        ],
        "synonyms": [
            {"terms": item.terms, "note": item.note}
            for item in SearchSynonym.objects.order_by("terms", "pk")
        ],
    }


# People


def _people() -> list[dict[str, Any]]:
    role_names = [role.name for role in roles.ROLES]
    people = []
    users = get_user_model().objects.filter(groups__name__in=role_names).distinct()
    for user in users.order_by("email", "username"):
        people.append(
            {
                "email": user.email,
                "username": user.get_username(),
                "firstName": user.first_name,
                "lastName": user.last_name,
                "active": user.is_active,
                "roles": sorted(
                    Group.objects.filter(user=user, name__in=role_names).values_list(
                        "name", flat=True
                    )
                ),
            }
        )
    return people


# The quality framework


def _framework_versions() -> list[QualityFrameworkVersion]:
    """Versions in the order they were adopted, so that replaying them supersedes the same way."""
    versions = list(QualityFrameworkVersion.objects.prefetch_related("criteria"))
    far = timezone.make_aware(datetime.datetime(9999, 1, 1))
    return sorted(versions, key=lambda v: (v.published_at or far, v.effective_date, v.pk))


def _framework_version(version: QualityFrameworkVersion) -> dict[str, Any]:
    return {
        "version": version.version,
        "effectiveDate": version.effective_date.isoformat(),
        "changeNote": version.change_note,
        "status": version.status,
        "criteria": [
            {
                "code": criterion.code,
                "title": criterion.title,
                "explanation": criterion.explanation,
                "kind": criterion.kind,
                "severity": criterion.severity,
                "checkCode": criterion.check_code,
                "pageTypes": list(criterion.page_types),
                "productTypes": list(criterion.product_types),
                "lifecycleStages": list(criterion.lifecycle_stages),
            }
            for criterion in version.criteria.order_by("sort_order", "pk")
        ],
    }


# Governed pages: live content, the draft of a next version, and how the live one was assessed


def _governed(page: Page, record_of) -> dict[str, Any]:
    """The page's live content (or its draft when not live), plus `draft` and `assessment`."""
    latest = page.get_latest_revision_as_object()
    if page.live:
        live_revision = page.live_revision
        live = live_revision.as_object() if live_revision else page
        record = record_of(live)
        record["live"] = True
        draft = record_of(latest)
        draft.pop("live", None)
        if page.has_unpublished_changes and draft != {
            k: v for k, v in record.items() if k != "live"
        }:
            record["draft"] = draft
        record["assessment"] = _assessment(live_revision)
    else:
        record = record_of(latest)
        record["live"] = False
    return record


def _assessment(revision) -> dict[str, Any] | None:
    """How the live revision was assessed in this hub: history, shown in the new hub's note."""
    if revision is None:
        return None
    assessment = (
        QualityAssessment.objects.filter(revision=revision, passed=True)
        .select_related("framework_version", "reviewer")
        .order_by("-created_at")
        .first()
    )
    if assessment is None:
        return None
    return {
        "frameworkVersion": assessment.framework_version.version,
        "reviewer": person_key(assessment.reviewer) or assessment.reviewer_name,
        "reviewerName": assessment.reviewer_name,
        "assessedAt": assessment.created_at.isoformat(timespec="seconds"),
        "source": assessment.source,
    }


def _line_record(page: DevelopmentLinePage) -> dict[str, Any]:
    return {
        "slug": page.slug,
        "title": _text(page.title),
        "summary": _text(page.summary),
        "goal": comparable(page.goal or ""),
        "lead": _text(page.lead),
        "leadUser": person_key(page.lead_user) if page.lead_user_id else None,
        "status": page.status,
        "milestones": [
            {"title": m.title, "plannedQuarter": m.planned_quarter, "status": m.status}
            for m in page.milestones.all()
        ],
    }


def _agenda_record(page: InnovationAgendaPage) -> dict[str, Any]:
    return {
        "slug": page.slug,
        "title": _text(page.title),
        "periodStart": page.period_start,
        "periodEnd": page.period_end,
        "intro": comparable(page.intro or ""),
        "priorities": [
            {
                "title": item.title,
                "description": item.description,
                "owner": item.owner,
                "plannedQuarter": item.planned_quarter,
                "status": item.status,
                "developmentLines": sorted(line.slug for line in item.development_lines.all()),
                "steeringMechanism": item.steering_mechanism,
            }
            for item in page.priorities.all()
        ],
    }


def _product_record(
    page: ProductPage, *, documents: _DownloadWriter, images: "_ImageWriter"
) -> dict[str, Any]:
    record = product_record(page, downloads=documents)
    record["images"] = [images.entry(item) for item in page.images.all()]
    record["relatedProducts"] = [link.related.slug for link in page.related_products.all()]
    return record


class _ImageWriter:
    """Copies each image file once into the images folder, named relative to the export."""

    def __init__(self, *, folder: Path, base_dir: Path, report: HubExportReport) -> None:
        self.folder = folder
        self.base_dir = base_dir
        self.report = report
        self.written: dict[int, Path] = {}
        self.taken: set[str] = set()

    def entry(self, item) -> dict[str, Any]:
        image = item.image
        path = self.written.get(image.pk)
        if path is None:
            name = Path(image.file.name).name or f"afbeelding-{image.pk}"
            if name in self.taken:
                stem, suffix = os.path.splitext(name)
                name = f"{stem}-{image.pk}{suffix}"
            self.taken.add(name)
            path = self.folder / name
            self.written[image.pk] = path
            self.folder.mkdir(parents=True, exist_ok=True)
            try:
                with image.file.open("rb") as source, path.open("wb") as target:
                    shutil.copyfileobj(source, target)
            except OSError as error:
                self.report.warnings.append(
                    f"Het bestand van afbeelding '{image.title}' kan niet worden gelezen "
                    f"({error.strerror or error}); {name} ontbreekt in de export"
                )
        return {
            "file": path.relative_to(self.base_dir).as_posix(),
            "title": image.title,
            "altText": item.alt_text,
            "decorative": item.decorative,
            "caption": item.caption,
        }


# The operations registers


def specialist_keys() -> dict[int, str]:
    """A stable key per specialist (its e-mail address, else its name) for references."""
    keys: dict[int, str] = {}
    taken: set[str] = set()
    for specialist in Specialist.objects.order_by("name", "pk"):
        key = specialist.email or specialist.name
        if key in taken:
            key = f"{key} ({specialist.organisation})"
        taken.add(key)
        keys[specialist.pk] = key
    return keys


def _specialists() -> list[dict[str, Any]]:
    keys = specialist_keys()
    return [
        {
            "key": keys[item.pk],
            "name": item.name,
            "organisation": item.organisation,
            "region": item.region.code,
            "email": item.email,
            "phone": item.phone,
            "publicListing": item.public_listing,
            "notes": item.notes,
        }
        for item in Specialist.objects.select_related("region").order_by("name", "pk")
    ]


def _certifications() -> list[dict[str, Any]]:
    keys = specialist_keys()
    rows = Certification.objects.select_related("product").order_by(
        "certified_on", "certified_by_id", "pk"
    )
    # A trainer's own certification comes before the ones they give on the same day.
    ordered = sorted(rows, key=lambda c: (c.certified_on, c.certified_by_id is not None, c.pk))
    return [
        {
            "specialist": keys[item.specialist_id],
            "product": item.product.slug,
            "role": item.role,
            "certifiedOn": item.certified_on.isoformat(),
            "validUntil": item.valid_until.isoformat(),
            "certifiedBy": keys[item.certified_by_id] if item.certified_by_id else None,
        }
        for item in ordered
    ]


def _date(value) -> str | None:
    return value.isoformat() if value else None


def _pilot(pilot: Pilot) -> dict[str, Any]:
    return {
        "product": pilot.product.slug,
        "title": pilot.title,
        "regions": sorted(pilot.regions.values_list("code", flat=True)),
        "organisations": pilot.organisations,
        "startDate": _date(pilot.start_date),
        "endDate": _date(pilot.end_date),
        "phase": pilot.phase,
        "evaluation": pilot.evaluation,
        "evaluatedOn": _date(pilot.evaluated_on),
        "outcome": pilot.outcome,
        "lessons": pilot.lessons,
    }


def _moment(value) -> str | None:
    return value.isoformat(timespec="seconds") if value else None


def _signal(signal: KnowledgeSignal) -> dict[str, Any]:
    return {
        "region": signal.region.code,
        "organisationKind": signal.organisation_kind,
        "topic": signal.topic,
        "description": signal.description,
        "contactName": signal.contact_name,
        "contactEmail": signal.contact_email,
        "receivedAt": _moment(signal.received_at),
        "status": signal.status,
        "statusReason": signal.status_reason,
        "decidedAt": _moment(signal.decided_at),
        "developmentLine": signal.development_line.slug if signal.development_line_id else None,
        "products": sorted(signal.products.values_list("slug", flat=True)),
        "notificationSentAt": _moment(signal.notification_sent_at),
    }


def _consultation(item: PartnerConsultation) -> dict[str, Any]:
    return {
        "date": item.date.isoformat(),
        "title": item.title,
        "partners": sorted(partner.name for partner in item.partners.all()),
        "attendees": item.attendees,
        "topics": item.topics,
        "notes": item.notes,
        "decisions": [decision.text for decision in item.decisions.all()],
        "actions": [
            {
                "description": action.description,
                "owner": action.owner,
                "dueDate": action.due_date.isoformat(),
                "done": action.done,
            }
            for action in item.actions.all()
        ],
    }
