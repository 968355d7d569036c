"""Rich text in imports: plain text becomes paragraphs, HTML is checked and normalised.

Imported HTML goes through the same converter as the editor (Draftail's contentstate), so what is
stored is what an editor would have stored. The converter adds random `data-block-key`
attributes; they are stripped so that importing the same file twice stores the same text, and
ignored when comparing with existing content.
"""

import html
import re
from html.parser import HTMLParser

from wagtail.admin.rich_text.converters.contentstate import ContentstateConverter

TAG_PATTERN = re.compile(r"</?([a-zA-Z][a-zA-Z0-9]*)(\s[^<>]*)?/?>")
BLOCK_KEY_PATTERN = re.compile(r'\s+data-block-key="[^"]*"')
PARAGRAPH_BREAK = re.compile(r"\n\s*\n")

# The HTML elements that each rich text feature allows; <p> and <br> are always allowed.
FEATURE_TAGS: dict[str, set[str]] = {
    "h2": {"h2"},
    "h3": {"h3"},
    "h4": {"h4"},
    "bold": {"b", "strong"},
    "italic": {"i", "em"},
    "ol": {"ol", "li"},
    "ul": {"ul", "li"},
    "link": {"a"},
    "document-link": {"a"},
}
ALWAYS_ALLOWED = {"p", "br"}

_converters: dict[tuple[str, ...], ContentstateConverter] = {}


def looks_like_html(text: str) -> bool:
    """A value is read as HTML when it contains at least one HTML tag, e.g. `<p>`."""
    return bool(TAG_PATTERN.search(text))


def unsupported_tags(text: str, *, features: list[str]) -> list[str]:
    """The HTML elements in `text` that the editor for these features cannot hold, in order."""
    allowed = set(ALWAYS_ALLOWED)
    for feature in features:
        allowed |= FEATURE_TAGS.get(feature, set())
    collector = _TagCollector()
    collector.feed(text)
    collector.close()
    found: list[str] = []
    for tag in collector.tags:
        if tag not in allowed and tag not in found:
            found.append(tag)
    return found


def to_rich_text(text: str, *, features: list[str]) -> str:
    """Stored rich text for an imported value: HTML normalised, plain text as paragraphs."""
    if not text.strip():
        return ""
    if looks_like_html(text):
        source = text
    else:
        paragraphs = [part.strip() for part in PARAGRAPH_BREAK.split(text.strip()) if part.strip()]
        source = "".join(
            "<p>" + "<br/>".join(html.escape(line.strip()) for line in p.splitlines()) + "</p>"
            for p in paragraphs
        )
    converter = _converter(features)
    normalised = comparable(converter.to_database_format(converter.from_database_format(source)))
    return "" if normalised in ("", "<p></p>") else normalised


def comparable(text: str) -> str:
    """Rich text without the editor's block keys, for storing and comparing imports."""
    return BLOCK_KEY_PATTERN.sub("", text or "")


def _converter(features: list[str]) -> ContentstateConverter:
    key = tuple(features)
    if key not in _converters:
        _converters[key] = ContentstateConverter(list(features))
    return _converters[key]


class _TagCollector(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[str] = []

    def handle_starttag(self, tag: str, attrs) -> None:
        self.tags.append(tag.lower())

    def handle_startendtag(self, tag: str, attrs) -> None:
        self.tags.append(tag.lower())
