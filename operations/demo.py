"""The demo hub's operations: pilots, specialists with certifications, knowledge signals and
partner consultations, attached to the demo products and lines by slug.

Idempotent: every record has a natural key and is created only when missing. A product or line
that the demo content does not contain is skipped with a line saying so.
"""

import datetime

from django.utils import timezone

from operations.choices import (
    CertificationRole,
    OrganisationKind,
    PilotOutcome,
    PilotPhase,
    SignalStatus,
)
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
from operations.services import certify_specialist
from products.choices import LifecycleStatus
from products.models import DevelopmentLinePage, ProductPage, Region

D = datetime.date

# (name, organisation, region code, e-mail, listed publicly)
SPECIALISTS = [
    ("Anouk Jansen", "Werkbedrijf Twente", "twente", "a.jansen@werkbedrijf-twente.example", True),
    ("Bas de Groot", "Lucrato", "rijnmond", "b.degroot@lucrato.example", True),
    ("Chantal Bakker", "Pantar", "groot-amsterdam", "c.bakker@pantar.example", True),
    ("Dennis Visser", "Diamant-groep", "midden-brabant", "d.visser@diamant.example", True),
    ("Esra Yilmaz", "Ergon", "zuidoost-brabant", "e.yilmaz@ergon.example", True),
    ("Frank Mulder", "Alescon", "drenthe", "f.mulder@alescon.example", False),
    ("Greetje Smit", "Empatec", "friesland", "g.smit@empatec.example", True),
    ("Hamza El Amrani", "Werkse!", "west-brabant", "h.elamrani@werkse.example", True),
    ("Ilse de Vries", "Caparis", "zeeland", "i.devries@caparis.example", True),
    ("Joost Hendriks", "Atlant", "midden-gelderland", "j.hendriks@atlant.example", True),
    ("Karin Bos", "WeenerXL", "regio-zwolle", "k.bos@weenerxl.example", False),
    ("Lars Meijer", "Stichting Wedeo", "holland-rijnland", "l.meijer@wedeo.example", True),
    ("Mirjam Kok", "Larcom", "rijk-van-nijmegen", "m.kok@larcom.example", True),
    ("Nadia Haddou", "Avres", "rivierenland", "n.haddou@avres.example", True),
]

# Each development line has a first trainer (certified by the hub) for its available products;
# (line slug, trainer, certified on, valid until).
LINE_TRAINERS = [
    ("arbeidsmarktfunctionaliteiten", "Anouk Jansen", D(2025, 9, 1), D(2027, 8, 31)),
    ("governance", "Bas de Groot", D(2025, 10, 1), D(2027, 9, 30)),
    ("financien", "Chantal Bakker", D(2025, 11, 1), D(2027, 10, 31)),
    ("scenarios", "Ilse de Vries", D(2026, 1, 12), D(2028, 1, 11)),
]

# (specialist, product slug, role, certified on, valid until, certified by)
CERTIFICATIONS = [
    # An earlier trainer whose certification lapsed, and the delivery certificate she gave.
    (
        "Frank Mulder",
        "format-diagnosegesprek-arbeidsvermogen",
        "trainer",
        D(2023, 6, 1),
        D(2025, 5, 31),
        None,
    ),
    (
        "Karin Bos",
        "format-diagnosegesprek-arbeidsvermogen",
        "uitvoerder",
        D(2024, 3, 4),
        D(2026, 3, 3),
        "Frank Mulder",
    ),
    (
        "Greetje Smit",
        "format-diagnosegesprek-arbeidsvermogen",
        "uitvoerder",
        D(2024, 2, 1),
        D(2025, 12, 31),
        "Frank Mulder",
    ),
    # Train-de-trainer: a line trainer certifies a second trainer, who certifies others.
    (
        "Dennis Visser",
        "instrument-jobcarving-analyse",
        "trainer",
        D(2026, 1, 20),
        D(2028, 1, 19),
        "Anouk Jansen",
    ),
    (
        "Esra Yilmaz",
        "instrument-jobcarving-analyse",
        "uitvoerder",
        D(2026, 2, 16),
        D(2028, 2, 15),
        "Dennis Visser",
    ),
    (
        "Hamza El Amrani",
        "instrument-jobcarving-analyse",
        "uitvoerder",
        D(2026, 3, 9),
        D(2028, 3, 8),
        "Dennis Visser",
    ),
    (
        "Greetje Smit",
        "scan-arbeidsmarktfunctionaliteiten",
        "uitvoerder",
        D(2026, 2, 2),
        D(2028, 2, 1),
        "Anouk Jansen",
    ),
    (
        "Karin Bos",
        "ontwikkelmodule-praktijkleren",
        "uitvoerder",
        D(2026, 3, 23),
        D(2028, 3, 22),
        "Anouk Jansen",
    ),
    (
        "Lars Meijer",
        "training-jobcoaching-reguliere-werkgevers",
        "uitvoerder",
        D(2026, 4, 14),
        D(2028, 4, 13),
        "Anouk Jansen",
    ),
    (
        "Joost Hendriks",
        "format-detacheringsovereenkomst",
        "uitvoerder",
        D(2026, 5, 11),
        D(2028, 5, 10),
        "Anouk Jansen",
    ),
    (
        "Mirjam Kok",
        "format-dienstverleningsovereenkomst",
        "uitvoerder",
        D(2026, 1, 26),
        D(2028, 1, 25),
        "Bas de Groot",
    ),
    (
        "Lars Meijer",
        "training-goed-opdrachtgeverschap",
        "uitvoerder",
        D(2026, 6, 8),
        D(2028, 6, 7),
        "Bas de Groot",
    ),
    (
        "Nadia Haddou",
        "scan-governance-gemeenschappelijke-regeling",
        "uitvoerder",
        D(2026, 9, 14),
        D(2028, 9, 13),
        "Bas de Groot",
    ),
    (
        "Hamza El Amrani",
        "instrument-businesscase-beschut-werk",
        "uitvoerder",
        D(2026, 2, 23),
        D(2028, 2, 22),
        "Chantal Bakker",
    ),
    (
        "Joost Hendriks",
        "instrument-rekenmodel-loonkostensubsidie",
        "trainer",
        D(2026, 7, 6),
        D(2028, 7, 5),
        "Chantal Bakker",
    ),
    (
        "Mirjam Kok",
        "handreiking-toekomstscenarios-sob",
        "uitvoerder",
        D(2026, 10, 5),
        D(2028, 10, 4),
        "Ilse de Vries",
    ),
    (
        "Nadia Haddou",
        "werkvorm-scenariowerkplaats",
        "uitvoerder",
        D(2026, 3, 2),
        D(2028, 3, 1),
        "Ilse de Vries",
    ),
]

# Pilots of products still in their pilot phase: (product slug, title, regions, start, end,
# phase, outcome, evaluated on, evaluation, lessons)
PILOTS = [
    (
        "scan-werkgeversdienstverlening-regio",
        "Pilot werkgeversdienstverlening Rijnmond en Holland Rijnland",
        ["rijnmond", "holland-rijnland"],
        D(2026, 2, 1),
        D(2026, 12, 31),
        PilotPhase.LOPEND,
        "",
        None,
        "",
        "",
    ),
    (
        "werkvorm-werkgeverstafel",
        "Werkgeverstafels in Twente en Zuid-Limburg",
        ["twente", "zuid-limburg"],
        D(2026, 1, 15),
        D(2026, 6, 30),
        PilotPhase.GEEVALUEERD,
        PilotOutcome.BIJSTELLEN,
        D(2026, 7, 20),
        "Werkgevers waardeerden de tafels, maar de opkomst van kleine werkgevers bleef achter.",
        "Nodig kleine werkgevers via de brancheverenigingen uit en houd de tafel korter.",
    ),
    (
        "training-werkleider-als-leermeester",
        "Leermeestertraining Noord-Holland Noord",
        ["noord-holland-noord"],
        D(2026, 9, 1),
        D(2027, 2, 28),
        PilotPhase.LOPEND,
        "",
        None,
        "",
        "",
    ),
    (
        "werkvorm-regiotafel-sociale-infrastructuur",
        "Regiotafels in Twente en Zeeland",
        ["twente", "zeeland"],
        D(2027, 1, 11),
        D(2027, 6, 30),
        PilotPhase.GEPLAND,
        "",
        None,
        "",
        "",
    ),
    (
        "format-tarievenkaart-sob",
        "Tarievenkaart bij vier SOB's in het noorden",
        ["groningen", "friesland"],
        D(2025, 11, 3),
        D(2026, 3, 31),
        PilotPhase.GEEVALUEERD,
        PilotOutcome.STOPPEN,
        D(2026, 4, 22),
        "De tarievenkaart sloot niet aan op de verschillende kostprijsmodellen van de SOB's.",
        "Begin bij een gedeeld kostprijsmodel; de tarievenkaart volgt daaruit.",
    ),
    (
        "scan-financiele-gezondheid-sob",
        "Financiële scan Achterhoek en Rivierenland",
        ["achterhoek", "rivierenland"],
        D(2026, 10, 1),
        D(2027, 3, 31),
        PilotPhase.LOPEND,
        "",
        None,
        "",
        "",
    ),
    (
        "ontwikkelmodule-financiele-sturing",
        "Module financiële sturing FoodValley",
        ["food-valley"],
        D(2027, 2, 1),
        D(2027, 6, 30),
        PilotPhase.GEPLAND,
        "",
        None,
        "",
        "",
    ),
    (
        "ontwikkelmodule-strategische-herorientatie-sob",
        "Strategische heroriëntatie Zeeland en Drenthe",
        ["zeeland", "drenthe"],
        D(2026, 3, 2),
        D(2026, 9, 30),
        PilotPhase.GEEVALUEERD,
        PilotOutcome.BIJSTELLEN,
        D(2026, 10, 26),
        "Besturen vonden de module waardevol, de doorlooptijd was te lang.",
        "Breng de module terug van zes naar vier bijeenkomsten.",
    ),
]

# (region code, kind, topic, description, status, reason, line slug, product slugs,
#  received, days to decision)
SIGNALS = [
    (
        "twente",
        OrganisationKind.SOB,
        "Begeleiding na plaatsing bij werkgever",
        "Medewerkers die vanuit beschut werk bij een reguliere werkgever starten, vallen na drie maanden vaak terug. Er is behoefte aan een aanpak voor nazorg.",
        SignalStatus.VERWERKT,
        "Opgenomen in de handreiking begeleiding naar regulier werk.",
        "arbeidsmarktfunctionaliteiten",
        ["handreiking-begeleiding-naar-regulier-werk"],
        D(2026, 1, 8),
        34,
    ),
    (
        "zeeland",
        OrganisationKind.GEMEENTE,
        "Scenario's bij krimp",
        "Kleine gemeenten in Zeeland willen scenario's voor het SOB bij een krimpende doelgroep Wsw.",
        SignalStatus.VERWERKT,
        "Leidde tot de scenariowerkplaats.",
        "scenarios",
        ["werkvorm-scenariowerkplaats"],
        D(2026, 1, 22),
        41,
    ),
    (
        "rijnmond",
        OrganisationKind.REGIONAAL_ADVISEUR,
        "Eén werkgeversloket",
        "Werkgevers krijgen in de regio met drie loketten te maken. Een scan naar de werkgeversdienstverlening zou helpen.",
        SignalStatus.VERWERKT,
        "Nieuwe scan werkgeversdienstverlening in pilot.",
        "arbeidsmarktfunctionaliteiten",
        ["scan-werkgeversdienstverlening-regio"],
        D(2026, 2, 5),
        20,
    ),
    (
        "groningen",
        OrganisationKind.SOB,
        "Tarieven voor detachering",
        "SOB's rekenen zeer verschillende tarieven voor detachering; gemeenten vragen om vergelijkbaarheid.",
        SignalStatus.VERWERKT,
        "Opgepakt in de pilot tarievenkaart.",
        "financien",
        ["format-tarievenkaart-sob"],
        D(2026, 2, 19),
        13,
    ),
    (
        "haaglanden",
        OrganisationKind.PARTNER,
        "Aansluiting op de Wet inburgering",
        "Statushouders komen steeds vaker bij het SOB terecht; de combinatie met inburgering vraagt afstemming.",
        SignalStatus.AFGEWEZEN,
        "Valt buiten de opdracht van de hub; doorgezet naar Divosa.",
        "",
        [],
        D(2026, 3, 3),
        9,
    ),
    (
        "midden-utrecht",
        OrganisationKind.GEMEENTE,
        "Stuurinformatie voor de raad",
        "Raadsleden willen zicht op de prestaties van het SOB zonder een dik jaarverslag.",
        SignalStatus.VERWERKT,
        "Instrument stuurinformatie opdrachtgever in ontwikkeling.",
        "governance",
        ["instrument-stuurinformatie-opdrachtgever"],
        D(2026, 3, 17),
        27,
    ),
    (
        "friesland",
        OrganisationKind.SOB,
        "Praktijkverklaringen erkennen",
        "Werkgevers kennen de praktijkverklaringen niet. Een landelijke erkenning zou de waarde verhogen.",
        SignalStatus.IN_ANALYSE,
        "",
        "arbeidsmarktfunctionaliteiten",
        [],
        D(2026, 4, 9),
        None,
    ),
    (
        "west-brabant",
        OrganisationKind.REGIONAAL_ADVISEUR,
        "Gemeenschappelijke regeling herzien",
        "Drie gemeenten willen de gemeenschappelijke regeling van hun SOB herzien en zoeken voorbeelden.",
        SignalStatus.VERWERKT,
        "Verwezen naar de governance-scan; voorbeelden toegevoegd.",
        "governance",
        ["scan-governance-gemeenschappelijke-regeling"],
        D(2026, 4, 21),
        16,
    ),
    (
        "achterhoek",
        OrganisationKind.SOB,
        "Financiële buffer SOB",
        "Welke financiële buffer is verstandig voor een SOB dat volledig door gemeenten wordt gefinancierd?",
        SignalStatus.IN_ANALYSE,
        "",
        "financien",
        [],
        D(2026, 5, 12),
        None,
    ),
    (
        "noord-limburg",
        OrganisationKind.GEMEENTE,
        "Jobcarving in de zorg",
        "Zorginstellingen in de regio willen jobcarving toepassen; er is behoefte aan voorbeelden uit de zorg.",
        SignalStatus.VERWERKT,
        "Voorbeelden uit de zorg toegevoegd aan de jobcarving-analyse.",
        "arbeidsmarktfunctionaliteiten",
        ["instrument-jobcarving-analyse"],
        D(2026, 6, 2),
        30,
    ),
    (
        "flevoland",
        OrganisationKind.PARTNER,
        "Landelijke cao-afspraken",
        "Vraag om een positie van de hub over de cao-onderhandelingen.",
        SignalStatus.AFGEWEZEN,
        "Cao-onderhandelingen zijn aan sociale partners; geen rol voor de hub.",
        "",
        [],
        D(2026, 6, 23),
        5,
    ),
    (
        "gorinchem",
        OrganisationKind.SOB,
        "Data over uitstroom",
        "SOB's meten uitstroom naar regulier werk verschillend; vergelijken is onmogelijk.",
        SignalStatus.IN_ANALYSE,
        "",
        "data-en-monitoring",
        [],
        D(2026, 8, 25),
        None,
    ),
    (
        "amersfoort",
        OrganisationKind.REGIONAAL_ADVISEUR,
        "Scenario's voor bestuurders",
        "Wethouders vragen om een korte training scenariodenken.",
        SignalStatus.VERWERKT,
        "Training scenariodenken voor bestuurders in ontwikkeling.",
        "scenarios",
        ["training-scenariodenken-bestuurders"],
        D(2026, 9, 8),
        22,
    ),
    (
        "zuid-limburg",
        OrganisationKind.GEMEENTE,
        "Grensoverschrijdend werk",
        "Inwoners werken over de grens in Duitsland en België; hoe past dat in beschut werk?",
        SignalStatus.NIEUW,
        "",
        "",
        [],
        D(2026, 10, 27),
        None,
    ),
    (
        "holland-rijnland",
        OrganisationKind.SOB,
        "Digitale vaardigheden werkleiders",
        "Werkleiders hebben moeite met de nieuwe digitale planningssystemen.",
        SignalStatus.NIEUW,
        "",
        "",
        [],
        D(2026, 11, 10),
        None,
    ),
    (
        "drenthe",
        OrganisationKind.REGIONAAL_ADVISEUR,
        "Vervoer naar werk",
        "In landelijke gebieden is vervoer de grootste drempel voor beschut werk.",
        SignalStatus.NIEUW,
        "",
        "",
        [],
        D(2026, 11, 18),
        None,
    ),
]

# (date, title, partner names, attendees, topics, notes, decisions, actions)
CONSULTATIONS = [
    (
        D(2026, 2, 12),
        "Partneroverleg Innovatiehub, februari",
        ["VNG – domein Werk en Inkomen", "Cedris", "Divosa", "Ministerie van SZW"],
        "Marieke de Vries (Divosa)\nPeter Smits (Cedris)\nLinda Verhoef (VNG)\nTom Wouters (SZW)",
        "Vaststelling innovatieagenda 2026-2027\nKwaliteitskader versie 1.0\nWerving maatwerkspecialisten",
        "De partners stellen de agenda vast en vragen om een kwartaalrapportage.",
        [
            "De innovatieagenda 2026-2027 is vastgesteld.",
            "Het kwaliteitskader 1.0 geldt vanaf 1 januari 2026.",
        ],
        [
            ("Kwartaalrapportage Q1 opstellen", "Carla Coördinator (hub)", D(2026, 4, 15), True),
            (
                "Wervingsbrief maatwerkspecialisten naar de SOB's",
                "Peter Smits (Cedris)",
                D(2026, 3, 15),
                True,
            ),
        ],
    ),
    (
        D(2026, 5, 19),
        "Partneroverleg Innovatiehub, mei",
        ["VNG – domein Sociaal Domein", "Cedris", "Divosa"],
        "Marieke de Vries (Divosa)\nPeter Smits (Cedris)\nSanne Kuipers (VNG)",
        "Kwartaalrapportage Q1\nEerste pilots ontwikkellijn arbeidsmarktfunctionaliteiten\nKennissignalen uit de regio's",
        "",
        ["Pilots die 'bijstellen' als uitkomst hebben, krijgen een tweede ronde."],
        [
            (
                "Tweede ronde werkgeverstafels plannen",
                "Anouk Jansen (Werkbedrijf Twente)",
                D(2026, 9, 1),
                True,
            ),
            (
                "Signaal over inburgering bespreken in Divosa-bestuur",
                "Marieke de Vries (Divosa)",
                D(2026, 6, 30),
                False,
            ),
        ],
    ),
    (
        D(2026, 9, 22),
        "Partneroverleg Innovatiehub, september",
        ["VNG – domein Werk en Inkomen", "Divosa", "Ministerie van SZW"],
        "Linda Verhoef (VNG)\nMarieke de Vries (Divosa)\nTom Wouters (SZW)",
        "Kwaliteitskader versie 1.1\nLandelijke uitrol ontwikkellijn governance\nDoel 10-20 maatwerkspecialisten",
        "",
        [
            "Kwaliteitskader 1.1 wordt vastgesteld met criteria voor pilots en specialisten.",
            "De ontwikkellijn governance wordt landelijk uitgerold.",
        ],
        [
            (
                "Uitrolplan governance naar alle arbeidsmarktregio's",
                "Bas de Groot (Lucrato)",
                D(2026, 12, 1),
                False,
            ),
            (
                "Train-de-trainerdag voor nieuwe specialisten organiseren",
                "Anouk Jansen (Werkbedrijf Twente)",
                D(2027, 1, 31),
                False,
            ),
        ],
    ),
]


def _aware(date: datetime.date, hour: int = 10) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(date, datetime.time(hour)))


class _Lookup:
    """Products, lines and regions by slug or code, each fetched once."""

    def __init__(self) -> None:
        self.products = {p.slug: p for p in ProductPage.objects.all()}
        self.lines = {line.slug: line for line in DevelopmentLinePage.objects.all()}
        self.regions = {r.code: r for r in Region.objects.all()}
        self.missing: set[str] = set()

    def product(self, slug: str) -> ProductPage | None:
        if slug not in self.products:
            self.missing.add(f"product '{slug}'")
        return self.products.get(slug)

    def line(self, slug: str) -> DevelopmentLinePage | None:
        if slug and slug not in self.lines:
            self.missing.add(f"ontwikkellijn '{slug}'")
        return self.lines.get(slug)


def _specialists(lookup: _Lookup) -> tuple[dict[str, Specialist], int]:
    created = 0
    result = {}
    for name, organisation, region_code, email, public in SPECIALISTS:
        specialist, made = Specialist.objects.get_or_create(
            name=name,
            defaults={
                "organisation": organisation,
                "region": lookup.regions[region_code],
                "email": email,
                "public_listing": public,
            },
        )
        result[name] = specialist
        created += made
    return result, created


def _certifications(lookup: _Lookup, specialists: dict[str, Specialist]) -> int:
    created = 0

    def certify(name, product, role, certified_on, valid_until, by) -> None:
        nonlocal created
        if Certification.objects.filter(
            specialist=specialists[name], product=product, role=role, certified_on=certified_on
        ).exists():
            return
        certify_specialist(
            specialist=specialists[name],
            product=product,
            role=role,
            certified_on=certified_on,
            valid_until=valid_until,
            certified_by=specialists[by] if by else None,
        )
        created += 1

    # The lapsed trainer first: the hub certified her before any line trainer existed.
    ordered = sorted(CERTIFICATIONS, key=lambda row: row[3])
    early = [row for row in ordered if row[3] < D(2025, 9, 1)]
    late = [row for row in ordered if row[3] >= D(2025, 9, 1)]
    for name, slug, role, certified_on, valid_until, by in early:
        product = lookup.product(slug)
        if product is not None:
            certify(name, product, role, certified_on, valid_until, by)
    for line_slug, trainer, certified_on, valid_until in LINE_TRAINERS:
        line = lookup.line(line_slug)
        if line is None:
            continue
        for product in lookup.products.values():
            if product.lifecycle_status != LifecycleStatus.BESCHIKBAAR:
                continue
            first_line = product.development_lines.order_by("path").first()
            if first_line is None or first_line.pk != line.pk:
                continue
            certify(trainer, product, CertificationRole.TRAINER, certified_on, valid_until, None)
    for name, slug, role, certified_on, valid_until, by in late:
        product = lookup.product(slug)
        if product is not None:
            certify(name, product, role, certified_on, valid_until, by)
    return created


def _pilots(lookup: _Lookup) -> int:
    created = 0
    rows = list(PILOTS)
    # Every available product was tested first: a positive pilot in two of its regions.
    for index, product in enumerate(sorted(lookup.products.values(), key=lambda p: p.slug)):
        if product.lifecycle_status != LifecycleStatus.BESCHIKBAAR:
            continue
        region_codes = list(product.regions.order_by("name").values_list("code", flat=True)[:2])
        start = D(2025, 1 + index % 9, 1)
        end = start + datetime.timedelta(days=150)
        rows.append(
            (
                product.slug,
                f"Pilot {product.title}",
                region_codes,
                start,
                end,
                PilotPhase.GEEVALUEERD,
                PilotOutcome.POSITIEF,
                end + datetime.timedelta(days=21),
                "Deelnemers beoordeelden het product als bruikbaar; de regio's gaan ermee door.",
                "Plan de uitvoering samen met de regionale werkgeversdienstverlening.",
            )
        )
    for slug, title, regions, start, end, phase, outcome, evaluated_on, evaluation, lessons in rows:
        product = lookup.product(slug)
        if product is None or Pilot.objects.filter(product=product, title=title).exists():
            continue
        pilot = Pilot(
            product=product,
            title=title,
            organisations="Gemeenten en SOB's in de deelnemende regio's",
            start_date=start,
            end_date=end,
            phase=phase,
            outcome=outcome,
            evaluated_on=evaluated_on,
            evaluation=evaluation,
            lessons=lessons,
        )
        pilot.full_clean()
        pilot.save()
        pilot.regions.set([lookup.regions[code] for code in regions if code in lookup.regions])
        created += 1
    return created


def _signals(lookup: _Lookup) -> int:
    created = 0
    for row in SIGNALS:
        region, kind, topic, description, status, reason, line_slug, slugs, received, days = row
        if KnowledgeSignal.objects.filter(topic=topic).exists():
            continue
        signal = KnowledgeSignal(
            region=lookup.regions[region],
            organisation_kind=kind,
            topic=topic,
            description=description,
            received_at=_aware(received),
            status=status,
            status_reason=reason,
            development_line=lookup.line(line_slug),
            decided_at=_aware(received + datetime.timedelta(days=days), 15) if days else None,
        )
        signal.full_clean()
        signal.save()
        products = [p for p in (lookup.product(slug) for slug in slugs) if p is not None]
        signal.products.set(products)
        created += 1
    return created


def _consultations() -> int:
    created = 0
    partners = {p.name: p for p in NationalPartner.objects.all()}
    for date, title, names, attendees, topics, notes, decisions, actions in CONSULTATIONS:
        if PartnerConsultation.objects.filter(date=date, title=title).exists():
            continue
        consultation = PartnerConsultation(
            date=date, title=title, attendees=attendees, topics=topics, notes=notes
        )
        consultation.save()
        consultation.partners.set([partners[name] for name in names if name in partners])
        consultation.save()
        for order, text in enumerate(decisions):
            ConsultationDecision.objects.create(
                consultation=consultation, text=text, sort_order=order
            )
        for order, (description, owner, due, done) in enumerate(actions):
            ConsultationAction.objects.create(
                consultation=consultation,
                description=description,
                owner=owner,
                due_date=due,
                done=done,
                sort_order=order,
            )
        created += 1
    return created


def load_demo_operations() -> list[str]:
    """Add the demo operations to the demo hub; return a Dutch line per kind of record added."""
    lookup = _Lookup()
    if not lookup.products:
        return ["Bedrijfsvoering overgeslagen: de demo-hub bevat nog geen producten."]
    specialists, specialist_count = _specialists(lookup)
    counts = [
        ("maatwerkspecialisten", specialist_count),
        ("pilots", _pilots(lookup)),
        ("certificeringen", _certifications(lookup, specialists)),
        ("kennissignalen", _signals(lookup)),
        ("partneroverleggen", _consultations()),
    ]
    changes = [f"Demo-bedrijfsvoering: {n} {label} toegevoegd" for label, n in counts if n]
    changes += [
        f"Demo-bedrijfsvoering: {item} ontbreekt in de demo-inhoud, overgeslagen"
        for item in sorted(lookup.missing)
    ]
    if not any(n for _, n in counts):
        # Missing slugs alone are no change; report them only alongside real changes.
        return []
    return changes
