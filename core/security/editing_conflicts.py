"""Concurrent editing: tell an editor when their save went over someone else's newer version.

Wagtail already shows a live notice and asks for confirmation in the editor (editing sessions), and
refuses an out-of-date autosave. A plain form submit without JavaScript, or one sent before the
next ping, is still accepted by Wagtail; then the editor gets a warning with a link to compare the
two versions. Both versions stay in the page's history, so nothing is lost.
"""

from django.contrib.auth.base_user import AbstractBaseUser
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html

from wagtail.models import Page, Revision


def overwritten_revision(
    *, page: Page, loaded_revision_id: str | None, user: AbstractBaseUser
) -> Revision | None:
    """The other editor's revision that this save was not based on, if any."""
    if not loaded_revision_id:
        return None
    latest = page.get_latest_revision()
    if latest is None:
        return None
    previous = page.revisions.exclude(pk=latest.pk).order_by("-created_at", "-pk").first()
    if previous is None or str(previous.pk) == str(loaded_revision_id):
        return None
    if previous.user_id == user.pk:
        return None
    return previous


def overwrite_warning(*, page: Page, overwritten: Revision) -> str:
    """The Dutch warning, with a link comparing the other editor's version with this save."""
    latest = page.get_latest_revision()
    user = overwritten.user
    who = (user.get_full_name() or user.get_username()) if user else "Iemand"
    compare = reverse(
        "wagtailadmin_pages:revisions_compare", args=[page.pk, overwritten.pk, latest.pk]
    )
    return format_html(
        "Let op: {} had intussen een nieuwere versie opgeslagen ({}). Uw wijzigingen zijn "
        "opgeslagen als nieuwste versie; de versie van {} staat in de geschiedenis. "
        '<a href="{}">Vergelijk beide versies</a> en neem over wat u mist.',
        who,
        timezone.localtime(overwritten.created_at).strftime("%d-%m-%Y %H:%M"),
        who,
        compare,
    )
