"""Validating raw import records: every problem is collected, nothing is written.

The result of validation is a list of `ProductRecord`s whose references are resolved (development
lines, regions, target groups, owner, download files), ready to be compared and applied.
"""

import datetime
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.core.validators import validate_slug, validate_unicode_slug
from django.utils.text import slugify

from wagtail.documents import get_document_model
from wagtail.utils.file import hash_filelike

from core.security.uploads import inspect_document
from products.blocks import ApproachStepBlock
from products.choices import DownloadKind, LifecycleStatus, ProductType
from products.importexport.format import (
    DOWNLOAD_KEYS,
    RECORD_KEYS,
    RICH_TEXT_SECTION_KEYS,
    SECTION_KEYS,
    STEP_KEYS,
)
from products.importexport.reading import RawRecord
from products.importexport.report import ImportProblem
from products.importexport.richtext import (
    ALWAYS_ALLOWED,
    FEATURE_TAGS,
    to_rich_text,
    unsupported_tags,
)
from products.models import (
    DevelopmentLinePage,
    ProductDownload,
    ProductLibraryPage,
    ProductPage,
    Region,
    TargetGroup,
)
from products.models.products import SECTION_FEATURES
from products.validators import validate_version

STEP_FEATURES: list[str] = list(ApproachStepBlock.base_blocks["description"].features)
ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")


def _max_length(model, field_name: str) -> int:
    return model._meta.get_field(field_name).max_length


TITLE_MAX = _max_length(ProductPage, "title")
SLUG_MAX = _max_length(ProductPage, "slug")
VERSION_MAX = _max_length(ProductPage, "version")
TARGET_GROUP_MAX = _max_length(TargetGroup, "name")
DOWNLOAD_TITLE_MAX = _max_length(ProductDownload, "title")
DOCUMENT_TITLE_MAX = _max_length(get_document_model(), "title")
THEME_MAX = 100  # taggit's Tag.name
STEP_TITLE_MAX = ApproachStepBlock.base_blocks["title"].field.max_length
STEP_DURATION_MAX = ApproachStepBlock.base_blocks["duration"].field.max_length


@dataclass
class TargetGroupChoice:
    """A target group of a record: an existing one, or the name of one the import will create."""

    name: str
    slug: str
    existing: TargetGroup | None = None


@dataclass
class DownloadSpec:
    """A download of a record: the file to import, its kind and title, and its content hash."""

    path: Path
    kind: str
    title: str
    file_hash: str
    existing_document_id: int | None = None


@dataclass
class ProductRecord:
    """A valid record: only the keys present in the file are set (None = key absent)."""

    number: int
    slug: str
    page: ProductPage | None
    values: dict[str, Any] = field(default_factory=dict)
    target_groups: list[TargetGroupChoice] | None = None
    themes: list[str] | None = None
    development_lines: list[DevelopmentLinePage] | None = None
    regions: list[Region] | None = None
    downloads: list[DownloadSpec] | None = None

    @property
    def title(self) -> str:
        if "title" in self.values:
            return self.values["title"]
        return self.page.draft_title if self.page else ""


class _Lookups:
    """Everything records refer to, loaded once per import."""

    def __init__(self, *, library: ProductLibraryPage, base_dir: Path, user) -> None:
        self.base_dir = base_dir
        self.user = user
        self.products = {
            page.slug: page for page in ProductPage.objects.child_of(library).specific()
        }
        self.development_lines = {
            page.slug: page for page in DevelopmentLinePage.objects.order_by("slug")
        }
        self.regions: dict[str, Region] = {}
        for region in Region.objects.all():
            self.regions[region.code.casefold()] = region
            self.regions[region.name.casefold()] = region
        self.target_groups: dict[str, TargetGroup] = {}
        for group in TargetGroup.objects.all():
            self.target_groups[group.slug.casefold()] = group
            self.target_groups[group.name.casefold()] = group
        self.new_target_groups: dict[str, TargetGroupChoice] = {}
        self.owners: dict[str, Any] = {}
        self.documents_by_hash: dict[str, int | None] = {}
        self.hashed_documents = False
        self.file_hashes: dict[Path, str] = {}


def validate_records(
    raw_records: list[RawRecord], *, library: ProductLibraryPage, base_dir: Path, user=None
) -> tuple[list[ProductRecord], list[ImportProblem]]:
    """Check every raw record and resolve its references; return the records and all problems.

    `user` is who imports: a product locked by anyone else is refused.
    """
    lookups = _Lookups(library=library, base_dir=base_dir, user=user)
    records: list[ProductRecord] = []
    problems: list[ImportProblem] = []
    first_record_of_slug: dict[str, int] = {}
    for raw in raw_records:
        checker = _RecordChecker(raw, lookups)
        record = checker.check()
        if record is not None and record.slug:
            earlier = first_record_of_slug.get(record.slug)
            if earlier is not None:
                checker.problem("slug", f"'{record.slug}' staat ook in record {earlier}")
            else:
                first_record_of_slug[record.slug] = raw.number
        problems += checker.problems
        if record is not None:
            records.append(record)
    return records, problems


class _RecordChecker:
    """Checks one record, collecting a problem per field rather than stopping at the first."""

    def __init__(self, raw: RawRecord, lookups: _Lookups) -> None:
        self.raw = raw
        self.lookups = lookups
        self.problems: list[ImportProblem] = []

    def problem(self, field_name: str, message: str) -> None:
        self.problems.append(ImportProblem(self.raw.number, field_name, message, row=self.raw.row))

    def check(self) -> ProductRecord | None:
        data = self.raw.data
        if not isinstance(data, dict):
            self.problem("", f"een product is een object ({{...}}), geen {_type_name(data)}")
            return None
        for key in data:
            if key not in RECORD_KEYS:
                self.problem(str(key), f"onbekend veld (bekend: {', '.join(RECORD_KEYS)})")
        slug = self.check_slug(data)
        page = self.lookups.products.get(slug) if slug else None
        if page is not None:
            self.check_editable(page)
        record = ProductRecord(number=self.raw.number, slug=slug or "", page=page)
        is_new = page is None
        values = record.values
        if slug:
            values["slug"] = slug

        if "title" in data or is_new:
            title = self.text(data, "title", required=True, max_length=TITLE_MAX)
            if title:
                values["title"] = title
        if "productType" in data or is_new:
            product_type = self.choice(
                data, "productType", ProductType, required=True, noun="bekend producttype"
            )
            if product_type:
                values["product_type"] = product_type
        if "lifecycleStatus" in data:
            status = self.choice(
                data, "lifecycleStatus", LifecycleStatus, required=True, noun="bekende levensfase"
            )
            if status:
                values["lifecycle_status"] = status
        if "version" in data:
            version = self.text(data, "version", required=True, max_length=VERSION_MAX)
            if version:
                try:
                    validate_version(version)
                except ValidationError as error:
                    self.problem(
                        "version", f"'{version}' is geen geldige versie. {error.messages[0]}"
                    )
                else:
                    values["version"] = version
        for key, field_name in (("summary", "summary"), ("changeNote", "change_note")):
            if key in data:
                value = self.text(data, key)
                if value is not None:
                    values[field_name] = value
        if "owner" in data:
            self.check_owner(data, values)
        if "nextReviewDate" in data:
            self.check_date(data, values)
        if "sections" in data:
            self.check_sections(data["sections"], values)
        if "developmentLines" in data:
            record.development_lines = self.check_development_lines(data["developmentLines"])
        if "targetGroups" in data:
            record.target_groups = self.check_target_groups(data["targetGroups"])
        if "themes" in data:
            record.themes = self.check_themes(data["themes"])
        if "regions" in data:
            record.regions = self.check_regions(data["regions"])
        if "downloads" in data:
            record.downloads = self.check_downloads(data["downloads"])
        return record

    def check_editable(self, page: ProductPage) -> None:
        """An alias follows its original, and a page locked by someone else is not to be edited."""
        if page.alias_of_id:
            self.problem(
                "slug",
                f"'{page.slug}' is een alias van een ander product; werk het origineel bij",
            )
        elif page.locked and (
            self.lookups.user is None or page.locked_by_id != self.lookups.user.pk
        ):
            who = page.locked_by.get_username() if page.locked_by_id else "iemand"
            self.problem(
                "slug",
                f"het product '{page.slug}' is vergrendeld door {who}; ontgrendel het eerst in de "
                "beheeromgeving",
            )

    # Scalars

    def check_slug(self, data: dict) -> str | None:
        slug = self.text(data, "slug", required=True, max_length=SLUG_MAX)
        if not slug:
            return None
        validator = (
            validate_unicode_slug
            if getattr(settings, "WAGTAIL_ALLOW_UNICODE_SLUGS", True)
            else validate_slug
        )
        try:
            validator(slug)
        except ValidationError:
            self.problem(
                "slug",
                f"'{slug}' is geen geldige slug; gebruik alleen kleine letters, cijfers en "
                "koppeltekens, bijvoorbeeld 'scan-sociale-infrastructuur'",
            )
            return None
        return slug

    def text(
        self, data: dict, key: str, *, required: bool = False, max_length: int | None = None
    ) -> str | None:
        """A text value, stripped; '' for null or empty; None (with a problem) when invalid."""
        value = data.get(key)
        if value is None:
            value = ""
        if not isinstance(value, str):
            self.problem(key, f"moet tekst zijn, geen {_type_name(value)}")
            return None
        value = value.strip()
        if required and not value:
            self.problem(key, "is verplicht en mag niet leeg zijn")
            return None
        if max_length is not None and len(value) > max_length:
            self.problem(key, f"is {len(value)} tekens lang; het maximum is {max_length}")
            return None
        return value

    def choice(self, data: dict, key: str, choices, *, required: bool, noun: str) -> str | None:
        value = self.text(data, key, required=required)
        if not value:
            return None
        if value not in choices.values:
            options = ", ".join(choices.values)
            self.problem(key, f"'{value}' is geen {noun} (kies uit {options})")
            return None
        return value

    def check_owner(self, data: dict, values: dict) -> None:
        identifier = self.text(data, "owner")
        if identifier is None:
            return
        if not identifier:
            values["product_owner"] = None
            return
        if identifier not in self.lookups.owners:
            self.lookups.owners[identifier] = _find_admin_user(identifier)
        user = self.lookups.owners[identifier]
        if isinstance(user, str):
            self.problem("owner", user)
        else:
            values["product_owner"] = user

    def check_date(self, data: dict, values: dict) -> None:
        value = self.text(data, "nextReviewDate")
        if value is None:
            return
        if not value:
            values["next_review_date"] = None
            return
        try:
            if not ISO_DATE.match(value):
                raise ValueError(value)
            values["next_review_date"] = datetime.date.fromisoformat(value)
        except ValueError:
            self.problem(
                "nextReviewDate",
                f"'{value}' is geen geldige datum; schrijf jaar-maand-dag, bijvoorbeeld 2027-03-31",
            )

    # Sections

    def check_sections(self, sections: Any, values: dict) -> None:
        if sections is None:
            sections = {}
        if not isinstance(sections, dict):
            self.problem("sections", f"moet een object zijn, geen {_type_name(sections)}")
            return
        for key in sections:
            if key not in SECTION_KEYS:
                self.problem(
                    f"sections.{key}", f"onbekende sectie (bekend: {', '.join(SECTION_KEYS)})"
                )
        for key in RICH_TEXT_SECTION_KEYS:
            if key in sections:
                html = self.rich_text(sections[key], f"sections.{key}", SECTION_FEATURES)
                if html is not None:
                    values[key] = html
        if "aanpak" in sections:
            steps = self.check_steps(sections["aanpak"])
            if steps is not None:
                values["aanpak"] = steps

    def rich_text(self, value: Any, field_name: str, features: list[str]) -> str | None:
        if value is None:
            return ""
        if not isinstance(value, str):
            self.problem(field_name, f"moet tekst of HTML zijn, geen {_type_name(value)}")
            return None
        tags = unsupported_tags(value, features=features)
        if tags:
            listed = ", ".join(f"<{tag}>" for tag in tags)
            self.problem(
                field_name,
                f"bevat HTML die de editor hier niet kent: {listed} (toegestaan: "
                f"{_allowed_tags(features)})",
            )
            return None
        return to_rich_text(value, features=features)

    def check_steps(self, steps: Any) -> list[dict[str, str]] | None:
        if steps is None:
            return []
        if not isinstance(steps, list):
            self.problem(
                "sections.aanpak", f"moet een lijst van stappen zijn, geen {_type_name(steps)}"
            )
            return None
        result: list[dict[str, str]] = []
        valid = True
        for index, step in enumerate(steps, start=1):
            where = f"sections.aanpak[{index}]"
            if isinstance(step, str):
                step = {"title": step}
            if not isinstance(step, dict):
                self.problem(where, f"een stap is tekst of een object, geen {_type_name(step)}")
                valid = False
                continue
            for key in step:
                if key not in STEP_KEYS:
                    self.problem(
                        f"{where}.{key}", f"onbekend veld (bekend: {', '.join(STEP_KEYS)})"
                    )
                    valid = False
            start = len(self.problems)
            title = self.text(step, "title", required=True, max_length=STEP_TITLE_MAX)
            duration = self.text(step, "duration", max_length=STEP_DURATION_MAX)
            description = self.rich_text(
                step.get("description"), f"{where}.description", STEP_FEATURES
            )
            self._locate_problems_since(start, where)
            if title is None or duration is None or description is None:
                valid = False
                continue
            result.append({"title": title, "description": description, "duration": duration})
        return result if valid else None

    def _locate_problems_since(self, start: int, where: str) -> None:
        """Problems from `text` and `choice` name the key only; add the step's or download's place."""
        for index in range(start, len(self.problems)):
            problem = self.problems[index]
            if problem.field in STEP_KEYS or problem.field in DOWNLOAD_KEYS:
                self.problems[index] = ImportProblem(
                    problem.record, f"{where}.{problem.field}", problem.message, row=problem.row
                )

    # Lists

    def string_list(
        self, value: Any, key: str, *, max_length: int | None = None
    ) -> list[str] | None:
        if value is None:
            return []
        if not isinstance(value, list):
            self.problem(key, f"moet een lijst zijn, geen {_type_name(value)}")
            return None
        items: list[str] = []
        valid = True
        for index, item in enumerate(value, start=1):
            if not isinstance(item, str) or not item.strip():
                self.problem(f"{key}[{index}]", "moet een niet-lege tekst zijn")
                valid = False
                continue
            item = item.strip()
            if max_length is not None and len(item) > max_length:
                self.problem(
                    f"{key}[{index}]", f"is {len(item)} tekens lang; het maximum is {max_length}"
                )
                valid = False
                continue
            if item not in items:
                items.append(item)
        return items if valid else None

    def check_development_lines(self, value: Any) -> list[DevelopmentLinePage] | None:
        slugs = self.string_list(value, "developmentLines")
        if slugs is None:
            return None
        lines = []
        for slug in slugs:
            line = self.lookups.development_lines.get(slug)
            if line is None:
                known = ", ".join(self.lookups.development_lines)
                hint = f" (bekend: {known})" if known else "; er zijn nog geen ontwikkellijnen"
                self.problem("developmentLines", f"'{slug}' is geen bekende ontwikkellijn{hint}")
            else:
                lines.append(line)
        return lines if len(lines) == len(slugs) else None

    def check_target_groups(self, value: Any) -> list[TargetGroupChoice] | None:
        names = self.string_list(value, "targetGroups", max_length=TARGET_GROUP_MAX)
        if names is None:
            return None
        choices: list[TargetGroupChoice] = []
        for name in names:
            slug = slugify(name)
            existing = self.lookups.target_groups.get(
                name.casefold()
            ) or self.lookups.target_groups.get(slug)
            if existing is not None:
                choice = TargetGroupChoice(
                    name=existing.name, slug=existing.slug, existing=existing
                )
            elif not slug:
                self.problem("targetGroups", f"'{name}' is geen bruikbare naam voor een doelgroep")
                return None
            else:
                choice = self.lookups.new_target_groups.setdefault(
                    slug, TargetGroupChoice(name=name, slug=slug)
                )
            if all(chosen.slug != choice.slug for chosen in choices):
                choices.append(choice)
        return choices

    def check_themes(self, value: Any) -> list[str] | None:
        return self.string_list(value, "themes", max_length=THEME_MAX)

    def check_regions(self, value: Any) -> list[Region] | None:
        names = self.string_list(value, "regions")
        if names is None:
            return None
        regions: list[Region] = []
        valid = True
        for name in names:
            region = self.lookups.regions.get(name.casefold())
            if region is None:
                self.problem(
                    "regions",
                    f"'{name}' is geen arbeidsmarktregio; gebruik de code of de naam, "
                    "bijvoorbeeld 'groot-amsterdam' of 'Groot Amsterdam'",
                )
                valid = False
            elif region not in regions:
                regions.append(region)
        return regions if valid else None

    # Downloads

    def check_downloads(self, value: Any) -> list[DownloadSpec] | None:
        if value is None:
            return []
        if not isinstance(value, list):
            self.problem("downloads", f"moet een lijst zijn, geen {_type_name(value)}")
            return None
        downloads: list[DownloadSpec] = []
        valid = True
        for index, item in enumerate(value, start=1):
            where = f"downloads[{index}]"
            if not isinstance(item, dict):
                self.problem(where, f"een download is een object, geen {_type_name(item)}")
                valid = False
                continue
            for key in item:
                if key not in DOWNLOAD_KEYS:
                    self.problem(
                        f"{where}.{key}", f"onbekend veld (bekend: {', '.join(DOWNLOAD_KEYS)})"
                    )
                    valid = False
            start = len(self.problems)
            title = self.text(item, "title", max_length=DOWNLOAD_TITLE_MAX)
            kind = self.choice(
                item, "kind", DownloadKind, required=True, noun="bekende soort download"
            )
            file_name = self.text(item, "file", required=True)
            self._locate_problems_since(start, where)
            path = self.download_path(file_name, f"{where}.file") if file_name else None
            if title is None or kind is None or path is None:
                valid = False
                continue
            file_hash = self.lookups.file_hashes.get(path)
            if file_hash is None:
                try:
                    with path.open("rb") as handle:
                        file_hash = hash_filelike(handle)
                except OSError as error:
                    self.problem(
                        f"{where}.file", f"'{file_name}' kan niet worden gelezen ({error.strerror})"
                    )
                    valid = False
                    continue
                self.lookups.file_hashes[path] = file_hash
            existing = _document_with_hash(file_hash, self.lookups)
            if existing is None and not self.check_download_content(path, f"{where}.file"):
                valid = False
                continue
            downloads.append(
                DownloadSpec(
                    path=path,
                    kind=kind,
                    title=title,
                    file_hash=file_hash,
                    existing_document_id=existing,
                )
            )
        return downloads if valid else None

    def check_download_content(self, path: Path, field_name: str) -> bool:
        """A new download passes the same content checks as an upload in the admin."""
        try:
            inspect_document(name=path.name, content=path.read_bytes())
        except ValidationError as error:
            self.problem(field_name, f"'{path.name}' wordt geweigerd: {' '.join(error.messages)}")
            return False
        except OSError as error:
            self.problem(field_name, f"'{path.name}' kan niet worden gelezen ({error.strerror})")
            return False
        return True

    def download_path(self, file_name: str, field_name: str) -> Path | None:
        relative = Path(file_name)
        if relative.is_absolute():
            self.problem(
                field_name,
                f"'{file_name}' is een absoluut pad; geef het pad ten opzichte van het importbestand",
            )
            return None
        base = self.lookups.base_dir
        path = (base / relative).resolve()
        if not path.is_relative_to(base):
            self.problem(
                field_name,
                f"'{file_name}' ligt buiten de map van het importbestand ({base})",
            )
            return None
        if not path.is_file():
            self.problem(
                field_name, f"het bestand '{file_name}' bestaat niet (gezocht in {path.parent})"
            )
            return None
        return path


def _document_with_hash(file_hash: str, lookups: _Lookups) -> int | None:
    """The oldest document with this content, so that a re-import creates no new document."""
    if not lookups.hashed_documents:
        # Documents created in code rather than uploaded in the admin may lack a hash; Wagtail
        # fills it in on first use, so do that now for all of them, once.
        for document in get_document_model().objects.filter(file_hash=""):
            try:
                document.get_file_hash()
            except OSError:
                continue
        lookups.hashed_documents = True
    if file_hash not in lookups.documents_by_hash:
        document = get_document_model().objects.filter(file_hash=file_hash).order_by("pk").first()
        lookups.documents_by_hash[file_hash] = document.pk if document else None
    return lookups.documents_by_hash[file_hash]


def _find_admin_user(identifier: str):
    """The active admin user with this username or e-mail address, or a Dutch problem message."""
    User = get_user_model()
    user = User.objects.filter(username=identifier).first()
    if user is None:
        matches = list(User.objects.filter(email__iexact=identifier)[:2])
        if len(matches) > 1:
            return (
                f"meer dan één gebruiker heeft het e-mailadres '{identifier}'; gebruik de "
                "gebruikersnaam"
            )
        user = matches[0] if matches else None
    if user is None:
        return f"'{identifier}' is geen bekende gebruiker (gebruikersnaam of e-mailadres)"
    if not user.is_active:
        return f"de gebruiker '{identifier}' is niet actief"
    if not user.has_perm("wagtailadmin.access_admin"):
        return f"de gebruiker '{identifier}' heeft geen toegang tot de beheeromgeving"
    return user


def _allowed_tags(features: list[str]) -> str:
    tags = set(ALWAYS_ALLOWED)
    for feature in features:
        tags |= FEATURE_TAGS.get(feature, set())
    return ", ".join(f"<{tag}>" for tag in sorted(tags))


def _type_name(value: Any) -> str:
    if isinstance(value, dict):
        return "een object"
    if isinstance(value, list):
        return "een lijst"
    if isinstance(value, bool):
        return "waar/onwaar"
    if isinstance(value, int | float):
        return f"het getal {value}"
    if isinstance(value, str):
        return "tekst"
    return "null"
