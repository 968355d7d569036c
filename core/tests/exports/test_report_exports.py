"""Report exports run as background tasks (issue #7 item 6): a click stores the export and sends the
user to "Mijn exports"; the task makes the file with the report's own filters, as the requester,
keeps it privately and hands it only to them; failures are shown, logged and retried; old exports
are cleaned up."""

import datetime
import logging
import os
import time
from io import StringIO
from pathlib import Path

from django.contrib.auth.models import Group
from django.core.files.base import ContentFile
from django.core.management import call_command
from django.test import Client
from django.urls import reverse
from django.utils import timezone

import pytest
from django_tasks import TaskResultStatus
from django_tasks_db.management.commands.db_worker import Worker
from django_tasks_db.models import DBTaskResult

from conftest import make_user
from core import roles
from core.exports.models import ReportExport
from core.exports.tasks import produce_report_export_task
from core.tests.exports.helpers import (
    body,
    csv_rows,
    export_and_download,
    request_export,
    xlsx_rows,
)
from operations import admin_views
from operations.tests.conftest import make_specialist
from products.models import Region

pytestmark = pytest.mark.django_db

SPECIALISTS = "wagtailsnippets_operations_specialist:list"
MY_EXPORTS = "report_exports:index"


def quarterly_xlsx(quarter: str = "2026-Q3") -> str:
    return reverse("operations_admin:quarterly_report_xlsx", args=[quarter])


def download(client: Client, export: ReportExport):
    return client.get(reverse("report_exports:download", args=[export.pk]))


def signed_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def queue(settings):
    """The database queue of production, with retries at once (no delay) so a test can run them."""
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    settings.HUBCMS_TASK_MAX_ATTEMPTS = 3
    settings.HUBCMS_TASK_RETRY_DELAY_SECONDS = 0
    return run_queued_tasks


def run_queued_tasks(limit: int | None = None) -> int:
    """Run due tasks as `manage.py db_worker` does (its own `run_task`), without the worker's
    connection housekeeping, which cannot run inside a test's transaction. Returns how many export
    tasks ran; `limit` stops after that many (other tasks, such as Wagtail's, just run)."""
    worker = Worker(
        queue_names=["*"],
        interval=0,
        batch=True,
        backend_name="default",
        startup_delay=False,
        max_tasks=None,
        worker_id="test-worker",
        excluded_queue_names=[],
    )
    ran = 0
    while limit is None or ran < limit:
        result = DBTaskResult.objects.ready().order_by("enqueued_at").first()
        if result is None:
            break
        result.claim(worker.worker_id)
        worker.run_task(result)
        ran += result.task_path == produce_report_export_task.module_path
    return ran


def test_a_click_makes_the_export_and_shows_it_under_my_exports(client, coordinator, exports_root):
    make_specialist("Anna de Vries", "twente")
    make_specialist("Bram Jansen", "achterhoek")
    twente = str(Region.objects.get(code="twente").pk)
    client.force_login(coordinator)
    response = request_export(client, reverse(SPECIALISTS), {"export": "csv", "region": twente})
    page = client.get(response["Location"])
    html = page.content.decode()
    # Tests run tasks at once, so the export is ready by the time the user arrives.
    assert "Uw export Maatwerkspecialisten (CSV) is klaar." in html
    assert "Mijn exports" in html and "Klaar" in html
    assert "Filters: Arbeidsmarktregio: Twente" in html
    export = ReportExport.objects.get()
    assert export.requested_by == coordinator and export.format == "csv"
    assert export.parameters == {"region": [twente]}
    assert f'href="{reverse("report_exports:download", args=[export.pk])}"' in html
    assert f'href="{reverse(SPECIALISTS)}?region={twente}"' in html  # back to the filtered list
    # The file honours the filter and is kept outside the public media folder.
    file = download(client, export)
    assert file["Content-Type"] == "text/csv; charset=utf-8"
    assert file["Content-Disposition"].startswith("attachment;")
    assert file["X-Content-Type-Options"] == "nosniff"
    assert "no-store" in file["Cache-Control"]
    rows = csv_rows(file)
    assert rows[0][:2] == ["Naam", "Organisatie"]
    assert [row[0] for row in rows[1:]] == ["Anna de Vries"]
    assert Path(export.file.path).is_relative_to(exports_root)
    with pytest.raises(ValueError):
        export.file.url  # noqa: B018  (exports have no public address)


def test_the_quarterly_report_export_is_a_workbook_with_the_report(client, coordinator):
    client.force_login(coordinator)
    quarter = "2026-Q3"
    page = client.get(reverse("operations_admin:quarterly_report"), {"kwartaal": quarter})
    assert f'href="{quarterly_xlsx(quarter)}"' in page.content.decode()
    workbook = export_and_download(client, quarterly_xlsx(quarter))
    assert workbook["Content-Type"] == (
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    assert (
        f'filename="kwartaalrapportage-innovatiehub-{quarter}.xlsx"'
        in (workbook["Content-Disposition"])
    )
    summary = dict(row[:2] for row in xlsx_rows(workbook, "Samenvatting"))
    assert summary["Kennissignalen ontvangen"] == 0
    listing = client.get(reverse(MY_EXPORTS)).content.decode()
    link = reverse("operations_admin:quarterly_report") + f"?kwartaal={quarter}"
    assert f'href="{link}">Kwartaalrapportage {quarter}</a>' in listing


def test_on_the_queue_the_user_is_told_it_is_being_made_and_the_worker_makes_it(
    queue, client, coordinator
):
    make_specialist("Anna de Vries", "twente", public=True)
    make_specialist("Cor Smit", "twente", public=False)
    client.force_login(coordinator)
    params = {"export": "xlsx", "public_listing": "true"}
    response = request_export(client, reverse(SPECIALISTS), params)
    html = client.get(response["Location"]).content.decode()
    assert "Uw export Maatwerkspecialisten (Excel (XLSX)) wordt gemaakt." in html
    assert "In de wachtrij" in html and "Vernieuwen" in html
    assert "Filters: Openbaar vermelden: ja" in html
    export = ReportExport.objects.get()
    assert export.status == "wachtrij" and not export.file
    assert download(client, export).status_code == 302  # not ready yet: back to the list
    # A second click while it waits does not queue it twice.
    again = request_export(client, reverse(SPECIALISTS), params)
    assert "wordt al gemaakt" in client.get(again["Location"]).content.decode()
    assert ReportExport.objects.count() == 1
    assert queue() == 1
    export.refresh_from_db()
    assert export.status == "klaar" and export.attempts == 1
    rows = xlsx_rows(download(client, export))
    assert [row[0] for row in rows[1:]] == ["Anna de Vries"]


def test_the_listing_shows_only_the_users_own_exports(coordinator):
    colleague = make_user("coordinator-twee", roles.COORDINATOR)
    mine, theirs = signed_in(coordinator), signed_in(colleague)
    request_export(mine, quarterly_xlsx("2026-Q3"))
    request_export(theirs, quarterly_xlsx("2026-Q2"))
    my_export = ReportExport.objects.get(requested_by=coordinator)
    their_export = ReportExport.objects.get(requested_by=colleague)
    html = mine.get(reverse(MY_EXPORTS)).content.decode()
    assert "Kwartaalrapportage 2026-Q3" in html
    assert "Kwartaalrapportage 2026-Q2" not in html
    assert reverse("report_exports:download", args=[their_export.pk]) not in html
    assert reverse("report_exports:download", args=[my_export.pk]) in html


def test_only_the_requester_downloads_an_export(client, coordinator):
    request_export(signed_in(coordinator), quarterly_xlsx())
    export = ReportExport.objects.get()
    administrator = make_user("beheerder-twee", roles.ADMINISTRATOR, is_superuser=True)
    refused = download(signed_in(administrator), export)
    assert refused.status_code == 403
    assert "Alleen wie een export heeft aangevraagd, kan hem downloaden." in (
        refused.content.decode()
    )
    anonymous = download(client, export)
    assert anonymous.status_code == 302
    assert anonymous["Location"].startswith(reverse("wagtailadmin_login"))
    missing = signed_in(coordinator).get(reverse("report_exports:download", args=[export.pk + 99]))
    assert missing.status_code == 404
    assert "Deze export bestaat niet (meer)" in missing.content.decode()


def test_permissions_are_checked_again_when_the_export_runs(queue, coordinator, caplog):
    make_specialist("Anna de Vries", "twente")
    client = signed_in(coordinator)
    request_export(client, reverse(SPECIALISTS), {"export": "csv"})
    # Before the worker comes to it, the Coördinator has become a Redacteur.
    coordinator.groups.set([Group.objects.get(name=roles.EDITOR)])
    with caplog.at_level(logging.WARNING, logger="hubcms.tasks"):
        queue()
    export = ReportExport.objects.get()
    assert export.status == "mislukt" and not export.file
    assert export.error_message == (
        "U heeft geen toegang (meer) tot dit rapport. Er is geen bestand gemaakt."
    )
    assert "refused" in caplog.text
    # A refusal is final: nothing is queued again, and the user sees why.
    assert not DBTaskResult.objects.filter(status=TaskResultStatus.READY).exists()
    assert export.error_message in client.get(reverse(MY_EXPORTS)).content.decode()
    assert download(client, export).status_code == 404


def test_a_failure_is_shown_logged_retried_and_a_later_attempt_makes_it(
    queue, coordinator, monkeypatch, caplog
):
    calls = []
    real = admin_views.report_as_xlsx

    def flaky(report):
        calls.append(report.quarter)
        if len(calls) == 1:
            raise OSError("schijf tijdelijk vol")
        return real(report)

    monkeypatch.setattr(admin_views, "report_as_xlsx", flaky)
    client = signed_in(coordinator)
    request_export(client, quarterly_xlsx())
    with caplog.at_level(logging.INFO, logger="hubcms.tasks"):
        queue(limit=1)
    export = ReportExport.objects.get()
    assert export.status == "mislukt"
    assert export.error_message == (
        "Het maken van de export is mislukt (poging 1 van 3). Er wordt automatisch een nieuwe "
        "poging gedaan."
    )
    assert export.error_message in client.get(reverse(MY_EXPORTS)).content.decode()
    assert "failed on attempt 1" in caplog.text and "schijf tijdelijk vol" in caplog.text
    assert "attempt 1 of 3" in caplog.text  # the retry handler queued it again
    assert DBTaskResult.objects.filter(status=TaskResultStatus.READY).count() == 1
    queue()
    export.refresh_from_db()
    assert export.status == "klaar" and export.attempts == 2 and export.error_message == ""
    assert len(calls) == 2
    assert xlsx_rows(download(client, export), "Samenvatting")[0][0]


def test_an_export_that_keeps_failing_gives_up_with_a_message(queue, coordinator, monkeypatch):
    monkeypatch.setattr(admin_views, "report_as_xlsx", _broken)
    client = signed_in(coordinator)
    request_export(client, quarterly_xlsx())
    queue()
    export = ReportExport.objects.get()
    assert export.status == "mislukt" and export.attempts == 3
    assert export.error_message.startswith("Het maken van de export is mislukt. Probeer het later")
    assert DBTaskResult.objects.filter(status=TaskResultStatus.FAILED).count() == 3


def test_a_failure_at_once_never_gives_the_user_an_error_page(coordinator, monkeypatch):
    monkeypatch.setattr(admin_views, "report_as_xlsx", _broken)
    client = signed_in(coordinator)
    response = request_export(client, quarterly_xlsx())
    html = client.get(response["Location"]).content.decode()
    assert "Uw export Kwartaalrapportage 2026-Q3 (Excel (XLSX)) is mislukt" in html
    assert ReportExport.objects.get().status == "mislukt"


def _broken(report):
    raise OSError("schijf vol")


def test_cleanup_removes_old_exports_their_files_and_stray_files(coordinator, exports_root):
    client = signed_in(coordinator)
    for quarter in ("2026-Q1", "2026-Q2"):
        request_export(client, quarterly_xlsx(quarter))
    old, recent = ReportExport.objects.order_by("pk")
    ReportExport.objects.filter(pk=old.pk).update(
        created_at=timezone.now() - datetime.timedelta(days=8)
    )
    stalled = ReportExport.objects.create(
        requested_by=coordinator,
        title="Maatwerkspecialisten",
        kind=SPECIALISTS,
        path=reverse(SPECIALISTS),
        format="csv",
        created_at=timezone.now() - datetime.timedelta(hours=7),
    )
    storage = ReportExport._meta.get_field("file").storage
    stray = storage.save("2026/01/verweesd.csv", ContentFile(b"oud"))
    two_hours_ago = time.time() - 7200
    os.utime(storage.path(stray), (two_hours_ago, two_hours_ago))
    fresh = storage.save("2026/11/wordt-geschreven.csv", ContentFile(b"nieuw"))
    old_file = Path(old.file.path)
    out = StringIO()
    call_command("cleanup_exports", stdout=out)
    assert out.getvalue().strip() == (
        "1 exports ouder dan 7 dagen verwijderd, 1 vastgelopen exports als mislukt gemarkeerd, "
        "1 losse bestanden verwijderd."
    )
    assert not old_file.exists() and not storage.exists(stray) and storage.exists(fresh)
    assert list(ReportExport.objects.order_by("pk")) == [recent, stalled]
    stalled.refresh_from_db()
    assert stalled.status == "mislukt" and "niet op tijd" in stalled.error_message
    gone = download(client, old)
    assert gone.status_code == 404 and "na 7 dagen verwijderd" in gone.content.decode()
    assert body(download(client, recent))  # the recent one stays


def test_my_exports_is_in_the_reports_menu_for_every_admin_user(editor):
    client = signed_in(editor)
    html = client.get(reverse("wagtailadmin_home")).content.decode()
    assert "Mijn exports" in html and reverse(MY_EXPORTS) in html
    listing = client.get(reverse(MY_EXPORTS)).content.decode()
    assert "U heeft nog geen exports." in listing


@pytest.mark.parametrize(
    "url_name, title",
    [
        ("wagtailadmin_reports:site_history", "Sitegeschiedenis"),
        ("wagtailadmin_reports:locked_pages", "Vergrendelde pagina's"),
    ],
)
def test_wagtails_own_reports_export_in_the_background_too(client, coordinator, url_name, title):
    """Wagtail's built-in reports live on Wagtail's URLs; their exports go through Mijn exports."""
    client.force_login(coordinator)
    response = client.get(reverse(url_name), {"export": "csv"})
    assert response.status_code == 302 and response["Location"] == reverse(MY_EXPORTS)
    export = ReportExport.objects.get()
    assert export.kind == url_name and export.status == "klaar", export.error_message
    assert export.title == title
    page = client.get(response["Location"]).content.decode()
    assert "(CSV) is klaar." in page
    file = download(client, export)
    assert file.status_code == 200 and file["Content-Type"].startswith("text/csv")
    assert csv_rows(file)[0]  # a heading row, as Wagtail writes it


def test_a_wagtail_report_the_user_may_not_see_refuses_the_export_too(client):
    """The report's own check answers the export click (here: sign in first); nothing is stored."""
    url = reverse("wagtailadmin_reports:site_history")
    answer = client.get(url, {"export": "xlsx"})
    plain = client.get(url)
    assert answer.status_code == plain.status_code == 302
    assert answer["Location"].split("?")[0] == plain["Location"].split("?")[0]
    assert not ReportExport.objects.exists()
