"""The hub's operations in the Wagtail admin: the 'Bedrijfsvoering' menu, its listings, the
knowledge cycle and quarterly report views, and the coordinator's dashboard on the home page."""

from django.urls import include, path, re_path, reverse
from django.utils import timezone
from django.utils.html import format_html

from wagtail import hooks
from wagtail.admin.menu import MenuItem
from wagtail.admin.ui.components import Component
from wagtail.admin.ui.tables import Column, StatusTagColumn
from wagtail.snippets.views.snippets import IndexView, SnippetViewSet, SnippetViewSetGroup

from core.admin_columns import ExactDateColumn, YesNoColumn
from core.exports.views import BackgroundExportMixin
from operations import admin_views
from operations.admin_views import REPORT_PERMISSION
from operations.dashboard import build_dashboard, coordinator_queue
from operations.models import (
    Certification,
    KnowledgeSignal,
    NationalPartner,
    PartnerConsultation,
    Pilot,
    Specialist,
)

SUBMENU_HOOK = "register_operations_menu_item"


class ValidityColumn(Column):
    """'geldig' or 'verlopen' for a certification, as a status tag."""

    cell_template_name = "wagtailadmin/tables/status_tag_cell.html"

    def get_cell_context_data(self, instance, parent_context):
        context = super().get_cell_context_data(instance, parent_context)
        valid = instance.is_valid_on(timezone.localdate())
        context["value"] = "geldig" if valid else "verlopen"
        context["primary"] = valid
        return context


class PilotViewSet(SnippetViewSet):
    model = Pilot
    icon = "clipboard-list"
    menu_label = "Pilots"
    url_prefix = "bedrijfsvoering/pilots"
    list_display = [
        "title",
        "product",
        StatusTagColumn("phase", label="Fase", accessor="get_phase_display", primary=False),
        Column("outcome", label="Uitkomst", accessor="get_outcome_display"),
        ExactDateColumn("start_date", label="Start"),
        ExactDateColumn("evaluated_on", label="Geëvalueerd op"),
    ]
    list_filter = ["phase", "outcome", "product"]
    search_fields = ["title", "organisations"]
    search_backend_name = None
    ordering = ["-start_date"]


class SpecialistIndexView(BackgroundExportMixin, IndexView):
    """The specialists; their CSV/XLSX export is made in the background (Mijn exports)."""


class SpecialistViewSet(SnippetViewSet):
    model = Specialist
    index_view_class = SpecialistIndexView
    icon = "user"
    menu_label = "Maatwerkspecialisten"
    url_prefix = "bedrijfsvoering/specialisten"
    list_display = [
        "name",
        "organisation",
        "region",
        YesNoColumn("public_listing", label="Openbaar vermelden"),
    ]
    list_filter = ["region", "public_listing"]
    search_fields = ["name", "organisation"]
    search_backend_name = None
    list_export = ["name", "organisation", "region", "email", "phone", "public_listing"]


class CertificationViewSet(SnippetViewSet):
    model = Certification
    icon = "success"
    menu_label = "Certificeringen"
    url_prefix = "bedrijfsvoering/certificeringen"
    list_display = [
        "specialist",
        "product",
        Column("role", label="Rol", accessor="get_role_display"),
        ExactDateColumn("certified_on", label="Gecertificeerd op"),
        ExactDateColumn("valid_until", label="Geldig tot en met"),
        ValidityColumn("validity", label="Geldigheid"),
        "certified_by",
    ]
    list_filter = ["role", "product", "specialist"]
    search_fields = ["specialist__name", "product__title"]
    search_backend_name = None
    copy_view_enabled = False


class KnowledgeSignalViewSet(SnippetViewSet):
    model = KnowledgeSignal
    icon = "help"
    menu_label = "Kennissignalen"
    url_prefix = "bedrijfsvoering/kennissignalen"
    list_display = [
        "topic",
        "region",
        Column(
            "organisation_kind", label="Soort organisatie", accessor="get_organisation_kind_display"
        ),
        StatusTagColumn("status", label="Status", accessor="get_status_display", primary=False),
        ExactDateColumn("received_at", label="Ontvangen"),
        "development_line",
    ]
    list_filter = ["status", "region", "organisation_kind", "development_line"]
    search_fields = ["topic", "description"]
    search_backend_name = None
    ordering = ["-received_at"]
    copy_view_enabled = False


class PartnerConsultationViewSet(SnippetViewSet):
    model = PartnerConsultation
    icon = "group"
    menu_label = "Partneroverleggen"
    url_prefix = "bedrijfsvoering/partneroverleggen"
    list_display = ["title", ExactDateColumn("date", label="Datum")]
    search_fields = ["title", "topics", "notes"]
    search_backend_name = None
    ordering = ["-date"]


class NationalPartnerViewSet(SnippetViewSet):
    model = NationalPartner
    icon = "site"
    menu_label = "Landelijke partners"
    url_prefix = "bedrijfsvoering/partners"
    list_display = ["name"]
    search_fields = ["name"]
    search_backend_name = None


class OperationsViewSetGroup(SnippetViewSetGroup):
    menu_label = "Bedrijfsvoering"
    menu_icon = "cogs"
    menu_order = 250
    submenu_hook = SUBMENU_HOOK
    items = (
        PilotViewSet,
        SpecialistViewSet,
        CertificationViewSet,
        KnowledgeSignalViewSet,
        PartnerConsultationViewSet,
        NationalPartnerViewSet,
    )


hooks.register("register_admin_viewset", OperationsViewSetGroup)


@hooks.register("register_admin_urls")
def register_operations_admin_urls():
    urls = [
        path("kenniscyclus/", admin_views.knowledge_cycle_view, name="knowledge_cycle"),
        path("kwartaalrapportage/", admin_views.quarterly_report_view, name="quarterly_report"),
        re_path(
            r"^kwartaalrapportage/(?P<quarter>\d{4}-Q[1-4])\.xlsx$",
            admin_views.quarterly_report_xlsx_view,
            name="quarterly_report_xlsx",
        ),
        re_path(
            r"^kwartaalrapportage/(?P<quarter>\d{4}-Q[1-4])/afdrukken/$",
            admin_views.quarterly_report_print_view,
            name="quarterly_report_print",
        ),
    ]
    return [path("bedrijfsvoering/", include((urls, "operations_admin")))]


class ReportMenuItem(MenuItem):
    def is_shown(self, request) -> bool:
        return request.user.has_perm(REPORT_PERMISSION)


@hooks.register(SUBMENU_HOOK)
def knowledge_cycle_menu_item():
    return ReportMenuItem(
        "Kenniscyclus",
        reverse("operations_admin:knowledge_cycle"),
        icon_name="history",
        order=900,
    )


@hooks.register(SUBMENU_HOOK)
def quarterly_report_menu_item():
    return ReportMenuItem(
        "Kwartaalrapportage",
        reverse("operations_admin:quarterly_report"),
        icon_name="doc-full",
        order=910,
    )


class CoordinatorQueuePanel(Component):
    """What waits for the coordinator, at the top of the dashboard."""

    name = "coordinator_queue"
    order = 5
    template_name = "operations/admin/coordinator_queue.html"

    def get_context_data(self, parent_context):
        context = super().get_context_data(parent_context)
        context["queue"] = coordinator_queue(user=parent_context["request"].user)
        return context


class CoordinatorDashboardPanel(Component):
    """The coordinator's dashboard: the hub's figures against its goals, as charts. It comes
    after what waits for the coordinator and Wagtail's own workflow panels."""

    name = "coordinator_dashboard"
    order = 1000
    template_name = "operations/admin/dashboard_panel.html"

    def get_context_data(self, parent_context):
        context = super().get_context_data(parent_context)
        context["dashboard"] = build_dashboard()
        context["knowledge_cycle_url"] = reverse("operations_admin:knowledge_cycle")
        context["quarterly_report_url"] = reverse("operations_admin:quarterly_report")
        return context


@hooks.register("construct_homepage_panels")
def add_coordinator_dashboard(request, panels):
    if request.user.has_perm(REPORT_PERMISSION):
        panels.append(CoordinatorQueuePanel())
        panels.append(CoordinatorDashboardPanel())


@hooks.register("insert_global_admin_css")
def operations_admin_css():
    return format_html('<link rel="stylesheet" href="{}">', _static("operations/dashboard.css"))


def _static(path_: str) -> str:
    from django.templatetags.static import static

    return static(path_)
