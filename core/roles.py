"""The admin groups of DESIGN.md and the permissions each one gets.

Page permissions are granted on the root of the hub's tree; model permissions are named as
"app_label.codename". `ensure_groups` makes the database match this file and reports what changed.
"""

from dataclasses import dataclass, field

from django.contrib.auth.models import Group, Permission

from wagtail.models import Collection, GroupCollectionPermission, GroupPagePermission, Page

EDITOR = "Redacteur"
REVIEWER = "Kwaliteitsbewaker"
COORDINATOR = "Coördinator"
ADMINISTRATOR = "Beheerder"

ADMIN_ACCESS = "wagtailadmin.access_admin"
DOCUMENT_PERMS = ["add_document", "change_document", "choose_document"]
IMAGE_PERMS = ["add_image", "change_image", "choose_image"]
# The quality framework: reviewers and coordinators read it and its assessments; the Beheerder
# manages its versions. Assessments are append-only, so nobody gets to change them.
QUALITY_READ = ["quality.view_qualityframeworkversion", "quality.view_qualityassessment"]
QUALITY_MANAGE = QUALITY_READ + [
    "quality.add_qualityframeworkversion",
    "quality.change_qualityframeworkversion",
    "quality.delete_qualityframeworkversion",
    "quality.publish_qualityframeworkversion",  # adopt (vaststellen) a draft version
]
# The coordinator owns the hub's operations: pilots, specialists, signals, consultations.
OPERATIONS_PERMS = [
    f"operations.{action}_{model}"
    for model in (
        "pilot",
        "specialist",
        "certification",
        "knowledgesignal",
        "partnerconsultation",
        "nationalpartner",
    )
    for action in ("add", "change", "delete", "view")
] + ["operations.view_hub_reports"]


# Editors promote a product for a query (Wagtail's search promotions); the Coördinator also
# keeps the synonym list and reads the search analytics.
SEARCH_PROMOTION = [
    f"wagtailsearchpromotions.{action}_{model}"
    for model in ("query", "searchpromotion")
    for action in ("add", "change", "delete", "view")
]
SEARCH_MANAGEMENT = [
    "hubsearch.add_searchsynonym",
    "hubsearch.change_searchsynonym",
    "hubsearch.delete_searchsynonym",
    "hubsearch.view_searchsynonym",
    "hubsearch.view_searchquerystat",
]


@dataclass(frozen=True)
class Role:
    name: str
    page_permissions: list[str] = field(default_factory=list)
    model_permissions: list[str] = field(default_factory=list)
    document_permissions: list[str] = field(default_factory=list)
    image_permissions: list[str] = field(default_factory=list)


ROLES: list[Role] = [
    Role(
        name=EDITOR,
        # Editors write and submit; they never get "publish".
        page_permissions=["add_page", "change_page", "lock_page"],
        model_permissions=[
            ADMIN_ACCESS,
            "content.view_targetgroup",
            *SEARCH_PROMOTION,
        ],
        document_permissions=DOCUMENT_PERMS,
        image_permissions=IMAGE_PERMS,
    ),
    Role(
        name=REVIEWER,
        # Reviewers open pages to judge them; their approvals run through the workflow.
        page_permissions=["change_page"],
        model_permissions=[ADMIN_ACCESS, "content.view_targetgroup", *QUALITY_READ],
        document_permissions=["choose_document"],
        image_permissions=["choose_image"],
    ),
    Role(
        name=COORDINATOR,
        page_permissions=[
            "add_page",
            "change_page",
            "publish_page",
            "lock_page",
            "unlock_page",
            "bulk_delete_page",
        ],
        model_permissions=[
            ADMIN_ACCESS,
            *SEARCH_PROMOTION,
            *SEARCH_MANAGEMENT,
            "content.add_targetgroup",
            "content.change_targetgroup",
            "content.view_targetgroup",
            "content.delete_targetgroup",
            *OPERATIONS_PERMS,
            *QUALITY_READ,
        ],
        document_permissions=DOCUMENT_PERMS + ["delete_document"],
        image_permissions=IMAGE_PERMS + ["delete_image"],
    ),
    Role(
        name=ADMINISTRATOR,
        # Publication is the Coördinator's (DESIGN.md): the Beheerder may write and unlock pages
        # but not publish, unpublish, move or delete what is live (separation of duties).
        page_permissions=[
            "add_page",
            "change_page",
            "lock_page",
            "unlock_page",
        ],
        model_permissions=[
            ADMIN_ACCESS,
            "auth.add_user",
            "auth.change_user",
            "auth.delete_user",
            "auth.view_user",
            "auth.add_group",
            "auth.change_group",
            "auth.delete_group",
            "auth.view_group",
            "wagtailcore.add_site",
            "wagtailcore.change_site",
            "wagtailcore.view_site",
            "wagtailcore.add_workflow",
            "wagtailcore.change_workflow",
            "wagtailcore.add_task",
            "wagtailcore.change_task",
            "content.add_targetgroup",
            "content.change_targetgroup",
            "content.view_targetgroup",
            "content.delete_targetgroup",
            *QUALITY_MANAGE,
            # django-axes' sign-in attempts: read them, delete one to lift a lock.
            "axes.view_accessattempt",
            "axes.delete_accessattempt",
        ],
        document_permissions=DOCUMENT_PERMS + ["delete_document"],
        image_permissions=IMAGE_PERMS + ["delete_image"],
    ),
]


def _permission(dotted: str) -> Permission:
    app_label, codename = dotted.split(".", 1)
    return Permission.objects.get(content_type__app_label=app_label, codename=codename)


def ensure_groups(root_page: Page) -> list[str]:
    """Create the role groups and grant their permissions; return a line per changed group."""
    changes: list[str] = []
    root_collection = Collection.get_first_root_node()
    for role in ROLES:
        group, created = Group.objects.get_or_create(name=role.name)
        granted = 0
        wanted = {_permission(p) for p in role.model_permissions}
        missing = wanted - set(group.permissions.all())
        if missing:
            group.permissions.add(*missing)
            granted += len(missing)
        for codename in role.page_permissions:
            permission = _permission(f"wagtailcore.{codename}")
            _, made = GroupPagePermission.objects.get_or_create(
                group=group, page=root_page, permission=permission
            )
            granted += made
        for app_label, codenames in (
            ("wagtaildocs", role.document_permissions),
            ("wagtailimages", role.image_permissions),
        ):
            for codename in codenames:
                _, made = GroupCollectionPermission.objects.get_or_create(
                    group=group,
                    collection=root_collection,
                    permission=_permission(f"{app_label}.{codename}"),
                )
                granted += made
        if created:
            changes.append(f"Groep {role.name} aangemaakt met {granted} rechten")
        elif granted:
            changes.append(f"Groep {role.name}: {granted} rechten toegevoegd")
    return changes


# What Wagtail's own migrations create and the hub does not use: two groups with page rights on the
# tree's root, and the workflow "Moderators approval" on that root. Publication is the
# Coördinator's (see docs/security-authentication.md), so they are removed.
WAGTAIL_DEFAULT_GROUPS = ("Moderators", "Editors")
WAGTAIL_DEFAULT_WORKFLOW = "Moderators approval"


def remove_wagtail_defaults(
    *, Group, Workflow, WorkflowPage, WorkflowState, Task, TaskState
) -> list[str]:
    """Remove Wagtail's default groups and root workflow; return a line per change.

    Takes the models as arguments so that the data migration runs it on its historical models.
    A workflow or task with history is deactivated instead of deleted (the history stays)."""
    from django.utils import timezone

    changes: list[str] = []
    root_assignments = WorkflowPage.objects.filter(page__depth=1)
    if root_assignments.exists():
        root_assignments.delete()
        changes.append("Standaardworkflow van Wagtail op de boomwortel verwijderd")
    for workflow in Workflow.objects.filter(name=WAGTAIL_DEFAULT_WORKFLOW):
        running = WorkflowState.objects.filter(workflow=workflow, status="in_progress")
        TaskState.objects.filter(workflow_state__in=running, status="in_progress").update(
            status="cancelled", finished_at=timezone.now()
        )
        running.update(status="cancelled")
        if WorkflowState.objects.filter(workflow=workflow).exists():
            if workflow.active:
                workflow.active = False
                workflow.save(update_fields=["active"])
                changes.append(f"Workflow {workflow.name} gedeactiveerd")
        else:
            workflow.delete()
            changes.append(f"Workflow {WAGTAIL_DEFAULT_WORKFLOW} verwijderd")
    for task in Task.objects.filter(name=WAGTAIL_DEFAULT_WORKFLOW):
        if TaskState.objects.filter(task=task).exists():
            if task.active:
                task.active = False
                task.save(update_fields=["active"])
                changes.append(f"Taak {task.name} gedeactiveerd")
        else:
            task.delete()
            changes.append(f"Taak {WAGTAIL_DEFAULT_WORKFLOW} verwijderd")
    for group in Group.objects.filter(name__in=WAGTAIL_DEFAULT_GROUPS):
        group.delete()
        changes.append(f"Wagtails standaardgroep {group.name} verwijderd")
    return changes
