"""Reads of the hub's operations: a product's public quality level, pilots and specialists.

Every function here runs a fixed number of queries, whatever the number of records.
"""

from dataclasses import dataclass, field

from django.db.models import Count, Prefetch, Q

from operations.choices import (
    NATIONAL_REGION_THRESHOLD,
    CertificationRole,
    PilotOutcome,
    PilotPhase,
)
from operations.models import Certification, Pilot
from products.models import ProductPage, Region

GOED_BESCHREVEN = "Goed beschreven"
GETOETST_IN_DE_PRAKTIJK = "Getoetst in de praktijk"
LANDELIJK_TOEGEPAST = "Landelijk toegepast"

QUALITY_LEVELS = [GOED_BESCHREVEN, GETOETST_IN_DE_PRAKTIJK, LANDELIJK_TOEGEPAST]
# Stable codes for the APIs, beside the Dutch labels above.
QUALITY_LEVEL_CODES = {
    GOED_BESCHREVEN: "goed_beschreven",
    GETOETST_IN_DE_PRAKTIJK: "getoetst_in_de_praktijk",
    LANDELIJK_TOEGEPAST: "landelijk_toegepast",
}


def _level(*, live: bool, positive_pilots: int, region_count: int) -> str | None:
    # A ladder: each level includes the one below it. Only live products have passed the
    # framework (the quality gate lets nothing else go live), so only they get a level.
    if not live:
        return None
    if positive_pilots and region_count >= NATIONAL_REGION_THRESHOLD:
        return LANDELIJK_TOEGEPAST
    if positive_pilots:
        return GETOETST_IN_DE_PRAKTIJK
    return GOED_BESCHREVEN


def _positive_pilot_filter(prefix: str = "pilots__") -> Q:
    return Q(
        **{f"{prefix}phase": PilotPhase.GEEVALUEERD, f"{prefix}outcome": PilotOutcome.POSITIEF}
    )


def quality_levels(products) -> dict[int, str | None]:
    """The public quality level of each product in `products` (a queryset or list), by id."""
    ids = [product.pk for product in products] if not hasattr(products, "values") else None
    queryset = ProductPage.objects.filter(pk__in=ids) if ids is not None else products
    rows = queryset.values("pk", "live").annotate(
        positive_pilots=Count("pilots", filter=_positive_pilot_filter(), distinct=True),
        region_count=Count("regions", distinct=True),
    )
    return {
        row["pk"]: _level(
            live=row["live"],
            positive_pilots=row["positive_pilots"],
            region_count=row["region_count"],
        )
        for row in rows
    }


def quality_level(product: ProductPage) -> str | None:
    """The public quality (evidence) level of one product, or None when it is not live.

    "Goed beschreven": live, so it passed the quality framework; "Getoetst in de praktijk": also
    at least one evaluated pilot with outcome positief; "Landelijk toegepast": also applied in at
    least NATIONAL_REGION_THRESHOLD (5) arbeidsmarktregio's."""
    return quality_levels([product]).get(product.pk)


@dataclass
class RegionSpecialists:
    region: Region
    specialists: list[dict] = field(default_factory=list)


@dataclass
class ProductOperations:
    """What a product page shows of the hub's operations."""

    quality_level: str | None
    evaluated_pilots: list[Pilot]
    specialists_by_region: list[RegionSpecialists]

    @property
    def specialist_count(self) -> int:
        return sum(len(group.specialists) for group in self.specialists_by_region)


def evaluated_pilots(product: ProductPage) -> list[Pilot]:
    """The product's evaluated pilots with their regions, newest evaluation first (2 queries)."""
    return list(
        Pilot.objects.filter(product=product, phase=PilotPhase.GEEVALUEERD)
        .prefetch_related(Prefetch("regions", queryset=Region.objects.order_by("name")))
        .order_by("-evaluated_on", "title")
    )


def public_specialists_by_region(product: ProductPage) -> list[RegionSpecialists]:
    """Specialists who agreed to be listed and hold a valid certification for the product,
    grouped by region (1 query). A specialist with two roles appears once, as trainer."""
    certifications = (
        Certification.objects.valid()
        .filter(product=product, specialist__public_listing=True)
        .select_related("specialist__region")
        .order_by("specialist__region__name", "specialist__name")
    )
    by_specialist: dict[int, dict] = {}
    for certification in certifications:
        specialist = certification.specialist
        entry = by_specialist.setdefault(
            specialist.pk,
            {
                "name": specialist.name,
                "organisation": specialist.organisation,
                "region": specialist.region,
                "is_trainer": False,
                "valid_until": certification.valid_until,
            },
        )
        if certification.role == CertificationRole.TRAINER:
            entry["is_trainer"] = True
        entry["valid_until"] = max(entry["valid_until"], certification.valid_until)
    groups: dict[int, RegionSpecialists] = {}
    for entry in by_specialist.values():
        region = entry["region"]
        groups.setdefault(region.pk, RegionSpecialists(region=region)).specialists.append(entry)
    return sorted(groups.values(), key=lambda group: group.region.name)


def product_operations(product: ProductPage) -> ProductOperations:
    """Everything the product page shows of pilots and specialists, in 4 queries."""
    return ProductOperations(
        quality_level=quality_level(product),
        evaluated_pilots=evaluated_pilots(product),
        specialists_by_region=public_specialists_by_region(product),
    )


def valid_certification_counts() -> dict[str, int]:
    """How many distinct specialists hold a valid certification, and how many as trainer."""
    valid = Certification.objects.valid()
    return {
        "certified": valid.values("specialist").distinct().count(),
        "trainers": valid.filter(role=CertificationRole.TRAINER)
        .values("specialist")
        .distinct()
        .count(),
    }
