"""The quality framework in the Wagtail admin: log actions, friendly gate messages, menus.

The gate itself lives in `quality/gate.py` and holds through the governed pages' own seams
(`quality/pages.py`). The hooks here decide nothing of their own: they ask the same
permission tester *before* Wagtail acts, so that an editor gets a Dutch message naming the unmet
criteria instead of an error, and a refused bulk action changes nothing at all.
"""

from typing import Any

from django.contrib.auth.models import Permission
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import URLPattern, path, reverse

from wagtail import hooks
from wagtail.admin import messages
from wagtail.admin.menu import MenuItem
from wagtail.admin.views.home import WorkflowObjectsToModeratePanel
from wagtail.log_actions import LogFormatter
from wagtail.models import Page
from wagtail.permissions import register_permission_policy

from core.security.redirects import safe_next_url
from quality import admin_messages, admin_views, media_views, views
from quality.admin_api import GatedPagesAdminAPIViewSet
from quality.gate import (
    ALIAS_CONVERSION_REFUSED,
    ASSESSED_ACTION,
    REFUSED_ACTION,
    QualityGateRefused,
    gate_decision,
    is_governed,
    log_refusal,
)
from quality.models import FinalApprovalTask, QualityAssessment
from quality.pages import COPY_KEPT_LIVE
from quality.services import FRAMEWORK_ADOPTED_ACTION

register_permission_policy(
    QualityAssessment, admin_views.ReadOnlyPermissionPolicy(QualityAssessment)
)


@hooks.register("register_log_actions")
def register_quality_log_actions(actions: Any) -> None:
    @actions.register_action(REFUSED_ACTION)
    class GateRefusedFormatter(LogFormatter):
        label = "Kwaliteitskader: publicatie geweigerd"

        def format_message(self, log_entry: Any) -> str:
            unmet = log_entry.data.get("unmet") or []
            return "Publicatie geweigerd door het kwaliteitskader: " + "; ".join(unmet)

    @actions.register_action(FRAMEWORK_ADOPTED_ACTION)
    class FrameworkAdoptedFormatter(LogFormatter):
        label = "Kwaliteitskader vastgesteld"

        def format_message(self, log_entry: Any) -> str:
            data = log_entry.data
            effective = "-".join(reversed(str(data.get("effective_date", "")).split("-")))
            message = (
                f"Kwaliteitskader v{data.get('version')} vastgesteld, geldig vanaf {effective}"
            )
            if data.get("superseded"):
                message += "; vervangt v" + ", v".join(data["superseded"])
            return message

    @actions.register_action(ASSESSED_ACTION)
    class AssessmentFormatter(LogFormatter):
        label = "Kwaliteitskader: kwaliteitstoets"

        def format_message(self, log_entry: Any) -> str:
            data = log_entry.data
            result = "goedgekeurd" if data.get("passed") else "afgekeurd"
            message = (
                f"Kwaliteitstoets onder kwaliteitskader v{data.get('version')}: {result} "
                f"door {data.get('reviewer')}"
            )
            if data.get("failed"):
                message += ". Voldoet niet: " + ", ".join(data["failed"])
            return message

        def format_comment(self, log_entry: Any) -> str:
            return str(log_entry.data.get("note", ""))


def _refusal_message(request: HttpRequest, page: Page, unmet: list[str]) -> None:
    messages.error(
        request,
        f"'{page.get_admin_display_title()}' is niet gepubliceerd: het kwaliteitskader is niet "
        "gehaald.",
    )
    for line in unmet:
        messages.error(request, line)


def _refuse(
    request: HttpRequest, page: Page, revision: Any, unmet: list[str], redirect_to: str
) -> HttpResponse:
    _log_refused(page, unmet, user=request.user, revision=revision)
    _refusal_message(request, page, unmet)
    return redirect(redirect_to)


def _log_refused(page: Page, unmet: list[str], *, user: Any, revision: Any) -> None:
    """Write the gate's refusal of `page` to Wagtail's audit log."""
    refusal = QualityGateRefused(
        page_title=page.get_admin_display_title(), unmet=unmet, page=page, revision=revision
    )
    log_refusal(refusal=refusal, user=user)


def _refused_by_the_gate(page: Page, user: Any) -> list[str]:
    """The gate's reasons why `user`, who has Wagtail's publish permission, may not publish."""
    tester = page.permissions_for_user(user)
    if not tester.can_publish_without_the_gate():
        return []
    unmet: list[str] = tester.publication_unmet
    return unmet


@hooks.register("before_publish_page")
def refuse_unassessed_publish(request: HttpRequest, page: Page) -> HttpResponse | None:
    """The publish button (and scheduling through it) publishes a revision it saved just now:
    the tester is asked about that revision, before Wagtail publishes it."""
    if not is_governed(page):
        return None
    unmet = _refused_by_the_gate(page, request.user)
    if not unmet:
        return None
    return _refuse(
        request,
        page,
        page.get_latest_revision(),
        unmet,
        reverse("wagtailadmin_pages:edit", args=(page.pk,)),
    )


@hooks.register("before_edit_page")
def route_workflow_actions(request: HttpRequest, page: Page) -> HttpResponse | None:
    """Workflow actions from the editor's action menu: open the review form; check final approval.

    The review action opens the quality review form. Final approval is checked against the gate
    first, so that a refusal gives the Coördinator the reasons instead of a plain "saved".
    """
    if request.method != "POST" or not request.POST.get("action-workflow-action"):
        return None
    action = request.POST.get("workflow-action-name")
    task_state = page.current_workflow_task_state
    if task_state is None:
        return None
    # Remembered so that the confirmation after the action can say what it did (HttpRequest has
    # no such attribute in django-stubs).
    request.hubcms_workflow_action = (task_state.pk, action)  # type: ignore[attr-defined]
    if action == "review":
        return redirect("quality_review", task_state.pk)
    if action == "approve" and isinstance(task_state.task.specific, FinalApprovalTask):
        revision = page.get_latest_revision()
        decision = gate_decision(revision)
        if decision.allowed:
            return None
        if _edits_in(request, page):
            # The Coördinator also changed the page: Wagtail saves those edits as a draft instead
            # of acting (`correct_the_submission_message` then shows the gate's reasons).
            _log_refused(page, decision.unmet, user=request.user, revision=revision)
            _refusal_message(request, page, decision.unmet)
            del request.hubcms_workflow_action  # type: ignore[attr-defined]
            request.hubcms_approval_saved_as_draft = True  # type: ignore[attr-defined]
            request.POST = request.POST.copy()  # type: ignore[assignment]
            del request.POST["action-workflow-action"]  # type: ignore[misc]
            return None
        return _refuse(
            request,
            page,
            revision,
            decision.unmet,
            reverse("quality_gate_status", args=(page.pk,)),
        )
    return None


def _edits_in(request: HttpRequest, page: Page) -> bool:
    """Whether the edit form sent with a workflow action changes the latest revision: Wagtail's
    own test (`has_changed`), on the form its edit view builds."""
    latest = page.specific.get_latest_revision_as_object()
    form_class = page.specific_class.get_edit_handler().get_form_class()
    form = form_class(
        request.POST,
        request.FILES,
        instance=latest,
        parent_page=page.get_parent(),
        for_user=request.user,
    )
    return bool(form.has_changed())


@hooks.register("before_edit_page")
def true_workflow_messages_on_the_edit_page(request: HttpRequest, page: Page) -> None:
    """The edit page says why a submission came back, and who may edit during the workflow."""
    if request.method != "GET" or not is_governed(page):
        return None
    admin_messages.show_sent_back_reasons(request, page)
    text = admin_messages.true_lock_message(page)
    if text:
        admin_messages.rewrite_lock_message(request, text)
    return None


@hooks.register("before_create_page")
def create_governed_pages_as_drafts(
    request: HttpRequest, parent_page: Page, page_class: type[Any]
) -> None:
    """'Publish' on a new governed page saves it as a draft: a new page has no assessment yet.

    Wagtail's create view would add the page live before its publish hook runs, and the backstop
    would refuse it; asked here, the editor keeps what they wrote and hears why.
    """
    if request.method == "POST" and request.POST.get("action-publish") and is_governed(page_class):
        # A mutable copy of POST without the publish action, on purpose; django-stubs types
        # request.POST as immutable.
        request.POST = request.POST.copy()  # type: ignore[assignment]
        del request.POST["action-publish"]  # type: ignore[misc]
        request.hubcms_publish_requested = True
    return None


@hooks.register("after_edit_page")
@hooks.register("after_create_page")
def correct_the_submission_message(request: HttpRequest, page: Page) -> HttpResponse | None:
    """'Ter goedkeuring ingediend' only when the automatic check let the submission through;
    after a workflow action, what the action did; after a refused publish, why; after a refused
    approval whose edits were saved, the gate's reasons (the page `quality_gate_status`)."""
    if request.method != "POST" or not is_governed(page):
        return None
    if getattr(request, "hubcms_approval_saved_as_draft", False):
        # Only after Wagtail saved them (an invalid form is shown again, with its errors).
        admin_messages.drop_success_messages(request)
        messages.warning(request, "Uw wijzigingen zijn bewaard als concept.")
        return redirect("quality_gate_status", page.pk)
    acted = getattr(request, "hubcms_workflow_action", None)
    if acted is not None:
        # Wagtail says "gewijzigd" after a workflow action; say what the action did instead.
        admin_messages.drop_success_messages(request)
        task_state_id, action = acted
        admin_messages.workflow_outcome_message(request, task_state_id=task_state_id, action=action)
        return None
    if request.POST.get("action-publish") or getattr(request, "hubcms_publish_requested", False):
        # The tester refused to publish, so Wagtail saved a draft instead: say why.
        unmet = _refused_by_the_gate(page, request.user)
        if unmet:
            _log_refused(page, unmet, user=request.user, revision=page.get_latest_revision())
            _refusal_message(request, page, unmet)
            return None
    return admin_messages.correct_submission_message(request, page)


class OwnWorkExcludedModerationPanel(WorkflowObjectsToModeratePanel):
    """'In afwachting van jouw beoordeling' without the user's own work: only what they may act on."""

    def get_context_data(self, parent_context: Any) -> Any:
        context = super().get_context_data(parent_context)
        context["states"] = [state for state in context["states"] if state["actions"]]
        return context


@hooks.register("construct_homepage_panels")
def exclude_own_work_from_the_review_queue(request: HttpRequest, panels: list[Any]) -> None:
    panels[:] = [
        OwnWorkExcludedModerationPanel() if type(panel) is WorkflowObjectsToModeratePanel else panel
        for panel in panels
    ]


@hooks.register("before_bulk_action")
def refuse_unassessed_bulk_publish(
    request: HttpRequest, action_type: str, objects: list[Any], action_class_instance: Any
) -> HttpResponse | None:
    """Bulk publish refuses (and changes nothing) when the tester refuses any selected page.

    Wagtail itself would leave such pages out and publish the rest without a word.
    """
    if action_type != "publish":
        return None
    _, without_access = action_class_instance.get_actionable_objects()
    without = without_access["items_with_no_access"]
    selected = [*objects, *without]
    include_descendants = request.POST.get("include_descendants")
    refused = []
    for page in selected:
        # The tester already let `objects` through; ask about the others and the descendants.
        candidates = [] if page in objects else [page.specific]
        if include_descendants:
            candidates += list(page.get_descendants().not_live().specific())
        for candidate in candidates:
            if not is_governed(candidate):
                continue
            unmet = _refused_by_the_gate(candidate, request.user)
            if unmet:
                _log_refused(
                    candidate, unmet, user=request.user, revision=candidate.get_latest_revision()
                )
                refused.append((candidate, unmet))
    if not refused:
        return None
    messages.error(
        request,
        "Er is niets gepubliceerd: deze pagina's halen het kwaliteitskader niet. Dien ze in bij "
        "de workflow Kwaliteitsborging.",
    )
    for page, unmet in refused:
        messages.error(request, f"{page.get_admin_display_title()}: " + "; ".join(unmet))
    fallback = reverse("wagtailadmin_explore", args=(selected[0].get_parent().pk,))
    return redirect(safe_next_url(request, fallback=fallback))


@hooks.register("before_copy_page")
def refuse_copy_kept_live(request: HttpRequest, page: Page) -> HttpResponse | None:
    """A copy of a governed page is never kept live: it is a new, unassessed page."""
    if request.method != "POST" or not request.POST.get("publish_copies"):
        return None
    governed = is_governed(page) or (
        request.POST.get("copy_subpages")
        and any(is_governed(child) for child in page.get_descendants().live().specific())
    )
    if not governed:
        return None
    return _refuse(
        request, page, None, [COPY_KEPT_LIVE], reverse("wagtailadmin_pages:copy", args=(page.pk,))
    )


@hooks.register("before_convert_alias_page")
def refuse_converting_a_live_alias(request: HttpRequest, page: Page) -> HttpResponse | None:
    """A live alias of a governed page would become an independent, unassessed live page."""
    if request.method != "POST" or not page.live or not is_governed(page):
        return None
    return _refuse(
        request,
        page,
        None,
        [ALIAS_CONVERSION_REFUSED],
        reverse("wagtailadmin_pages:edit", args=(page.pk,)),
    )


@hooks.register("register_admin_urls", order=-1)
def guard_media_edit_urls() -> list[URLPattern]:
    """Wagtail's document and image edit views, refusing to replace a file in governed use.

    Registered first, so these patterns answer `/admin/documents/edit/<id>/` and
    `/admin/images/<id>/` before Wagtail's own (same views, one check added).
    """
    return [
        path(
            "documents/edit/<int:document_id>/",
            media_views.GuardedDocumentEditView.as_view(),
            name="quality_document_edit",
        ),
        path(
            "images/<int:image_id>/",
            media_views.GuardedImageEditView.as_view(),
            name="quality_image_edit",
        ),
    ]


@hooks.register("construct_page_action_menu")
def hide_publish_for_governed_pages(
    menu_items: list[Any], request: HttpRequest, context: dict[str, Any]
) -> None:
    """Governed pages go live through the workflow: the plain publish button is not offered."""
    page = context.get("page")
    if page is None or not is_governed(page):
        return
    menu_items[:] = [item for item in menu_items if getattr(item, "name", "") != "action-publish"]


@hooks.register("register_admin_urls")
def register_quality_urls() -> list[URLPattern]:
    return [
        path("kwaliteit/toets/<int:task_state_id>/", views.review, name="quality_review"),
        path("kwaliteit/pagina/<int:page_id>/", views.gate_status, name="quality_gate_status"),
        path(
            "kwaliteit/eindgoedkeuring/<int:task_state_id>/al-beslist/",
            views.final_approval_decided,
            name="quality_final_approval_decided",
        ),
        path(
            "kwaliteit/kader/<int:pk>/nieuwe-versie/",
            admin_views.new_framework_version,
            name="quality_new_framework_version",
        ),
        path(
            "kwaliteit/kader/<int:pk>/vaststellen/",
            admin_views.adopt_version,
            name="quality_adopt_framework_version",
        ),
        path(
            "reports/opnieuw-te-toetsen/",
            admin_views.ReassessmentReportView.as_view(),
            name="quality_reassessment_report",
        ),
        path(
            "reports/opnieuw-te-toetsen/results/",
            admin_views.ReassessmentReportView.as_view(results_only=True),
            name="quality_reassessment_report_results",
        ),
    ]


@hooks.register("construct_admin_api")
def gate_admin_api_actions(router: Any) -> None:
    router.register_endpoint("pages", GatedPagesAdminAPIViewSet)


@hooks.register("register_admin_viewset")
def register_quality_viewsets() -> admin_views.QualityViewSetGroup:
    return admin_views.QualityViewSetGroup()


class ReassessmentMenuItem(MenuItem):
    def is_shown(self, request: HttpRequest) -> bool:
        return request.user.has_perm("quality.view_qualityassessment")


@hooks.register("register_reports_menu_item")
def register_reassessment_report_menu_item() -> MenuItem:
    return ReassessmentMenuItem(
        "Opnieuw te toetsen",
        reverse("quality_reassessment_report"),
        name="opnieuw-te-toetsen",
        icon_name="warning",
        order=950,
    )


@hooks.register("register_permissions")
def register_quality_permissions() -> QuerySet[Permission]:
    return Permission.objects.filter(content_type__app_label="quality")
