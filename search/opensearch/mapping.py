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
  for `all_text` the indexer computes those parts (`Decompounder`, sent as `compound_parts`
  and copied into `all_text`), so the node's analyzer of the biggest text has no decompounder;
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
import re
from collections import Counter
from functools import lru_cache
from typing import Any

from search.analysis import fold, words
from search.facets import FACETS

MAPPING_VERSION = 6

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
MAX_SUBWORD = 15  # the decompounder's max_subword_size (its default), here and in `decompound`
MIN_HEAD = 6  # letters of the shortest head that may stand for a whole compound
ENDINGS = ("e", "en", "s")  # inflection endings a compound's last part may carry
REFRESH_INTERVAL = "1s"  # a published product is findable within this (plus the task)

SYNONYM_FORBIDDEN = str.maketrans({",": " ", "=": " ", ">": " ", "#": " ", "\\": " "})

# The index analyzer's filters; `hub_text` is the same chain without the decompounder.
INDEX_FILTERS = [
    "lowercase",
    "asciifolding",
    "hub_compounds",
    "hub_stop",
    "hub_stemmer",
    "hub_stem_s",
    "remove_duplicates",
]
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
            "max_subword_size": MAX_SUBWORD,
            "only_longest_match": True,
        },
        "hub_suggest_edges": {"type": "edge_ngram", "min_gram": 1, "max_gram": 20},
    },
    "analyzer": {
        "hub_index": {
            "type": "custom",
            "char_filter": ["hub_join_hyphens"],
            "tokenizer": "standard",
            "filter": INDEX_FILTERS,
        },
        # `all_text` (the werkblad and every other text): no decompounder on the node. The
        # indexer sends each document's compound parts (`compound_parts`) and they are copied
        # into `all_text` after the text, so the field holds the same terms as with
        # `hub_index`, at less than half the node's analysis work.
        "hub_text": {
            "type": "custom",
            "char_filter": ["hub_join_hyphens"],
            "tokenizer": "standard",
            "filter": [name for name in INDEX_FILTERS if name != "hub_compounds"],
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
    # The compound parts of the document's texts, computed by the indexer (`compound_parts`).
    "compound_parts": {**TEXT, "index": False, "copy_to": "all_text"},
    "all_text": {**TEXT, "analyzer": "hub_text"},
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
            "_source": {"excludes": ["body", "compound_parts"]},
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


# The standard tokenizer's words, near enough for finding compounds: letters and digits, joined
# by an underscore or by a full stop, apostrophe or colon between letters (Unicode word breaks).
TOKEN = re.compile(r"[^\W_]+(?:(?:_+|[.'’:·](?=[^\W\d_]))[^\W_]+)*_*")
HYPHEN_IN_WORD = re.compile(r"(?<=[^\W\d_])-(?=[^\W\d_])")
INFLECTED = ("", "e", "en", "s", "es", "n", "'s", "’s")
MEMO_SIZE = 200_000  # stretches remembered (a few tens of MB at most)
LONG_STRETCH = re.compile(rf"\S{{{2 * MIN_PART},}}")  # what could hold a compound


def decompound(token: str, known: frozenset[str]) -> list[str]:
    """The parts `dictionary_decompounder` (settings in ANALYSIS) adds for one folded token:
    at each letter the longest known word of MIN_PART to MAX_SUBWORD letters starting there;
    tokens shorter than 2 * MIN_PART are not looked into. The token itself is not a part."""
    size = len(token)
    if size < 2 * MIN_PART:
        return []
    parts = []
    for start in range(size - MIN_PART + 1):
        for length in range(min(MAX_SUBWORD, size - start), MIN_PART - 1, -1):
            if token[start : start + length] in known:
                parts.append(token[start : start + length])
                break
    # The node stems the parts with the token and drops a part whose stem is the token's
    # (`remove_duplicates`): "werkvormen" and its part "werkvorm" are both "werkvorm".
    return [
        part for part in parts if token[len(part) :] not in INFLECTED or part != token[: len(part)]
    ]


class Decompounder:
    """Splits documents' texts into compound parts with one index's word list, remembering
    every stretch between spaces it has split (a bulk load meets the same words over and over)."""

    def __init__(self, word_list: list[str] | tuple[str, ...]) -> None:
        known = frozenset(word_list)

        def stretch_parts(stretch: str) -> list[str]:
            parts = []
            for token in TOKEN.findall(HYPHEN_IN_WORD.sub("", stretch)):
                if len(token) >= 2 * MIN_PART:
                    parts.extend(decompound(fold(token), known))
            return parts

        self.split = stretch_parts
        self.memo: dict[str, list[str]] = {}

    def __call__(self, *texts: str) -> str:
        """The compound parts of the texts' words, one per occurrence, as a text."""
        found: list[str] = []
        memo = self.memo
        if len(memo) > MEMO_SIZE:
            memo.clear()
        for text in texts:
            if not text:
                continue
            # Tokens never span white space: count the stretches between spaces and split
            # each distinct one (too short to hold a compound: skipped).
            for stretch, count in Counter(LONG_STRETCH.findall(text)).items():
                split = memo.get(stretch)
                if split is None:
                    split = memo[stretch] = self.split(stretch)
                if split:
                    found.extend(split * count)
        return " ".join(found)


@lru_cache(maxsize=2)
def decompounder(word_list: tuple[str, ...]) -> Decompounder:
    """The Decompounder of a word list (one per index: its list is in the index's `_meta`)."""
    return Decompounder(word_list)


def text_fields(document: dict[str, Any]) -> list[str]:
    """The texts of a document that are copied into `all_text`."""
    return [document.get(name) or "" for name in ("title", "summary", "themes_text", "body")]
