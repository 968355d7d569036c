"""The search contract: one catalogue and one oracle, run against whichever engine is configured.

Without SEARCH_URL the database's engine answers (SQLite FTS5, or PostgreSQL full text with
DATABASE_URL=postgres://...); with SEARCH_URL the OpenSearch node does. `.ci/run` runs this module
in each of its three passes.

Which products a text matches is the engine's analyzer's business, so the oracle asks the engine
for its terms (`analyze`): of each product's texts as indexed, and of the visitor's words as
searched. The database engines stem in Python and expand synonyms when the query is parsed
(`search.query.parse_query`); OpenSearch analyses the words itself, its synonym graph included.
Either way a query is a list of groups that must all match (any one for the any-word fallback),
each a list of alternative phrases: a phrase matches when its terms stand in a row in one field.
On that, everything is recomputed here in plain Python from the catalogue: totals with facet
selections, each facet value's disjunctive count (values OR within a facet, AND across; a
value's count ignores its own facet's selection), view restrictions, and pages (every match
exactly once, in the same order under every page size; sorted pages in title or publication
order). The forgiving "similar" search (typos) is the one exception: which products it matches
is read from the engine itself, without filters or restrictions, and the rest built on that.

The catalogue (`PRODUCTS`; the `catalogue` fixture of search/tests/conftest.py) is built once for
the module inside a transaction that is rolled back afterwards; each test runs in its own
savepoint (pytest-django's `db`), so tests that add data undo it.
"""

from collections import Counter
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from wagtail.models import PageViewRestriction

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
    ProductPage,
    Region,
    TargetGroup,
)
from search import engines
from search.analysis import fold
from search.opensearch.client import configured
from search.query import TextQuery, load_synonyms, parse_query
from search.services import ProductQuery, search_products

# One worker builds the catalogue and runs every case (under xdist each worker would build it).
pytestmark = [pytest.mark.django_db, pytest.mark.xdist_group("search_contract")]

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
    ("Regie op re-integratie", "Regie voor gemeenten bij elk traject.", "Afspraken met het SOB.", "handreiking", "in_ontwikkeling", [0], [0], [0], []),
    ("Praktijkdag beschut werk", "Een dag op de werkvloer.", "Fiets mee.", "werkvorm", "pilot", [1], [0, 1], [2, 3], ["beschut werk"]),
    ("Scan digitale vaardigheid", "Scan voor taal en digitaal.", "Werkgever betrokken.", "scan", "pilot", [0, 1], [2], [], ["digitaal"]),
    ("Wsw-overgang", "Van Wet sociale werkvoorziening naar Participatiewet.", "Gesprek met medewerkers.", "handreiking", "uitgefaseerd", [0], [0], [1], []),
    ("Mobiliteit in de regio", "Mobiliteit en vervoer.", "Fietsen en openbaar vervoer.", "format", "beschikbaar", [2], [0], [0, 1], ["mobiliteit"]),
    ("Werkplekaanpassing", "Aanpassing van de werkplek.", "Budget nodig.", "instrument", "pilot", [1], [2], [3], []),
    ("Vakmanschap jobcoaches", "Training in vakmanschap.", "Nazorg en gesprek.", "training", "in_ontwikkeling", [1], [1], [], ["nazorg"]),
    ("Gesprekskaarten", "Kaarten voor het gesprek.", "Taal eenvoudig.", "werkvorm", "idee", [0], [0], [2], ["taal"]),
    ("Samenwerking met werkgevers", "Samen met werkgevers beschutte werkplekken creëren.", "Regie.", "format", "pilot", [0, 2], [2], [0], ["beschut werk"]),
    ("Leerwerktraject fiets", "Een traject bij de fietsenmaker.", "Werk en leren.", "scan", "beschikbaar", [2], [1], [1], []),
    # A compound and a diacritic: each engine's analyzer decides what they meet.
    ("Praktijkdag buurtwerkplaats", "Een dag in de buurtwerkplaats.", "Fiets mee.", "werkvorm", "pilot", [1], [0, 1], [2, 3], ["beschut werk"]),
    ("Coördinatie in de wijk", "Samenwerking in de wijk.", "Werkgever betrokken.", "scan", "pilot", [0, 1], [2], [], ["digitaal"]),
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
    "jobcoach",
    "jobcoach nazorg",  # synonyms: jobcoach, jobcoaching, werkbegeleider
    "beschut werk",  # seeded multi-word synonym: beschut werk, beschutte werkplek(ken)
    "beschutte werkplekken",
    "beschutte werkplek fiets",
    "SOB",
    "SW-bedrijf",  # synonyms: SOB, sociaal ontwikkelbedrijf, SW-bedrijf
    "loonkostensubsidie",  # synonyms: LKS, loonkostensubsidie
    "werkplaatsen",
    "coordinatie",
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

# Hypothesis: the same budgets as the two oracles this contract replaces (the engine's round trips
# make an example on OpenSearch costlier).
EXAMPLES = examples(40, quick=15) if configured() else examples(150, quick=30)


@dataclass
class Catalogue:
    products: dict[str, int]  # title -> page id
    lines: list[DevelopmentLinePage]
    groups: list[TargetGroup]
    regions: list[Region]
    themes: dict[str, tuple[int, str]]  # name -> (tag id, slug)


def _themes() -> dict[str, tuple[int, str]]:
    from taggit.models import Tag

    return {tag.name: (tag.pk, tag.slug) for tag in Tag.objects.all()}


def build_catalogue() -> Catalogue:
    """The catalogue's products, lines and groups, live (the `catalogue` fixture of conftest.py)."""
    from core.bootstrap import bootstrap_hub

    bootstrap_hub(demo=False)
    library = ProductLibraryPage.objects.get()
    line_index = DevelopmentLineIndexPage.objects.get()
    lines = [publish(DevelopmentLinePageFactory(parent=line_index, title=t)) for t in LINES]
    groups = [
        TargetGroup.objects.filter(name=name).first() or TargetGroupFactory(name=name)
        for name in GROUPS
    ]
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
    return Catalogue(products, lines, groups, regions, _themes())


# -- the engine's terms -------------------------------------------------------------------------

Phrase = tuple[tuple[int, str], ...]  # (position relative to the first term, term)
Groups = list[list[Phrase]]  # every group must match (any one, for "any"); any of its phrases


def engine():
    return engines.get_engine()


def analyzes_text() -> bool:
    """Whether the engine analyses the visitor's words itself (OpenSearch), not parse_query."""
    return bool(getattr(engine(), "analyzes_text", False))


def analyzer_version() -> tuple[str, ...]:
    """What the engine's analysis depends on: for OpenSearch the index behind the alias (a new
    synonym rebuilds it with a new analyzer)."""
    if not analyzes_text():
        return ()
    from search.opensearch.client import alias_name, get_client

    return tuple(get_client().alias_targets(alias_name()))


@lru_cache(maxsize=4096)
def _terms(version: tuple[str, ...], text: str, query: bool) -> tuple[tuple[str, int, int], ...]:
    return tuple(engine().analyze(text, query=query))


def terms(
    text: str, *, query: bool = False, version: tuple[str, ...] | None = None
) -> tuple[tuple[str, int, int], ...]:
    """The engine's (term, position, span) of a text, as indexed or as searched."""
    return _terms(analyzer_version() if version is None else version, text, query)


def graph_groups(tokens: tuple[tuple[str, int, int], ...]) -> Groups:
    """A searched token graph as groups of alternative phrases, as a `match` query reads it:
    the graph is cut where every path passes (its articulation points); between two cuts, each
    path is one alternative phrase (stacked terms of one position are one-term alternatives)."""
    if not tokens:
        return []
    edges: dict[int, list[tuple[str, int]]] = {}
    for term, position, span in tokens:
        edges.setdefault(position, []).append((term, position + span))
    starts = sorted(edges)
    end = max(position + span for _, position, span in tokens)

    def paths(node: int) -> list[list[tuple[int, str]]]:
        if node >= end:
            return [[]]
        if node not in edges:  # a hole left by a stop word: on to the next term
            return paths(min(s for s in starts if s > node))
        return [[(node, term), *rest] for term, nxt in edges[node] for rest in paths(nxt)]

    every = paths(starts[0])
    # The nodes each path passes through (a path's positions, and where it ends).
    passed = [{position for position, _ in path} | {end} for path in every]
    cuts = sorted(set.intersection(*passed))
    groups: Groups = []
    for cut, next_cut in zip(cuts, cuts[1:], strict=False):
        alternatives: list[Phrase] = []
        for path in every:
            part = [(position, term) for position, term in path if cut <= position < next_cut]
            phrase = tuple((index, term) for index, (_, term) in enumerate(part))
            if phrase and phrase not in alternatives:
                alternatives.append(phrase)
        if alternatives:
            groups.append(alternatives)
    return groups


def query_alternatives(query: str) -> list[Groups]:
    """The visitor's words as the engine searches them: one or more readings (OpenSearch also
    searches the words with their compounds split), of which a product must match one."""
    if not query or not parse_query(query, synonyms=load_synonyms()):
        return []
    if not analyzes_text():
        parsed = parse_query(query, synonyms=load_synonyms())
        return [[[tuple(enumerate(alt.stems)) for alt in group] for group in parsed.groups]]
    from search.opensearch.engine import compound_variant, word_list

    readings = [query]
    variant = compound_variant(query, word_list())
    if variant:
        readings.append(variant)
    return [graph_groups(terms(reading, query=True)) for reading in readings]


# -- the catalogue as the oracle sees it --------------------------------------------------------


@dataclass(frozen=True)
class Doc:
    """What the oracle needs of one findable product."""

    page_id: int
    title: str
    published_at: Any
    fields: tuple[dict[str, frozenset[int]], ...]  # per indexed field: term -> its positions
    facet_keys: frozenset[str]


def field_terms(text: str, version: tuple[str, ...]) -> dict[str, frozenset[int]]:
    found: dict[str, set[int]] = {}
    for term, position, _ in terms(text, version=version):
        found.setdefault(term, set()).add(position)
    return {term: frozenset(positions) for term, positions in found.items()}


def facet_keys(page_ids: list[int]) -> dict[int, set[str]]:
    """Each product's facet keys, read from its page and relations (not from any index)."""
    from products.models import ProductPageTag

    keys = {
        pk: {f"type:{product_type}", f"status:{status}"}
        for pk, product_type, status in ProductPage.objects.filter(pk__in=page_ids).values_list(
            "pk", "product_type", "lifecycle_status"
        )
    }
    through = [
        (ProductPage.development_lines.through, "developmentlinepage_id", "line"),
        (ProductPage.target_groups.through, "targetgroup_id", "group"),
        (ProductPage.regions.through, "region_id", "region"),
    ]
    for model, column, prefix in through:
        for page_id, pk in model.objects.values_list("productpage_id", column):
            if page_id in keys:
                keys[page_id].add(f"{prefix}:{pk}")
    for page_id, pk in ProductPageTag.objects.values_list("content_object_id", "tag_id"):
        if page_id in keys:
            keys[page_id].add(f"theme:{pk}")
    return keys


def load_docs() -> list[Doc]:
    """The products a visitor may find (live, under no view restriction), with the texts every
    index reads (`search.opensearch.documents`), analysed by the engine."""
    from search.opensearch.documents import documents_for

    public = list(ProductPage.objects.live().public().values_list("pk", flat=True))
    keys = facet_keys(public)
    pages = {page.pk: page for page in ProductPage.objects.filter(pk__in=public)}
    version = analyzer_version()
    docs = []
    for document in documents_for(public):
        if analyzes_text():  # OpenSearch: themes are a field of their own
            texts = [document["title"], document["summary"], document["themes_text"]]
        else:  # the database index: themes follow the summary
            texts = [document["title"], f"{document['summary']} {document['themes_text']}"]
        page = pages[document["page_id"]]
        docs.append(
            Doc(
                page_id=page.pk,
                title=page.title,
                published_at=page.first_published_at,
                fields=tuple(field_terms(text, version) for text in [*texts, document["body"]]),
                facet_keys=frozenset(keys[page.pk]),
            )
        )
    return docs


def holds(phrase: Phrase, doc: Doc) -> bool:
    """Whether one field of the document holds the phrase's terms in a row."""
    (_, first), rest = phrase[0], phrase[1:]
    for field in doc.fields:
        for start in field.get(first, ()):
            if all(start + offset in field.get(term, ()) for offset, term in rest):
                return True
    return False


def text_matches(doc: Doc, readings: list[Groups], operator: str) -> bool:
    for groups in readings:
        found = [any(holds(phrase, doc) for phrase in group) for group in groups]
        if found and (all(found) if operator == "AND" else any(found)):
            return True
    return False


def expected(
    docs: list[Doc],
    query: str,
    selected: dict[str, list[str]],
    operator: str = "AND",
    *,
    text_ids: set[int] | None = None,
) -> tuple[set[int], dict[str, int]]:
    """(matching page ids, disjunctive count per facet key), from the docs and the engine's terms;
    `text_ids`, when given, are the text's matches as the engine reported them."""
    readings = query_alternatives(query)
    chosen = {group: set(keys) for group, keys in selected.items() if keys}
    matches: set[int] = set()
    counts: Counter[str] = Counter()
    for doc in docs:
        if text_ids is not None:
            if doc.page_id not in text_ids:
                continue
        elif readings and not text_matches(doc, readings, operator):
            continue
        missed = {group for group, keys in chosen.items() if not doc.facet_keys & keys}
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


# -- the engine's answers -----------------------------------------------------------------------


def restricted_paths() -> list[str]:
    return list(PageViewRestriction.objects.values_list("page__path", flat=True))


def prepare(query: str, selected: dict, restricted: list[str], mode: str = "all"):
    """The configured engine's search in one mode ("all", "any" or "similar"), or None when the
    engine has no such search for these words (the database forgives only words it can correct)."""
    text_query = parse_query(query, synonyms=load_synonyms()) if query else TextQuery()
    current = engine()
    if analyzes_text():
        from search.opensearch.engine import OpenSearchSearch

        return OpenSearchSearch(
            text=query,
            text_query=text_query,
            selected=selected,
            restricted_paths=restricted,
            mode=mode,
        )
    search = engines.SqlSearch(
        current,
        text_query=text_query,
        selected=selected,
        restricted_paths=restricted,
        operator="OR" if mode == "any" else "AND",
        match=mode,
    )
    if mode == "similar":
        return next((s for s in search.fallbacks() if s.match == "similar"), None)
    return search


def every_id(search, *, page_size: int, sort: str = "relevance") -> tuple[list[int], int]:
    """Every result, page by page; one page past the end must be empty."""
    ids, total = search.ranked_ids(sort=sort, limit=page_size, offset=0)
    offset = page_size
    while offset < total + page_size:
        page, page_total = search.ranked_ids(sort=sort, limit=page_size, offset=offset)
        assert page_total == total
        assert len(page) == max(0, min(page_size, total - offset)), "a page too short or long"
        ids += page
        offset += page_size
    return ids, total


def check_engine(
    query: str,
    selected: dict[str, list[str]],
    mode: str = "all",
    *,
    docs: list[Doc] | None = None,
    page_sizes: tuple[int, ...] = (3,),
) -> set[int]:
    """The engine's total, facet counts and pages against the oracle; the matching ids."""
    restricted = restricted_paths()
    docs = load_docs() if docs is None else docs
    search = prepare(query, selected, restricted, mode)
    if search is None:
        assert mode == "similar" and not analyzes_text()
        return set()
    text_ids = None
    if mode == "similar":  # what a forgiving search matches is the engine's own business
        text_ids = set(every_id(prepare(query, {}, [], mode), page_size=50)[0])
    operator = "OR" if mode == "any" else "AND"
    matches, counts = expected(docs, query, selected, operator, text_ids=text_ids)
    assert search.facet_counts() == counts
    first = None
    for page_size in page_sizes:
        ids, total = every_id(prepare(query, selected, restricted, mode), page_size=page_size)
        assert total == len(matches)
        assert len(ids) == len(set(ids)), f"a product appears twice: {ids}"
        assert set(ids) == matches
        assert first is None or ids == first, "the order changed with the page size"
        first = ids
    return matches


def check_service(catalogue: Catalogue, query: str, selection: dict, docs=None) -> set[int]:
    """search_products' total, products and facets against the oracle; the matching ids."""
    public, selected = resolve(catalogue, selection)
    docs = load_docs() if docs is None else docs
    result = search_products(ProductQuery(query=query, page_size=100, filters=public))
    assert result.ignored_filters == []
    matches, counts = expected(docs, query, selected)
    if result.match == "any":  # nothing had every word: the service fell back to any word
        assert not matches and len(parse_query(query, synonyms=load_synonyms()).groups) > 1
        matches, counts = expected(docs, query, selected, operator="OR")
    elif result.match == "similar":  # typos forgiven: checked by the engine tests
        assert not matches
        return matches
    assert result.match in ("all", "any")
    assert result.total == len(matches)
    assert {p.pk for p in result.products} == matches
    selected_keys = {key for keys in selected.values() for key in keys}
    assert listed_facets(result) == expected_facets(counts, selected_keys)
    return matches


# -- the tests ----------------------------------------------------------------------------------


def test_the_contract_runs_on_the_engine_the_settings_select():
    """Each pass of .ci/run names its engine by its settings alone: this run tests that one."""
    import os

    from django.db import connection

    from search.opensearch.engine import OpenSearchEngine

    if os.environ.get("SEARCH_URL"):
        assert isinstance(engine(), OpenSearchEngine)
    elif connection.vendor == "postgresql":
        assert isinstance(engine(), engines.PostgresEngine)
    else:
        assert isinstance(engine(), engines.SQLiteEngine)


def test_catalogue_is_indexed_and_varied(catalogue):
    docs = load_docs()
    assert {doc.page_id for doc in docs} == set(catalogue.products.values())
    search = prepare("", {}, [])
    assert set(every_id(search, page_size=100)[0]) == set(catalogue.products.values())
    keys = Counter(key.split(":", 1)[0] for doc in docs for key in doc.facet_keys)
    assert set(keys) == {"type", "status", "line", "group", "region", "theme"}
    statuses = {key for doc in docs for key in doc.facet_keys if key.startswith("status:")}
    assert len(statuses) == 5
    # The synonym phrase matches only where its words stand together, on every engine.
    matches, _ = expected(docs, "beschut werk", {})
    assert catalogue.products["Praktijkdag beschut werk"] in matches
    assert catalogue.products["Beschut en veilig werk"] not in matches
    # Singular and plural meet.
    assert expected(docs, "fietsen", {}) == expected(docs, "fiets", {})


PAGED_SELECTIONS = ["none", "two types", "type and status", "group and two regions"]


def check_service_pages(catalogue: Catalogue, query: str, selection: dict, docs: list[Doc]):
    """Pages of 3 through search_products: together they hold every match, each once."""
    public, selected = resolve(catalogue, selection)
    first = search_products(ProductQuery(query=query, page_size=3, filters=public))
    if first.match == "similar":
        return
    operator = "OR" if first.match == "any" else "AND"
    matches, _ = expected(docs, query, selected, operator)
    assert first.total == len(matches)
    ids = [p.pk for p in first.products]
    for page in range(2, first.num_pages + 1):
        result = search_products(ProductQuery(query=query, page=page, page_size=3, filters=public))
        assert (result.total, result.page, result.match) == (first.total, page, first.match)
        ids += [p.pk for p in result.products]
    assert len(ids) == len(set(ids)), f"a product appears twice: {ids}"
    assert set(ids) == matches


@pytest.mark.parametrize("query", QUERIES)
def test_totals_counts_and_pages_match_the_oracle(catalogue, query):
    """Under every selection: the engine's total, facet counts and pages (of 3, and all in one),
    and search_products' total, products and listed facets; for words, its pages of 3."""
    docs = load_docs()
    for name, selection in SELECTIONS.items():
        check_engine(query, resolve(catalogue, selection)[1], docs=docs, page_sizes=(3, 100))
        check_service(catalogue, query, selection, docs)
        if name in PAGED_SELECTIONS and query not in ("", "de het", "zzqqxx"):
            check_service_pages(catalogue, query, selection, docs)


FORGIVING_SELECTIONS = ["none", "two types", "group and two regions"]


@pytest.mark.parametrize(
    "query", ["fiets werkgever", "fiets zzqqxx", "beschut werk digitaal", "jobcoatch nazorg"]
)
@pytest.mark.parametrize("mode", ["any", "similar"])
def test_fallback_searches_match_the_oracle(catalogue, mode, query):
    """The any-word fallback and the forgiving search, under every selection."""
    docs = load_docs()
    selections = SELECTIONS if mode == "any" else FORGIVING_SELECTIONS
    for selection in selections:
        check_engine(query, resolve(catalogue, SELECTIONS[selection])[1], mode, docs=docs)


def test_the_forgiving_search_finds_a_misspelled_word(catalogue):
    result = search_products(ProductQuery(query="jobcoatch"))
    assert result.match == "similar"
    assert "Jobcoach aan het werk" in {card.title for card in result.products}


@pytest.mark.parametrize("sort", ["title", "newest"])
@pytest.mark.parametrize("query", ["", "werk", "beschut werk", "fiets werkgever"])
def test_sorted_pages_hold_every_match_once_in_order(catalogue, query, sort):
    public, selected = resolve(catalogue, SELECTIONS["two types and a line"])
    public["product_type"] += ["werkvorm", "format"]
    selected["type"] += ["type:werkvorm", "type:format"]
    docs = load_docs()
    matches, _ = expected(docs, query, selected)
    assert matches
    ids: list[int] = []
    for page in range(1, len(matches) // 2 + 2):
        result = search_products(
            ProductQuery(query=query, sort=sort, page=page, page_size=2, filters=public)
        )
        assert result.total == len(matches)
        if result.page == page:
            ids += [p.pk for p in result.products]
    found = [doc for doc in docs if doc.page_id in matches]
    if sort == "title":
        found.sort(key=lambda doc: (fold(doc.title), doc.page_id))
    else:
        found.sort(key=lambda doc: (doc.published_at, doc.page_id), reverse=True)
    assert ids == [doc.page_id for doc in found]
    # The engine itself, every result in one walk.
    walked, total = every_id(prepare(query, selected, restricted_paths()), page_size=4, sort=sort)
    assert (walked, total) == (ids, len(ids))


@pytest.mark.parametrize("selection", ["none", "one type", "region and two themes"])
def test_view_restricted_products_are_neither_found_nor_counted(catalogue, selection):
    """A restriction added after publishing: search must skip the product and its subtree."""
    hidden = [catalogue.products[t] for t in ["Leerwerktraject fiets", "Vervoer regelen"]]
    restrictions = [
        PageViewRestriction.objects.create(
            page_id=pk, restriction_type=PageViewRestriction.PASSWORD, password="geheim"
        )
        for pk in hidden
    ]
    docs = load_docs()
    assert not {doc.page_id for doc in docs} & set(hidden)
    for query in ["", "werk", "beschut werk", "fiets", "vervoer"]:
        matches = check_engine(query, resolve(catalogue, SELECTIONS[selection])[1], docs=docs)
        assert not matches & set(hidden)
        assert check_service(catalogue, query, SELECTIONS[selection], docs) == matches
    for restriction in restrictions:
        restriction.delete()
    assert catalogue.products["Vervoer regelen"] in check_engine("vervoer", {})


def test_counts_follow_edits_unpublishing_deletion_and_a_new_synonym(catalogue):
    """After edits, unpublishing, deletion and a new synonym, the counts still agree."""
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
    catalogue = Catalogue(**{**catalogue.__dict__, "themes": _themes()})
    queries = ["", "fiets", "scan", "werk", "gesprek", "beschut werk", "fiets werkgever"]
    selections = dict(SELECTIONS, **{"new theme": {"themes": ["nieuw thema", "digitaal"]}})
    docs = load_docs()
    assert len(docs) == len(PRODUCTS) - 2
    assert catalogue.products["Loopbaangesprek"] in expected(docs, "fiets", {})[0]
    for query in queries:
        for name, selection in selections.items():
            if name in ("none", "new theme"):
                check_engine(query, resolve(catalogue, selection)[1], docs=docs)
            check_service(catalogue, query, selection, docs)
    # A new multi-word synonym applies at once (the database's engines expand it when the query
    # is parsed; OpenSearch rebuilds its index behind the alias).
    SearchSynonym.objects.create(terms="veilig werk, veilige werkvloer")
    found = search_products(ProductQuery(query="veilige werkvloer")).products
    assert [p.pk for p in found] == [catalogue.products["Beschut en veilig werk"]]
    docs = load_docs()
    for query in ["veilig werk", "veilige werkvloer", "beschut werk", ""]:
        for name, selection in selections.items():
            if name in ("none", "new theme"):
                check_engine(query, resolve(catalogue, selection)[1], docs=docs)
            check_service(catalogue, query, selection, docs)


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
    max_examples=EXAMPLES,
    deadline=None,
    derandomize=True,
    database=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(
    words=st.lists(st.sampled_from(WORDS), max_size=3),
    mode=st.sampled_from(["all", "all", "any", "similar"]),
    data=st.data(),
)
def test_random_searches_match_the_oracle(catalogue, words, mode, data):
    docs = load_docs()
    keys = sorted({key for doc in docs for key in doc.facet_keys} | {"type:format"})
    chosen = data.draw(st.lists(st.sampled_from(keys), max_size=4, unique=True), label="keys")
    selected: dict[str, list[str]] = {}
    for key in chosen:
        selected.setdefault(key.split(":", 1)[0], []).append(key)
    query = " ".join(words)
    groups = parse_query(query, synonyms=load_synonyms()).groups if query else []
    if not groups or (mode == "any" and len(groups) < 2):
        mode = "all"  # only words have a forgiving search, and only several an any-word one
    check_engine(query, selected, mode, docs=docs)
