"""Checks on the completeness of a product's description (the werkblad and its management)."""

import datetime

from django.utils import timezone

from wagtail.models import Page

from products.choices import WERKBLAD_SECTIONS, DownloadKind
from quality.checks.registry import CheckResult, register_check
from quality.checks.text import plain_text

SUMMARY_MAX_LENGTH = 300
MIN_APPROACH_STEPS = 2
MAX_REVIEW_MONTHS = 24


@register_check("samenvatting")
def summary_present_and_short(page: Page) -> CheckResult:
    """A summary is present and at most 300 characters long."""
    summary = (getattr(page, "summary", "") or "").strip()
    if not summary:
        return CheckResult(False, "Vul de samenvatting in (tabblad Inhoud).", "summary")
    if len(summary) > SUMMARY_MAX_LENGTH:
        return CheckResult(
            False,
            f"De samenvatting is {len(summary)} tekens; maak haar hoogstens "
            f"{SUMMARY_MAX_LENGTH} tekens.",
            "summary",
        )
    return CheckResult(True, f"De samenvatting is aanwezig ({len(summary)} tekens).", "summary")


@register_check("werkblad_volledig")
def werkblad_complete(page: Page) -> CheckResult:
    """Every werkblad section is filled, and the approach has at least two steps."""
    missing = []
    for name, label in WERKBLAD_SECTIONS:
        if name == "aanpak":
            continue
        if not plain_text(str(getattr(page, name, "") or "")):
            missing.append((name, label))
    if missing:
        labels = ", ".join(label.lower() for _, label in missing)
        return CheckResult(False, f"Vul op het tabblad Werkblad nog in: {labels}.", missing[0][0])
    steps = len(page.aanpak or [])
    if steps < MIN_APPROACH_STEPS:
        return CheckResult(
            False,
            f"De aanpak heeft {steps} stap(pen); beschrijf er ten minste {MIN_APPROACH_STEPS} "
            "(tabblad Werkblad, Aanpak).",
            "aanpak",
        )
    return CheckResult(True, f"Alle secties zijn ingevuld; de aanpak heeft {steps} stappen.")


@register_check("indeling")
def classified(page: Page) -> CheckResult:
    """The product belongs to at least one development line and one target group."""
    if not page.development_lines.exists():
        return CheckResult(
            False,
            "Kies ten minste één ontwikkellijn (tabblad Indeling, Ontwikkellijnen).",
            "development_lines",
        )
    if not page.target_groups.exists():
        return CheckResult(
            False,
            "Kies ten minste één doelgroep (tabblad Indeling, Doelgroepen).",
            "target_groups",
        )
    return CheckResult(True, "Er zijn een ontwikkellijn en een doelgroep gekozen.")


@register_check("eigenaar")
def has_owner(page: Page) -> CheckResult:
    """The product has an owner who answers questions about it."""
    if page.product_owner_id is None:
        return CheckResult(False, "Kies een eigenaar (tabblad Beheer, Eigenaar).", "product_owner")
    return CheckResult(True, "Er is een eigenaar gekozen.", "product_owner")


@register_check("download_handleiding")
def has_manual_download(page: Page) -> CheckResult:
    """At least one download of kind handleiding or format."""
    kinds = {download.kind for download in page.downloads.all()}
    if kinds & {DownloadKind.HANDLEIDING, DownloadKind.FORMAT}:
        return CheckResult(True, "Er is een handleiding of format om te downloaden.", "downloads")
    return CheckResult(
        False,
        "Voeg ten minste één download van de soort 'Handleiding' of 'Format' toe "
        "(tabblad Materiaal, Downloads).",
        "downloads",
    )


def _add_months(day: datetime.date, months: int) -> datetime.date:
    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    for candidate_day in (day.day, 30, 29, 28):
        try:
            return day.replace(year=year, month=month, day=candidate_day)
        except ValueError:
            continue
    raise ValueError(day)


@register_check("herziening")
def review_date_ahead(page: Page) -> CheckResult:
    """A next review date in the future and at most 24 months ahead."""
    review_date = page.next_review_date
    today = timezone.localdate()
    if review_date is None:
        return CheckResult(
            False,
            "Vul de datum van de volgende herziening in (tabblad Beheer).",
            "next_review_date",
        )
    if review_date <= today:
        return CheckResult(
            False,
            "De volgende herziening ligt niet in de toekomst; kies een latere datum "
            "(tabblad Beheer).",
            "next_review_date",
        )
    latest = _add_months(today, MAX_REVIEW_MONTHS)
    if review_date > latest:
        return CheckResult(
            False,
            f"De volgende herziening ligt meer dan {MAX_REVIEW_MONTHS} maanden vooruit; kies "
            f"uiterlijk {latest:%d-%m-%Y} (tabblad Beheer).",
            "next_review_date",
        )
    return CheckResult(True, f"Volgende herziening: {review_date:%d-%m-%Y}.", "next_review_date")


def _major(version: str | None) -> int:
    try:
        return int(str(version).split(".")[0])
    except (TypeError, ValueError):
        return 0


@register_check("wijzigingsnotitie")
def change_note_on_major_version(page: Page) -> CheckResult:
    """A change note when the major version goes up compared with the live version."""
    live_revision = page.live_revision if page.live_revision_id else None
    if live_revision is None:
        return CheckResult(True, "Eerste publicatie: een wijzigingsnotitie is niet nodig.")
    live = live_revision.content
    if _major(page.version) <= _major(live.get("version")):
        return CheckResult(True, "De hoofdversie is niet verhoogd.", "change_note")
    note = (page.change_note or "").strip()
    if not note or note == (live.get("change_note") or "").strip():
        return CheckResult(
            False,
            f"De hoofdversie gaat van {live.get('version')} naar {page.version}: schrijf in de "
            "wijzigingsnotitie wat er veranderd is (tabblad Beheer).",
            "change_note",
        )
    return CheckResult(
        True, "Er is een wijzigingsnotitie voor de nieuwe hoofdversie.", "change_note"
    )
