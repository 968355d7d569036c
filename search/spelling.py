"""Forgiving a query's unknown words, against the vocabulary of the indexed stems.

When a search finds nothing, each query word the index does not hold is replaced by the parts of
a compound the index does hold ("werkgeverstafels": werkgever + tafel), or else by the indexed
word closest to it within one or two edits ("jobcoatch": jobcoach), the most common one first,
or else by the long head of a compound ("buurtwerkplaatsen": werkplaats).
"""

from collections.abc import Callable
from typing import Any

from django.db import connection

from rapidfuzz import process
from rapidfuzz.distance import OSA

from search.analysis import stem
from search.query import Alternative, TextQuery

MIN_PART = 3  # letters of the shortest part of a compound
MIN_HEAD = 6  # letters of the shortest head that may stand for a whole compound
_cache: dict[str, tuple[tuple[Any, ...], dict[str, int]]] = {}


def vocabulary(load: Callable[[], dict[str, int]]) -> dict[str, int]:
    """The indexed stems with their document counts, read again whenever the index changed."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT COUNT(*), MAX(indexed_at) FROM hubsearch_productsearchdocument")
        version = (connection.vendor, *cursor.fetchone())
    cached = _cache.get(connection.alias)
    if cached is None or cached[0] != version:
        words = {word: count for word, count in load().items() if not word.isdigit()}
        _cache[connection.alias] = cached = (version, words)
    return cached[1]


def correct(
    text_query: TextQuery, load: Callable[[], dict[str, int]]
) -> tuple[TextQuery, str] | None:
    """The query with its unknown words replaced, and "all" when only compounds were split
    (or "similar" when a word was corrected); None when no word could be replaced."""
    known = vocabulary(load)
    groups: list[list[Alternative]] = []
    match = "all"
    for group in text_query.groups:
        if len(group) > 1 or len(group[0].stems) > 1 or group[0].stems[0] in known:
            groups.append(group)
            continue
        word = group[0].stems[0]
        parts = split_compound(word, known)
        if parts is None:
            replacement = closest_word(word, known) or compound_head(word, known)
            parts, match = ([replacement], "similar") if replacement else ([word], match)
        groups += [[Alternative(stems=(part,), text=part)] for part in parts]
    if groups == text_query.groups:
        return None
    return TextQuery(groups=groups), match


def split_compound(word: str, known: dict[str, int]) -> list[str] | None:
    """A compound's two known parts, the longest known head first ("burtwerkplat": burt,
    werkplat); a linking s or e between them is dropped."""
    for cut in (c for c in range(MIN_PART, len(word) - MIN_PART) if word[c:] in known):
        modifier = word[:cut]
        for candidate in (modifier, modifier[:-1], stem(modifier)):
            if len(candidate) >= MIN_PART and candidate in known:
                return [candidate, word[cut:]]
    return None


def compound_head(word: str, known: dict[str, int]) -> str | None:
    """The longest known head of a compound whose modifier is unknown, if long enough."""
    for cut in range(MIN_PART, len(word) - MIN_HEAD + 1):
        if word[cut:] in known:
            return word[cut:]
    return None


def closest_word(word: str, known: dict[str, int]) -> str | None:
    """The known stem fewest edits away (one for short words, two for longer; an adjacent swap
    counts one), most documents first; None when none is that close."""
    limit = 1 if len(word) <= 5 else 2
    close = process.extract_iter(word, known.keys(), scorer=OSA.distance, score_cutoff=limit)
    best = min(close, key=lambda match: (match[1], -known[match[0]]), default=None)
    return best[0] if best else None
