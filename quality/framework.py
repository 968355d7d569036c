"""Version 1.0 of the hub's quality framework (kwaliteitskader), loaded by `bootstrap_hub`."""

import datetime
from collections.abc import Iterable
from typing import Any

from products.choices import ProductType
from quality.services import ensure_framework_version

FRAMEWORK_V1_VERSION = "1.0"
FRAMEWORK_V1_EFFECTIVE_DATE = datetime.date(2026, 1, 1)
FRAMEWORK_V1_CHANGE_NOTE = (
    "Eerste versie van het kwaliteitskader van de Innovatiehub: elf automatische en vijf "
    "handmatige criteria voor producten, ontwikkellijnen en de innovatieagenda."
)

PRODUCT = ["productpage"]
WITH_MANUAL_OR_FORMAT = [
    ProductType.SCAN,
    ProductType.FORMAT,
    ProductType.WERKVORM,
    ProductType.INSTRUMENT,
    ProductType.TRAINING,
    ProductType.ONTWIKKELMODULE,
]


def _automatic(
    code: str,
    title: str,
    explanation: str,
    *,
    page_types: Iterable[str] = (),
    severity: str = "blocking",
    **scope: Iterable[object],
) -> dict[str, Any]:
    return {
        "code": code,
        "title": title,
        "explanation": explanation,
        "kind": "automatic",
        "severity": severity,
        "check_code": code,
        "page_types": list(page_types),
        **{key: [str(value) for value in values] for key, values in scope.items()},
    }


def _manual(
    code: str, title: str, explanation: str, *, page_types: Iterable[str] = ()
) -> dict[str, Any]:
    return {
        "code": code,
        "title": title,
        "explanation": explanation,
        "kind": "manual",
        "severity": "blocking",
        "page_types": list(page_types),
    }


FRAMEWORK_V1_CRITERIA: list[dict[str, Any]] = [
    _automatic(
        "samenvatting",
        "Samenvatting aanwezig en kort",
        "De samenvatting is er en telt hoogstens 300 tekens: zij verschijnt in zoekresultaten.",
        page_types=["productpage", "developmentlinepage"],
    ),
    _automatic(
        "werkblad_volledig",
        "Werkblad volledig",
        "Elke sectie van het werkblad is ingevuld en de aanpak heeft ten minste twee stappen.",
        page_types=PRODUCT,
    ),
    _automatic(
        "indeling",
        "Ontwikkellijn en doelgroep gekozen",
        "Het product hoort bij ten minste één ontwikkellijn en één doelgroep.",
        page_types=PRODUCT,
    ),
    _automatic(
        "eigenaar",
        "Eigenaar bekend",
        "Het product heeft een eigenaar die vragen beantwoordt.",
        page_types=PRODUCT,
    ),
    _automatic(
        "alt_tekst",
        "Afbeeldingen toegankelijk",
        "Elke afbeelding heeft een alternatieve tekst van hoogstens 125 tekens, of is "
        "uitdrukkelijk als decoratief gemarkeerd.",
        page_types=PRODUCT,
    ),
    _automatic(
        "koppen",
        "Koppen in de juiste volgorde",
        "Koppen in de tekst slaan geen niveau over (h2, dan h3) en zijn niet leeg.",
    ),
    _automatic(
        "links_gepubliceerd",
        "Geen dode links",
        "De tekst linkt niet naar niet-gepubliceerde of verwijderde pagina's of documenten.",
    ),
    _automatic(
        "download_handleiding",
        "Handleiding of format beschikbaar",
        "Scans, formats, werkvormen, instrumenten, trainingen en ontwikkelmodules hebben ten "
        "minste één download van de soort handleiding of format.",
        page_types=PRODUCT,
        product_types=WITH_MANUAL_OR_FORMAT,
    ),
    _automatic(
        "herziening",
        "Herziening gepland",
        "De volgende herziening ligt in de toekomst en hoogstens 24 maanden vooruit.",
        page_types=PRODUCT,
    ),
    _automatic(
        "wijzigingsnotitie",
        "Wijzigingsnotitie bij nieuwe hoofdversie",
        "Gaat de hoofdversie omhoog (bijvoorbeeld van 1.4 naar 2.0), dan beschrijft de "
        "wijzigingsnotitie wat er veranderd is.",
        page_types=PRODUCT,
    ),
    _automatic(
        "leesbaarheid",
        "Leesbaar (Flesch-Douma 60 of meer)",
        "Samenvatting en tekst scoren ten minste 60 op de Flesch-Douma-formule: 206,84 − 0,77 × "
        "lettergrepen per 100 woorden − 0,93 × woorden per zin. Adviserend.",
        page_types=["productpage", "developmentlinepage"],
        severity="advisory",
    ),
    _manual(
        "wet_en_beleid",
        "Actueel met wet en beleid",
        "De inhoud klopt met de huidige wet- en regelgeving en het beleid (Participatiewet, Wsw).",
    ),
    _manual(
        "taalniveau_b1",
        "Taal past bij de doelgroep (B1)",
        "De tekst is geschreven op taalniveau B1 en past bij de doelgroep.",
    ),
    _manual(
        "uitvoerbaar_zonder_ontwikkelaars",
        "Uitvoerbaar zonder de ontwikkelaars",
        "Een maatwerkspecialist kan het product uitvoeren zonder hulp van wie het ontwikkelde.",
        page_types=PRODUCT,
    ),
    _manual(
        "samenhang",
        "Doel, doelgroep en aanpak sluiten aan",
        "Doel, doelgroep en aanpak passen aannemelijk bij elkaar.",
        page_types=PRODUCT,
    ),
    _manual(
        "geen_persoonsgegevens",
        "Geen persoonsgegevens of vertrouwelijke gegevens",
        "De inhoud bevat geen persoonsgegevens en geen vertrouwelijke informatie.",
    ),
]


def ensure_framework_v1() -> list[str]:
    """Bootstrap step: framework version 1.0 with the criteria above (once)."""

    return ensure_framework_version(
        version=FRAMEWORK_V1_VERSION,
        effective_date=FRAMEWORK_V1_EFFECTIVE_DATE,
        change_note=FRAMEWORK_V1_CHANGE_NOTE,
        criteria=FRAMEWORK_V1_CRITERIA,
    )
