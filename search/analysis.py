"""Dutch text analysis shared by every index and every query: words, stop words and stems.

Snowball's Dutch stemmers alone keep inflections apart that a visitor expects to match (PostgreSQL's
"dutch" config stems "fiets" to "fiet" but "fietsen" to "fiets", and "ontwikkelbedrijven" to
"ontwikkelbedrijv"). hubcms therefore stems in Python, identically at index and query time on every
database: the Porter variant of Snowball's Dutch stemmer followed by a few normalisations of the
stem's end (v/f, z/s, a trailing s or e) and of its vowels: Snowball halves a double vowel only
before a single final consonant ("werkplaats" becomes "werkplat", "werkplaatsen" "werkplaat"),
so every double vowel is halved ("werkplat" for both), and so is a double final consonant
("kengetallen": kengetal).
"""

import re
import unicodedata
from functools import lru_cache

import snowballstemmer

WORD_PATTERN = re.compile(r"[^\W_]+", re.UNICODE)
MAX_WORD_LENGTH = 40

# Words too common to help a search; removed at index and at query time.
STOP_WORDS = frozenset(
    """
    aan al alle als at bij dan dat de der des deze die dit doen door dus een en er
    had heb hebben heeft het hier hij hoe hun ik in is je kan kunnen maar me meer met
    mijn na naar niet nog nu of om omdat ons ook op over te ten ter tot u uit van veel
    voor was wat we wel wie wij wil worden wordt zal ze zich zij zijn zo zoals zonder
    """.split()
)

_stemmer = snowballstemmer.stemmer("dutch_porter")


DOUBLE_VOWEL = re.compile(r"([aeou])\1")
DOUBLE_FINAL_CONSONANT = re.compile(r"([b-df-hj-np-tv-z])\1$")
COMBINING_MARKS = re.compile(r"[\u0300-\u036f\u1ab0-\u1aff\u1dc0-\u1dff\u20d0-\u20ff\ufe20-\ufe2f]")


def fold(text: str) -> str:
    """Lower case without diacritics: 'Coördinator' becomes 'coordinator'."""
    text = text.lower()
    if text.isascii():
        return text
    return COMBINING_MARKS.sub("", unicodedata.normalize("NFKD", text))


def words(text: str) -> list[str]:
    """The folded words of a text, in order, including stop words."""
    return [word[:MAX_WORD_LENGTH] for word in WORD_PATTERN.findall(fold(text))]


def stem(word: str) -> str:
    """The normalised Dutch stem of one folded word."""
    if word.isdigit() or len(word) <= 2:
        return word
    result = _stemmer.stemWord(word)
    if result.endswith("v"):
        result = result[:-1] + "f"
    elif result.endswith("z"):
        result = result[:-1] + "s"
    if len(result) > 3 and result.endswith("s") and not result.endswith("ss"):
        result = result[:-1]
    if len(result) > 3 and result.endswith("e"):
        result = result[:-1]
    return DOUBLE_FINAL_CONSONANT.sub(r"\1", DOUBLE_VOWEL.sub(r"\1", result))


def analyze(text: str) -> list[str]:
    """The stems of a text's words, stop words left out, in order."""
    return [result for result in map(_stem_or_stop, WORD_PATTERN.findall(fold(text))) if result]


# Remembered per distinct word: a library has a vocabulary of some tens of thousands of words.
@lru_cache(maxsize=500_000)
def _stem_or_stop(word: str) -> str:
    """The stem of one folded word, or '' for a stop word."""
    if word in STOP_WORDS or len(word) < 2:
        return ""
    return stem(word[:MAX_WORD_LENGTH])


def stemmed_text(text: str) -> str:
    """The stems of a text as one space-separated string, ready for a full-text index."""
    return " ".join(analyze(text))
