"""Set up a hub: the site tree, the role groups and, on request, the demo hub.

Every step is idempotent and returns a line per change, so a second run can say that nothing
changed. Steps that need the demo users or content run only with `demo=True`.
"""

from collections.abc import Callable

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.db import transaction

from wagtail.models import Page, Site

from core import roles
from operations.demo import load_demo_operations as load
from operations.quality_checks import ensure_framework_v1_1
from products.demo.loader import load_demo_hub
from products.demo.loader import publish_waiting_demo_products as publish_waiting
from products.models import (
    DevelopmentLineIndexPage,
    HomePage,
    InformationPage,
    ProductLibraryPage,
)
from quality.framework import ensure_framework_v1
from quality.workflow import ensure_quality_workflow as ensure_workflow

Step = Callable[[], list[str]]

# (username, password, e-mail, full name, group). The passwords are in the README: demo only.
DEMO_USERS = [
    ("redacteur", "demo-Redacteur-2026", "redacteur@demo.hub", "Ruben Redacteur", roles.EDITOR),
    (
        "kwaliteit",
        "demo-Kwaliteit-2026",
        "kwaliteit@demo.hub",
        "Karin Kwaliteitsbewaker",
        roles.REVIEWER,
    ),
    (
        "kwaliteit2",
        "demo-Kwaliteit2-2026",
        "kwaliteit2@demo.hub",
        "Koen Kwaliteitsbewaker",
        roles.REVIEWER,
    ),
    (
        "coordinator",
        "demo-Coordinator-2026",
        "coordinator@demo.hub",
        "Carla Coördinator",
        roles.COORDINATOR,
    ),
    (
        "beheerder",
        "demo-Beheerder-2026",
        "beheerder@demo.hub",
        "Bram Beheerder",
        roles.ADMINISTRATOR,
    ),
]


def home_page() -> HomePage | None:
    """The hub's home page, if the tree has been set up."""
    return HomePage.objects.first()


def ensure_site_tree() -> list[str]:
    """The home page as the default site's root, the product library and the line overview."""
    changes: list[str] = []
    root = Page.get_first_root_node()
    # Wagtail's own welcome page (and the site pointing at it) is not part of the hub.
    for stray in Page.objects.filter(depth=2, content_type__app_label="wagtailcore"):
        stray.delete()
        changes.append("Wagtails welkomstpagina verwijderd")
    home = home_page()
    if home is None:
        home = root.add_child(
            instance=HomePage(
                title="Innovatiehub Sociale Infrastructuur",
                slug="home",
                intro="De Innovatiehub ontwikkelt, borgt en verspreidt producten waarmee gemeenten "
                "en sociaal ontwikkelbedrijven samen een toekomstbestendige sociale "
                "infrastructuur bouwen.",
            )
        )
        changes.append("Homepagina aangemaakt")
    site = Site.objects.filter(is_default_site=True).first()
    if site is None:
        Site.objects.create(
            hostname="localhost",
            port=80,
            root_page=home,
            is_default_site=True,
            site_name="Innovatiehub Sociale Infrastructuur",
        )
        changes.append("Site aangemaakt")
    elif site.root_page_id != home.pk:
        site.root_page = home
        site.site_name = "Innovatiehub Sociale Infrastructuur"
        site.save()
        changes.append("Site wijst naar de homepagina")
    if not ProductLibraryPage.objects.exists():
        home.add_child(
            instance=ProductLibraryPage(
                title="Productbibliotheek",
                slug="productbibliotheek",
                intro="Zoek in de scans, formats, werkvormen, instrumenten, ontwikkelmodules, "
                "trainingen en handreikingen van de Innovatiehub.",
            )
        )
        changes.append("Productbibliotheek aangemaakt")
    if not DevelopmentLineIndexPage.objects.exists():
        home.add_child(
            instance=DevelopmentLineIndexPage(
                title="Ontwikkellijnen",
                slug="ontwikkellijnen",
                intro="Een ontwikkellijn is een samenhangende reeks producten rond één opgave "
                "van de sociale infrastructuur.",
            )
        )
        changes.append("Overzicht ontwikkellijnen aangemaakt")
    if not InformationPage.objects.filter(slug="toegankelijkheid").exists():
        home.add_child(
            instance=InformationPage(
                title="Toegankelijkheidsverklaring",
                slug="toegankelijkheid",
                intro="De Innovatiehub wil dat iedereen deze website kan gebruiken.",
                body=ACCESSIBILITY_STATEMENT,
            )
        )
        changes.append("Toegankelijkheidsverklaring aangemaakt")
    return changes


ACCESSIBILITY_STATEMENT = """
<h2>Wat wij doen</h2>
<p>Deze website is gebouwd met de componenten van het NL Design System en wordt getoetst aan de
Web Content Accessibility Guidelines (WCAG) 2.1 op niveau AA, zoals het Besluit digitale
toegankelijkheid overheid vraagt. Bij elke wijziging controleren we alle paginasoorten
automatisch met axe-core en lopen we de belangrijkste taken met alleen het toetsenbord door.</p>
<h2>Status</h2>
<p>De website voldoet volgens onze eigen toetsing aan WCAG 2.1 niveau AA. Een onafhankelijk
onderzoek is gepland.</p>
<h2>Ziet u iets dat niet werkt?</h2>
<p>Meld het ons via het formulier voor kennissignalen of per e-mail aan
innovatiehub@vng.example. U krijgt binnen vijf werkdagen antwoord.</p>
"""


def ensure_role_groups() -> list[str]:
    """The groups Redacteur, Kwaliteitsbewaker, Coördinator and Beheerder with their rights."""
    home = home_page()
    assert home is not None, "ensure_site_tree runs first"
    return roles.ensure_groups(home)


def remove_wagtail_defaults() -> list[str]:
    """Wagtail's leftover groups Moderators and Editors and its workflow on the root are gone."""
    from wagtail.models import Task, TaskState, Workflow, WorkflowPage, WorkflowState

    return roles.remove_wagtail_defaults(
        Group=Group,
        Workflow=Workflow,
        WorkflowPage=WorkflowPage,
        WorkflowState=WorkflowState,
        Task=Task,
        TaskState=TaskState,
    )


def ensure_demo_users() -> list[str]:
    """A demo user for each role; prints the password only when the user is created."""
    changes: list[str] = []
    User = get_user_model()
    for username, password, email, full_name, group_name in DEMO_USERS:
        if User.objects.filter(username=username).exists():
            continue
        first, _, last = full_name.partition(" ")
        user = User.objects.create_user(
            username=username, password=password, email=email, first_name=first, last_name=last
        )
        user.groups.add(Group.objects.get(name=group_name))
        changes.append(
            f"Demogebruiker {username} ({group_name}) aangemaakt, wachtwoord: {password}"
        )
    return changes


def load_demo_content() -> list[str]:
    """The demo hub: development lines, products and the innovation agenda."""

    return load_demo_hub()


def ensure_quality_framework() -> list[str]:
    """Version 1.0 of the quality framework (kwaliteitskader) with its criteria."""

    return ensure_framework_v1()


def ensure_quality_workflow() -> list[str]:
    """The workflow Kwaliteitsborging, assigned to the library, the lines and the agenda."""

    return ensure_workflow()


def load_demo_operations() -> list[str]:
    """The demo hub's pilots, specialists, certifications, signals and consultations."""

    return load()


def publish_waiting_demo_products() -> list[str]:
    """Demo products the gate refused before their pilots and specialists existed, published."""
    return publish_waiting()


def ensure_quality_framework_v1_1() -> list[str]:
    """Version 1.1 of the quality framework: 1.0 plus the criteria on pilots and specialists."""

    return ensure_framework_v1_1()


def assess_demo_content() -> list[str]:
    """The demo's live pages assessed under the framework version in force (e.g. 1.1)."""
    from products.demo.loader import assess_demo_under_framework_in_force

    return assess_demo_under_framework_in_force()


# Order matters: the demo content is published under the framework in force when it loads;
# FINAL_STEPS (e.g. a newer framework version) run after it, on every bootstrap.
BASE_STEPS: list[Step] = [
    ensure_site_tree,
    remove_wagtail_defaults,
    ensure_role_groups,
    ensure_quality_framework,
    ensure_quality_workflow,
]
# The demo products that a hub's newer framework kept back go live once their operations exist.
DEMO_STEPS: list[Step] = [
    ensure_demo_users,
    load_demo_content,
    load_demo_operations,
    publish_waiting_demo_products,
]
# The quality workflow runs again at the end so that a demo agenda gets it assigned too.
FINAL_STEPS: list[Step] = [ensure_quality_workflow, ensure_quality_framework_v1_1]
# After the newest framework version: the demo's live pages get assessed under it.
DEMO_FINAL_STEPS: list[Step] = [assess_demo_content]


def bootstrap_hub(*, demo: bool = False) -> list[str]:
    """Run every step (and the demo steps when asked); return the changes made."""
    changes: list[str] = []
    with transaction.atomic():
        steps = BASE_STEPS + (DEMO_STEPS if demo else []) + FINAL_STEPS
        for step in steps + (DEMO_FINAL_STEPS if demo else []):
            changes.extend(step())
    return changes
