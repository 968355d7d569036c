"""The product index's settings and mapping, versioned in code.

Bump MAPPING_VERSION whenever `index_body` changes in a way existing indexes do not have: a
rebuild (`manage.py update_index --products-only`) then writes a new index and swaps the alias;
until then searches keep using the old one and /healthz reports that a rebuild is due.

Analysis, the same at index and search time except where said:
- hyphens inside a word are dropped before tokenising, so "re-integratie", "reintegratie" and
  "SW-bedrijf"/"swbedrijf" meet;
- lower case, ASCII folding ("coördinatie" = "coordinatie"), Dutch stop words, Snowball's Dutch
  stemmer followed by the same normalisation of the stem's end as `search.analysis.stem`
  (v/f, z/s, a trailing s or e), so "fiets" and "fietsen" meet;
- index time: `dictionary_decompounder` with the hub's vocabulary adds the parts of a compound
  ("buurtwerkplaatsen" also as "werkplaats"); at search time the engine splits a compound query
  word with the same word list (see `engine.compound_variant`);
- search time only: the admin's synonym list as a `synonym_graph` (multi-word synonyms included).
  A changed list rebuilds the index behind the alias, so there is no moment without results.
"""

import hashlib
import json
from functools import lru_cache
from typing import Any

from search.analysis import fold, words
from search.facets import FACETS

MAPPING_VERSION = 4

# Parts a compound in the hub's texts is commonly built of, besides the vocabulary read from the
# database (development lines, target groups, themes, synonyms). At least four letters: shorter
# parts ("re", "sw") would split far too many words.
DOMAIN_WORDS = """
aanpak advies arbeid arbeidsmarkt baan banen bedrijf begeleiding beleid beschut buurt coach
coaching competentie dienst dienstverlening digitaal gemeente gesprek gever integratie
reintegratie jongeren kaart kosten leer leren loon loopbaan matching medewerker mobiliteit
nazorg netwerk ontwikkel ontwikkeling participatie plaats plan plek regie regio samenwerking
scan school sociaal subsidie taal traject training uitvoering vaardigheid vakmanschap
vervoer werk werkgever werkgevers werkplaats werkplek werkvloer werkvorm wijk zorg
""".split()
MIN_PART = 4
REFRESH_INTERVAL = "1s"  # a published product is findable within this (plus the task)

SYNONYM_FORBIDDEN = str.maketrans({",": " ", "=": " ", ">": " ", "#": " ", "\\": " "})


def synonym_rules(term_sets: list[list[str]]) -> list[str]:
    """Solr-format synonym lines ("a, b c, d") from the admin's term lists, cleaned."""
    rules = []
    for terms in term_sets:
        cleaned = list(
            dict.fromkeys(" ".join(t.translate(SYNONYM_FORBIDDEN).split()) for t in terms)
        )
        cleaned = [t for t in cleaned if t]
        if len(cleaned) > 1:
            rules.append(", ".join(cleaned))
    return rules


def compound_words(texts: list[str]) -> list[str]:
    """The decompounder's word list: domain words plus every vocabulary word of MIN_PART+ letters."""
    found = set(DOMAIN_WORDS)
    for text in texts:
        found.update(word for word in words(text.replace("-", "")) if len(word) >= MIN_PART)
    return sorted(word for word in found if not word.isdigit())


def _stem_end_filters() -> dict[str, Any]:
    """`search.analysis.stem`'s normalisation of a stem's end, as pattern_replace filters."""
    return {
        "hub_stem_v": {"type": "pattern_replace", "pattern": "v$", "replacement": "f"},
        "hub_stem_z": {"type": "pattern_replace", "pattern": "z$", "replacement": "s"},
        "hub_stem_s": {
            "type": "pattern_replace",
            "pattern": "^(.{2,}[^s])s$",
            "replacement": "$1",
        },
        "hub_stem_e": {"type": "pattern_replace", "pattern": "^(.{3,})e$", "replacement": "$1"},
        # Snowball stems "werkplaats" to "werkplat" but "werkplaatsen" to "werkplaats": a long
        # vowel before one final consonant is written single, as Snowball does elsewhere.
        "hub_stem_undouble": {
            "type": "pattern_replace",
            "pattern": "([aeou])\\1([^aeiou])$",
            "replacement": "$1$2",
        },
    }


STEM_CHAIN = [
    "hub_stop",
    "hub_stemmer",
    "hub_stem_v",
    "hub_stem_z",
    "hub_stem_s",
    "hub_stem_e",
    "hub_stem_undouble",
]


def index_body(*, synonyms: list[str], compounds: list[str]) -> dict[str, Any]:
    """The settings and mapping of a new product index (one shard: a library of up to some
    hundred thousand products fits one shard; replicas follow the cluster's default)."""
    text = {"type": "text", "analyzer": "hub_index", "search_analyzer": "hub_search"}
    # OpenSearch refuses a synonym filter without rules: an empty list leaves the filter out.
    synonym_filter = ["hub_synonyms"] if synonyms else []
    body: dict[str, Any] = {
        "settings": {
            "index": {
                "number_of_shards": 1,
                "refresh_interval": REFRESH_INTERVAL,
                "max_result_window": 10000,
            },
            "analysis": {
                "char_filter": {
                    "hub_join_hyphens": {
                        "type": "pattern_replace",
                        # A letter, a hyphen, a letter. The hyphen comes first in the pattern
                        # so that the matcher looks behind only at hyphens, not at every
                        # character (about a sixth of the node's indexing time otherwise).
                        "pattern": "-(?<=\\p{L}-)(?=\\p{L})",
                        "replacement": "",
                    }
                },
                "filter": {
                    "hub_stop": {"type": "stop", "stopwords": "_dutch_"},
                    "hub_stemmer": {"type": "stemmer", "language": "dutch"},
                    **_stem_end_filters(),
                    "hub_compounds": {
                        "type": "dictionary_decompounder",
                        "word_list": compounds,
                        "min_subword_size": MIN_PART,
                        "only_longest_match": False,
                    },
                    "hub_synonyms": {
                        "type": "synonym_graph",
                        "synonyms": synonyms,
                        "lenient": True,
                    },
                    "hub_suggest_edges": {"type": "edge_ngram", "min_gram": 1, "max_gram": 20},
                },
                "analyzer": {
                    "hub_index": {
                        "type": "custom",
                        "char_filter": ["hub_join_hyphens"],
                        "tokenizer": "standard",
                        "filter": [
                            "lowercase",
                            "asciifolding",
                            "hub_compounds",
                            *STEM_CHAIN,
                            "remove_duplicates",
                        ],
                    },
                    "hub_search": {
                        "type": "custom",
                        "char_filter": ["hub_join_hyphens"],
                        "tokenizer": "standard",
                        "filter": ["lowercase", "asciifolding", *synonym_filter, *STEM_CHAIN],
                    },
                    "hub_suggest": {
                        "type": "custom",
                        "tokenizer": "standard",
                        "filter": ["lowercase", "asciifolding", "hub_suggest_edges"],
                    },
                    "hub_suggest_search": {
                        "type": "custom",
                        "tokenizer": "standard",
                        "filter": ["lowercase", "asciifolding"],
                    },
                },
                "normalizer": {
                    "hub_sort": {"type": "custom", "filter": ["lowercase", "asciifolding"]}
                },
            },
        },
        "mappings": {
            "dynamic": "strict",
            # The werkblad is searched, never shown from the index: not storing it keeps the
            # stored fields (compressed at indexing, rewritten at every merge) a fifth as big.
            "_source": {"excludes": ["body"]},
            "_meta": {
                "mapping_version": MAPPING_VERSION,
                "synonyms": _digest(synonyms),
                # The engine splits compound query words with the list the index was made with.
                "compounds": compounds,
            },
            "properties": {
                "page_id": {"type": "integer"},
                "path": {"type": "keyword"},
                "title": {
                    **text,
                    "copy_to": "all_text",
                    "fields": {
                        "sort": {"type": "keyword", "normalizer": "hub_sort"},
                        "suggest": {
                            "type": "text",
                            "analyzer": "hub_suggest",
                            "search_analyzer": "hub_suggest_search",
                        },
                    },
                },
                # Offsets in the postings: the highlighter reads them instead of analysing again.
                "summary": {**text, "copy_to": "all_text", "index_options": "offsets"},
                "themes_text": {**text, "copy_to": "all_text"},
                # Searched through `all_text` only: not indexing it on its own halves the
                # analysis work of a bulk load (it is most of every document).
                "body": {**text, "index": False, "copy_to": "all_text"},
                "all_text": text,
                "published_at": {"type": "date"},
                # Every search counts every facet: their global ordinals are built at refresh,
                # not by the first search after it.
                **{
                    facet.field: {"type": "keyword", "eager_global_ordinals": True}
                    for facet in FACETS
                },
            },
        },
    }
    if not synonyms:
        del body["settings"]["analysis"]["filter"]["hub_synonyms"]
    return body


def _digest(values: list[str]) -> str:
    return hashlib.sha1(json.dumps(values).encode()).hexdigest()[:12]


def synonyms_digest(synonyms: list[str]) -> str:
    """What an index's `_meta.synonyms` holds for this synonym list."""
    return _digest(synonyms)


MIN_HEAD = 6  # letters of the shortest head that may stand for a whole compound


def compound_head(word: str, word_list: tuple[str, ...]) -> str | None:
    """The longest known head of a compound whose modifier is unknown ("buurtwerkplaatsen":
    werkplaatsen), at least MIN_HEAD letters; an inflection ending (e, en, s) may follow it."""
    known = _splitter(word_list)
    word = fold(word).replace("-", "")
    if word in known:
        return None
    for cut in range(MIN_PART, len(word) - MIN_HEAD + 1):
        rest = word[cut:]
        for ending in ("", "e", "en", "s"):
            if ending and not rest.endswith(ending):
                continue
            base = rest[: len(rest) - len(ending)] if ending else rest
            if len(base) >= MIN_HEAD and base in known:
                return rest
    return None


@lru_cache(maxsize=4)
def _splitter(word_list: tuple[str, ...]) -> frozenset[str]:
    return frozenset(word_list)


def split_compound(word: str, word_list: tuple[str, ...]) -> list[str] | None:
    """A compound word as dictionary words ("reintegratietraject": reintegratie, traject), or None.

    The whole word must be covered, longest parts first; the last part may carry a plural or
    inflection ending (e, en, s). A word that is itself in the list is not split.
    """
    known = _splitter(word_list)
    word = fold(word).replace("-", "")
    if len(word) < 2 * MIN_PART or word in known:
        return None

    def cover(rest: str) -> list[str] | None:
        if rest in known or (rest in ("e", "en", "s")):
            return [rest]
        for end in range(len(rest) - 1, MIN_PART - 1, -1):
            head = rest[:end]
            if head in known:
                tail = cover(rest[end:])
                if tail is not None:
                    return [head, *tail]
        return None

    parts = cover(word)
    if not parts:
        return None
    if parts[-1] in ("e", "en", "s"):  # an ending, not a part of its own
        ending = parts.pop()
        parts[-1] += ending
    return parts if len(parts) > 1 else None
