"""The product index's settings and mapping, versioned in code.

Bump MAPPING_VERSION whenever `index_body` changes in a way existing indexes do not have: a
rebuild (`manage.py update_index --products-only`) then writes a new index and swaps the alias;
until then searches keep using the old one and /healthz reports that a rebuild is due.

Analysis, the same at index and search time except where said:
- hyphens inside a word are dropped before tokenising, so "re-integratie", "reintegratie" and
  "SW-bedrijf"/"swbedrijf" meet;
- lower case, ASCII folding ("coördinatie" = "coordinatie"), Dutch stop words, the
  Kraaij-Pohlmann Dutch stemmer (`dutch_kp`), which already meets "bedrijf"/"bedrijven",
  "huis"/"huizen" and "werkplaats"/"werkplaatsen", and then drops a final s after another
  consonant than s, because it stems "fietsen" to "fiets" but "fiets" to "fiet";
- index time: `dictionary_decompounder` with the hub's vocabulary adds the longest known part
  found at each letter of a compound ("buurtwerkplaatsen" also as "buurt" and "werkplaats");
  at search time the engine splits a compound query word with the same word list (see
  `engine.compound_variant`);
- search time only: the admin's synonym list as a `synonym_graph` (multi-word synonyms included).
  A changed list rebuilds the index behind the alias, so there is no moment without results.

The stemmer and the decompounder's settings were chosen by the node's CPU per indexed product
(docs/benchmarks.md, mapping v5): Snowball's stemmer followed by five `pattern_replace` filters
and a decompounder looking into every word cost about twice as much.
"""

import copy
import hashlib
import json
from functools import lru_cache
from typing import Any

from search.analysis import fold, words
from search.facets import FACETS

MAPPING_VERSION = 5

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
MIN_HEAD = 6  # letters of the shortest head that may stand for a whole compound
ENDINGS = ("e", "en", "s")  # inflection endings a compound's last part may carry
REFRESH_INTERVAL = "1s"  # a published product is findable within this (plus the task)

SYNONYM_FORBIDDEN = str.maketrans({",": " ", "=": " ", ">": " ", "#": " ", "\\": " "})

ANALYSIS: dict[str, Any] = {
    "char_filter": {
        "hub_join_hyphens": {
            "type": "pattern_replace",
            # A letter, a hyphen, a letter. The hyphen comes first in the pattern so that the
            # matcher looks behind only at hyphens, not at every character.
            "pattern": "-(?<=\\p{L}-)(?=\\p{L})",
            "replacement": "",
        }
    },
    "filter": {
        "hub_stop": {"type": "stop", "stopwords": "_dutch_"},
        "hub_stemmer": {"type": "stemmer", "language": "dutch_kp"},
        # A final s after at least three letters, the last of them not an s ("fiets": fiet;
        # "proces" and "processen" both "proce"). The s comes first in the pattern, so that
        # the matcher looks behind only at an s.
        "hub_stem_s": {
            "type": "pattern_replace",
            "pattern": "s$(?<=\\w\\w[^s]s)",
            "replacement": "",
        },
        "hub_compounds": {
            "type": "dictionary_decompounder",
            # "word_list" is added per index (the hub's vocabulary).
            # Two parts of four letters: shorter words are not looked into at all.
            "min_word_size": 2 * MIN_PART,
            "min_subword_size": MIN_PART,
            "only_longest_match": True,
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
                "hub_stop",
                "hub_stemmer",
                "hub_stem_s",
                "remove_duplicates",
            ],
        },
        "hub_search": {
            "type": "custom",
            "char_filter": ["hub_join_hyphens"],
            "tokenizer": "standard",
            # "hub_synonyms" is inserted after asciifolding when the hub has synonyms.
            "filter": ["lowercase", "asciifolding", "hub_stop", "hub_stemmer", "hub_stem_s"],
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
    "normalizer": {"hub_sort": {"type": "custom", "filter": ["lowercase", "asciifolding"]}},
}

TEXT = {"type": "text", "analyzer": "hub_index", "search_analyzer": "hub_search"}
PROPERTIES: dict[str, Any] = {
    "page_id": {"type": "integer"},
    "path": {"type": "keyword"},
    "title": {
        **TEXT,
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
    "summary": {**TEXT, "copy_to": "all_text", "index_options": "offsets"},
    "themes_text": {**TEXT, "copy_to": "all_text"},
    # Searched through `all_text` only: not indexing it on its own halves the analysis work of
    # a bulk load (it is most of every document).
    "body": {**TEXT, "index": False, "copy_to": "all_text"},
    "all_text": TEXT,
    "published_at": {"type": "date"},
    # Every search counts every facet: their global ordinals are built at refresh, not by the
    # first search after it.
    **{facet.field: {"type": "keyword", "eager_global_ordinals": True} for facet in FACETS},
}


def index_body(*, synonyms: list[str], compounds: list[str]) -> dict[str, Any]:
    """The settings and mapping of a new product index (one shard: a library of up to some
    hundred thousand products fits one shard; replicas follow the cluster's default)."""
    analysis = copy.deepcopy(ANALYSIS)  # a copy to fill in
    analysis["filter"]["hub_compounds"]["word_list"] = compounds
    # OpenSearch refuses a synonym filter without rules: an empty list leaves it out.
    if synonyms:
        analysis["filter"]["hub_synonyms"] = {
            "type": "synonym_graph",
            "synonyms": synonyms,
            "lenient": True,
        }
        analysis["analyzer"]["hub_search"]["filter"].insert(2, "hub_synonyms")
    return {
        "settings": {
            "index": {
                "number_of_shards": 1,
                "refresh_interval": REFRESH_INTERVAL,
                "max_result_window": 10000,
            },
            "analysis": analysis,
        },
        "mappings": {
            "dynamic": "strict",
            # The werkblad is searched, never shown from the index: not storing it keeps the
            # stored fields (compressed at indexing, rewritten at every merge) a fifth as big.
            "_source": {"excludes": ["body"]},
            "_meta": {
                "mapping_version": MAPPING_VERSION,
                "synonyms": synonyms_digest(synonyms),
                # The engine splits compound query words with the list the index was made with.
                "compounds": compounds,
            },
            "properties": copy.deepcopy(PROPERTIES),
        },
    }


def synonyms_digest(synonyms: list[str]) -> str:
    """What an index's `_meta.synonyms` holds for this synonym list."""
    return hashlib.sha1(json.dumps(synonyms).encode()).hexdigest()[:12]


def synonym_rules(term_sets: list[list[str]]) -> list[str]:
    """Solr-format synonym lines ("a, b c, d") from the admin's term lists, cleaned."""
    rules = []
    for terms in term_sets:
        cleaned = [" ".join(term.translate(SYNONYM_FORBIDDEN).split()) for term in terms]
        cleaned = list(dict.fromkeys(term for term in cleaned if term))
        if len(cleaned) > 1:
            rules.append(", ".join(cleaned))
    return rules


def compound_words(texts: list[str]) -> list[str]:
    """The decompounder's word list: domain words plus every vocabulary word of MIN_PART+ letters."""
    found = set(DOMAIN_WORDS)
    for text in texts:
        found.update(word for word in words(text.replace("-", "")) if len(word) >= MIN_PART)
    return sorted(word for word in found if not word.isdigit())


@lru_cache(maxsize=4)
def _known(word_list: tuple[str, ...]) -> frozenset[str]:
    return frozenset(word_list)


def compound_head(word: str, word_list: tuple[str, ...]) -> str | None:
    """The longest known head of a compound whose modifier is unknown ("buurtwerkplaatsen":
    werkplaatsen), at least MIN_HEAD letters; an inflection ending (ENDINGS) may follow it."""
    known = _known(word_list)
    word = fold(word).replace("-", "")
    if word in known:
        return None
    for cut in range(MIN_PART, len(word) - MIN_HEAD + 1):
        rest = word[cut:]
        bases = [rest] + [rest[: -len(end)] for end in ENDINGS if rest.endswith(end)]
        if any(len(base) >= MIN_HEAD and base in known for base in bases):
            return rest
    return None


def split_compound(word: str, word_list: tuple[str, ...]) -> list[str] | None:
    """A compound word as dictionary words ("reintegratietraject": reintegratie, traject), or None.

    The whole word must be covered, longest parts first; the last part may carry an inflection
    ending (ENDINGS). A word that is itself in the list is not split.
    """
    known = _known(word_list)
    word = fold(word).replace("-", "")
    if len(word) < 2 * MIN_PART or word in known:
        return None

    def cover(rest: str) -> list[str] | None:
        if rest in known or rest in ENDINGS:
            return [rest]
        for end in range(len(rest) - 1, MIN_PART - 1, -1):
            tail = cover(rest[end:]) if rest[:end] in known else None
            if tail is not None:
                return [rest[:end], *tail]
        return None

    parts = cover(word)
    if parts and parts[-1] in ENDINGS:  # an ending, not a part of its own
        ending = parts.pop()
        parts[-1] += ending
    return parts if parts and len(parts) > 1 else None
