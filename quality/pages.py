"""The pages the quality gate governs, and the Wagtail seams through which it holds.

`GovernedPage` is the abstract base of every governed page type (products, development lines, the
agenda). The gate holds there, through Wagtail's own seams and without patching Wagtail:

- `GovernedPagePermissionTester.can_publish` asks the gate. Wagtail asks it before every publish
  by a user: the edit view, bulk publish, the admin API and workflow approval.
- `GovernedPage.publish` asks the gate for every publication through `Page.publish`, with or
  without a user: scheduled publication, imports, workflow approval, `revision.publish()` in a
  shell. While a workflow waits for its final approval, publishing records that approval (never a
  silent cancel). Wagtail's permission check and the backstop inside that call reuse the gate's
  decision rather than asking again.
- `guard_live_revision` is the one backstop, for code that writes the page row itself: a live
  governed page is stored only as a revision of its own that passed the gate holds it.

The friendly Dutch messages on top live in `wagtail_hooks.py`; they ask the same tester.
"""

import json
from typing import Any, NoReturn, TypeAlias, TypedDict

from django.contrib.auth.models import AnonymousUser, User
from django.core.serializers.json import DjangoJSONEncoder
from django.db.models import ForeignObjectRel
from django.db.models.signals import pre_save
from django.dispatch import receiver
from django.utils.functional import cached_property

from modelcluster.fields import ParentalKey
from wagtail.models import Page, PagePermissionTester, Revision

from quality.binding import BOOKKEEPING_KEYS, public_content
from quality.gate import (
    ALIAS_CONVERSION_REFUSED,
    QualityGateRefused,
    approve_by_publishing,
    ensure_may_publish,
    gate_decision,
    gate_let_through,
    let_through,
    log_refusal,
    publication_let_through,
    publication_unmet,
)

NO_REVISION = "Er is geen revisie om te publiceren"
NEW_PAGE_LIVE = "Een nieuwe pagina gaat alleen live via een goedgekeurde revisie"
COPY_KEPT_LIVE = (
    "Een kopie is een nieuwe pagina zonder kwaliteitstoets; kopieer zonder 'gepubliceerd "
    "houden' en dien de kopie in bij de workflow Kwaliteitsborging"
)
NOT_ITS_OWN_REVISION = "Een pagina gaat alleen live via een goedgekeurde revisie"
LIVE_CONTENT_CHANGED = "Live inhoud verandert alleen door een goedgekeurde revisie te publiceren"

# The page fields that decide what is live; every other field is bookkeeping or content.
_LIVE_FIELDS = frozenset({"live", "live_revision", "live_revision_id", "alias_of", "alias_of_id"})

# Content as JSON holds it, after a round trip through Django's encoder.
JSONValue: TypeAlias = None | bool | int | float | str | list["JSONValue"] | dict[str, "JSONValue"]


class GovernedPagePermissionTester(PagePermissionTester):
    """Wagtail's permission tester, with publishing asked of the quality gate."""

    @cached_property
    def publication_unmet(self) -> list[str]:
        """Why this user may not publish the page's latest revision now (empty: may), in Dutch."""
        if self.page.alias_of_id:
            return []  # an alias mirrors a page that went live through the gate
        revision = self.page.get_latest_revision()
        if revision is None:
            return [NO_REVISION]
        if publication_let_through(revision_id=revision.pk, user=self.user):
            return []  # asked by Wagtail inside `GovernedPage.publish`, which just asked the gate
        return publication_unmet(revision=revision, user=self.user)[0]

    def can_publish_without_the_gate(self) -> bool:
        """Wagtail's own answer: whether the user has the publish permission here."""
        allowed: bool = super().can_publish()
        return allowed

    def can_publish(self) -> bool:
        return self.can_publish_without_the_gate() and not self.publication_unmet

    # Wagtail derives these from `can_publish`; they make nothing live, so the gate has no say.
    def can_set_view_restrictions(self) -> bool:
        return self.can_publish_without_the_gate()

    def can_unschedule(self) -> bool:
        return self.can_publish_without_the_gate()


class GovernedPage(Page):
    """A page type the quality gate governs: it goes live only through a passing assessment."""

    governed_by_quality_gate = True

    class Meta:
        abstract = True

    def permissions_for_user(self, user: User | AnonymousUser) -> GovernedPagePermissionTester:
        return GovernedPagePermissionTester(user, self)

    def publish(
        self,
        revision: Revision,
        user: User | None = None,
        changed: bool = True,
        log_action: bool = True,
        previous_revision: Revision | None = None,
        skip_permission_checks: bool = False,
    ) -> None:
        """Publish `revision` if the gate lets it (or refuse, logged, before anything changes).

        While the page waits for its workflow's final approval, publishing is that approval by
        `user`; the workflow's finish action then publishes.
        """
        if self.alias_of_id:
            super().publish(
                revision,
                user=user,
                changed=changed,
                log_action=log_action,
                previous_revision=previous_revision,
                skip_permission_checks=skip_permission_checks,
            )
            return
        route = ensure_may_publish(revision=revision, user=user)
        if route.final_approval is not None:
            approve_by_publishing(final_approval=route.final_approval, user=user)
            return
        # Wagtail's own permission check and the backstop run inside; they reuse this decision.
        with let_through(revision=revision, user=user):
            super().publish(
                revision,
                user=user,
                changed=changed,
                log_action=log_action,
                previous_revision=previous_revision,
                skip_permission_checks=skip_permission_checks,
            )


# --- The backstop ---------------------------------------------------------------------------------


def _json(data: dict[str, Any]) -> dict[str, JSONValue]:
    """`data` as the database will hold it: dates, decimals and UUIDs as JSON text."""
    loaded: dict[str, JSONValue] = json.loads(json.dumps(data, cls=DjangoJSONEncoder))
    return loaded


def _without_row_ids(value: JSONValue) -> JSONValue:
    """Child rows get their ids when the page is saved; a revision may hold them without."""
    if isinstance(value, list):
        return [_without_row_ids(item) for item in value]
    if isinstance(value, dict):
        return {key: _without_row_ids(item) for key, item in value.items() if key != "pk"}
    return value


def _parsed(value: JSONValue) -> JSONValue:
    """A StreamField is held as JSON text, whose key order the database may change (jsonb)."""
    if isinstance(value, str) and value[:1] in ("[", "{"):
        try:
            parsed: JSONValue = json.loads(value)
        except ValueError:
            return value
        return parsed
    return value


def _unordered_keys(model: type[Page]) -> set[str]:
    """The content keys whose order means nothing: many-to-many fields (lists of ids) and child
    relations without a sort order (the tags' `tagged_items`)."""
    keys = {f.name for f in model._meta.get_fields() if f.many_to_many and f.concrete}
    for relation in model._meta.get_fields():
        # A child relation: the reverse side of a ParentalKey, held in the page's revisions.
        if isinstance(relation, ForeignObjectRel) and isinstance(
            relation.remote_field, ParentalKey
        ):
            child = relation.related_model
            if not isinstance(child, str) and not hasattr(child, "sort_order"):
                keys.add(relation.get_accessor_name() or relation.name)
    return keys


def _sort_key(item: JSONValue) -> str:
    return json.dumps(item, sort_keys=True)


def _comparable(content: dict[str, JSONValue], unordered: set[str]) -> dict[str, JSONValue]:
    """Public content, with unordered lists sorted so that only their members count."""
    public: dict[str, JSONValue] = {
        key: _without_row_ids(value) if isinstance(value, list) else _parsed(value)
        for key, value in public_content(content).items()
    }
    for key in unordered & set(public):
        value = public[key]
        if isinstance(value, list):
            public[key] = sorted(value, key=_sort_key)
    return public


def _differs_from_revision(instance: Page, revision: Revision, written: set[str] | None) -> bool:
    """Whether the row about to be written shows other content than `revision` holds.

    Every content field of the page counts (Wagtail's bookkeeping does not): one the revision
    does not hold at all is a difference too, since the row would then show what nobody judged.
    """
    unordered = _unordered_keys(type(instance))
    row = _comparable(_json(instance.serializable_data()), unordered)
    held = _comparable(_json(revision.content or {}), unordered)  # in memory: may hold dates
    keys = set(row)
    if written is not None:
        keys &= written | {name.removesuffix("_id") for name in written}
    return any(key not in held or row[key] != held[key] for key in keys)


def _refuse(instance: Page, unmet: list[str], revision: Revision | None = None) -> NoReturn:
    refusal = QualityGateRefused(
        page_title=instance.title, unmet=unmet, page=instance, revision=revision
    )
    if instance.pk is None:
        # A new page has no history yet: log on its parent.
        parent_path = (instance.path or "")[: -Page.steplen]
        refusal.page = Page.objects.filter(path=parent_path).first() if parent_path else None
    # `Page.save` is atomic: a caller that keeps the audit log entry logs it again after rollback.
    log_refusal(refusal=refusal)
    raise refusal


class _StoredLiveState(TypedDict):
    """What the database holds of a page's publication state before the row is written."""

    live: bool
    live_revision_id: int | None
    alias_of_id: int | None


@receiver(pre_save, dispatch_uid="quality_gate_live_revision_guard")
def guard_live_revision(
    sender: type[Any],
    instance: object,
    raw: bool = False,
    update_fields: frozenset[str] | None = None,
    **kwargs: Any,
) -> None:
    """Refuse storing a live governed page other than as its own gate-passed live revision."""
    if raw or not isinstance(instance, GovernedPage) or not instance.live:
        return
    written = set(update_fields) if update_fields is not None else None
    if written is not None and written <= BOOKKEEPING_KEYS - _LIVE_FIELDS:
        return  # locks, timestamps, latest revision: nothing the public sees changes
    stored: _StoredLiveState | None = None
    if instance.pk is not None and not instance._state.adding:
        stored = (
            Page.objects.filter(pk=instance.pk)
            .values("live", "live_revision_id", "alias_of_id")
            .first()
        )
    writes_alias = written is None or bool({"alias_of", "alias_of_id"} & written)
    if instance.alias_of_id or (stored and stored["alias_of_id"] and not writes_alias):
        return  # an alias mirrors a page that went live through the gate
    if stored is None:
        copied = instance.live_revision_id is not None
        _refuse(instance, [COPY_KEPT_LIVE if copied else NEW_PAGE_LIVE])
    if stored["alias_of_id"]:
        _refuse(instance, [ALIAS_CONVERSION_REFUSED])
    revision = instance.live_revision if instance.live_revision_id else None
    if revision is None or str(revision.object_id) != str(instance.pk):
        _refuse(instance, [NOT_ITS_OWN_REVISION])
    newly_live = not stored["live"] or stored["live_revision_id"] != instance.live_revision_id
    if newly_live and not gate_let_through(revision_id=revision.pk):
        decision = gate_decision(revision)
        if not decision.allowed:
            _refuse(instance, decision.unmet, revision)
    if _differs_from_revision(instance, revision, written):
        _refuse(instance, [LIVE_CONTENT_CHANGED])
