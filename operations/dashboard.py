"""The coordinator's dashboard: the hub's figures against its goals for 2026, computed from the
records in a fixed number of queries."""

import datetime
import statistics
from dataclasses import dataclass, field

from django.db.models import Count, Exists, OuterRef, Q
from django.utils import timezone

from operations.choices import (
    DECIDED_SIGNAL_STATUSES,
    NATIONAL_REGION_THRESHOLD,
    SPECIALIST_TARGET_MAX,
    SPECIALIST_TARGET_MIN,
    OrganisationKind,
    PilotOutcome,
    PilotPhase,
    SignalStatus,
)
from operations.models import ConsultationAction, KnowledgeSignal, Pilot
from operations.selectors import valid_certification_counts
from products.choices import DevelopmentLineStatus, LifecycleStatus, PriorityStatus
from products.models import (
    AgendaPriority,
    DevelopmentLinePage,
    InnovationAgendaPage,
    ProductPage,
    Region,
)
from quality.models import FinalApprovalTask, QualityAssessment, QualityFrameworkVersion
from quality.selectors import task_states_awaiting

DELIVERED_LINES_TARGET = 2
NO_LINE = "Zonder ontwikkellijn"


@dataclass
class Bar:
    """One bar of a chart: a label, a count and its share of the chart's scale (0-100)."""

    label: str
    value: int
    percent: float = 0.0
    css_class: str = ""


def bars(items: list[tuple[str, int, str]] | list[tuple[str, int]], scale: int | None = None):
    """Bars scaled to the largest value (or `scale`), so the longest bar fills the chart."""
    maximum = scale or max((item[1] for item in items), default=0) or 1
    return [
        Bar(
            label=item[0],
            value=item[1],
            percent=round(100 * item[1] / maximum, 1),
            css_class=item[2] if len(item) > 2 else "",
        )
        for item in items
    ]


@dataclass
class LineLifecycleRow:
    line: str
    counts: list[int]
    segments: list[Bar]
    total: int


@dataclass
class LineDelivery:
    line: DevelopmentLinePage
    status_label: str
    region_count: int
    counts: bool


@dataclass
class RegionRow:
    region: Region
    cells: list[int]
    total: int


@dataclass
class QualityStatus:
    live_products: int
    assessed_current: int | None
    assessed_any: int | None
    framework_version: str | None
    reviews_overdue: list[ProductPage]

    @property
    def assessed_earlier_only(self) -> int:
        """Live products whose live revision passed only under an earlier framework version."""
        return (self.assessed_any or 0) - (self.assessed_current or 0)


@dataclass
class Dashboard:
    lifecycle_stages: list[tuple[str, str]]
    lifecycle_rows: list[LineLifecycleRow]
    quality: QualityStatus
    pilot_bars: list[Bar]
    certified: int
    trainers: int
    specialist_target_min: int
    specialist_target_max: int
    specialist_bars: list[Bar]
    specialist_target_left: float
    specialist_target_width: float
    signal_bars: list[Bar]
    median_days_to_decision: float | None
    priority_bars: list[Bar]
    priorities: list[AgendaPriority]
    line_deliveries: list[LineDelivery]
    delivered_lines: int
    delivered_lines_target: int
    lines: list[DevelopmentLinePage]
    region_rows: list[RegionRow]
    regions_without_products: int
    generated_at: datetime.datetime = field(default_factory=timezone.now)


def products_per_lifecycle_per_line() -> tuple[list[tuple[str, str]], list[LineLifecycleRow]]:
    """For each development line (and products in none), its products per lifecycle stage."""
    stages = list(LifecycleStatus)
    lines = list(DevelopmentLinePage.objects.order_by("path").only("pk", "title"))
    rows = (
        ProductPage.objects.values("development_lines", "lifecycle_status")
        .annotate(n=Count("pk", distinct=True))
        .order_by()
    )
    counts: dict[int | None, dict[str, int]] = {}
    for row in rows:
        counts.setdefault(row["development_lines"], {})[row["lifecycle_status"]] = row["n"]
    result = []
    for key, title in [(line.pk, line.title) for line in lines] + [(None, NO_LINE)]:
        per_stage = [counts.get(key, {}).get(stage.value, 0) for stage in stages]
        total = sum(per_stage)
        if key is None and total == 0:
            continue
        segments = [
            Bar(
                label=stage.label,
                value=value,
                percent=round(100 * value / total, 1) if total else 0,
                css_class=f"stage-{stage.value}",
            )
            for stage, value in zip(stages, per_stage, strict=True)
            if value
        ]
        result.append(
            LineLifecycleRow(line=title, counts=per_stage, segments=segments, total=total)
        )
    return [(stage.value, stage.label) for stage in stages], result


def quality_status() -> QualityStatus:
    """Live products, how many are assessed under the framework in force, and overdue reviews."""
    today = timezone.localdate()
    live = ProductPage.objects.live()
    overdue = list(
        live.filter(next_review_date__lt=today)
        .order_by("next_review_date")
        .only("pk", "title", "next_review_date")
    )
    assessed, assessed_any, version = assessed_under_current_framework(live)
    return QualityStatus(
        live_products=live.count(),
        assessed_current=assessed,
        assessed_any=assessed_any,
        framework_version=version,
        reviews_overdue=overdue,
    )


def assessed_under_current_framework(live_products) -> tuple[int | None, int | None, str | None]:
    """How many live products' live revisions passed an assessment under the framework version
    in force, how many under any version, and that version; Nones without a framework."""

    current = QualityFrameworkVersion.objects.in_force()
    if current is None:
        return None, None, None
    passing = QualityAssessment.objects.filter(
        passed=True, revision_id=OuterRef("live_revision_id")
    )
    counts = live_products.aggregate(
        current=Count("pk", filter=Q(Exists(passing.filter(framework_version=current)))),
        any=Count("pk", filter=Q(Exists(passing))),
    )
    return counts["current"], counts["any"], current.version


def pilot_bars() -> list[Bar]:
    """Pilots by phase, the evaluated ones split by outcome."""
    rows = Pilot.objects.values("phase", "outcome").annotate(n=Count("pk")).order_by()
    counts = {(row["phase"], row["outcome"]): row["n"] for row in rows}
    items = [
        ("Gepland", counts.get((PilotPhase.GEPLAND, ""), 0), "phase-gepland"),
        ("Lopend", counts.get((PilotPhase.LOPEND, ""), 0), "phase-lopend"),
    ]
    for outcome in PilotOutcome:
        items.append(
            (
                f"Geëvalueerd: {outcome.label.lower()}",
                counts.get((PilotPhase.GEEVALUEERD, outcome.value), 0),
                f"outcome-{outcome.value}",
            )
        )
    return bars(items)


def signal_bars() -> list[Bar]:
    rows = KnowledgeSignal.objects.values("status").annotate(n=Count("pk")).order_by()
    counts = {row["status"]: row["n"] for row in rows}
    return bars([(s.label, counts.get(s.value, 0), f"signal-{s.value}") for s in SignalStatus])


def days_to_decision(signals) -> list[float]:
    """Days from intake to decision of each decided signal in `signals`."""
    return [
        (decided - received).total_seconds() / 86400
        for received, decided in signals.filter(
            status__in=DECIDED_SIGNAL_STATUSES, decided_at__isnull=False
        ).values_list("received_at", "decided_at")
    ]


def median_or_none(values: list[float]) -> float | None:
    return round(statistics.median(values), 1) if values else None


def agenda_priorities() -> tuple[list[Bar], list[AgendaPriority]]:
    """The priorities of the newest agenda, and how many are in each status."""
    priorities = list(
        AgendaPriority.objects.filter(page__in=current_agenda_ids()).order_by(
            "planned_quarter", "sort_order"
        )
    )
    counts: dict[str, int] = {}
    for priority in priorities:
        counts[priority.status] = counts.get(priority.status, 0) + 1
    return (
        bars(
            [(s.label, counts.get(s.value, 0), f"priority-{s.value}") for s in PriorityStatus],
            scale=len(priorities) or None,
        ),
        priorities,
    )


def current_agenda_ids():
    newest = InnovationAgendaPage.objects.order_by("-period_start", "-pk").values("pk")[:1]
    return list(newest.values_list("pk", flat=True))


def region_line_matrix() -> tuple[list[DevelopmentLinePage], list[RegionRow], dict[int, int]]:
    """For each arbeidsmarktregio, how many live products of each line it applies."""
    lines = list(DevelopmentLinePage.objects.order_by("path").only("pk", "title", "status"))
    regions = list(Region.objects.order_by("name"))
    rows = (
        ProductPage.objects.live()
        .filter(regions__isnull=False)
        .values("regions", "development_lines")
        .annotate(n=Count("pk", distinct=True))
        .order_by()
    )
    matrix: dict[tuple[int, int | None], int] = {}
    for row in rows:
        matrix[(row["regions"], row["development_lines"])] = row["n"]
    totals = dict(
        ProductPage.objects.live()
        .filter(regions__isnull=False)
        .values_list("regions")
        .annotate(n=Count("pk", distinct=True))
        .order_by()
    )
    region_rows = [
        RegionRow(
            region=region,
            cells=[matrix.get((region.pk, line.pk), 0) for line in lines],
            total=totals.get(region.pk, 0),
        )
        for region in regions
    ]
    line_region_counts: dict[int, int] = {}
    for (_region_pk, line_pk), n in matrix.items():
        if line_pk is not None and n:
            line_region_counts[line_pk] = line_region_counts.get(line_pk, 0) + 1
    return lines, region_rows, line_region_counts


def line_deliveries(
    lines: list[DevelopmentLinePage], line_region_counts: dict[int, int]
) -> list[LineDelivery]:
    """A line counts as delivered and applied nationally when its status is 'opgeleverd' or
    'landelijk toegepast' and its live products are applied in at least 5 regions."""
    delivered = {DevelopmentLineStatus.OPGELEVERD, DevelopmentLineStatus.LANDELIJK_TOEGEPAST}
    return [
        LineDelivery(
            line=line,
            status_label=line.get_status_display(),
            region_count=line_region_counts.get(line.pk, 0),
            counts=line.status in delivered
            and line_region_counts.get(line.pk, 0) >= NATIONAL_REGION_THRESHOLD,
        )
        for line in lines
    ]


def build_dashboard() -> Dashboard:
    """Every figure of the coordinator's dashboard."""
    lifecycle_stages, lifecycle_rows = products_per_lifecycle_per_line()
    certification = valid_certification_counts()
    priority_bars, priorities = agenda_priorities()
    lines, region_rows, line_region_counts = region_line_matrix()
    deliveries = line_deliveries(lines, line_region_counts)
    scale = max(SPECIALIST_TARGET_MAX, certification["certified"])
    return Dashboard(
        lifecycle_stages=lifecycle_stages,
        lifecycle_rows=lifecycle_rows,
        quality=quality_status(),
        pilot_bars=pilot_bars(),
        certified=certification["certified"],
        trainers=certification["trainers"],
        specialist_target_min=SPECIALIST_TARGET_MIN,
        specialist_target_max=SPECIALIST_TARGET_MAX,
        specialist_bars=bars(
            [
                ("Gecertificeerd (geldig)", certification["certified"], "specialists"),
                ("Waarvan trainer", certification["trainers"], "trainers"),
            ],
            scale=scale,
        ),
        specialist_target_left=round(100 * SPECIALIST_TARGET_MIN / scale, 1),
        specialist_target_width=round(
            100 * (SPECIALIST_TARGET_MAX - SPECIALIST_TARGET_MIN) / scale, 1
        ),
        signal_bars=signal_bars(),
        median_days_to_decision=median_or_none(days_to_decision(KnowledgeSignal.objects.all())),
        priority_bars=priority_bars,
        priorities=priorities,
        line_deliveries=deliveries,
        delivered_lines=sum(1 for delivery in deliveries if delivery.counts),
        delivered_lines_target=DELIVERED_LINES_TARGET,
        lines=lines,
        region_rows=region_rows,
        regions_without_products=sum(1 for row in region_rows if row.total == 0),
    )


# ---- what waits for the coordinator ----


@dataclass
class CoordinatorQueue:
    """What waits for the coordinator today, most urgent first within each kind."""

    final_approvals: list
    new_signals: list[KnowledgeSignal]
    new_signal_count: int
    signals_in_analysis: int
    reviews_overdue: list[ProductPage]
    open_actions: list
    overdue_action_count: int

    @property
    def is_empty(self) -> bool:
        return not (
            self.final_approvals
            or self.new_signal_count
            or self.reviews_overdue
            or self.open_actions
        )


def coordinator_queue(*, user, limit: int = 5) -> CoordinatorQueue:
    """Final approvals the user may give, signals to triage, overdue re-reviews and the open
    (and overdue) actions from partner consultations."""

    today = timezone.localdate()
    new_signals = KnowledgeSignal.objects.filter(status=SignalStatus.NIEUW)
    open_actions = list(
        ConsultationAction.objects.filter(done=False)
        .select_related("consultation")
        .order_by("due_date", "pk")
    )
    for action in open_actions:
        action.overdue = action.due_date < today
    overdue = (
        ProductPage.objects.live()
        .filter(next_review_date__lt=today)
        .order_by("next_review_date")
        .only("pk", "title", "next_review_date")
    )
    return CoordinatorQueue(
        final_approvals=task_states_awaiting(user=user, task_model=FinalApprovalTask),
        new_signals=list(new_signals.select_related("region").order_by("received_at")[:limit]),
        new_signal_count=new_signals.count(),
        signals_in_analysis=KnowledgeSignal.objects.filter(status=SignalStatus.IN_ANALYSE).count(),
        reviews_overdue=list(overdue),
        open_actions=open_actions,
        overdue_action_count=sum(1 for action in open_actions if action.overdue),
    )


# ---- the knowledge cycle ----


@dataclass
class KnowledgeCycle:
    total: int
    decided: int
    by_region: list[Bar]
    by_line: list[Bar]
    by_kind: list[Bar]
    by_status: list[Bar]
    median_days_to_decision: float | None
    mean_days_to_decision: float | None
    open_oldest: list[KnowledgeSignal]
    led_to_products: int
    decision_time_by_line: list[tuple[str, int, float | None]]


def knowledge_cycle(signals=None) -> KnowledgeCycle:
    """Knowledge-cycle figures: signals per region, line, kind and status; time to decision."""
    signals = signals if signals is not None else KnowledgeSignal.objects.all()
    by_region = (
        signals.values("region__name").annotate(n=Count("pk")).order_by("-n", "region__name")
    )
    by_line = (
        signals.values("development_line__title")
        .annotate(n=Count("pk"))
        .order_by("-n", "development_line__title")
    )
    kind_counts = dict(signals.values_list("organisation_kind").annotate(n=Count("pk")).order_by())
    status_counts = dict(signals.values_list("status").annotate(n=Count("pk")).order_by())
    days = days_to_decision(signals)
    aggregates = signals.aggregate(
        total=Count("pk"),
        decided=Count("pk", filter=Q(status__in=DECIDED_SIGNAL_STATUSES)),
        led_to_products=Count("pk", filter=Q(products__isnull=False), distinct=True),
    )
    return KnowledgeCycle(
        total=aggregates["total"],
        decided=aggregates["decided"],
        by_region=bars([(row["region__name"], row["n"]) for row in by_region]),
        by_line=bars(
            [(row["development_line__title"] or "Nog niet gekoppeld", row["n"]) for row in by_line]
        ),
        by_kind=bars([(k.label, kind_counts.get(k.value, 0)) for k in OrganisationKind]),
        by_status=bars(
            [(s.label, status_counts.get(s.value, 0), f"signal-{s.value}") for s in SignalStatus]
        ),
        median_days_to_decision=median_or_none(days),
        mean_days_to_decision=round(statistics.fmean(days), 1) if days else None,
        open_oldest=list(
            signals.exclude(status__in=DECIDED_SIGNAL_STATUSES)
            .select_related("region")
            .order_by("received_at")[:10]
        ),
        led_to_products=aggregates["led_to_products"],
        decision_time_by_line=decision_time_by_line(signals),
    )


def decision_time_by_line(signals) -> list[tuple[str, int, float | None]]:
    """Per development line: decided signals and their median days from intake to decision."""
    days: dict[str, list[float]] = {}
    decided = signals.filter(status__in=DECIDED_SIGNAL_STATUSES, decided_at__isnull=False)
    for title, received, decided_at in decided.values_list(
        "development_line__title", "received_at", "decided_at"
    ):
        key = title or "Nog niet gekoppeld"
        days.setdefault(key, []).append((decided_at - received).total_seconds() / 86400)
    return sorted(
        ((line, len(values), median_or_none(values)) for line, values in days.items()),
        key=lambda row: row[0],
    )
