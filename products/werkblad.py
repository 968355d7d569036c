"""A product's werkblad as the website and both APIs present it: its filled sections in the
databanks' order, each with its heading and content; the aanpak as numbered steps."""

from dataclasses import dataclass
from functools import cached_property

from wagtail.rich_text import RichText, expand_db_html

from products.choices import WERKBLAD_SECTIONS


@dataclass(frozen=True)
class WerkbladStep:
    """One step of the aanpak."""

    title: str
    description: RichText | None
    duration: str

    @property
    def description_html(self) -> str:
        return expand_db_html(self.description.source if self.description else "")


@dataclass(frozen=True)
class WerkbladSection:
    """One filled section: `value` is its rich text, or for the aanpak its steps' StreamField."""

    key: str
    label: str
    value: object

    @cached_property
    def steps(self) -> list[WerkbladStep]:
        if self.key != "aanpak":
            return []
        return [
            WerkbladStep(
                title=str(block.value.get("title") or ""),
                description=block.value.get("description"),
                duration=str(block.value.get("duration") or ""),
            )
            for block in self.value
        ]

    @property
    def html(self) -> str:
        """The rich text with Wagtail's links and embeds expanded ("" for the aanpak)."""
        return "" if self.key == "aanpak" else expand_db_html(str(self.value or ""))


def werkblad(page) -> list[WerkbladSection]:
    """The filled werkblad sections of a product, in the databanks' order."""
    sections = []
    for key, label in WERKBLAD_SECTIONS:
        value = getattr(page, key)
        # The aanpak (a StreamField) is filled when it has a step; rich text when it has text.
        if value if key == "aanpak" else str(value or "").strip():
            sections.append(WerkbladSection(key=key, label=label, value=value))
    return sections
