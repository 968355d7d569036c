"""Readability by the Flesch-Douma formula, the Dutch adaptation of Flesch's reading ease.

    score = 206.84 - 0.77 x (syllables per 100 words) - 0.93 x (words per sentence)

A score of 60 or more reads as "fairly easy"; hubcms asks for at least 60 (advisory).
"""

import re

from wagtail.models import Page

from quality.checks.registry import CheckResult, register_check
from quality.checks.text import body_text

MINIMUM_SCORE = 60.0
_WORD = re.compile(r"[A-Za-zÀ-ÖØ-öø-ÿ]+(?:['’-][A-Za-zÀ-ÖØ-öø-ÿ]+)*")
_SENTENCE_END = re.compile(r"[.!?]+(?:\s|$)|[:;]\s*\n")
# Dutch vowel groups: each run of vowels is one syllable ("oe", "ie", "eeu", "ij" in "bij").
_VOWEL_GROUP = re.compile(r"[aeiouyàáâäèéêëìíîïòóôöùúûü]+", re.IGNORECASE)


def count_syllables(word: str) -> int:
    """The number of syllables in a Dutch word, by counting vowel groups (at least one)."""
    return max(1, len(_VOWEL_GROUP.findall(word)))


def flesch_douma(text: str) -> float | None:
    """The Flesch-Douma reading ease of `text`, or None when the text has no words."""
    words = _WORD.findall(text or "")
    if not words:
        return None
    sentences = max(1, len([part for part in _SENTENCE_END.split(text) if _WORD.search(part)]))
    syllables = sum(count_syllables(word) for word in words)
    syllables_per_100_words = 100 * syllables / len(words)
    words_per_sentence = len(words) / sentences
    return 206.84 - 0.77 * syllables_per_100_words - 0.93 * words_per_sentence


@register_check("leesbaarheid")
def readable(page: Page) -> CheckResult:
    """Summary and body together score at least 60 on the Flesch-Douma formula."""
    score = flesch_douma(body_text(page))
    if score is None:
        return CheckResult(
            False, "Er is nog geen tekst om de leesbaarheid van te meten.", "summary"
        )
    if score < MINIMUM_SCORE:
        return CheckResult(
            False,
            f"De leesbaarheid (Flesch-Douma) is {score:.0f}; streef naar {MINIMUM_SCORE:.0f} of "
            "meer. Schrijf kortere zinnen en kortere woorden, te beginnen bij de samenvatting.",
            "summary",
        )
    return CheckResult(True, f"De leesbaarheid (Flesch-Douma) is {score:.0f}.", "summary")
