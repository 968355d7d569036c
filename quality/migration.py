"""Publishing migrated content: `import_products FILE --publish --approved-by USERNAME`.

Each imported product goes live only when every blocking automatic criterion passes and the named
Kwaliteitsbewaker (not the revision's author) approves it; their assessment records that the
content was migrated. A refused product stays an imported draft.
"""

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from django.contrib.auth import get_user_model
from django.contrib.auth.models import User
from django.core.exceptions import ValidationError

from core import roles
from quality.gate import QualityGateRefused
from quality.services import publish_migrated_revision

MIGRATION_NOTE = "Gemigreerde inhoud"


@dataclass
class MigrationResult:
    published: list[str] = field(default_factory=list)
    refused: list[str] = field(default_factory=list)


def migration_reviewer(*, username: str) -> User:
    """The Kwaliteitsbewaker named by `username`, or a Dutch ValidationError."""
    user = get_user_model().objects.filter(username=username, is_active=True).first()
    if user is None:
        raise ValidationError(f"Gebruiker '{username}' bestaat niet of is niet actief.")
    if not user.groups.filter(name=roles.REVIEWER).exists():
        raise ValidationError(
            f"Gebruiker '{username}' is geen {roles.REVIEWER}; alleen een kwaliteitsbewaker "
            "keurt gemigreerde inhoud goed."
        )
    return user


def publish_imported_products(
    *, outcomes: Iterable[Any], reviewer: User, note: str = MIGRATION_NOTE
) -> MigrationResult:
    """Publish each imported product's newest revision through the quality gate.

    `outcomes` are the import report's records (with `page`, `revision` and `title`).
    """
    result = MigrationResult()
    for outcome in outcomes:
        page = outcome.page
        if page is None:
            continue
        revision = outcome.revision or page.get_latest_revision()
        if revision is None or (page.live and page.live_revision_id == revision.pk):
            continue
        try:
            publish_migrated_revision(revision=revision, reviewer=reviewer, note=note)
        except QualityGateRefused as refusal:
            result.refused.append(refusal.summary)
        else:
            result.published.append(f"Gepubliceerd: {outcome.title}")
    return result
