"""Turning a visitor's words into a full-text query: stems, synonyms, and per-engine syntax.

A query is a list of groups that must all match (AND); a group is a list of alternatives of which
one must match (OR); an alternative is a phrase of one or more stems. Synonyms from the admin turn
one group into several alternatives, e.g. "sob" into sob | sociaal ontwikkelbedrijf | sw bedrijf.
"""

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

    def to_tsquery(self, *, operator: str = "&") -> str:
        """A PostgreSQL to_tsquery('simple', ...) expression; a phrase's stems must follow
        each other (`<->`)."""
        parts = []
        for group in self.groups:
            alternatives = [" <-> ".join(f"'{stem}'" for stem in alt.stems) for alt in group]
            parts.append("(" + " | ".join(f"({alt})" for alt in alternatives) + ")")
        return f" {operator} ".join(parts)


def load_synonyms() -> list[list[Alternative]]:
    """The synonym sets from the admin, each as the alternatives it stands for."""
    sets = []
    for synonym in SearchSynonym.objects.all():
        alternatives = []
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
