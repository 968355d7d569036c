"""Turning a visitor's words into a full-text query: stems, synonyms, and per-engine syntax.

A query is a list of groups that must all match (AND); a group is a list of alternatives of which
one must match (OR); an alternative is a phrase of one or more stems. Synonyms from the admin turn
one group into several alternatives, e.g. "sob" into sob | sociaal ontwikkelbedrijf | sw bedrijf.
"""

import re
from dataclasses import dataclass, field

from search.analysis import analyze, fold
from search.models import SearchSynonym

MAX_GROUPS = 12


@dataclass(frozen=True)
class Alternative:
    """One way a group can match: the stems of a phrase, and the words as written."""

    stems: tuple[str, ...]
    text: str


@dataclass
class TextQuery:
    """A parsed query: every group must match, any alternative of a group may."""

    groups: list[list[Alternative]] = field(default_factory=list)

    def __bool__(self) -> bool:
        return bool(self.groups)

    def to_fts5(self, *, operator: str = "AND") -> str:
        """An FTS5 MATCH expression; stems are letters and digits only, so quoting is safe."""
        parts = []
        for group in self.groups:
            alternatives = ['"' + " ".join(alt.stems) + '"' for alt in group]
            parts.append("(" + " OR ".join(alternatives) + ")")
        return f" {operator} ".join(parts)

    def to_tsquery(self, *, operator: str = "AND", phrase_tokens: bool = False) -> str:
        """A PostgreSQL to_tsquery('simple', ...) expression; a phrase's stems must follow
        each other (`<->`), or with `phrase_tokens` the phrase is its one token (`phrase_token`),
        which the document table holds for every synonym phrase a product contains."""
        parts = []
        for group in self.groups:
            alternatives = [
                f"'{phrase_token(alt.stems)}'"
                if phrase_tokens
                else " <-> ".join(f"'{stem}'" for stem in alt.stems)
                for alt in group
            ]
            parts.append("(" + " | ".join(f"({alt})" for alt in alternatives) + ")")
        return f" {'&' if operator == 'AND' else '|'} ".join(parts)


def phrase_token(stems: tuple[str, ...]) -> str:
    """One word standing for a phrase's stems: "beschut/werk". Stems hold only letters and
    digits, so no word of a text is ever a phrase's token; PostgreSQL's parser keeps it whole."""
    return "/".join(stems)


def synonym_phrases(synonyms: list[list[Alternative]]) -> list[tuple[str, ...]]:
    """The stems of every phrase in the synonym sets: the only phrases a query can hold."""
    found = {alt.stems for alternatives in synonyms for alt in alternatives if len(alt.stems) > 1}
    return sorted(found)


def phrases_in(fields: list[str], phrases: list[tuple[str, ...]]) -> str:
    """The tokens (`phrase_token`) of the phrases whose stems stand in a row within one of the
    stemmed `fields`, as one text."""
    padded = [f" {field} " for field in fields]
    return " ".join(
        phrase_token(stems)
        for stems in phrases
        if any(f" {' '.join(stems)} " in field for field in padded)
    )


def load_synonyms() -> list[list[Alternative]]:
    """The synonym sets from the admin, each as the alternatives it stands for."""
    sets = []
    for synonym in SearchSynonym.objects.all():
        alternatives: list[Alternative] = []
        for term in synonym.term_list:
            stems = tuple(analyze(term))
            if stems and all(stems != alt.stems for alt in alternatives):
                alternatives.append(Alternative(stems=stems, text=fold(term)))
        if len(alternatives) > 1:
            sets.append(alternatives)
    return sets


def parse_query(text: str, *, synonyms: list[list[Alternative]] | None = None) -> TextQuery:
    """Parse free text into groups, expanding any synonym found (longest match first)."""
    stems = analyze(text)
    synonyms = synonyms or []
    phrases: dict[tuple[str, ...], list[Alternative]] = {}
    for alternatives in synonyms:
        for alt in alternatives:
            merged = phrases.setdefault(alt.stems, [])
            merged.extend(a for a in alternatives if a not in merged)
    longest = max((len(key) for key in phrases), default=0)
    groups: list[list[Alternative]] = []
    position = 0
    while position < len(stems) and len(groups) < MAX_GROUPS:
        for length in range(min(longest, len(stems) - position), 0, -1):
            key = tuple(stems[position : position + length])
            if key in phrases:
                groups.append(phrases[key])
                position += length
                break
        else:
            word = stems[position]
            if all([Alternative((word,), word)] != group for group in groups):
                groups.append([Alternative(stems=(word,), text=word)])
            position += 1
    return TextQuery(groups=groups)


# Plain-text search for engines that read quotes, brackets or words like OR and NEAR as syntax
# (Wagtail's database backends behind /api/v2/): the text is checked here, at the edge, and only
# its words reach the engine.
MAX_PLAIN_SEARCH_LENGTH = 200
MAX_PLAIN_SEARCH_WORDS = 32
_WORD = re.compile(r"\w+")


class SearchTextError(ValueError):
    """Search text that cannot be searched; the message says in Dutch what to change."""


def plain_search_text(
    text: str,
    *,
    max_length: int = MAX_PLAIN_SEARCH_LENGTH,
    max_words: int = MAX_PLAIN_SEARCH_WORDS,
) -> str:
    """The words of `text` in lower case, separated by one space; SearchTextError when the text
    holds a NUL character, is too long, has too many words or an unpaired double quote."""
    if "\x00" in text:
        raise SearchTextError("De zoektekst bevat een ongeldig teken (NUL).")
    if len(text) > max_length:
        raise SearchTextError(f"De zoektekst is te lang: gebruik hoogstens {max_length} tekens.")
    if text.count('"') % 2:
        raise SearchTextError(
            'De zoektekst heeft een los aanhalingsteken ("). Zet een woordgroep tussen twee '
            "aanhalingstekens, of laat ze weg."
        )
    found = _WORD.findall(text.lower())
    if len(found) > max_words:
        raise SearchTextError(f"De zoektekst heeft te veel woorden: hoogstens {max_words}.")
    return " ".join(found)
