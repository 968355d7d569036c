"""What an import did, or would do: per record the outcome, and every problem found."""

from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal

from wagtail.models import Revision

from products.models import ProductPage

Outcome = Literal["created", "updated", "unchanged"]

OUTCOME_LABELS: dict[str, str] = {
    "created": "aangemaakt",
    "updated": "bijgewerkt",
    "unchanged": "ongewijzigd",
}


@dataclass(frozen=True)
class ImportProblem:
    """One problem in an import file; `record` is 1-based, 0 for the file as a whole."""

    record: int
    field: str
    message: str
    row: int | None = None  # the spreadsheet row of a CSV record (the header is row 1)

    def __str__(self) -> str:
        if self.record == 0:
            where = "Bestand" if not self.field else f"Bestand, kolom {self.field}"
            return f"{where}: {self.message}"
        where = f"Record {self.record}" + (f" (rij {self.row})" if self.row else "")
        if not self.field:
            return f"{where}: {self.message}"
        return f"{where}, veld {self.field}: {self.message}"


@dataclass
class RecordOutcome:
    """What happened to one record: the product page and, when it changed, its new revision.

    In a dry run `page` is None for products that would be created, and `revision` is None.
    """

    record: int
    slug: str
    title: str
    outcome: Outcome
    page: ProductPage | None = None
    revision: Revision | None = None

    def __str__(self) -> str:
        label = OUTCOME_LABELS[self.outcome]
        return f"Record {self.record}: {self.slug} ({self.title}) {label}"


@dataclass
class ImportReport:
    """The result of `import_products`: outcomes when the file was valid, otherwise problems."""

    path: Path
    dry_run: bool = False
    records: list[RecordOutcome] = field(default_factory=list)
    problems: list[ImportProblem] = field(default_factory=list)
    created_target_groups: list[str] = field(default_factory=list)
    created_documents: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        """True when the file was valid (and, unless a dry run, imported)."""
        return not self.problems

    @property
    def changed(self) -> bool:
        """True when the import created or updated anything (or would, in a dry run)."""
        return bool(
            self.created_target_groups
            or self.created_documents
            or any(item.outcome != "unchanged" for item in self.records)
        )

    def count(self, outcome: Outcome) -> int:
        return sum(1 for item in self.records if item.outcome == outcome)

    def summary(self) -> str:
        """One Dutch line: how many products were created, updated and left unchanged."""
        if self.problems:
            return (
                f"Niets geïmporteerd: {len(self.problems)} "
                f"{'probleem' if len(self.problems) == 1 else 'problemen'} in {self.path.name}."
            )
        prefix = "Proefimport, niets opgeslagen: " if self.dry_run else ""
        return (
            f"{prefix}{self.count('created')} aangemaakt, {self.count('updated')} bijgewerkt, "
            f"{self.count('unchanged')} ongewijzigd."
        )

    def lines(self) -> list[str]:
        """Every line to show a user: the problems, or the outcome per record and what was added."""
        if self.problems:
            return [str(problem) for problem in self.problems] + [self.summary()]
        lines = [str(item) for item in self.records]
        made = "wordt aangemaakt" if self.dry_run else "aangemaakt"
        lines += [f"Doelgroep {made}: {name}" for name in self.created_target_groups]
        lines += [f"Document {made}: {title}" for title in self.created_documents]
        return lines + [self.summary()]

    def raise_for_problems(self) -> None:
        """Raise `ProductImportError` when the file had problems (for callers in code)."""
        if self.problems:
            raise ProductImportError(self)


class ProductImportError(Exception):
    """An import file with problems; nothing was imported. `report.problems` says why."""

    def __init__(self, report: ImportReport) -> None:
        self.report = report
        super().__init__("\n".join(report.lines()))
