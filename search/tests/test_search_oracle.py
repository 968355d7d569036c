"""An oracle for the search engine: totals, disjunctive facet counts and paging, checked in Python.

These tests recompute every answer in plain Python from the rows of the product index
(`ProductSearchDocument`): a document matches when every query group has an alternative in its
stems (a synonym phrase as consecutive stems of one field); a facet value's count ignores its own
facet's selection and applies every other facet's selection (values OR within a facet, AND across
facets). The results must agree, through the engine and through `search_products`, on SQLite and
on PostgreSQL.

The catalogue is built once for the module inside a transaction that is rolled back afterwards;
each test runs in its own savepoint (pytest-django's `db`), so tests that add data undo it.
"""

from collections import Counter
from dataclasses import dataclass

from django.db import transaction
from django.db.models import F

from wagtail.models import Page, PageViewRestriction

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from hubcms.testing.examples import examples
from hubcms.testing.factories import (
    DevelopmentLinePageFactory,
    TargetGroupFactory,
    complete_product,
)
from hubcms.testing.publishing import publish
from products.choices import LifecycleStatus, ProductType
from products.models import (
    DevelopmentLineIndexPage,
    DevelopmentLinePage,
    ProductLibraryPage,
    Region,
    TargetGroup,
)
from search import engines
from search.models import ProductSearchDocument
from search.query import TextQuery, load_synonyms, parse_query
from search.services import ProductQuery, search_products

# One worker builds the module's catalogue once, instead of every worker that gets a test of it.
pytestmark = [pytest.mark.django_db, pytest.mark.xdist_group("search-oracle")]

FACETS = {  # selection -> (facet name, facet key prefix)
    "product_types": ("product_type", "type"),
    "lifecycle_statuses": ("lifecycle_status", "status"),
    "development_lines": ("development_line", "line"),
    "target_groups": ("target_group", "group"),
    "regions": ("region", "region"),
    "themes": ("theme", "theme"),
}

LINES = ["Regie en samenwerking", "Vakmanschap", "Matching werkgevers"]
GROUPS = ["Gemeenten", "Jobcoaches", "Werkgevers"]
REGION_COUNT = 4  # the first regions of the seeded list, by id

# title, summary, body (onderbouwing), type, status, lines, groups, regions, themes
PRODUCTS = [
    ("Fietsen naar het werk", "Werkvorm over veilig reizen met de fiets.", "Samen met de werkgever plannen.", "werkvorm", "pilot", [0], [1], [0], ["mobiliteit"]),
    ("Scan voor ontwikkelbedrijven", "Een scan voor het sociaal ontwikkelbedrijf.", "Gebruik het gesprek als start.", "scan", "beschikbaar", [0], [0], [0, 1], []),
    ("Handreiking begeleiding", "Over beschutte werkplekken en jobcoaching.", "Nazorg na plaatsing.", "handreiking", "pilot", [1], [1], [], ["beschut werk"]),
    ("Training leidinggevenden", "Training voor leidinggevenden.", "Ook bruikbaar voor beschutte werkplekken.", "training", "in_ontwikkeling", [1], [2], [2], []),
    ("Beschutte werkplek inrichten", "Stappen voor de inrichting.", "Met de fiets bereikbaar.", "instrument", "beschikbaar", [1, 2], [0, 2], [1], ["beschut werk"]),
    # "beschut" and "werk" apart: not the phrase "beschut werk"
    ("Beschut en veilig werk", "Veiligheid op de vloer.", "Digitaal registreren.", "format", "idee", [2], [0], [3], ["digitaal"]),
    ("Digitale vaardigheden", "Digitaal werken voor medewerkers.", "Met taal oefenen.", "training", "pilot", [0], [1], [], ["digitaal", "taal"]),
    ("Taalcoach op de werkvloer", "Taal leren tijdens het werk.", "De jobcoach helpt.", "werkvorm", "beschikbaar", [1], [1], [0], ["taal"]),
    ("Werkgeversdienstverlening", "Matching met werkgevers in de regio.", "Een scan van de vacatures.", "format", "uitgefaseerd", [2], [2], [0, 2], []),
    ("Loopbaangesprek", "Een gesprek over de loopbaan.", "Fietsen is een optie voor vervoer.", "werkvorm", "pilot", [0], [0, 1], [1], ["mobiliteit"]),
    ("Vervoer regelen", "Vervoer naar beschut werk.", "Budget voor de fiets.", "instrument", "in_ontwikkeling", [2], [0], [3], ["mobiliteit"]),
    ("Budgetplan werkgever", "Budget en loonkostensubsidie.", "LKS aanvragen.", "instrument", "beschikbaar", [2], [2], [], []),
    ("Nazorg na plaatsing", "Nazorg door de werkbegeleider.", "Gesprek met de werkgever.", "handreiking", "pilot", [1], [1, 2], [2], ["nazorg"]),
    ("Jobcoach aan het werk", "De jobcoach begeleidt op de werkplek.", "Beschut werk als vangnet.", "training", "beschikbaar", [1], [1], [1], ["nazorg"]),
    ("Ontwikkelplan maken", "Een persoonlijk ontwikkelplan.", "Samen met het SW-bedrijf.", "instrument", "idee", [0], [0], [], []),
    ("Regie op re-integratie", "Regie voor gemeenten.", "Afspraken met het SOB.", "handreiking", "in_ontwikkeling", [0], [0], [0], []),
    ("Praktijkdag beschut werk", "Een dag op de werkvloer.", "Fiets mee.", "werkvorm", "pilot", [1], [0, 1], [2, 3], ["beschut werk"]),
    ("Scan digitale vaardigheid", "Scan voor taal en digitaal.", "Werkgever betrokken.", "scan", "pilot", [0, 1], [2], [], ["digitaal"]),
    ("Wsw-overgang", "Van Wet sociale werkvoorziening naar Participatiewet.", "Gesprek met medewerkers.", "handreiking", "uitgefaseerd", [0], [0], [1], []),
    ("Mobiliteit in de regio", "Mobiliteit en vervoer.", "Fietsen en openbaar vervoer.", "format", "beschikbaar", [2], [0], [0, 1], ["mobiliteit"]),
    ("Werkplekaanpassing", "Aanpassing van de werkplek.", "Budget nodig.", "instrument", "pilot", [1], [2], [3], []),
    ("Vakmanschap jobcoaches", "Training in vakmanschap.", "Nazorg en gesprek.", "training", "in_ontwikkeling", [1], [1], [], ["nazorg"]),
    ("Gesprekskaarten", "Kaarten voor het gesprek.", "Taal eenvoudig.", "werkvorm", "idee", [0], [0], [2], ["taal"]),
    ("Samenwerking met werkgevers", "Samen met werkgevers beschutte werkplekken creëren.", "Regie.", "format", "pilot", [0, 2], [2], [0], ["beschut werk"]),
    ("Leerwerktraject fiets", "Een traject bij de fietsenmaker.", "Werk en leren.", "scan", "beschikbaar", [2], [1], [1], []),
]  # fmt: skip

QUERIES = [
    "",
    "fiets",
    "fietsen",  # the same stem as "fiets"
    "scan",
    "werkgever",
    "vakmanschap",  # a development line's title: in the body of that line's products
    "gesprek",
    "werk",
    "fiets werkgever",
    "jobcoach nazorg",  # synonyms: jobcoach, jobcoaching, werkbegeleider
    "beschut werk",  # seeded multi-word synonym: beschut werk, beschutte werkplek(ken)
    "beschutte werkplekken",
    "beschutte werkplek fiets",
    "SW-bedrijf",  # synonyms: SOB, sociaal ontwikkelbedrijf, SW-bedrijf
    "loonkostensubsidie",  # synonyms: LKS, loonkostensubsidie
    "digitaal taal",
    "de het",  # stop words only: no text query at all
    "zzqqxx",  # matches nothing
    "fiets zzqqxx",  # nothing has both words: search_products falls back to any word
]

# Selections by public value; lines, groups and regions by their index in LINES, GROUPS and the
# catalogue's regions; themes by name.
SELECTIONS = {
    "none": {},
    "one type": {"product_types": ["scan"]},
    "two types": {"product_types": ["scan", "werkvorm"]},
    "type and status": {"product_types": ["werkvorm"], "lifecycle_statuses": ["pilot"]},
    "two types and a line": {"product_types": ["instrument", "training"], "development_lines": [1]},
    "group and two regions": {"target_groups": [2], "regions": [0, 1]},
    "theme, two statuses, line": {
        "themes": ["beschut werk"],
        "lifecycle_statuses": ["pilot", "beschikbaar"],
        "development_lines": [1],
    },
    "region and two themes": {"regions": [3], "themes": ["mobiliteit", "digitaal"]},
    "a type without products": {"product_types": ["ontwikkelmodule"]},
}


@dataclass(frozen=True)
class Doc:
    """What the oracle needs of one index row."""

    page_id: int
    fields: tuple[tuple[str, ...], ...]  # the stems of the title, the summary and the body
    tokens: frozenset[str]
    facet_keys: frozenset[str]


@dataclass
class Catalogue:
    products: dict[str, int]  # title -> page id
    lines: list[DevelopmentLinePage]
    groups: list[TargetGroup]
    regions: list[Region]
    themes: dict[str, tuple[int, str]]  # name -> (tag id, slug)


def _build_catalogue() -> Catalogue:
    from taggit.models import Tag

    from core.bootstrap import bootstrap_hub

    bootstrap_hub(demo=False)
    library = ProductLibraryPage.objects.get()
    line_index = DevelopmentLineIndexPage.objects.get()
    lines = [publish(DevelopmentLinePageFactory(parent=line_index, title=t)) for t in LINES]
    groups = [TargetGroupFactory(name=name) for name in GROUPS]
    regions = list(Region.objects.order_by("pk")[:REGION_COUNT])
    products = {}
    for title, summary, body, type_, status, line_ix, group_ix, region_ix, themes in PRODUCTS:
        page = complete_product(
            parent=library,
            development_lines=[lines[i] for i in line_ix],
            target_groups=[groups[i] for i in group_ix],
            title=title,
            summary=summary,
            product_type=type_,
            lifecycle_status=status,
            aanleiding="<p>Aanleiding volgt.</p>",
            doel="<p>Doel volgt.</p>",
            doelgroep="<p>Zie de doelgroepen.</p>",
            onderbouwing=f"<p>{body}</p>",
            aanpak=[
                ("step", {"title": "Stap", "description": "<p>Eerste.</p>", "duration": ""}),
                ("step", {"title": "Stap", "description": "<p>Tweede.</p>", "duration": ""}),
            ],
        )
        page.regions.add(*[regions[i] for i in region_ix])
        for theme in themes:
            page.themes.add(theme)
        page.save()
        products[title] = publish(page).pk
    themes = {tag.name: (tag.pk, tag.slug) for tag in Tag.objects.all()}
    return Catalogue(products, lines, groups, regions, themes)


@pytest.fixture(scope="module")
def catalogue(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock(), transaction.atomic():
        yield _build_catalogue()
        transaction.set_rollback(True)


# -- the oracle ---------------------------------------------------------------------------------


def restricted_paths() -> list[str]:
    return list(PageViewRestriction.objects.values_list("page__path", flat=True))


def load_docs(restricted: list[str]) -> list[Doc]:
    """The index rows a visitor may find: those not under a view restriction."""
    paths = dict(Page.objects.values_list("pk", "path"))
    docs = []
    for row in ProductSearchDocument.objects.all():
        if any(paths[row.page_id].startswith(path) for path in restricted):
            continue
        fields = tuple(
            tuple(text.split())
            for text in (row.stemmed_title, row.stemmed_summary, row.stemmed_body)
        )
        docs.append(
            Doc(
                page_id=row.page_id,
                fields=fields,
                tokens=frozenset(stem for field in fields for stem in field),
                facet_keys=frozenset(row.facet_keys),
            )
        )
    return docs


def holds(alternative, doc: Doc) -> bool:
    """Whether the document holds the stem, or the phrase's stems in a row within one field."""
    stems = alternative.stems
    if len(stems) == 1:
        return stems[0] in doc.tokens
    return any(
        field[i : i + len(stems)] == stems for field in doc.fields for i in range(len(field))
    )


def text_matches(doc: Doc, text_query: TextQuery, operator: str = "AND") -> bool:
    found = [any(holds(alt, doc) for alt in group) for group in text_query.groups]
    return all(found) if operator == "AND" else any(found)


def expected(
    docs: list[Doc], text_query: TextQuery, selected: dict[str, list[str]], operator="AND"
):
    """(matching page ids, disjunctive count per facet key) computed from the index rows."""
    selected = {group: set(keys) for group, keys in selected.items() if keys}
    matches: set[int] = set()
    counts: Counter[str] = Counter()
    for doc in docs:
        if text_query and not text_matches(doc, text_query, operator):
            continue
        missed = {group for group, keys in selected.items() if not doc.facet_keys & keys}
        if not missed:
            matches.add(doc.page_id)
        for key in doc.facet_keys:
            if not missed - {key.split(":", 1)[0]}:
                counts[key] += 1
    return matches, dict(counts)


def resolve(catalogue: Catalogue, selection: dict) -> tuple[dict[str, list[str]], dict]:
    """A selection as ProductQuery filters and as the engine's {prefix: keys}."""
    public: dict[str, list[str]] = {}
    keys: dict[str, list[str]] = {}
    for field, values in selection.items():
        prefix = FACETS[field][1]
        for value in values:
            if field == "development_lines":
                line = catalogue.lines[value]
                public_value, key = line.slug, f"line:{line.pk}"
            elif field == "target_groups":
                group = catalogue.groups[value]
                public_value, key = group.slug, f"group:{group.pk}"
            elif field == "regions":
                region = catalogue.regions[value]
                public_value, key = region.code, f"region:{region.pk}"
            elif field == "themes":
                pk, slug = catalogue.themes[value]
                public_value, key = slug, f"theme:{pk}"
            else:
                public_value, key = value, f"{prefix}:{value}"
            public.setdefault(FACETS[field][0], []).append(public_value)
            keys.setdefault(prefix, []).append(key)
    return public, keys


def expected_facets(counts: dict[str, int], selected_keys: set[str]) -> dict[str, dict]:
    """The facets as `search_products` should list them: {facet: {value: (count, selected)}}."""
    from taggit.models import Tag

    values: dict[str, dict[str, str]] = {  # facet -> public value -> key
        "product_type": {v: f"type:{v}" for v in ProductType.values},
        "lifecycle_status": {v: f"status:{v}" for v in LifecycleStatus.values},
        "development_line": {
            slug: f"line:{pk}"
            for pk, slug in DevelopmentLinePage.objects.live().values_list("pk", "slug")
        },
        "target_group": {
            slug: f"group:{pk}" for pk, slug in TargetGroup.objects.values_list("pk", "slug")
        },
        "region": {code: f"region:{pk}" for pk, code in Region.objects.values_list("pk", "code")},
        "theme": {slug: f"theme:{pk}" for pk, slug in Tag.objects.values_list("pk", "slug")},
    }
    facets = {}
    for facet, by_value in values.items():
        listed = {
            value: (counts.get(key, 0), key in selected_keys) for value, key in by_value.items()
        }
        if facet in ("region", "theme"):
            listed = {v: (c, s) for v, (c, s) in listed.items() if c or s}
        facets[facet] = listed
    return facets


def listed_facets(result) -> dict[str, dict]:
    return {
        facet: {v.value: (v.count, v.selected) for v in values}
        for facet, values in result.facets.items()
    }


def engine_answer(text_query, selected, restricted, operator="AND"):
    """Total, facet counts and every result (relevance order, pages of 3) from the engine."""
    search = engines.SqlSearch(
        engines.database_engine(),  # the database's own engine, also beside OpenSearch
        text_query=text_query,
        selected=selected,
        restricted_paths=restricted,
        operator=operator,
    )
    counts = search.facet_counts()
    ids, total = search.ranked_ids(sort="relevance", limit=3, offset=0)
    offset = len(ids)
    while offset < total + 3:  # one page past the end must be empty
        page, page_total = search.ranked_ids(sort="relevance", limit=3, offset=offset)
        assert page_total == total
        if not page:
            break
        ids += page
        offset += 3
    return total, counts, ids


def check_every_match_once(ids: list[int], matches: set[int]):
    assert len(ids) == len(set(ids)), f"a product appears twice: {ids}"
    assert set(ids) == matches


def check_engine(query: str, selected: dict[str, list[str]], operator="AND"):
    restricted = restricted_paths()
    docs = load_docs(restricted)
    text_query = parse_query(query, synonyms=load_synonyms()) if query else TextQuery()
    matches, counts = expected(docs, text_query, selected, operator)
    total, actual_counts, ids = engine_answer(text_query, selected, restricted, operator)
    assert (total, actual_counts) == (len(matches), counts)
    check_every_match_once(ids, matches)
    return matches


# -- the tests ----------------------------------------------------------------------------------


def test_catalogue_is_indexed_and_varied(catalogue):
    docs = load_docs(restricted_paths())
    assert {doc.page_id for doc in docs} == set(catalogue.products.values())
    keys = Counter(key.split(":", 1)[0] for doc in docs for key in doc.facet_keys)
    assert set(keys) == {"type", "status", "line", "group", "region", "theme"}
    statuses = {key for doc in docs for key in doc.facet_keys if key.startswith("status:")}
    assert len(statuses) == 5
    # The synonym phrase matches only where its words stand together.
    matches, _ = expected(docs, parse_query("beschut werk", synonyms=load_synonyms()), {})
    assert catalogue.products["Praktijkdag beschut werk"] in matches
    assert catalogue.products["Beschut en veilig werk"] not in matches


@pytest.mark.parametrize("selection", SELECTIONS.values(), ids=SELECTIONS.keys())
@pytest.mark.parametrize("query", QUERIES)
def test_engine_counts_match_oracle(catalogue, query, selection):
    _, selected = resolve(catalogue, selection)
    check_engine(query, selected)


@pytest.mark.parametrize("selection", SELECTIONS.values(), ids=SELECTIONS.keys())
@pytest.mark.parametrize("query", ["fiets werkgever", "fiets zzqqxx", "beschut werk digitaal"])
def test_any_word_fallback_counts_match_oracle(catalogue, query, selection):
    _, selected = resolve(catalogue, selection)
    check_engine(query, selected, operator="OR")


def check_service(catalogue: Catalogue, query: str, selection: dict) -> set[int]:
    """search_products' total, products and facets against the oracle; the matching ids."""
    public, selected = resolve(catalogue, selection)
    docs = load_docs(restricted_paths())
    text_query = parse_query(query, synonyms=load_synonyms()) if query else TextQuery()
    result = search_products(ProductQuery(query=query, page_size=100, filters=public))
    assert result.ignored_filters == []
    matches, counts = expected(docs, text_query, selected)
    if result.match == "any":  # nothing had every word: the service fell back to any word
        assert not matches and len(text_query.groups) > 1
        matches, counts = expected(docs, text_query, selected, operator="OR")
    elif result.match == "similar":  # then to similar titles: not this oracle's business
        assert not matches
        return matches
    assert result.match in ("all", "any")
    assert result.total == len(matches)
    assert {p.pk for p in result.products} == matches
    selected_keys = {key for keys in selected.values() for key in keys}
    assert listed_facets(result) == expected_facets(counts, selected_keys)
    return matches


@pytest.mark.parametrize("selection", SELECTIONS.values(), ids=SELECTIONS.keys())
@pytest.mark.parametrize("query", QUERIES)
def test_search_products_total_and_facets_match_oracle(catalogue, query, selection):
    check_service(catalogue, query, selection)


PAGED_QUERIES = [q for q in QUERIES if q not in ("", "de het", "zzqqxx")]
PAGED_SELECTIONS = ["none", "two types", "type and status", "group and two regions"]


@pytest.mark.parametrize("selection", PAGED_SELECTIONS)
@pytest.mark.parametrize("query", PAGED_QUERIES)
def test_relevance_pages_hold_every_match_once(catalogue, query, selection):
    """Pages of 3 through search_products: together they hold every match, each once."""
    public, selected = resolve(catalogue, SELECTIONS[selection])
    docs = load_docs(restricted_paths())
    text_query = parse_query(query, synonyms=load_synonyms())
    first = search_products(ProductQuery(query=query, page_size=3, filters=public))
    if first.match == "similar":
        return
    operator = "OR" if first.match == "any" else "AND"
    matches, _ = expected(docs, text_query, selected, operator)
    assert first.total == len(matches)
    ids = [p.pk for p in first.products]
    for page in range(2, first.num_pages + 1):
        result = search_products(ProductQuery(query=query, page=page, page_size=3, filters=public))
        assert (result.total, result.page, result.match) == (first.total, page, first.match)
        ids += [p.pk for p in result.products]
    check_every_match_once(ids, matches)


@pytest.mark.parametrize("sort", ["title", "newest"])
@pytest.mark.parametrize("query", ["", "werk", "beschut werk", "fiets werkgever"])
def test_sorted_pages_hold_every_match_once_in_order(catalogue, query, sort):
    public, selected = resolve(catalogue, SELECTIONS["two types and a line"])
    public["product_type"] += ["werkvorm", "format"]
    selected["type"] += ["type:werkvorm", "type:format"]
    docs = load_docs(restricted_paths())
    text_query = parse_query(query, synonyms=load_synonyms()) if query else TextQuery()
    matches, _ = expected(docs, text_query, selected)
    assert matches
    ids: list[int] = []
    for page in range(1, len(matches) // 2 + 2):
        result = search_products(
            ProductQuery(query=query, sort=sort, page=page, page_size=2, filters=public)
        )
        assert result.total == len(matches)
        if result.page == page:
            ids += [p.pk for p in result.products]
    order = (
        ["title_sort", "page_id"]
        if sort == "title"
        else [F("published_at").desc(nulls_last=True), "-page_id"]
    )
    wanted = ProductSearchDocument.objects.filter(page_id__in=matches).order_by(*order)
    assert ids == list(wanted.values_list("page_id", flat=True))


@pytest.mark.parametrize("selection", ["none", "one type", "region and two themes"])
@pytest.mark.parametrize("query", ["", "werk", "beschut werk", "fiets"])
def test_view_restricted_products_are_not_counted(catalogue, query, selection):
    """A restriction added after publishing leaves the index row; search must still skip it."""
    for title in ["Leerwerktraject fiets", "Vervoer regelen", "Praktijkdag beschut werk"]:
        PageViewRestriction.objects.create(
            page_id=catalogue.products[title],
            restriction_type=PageViewRestriction.PASSWORD,
            password="geheim",
        )
    _, selected = resolve(catalogue, SELECTIONS[selection])
    matches = check_engine(query, selected)
    assert catalogue.products["Vervoer regelen"] not in matches
    assert check_service(catalogue, query, SELECTIONS[selection]) == matches


def test_counts_follow_edits_unpublishing_deletion_and_a_new_synonym(catalogue):
    """After edits, unpublishing, deletion and a new synonym, the counts still agree."""
    from products.models import ProductPage
    from search.models import SearchSynonym

    changed = ProductPage.objects.get(pk=catalogue.products["Scan voor ontwikkelbedrijven"])
    changed.product_type = "ontwikkelmodule"
    changed.lifecycle_status = "pilot"
    changed.regions.set([catalogue.regions[3]])
    changed.themes.add("nieuw thema")
    changed.development_lines.add(catalogue.lines[2])
    publish(changed)
    renamed = ProductPage.objects.get(pk=catalogue.products["Loopbaangesprek"])
    renamed.title = "Fiets naar de loopbaan"
    renamed.themes.set(["digitaal"])
    publish(renamed)
    ProductPage.objects.get(pk=catalogue.products["Fietsen naar het werk"]).unpublish()
    ProductPage.objects.get(pk=catalogue.products["Gesprekskaarten"]).delete()
    from taggit.models import Tag

    catalogue = Catalogue(
        **{
            **catalogue.__dict__,
            "themes": {tag.name: (tag.pk, tag.slug) for tag in Tag.objects.all()},
        }
    )
    queries = ["", "fiets", "scan", "werk", "gesprek", "beschut werk", "fiets werkgever"]
    selections = dict(SELECTIONS, **{"new theme": {"themes": ["nieuw thema", "digitaal"]}})
    docs = load_docs([])
    assert len(docs) == len(PRODUCTS) - 2
    for query in queries:
        for selection in selections.values():
            check_engine(query, resolve(catalogue, selection)[1])
            check_service(catalogue, query, selection)
    # A new multi-word synonym applies at once, without re-indexing.
    SearchSynonym.objects.create(terms="veilig werk, veilige werkvloer")
    found = search_products(ProductQuery(query="veilige werkvloer")).products
    assert [p.pk for p in found] == [catalogue.products["Beschut en veilig werk"]]
    for query in ["veilig werk", "veilige werkvloer", "beschut werk", ""]:
        for selection in selections.values():
            check_engine(query, resolve(catalogue, selection)[1])
            check_service(catalogue, query, selection)


WORDS = [
    "fiets",
    "werk",
    "scan",
    "gesprek",
    "werkgever",
    "taal",
    "digitaal",
    "nazorg",
    "jobcoach",
    "werkbegeleider",
    "beschut",
    "beschut werk",
    "beschutte werkplek",
    "werkplek",
    "sob",
    "sociaal ontwikkelbedrijf",
    "vervoer",
    "budget",
    "regie",
    "vakmanschap",
    "mobiliteit",
    "zzqqxx",
    "de",
]


@settings(
    max_examples=examples(150, quick=30),
    deadline=None,
    derandomize=True,
    database=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(
    words=st.lists(st.sampled_from(WORDS), max_size=3),
    operator=st.sampled_from(["AND", "AND", "OR"]),
    data=st.data(),
)
def test_random_searches_match_oracle(catalogue, words, operator, data):
    keys = sorted({key for doc in load_docs([]) for key in doc.facet_keys} | {"type:format"})
    chosen = data.draw(st.lists(st.sampled_from(keys), max_size=4, unique=True), label="keys")
    selected: dict[str, list[str]] = {}
    for key in chosen:
        selected.setdefault(key.split(":", 1)[0], []).append(key)
    query = " ".join(words)
    text_query = parse_query(query, synonyms=load_synonyms()) if query else TextQuery()
    if operator == "OR" and len(text_query.groups) < 2:
        operator = "AND"  # only a query of several groups has an any-word fallback
    check_engine(query, selected, operator)
