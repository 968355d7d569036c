"""The whole-hub import: read a hub export (format version 2) into a fresh hub, all or nothing.

Everything is written in one transaction; any problem (named in Dutch, with its section, record
and field) rolls all of it back, and so does a dry run. The sections are applied in the order of
`HUB_SECTIONS`; products go through the product import (`import_products`), so a product in a hub
export is checked exactly as one in a product file.

Pages arrive as drafts. What was live in the exported hub goes live only through the quality gate:
with `approved_by`, that Kwaliteitsbewaker (who may not be the revisions' author) records a
migration assessment of each page's exact new revision under the framework in force, the blocking
automatic criteria are checked again here, and `publish_migrated_revision` publishes it; the note
names the assessment the page had in the exported hub. A page the gate refuses stays a draft.
"""

import datetime
import json
import tempfile
import zipfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.exceptions import ValidationError
from django.core.files import File
from django.db import transaction
from django.utils import translation
from django.utils.dateparse import parse_datetime

from wagtail.documents import get_document_model
from wagtail.images import get_image_model
from wagtail.models import Page
from wagtail.utils.file import hash_filelike

from core import roles
from operations.choices import PilotPhase
from operations.models import (
    Certification,
    ConsultationAction,
    ConsultationDecision,
    KnowledgeSignal,
    NationalPartner,
    PartnerConsultation,
    Pilot,
    Specialist,
)
from products.choices import DevelopmentLineStatus, MilestoneStatus, PriorityStatus
from products.importexport.format import (
    HUB_FILE_NAME,
    HUB_FORMAT,
    HUB_FORMAT_VERSION,
    HUB_PRODUCT_KEYS,
    HUB_SECTION_LABELS,
    HUB_SECTIONS,
    IMAGE_KEYS,
    PRODUCT_FORMAT_VERSION,
    count_phrase,
)
from products.importexport.importing import import_products
from products.importexport.richtext import unsupported_tags
from products.models import (
    AgendaPriority,
    DevelopmentLineIndexPage,
    DevelopmentLinePage,
    HomePage,
    InnovationAgendaPage,
    Milestone,
    ProductImage,
    ProductLibraryPage,
    ProductPage,
    Region,
    RelatedProduct,
    TargetGroup,
)
from quality.gate import QualityGateRefused
from quality.models import (
    FrameworkStatus,
    QualityCriterion,
    QualityFrameworkVersion,
)
from quality.services import publish_migrated_revision
from search.models import SearchSynonym

LINE_FEATURES = list(DevelopmentLinePage._meta.get_field("goal").features)
AGENDA_FEATURES = list(InnovationAgendaPage._meta.get_field("intro").features)
MAX_ARCHIVE_BYTES = 2 * 1024**3


@dataclass(frozen=True)
class HubProblem:
    """One problem in a hub export; `section` '' and `record` 0 for the file as a whole."""

    section: str
    record: int
    field: str
    message: str

    def __str__(self) -> str:
        where = HUB_SECTION_LABELS.get(self.section, "Bestand")
        if self.record:
            where += f", record {self.record}"
        if self.field:
            where += f", veld {self.field}"
        return f"{where}: {self.message}"


@dataclass
class HubImportReport:
    """What a hub import did (or, in a dry run, would do), or the problems that stopped it."""

    path: Path
    dry_run: bool = False
    problems: list[HubProblem] = field(default_factory=list)
    counts: dict[str, int] = field(default_factory=dict)
    published: list[str] = field(default_factory=list)
    refused: list[str] = field(default_factory=list)
    awaiting: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems

    def summary(self) -> str:
        """One Dutch line about the import."""
        if self.problems:
            count = len(self.problems)
            return (
                f"Niets geïmporteerd: {count} {'probleem' if count == 1 else 'problemen'} "
                f"in {self.path.name}."
            )
        prefix = "Proefimport, niets opgeslagen: " if self.dry_run else "Hub geïmporteerd: "
        parts = ", ".join(count_phrase(key, count) for key, count in self.counts.items())
        published = len(self.published)
        pages = "pagina" if published == 1 else "pagina's"
        verb = "zou worden gepubliceerd" if self.dry_run else "gepubliceerd"
        return f"{prefix}{parts}; {published} {pages} {verb}."

    def lines(self) -> list[str]:
        """Every line to show a user."""
        if self.problems:
            return [str(problem) for problem in self.problems] + [self.summary()]
        done = "Zou worden gepubliceerd" if self.dry_run else "Gepubliceerd"
        lines = [f"{done}: {title}" for title in self.published]
        lines += [f"Niet gepubliceerd (blijft concept): {reason}" for reason in self.refused]
        lines += [
            f"Was gepubliceerd, wacht nu op de kwaliteitstoets: {title}" for title in self.awaiting
        ]
        return lines + [self.summary()]


class _Rollback(Exception):
    """Raised inside the transaction to undo everything (problems found, or a dry run)."""


def import_hub(
    path: Path,
    *,
    dry_run: bool = False,
    user: str | None = None,
    approved_by: str | None = None,
) -> HubImportReport:
    """Import the hub export `path` (a ZIP file) into this hub, which must still be empty.

    `user` (username or e-mail, looked up after the export's people are added) becomes the author
    of the new revisions; `approved_by` names the Kwaliteitsbewaker whose migration assessment
    lets what was live in the exported hub go live here. Returns the report; nothing is written
    when it has problems or on a dry run.
    """
    path = Path(path)
    report = HubImportReport(path=path, dry_run=dry_run)
    with tempfile.TemporaryDirectory(prefix="hubcms-hubimport-") as folder:
        base = Path(folder).resolve()
        data = _read_archive(path, base, report)
        if data is None:
            return report
        with translation.override("nl"):
            _import(data, base=base, report=report, user=user, approved_by=approved_by)
    return report


def _problem_for_file(report: HubImportReport, message: str) -> None:
    report.problems.append(HubProblem("", 0, "", message))


def _read_archive(path: Path, base: Path, report: HubImportReport) -> dict | None:
    if path.suffix.lower() in (".json", ".csv"):
        _problem_for_file(
            report,
            f"'{path.name}' is een productbestand (formaatversie {PRODUCT_FORMAT_VERSION}); "
            "importeer het met import_products. Een hub-export is een .zip-bestand.",
        )
        return None
    if not path.is_file():
        _problem_for_file(report, f"'{path}' bestaat niet of is geen bestand")
        return None
    if not zipfile.is_zipfile(path):
        _problem_for_file(report, f"'{path.name}' is geen zip-bestand (een hub-export)")
        return None
    with zipfile.ZipFile(path) as archive:
        names = archive.namelist()
        if HUB_FILE_NAME not in names:
            _problem_for_file(report, f"'{HUB_FILE_NAME}' ontbreekt in het zip-bestand")
            return None
        if sum(info.file_size for info in archive.infolist()) > MAX_ARCHIVE_BYTES:
            _problem_for_file(report, "het zip-bestand is uitgepakt groter dan 2 GB")
            return None
        for name in names:
            target = (base / name).resolve()
            if not target.is_relative_to(base):
                _problem_for_file(report, f"'{name}' in het zip-bestand ligt buiten de export")
                return None
        archive.extractall(base)
    try:
        data = json.loads((base / HUB_FILE_NAME).read_text(encoding="utf-8-sig"))
    except UnicodeDecodeError as error:
        _problem_for_file(
            report,
            f"'{HUB_FILE_NAME}' is geen UTF-8-tekst (ongeldige byte op positie {error.start})",
        )
        return None
    except json.JSONDecodeError as error:
        _problem_for_file(
            report,
            f"'{HUB_FILE_NAME}' is geen geldige JSON (regel {error.lineno}, kolom {error.colno})",
        )
        return None
    except RecursionError:
        _problem_for_file(report, f"'{HUB_FILE_NAME}' is te diep genest voor een hub-export")
        return None
    if not isinstance(data, dict) or data.get("format") != HUB_FORMAT:
        _problem_for_file(report, f"'{HUB_FILE_NAME}' is geen hub-export (format '{HUB_FORMAT}')")
        return None
    if data.get("formatVersion") != HUB_FORMAT_VERSION:
        _problem_for_file(
            report,
            f"formaatversie {data.get('formatVersion')!r} is onbekend; deze hubcms leest versie "
            f"{PRODUCT_FORMAT_VERSION} (producten) en {HUB_FORMAT_VERSION} (hub)",
        )
        return None
    known = set(HUB_SECTIONS) | {"format", "formatVersion", "exportedAt"}
    for key in data:
        if key not in known:
            _problem_for_file(report, f"onbekend onderdeel '{key}' in {HUB_FILE_NAME}")
    for section in HUB_SECTIONS:
        if not isinstance(data.get(section, []), list):
            report.problems.append(HubProblem(section, 0, "", "moet een lijst zijn"))
    return None if report.problems else data


def _import(data: dict, *, base: Path, report: HubImportReport, user, approved_by) -> None:
    importer = _HubImporter(data, base=base, report=report)
    if not importer.hub_is_empty():
        return
    Document, Image = get_document_model(), get_image_model()
    last_document = Document.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
    last_image = Image.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
    stored: list[Any] = []
    try:
        with transaction.atomic():
            importer.run(user=user, approved_by=approved_by)
            if report.problems or report.dry_run:
                stored = [d.file for d in Document.objects.filter(pk__gt=last_document)]
                stored += [i.file for i in Image.objects.filter(pk__gt=last_image)]
                raise _Rollback
    except _Rollback:
        # The database is rolled back; the files stored for new documents and images go too.
        for file in stored:
            file.delete(save=False)
        if report.problems:
            report.published, report.refused, report.awaiting = [], [], []


class _HubImporter:
    """Applies the sections of one hub export, collecting a problem per record and field."""

    def __init__(self, data: dict, *, base: Path, report: HubImportReport) -> None:
        self.data = data
        self.base = base
        self.report = report
        self.section = ""
        self.number = 0
        self.people: dict[str, Any] = {}
        self.regions = {region.code: region for region in Region.objects.all()}
        self.lines: dict[str, DevelopmentLinePage] = {}
        self.products: dict[str, ProductPage] = {}
        self.specialists: dict[str, Specialist] = {}
        self.inactive: list[Any] = []
        self.products_failed = False  # then references to products are not checked again
        self.author = None
        self.governed: list[tuple[Page, dict]] = []  # (page, its record) in publishing order

    # Problems

    def problem(self, field_name: str, message: str) -> None:
        self.report.problems.append(HubProblem(self.section, self.number, field_name, message))

    def model_problems(self, error: ValidationError, keys: dict[str, str] | None = None) -> None:
        keys = keys or {}
        if hasattr(error, "error_dict"):
            for name, messages in error.message_dict.items():
                name = "" if name == "__all__" else keys.get(name, name)
                self.problem(name, " ".join(messages))
        else:
            self.problem("", " ".join(error.messages))

    def records(self, section: str) -> list[tuple[int, Any]]:
        self.section = section
        items = self.data.get(section) or []
        result = []
        for number, item in enumerate(items, start=1):
            self.number = number
            if section != "nationalPartners" and not isinstance(item, dict):
                self.problem("", "moet een object ({...}) zijn")
                continue
            result.append((number, item))
        self.number = 0
        return result

    # Reading values

    def text(self, item: dict, key: str, *, required: bool = False) -> str:
        value = item.get(key)
        if value is None:
            value = ""
        if not isinstance(value, str):
            self.problem(key, "moet tekst zijn")
            return ""
        if required and not value.strip():
            self.problem(key, "is verplicht en mag niet leeg zijn")
        return value

    def flag(self, item: dict, key: str, *, default: bool = False) -> bool:
        value = item.get(key, default)
        if not isinstance(value, bool):
            self.problem(key, "moet true of false zijn")
            return False
        return value

    def date(self, item: dict, key: str, *, required: bool = False) -> datetime.date | None:
        value = item.get(key)
        if value in (None, ""):
            if required:
                self.problem(key, "is verplicht; schrijf jaar-maand-dag, bijvoorbeeld 2027-03-31")
            return None
        try:
            return datetime.date.fromisoformat(str(value))
        except ValueError:
            self.problem(key, f"'{value}' is geen datum; schrijf jaar-maand-dag")
            return None

    def moment(self, item: dict, key: str) -> datetime.datetime | None:
        value = item.get(key)
        if value in (None, ""):
            return None
        parsed = parse_datetime(str(value)) if isinstance(value, str) else None
        if parsed is None:
            self.problem(key, f"'{value}' is geen tijdstip (ISO 8601)")
        return parsed

    def string_list(self, item: dict, key: str) -> list[str]:
        value = item.get(key) or []
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            self.problem(key, "moet een lijst van teksten zijn")
            return []
        return value

    def html(self, item: dict, key: str, features: list[str]) -> str:
        value = self.text(item, key)
        tags = unsupported_tags(value, features=features)
        if tags:
            listed = ", ".join(f"<{tag}>" for tag in tags)
            self.problem(key, f"bevat HTML die de editor hier niet kent: {listed}")
        return value

    def person(self, item: dict, key: str):
        identifier = self.text(item, key)
        if not identifier:
            return None
        user = self.find_person(identifier)
        if user is None:
            self.problem(key, f"'{identifier}' is geen bekende gebruiker (e-mailadres)")
        return user

    def find_person(self, identifier: str):
        if identifier.casefold() in self.people:
            return self.people[identifier.casefold()]
        User = get_user_model()
        return (
            User.objects.filter(username=identifier).first()
            or User.objects.filter(email__iexact=identifier).order_by("pk").first()
        )

    def region(self, item: dict, key: str) -> Region | None:
        code = self.text(item, key, required=True)
        if code and code not in self.regions:
            self.problem(key, f"'{code}' is geen arbeidsmarktregio (gebruik de code)")
        return self.regions.get(code)

    def product(self, slug: str, key: str) -> ProductPage | None:
        page = self.products.get(slug)
        if page is None and not self.products_failed:
            self.problem(key, f"'{slug}' is geen product in deze export")
        return page

    def saved(self, instance, keys: dict[str, str] | None = None, exclude=None) -> bool:
        """Validate and save a model instance; its validation errors become problems."""
        try:
            instance.full_clean(exclude=exclude)
        except ValidationError as error:
            self.model_problems(error, keys)
            return False
        instance.save()
        return True

    # The run

    def hub_is_empty(self) -> bool:
        """A hub export goes into a fresh hub (bootstrap_hub, without --demo)."""
        if ProductLibraryPage.objects.first() is None or HomePage.objects.first() is None:
            _problem_for_file(
                self.report, "deze hub is nog niet ingericht; voer eerst bootstrap_hub uit"
            )
            return False
        filled = [
            label
            for model, label in (
                (ProductPage, "producten"),
                (DevelopmentLinePage, "ontwikkellijnen"),
                (InnovationAgendaPage, "een innovatieagenda"),
                (Pilot, "pilots"),
                (Specialist, "maatwerkspecialisten"),
                (KnowledgeSignal, "kennissignalen"),
                (PartnerConsultation, "partneroverleggen"),
            )
            if model.objects.exists()
        ]
        if filled:
            _problem_for_file(
                self.report,
                f"deze hub bevat al {', '.join(filled)}; een hub-export wordt in een nieuwe hub "
                "geïmporteerd (bootstrap_hub zonder --demo)",
            )
            return False
        return True

    def run(self, *, user: str | None, approved_by: str | None) -> None:
        self.import_people()
        self.author = self.acting_user(user, "--user")
        reviewer = self.acting_user(approved_by, "--approved-by") if approved_by else None
        self.import_target_groups()
        self.import_framework_versions()
        self.import_lines()
        self.import_agenda()
        self.import_products()
        self.import_partners()
        self.import_specialists()
        self.import_pilots()
        self.import_certifications()
        self.import_signals()
        self.import_consultations()
        self.import_synonyms()
        self.report.counts = {
            key: len(self.data.get(key) or []) for key in HUB_SECTIONS if self.data.get(key)
        }
        if not self.report.problems:
            self.publish(reviewer)
            self.apply_drafts()
        for user in self.inactive:
            user.is_active = False
            user.save(update_fields=["is_active"])

    def acting_user(self, identifier: str | None, option: str):
        if not identifier:
            return None
        self.section, self.number = "", 0
        found = self.find_person(identifier)
        if found is None:
            _problem_for_file(
                self.report,
                f"{option}: '{identifier}' is geen gebruiker in deze hub of in de export",
            )
        return found

    # People and vocabularies

    def import_people(self) -> None:
        User = get_user_model()
        role_names = {role.name for role in roles.ROLES}
        for _number, item in self.records("people"):
            self.number = _number
            email = self.text(item, "email")
            username = self.text(item, "username")
            if not (email or username):
                self.problem("email", "een gebruiker heeft een e-mailadres of gebruikersnaam")
                continue
            names = self.string_list(item, "roles")
            unknown = [name for name in names if name not in role_names]
            if unknown:
                self.problem("roles", f"onbekende rol(len): {', '.join(unknown)}")
                continue
            existing = (
                User.objects.filter(email__iexact=email).order_by("pk").first()
                if email
                else User.objects.filter(username=username).first()
            )
            if existing is None:
                name = (
                    username
                    if username and not User.objects.filter(username=username).exists()
                    else email
                )
                existing = User(
                    username=name,
                    email=email,
                    first_name=self.text(item, "firstName"),
                    last_name=self.text(item, "lastName"),
                    is_active=True,
                )
                if not self.flag(item, "active", default=True):
                    # A former colleague may still own products; the product import accepts
                    # active owners only, so they are deactivated once everything is in place.
                    self.inactive.append(existing)
                existing.set_unusable_password()
                if not self.saved(
                    existing, {"username": "username", "email": "email"}, exclude=["password"]
                ):
                    continue
                existing.groups.set(Group.objects.filter(name__in=names))
            for key in (email, username):
                if key:
                    self.people[key.casefold()] = existing

    def import_target_groups(self) -> None:
        for _number, item in self.records("targetGroups"):
            self.number = _number
            slug = self.text(item, "slug", required=True)
            name = self.text(item, "name", required=True)
            if not (slug and name) or TargetGroup.objects.filter(slug=slug).exists():
                continue
            if TargetGroup.objects.filter(name=name).exists():
                self.problem("name", f"een andere doelgroep heet al '{name}'")
                continue
            self.saved(
                TargetGroup(slug=slug, name=name, description=self.text(item, "description"))
            )

    def import_framework_versions(self) -> None:
        for _number, item in self.records("frameworkVersions"):
            self.number = _number
            number = self.text(item, "version", required=True)
            criteria = item.get("criteria") or []
            if not isinstance(criteria, list) or not all(isinstance(c, dict) for c in criteria):
                self.problem("criteria", "moet een lijst van criteria (objecten) zijn")
                continue
            status = self.text(item, "status", required=True)
            if status not in FrameworkStatus.values:
                self.problem(
                    "status",
                    f"'{status}' is geen status (kies uit {', '.join(FrameworkStatus.values)})",
                )
                continue
            existing = QualityFrameworkVersion.objects.filter(version=number).first()
            wanted = [self.criterion_values(c, index) for index, c in enumerate(criteria, start=1)]
            if existing is not None:
                have = [
                    {name: getattr(c, name) for name in _CRITERION_KEYS.values()}
                    for c in existing.criteria.order_by("sort_order", "pk")
                ]
                if have != wanted:
                    self.problem(
                        "criteria",
                        f"kwaliteitskader v{number} bestaat al in deze hub met andere criteria; "
                        "een vastgestelde versie wijzigt niet",
                    )
                continue
            version = QualityFrameworkVersion(
                version=number,
                effective_date=self.date(item, "effectiveDate", required=True),
                change_note=self.text(item, "changeNote"),
                status=FrameworkStatus.DRAFT,
            )
            if not self.saved(
                version, {"effective_date": "effectiveDate", "change_note": "changeNote"}
            ):
                continue
            valid = True
            for order, values in enumerate(wanted):
                criterion = QualityCriterion(version=version, sort_order=order, **values)
                try:
                    criterion.full_clean(exclude=["version"])
                except ValidationError as error:
                    self.model_problems(
                        error,
                        {
                            name: f"criteria[{order + 1}].{key}"
                            for key, name in _CRITERION_KEYS.items()
                        },
                    )
                    valid = False
                    continue
                criterion.save()
            if valid and status != FrameworkStatus.DRAFT:
                version.status = FrameworkStatus.PUBLISHED
                version.save()

    def criterion_values(self, item: dict, index: int) -> dict[str, Any]:
        values: dict[str, Any] = {}
        for key, name in _CRITERION_KEYS.items():
            value = item.get(key)
            if key in ("pageTypes", "productTypes", "lifecycleStages"):
                values[name] = list(value or [])
            else:
                values[name] = value if isinstance(value, str) else ""
        unknown = [key for key in item if key not in _CRITERION_KEYS]
        for key in unknown:
            self.problem(f"criteria[{index}].{key}", "onbekend veld")
        return values

    # Governed pages

    def import_lines(self) -> None:
        index = DevelopmentLineIndexPage.objects.first()
        for _number, item in self.records("developmentLines"):
            self.number = _number
            page = DevelopmentLinePage(live=False, owner=self.author)
            if not self.fill_line(page, item):
                continue
            try:
                index.add_child(instance=page)  # saving validates the page
            except ValidationError as error:
                self.model_problems(error, _LINE_KEYS)
                continue
            page.save_revision(user=self.author, log_action=True, clean=False)
            self.lines[page.slug] = page
            self.governed.append((page, item))

    def fill_line(self, page: DevelopmentLinePage, item: dict) -> bool:
        start = len(self.report.problems)
        page.slug = self.text(item, "slug", required=True)
        page.title = self.text(item, "title", required=True)
        page.summary = self.text(item, "summary")
        page.goal = self.html(item, "goal", LINE_FEATURES)
        page.lead = self.text(item, "lead")
        page.lead_user = self.person(item, "leadUser")
        page.status = self.text(item, "status") or DevelopmentLineStatus.GEPLAND
        milestones = []
        for index, milestone in enumerate(item.get("milestones") or [], start=1):
            if not isinstance(milestone, dict):
                self.problem(f"milestones[{index}]", "moet een object zijn")
                continue
            instance = Milestone(
                title=self.text(milestone, "title", required=True),
                planned_quarter=self.text(milestone, "plannedQuarter", required=True),
                status=self.text(milestone, "status") or MilestoneStatus.GEPLAND,
                sort_order=index - 1,
            )
            try:
                instance.full_clean(exclude=["page"])
            except ValidationError as error:
                self.model_problems(
                    error,
                    {
                        "title": f"milestones[{index}].title",
                        "planned_quarter": f"milestones[{index}].plannedQuarter",
                        "status": f"milestones[{index}].status",
                    },
                )
            milestones.append(instance)
        page.milestones = milestones
        return len(self.report.problems) == start

    def import_agenda(self) -> None:
        home = HomePage.objects.first()
        for _number, item in self.records("agenda"):
            self.number = _number
            page = InnovationAgendaPage(live=False, owner=self.author)
            if not self.fill_agenda(page, item):
                continue
            try:
                home.add_child(instance=page)  # saving validates the page
            except ValidationError as error:
                self.model_problems(
                    error, {"period_start": "periodStart", "period_end": "periodEnd"}
                )
                continue
            page.save_revision(user=self.author, log_action=True, clean=False)
            self.governed.append((page, item))

    def fill_agenda(self, page: InnovationAgendaPage, item: dict) -> bool:
        start = len(self.report.problems)
        page.slug = self.text(item, "slug", required=True)
        page.title = self.text(item, "title", required=True)
        for key, name in (("periodStart", "period_start"), ("periodEnd", "period_end")):
            value = item.get(key)
            if not isinstance(value, int) or isinstance(value, bool):
                self.problem(key, "moet een jaartal zijn")
            else:
                setattr(page, name, value)
        page.intro = self.html(item, "intro", AGENDA_FEATURES)
        priorities = []
        for index, priority in enumerate(item.get("priorities") or [], start=1):
            where = f"priorities[{index}]"
            if not isinstance(priority, dict):
                self.problem(where, "moet een object zijn")
                continue
            lines = []
            for slug in self.string_list(priority, "developmentLines"):
                line = self.lines.get(slug)
                if line is None:
                    self.problem(
                        f"{where}.developmentLines",
                        f"'{slug}' is geen ontwikkellijn in deze export",
                    )
                else:
                    lines.append(line)
            instance = AgendaPriority(
                title=self.text(priority, "title", required=True),
                description=self.text(priority, "description"),
                owner=self.text(priority, "owner", required=True),
                planned_quarter=self.text(priority, "plannedQuarter", required=True),
                status=self.text(priority, "status") or PriorityStatus.GEPLAND,
                steering_mechanism=self.text(priority, "steeringMechanism"),
                development_lines=lines,
                sort_order=index - 1,
            )
            try:
                instance.full_clean(exclude=["page", "development_lines"])
            except ValidationError as error:
                self.model_problems(
                    error,
                    {
                        "title": f"{where}.title",
                        "owner": f"{where}.owner",
                        "planned_quarter": f"{where}.plannedQuarter",
                        "status": f"{where}.status",
                    },
                )
            priorities.append(instance)
        page.priorities = priorities
        return len(self.report.problems) == start

    def import_products(self) -> None:
        self.section = "products"
        items = self.data.get("products") or []
        records = [_product_part(item) for item in items]
        if not records:
            return
        product_report = self.run_product_import(records)
        if product_report is None:
            self.products_failed = True
            return
        for outcome in product_report.records:
            self.products[outcome.slug] = outcome.page
        for number, item in enumerate(items, start=1):
            self.number = number
            page = self.products.get(item.get("slug"))
            if page is not None:
                self.apply_images_and_links(page, item)
                self.governed.append((page, item))
        self.number = 0

    def run_product_import(self, records: list[Any]):
        path = self.base / "_producten.json"
        path.write_text(json.dumps(records, ensure_ascii=False), encoding="utf-8")
        product_report = import_products(path, user=self.author)
        path.unlink()
        for problem in product_report.problems:
            self.report.problems.append(
                HubProblem("products", problem.record, problem.field, problem.message)
            )
        return product_report if product_report.ok else None

    def apply_images_and_links(self, page: ProductPage, item: dict) -> None:
        """Images and related products, as a new revision when they differ from the latest."""
        images = self.images(item)
        related = []
        for slug in self.string_list(item, "relatedProducts"):
            target = self.product(slug, "relatedProducts")
            if target is not None:
                related.append(target)
        latest = page.get_latest_revision_as_object()
        have_images = [
            (i.image_id, i.alt_text, i.decorative, i.caption) for i in latest.images.all()
        ]
        have_related = [link.related_id for link in latest.related_products.all()]
        want_images = [(i.image_id, i.alt_text, i.decorative, i.caption) for i in images]
        if have_images == want_images and have_related == [p.pk for p in related]:
            return
        latest.images = images
        latest.related_products = [
            RelatedProduct(related=target, sort_order=order) for order, target in enumerate(related)
        ]
        if not page.live:
            latest.save(clean=False)
        latest.save_revision(user=self.author, log_action=True, clean=False)

    def images(self, item: dict) -> list[ProductImage]:
        result = []
        value = item.get("images") or []
        if not isinstance(value, list):
            self.problem("images", "moet een lijst zijn")
            return result
        for index, entry in enumerate(value, start=1):
            where = f"images[{index}]"
            if not isinstance(entry, dict):
                self.problem(where, "moet een object zijn")
                continue
            for key in entry:
                if key not in IMAGE_KEYS:
                    self.problem(
                        f"{where}.{key}", f"onbekend veld (bekend: {', '.join(IMAGE_KEYS)})"
                    )
            path = self.file(entry.get("file"), f"{where}.file")
            if path is None:
                continue
            instance = ProductImage(
                image=self.image_for(path, title=self.text(entry, "title") or path.stem),
                alt_text=self.text(entry, "altText"),
                decorative=self.flag(entry, "decorative"),
                caption=self.text(entry, "caption"),
                sort_order=index - 1,
            )
            try:
                instance.full_clean(exclude=["page"])
            except ValidationError as error:
                self.model_problems(
                    error, {"alt_text": f"{where}.altText", "caption": f"{where}.caption"}
                )
                continue
            result.append(instance)
        return result

    def file(self, name: Any, field_name: str) -> Path | None:
        if not isinstance(name, str) or not name:
            self.problem(field_name, "noem het bestand (pad in het zip-bestand)")
            return None
        path = (self.base / name).resolve()
        if not path.is_relative_to(self.base) or not path.is_file():
            self.problem(field_name, f"het bestand '{name}' ontbreekt in het zip-bestand")
            return None
        return path

    def image_for(self, path: Path, *, title: str):
        Image = get_image_model()
        with path.open("rb") as handle:
            file_hash = hash_filelike(handle)
        existing = Image.objects.filter(file_hash=file_hash).order_by("pk").first()
        if existing is not None:
            return existing
        with path.open("rb") as handle:
            image = Image(title=title, file=File(handle, name=path.name), file_hash=file_hash)
            image.save()
        return image

    # Operations

    def import_partners(self) -> None:
        for _number, name in self.records("nationalPartners"):
            self.number = _number
            if not isinstance(name, str) or not name.strip():
                self.problem("", "een partner is een niet-lege naam")
                continue
            NationalPartner.objects.get_or_create(name=name.strip())

    def import_specialists(self) -> None:
        for _number, item in self.records("specialists"):
            self.number = _number
            key = self.text(item, "key", required=True)
            specialist = Specialist(
                name=self.text(item, "name", required=True),
                organisation=self.text(item, "organisation", required=True),
                region=self.region(item, "region"),
                email=self.text(item, "email"),
                phone=self.text(item, "phone"),
                public_listing=self.flag(item, "publicListing"),
                notes=self.text(item, "notes"),
            )
            if key in self.specialists:
                self.problem("key", f"'{key}' staat al bij een andere specialist")
            elif specialist.region is not None and self.saved(
                specialist, {"public_listing": "publicListing"}
            ):
                self.specialists[key] = specialist

    def import_pilots(self) -> None:
        for _number, item in self.records("pilots"):
            self.number = _number
            product = self.product(self.text(item, "product", required=True), "product")
            regions = []
            for code in self.string_list(item, "regions"):
                if code in self.regions:
                    regions.append(self.regions[code])
                else:
                    self.problem("regions", f"'{code}' is geen arbeidsmarktregio (gebruik de code)")
            pilot = Pilot(
                product=product,
                title=self.text(item, "title", required=True),
                organisations=self.text(item, "organisations"),
                start_date=self.date(item, "startDate"),
                end_date=self.date(item, "endDate"),
                phase=self.text(item, "phase") or PilotPhase.GEPLAND,
                evaluation=self.text(item, "evaluation"),
                evaluated_on=self.date(item, "evaluatedOn"),
                outcome=self.text(item, "outcome"),
                lessons=self.text(item, "lessons"),
            )
            if product is not None and self.saved(pilot, _PILOT_KEYS):
                pilot.regions.set(regions)

    def import_certifications(self) -> None:
        for _number, item in self.records("certifications"):
            self.number = _number
            specialist = self.specialist(item, "specialist", required=True)
            trainer = self.specialist(item, "certifiedBy")
            product = self.product(self.text(item, "product", required=True), "product")
            certified_on = self.date(item, "certifiedOn", required=True)
            valid_until = self.date(item, "validUntil", required=True)
            if None in (specialist, product, certified_on, valid_until):
                continue
            self.saved(
                Certification(
                    specialist=specialist,
                    product=product,
                    role=self.text(item, "role", required=True),
                    certified_on=certified_on,
                    valid_until=valid_until,
                    certified_by=trainer,
                ),
                {
                    "certified_on": "certifiedOn",
                    "valid_until": "validUntil",
                    "certified_by": "certifiedBy",
                },
            )

    def specialist(self, item: dict, key: str, *, required: bool = False) -> Specialist | None:
        value = self.text(item, key, required=required)
        if not value:
            return None
        if value not in self.specialists:
            self.problem(key, f"'{value}' is geen maatwerkspecialist in deze export")
        return self.specialists.get(value)

    def import_signals(self) -> None:
        for _number, item in self.records("knowledgeSignals"):
            self.number = _number
            line_slug = self.text(item, "developmentLine")
            line = self.lines.get(line_slug) if line_slug else None
            if line_slug and line is None:
                self.problem(
                    "developmentLine", f"'{line_slug}' is geen ontwikkellijn in deze export"
                )
            products = [
                page
                for page in (
                    self.product(slug, "products") for slug in self.string_list(item, "products")
                )
                if page is not None
            ]
            signal = KnowledgeSignal(
                region=self.region(item, "region"),
                organisation_kind=self.text(item, "organisationKind", required=True),
                topic=self.text(item, "topic", required=True),
                description=self.text(item, "description", required=True),
                contact_name=self.text(item, "contactName"),
                contact_email=self.text(item, "contactEmail"),
                received_at=self.moment(item, "receivedAt"),
                status=self.text(item, "status", required=True),
                status_reason=self.text(item, "statusReason"),
                decided_at=self.moment(item, "decidedAt"),
                development_line=line,
                notification_sent_at=self.moment(item, "notificationSentAt"),
            )
            if signal.received_at is None:
                self.problem("receivedAt", "is verplicht (ISO 8601)")
                continue
            if signal.region is not None and self.saved(signal, _SIGNAL_KEYS):
                signal.products.set(products)

    def import_consultations(self) -> None:
        partners = {partner.name: partner for partner in NationalPartner.objects.all()}
        for _number, item in self.records("consultations"):
            self.number = _number
            chosen = []
            for name in self.string_list(item, "partners"):
                if name in partners:
                    chosen.append(partners[name])
                else:
                    self.problem("partners", f"'{name}' is geen landelijke partner")
            consultation = PartnerConsultation(
                date=self.date(item, "date", required=True),
                title=self.text(item, "title", required=True),
                attendees=self.text(item, "attendees"),
                topics=self.text(item, "topics", required=True),
                notes=self.text(item, "notes"),
            )
            decisions = [
                ConsultationDecision(text=text, sort_order=order)
                for order, text in enumerate(self.string_list(item, "decisions"))
            ]
            actions = []
            for index, action in enumerate(item.get("actions") or [], start=1):
                if not isinstance(action, dict):
                    self.problem(f"actions[{index}]", "moet een object zijn")
                    continue
                actions.append(
                    ConsultationAction(
                        description=self.text(action, "description", required=True),
                        owner=self.text(action, "owner", required=True),
                        due_date=self.date(action, "dueDate", required=True),
                        done=self.flag(action, "done"),
                        sort_order=index - 1,
                    )
                )
            consultation.partners = chosen
            consultation.decisions = decisions
            consultation.actions = actions
            if consultation.date is None:
                continue
            self.saved(consultation, exclude=["partners"])

    def import_synonyms(self) -> None:
        for _number, item in self.records("synonyms"):
            self.number = _number
            terms = self.text(item, "terms", required=True)
            if not terms or SearchSynonym.objects.filter(terms=terms).exists():
                continue
            self.saved(SearchSynonym(terms=terms, note=self.text(item, "note")))

    # Going live, then the drafts of next versions

    def publish(self, reviewer) -> None:
        for page, item in self.governed:
            if item.get("live") is not True:
                continue
            title = str(page.title)
            if reviewer is None:
                self.report.awaiting.append(title)
                continue
            revision = Page.objects.get(pk=page.pk).specific.latest_revision
            try:
                publish_migrated_revision(
                    revision=revision,
                    reviewer=reviewer,
                    note=migration_note(item, self.report.path),
                )
            except QualityGateRefused as refusal:
                self.report.refused.append(refusal.summary)
            else:
                self.report.published.append(title)

    def apply_drafts(self) -> None:
        product_drafts = []
        for page, item in self.governed:
            draft = item.get("draft")
            if not isinstance(draft, dict):
                continue
            if isinstance(page, ProductPage):
                product_drafts.append((page, draft))
                continue
            self.section = "developmentLines" if isinstance(page, DevelopmentLinePage) else "agenda"
            latest = Page.objects.get(pk=page.pk).specific.get_latest_revision_as_object()
            fill = self.fill_line if isinstance(latest, DevelopmentLinePage) else self.fill_agenda
            if fill(latest, draft):
                latest.save_revision(user=self.author, log_action=True, clean=False)
        if product_drafts:
            self.section = "products"
            product_report = self.run_product_import([_product_part(d) for _, d in product_drafts])
            if product_report is not None:
                for page, draft in product_drafts:
                    self.apply_images_and_links(ProductPage.objects.get(pk=page.pk), draft)


_CRITERION_KEYS = {
    "code": "code",
    "title": "title",
    "explanation": "explanation",
    "kind": "kind",
    "severity": "severity",
    "checkCode": "check_code",
    "pageTypes": "page_types",
    "productTypes": "product_types",
    "lifecycleStages": "lifecycle_stages",
}
_LINE_KEYS = {"lead_user": "leadUser"}
_PILOT_KEYS = {
    "start_date": "startDate",
    "end_date": "endDate",
    "evaluated_on": "evaluatedOn",
}
_SIGNAL_KEYS = {
    "organisation_kind": "organisationKind",
    "contact_name": "contactName",
    "contact_email": "contactEmail",
    "received_at": "receivedAt",
    "status_reason": "statusReason",
    "decided_at": "decidedAt",
    "development_line": "developmentLine",
}


def _product_part(item: Any) -> Any:
    """A hub product record as a record of the product format (its extra keys removed)."""
    if not isinstance(item, dict):
        return item
    return {key: value for key, value in item.items() if key not in HUB_PRODUCT_KEYS}


def migration_note(item: dict, path: Path) -> str:
    """The note of a moved page's migration assessment: where it came from and how it was judged."""
    note = f"Overgenomen uit hub-export {path.name}"
    earlier = item.get("assessment")
    if isinstance(earlier, dict):
        note += (
            f"; in de vorige hub goedgekeurd door {earlier.get('reviewerName') or earlier.get('reviewer')}"
            f" op {str(earlier.get('assessedAt', ''))[:10]} onder kwaliteitskader "
            f"v{earlier.get('frameworkVersion')}"
        )
    else:
        note += "; in de vorige hub zonder goedgekeurde kwaliteitstoets"
    return note
