"""Admin screens: framework versions (Beheerder), the assessment report and the reassessment report."""

import datetime
from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.middleware.csrf import get_token
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.functional import cached_property

from wagtail.admin import messages
from wagtail.admin.panels import FieldPanel, FieldRowPanel, InlinePanel
from wagtail.admin.ui.tables import Column, TitleColumn
from wagtail.admin.views.generic import DeleteView, EditView, IndexView, InspectView
from wagtail.admin.views.reports import ReportView
from wagtail.admin.viewsets.model import ModelViewSet, ModelViewSetGroup
from wagtail.admin.widgets.button import Button
from wagtail.models import Page
from wagtail.permission_policies import ModelPermissionPolicy

from core.admin_columns import ExactDateColumn
from core.exports.views import BackgroundExportMixin
from quality.models import FrameworkStatus, QualityAssessment, QualityFrameworkVersion
from quality.selectors import framework_impact, live_pages_needing_reassessment
from quality.services import adopt_framework_version, draft_next_version
from quality.views import AdminRequest

# --- Framework versions --------------------------------------------------------------------------


if TYPE_CHECKING:  # the mixin's super() is one of Wagtail's (untyped) model views
    from wagtail.admin.views.generic import EditView as _ModelView
else:
    _ModelView = object


class _RefuseLockedMixin(_ModelView):
    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        version = getattr(self, "object", None) or self.get_object()
        if version.status != FrameworkStatus.DRAFT:
            messages.error(
                request,
                f"Kwaliteitskader v{version.version} is vastgesteld en wordt niet meer "
                "gewijzigd of verwijderd. Maak een nieuwe versie om iets te veranderen.",
            )
            return redirect(self.index_url_name)
        response: HttpResponse = super().dispatch(request, *args, **kwargs)
        return response


class FrameworkVersionEditView(_RefuseLockedMixin, EditView):
    @cached_property
    def header_more_buttons(self) -> list[Any]:
        buttons = list(super().header_more_buttons)
        if self.request.user.has_perm("quality.publish_qualityframeworkversion"):
            buttons.append(
                Button(
                    "Impact bekijken en vaststellen",
                    url=reverse("quality_adopt_framework_version", args=(self.object.pk,)),
                    icon_name="check",
                    priority=5,
                )
            )
        return buttons


class FrameworkVersionDeleteView(_RefuseLockedMixin, DeleteView):
    pass


def new_framework_version(request: AdminRequest, pk: int) -> HttpResponse:
    """Start a draft of the next version with the criteria of version `pk`."""
    if not request.user.has_perm("quality.add_qualityframeworkversion"):
        messages.error(request, "U mag geen nieuwe versie van het kwaliteitskader maken.")
        return redirect("quality_framework:index")
    source = get_object_or_404(QualityFrameworkVersion, pk=pk)
    if request.method != "POST":
        return redirect("quality_framework:index")
    draft = draft_next_version(source=source)
    messages.success(
        request,
        f"Concept v{draft.version} gemaakt op basis van v{source.version}, met alle "
        f"{draft.criteria.count()} criteria. Pas de criteria aan en vul de wijzigingsnotitie in; "
        "stel de versie daarna vast met 'Impact bekijken en vaststellen'.",
        buttons=[
            messages.button(
                reverse("quality_adopt_framework_version", args=(draft.pk,)),
                "Impact bekijken en vaststellen",
            )
        ],
    )
    return redirect("quality_framework:edit", draft.pk)


def adopt_version(request: AdminRequest, pk: int) -> HttpResponse:
    """The impact of a draft version on live content, and the one confirmed action adopting it.

    GET shows which live pages would fail its blocking automatic criteria or need re-review;
    POST adopts it (it supersedes the version in force from its effective date) and logs it.
    """
    if not request.user.has_perm("quality.publish_qualityframeworkversion"):
        raise PermissionDenied
    version = get_object_or_404(QualityFrameworkVersion, pk=pk)
    if version.status != FrameworkStatus.DRAFT:
        messages.error(request, f"Kwaliteitskader v{version.version} is al vastgesteld.")
        return redirect("quality_framework:inspect", version.pk)
    if request.method == "POST":
        try:
            adopt_framework_version(version=version, user=request.user)
        except ValidationError as error:
            for message in error.messages:
                messages.error(request, message)
        else:
            messages.success(
                request,
                f"Kwaliteitskader v{version.version} is vastgesteld en geldt vanaf "
                f"{version.effective_date:%d-%m-%Y}. Live inhoud blijft live; haar volgende "
                "publicatie wordt aan deze versie getoetst.",
            )
            return redirect("quality_framework:inspect", version.pk)
    return TemplateResponse(
        request,
        "quality/admin/adopt_version.html",
        {
            "version": version,
            "impact": framework_impact(version=version),
            "header_title": f"Kwaliteitskader v{version.version} vaststellen",
        },
    )


class NewVersionColumn(Column):
    """A button that starts the next version from this one."""

    cell_template_name = "quality/admin/new_version_cell.html"

    def get_cell_context_data(self, instance: Any, parent_context: dict[str, Any]) -> Any:
        context = super().get_cell_context_data(instance, parent_context)
        context["url"] = reverse("quality_new_framework_version", args=(instance.pk,))
        # Cells are rendered without the request context: the form needs its token explicitly.
        request = parent_context.get("request")
        context["csrf_token"] = get_token(request) if request is not None else ""
        return context


class FrameworkVersionIndexView(IndexView):
    """The versions; a published one opens on its read-only page, a draft in the editor."""

    def get_edit_url(self, instance: Any) -> str | None:
        if instance.status != FrameworkStatus.DRAFT:
            return None
        url: str | None = super().get_edit_url(instance)
        return url


class FrameworkVersionInspectView(InspectView):
    """One version with all its criteria, and what can be done with it."""

    template_name = "quality/admin/framework_version_inspect.html"

    def get_edit_url(self) -> str | None:
        if self.object.status != FrameworkStatus.DRAFT:
            return None
        url: str | None = super().get_edit_url()
        return url

    def get_delete_url(self) -> str | None:
        if self.object.status != FrameworkStatus.DRAFT:
            return None
        url: str | None = super().get_delete_url()
        return url

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context: dict[str, Any] = super().get_context_data(**kwargs)
        user = self.request.user
        context["criteria"] = list(self.object.criteria.all())
        context["can_copy"] = user.has_perm("quality.add_qualityframeworkversion")
        context["can_adopt"] = self.object.status == FrameworkStatus.DRAFT and user.has_perm(
            "quality.publish_qualityframeworkversion"
        )
        return context


class FrameworkVersionViewSet(ModelViewSet):
    model = QualityFrameworkVersion
    icon = "list-ul"
    menu_label = "Kwaliteitskader"
    url_prefix = "kwaliteit/kader"
    name = "quality_framework"
    index_view_class = FrameworkVersionIndexView
    inspect_view_class = FrameworkVersionInspectView
    edit_view_class = FrameworkVersionEditView
    delete_view_class = FrameworkVersionDeleteView
    copy_view_enabled = False
    inspect_view_enabled = True
    list_display = [
        "__str__",
        "effective_date",
        "status",
        ExactDateColumn("published_at", label="Vastgesteld op"),
        NewVersionColumn("new_version", label="Nieuwe versie"),
    ]
    list_filter = ["status"]
    # No status field: a draft is adopted by one confirmed action (`adopt_version`), never by
    # saving the form.
    panels = [
        FieldRowPanel([FieldPanel("version"), FieldPanel("effective_date")]),
        FieldPanel("change_note"),
        InlinePanel("criteria", heading="Criteria", label="Criterium"),
    ]
    inspect_view_fields = ["version", "effective_date", "status", "published_at", "change_note"]


# --- The assessment report -------------------------------------------------------------------------


class ReadOnlyPermissionPolicy(ModelPermissionPolicy):
    """Assessments are append-only: nobody adds, changes or deletes them in the admin."""

    WRITE_ACTIONS = {"add", "change", "delete"}

    def user_has_permission(self, user: Any, action: str) -> bool:
        if action in self.WRITE_ACTIONS:
            return False
        allowed: bool = super().user_has_permission(user, action)
        return allowed

    def user_has_any_permission(self, user: Any, actions: Iterable[str]) -> bool:
        return any(self.user_has_permission(user, action) for action in actions)

    def users_with_any_permission(self, actions: Iterable[str]) -> Any:
        actions = [action for action in actions if action not in self.WRITE_ACTIONS]
        if not actions:
            return super().users_with_any_permission([]).none()
        return super().users_with_any_permission(actions)


class AssessmentIndexView(BackgroundExportMixin, IndexView):
    """The assessments; their CSV/XLSX export is made in the background (Mijn exports)."""


class AssessmentViewSet(ModelViewSet):
    model = QualityAssessment
    index_view_class = AssessmentIndexView
    icon = "tasks"
    menu_label = "Kwaliteitstoetsen"
    url_prefix = "kwaliteit/toetsen"
    name = "quality_assessments"
    form_fields = ["note"]  # never shown: nobody may add or change an assessment
    copy_view_enabled = False
    inspect_view_enabled = True
    list_display = [
        "page_title",
        "framework_version",
        "result_display",
        "reviewer_name",
        "source",
        ExactDateColumn("created_at", label="Getoetst op"),
    ]
    list_filter = ["passed", "framework_version", "source", "reviewer", "created_at"]
    search_fields = ["page_title", "reviewer_name", "note"]
    list_export = [
        "page_title",
        "revision_id",
        "framework_version",
        "result_display",
        "reviewer_name",
        "source",
        "created_at",
        "note",
        "judgements_text",
    ]
    export_headings = {
        "page_title": "Pagina",
        "revision_id": "Revisie",
        "framework_version": "Kwaliteitskader",
        "result_display": "Uitkomst",
        "reviewer_name": "Kwaliteitsbewaker",
        "source": "Herkomst",
        "created_at": "Getoetst op",
        "note": "Toelichting",
        "judgements_text": "Oordelen per criterium",
    }
    export_filename = "kwaliteitstoetsen"
    inspect_view_fields = [
        "page_title",
        "revision",
        "framework_version",
        "result_display",
        "reviewer_name",
        "source",
        "created_at",
        "note",
        "judgements_html",
    ]


class QualityViewSetGroup(ModelViewSetGroup):
    menu_label = "Kwaliteit"
    menu_icon = "tasks"
    menu_order = 250
    items = (FrameworkVersionViewSet, AssessmentViewSet)


# --- The reassessment report ----------------------------------------------------------------------


class ReassessmentReportView(BackgroundExportMixin, ReportView):
    """Live pages assessed under an older framework version, or past their review date."""

    page_title = "Opnieuw te toetsen"
    header_icon = "warning"
    index_url_name = "quality_reassessment_report"
    index_results_url_name = "quality_reassessment_report_results"
    permission_policy = ModelPermissionPolicy(QualityAssessment)
    any_permission_required = ["view"]
    paginate_by = 100
    columns = [
        TitleColumn("title", label="Pagina", url_name="wagtailadmin_pages:edit"),
        Column("assessed_version", label="Getoetst onder"),
        ExactDateColumn("next_review_date", label="Volgende herziening"),
        Column("reassessment_reason", label="Waarom opnieuw toetsen"),
    ]
    list_export = ["title", "assessed_version", "next_review_date", "reassessment_reason"]
    export_headings = {
        "title": "Pagina",
        "assessed_version": "Getoetst onder",
        "next_review_date": "Volgende herziening",
        "reassessment_reason": "Waarom opnieuw toetsen",
    }

    def get_filename(self) -> str:
        return f"opnieuw-te-toetsen-{datetime.date.today():%Y-%m-%d}"

    def get_queryset(self) -> list[Page]:
        return live_pages_needing_reassessment()
