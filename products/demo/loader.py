"""Load the demo hub: target groups, development lines, the innovation agenda and the products.

The content lives next to this module: `lines.json` (target groups, development lines, agenda),
`products.json` (the products, in the import format of products/importexport) with their download
files under `files/`, and `related.json` (related products). Everything goes live the way the
hub's one rule allows: the demo editor makes each revision and the demo quality reviewer assesses
and publishes it through `publish_migrated_revision`. A part that already exists is left alone,
so a second run changes nothing and never overwrites what someone edited in the demo.
"""

import datetime
import json
import shutil
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.contrib.auth import get_user_model
from django.utils import timezone

from wagtail.models import Revision
from wagtail.rich_text import RichText

from products.importexport.importing import import_products
from products.importexport.report import ProductImportError
from products.models import (
    AgendaPriority,
    DevelopmentLineIndexPage,
    DevelopmentLinePage,
    HomePage,
    InnovationAgendaPage,
    Milestone,
    ProductPage,
    RelatedProduct,
    TargetGroup,
)
from quality.gate import (
    QualityGateRefused,
    blocking_failures,
    describe_failure,
    evaluate_page,
    framework_in_force,
)
from quality.models import AssessmentSource, CriterionKind
from quality.selectors import live_pages_needing_reassessment
from quality.services import Judgement, assess_revision, publish_migrated_revision

DEMO_DIR = Path(__file__).resolve().parent
LINES_FILE = DEMO_DIR / "lines.json"
PRODUCTS_FILE = DEMO_DIR / "products.json"
RELATED_FILE = DEMO_DIR / "related.json"
FILES_DIR = DEMO_DIR / "files"

AUTHOR_USERNAME = "redacteur"
REVIEWER_USERNAME = "kwaliteit"
REVIEW_NOTE = "Demo-inhoud, beoordeeld bij het inrichten van de hub"

# Products that stay drafts besides every `idee`: still being written by their line.
DRAFT_SLUGS = frozenset({"training-scenariodenken-bestuurders"})
# A live product whose editor is already working on the next version (an unpublished revision).
PENDING_CHANGE = {
    "slug": "handreiking-begeleiding-naar-regulier-werk",
    "version": "1.2",
    "change_note": "Versie 1.2 (concept): stap over nazorg na de overstap toegevoegd.",
    "extra_step": {
        "title": "Zorg voor nazorg",
        "description": "<p>De jobcoach belt de eerste drie maanden elke maand met werknemer en "
        "werkgever. Na een jaar volgt een evaluatiegesprek.</p>",
        "duration": "twaalf maanden",
    },
}


@dataclass(frozen=True)
class DemoUsers:
    """The demo editor who writes the content and the demo reviewer who assesses it."""

    author: Any
    reviewer: Any


def load_demo_hub() -> list[str]:
    """Create whatever part of the demo hub is missing; return a Dutch line per change."""
    users = _demo_users()
    hub = json.loads(LINES_FILE.read_text(encoding="utf-8"))
    changes: list[str] = []
    changes += ensure_target_groups(hub["targetGroups"])
    changes += ensure_development_lines(hub["developmentLines"], users=users)
    changes += ensure_agenda(hub["agenda"], users=users)
    changes += ensure_products(users=users)
    return changes


def _demo_users() -> DemoUsers:
    User = get_user_model()
    try:
        return DemoUsers(
            author=User.objects.get(username=AUTHOR_USERNAME),
            reviewer=User.objects.get(username=REVIEWER_USERNAME),
        )
    except User.DoesNotExist:
        raise RuntimeError(
            f"De demohub heeft de demogebruikers '{AUTHOR_USERNAME}' en '{REVIEWER_USERNAME}' "
            "nodig; voer bootstrap_hub --demo uit."
        ) from None


# Target groups


def ensure_target_groups(specs: list[dict]) -> list[str]:
    """The demo target groups, created by slug when missing."""
    created = 0
    for spec in specs:
        _group, was_created = TargetGroup.objects.get_or_create(
            slug=spec["slug"], defaults={"name": spec["name"], "description": spec["description"]}
        )
        created += was_created
    return [f"Demohub: {created} doelgroepen aangemaakt"] if created else []


# Development lines and the agenda


def _publish(revision: Revision, *, users: DemoUsers) -> str | None:
    """Assess and publish `revision` as the demo reviewer; the refusal's text when refused."""
    try:
        publish_migrated_revision(revision=revision, reviewer=users.reviewer, note=REVIEW_NOTE)
    except QualityGateRefused as refusal:
        return "; ".join(refusal.messages)
    return None


def ensure_development_lines(specs: list[dict], *, users: DemoUsers) -> list[str]:
    """The demo development lines under the line overview, published when missing."""
    index = DevelopmentLineIndexPage.objects.first()
    if index is None:
        raise RuntimeError("Het overzicht ontwikkellijnen ontbreekt; voer bootstrap_hub uit.")
    existing = set(DevelopmentLinePage.objects.values_list("slug", flat=True))
    changes: list[str] = []
    created = published = 0
    for spec in specs:
        if spec["slug"] in existing:
            continue
        line = DevelopmentLinePage(
            title=spec["title"],
            slug=spec["slug"],
            summary=spec["summary"],
            goal=spec["goal"],
            lead=spec["lead"],
            status=spec["status"],
            live=False,
            owner=users.author,
        )
        line.milestones = [
            Milestone(
                title=milestone["title"],
                planned_quarter=milestone["plannedQuarter"],
                status=milestone["status"],
                sort_order=order,
            )
            for order, milestone in enumerate(spec["milestones"])
        ]
        index.add_child(instance=line)
        revision = line.save_revision(user=users.author, log_action=True)
        created += 1
        refused = _publish(revision, users=users)
        if refused:
            changes.append(f"Demohub: ontwikkellijn '{line.title}' blijft concept: {refused}")
        else:
            published += 1
    if created:
        changes.insert(
            0, f"Demohub: {created} ontwikkellijnen aangemaakt, {published} gepubliceerd"
        )
    return changes


def ensure_agenda(spec: dict, *, users: DemoUsers) -> list[str]:
    """The innovation agenda 2026-2027 with its priorities under the home page, published."""
    if InnovationAgendaPage.objects.filter(slug=spec["slug"]).exists():
        return []
    home = HomePage.objects.first()
    if home is None:
        raise RuntimeError("De homepagina ontbreekt; voer bootstrap_hub uit.")
    lines = {line.slug: line for line in DevelopmentLinePage.objects.all()}
    agenda = InnovationAgendaPage(
        title=spec["title"],
        slug=spec["slug"],
        period_start=spec["periodStart"],
        period_end=spec["periodEnd"],
        intro=spec["intro"],
        live=False,
        owner=users.author,
    )
    agenda.priorities = [
        AgendaPriority(
            title=item["title"],
            description=item["description"],
            owner=item["owner"],
            planned_quarter=item["plannedQuarter"],
            status=item["status"],
            steering_mechanism=item["steeringMechanism"],
            development_lines=[lines[slug] for slug in item["developmentLines"] if slug in lines],
            sort_order=order,
        )
        for order, item in enumerate(spec["priorities"])
    ]
    home.add_child(instance=agenda)
    revision = agenda.save_revision(user=users.author, log_action=True)
    refused = _publish(revision, users=users)
    count = len(spec["priorities"])
    if refused:
        return [f"Demohub: {agenda.title} met {count} prioriteiten blijft concept: {refused}"]
    return [f"Demohub: {agenda.title} met {count} prioriteiten aangemaakt en gepubliceerd"]


# Products


def current_review_date(value: str, *, today: datetime.date) -> str:
    """`value` moved forward by whole years until it lies after `today`, so a demo loaded
    long after it was written still plans its reviews in the future (as the hub requires)."""
    date = datetime.date.fromisoformat(value)
    while date <= today:
        try:
            date = date.replace(year=date.year + 1)
        except ValueError:  # 29 February
            date = date.replace(year=date.year + 1, day=28)
    return date.isoformat()


def ensure_products(*, users: DemoUsers) -> list[str]:
    """Import the demo products that do not exist yet and publish the ones meant to be live."""
    records = json.loads(PRODUCTS_FILE.read_text(encoding="utf-8"))
    existing = set(ProductPage.objects.values_list("slug", flat=True))
    missing = [record for record in records if record["slug"] not in existing]
    if not missing:
        return []
    today = timezone.localdate()
    for record in missing:
        if record.get("nextReviewDate"):
            record["nextReviewDate"] = current_review_date(record["nextReviewDate"], today=today)
    with tempfile.TemporaryDirectory(prefix="hubcms-demo-") as folder:
        # The import reads download paths relative to the file it imports.
        shutil.copytree(FILES_DIR, Path(folder) / FILES_DIR.name)
        import_file = Path(folder) / PRODUCTS_FILE.name
        import_file.write_text(json.dumps(missing, ensure_ascii=False), encoding="utf-8")
        report = import_products(import_file, user=users.author)
    if not report.ok:
        raise ProductImportError(report)
    created = {item.slug: item.page for item in report.records if item.outcome == "created"}
    to_publish = [slug for slug in _meant_to_be_live(missing) if slug in created]
    publisher = _ProductPublisher(
        related=json.loads(RELATED_FILE.read_text(encoding="utf-8")),
        will_be_live=set(to_publish),
        users=users,
    )
    publisher.publish_all([created[slug] for slug in to_publish])
    for slug, page in created.items():
        if slug not in to_publish:  # drafts link their related products too
            publisher.link_related(page)
    if PENDING_CHANGE["slug"] in publisher.published:
        _start_next_version(created[PENDING_CHANGE["slug"]], users=users)
    # What was refused here is tried again, and reported, by `publish_waiting_demo_products`.
    return [
        f"Demohub: {len(created)} producten geïmporteerd, {len(publisher.published)} gepubliceerd"
    ]


def _meant_to_be_live(records: list[dict]) -> list[str]:
    """The slugs of the demo products that go live: all but the ideas and DRAFT_SLUGS."""
    return [
        record["slug"]
        for record in records
        if record["lifecycleStatus"] != "idee" and record["slug"] not in DRAFT_SLUGS
    ]


def publish_waiting_demo_products() -> list[str]:
    """Publish the demo products meant to be live that the gate refused while they loaded.

    On a hub set up before the demo, the framework version in force (1.1) asks for the pilots and
    specialists that the demo operations add only after the products: the products then wait as
    drafts, and go live here, through the same assessment and gate as a fresh demo. Only a
    product that never went live and that nobody but the demo editor changed is published.
    """
    records = json.loads(PRODUCTS_FILE.read_text(encoding="utf-8"))
    users = _demo_users()
    waiting = [
        page
        for page in ProductPage.objects.filter(
            slug__in=_meant_to_be_live(records), live=False, first_published_at__isnull=True
        ).order_by("path")
        if not Revision.objects.for_instance(page).exclude(user=users.author).exists()
        and not page.workflow_in_progress
    ]
    if not waiting:
        return []
    publisher = _ProductPublisher(
        related=json.loads(RELATED_FILE.read_text(encoding="utf-8")),
        will_be_live={page.slug for page in waiting},
        users=users,
    )
    publisher.publish_all(waiting)
    pending = next((p for p in waiting if p.slug == PENDING_CHANGE["slug"]), None)
    if pending is not None and pending.slug in publisher.published:
        _start_next_version(pending, users=users)
    changes = []
    if publisher.published:
        changes.append(
            f"Demohub: {len(publisher.published)} producten gepubliceerd nu hun pilots en "
            "specialisten er zijn"
        )
    titles = {page.slug: page.title for page in waiting}
    changes += [
        f"Demohub: product '{titles[slug]}' blijft concept: {reason}"
        for slug, reason in publisher.refused.items()
    ]
    return changes


class _ProductPublisher:
    """Publishes products so that a related product is live before a link to it goes live.

    The hub refuses a link to an unpublished product, so products go live in an order where
    their related products come first. Where links form a cycle, a product goes live with the
    links that can already be made and gets the rest in a second revision at the end.
    """

    def __init__(self, *, related: dict[str, list[str]], will_be_live: set[str], users: DemoUsers):
        self.related = related
        self.users = users
        self.live = set(ProductPage.objects.live().values_list("slug", flat=True))
        self.will_be_live = will_be_live | self.live
        self.published: set[str] = set()
        self.refused: dict[str, str] = {}

    def wanted(self, slug: str) -> list[str]:
        return [target for target in self.related.get(slug, []) if target in self.will_be_live]

    def publish_all(self, pages: list[ProductPage]) -> None:
        pending = list(pages)
        incomplete: list[ProductPage] = []
        while pending:
            page = min(
                pending,
                key=lambda p: sum(target not in self.live for target in self.wanted(p.slug)),
            )
            pending.remove(page)
            if any(target not in self.live for target in self.wanted(page.slug)):
                incomplete.append(page)
            self.publish(page)
        for page in incomplete:
            if page.slug in self.published:
                self.publish(page)

    def link_related(self, page: ProductPage) -> Revision:
        """The latest revision of `page`, with a new one first if it gains related products."""
        page = ProductPage.objects.get(pk=page.pk)
        targets = [slug for slug in self.related.get(page.slug, []) if slug in self.live]
        draft = page.get_latest_revision_as_object()
        linked = [link.related.slug for link in draft.related_products.all()]
        if linked == targets:
            return page.latest_revision
        by_slug = {p.slug: p for p in ProductPage.objects.filter(slug__in=targets)}
        draft.related_products = [
            RelatedProduct(related=by_slug[slug], sort_order=order)
            for order, slug in enumerate(targets)
        ]
        return draft.save_revision(user=self.users.author, log_action=True)

    def publish(self, page: ProductPage) -> None:
        refused = _publish(self.link_related(page), users=self.users)
        if refused:
            self.refused[page.slug] = refused
            self.published.discard(page.slug)
        else:
            self.live.add(page.slug)
            self.published.add(page.slug)


def _start_next_version(page: ProductPage, *, users: DemoUsers) -> None:
    """Leave an unpublished next version on a live product, as an editor at work would."""
    draft = ProductPage.objects.get(pk=page.pk).get_latest_revision_as_object()
    draft.version = PENDING_CHANGE["version"]
    draft.change_note = PENDING_CHANGE["change_note"]
    step = dict(PENDING_CHANGE["extra_step"])
    step["description"] = RichText(step["description"])
    draft.aanpak.append(("step", step))
    draft.save_revision(user=users.author, log_action=True)


# The framework version in force


def assess_demo_under_framework_in_force() -> list[str]:
    """The demo reviewer assesses the demo's live pages under the framework version in force.

    The demo content goes live under 1.0; version 1.1 is adopted afterwards, because its criteria
    read the pilots and certifications that the demo operations attach to the live products. So
    that the demo hub starts consistent with its own framework (nothing on the reassessment report
    for this reason), each live page the demo editor wrote is assessed again, through the normal
    service, when it meets every blocking criterion of the version in force. A page someone else
    made live, or one that does not meet that version, stays on the report.
    """
    version = framework_in_force()
    if version is None:
        return []
    users = _demo_users()
    changes: list[str] = []
    assessed = 0
    for page in live_pages_needing_reassessment():
        if page.assessed_current:  # listed only for its review date
            continue
        revision = page.live_revision
        if revision is None or revision.user_id != users.author.pk:
            continue
        outcomes = evaluate_page(revision.as_object(), version=version)
        unmet = [describe_failure(outcome) for outcome in blocking_failures(outcomes)]
        if unmet:
            changes.append(
                f"Demohub: '{page.title}' voldoet niet aan kwaliteitskader v{version.version} "
                f"en staat bij Opnieuw te toetsen: {'; '.join(unmet)}"
            )
            continue
        judgements = {
            outcome.criterion.code: Judgement(True, REVIEW_NOTE)
            for outcome in outcomes
            if outcome.criterion.kind == CriterionKind.MANUAL
        }
        assess_revision(
            revision=revision,
            reviewer=users.reviewer,
            judgements=judgements,
            note=REVIEW_NOTE,
            source=AssessmentSource.MIGRATION,
        )
        assessed += 1
    if assessed:
        changes.insert(
            0,
            f"Demohub: {assessed} gepubliceerde pagina's getoetst aan kwaliteitskader "
            f"v{version.version}",
        )
    return changes
