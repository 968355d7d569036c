"""The quarterly report to the national partners, computed from the records, and its XLSX export."""

import datetime
import io
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.db.models import Count, Q
from django.utils import timezone

from wagtail.models import PageLogEntry, TaskState

from operations.choices import CertificationRole, SignalStatus
from operations.dashboard import current_agenda_ids, days_to_decision, median_or_none
from operations.models import Certification, KnowledgeSignal, PartnerConsultation, Pilot
from operations.selectors import (
    GETOETST_IN_DE_PRAKTIJK,
    GOED_BESCHREVEN,
    LANDELIJK_TOEGEPAST,
    QUALITY_LEVELS,
    quality_levels,
)
from products.choices import QUARTER_PATTERN, PriorityStatus
from products.models import AgendaPriority, DevelopmentLinePage, Milestone, ProductPage
from quality.gate import REFUSED_ACTION
from quality.models import AutomaticCheckTask, QualityAssessment


@dataclass(frozen=True)
class Quarter:
    year: int
    number: int

    @classmethod
    def parse(cls, value: str) -> "Quarter":
        """Read '2026-Q1'; a Dutch ValidationError for anything else."""
        match = QUARTER_PATTERN.match((value or "").strip().upper())
        if not match:
            raise ValidationError(
                f"'{value}' is geen kwartaal. Schrijf het als jaar-kwartaal, bijvoorbeeld 2026-Q1."
            )
        return cls(year=int(match.group(1)), number=int(match.group(2)))

    @classmethod
    def containing(cls, date: datetime.date) -> "Quarter":
        return cls(year=date.year, number=(date.month - 1) // 3 + 1)

    def __str__(self) -> str:
        return f"{self.year}-Q{self.number}"

    @property
    def label(self) -> str:
        return f"{self.number}e kwartaal {self.year}"

    @property
    def first_day(self) -> datetime.date:
        return datetime.date(self.year, 3 * self.number - 2, 1)

    @property
    def last_day(self) -> datetime.date:
        return self.next().first_day - datetime.timedelta(days=1)

    def next(self) -> "Quarter":
        return (
            Quarter(self.year + 1, 1) if self.number == 4 else Quarter(self.year, self.number + 1)
        )

    def previous(self) -> "Quarter":
        return (
            Quarter(self.year - 1, 4) if self.number == 1 else Quarter(self.year, self.number - 1)
        )

    @property
    def start(self) -> datetime.datetime:
        """The first moment of the quarter in the hub's time zone."""
        return timezone.make_aware(datetime.datetime.combine(self.first_day, datetime.time.min))

    @property
    def end(self) -> datetime.datetime:
        """The first moment after the quarter (exclusive bound)."""
        return self.next().start


@dataclass
class Section:
    """A table of the report: a title, column headings and rows of plain values."""

    title: str
    columns: list[str]
    rows: list[list] = field(default_factory=list)
    empty_text: str = "Geen."


@dataclass
class QuarterlyReport:
    quarter: Quarter
    figures: dict[str, int | float | None]
    sections: list[Section]
    generated_at: datetime.datetime = field(default_factory=timezone.now)

    # (code, Dutch label) in the order the report shows them.
    FIGURE_LABELS = [
        ("products_published", "Producten voor het eerst gepubliceerd"),
        ("products_updated", "Producten bijgewerkt (opnieuw gepubliceerd)"),
        ("lines_published", "Ontwikkellijnen gepubliceerd of bijgewerkt"),
        ("pilots_started", "Pilots gestart"),
        ("pilots_evaluated", "Pilots geëvalueerd"),
        ("pilots_positive", "Waarvan met uitkomst positief"),
        ("certifications", "Certificeringen afgegeven"),
        ("specialists_certified", "Specialisten gecertificeerd"),
        ("trainers_certified", "Waarvan als trainer"),
        ("signals_received", "Kennissignalen ontvangen"),
        ("signals_decided", "Kennissignalen besloten"),
        ("signals_processed", "Waarvan verwerkt"),
        ("signals_rejected", "Waarvan afgewezen"),
        ("median_days_to_decision", "Mediaan dagen van ontvangst tot besluit"),
        ("consultations", "Partneroverleggen gehouden"),
        ("consultation_actions", "Acties afgesproken"),
        ("priorities_done", "Agendaprioriteiten gereed (stand nu)"),
        ("priorities_total", "Agendaprioriteiten totaal"),
        ("milestones_planned", "Mijlpalen gepland in dit kwartaal"),
        ("milestones_done", "Waarvan gereed"),
        ("assessments_made", "Kwaliteitstoetsen gedaan"),
        ("assessments_passed", "Waarvan goedgekeurd"),
        ("assessments_failed", "Waarvan afgekeurd"),
        ("automatic_refusals", "Indieningen teruggestuurd door de automatische controle"),
        ("gate_refusals", "Publicaties geweigerd door het kwaliteitskader"),
        ("reviews_overdue", "Live producten met verlopen herziening (stand nu)"),
        ("level_goed_beschreven", "Live producten: goed beschreven (stand nu)"),
        ("level_getoetst_in_de_praktijk", "Live producten: getoetst in de praktijk (stand nu)"),
        ("level_landelijk_toegepast", "Live producten: landelijk toegepast (stand nu)"),
    ]

    @property
    def labelled_figures(self) -> list[tuple[str, int | float | None]]:
        return [(label, self.figures.get(code)) for code, label in self.FIGURE_LABELS]


class ReportDate(datetime.date):
    """A day in a report: shown as 05-12-2026 in the admin and the command's text, and written
    to the workbook as a real date cell (Excel can sort and filter it), not as text."""

    def __str__(self) -> str:
        return self.strftime("%d-%m-%Y")


def _date(value: datetime.datetime | datetime.date | None) -> ReportDate | str:
    if value is None:
        return ""
    if isinstance(value, datetime.datetime):
        value = timezone.localtime(value).date()
    return ReportDate(value.year, value.month, value.day)


def _publications(quarter: Quarter) -> tuple[dict[str, int], list[Section]]:
    """Pages first published in the quarter, and pages published again after an earlier start."""
    entries = (
        PageLogEntry.objects.filter(
            action="wagtail.publish", timestamp__gte=quarter.start, timestamp__lt=quarter.end
        )
        .values_list("page_id", flat=True)
        .distinct()
    )
    published_ids = set(entries)
    products = list(
        ProductPage.objects.filter(
            Q(pk__in=published_ids)
            | Q(first_published_at__gte=quarter.start, first_published_at__lt=quarter.end)
        ).order_by("title")
    )
    lines = list(
        DevelopmentLinePage.objects.filter(
            Q(pk__in=published_ids)
            | Q(first_published_at__gte=quarter.start, first_published_at__lt=quarter.end)
        ).order_by("title")
    )

    def is_new(page) -> bool:
        return (
            bool(page.first_published_at) and quarter.start <= page.first_published_at < quarter.end
        )

    new = [p for p in products if is_new(p)]
    updated = [p for p in products if not is_new(p)]
    section = Section(
        title="Gepubliceerd en bijgewerkt",
        columns=[
            "Soort",
            "Titel",
            "Levensfase",
            "Versie",
            "Voor het eerst gepubliceerd",
            "Nu live",
        ],
        rows=[
            [
                "Nieuw product" if is_new(p) else "Bijgewerkt product",
                p.title,
                p.get_lifecycle_status_display(),
                p.version,
                _date(p.first_published_at),
                "ja" if p.live else "nee",
            ]
            for p in new + updated
        ]
        + [
            [
                "Ontwikkellijn",
                line.title,
                line.get_status_display(),
                "",
                _date(line.first_published_at),
                "ja" if line.live else "nee",
            ]
            for line in lines
        ],
    )
    return {
        "products_published": len(new),
        "products_updated": len(updated),
        "lines_published": len(lines),
    }, [section]


def _pilots(quarter: Quarter) -> tuple[dict[str, int], list[Section]]:
    started = list(
        Pilot.objects.filter(start_date__gte=quarter.first_day, start_date__lte=quarter.last_day)
        .select_related("product")
        .prefetch_related("regions")
        .order_by("start_date")
    )
    evaluated = list(
        Pilot.objects.filter(
            evaluated_on__gte=quarter.first_day, evaluated_on__lte=quarter.last_day
        )
        .select_related("product")
        .order_by("evaluated_on")
    )
    return {
        "pilots_started": len(started),
        "pilots_evaluated": len(evaluated),
        "pilots_positive": sum(1 for p in evaluated if p.outcome == "positief"),
    }, [
        Section(
            title="Pilots gestart",
            columns=["Pilot", "Product", "Regio's", "Start", "Fase"],
            rows=[
                [
                    p.title,
                    p.product.title,
                    ", ".join(r.name for r in p.regions.all()),
                    _date(p.start_date),
                    p.get_phase_display(),
                ]
                for p in started
            ],
        ),
        Section(
            title="Pilots geëvalueerd",
            columns=["Pilot", "Product", "Geëvalueerd op", "Uitkomst", "Geleerde lessen"],
            rows=[
                [
                    p.title,
                    p.product.title,
                    _date(p.evaluated_on),
                    p.get_outcome_display(),
                    p.lessons,
                ]
                for p in evaluated
            ],
        ),
    ]


def _certifications(quarter: Quarter) -> tuple[dict[str, int], list[Section]]:
    certifications = list(
        Certification.objects.filter(
            certified_on__gte=quarter.first_day, certified_on__lte=quarter.last_day
        )
        .select_related("specialist__region", "product", "certified_by")
        .order_by("certified_on", "specialist__name")
    )
    return {
        "certifications": len(certifications),
        "specialists_certified": len({c.specialist_id for c in certifications}),
        "trainers_certified": len(
            {c.specialist_id for c in certifications if c.role == CertificationRole.TRAINER}
        ),
    }, [
        Section(
            title="Specialisten gecertificeerd",
            columns=[
                "Specialist",
                "Organisatie",
                "Regio",
                "Product",
                "Rol",
                "Datum",
                "Geldig tot",
                "Door",
            ],
            rows=[
                [
                    c.specialist.name,
                    c.specialist.organisation,
                    c.specialist.region.name,
                    c.product.title,
                    c.get_role_display(),
                    _date(c.certified_on),
                    _date(c.valid_until),
                    c.certified_by.name if c.certified_by else "de hub (eerste trainer)",
                ]
                for c in certifications
            ],
        )
    ]


def _signals(quarter: Quarter) -> tuple[dict, list[Section]]:
    received = list(
        KnowledgeSignal.objects.filter(received_at__gte=quarter.start, received_at__lt=quarter.end)
        .select_related("region", "development_line")
        .order_by("received_at")
    )
    decided_qs = KnowledgeSignal.objects.filter(
        decided_at__gte=quarter.start, decided_at__lt=quarter.end
    )
    decided = list(decided_qs.select_related("region", "development_line").order_by("decided_at"))
    return {
        "signals_received": len(received),
        "signals_decided": len(decided),
        "signals_processed": sum(1 for s in decided if s.status == SignalStatus.VERWERKT),
        "signals_rejected": sum(1 for s in decided if s.status == SignalStatus.AFGEWEZEN),
        "median_days_to_decision": median_or_none(days_to_decision(decided_qs)),
    }, [
        Section(
            title="Kennissignalen ontvangen",
            columns=[
                "Ontvangen",
                "Regio",
                "Soort organisatie",
                "Onderwerp",
                "Status",
                "Ontwikkellijn",
            ],
            rows=[
                [
                    _date(s.received_at),
                    s.region.name,
                    s.get_organisation_kind_display(),
                    s.topic,
                    s.get_status_display(),
                    s.development_line.title if s.development_line else "",
                ]
                for s in received
            ],
        ),
        Section(
            title="Kennissignalen besloten",
            columns=["Besloten", "Onderwerp", "Besluit", "Toelichting", "Dagen tot besluit"],
            rows=[
                [
                    _date(s.decided_at),
                    s.topic,
                    s.get_status_display(),
                    s.status_reason,
                    round((s.decided_at - s.received_at).total_seconds() / 86400, 1),
                ]
                for s in decided
            ],
        ),
    ]


def _consultations(quarter: Quarter) -> tuple[dict[str, int], list[Section]]:
    consultations = list(
        PartnerConsultation.objects.filter(date__gte=quarter.first_day, date__lte=quarter.last_day)
        .prefetch_related("partners", "decisions", "actions")
        .annotate(action_count=Count("actions", distinct=True))
        .order_by("date")
    )
    action_rows = [
        [_date(c.date), a.description, a.owner, _date(a.due_date), "ja" if a.done else "nee"]
        for c in consultations
        for a in c.actions.all()
    ]
    return {
        "consultations": len(consultations),
        "consultation_actions": len(action_rows),
    }, [
        Section(
            title="Partneroverleggen",
            columns=["Datum", "Overleg", "Aanwezige partners", "Onderwerpen", "Besluiten"],
            rows=[
                [
                    _date(c.date),
                    c.title,
                    ", ".join(p.name for p in c.partners.all()),
                    "\n".join(c.topic_list),
                    "\n".join(d.text for d in c.decisions.all()),
                ]
                for c in consultations
            ],
        ),
        Section(
            title="Acties uit de partneroverleggen",
            columns=["Overleg van", "Actie", "Eigenaar", "Uiterlijk", "Afgerond"],
            rows=action_rows,
        ),
    ]


def _agenda(quarter: Quarter) -> tuple[dict[str, int], list[Section]]:
    priorities = list(
        AgendaPriority.objects.filter(page__in=current_agenda_ids()).order_by(
            "planned_quarter", "sort_order"
        )
    )
    milestones = list(
        Milestone.objects.filter(planned_quarter=str(quarter))
        .select_related("page")
        .order_by("page__title", "sort_order")
    )
    return {
        "priorities_done": sum(1 for p in priorities if p.status == PriorityStatus.GEREED),
        "priorities_total": len(priorities),
        "milestones_planned": len(milestones),
        "milestones_done": sum(1 for m in milestones if m.status == "gereed"),
    }, [
        Section(
            title="Voortgang innovatieagenda",
            columns=["Prioriteit", "Eigenaar", "Gepland kwartaal", "Status"],
            rows=[
                [p.title, p.owner, p.planned_quarter, p.get_status_display()] for p in priorities
            ],
        ),
        Section(
            title=f"Mijlpalen gepland in {quarter}",
            columns=["Ontwikkellijn", "Mijlpaal", "Status"],
            rows=[[m.page.title, m.title, m.get_status_display()] for m in milestones],
        ),
    ]


LEVEL_FIGURES = {
    GOED_BESCHREVEN: "level_goed_beschreven",
    GETOETST_IN_DE_PRAKTIJK: "level_getoetst_in_de_praktijk",
    LANDELIJK_TOEGEPAST: "level_landelijk_toegepast",
}


def _quality(quarter: Quarter) -> tuple[dict[str, int], list[Section]]:
    """Assessments made and refusals in the quarter; overdue re-reviews and evidence levels now."""

    assessments = list(
        QualityAssessment.objects.filter(created_at__gte=quarter.start, created_at__lt=quarter.end)
        .select_related("framework_version")
        .order_by("created_at", "pk")
    )
    automatic_refusals = TaskState.objects.filter(
        task__in=AutomaticCheckTask.objects.all(),
        status=TaskState.STATUS_REJECTED,
        finished_at__gte=quarter.start,
        finished_at__lt=quarter.end,
    ).count()
    refusals = list(
        PageLogEntry.objects.filter(
            action=REFUSED_ACTION, timestamp__gte=quarter.start, timestamp__lt=quarter.end
        ).order_by("timestamp", "pk")
    )
    today = timezone.localdate()
    overdue = list(
        ProductPage.objects.live()
        .filter(next_review_date__lt=today)
        .order_by("next_review_date", "title")
        .only("pk", "title", "next_review_date")
    )
    levels = quality_levels(ProductPage.objects.live())
    level_counts = {level: 0 for level in QUALITY_LEVELS}
    for level in levels.values():
        if level in level_counts:
            level_counts[level] += 1
    figures = {
        "assessments_made": len(assessments),
        "assessments_passed": sum(1 for a in assessments if a.passed),
        "assessments_failed": sum(1 for a in assessments if not a.passed),
        "automatic_refusals": automatic_refusals,
        "gate_refusals": len(refusals),
        "reviews_overdue": len(overdue),
        **{LEVEL_FIGURES[level]: count for level, count in level_counts.items()},
    }
    return figures, [
        Section(
            title="Kwaliteitstoetsen",
            columns=["Getoetst op", "Pagina", "Kwaliteitskader", "Uitkomst", "Door", "Herkomst"],
            rows=[
                [
                    _date(a.created_at),
                    a.page_title,
                    f"v{a.framework_version.version}",
                    a.result_display,
                    a.reviewer_name,
                    a.get_source_display(),
                ]
                for a in assessments
            ],
        ),
        Section(
            title="Geweigerd door het kwaliteitskader",
            columns=["Datum", "Pagina", "Redenen"],
            rows=[
                [
                    _date(entry.timestamp),
                    entry.label,
                    "\n".join((entry.data or {}).get("unmet") or []),
                ]
                for entry in refusals
            ],
        ),
        Section(
            title="Herzieningen te laat (stand nu)",
            columns=["Product", "Herziening gepland op"],
            rows=[[p.title, _date(p.next_review_date)] for p in overdue],
        ),
        Section(
            title="Live producten per kwaliteitsniveau (stand nu)",
            columns=["Kwaliteitsniveau", "Aantal producten"],
            rows=[[level, count] for level, count in level_counts.items()],
        ),
    ]


def quarterly_report(*, quarter: str | Quarter) -> QuarterlyReport:
    """What the hub delivered in `quarter` (e.g. '2026-Q1'), computed from the records."""
    if isinstance(quarter, str):
        quarter = Quarter.parse(quarter)
    figures: dict = {}
    sections: list[Section] = []
    for part in (
        _publications,
        _pilots,
        _certifications,
        _signals,
        _consultations,
        _agenda,
        _quality,
    ):
        part_figures, part_sections = part(quarter)
        figures.update(part_figures)
        sections.extend(part_sections)
    return QuarterlyReport(quarter=quarter, figures=figures, sections=sections)


def report_as_xlsx(report: QuarterlyReport) -> bytes:
    """The report as an XLSX workbook: a summary sheet and one sheet per section."""
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font
    from openpyxl.utils import get_column_letter

    workbook = Workbook()
    summary = workbook.active
    summary.title = "Samenvatting"
    summary.append([f"Kwartaalrapportage Innovatiehub Sociale Infrastructuur, {report.quarter}"])
    summary["A1"].font = Font(bold=True, size=14)
    summary.append(
        [f"{report.quarter.first_day:%d-%m-%Y} tot en met {report.quarter.last_day:%d-%m-%Y}"]
    )
    summary.append([])
    summary.append(["Onderdeel", "Aantal"])
    for cell in summary[4]:
        cell.font = Font(bold=True)
    for label, value in report.labelled_figures:
        summary.append([label, value if value is not None else "n.v.t."])
    summary.column_dimensions["A"].width = 48
    summary.column_dimensions["B"].width = 12
    used_titles: set[str] = {summary.title}
    for section in report.sections:
        # Sheet titles are at most 31 characters and must be unique.
        title = section.title[:31]
        while title in used_titles:
            title = title[:29] + str(len(used_titles))
        used_titles.add(title)
        sheet = workbook.create_sheet(title=title)
        sheet.append(section.columns)
        for cell in sheet[1]:
            cell.font = Font(bold=True)
        for row in section.rows:
            sheet.append(row)
            for cell in sheet[sheet.max_row]:
                # openpyxl stores a string that starts with "=" as a formula; a signal's topic
                # comes from the public form, so it stays text (as Wagtail's own exports do).
                if cell.data_type == "f":
                    cell.data_type = "s"
                if isinstance(cell.value, datetime.date):
                    cell.number_format = "DD-MM-YYYY"
        for cells in sheet.iter_rows(min_row=2):
            for cell in cells:
                cell.alignment = Alignment(wrap_text=True, vertical="top")
        for index, heading in enumerate(section.columns, start=1):
            longest = max([len(str(heading))] + [len(str(r[index - 1])) for r in section.rows])
            sheet.column_dimensions[get_column_letter(index)].width = min(60, max(10, longest + 2))
        sheet.freeze_panes = "A2"
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
