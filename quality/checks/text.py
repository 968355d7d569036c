"""Helpers that read the text of a page for the checks: rich text fields and their HTML."""

import re
from html import unescape

from wagtail.models import Page

from products.choices import WERKBLAD_SECTIONS

_TAG = re.compile(r"<[^>]+>")


def plain_text(html: str) -> str:
    """Rich text HTML as plain text, with block ends as sentence-neutral spaces."""
    return " ".join(unescape(_TAG.sub(" ", html or "")).split())


def rich_text_fields(page: Page) -> list[tuple[str, str, str]]:
    """(field name, Dutch label, HTML) of every rich text on the page, including approach steps."""
    model_name = page._meta.model_name
    fields: list[tuple[str, str, str]] = []
    if model_name == "productpage":
        for name, label in WERKBLAD_SECTIONS:
            if name == "aanpak":
                for number, step in enumerate(page.aanpak or [], start=1):
                    description = step.value.get("description")
                    html = getattr(description, "source", str(description or ""))
                    fields.append(("aanpak", f"Aanpak, stap {number}", html))
            else:
                fields.append((name, label, str(getattr(page, name) or "")))
    elif model_name == "developmentlinepage":
        fields.append(("goal", "Doel", str(page.goal or "")))
    elif model_name == "innovationagendapage":
        fields.append(("intro", "Introductie", str(page.intro or "")))
    return fields


def body_text(page: Page) -> str:
    """The summary and the body of the page as one plain text."""
    parts = [getattr(page, "summary", "") or ""]
    parts += [plain_text(html) for _, _, html in rich_text_fields(page)]
    return " ".join(part for part in parts if part)
