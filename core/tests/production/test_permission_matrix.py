"""The permission matrix: every role of DESIGN.md and the anonymous visitor × every admin action.

Each probe does the action through the real Wagtail admin view, on fresh content, and reports
whether it happened. The expected table is DESIGN.md's: editors write and submit but never publish;
a Kwaliteitsbewaker reviews (never their own work) and does not approve or publish; the Coördinator
gives the final approval, publishes and unpublishes and reads the quarterly report; only the
Beheerder manages users and the quality framework's versions. Report exports are made in the
background and downloaded only by whoever asked for them.
"""

from collections.abc import Callable

from django.contrib.auth.models import AnonymousUser
from django.core.files.base import ContentFile
from django.test import Client
from django.urls import reverse

from wagtail.models import Page, TaskState, WorkflowState

import pytest

from conftest import make_user
from core import roles
from core.exports.models import ReportExport
from hubcms.testing.factories import ProductPageFactory
from hubcms.testing.publishing import publish
from products.models import ProductLibraryPage, ProductPage
from products.tests.test_admin_editing import product_form

ANONYMOUS = "anoniem"
E, R, C, B = roles.EDITOR, roles.REVIEWER, roles.COORDINATOR, roles.ADMINISTRATOR
ALL_ROLES = [ANONYMOUS, E, R, C, B]


def allowed_for(*names: str) -> dict[str, bool]:
    return {role: role in names for role in ALL_ROLES}


EXPECTED: dict[str, dict[str, bool]] = {
    "view": allowed_for(E, R, C, B),
    "create": allowed_for(E, C, B),
    "edit": allowed_for(E, R, C, B),
    "submit": allowed_for(E, R, C, B),
    "review": allowed_for(R),
    "approve": allowed_for(C),
    "publish": allowed_for(C),
    "unpublish": allowed_for(C),
    "delete": allowed_for(C),
    "move": allowed_for(C),
    "manage_framework": allowed_for(B),
    "users": allowed_for(B),
    "reports": allowed_for(R, C, B),
    "quarterly_report": allowed_for(C),
    "exports": allowed_for(C),
    "assessment_export": allowed_for(R, C, B),
    "reassessment_export": allowed_for(R, C, B),
    "search_export": allowed_for(C),
    "specialists_export": allowed_for(C),
    "my_exports": allowed_for(E, R, C, B),
    "download_others_export": allowed_for(),
}


class Hub:
    """Fresh content for each probe, made by an editor who is not the user being probed."""

    def __init__(self):
        self.library = ProductLibraryPage.objects.get()
        self.author = make_user("auteur", roles.EDITOR)
        self.reviewer = make_user("toetser", roles.REVIEWER)
        self.coordinator = make_user("eindredacteur", roles.COORDINATOR)
        self.count = 0

    def draft(self) -> ProductPage:
        self.count += 1
        page = ProductPageFactory(
            parent=self.library, title=f"Product {self.count}", owner=self.author, complete=True
        )
        page.save_revision(user=self.author)
        return page

    def live(self) -> ProductPage:
        return publish(self.draft())

    def submitted(self) -> ProductPage:
        """A draft the author submitted; the automatic check has run, the review is open."""
        page = self.draft()
        page.get_workflow().start(page, self.author)
        return page

    def at_final_approval(self) -> tuple[ProductPage, TaskState]:
        from quality.gate import evaluate_page
        from quality.models import CriterionKind
        from quality.services import Judgement
        from quality.workflow import record_review

        page = self.submitted()
        state = review_task_state(page)
        judgements = {
            outcome.criterion.code: Judgement(True, "Voldoet")
            for outcome in evaluate_page(state.revision.as_object())
            if outcome.criterion.kind == CriterionKind.MANUAL
        }
        record_review(task_state=state, reviewer=self.reviewer, judgements=judgements)
        return page, open_task_state(page)


def open_task_state(page: Page) -> TaskState:
    workflow_state = WorkflowState.objects.get(object_id=str(page.pk), status="in_progress")
    return workflow_state.current_task_state.specific


def review_task_state(page: Page) -> TaskState:
    state = open_task_state(page)
    assert type(state.task.specific).__name__ == "QualityReviewTask", state.task
    return state


def ok(response) -> bool:
    """A page the user may see (Wagtail sends refused users to the login or the dashboard)."""
    return response.status_code == 200


def probe_view(client, hub):
    return ok(client.get(reverse("wagtailadmin_explore", args=[hub.library.pk])))


def probe_create(client, hub):
    url = reverse("wagtailadmin_pages:add", args=["content", "productpage", hub.library.pk])
    return ok(client.get(url))


def probe_edit(client, hub):
    page = hub.draft()
    before = page.revisions.count()
    client.post(
        reverse("wagtailadmin_pages:edit", args=[page.pk]),
        product_form(slug=page.slug, title="Nieuw"),
    )
    return page.revisions.count() > before


def probe_submit(client, hub):
    page = hub.draft()
    client.post(
        reverse("wagtailadmin_pages:edit", args=[page.pk]),
        {**product_form(slug=page.slug, title=page.title), "action-submit": "Ter toetsing"},
    )
    return WorkflowState.objects.filter(object_id=str(page.pk)).exists()


def probe_review(client, hub):
    page = hub.submitted()
    response = client.get(reverse("quality_review", args=[review_task_state(page).pk]))
    return ok(response) and "Kwaliteitstoets" in response.content.decode()


def probe_approve(client, hub):
    page, state = hub.at_final_approval()
    url = reverse("wagtailadmin_pages:workflow_action", args=[page.pk, "approve", state.pk])
    client.post(url, {"comment": ""})
    state.refresh_from_db()
    return state.status == TaskState.STATUS_APPROVED


def probe_publish(client, hub):
    page, state = hub.at_final_approval()
    url = reverse("wagtailadmin_pages:workflow_action", args=[page.pk, "approve", state.pk])
    client.post(url, {"comment": ""})
    page.refresh_from_db()
    return page.live


def probe_unpublish(client, hub):
    page = hub.live()
    client.post(reverse("wagtailadmin_pages:unpublish", args=[page.pk]))
    page.refresh_from_db()
    return not page.live


def probe_delete(client, hub):
    page = hub.live()
    client.post(reverse("wagtailadmin_pages:delete", args=[page.pk]))
    return not Page.objects.filter(pk=page.pk).exists()


def probe_move(client, hub):
    page = hub.live()
    return ok(client.get(reverse("wagtailadmin_pages:move", args=[page.pk])))


def probe_manage_framework(client, hub):
    from quality.gate import framework_in_force
    from quality.models import QualityFrameworkVersion

    version = framework_in_force()
    before = QualityFrameworkVersion.objects.count()
    client.post(reverse("quality_new_framework_version", args=[version.pk]))
    return QualityFrameworkVersion.objects.count() > before


def probe_users(client, hub):
    return ok(client.get(reverse("wagtailusers_users:index")))


def probe_reports(client, hub):
    return ok(client.get(reverse("quality_reassessment_report")))


def probe_quarterly_report(client, hub):
    return ok(client.get(reverse("operations_admin:quarterly_report")))


def exported(client, url: str, content_type: str) -> bool:
    """Click an export link; it counts when the file it made can be downloaded (tasks run at once
    in tests; the task checks the requester's permissions again)."""
    last = ReportExport.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
    client.get(url)
    export = ReportExport.objects.filter(pk__gt=last).first()
    if export is None:
        return False
    response = client.get(reverse("report_exports:download", args=[export.pk]))
    return ok(response) and content_type in response["Content-Type"]


def probe_exports(client, hub):
    url = reverse("operations_admin:quarterly_report_xlsx", args=["2026-Q3"])
    return exported(client, url, "spreadsheet")


def probe_assessment_export(client, hub):
    return exported(client, reverse("quality_assessments:index") + "?export=csv", "text/csv")


def probe_reassessment_export(client, hub):
    url = reverse("quality_reassessment_report") + "?export=xlsx"
    return exported(client, url, "spreadsheet")


def probe_search_export(client, hub):
    url = reverse("hubsearch_zero_result_queries") + "?export=csv"
    return exported(client, url, "text/csv")


def probe_specialists_export(client, hub):
    url = reverse("wagtailsnippets_operations_specialist:list") + "?export=csv"
    return exported(client, url, "text/csv")


def probe_my_exports(client, hub):
    response = client.get(reverse("report_exports:index"))
    return ok(response) and "Mijn exports" in response.content.decode()


def probe_download_others_export(client, hub):
    export = ReportExport.objects.create(
        requested_by=hub.coordinator,
        title="Kwartaalrapportage 2026-Q3",
        kind="operations_admin:quarterly_report_xlsx",
        path="/admin/bedrijfsvoering/kwartaalrapportage/2026-Q3.xlsx",
        format="csv",
        status="klaar",
        filename="rapport.csv",
        content_type="text/csv; charset=utf-8",
    )
    export.file.save("rapport.csv", ContentFile(b"geheim"))
    response = client.get(reverse("report_exports:download", args=[export.pk]))
    return ok(response)


PROBES: dict[str, Callable[[Client, Hub], bool]] = {
    name: globals()[f"probe_{name}"] for name in EXPECTED
}


@pytest.mark.django_db
@pytest.mark.parametrize("role", ALL_ROLES)
def test_permission_matrix(role, hub):
    world = Hub()
    client = Client()
    if role != ANONYMOUS:
        client.force_login(make_user(f"gebruiker-{role.lower()}", role))
    actual = {action: PROBES[action](client, world) for action in EXPECTED}
    expected = {action: EXPECTED[action][role] for action in EXPECTED}
    assert actual == expected


@pytest.mark.django_db
def test_a_reviewer_never_reviews_work_they_submitted(hub):
    world = Hub()
    reviewer = make_user("schrijvende-toetser", roles.REVIEWER)
    world.author = reviewer  # the reviewer drafted and submitted this product
    page = world.submitted()
    client = Client()
    client.force_login(reviewer)
    response = client.get(reverse("quality_review", args=[review_task_state(page).pk]), follow=True)
    assert "alleen een kwaliteitsbewaker die de revisie niet" in response.content.decode()
    assert not AnonymousUser().is_authenticated
