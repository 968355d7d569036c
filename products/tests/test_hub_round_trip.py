"""A hub moves whole: export_hub from the demo hub, import_hub into a fresh bootstrap_hub.

The round trip runs in one database: the demo hub's export is the one written when the session
loaded the demo hub (hubcms/testing/demo.py, on a hub that was never set up). The export is
imported into the session's freshly bootstrapped hub. Both hubs are then compared as a normalized dump (the
export itself, with files replaced by their content hash) and by an independent count per model.
"""

import hashlib
import io
import json
import zipfile
from pathlib import Path

from django.core.management import CommandError, call_command
from django.utils import timezone

from wagtail.documents import get_document_model

import pytest

from core.bootstrap import bootstrap_hub
from core.hubmove.hubimport import import_hub
from hubcms.testing.demo import DEMO_HUB_GROUP, model_counts
from operations.models import (
    Pilot,
    Specialist,
)
from products.importexport.format import HUB_FORMAT, HUB_FORMAT_VERSION
from products.models import DevelopmentLinePage, ProductPage
from quality.gate import gate_decision
from quality.models import AssessmentSource, QualityAssessment, QualityFrameworkVersion

pytestmark = pytest.mark.xdist_group(DEMO_HUB_GROUP)


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


def normalized_dump(archive_path: Path) -> dict:
    """The hub as exported, without the moment of export, the assessment history (each hub has
    its own) and file names (replaced by a hash of the file's content)."""
    with zipfile.ZipFile(archive_path) as archive:
        data = json.loads(archive.read("hub.json"))

        def walk(value):
            if isinstance(value, dict):
                value.pop("assessment", None)
                for key, item in list(value.items()):
                    if key == "file" and isinstance(item, str):
                        value[key] = hashlib.sha256(archive.read(item)).hexdigest()
                    else:
                        walk(item)
            elif isinstance(value, list):
                for item in value:
                    walk(item)

        walk(data)
    data.pop("exportedAt")
    return data


def run(command: str, *args) -> tuple[str | None, str, str]:
    out, err = io.StringIO(), io.StringIO()
    try:
        call_command(command, *args, stdout=out, stderr=err)
    except CommandError as error:
        return str(error), out.getvalue(), err.getvalue()
    return None, out.getvalue(), err.getvalue()


@pytest.fixture
def demo_export(db, demo_hub_export) -> tuple[Path, dict]:
    """The demo hub's export and counts (the session's demo hub, hubcms/testing/demo.py)."""
    return demo_hub_export.export, demo_hub_export.counts


def test_the_demo_hub_moves_whole_into_a_fresh_hub(tmp_path, demo_export):
    source_file, source_counts = demo_export
    target_file = tmp_path / "doel.zip"
    assert not ProductPage.objects.exists()  # no demo here: the session's freshly set-up hub

    bootstrap_hub(demo=False)
    error, out, err = run("import_hub", str(source_file), "--approved-by", "kwaliteit@demo.hub")
    assert error is None, err
    assert "Gepubliceerd: " in out
    assert run("export_hub", str(target_file))[0] is None

    assert model_counts() == source_counts
    assert source_counts["live products"] > 20 and source_counts["pilots"] > 0
    source, target = normalized_dump(source_file), normalized_dump(target_file)
    for section in source:
        assert target[section] == source[section], section

    # Every page that went live did so through the gate: a passing migration assessment of its
    # exact live revision, by the named reviewer, under the framework in force, naming its past.
    for page in [*ProductPage.objects.live(), *DevelopmentLinePage.objects.live()]:
        assert gate_decision(page.live_revision).allowed
        assessment = QualityAssessment.objects.get(revision=page.live_revision)
        assert assessment.source == AssessmentSource.MIGRATION
        assert assessment.reviewer.email == "kwaliteit@demo.hub"
        assert "in de vorige hub goedgekeurd door Karin Kwaliteitsbewaker" in assessment.note
        assert assessment.framework_version == QualityFrameworkVersion.objects.in_force()


@pytest.fixture
def small_export(tmp_path, hub):
    """A small valid hub export, written by hand as another system would."""

    def write(extra_files: dict[str, bytes] | None = None, **changes) -> Path:
        (tmp_path / "bestanden").mkdir(exist_ok=True)
        (tmp_path / "bestanden" / "handleiding.txt").write_text("Handleiding", encoding="utf-8")
        data = {
            "format": HUB_FORMAT,
            "formatVersion": HUB_FORMAT_VERSION,
            "people": [
                {
                    "email": "eigenaar@example.org",
                    "username": "eigenaar",
                    "firstName": "Eva",
                    "lastName": "Eigenaar",
                    "active": True,
                    "roles": ["Redacteur"],
                },
                {
                    "email": "toetser@example.org",
                    "username": "toetser",
                    "firstName": "Tom",
                    "lastName": "Toetser",
                    "active": True,
                    "roles": ["Kwaliteitsbewaker"],
                },
            ],
            "developmentLines": [
                {
                    "slug": "governance",
                    "title": "Governance",
                    "summary": "Samen sturen.",
                    "goal": "<p>Goed opdrachtgeverschap.</p>",
                    "lead": "Marieke de Vries (Divosa)",
                    "leadUser": "eigenaar@example.org",
                    "status": "in_ontwikkeling",
                    "milestones": [
                        {"title": "Eerste versie", "plannedQuarter": "2026-Q3", "status": "gepland"}
                    ],
                    "live": True,
                }
            ],
            "products": [
                {
                    "slug": "scan-governance",
                    "title": "Scan governance",
                    "productType": "scan",
                    "summary": "Een scan.",
                    "lifecycleStatus": "pilot",
                    "version": "1.0",
                    "developmentLines": ["governance"],
                    "owner": "eigenaar@example.org",
                    "downloads": [
                        {
                            "title": "Handleiding",
                            "kind": "handleiding",
                            "file": "bestanden/handleiding.txt",
                        }
                    ],
                    "images": [],
                    "relatedProducts": [],
                    "live": False,
                }
            ],
            "specialists": [
                {
                    "key": "sanne@example.org",
                    "name": "Sanne Specialist",
                    "organisation": "SOB Twente",
                    "region": "twente",
                    "email": "sanne@example.org",
                }
            ],
            "pilots": [
                {
                    "product": "scan-governance",
                    "title": "Pilot in Twente",
                    "regions": ["twente"],
                    "phase": "lopend",
                }
            ],
        }
        for key, value in changes.items():
            data[key] = value
        with zipfile.ZipFile(tmp_path / "hub.zip", "w") as archive:
            archive.writestr("hub.json", json.dumps(data))
            archive.write(tmp_path / "bestanden" / "handleiding.txt", "bestanden/handleiding.txt")
            for name, content in (extra_files or {}).items():
                archive.writestr(name, content)
        return tmp_path / "hub.zip"

    return write


@pytest.mark.django_db
def test_a_small_export_imports_with_its_owner_by_e_mail(small_export):
    report = import_hub(small_export())
    assert report.ok, report.lines()
    product = ProductPage.objects.get(slug="scan-governance")
    assert product.get_latest_revision_as_object().product_owner.email == "eigenaar@example.org"
    assert Pilot.objects.get().regions.get().code == "twente"
    assert DevelopmentLinePage.objects.get().lead_user.username == "eigenaar"
    # Without a named reviewer what was live arrives as a draft that waits for the workflow.
    assert not DevelopmentLinePage.objects.live().exists()
    assert report.awaiting == ["Governance"]
    assert not QualityAssessment.objects.exists()


@pytest.mark.django_db
def test_a_bad_file_imports_nothing_and_names_each_problem_in_dutch(small_export, settings):
    bad_line = {
        "slug": "governance",
        "title": "Governance",
        "milestones": [{"title": "Te laat", "plannedQuarter": "2026-Q9", "status": "gepland"}],
        "live": False,
    }
    path = small_export(
        developmentLines=[bad_line],
        pilots=[
            {
                "product": "scan-governance",
                "title": "Pilot",
                "regions": ["atlantis"],
                "phase": "lopend",
            }
        ],
        certifications=[
            {
                "specialist": "onbekend@example.org",
                "product": "scan-governance",
                "role": "trainer",
                "certifiedOn": "2026-01-01",
                "validUntil": "2027-13-01",
            }
        ],
    )
    report = import_hub(path)
    messages = [str(problem) for problem in report.problems]
    assert any(
        m.startswith("Ontwikkellijnen, record 1, veld milestones[1].plannedQuarter:")
        for m in messages
    ), messages
    assert (
        "Pilots, record 1, veld regions: 'atlantis' is geen arbeidsmarktregio (gebruik de code)"
        in messages
    )
    assert any(
        m.startswith("Certificeringen, record 1, veld specialist: 'onbekend@example.org'")
        for m in messages
    )
    assert any(
        m.startswith("Certificeringen, record 1, veld validUntil: '2027-13-01' is geen datum")
        for m in messages
    )
    assert report.summary().startswith("Niets geïmporteerd: ")
    # Nothing was kept: no users, pages, registers or documents (nor their files on disk).
    assert not ProductPage.objects.exists() and not DevelopmentLinePage.objects.exists()
    assert not Specialist.objects.exists() and not Pilot.objects.exists()
    assert not get_document_model().objects.exists()
    assert not any(Path(settings.MEDIA_ROOT).rglob("handleiding*"))
    from django.contrib.auth import get_user_model

    assert not get_user_model().objects.filter(email="eigenaar@example.org").exists()


@pytest.mark.django_db
def test_the_command_reports_problems_and_fails(small_export):
    path = small_export(
        products=[{"slug": "scan-x", "title": "X", "productType": "boek", "live": False}]
    )
    error, _, err = run("import_hub", str(path))
    assert error.startswith("Niets geïmporteerd: 1 probleem")
    assert "Producten, record 1, veld productType: 'boek' is geen bekend producttype" in err
    assert not ProductPage.objects.exists()


@pytest.mark.django_db
def test_a_dry_run_checks_everything_and_keeps_nothing(small_export):
    report = import_hub(small_export(), dry_run=True)
    assert report.ok and report.summary().startswith("Proefimport, niets opgeslagen:")
    assert not ProductPage.objects.exists() and not Pilot.objects.exists()


@pytest.mark.django_db
def test_the_gate_still_decides_the_author_cannot_approve_their_own_import(small_export):
    report = import_hub(
        small_export(), user="toetser@example.org", approved_by="toetser@example.org"
    )
    assert report.ok
    assert report.published == []
    assert "maker of indiener" in report.refused[0]
    assert not DevelopmentLinePage.objects.live().exists()
    assert not QualityAssessment.objects.exists()


@pytest.mark.django_db
def test_a_named_reviewer_brings_the_live_line_live_with_a_migration_assessment(small_export):
    report = import_hub(small_export(), approved_by="toetser@example.org")
    assert report.published == ["Governance"], report.lines()
    line = DevelopmentLinePage.objects.get()
    assert line.live
    assessment = QualityAssessment.objects.get(revision=line.live_revision)
    assert assessment.source == AssessmentSource.MIGRATION
    assert "zonder goedgekeurde kwaliteitstoets" in assessment.note


@pytest.mark.django_db
def test_only_a_fresh_hub_takes_a_hub_export(small_export):
    assert import_hub(small_export()).ok
    report = import_hub(small_export())
    assert "deze hub bevat al producten, ontwikkellijnen, pilots" in str(report.problems[0])
    assert ProductPage.objects.count() == 1


@pytest.mark.django_db
def test_the_product_format_stays_importable_and_is_named(tmp_path, hub, small_export):
    products = tmp_path / "producten.json"
    products.write_text("[]", encoding="utf-8")
    report = import_hub(products)
    assert "productbestand (formaatversie 1); importeer het met import_products" in str(
        report.problems[0]
    )
    assert run("import_products", str(products))[0] is None
    error, _, err = run("import_products", str(small_export()))
    assert "is een hub-export (formaatversie 2); importeer het met import_hub" in err
    newer = small_export(formatVersion=3)
    assert "formaatversie 3 is onbekend" in str(import_hub(newer).problems[0])


# The Beheerder's screen in the admin


@pytest.mark.django_db
def test_the_beheerder_finds_the_screen_and_downloads_the_whole_hub(client, administrator):
    client.force_login(administrator)
    assert "Hub verhuizen" in client.get("/admin/").content.decode()
    response = client.post("/admin/hub-verhuizen/", {"export": "1"})
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith('attachment; filename="hub-')
    archive = zipfile.ZipFile(io.BytesIO(b"".join(response.streaming_content)))
    data = json.loads(archive.read("hub.json"))
    assert data["formatVersion"] == HUB_FORMAT_VERSION
    assert [v["version"] for v in data["frameworkVersions"]] == ["1.0", "1.1"]


@pytest.mark.django_db
@pytest.mark.parametrize("role", ["coordinator", "editor", "reviewer"])
def test_other_roles_may_not_move_the_hub(client, request, role):
    user = request.getfixturevalue(role)
    client.force_login(user)
    assert "Hub verhuizen" not in client.get("/admin/").content.decode()
    # Wagtail's admin answers a refused view with a redirect to the dashboard and a message.
    assert client.get("/admin/hub-verhuizen/")["Location"] == "/admin/"
    refused = client.post("/admin/hub-verhuizen/", {"export": "1"})
    assert refused.status_code == 302 and "Content-Disposition" not in refused


@pytest.mark.django_db
def test_the_beheerder_imports_as_drafts_and_sees_each_problem(client, administrator, small_export):
    client.force_login(administrator)
    bad = small_export(
        pilots=[{"product": "scan-governance", "title": "P", "regions": ["x"], "phase": "lopend"}]
    )
    with bad.open("rb") as handle:
        response = client.post(
            "/admin/hub-verhuizen/", {"import": "1", "file": handle, "dry_run": ""}
        )
    page = response.content.decode()
    assert "Niets geïmporteerd: 1 probleem" in page
    assert "Pilots, record 1, veld regions: &#x27;x&#x27; is geen arbeidsmarktregio" in page
    assert not ProductPage.objects.exists()

    good = small_export()
    with good.open("rb") as handle:
        response = client.post(
            "/admin/hub-verhuizen/", {"import": "1", "file": handle, "dry_run": ""}
        )
    page = response.content.decode()
    assert "Hub geïmporteerd:" in page
    assert "wachten nu op een kwaliteitstoets" in page and "Governance" in page
    assert ProductPage.objects.count() == 1
    assert not DevelopmentLinePage.objects.live().exists()
    revision = DevelopmentLinePage.objects.get().latest_revision
    assert revision.user == administrator


@pytest.mark.django_db
def test_a_former_colleague_keeps_their_products_and_stays_inactive(small_export):
    owner = {
        "email": "eigenaar@example.org",
        "username": "eigenaar",
        "firstName": "Eva",
        "lastName": "Eigenaar",
        "active": False,
        "roles": ["Redacteur"],
    }
    report = import_hub(small_export(people=[owner]))
    assert report.ok, report.lines()
    product = ProductPage.objects.get().get_latest_revision_as_object()
    assert product.product_owner.email == "eigenaar@example.org"
    assert not product.product_owner.is_active
    assert not product.product_owner.has_usable_password()


def png_bytes() -> bytes:
    from PIL import Image

    buffer = io.BytesIO()
    Image.new("RGB", (8, 6), "teal").save(buffer, format="PNG")
    return buffer.getvalue()


@pytest.mark.django_db
def test_images_and_related_products_move_with_the_product(small_export, tmp_path):
    base = {
        "productType": "scan",
        "summary": "Een scan.",
        "lifecycleStatus": "pilot",
        "version": "1.0",
        "live": False,
    }
    products = [
        {
            **base,
            "slug": "scan-een",
            "title": "Scan een",
            "images": [
                {
                    "file": "afbeeldingen/foto.png",
                    "title": "Foto",
                    "altText": "Twee mensen aan een tafel",
                    "decorative": False,
                    "caption": "Werkgeverstafel",
                }
            ],
            "relatedProducts": ["scan-twee"],
        },
        {**base, "slug": "scan-twee", "title": "Scan twee"},
    ]
    path = small_export(
        products=products, pilots=[], extra_files={"afbeeldingen/foto.png": png_bytes()}
    )
    report = import_hub(path)
    assert report.ok, report.lines()
    first = ProductPage.objects.get(slug="scan-een").get_latest_revision_as_object()
    image = first.images.get()
    assert (image.alt_text, image.caption, image.image.width) == (
        "Twee mensen aan een tafel",
        "Werkgeverstafel",
        8,
    )
    assert [link.related.slug for link in first.related_products.all()] == ["scan-twee"]

    assert run("export_hub", str(tmp_path / "terug.zip"))[0] is None
    exported = normalized_dump(tmp_path / "terug.zip")["products"][0]
    assert exported["relatedProducts"] == ["scan-twee"]
    assert exported["images"][0]["file"] == hashlib.sha256(png_bytes()).hexdigest()
    assert exported["images"][0]["altText"] == "Twee mensen aan een tafel"


@pytest.mark.django_db
def test_a_newer_framework_version_is_adopted_and_a_changed_one_refused(small_export):
    version = {
        "version": "2.0",
        "effectiveDate": timezone.localdate().isoformat(),
        "changeNote": "Alleen de samenvatting telt nog.",
        "status": "published",
        "criteria": [
            {
                "code": "samenvatting",
                "title": "Samenvatting",
                "explanation": "Een korte samenvatting.",
                "kind": "manual",
                "severity": "blocking",
                "checkCode": "",
                "pageTypes": ["productpage"],
                "productTypes": [],
                "lifecycleStages": [],
            }
        ],
    }
    assert import_hub(small_export(frameworkVersions=[version])).ok
    in_force = QualityFrameworkVersion.objects.in_force()
    assert in_force.version == "2.0"
    assert [c.code for c in in_force.criteria.all()] == ["samenvatting"]
    assert QualityFrameworkVersion.objects.get(version="1.1").status == "superseded"


@pytest.mark.django_db
def test_an_adopted_version_with_other_criteria_is_a_problem(small_export):
    changed = {
        "version": "1.0",
        "effectiveDate": "2026-01-01",
        "changeNote": "Anders.",
        "status": "superseded",
        "criteria": [],
    }
    report = import_hub(small_export(frameworkVersions=[changed]))
    assert [str(p) for p in report.problems] == [
        "Kwaliteitskader, record 1, veld criteria: kwaliteitskader v1.0 bestaat al in deze hub "
        "met andere criteria; een vastgestelde versie wijzigt niet"
    ]


@pytest.mark.django_db
@pytest.mark.parametrize(
    "content, problem",
    [
        (b"[" * 100_000 + b"]" * 100_000, "'hub.json' is te diep genest voor een hub-export"),
        (b'{"format": "x",}', "'hub.json' is geen geldige JSON (regel 1, kolom 16)"),
        ('{"naam": "caf\u00e9"}'.encode("latin-1"), "'hub.json' is geen UTF-8-tekst"),
    ],
)
def test_an_unreadable_hub_json_is_named_in_dutch_and_imports_nothing(
    tmp_path, hub, content, problem
):
    path = tmp_path / "hub.zip"
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("hub.json", content)
    pages = ProductPage.objects.count()
    report = import_hub(path, dry_run=True)
    assert not report.ok
    assert problem in str(report.problems[0])
    assert ProductPage.objects.count() == pages
