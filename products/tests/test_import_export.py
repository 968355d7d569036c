"""Import and export of products: the round trip, idempotence, drafts only, and every import error."""

import io
import json
import shutil
from pathlib import Path

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.management import CommandError, call_command

from wagtail.documents import get_document_model
from wagtail.models import Revision

import pytest

from hubcms.testing.factories import (
    DevelopmentLinePageFactory,
    ProductPageFactory,
    TargetGroupFactory,
)
from hubcms.testing.publishing import publish
from products.importexport import export_products, import_products
from products.models import (
    DevelopmentLineIndexPage,
    ProductDownload,
    ProductLibraryPage,
    ProductPage,
    Region,
    TargetGroup,
)

FIXTURES = Path(__file__).parent / "import_fixtures"
Document = get_document_model()


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def line(hub):
    return DevelopmentLinePageFactory(
        parent=DevelopmentLineIndexPage.objects.get(),
        title="Arbeidsmarktfunctionaliteiten",
        slug="arbeidsmarktfunctionaliteiten",
    )


@pytest.fixture
def library(hub):
    return ProductLibraryPage.objects.get()


@pytest.fixture
def import_dir(tmp_path):
    """A folder with copies of the fixture files, where a test can write its own import file."""
    folder = tmp_path / "import"
    shutil.copytree(FIXTURES, folder)
    return folder


def write_json(folder: Path, records, name: str = "producten.json") -> Path:
    path = folder / name
    path.write_text(json.dumps(records, ensure_ascii=False), encoding="utf-8")
    return path


def valid_record(**overrides) -> dict:
    record = {
        "slug": "scan-regio",
        "title": "Scan regio",
        "productType": "scan",
        "summary": "Een scan.",
        "lifecycleStatus": "pilot",
        "version": "1.0",
        "developmentLines": ["arbeidsmarktfunctionaliteiten"],
        "targetGroups": [],
        "themes": [],
        "regions": [],
        "sections": {"aanpak": ["Voorbereiden", "Uitvoeren"]},
        "owner": "redacteur",
        "nextReviewDate": "2027-01-31",
        "changeNote": "",
        "downloads": [],
    }
    record.update(overrides)
    return record


def latest(slug: str) -> ProductPage:
    return ProductPage.objects.get(slug=slug).get_latest_revision_as_object()


# Importing JSON and CSV


def test_json_import_creates_drafts_with_every_field(editor, line, import_dir):
    report = import_products(import_dir / "products.json", user=editor)

    assert report.ok, report.lines()
    assert [(item.slug, item.outcome) for item in report.records] == [
        ("scan-sociale-infrastructuur", "created"),
        ("werkvorm-regiogesprek", "created"),
    ]
    page = ProductPage.objects.get(slug="scan-sociale-infrastructuur")
    assert page.get_parent().specific_class is ProductLibraryPage
    assert not page.live and page.has_unpublished_changes
    assert report.records[0].revision == page.latest_revision
    assert page.latest_revision.user == editor
    draft = page.get_latest_revision_as_object()
    assert draft.product_type == "scan"
    assert draft.lifecycle_status == "pilot"
    assert draft.version == "1.0"
    assert str(draft.next_review_date) == "2027-03-31"
    assert draft.product_owner == editor
    assert draft.change_note == "Eerste versie na de pilot."
    # Plain text becomes paragraphs; HTML is kept in the editor's own form.
    assert draft.aanleiding == (
        "<p>Gemeenten vroegen om een gedeelde taal voor de sociale infrastructuur.</p>"
        "<p>De scan is ontwikkeld met drie regio's.</p>"
    )
    assert draft.doel == "<p>Na de scan weet de gemeente <b>waar zij staat</b>.</p>"
    assert draft.overdraagbaarheid == "<ul><li>handleiding</li><li>werkblad</li></ul>"
    steps = [block.value for block in draft.aanpak]
    assert [step["title"] for step in steps] == [
        "Breng de uitgangssituatie in kaart",
        "Voer het gesprek",
    ]
    assert steps[1]["description"].source == "<p>Bespreek de uitkomsten met de regio.</p>"
    assert steps[1]["duration"] == "een dagdeel"
    assert [line.slug for line in draft.development_lines.all()] == [line.slug]
    assert sorted(region.code for region in draft.regions.all()) == [
        "achterhoek",
        "groot-amsterdam",
    ]
    assert sorted(tag.name for tag in draft.themes.all()) == ["Participatiewet", "beschut werk"]
    # Missing target groups are created once; "directie sob" matches the new "Directie SOB".
    assert sorted(TargetGroup.objects.values_list("name", flat=True)) == [
        "Beleidsadviseurs gemeenten",
        "Directie SOB",
    ]
    assert [group.slug for group in latest("werkvorm-regiogesprek").target_groups.all()] == [
        "directie-sob"
    ]
    downloads = list(draft.downloads.all())
    assert [(d.title, d.kind) for d in downloads] == [
        ("Handleiding scan", "handleiding"),
        ("Werkblad regio", "werkblad"),
    ]
    assert (
        downloads[0].document.file.read()
        == (import_dir / "bestanden" / "handleiding-scan.txt").read_bytes()
    )
    # The same file in two products is one document.
    assert Document.objects.count() == 2
    other = latest("werkvorm-regiogesprek")
    assert other.downloads.get().document == downloads[1].document
    assert other.product_owner == editor  # found by e-mail address
    assert other.next_review_date is None


def test_second_import_of_the_same_file_changes_nothing(editor, line, import_dir):
    path = import_dir / "products.json"
    import_products(path)
    counts = (Revision.objects.count(), Document.objects.count(), TargetGroup.objects.count())

    report = import_products(path)

    assert report.ok
    assert [item.outcome for item in report.records] == ["unchanged", "unchanged"]
    assert not report.changed
    assert report.summary() == "0 aangemaakt, 0 bijgewerkt, 2 ongewijzigd."
    assert "Record 1: scan-sociale-infrastructuur (Scan sociale infrastructuur) ongewijzigd" in (
        report.lines()
    )
    assert (
        Revision.objects.count(),
        Document.objects.count(),
        TargetGroup.objects.count(),
    ) == counts


def test_csv_import_reads_the_documented_cell_conventions(editor, line, import_dir):
    report = import_products(import_dir / "products.csv")

    assert report.ok, report.lines()
    assert [item.outcome for item in report.records] == ["created", "created"]
    draft = latest("handreiking-governance")
    assert draft.version == "2.1"
    assert sorted(group.name for group in draft.target_groups.all()) == [
        "Beleidsadviseurs gemeenten",
        "Directie SOB",
    ]
    assert sorted(tag.name for tag in draft.themes.all()) == ["governance", "sturing"]
    assert sorted(region.code for region in draft.regions.all()) == [
        "achterhoek",
        "groot-amsterdam",
    ]
    assert draft.aanleiding == "<p>Gemeenten zoeken een vorm.</p><p>Deze handreiking helpt.</p>"
    steps = [block.value for block in draft.aanpak]
    assert [(s["title"], s["description"].source, s["duration"]) for s in steps] == [
        ("Kies een model", "<p>Vergelijk de <b>drie</b> modellen.</p>", "twee weken"),
        ("Leg het vast", "", ""),
    ]
    download = draft.downloads.get()
    assert (download.title, download.kind) == ("Handleiding governance", "handleiding")
    empty = latest("format-regioplan")
    assert empty.product_owner is None
    assert list(empty.regions.all()) == []
    assert import_products(import_dir / "products.csv").summary() == (
        "0 aangemaakt, 0 bijgewerkt, 2 ongewijzigd."
    )


def test_csv_as_excel_saves_it_with_byte_order_mark_and_crlf_is_read(editor, line, tmp_path):
    path = tmp_path / "excel.csv"
    path.write_bytes(
        '\ufeffslug;title;productType;themes\r\nscan-een;Scan één;scan;"a; b"\r\n'.encode()
    )

    report = import_products(path)

    assert report.ok, report.lines()
    draft = latest("scan-een")
    assert draft.title == "Scan één"
    assert sorted(tag.name for tag in draft.themes.all()) == ["a", "b"]


def test_dry_run_reports_what_would_happen_and_writes_nothing(editor, line, import_dir):
    report = import_products(import_dir / "products.json", dry_run=True)

    assert report.ok
    assert [item.outcome for item in report.records] == ["created", "created"]
    assert report.summary().startswith("Proefimport, niets opgeslagen: 2 aangemaakt")
    assert report.created_target_groups == ["Beleidsadviseurs gemeenten", "Directie SOB"]
    assert not ProductPage.objects.exists()
    assert not TargetGroup.objects.exists()
    assert not Document.objects.exists()


def test_existing_document_with_the_same_content_is_reused(editor, line, import_dir):
    existing = Document.objects.create(
        title="Al geüpload",
        file=ContentFile(
            (import_dir / "bestanden" / "handleiding-scan.txt").read_bytes(), name="oud.txt"
        ),
    )
    existing.get_file_hash()

    report = import_products(import_dir / "products.json")

    assert report.created_documents == ["Werkblad regio"]
    first = latest("scan-sociale-infrastructuur").downloads.all()[0]
    assert first.document == existing


# Updating existing products


def test_update_adds_a_revision_and_leaves_the_live_version_alone(
    editor, line, library, import_dir
):
    page = publish(
        ProductPageFactory(parent=library, title="Scan regio", slug="scan-regio", complete=True)
    )
    live_revision = page.live_revision
    path = write_json(import_dir, [valid_record(title="Scan regio, tweede versie", version="2.0")])

    report = import_products(path, user=editor)

    assert report.ok, report.lines()
    outcome = report.records[0]
    assert outcome.outcome == "updated"
    assert outcome.page.pk == page.pk
    page.refresh_from_db()
    assert page.live and page.title == "Scan regio" and page.version == "1.0"
    assert page.live_revision == live_revision
    assert page.has_unpublished_changes
    assert page.latest_revision == outcome.revision
    draft = page.get_latest_revision_as_object()
    assert (draft.title, draft.version) == ("Scan regio, tweede versie", "2.0")
    assert import_products(path).records[0].outcome == "unchanged"


def test_record_with_only_some_keys_changes_only_those(editor, line, library, import_dir):
    page = ProductPageFactory(parent=library, title="Scan regio", slug="scan-regio")
    page.save_revision()
    path = write_json(import_dir, [{"slug": "scan-regio", "title": "Scan voor de regio"}])

    report = import_products(path)

    assert report.records[0].outcome == "updated"
    draft = latest("scan-regio")
    assert draft.title == "Scan voor de regio"
    assert draft.summary == page.summary
    assert draft.doel == page.doel
    assert len(draft.aanpak) == 2
    # A draft that was never published keeps its working copy in the page row, as in the admin.
    page.refresh_from_db()
    assert page.title == "Scan voor de regio" and not page.live


def test_locked_products_and_aliases_are_not_updated(editor, coordinator, line, library, tmp_path):
    locked = ProductPageFactory(parent=library, title="Vergrendeld", slug="vergrendeld")
    locked.locked, locked.locked_by = True, coordinator
    locked.save()
    original = ProductPageFactory(parent=library, title="Origineel", slug="origineel")
    original.create_alias(parent=library, update_slug="alias")
    path = write_json(
        tmp_path,
        [{"slug": "vergrendeld", "title": "Nieuw"}, {"slug": "alias", "title": "Nieuw"}],
    )

    report = import_products(path, user=editor)

    assert [str(problem) for problem in report.problems] == [
        "Record 1, veld slug: het product 'vergrendeld' is vergrendeld door coordinator; "
        "ontgrendel het eerst in de beheeromgeving",
        "Record 2, veld slug: 'alias' is een alias van een ander product; werk het origineel bij",
    ]
    # Whoever holds the lock may import over it.
    lock_holder_file = write_json(tmp_path, [{"slug": "vergrendeld", "title": "Nieuw"}])
    assert import_products(lock_holder_file, user=coordinator).records[0].outcome == "updated"


# Export and the round trip


def build_hub_content(library, line, editor) -> None:
    """Products as editors make them: rich text with block keys, relations, downloads."""
    manual = Document.objects.create(
        title="Handleiding", file=ContentFile(b"Handleiding bij de scan", name="handleiding.txt")
    )
    sheet = Document.objects.create(
        title="Werkblad", file=ContentFile(b"Werkblad; met puntkomma", name="werkblad.txt")
    )
    first = ProductPageFactory(
        parent=library,
        title="Scan regio",
        slug="scan-regio",
        aanleiding='<p data-block-key="a1b2c">Gemeenten vroegen om <b>een taal</b>.</p>',
        product_owner=editor,
        summary="Een scan voor de regio, ingevoerd met een regel wit erachter.\n",
        change_note="Herzien na de pilot | versie 1",
    )
    first.target_groups = [TargetGroupFactory(name="Beleidsadviseurs gemeenten")]
    first.development_lines = [line]
    first.regions = list(Region.objects.filter(code__in=["achterhoek", "twente"]))
    first.themes.set(["beschut werk", "regie; samenwerking"])
    first.downloads = [
        ProductDownload(document=manual, kind="handleiding", title="Handleiding scan"),
        ProductDownload(document=sheet, kind="werkblad", title=""),
    ]
    first.save()
    first.save_revision()
    second = ProductPageFactory(
        parent=library,
        title="Training regie",
        slug="training-regie",
        product_type="training",
        lifecycle_status="idee",
        next_review_date=None,
        aanpak=[
            (
                "step",
                {
                    "title": "Kennismaken | starten",
                    "description": "<p>Regel 1</p><ul><li>punt</li></ul>",
                    "duration": "1 uur",
                },
            )
        ],
    )
    second.downloads = [ProductDownload(document=manual, kind="handleiding", title="")]
    second.save()
    second.save_revision()


def wipe_products() -> None:
    for page in ProductPage.objects.all():
        page.delete()
    Document.objects.all().delete()
    TargetGroup.objects.all().delete()


def exported(path: Path) -> list[dict]:
    """The records of a JSON export, with each download file replaced by its content."""
    records = json.loads(path.read_text(encoding="utf-8"))
    for record in records:
        for download in record.get("downloads", []):
            download["file"] = (path.parent / download["file"]).read_bytes().decode()
    return records


@pytest.mark.parametrize("file_format", ["json", "csv"])
def test_export_then_import_into_an_empty_hub_gives_identical_content(
    editor, line, library, tmp_path, file_format
):
    build_hub_content(library, line, editor)
    original = tmp_path / "origineel" / "producten.json"
    export_products(output=original)
    transfer = tmp_path / "overdracht" / f"producten.{file_format}"
    report = export_products(output=transfer)
    assert report.products == 2
    assert len(report.files_written) == 2  # one file per document, shared between products
    wipe_products()

    imported = import_products(transfer)

    assert imported.ok, imported.lines()
    assert [item.outcome for item in imported.records] == ["created", "created"]
    again = tmp_path / "opnieuw" / "producten.json"
    export_products(output=again)
    assert exported(again) == exported(original)
    assert import_products(transfer).summary() == "0 aangemaakt, 0 bijgewerkt, 2 ongewijzigd."


def test_reimporting_an_export_into_the_same_hub_changes_nothing(editor, line, library, tmp_path):
    build_hub_content(library, line, editor)
    revisions = Revision.objects.count()
    for name in ("export.json", "export.csv"):
        export_products(output=tmp_path / name)

        report = import_products(tmp_path / name)

        assert report.ok, report.lines()
        assert [item.outcome for item in report.records] == ["unchanged", "unchanged"]
        assert Revision.objects.count() == revisions
        assert Document.objects.count() == 2


def test_export_holds_drafts_by_default_and_live_content_with_live(editor, line, library, tmp_path):
    page = publish(
        ProductPageFactory(parent=library, title="Scan regio", slug="scan-regio", complete=True)
    )
    draft = page.get_latest_revision_as_object()
    draft.title = "Scan regio (concept)"
    draft.save_revision()
    ProductPageFactory(parent=library, title="Nooit gepubliceerd", slug="nooit-gepubliceerd")

    stream = io.StringIO()
    export_products(stream=stream, include_downloads=False)
    records = json.loads(stream.getvalue())
    assert [(r["slug"], r["title"]) for r in records] == [
        ("scan-regio", "Scan regio (concept)"),
        ("nooit-gepubliceerd", "Nooit gepubliceerd"),
    ]
    assert "downloads" not in records[0]

    export_products(output=tmp_path / "live.json", live=True)
    live = json.loads((tmp_path / "live.json").read_text(encoding="utf-8"))
    assert [(r["slug"], r["title"]) for r in live] == [("scan-regio", "Scan regio")]


# Every import error


def assert_nothing_imported(report) -> None:
    assert not report.ok
    assert report.records == []
    assert not ProductPage.objects.exists()
    assert not TargetGroup.objects.exists()
    assert not Document.objects.exists()


# Each case: a record with exactly one mistake, the field and the start of the Dutch problem.
INVALID_RECORDS = [
    (
        {"productType": "webinar"},
        "productType",
        "'webinar' is geen bekend producttype (kies uit scan, format, werkvorm, instrument, "
        "ontwikkelmodule, training, handreiking)",
    ),
    ({"productType": None}, "productType", "is verplicht en mag niet leeg zijn"),
    ({"lifecycleStatus": "klaar"}, "lifecycleStatus", "'klaar' is geen bekende levensfase"),
    ({"version": "versie 2"}, "version", "'versie 2' is geen geldige versie. Schrijf de versie"),
    ({"version": 2.0}, "version", "moet tekst zijn, geen het getal 2.0"),
    ({"version": "1.0.0.0.0.0.0.0.0.0.0"}, "version", "is 21 tekens lang; het maximum is 20"),
    ({"title": "x" * 256}, "title", "is 256 tekens lang; het maximum is 255"),
    ({"title": ""}, "title", "is verplicht en mag niet leeg zijn"),
    ({"slug": "Scan Regio!"}, "slug", "'Scan Regio!' is geen geldige slug"),
    (
        {"slug": "scan-sociale-infrastructuur"},
        "slug",
        "'scan-sociale-infrastructuur' staat ook in record 1",
    ),
    ({"owner": "onbekend"}, "owner", "'onbekend' is geen bekende gebruiker"),
    (
        {"owner": "bezoeker"},
        "owner",
        "de gebruiker 'bezoeker' heeft geen toegang tot de beheeromgeving",
    ),
    ({"nextReviewDate": "31-12-2027"}, "nextReviewDate", "'31-12-2027' is geen geldige datum"),
    ({"nextReviewDate": "2027-02-30"}, "nextReviewDate", "'2027-02-30' is geen geldige datum"),
    (
        {"developmentLines": ["governance"]},
        "developmentLines",
        "'governance' is geen bekende ontwikkellijn (bekend: arbeidsmarktfunctionaliteiten)",
    ),
    ({"regions": ["Atlantis"]}, "regions", "'Atlantis' is geen arbeidsmarktregio"),
    ({"themes": "beschut werk"}, "themes", "moet een lijst zijn, geen tekst"),
    ({"themes": ["t" * 101]}, "themes[1]", "is 101 tekens lang; het maximum is 100"),
    ({"targetGroups": ["d" * 121]}, "targetGroups[1]", "is 121 tekens lang; het maximum is 120"),
    ({"productTyp": "scan"}, "productTyp", "onbekend veld (bekend: slug, title, productType"),
    ({"sections": {"inleiding": "x"}}, "sections.inleiding", "onbekende sectie"),
    ({"sections": ["x"]}, "sections", "moet een object zijn, geen een lijst"),
    (
        {"sections": {"doel": "<table><tr><td>x</td></tr></table>"}},
        "sections.doel",
        "bevat HTML die de editor hier niet kent: <table>, <tr>, <td>",
    ),
    (
        {"sections": {"aanpak": ["Stap een", {"description": "zonder titel"}]}},
        "sections.aanpak[2].title",
        "is verplicht en mag niet leeg zijn",
    ),
    (
        {"sections": {"aanpak": [{"title": "s" * 201}]}},
        "sections.aanpak[1].title",
        "is 201 tekens lang; het maximum is 200",
    ),
    (
        {"downloads": [{"title": "Handleiding", "kind": "handleiding", "file": "weg.pdf"}]},
        "downloads[1].file",
        "het bestand 'weg.pdf' bestaat niet",
    ),
    (
        {"downloads": [{"kind": "boek", "file": "bestanden/werkblad-regio.txt"}]},
        "downloads[1].kind",
        "'boek' is geen bekende soort download",
    ),
    (
        {"downloads": [{"kind": "overig", "file": "/etc/passwd"}]},
        "downloads[1].file",
        "'/etc/passwd' is een absoluut pad",
    ),
    (
        {"downloads": [{"kind": "overig", "file": "../geheim.txt"}]},
        "downloads[1].file",
        "'../geheim.txt' ligt buiten de map van het importbestand",
    ),
]


def test_every_invalid_record_is_reported_with_its_number_and_field(editor, line, import_dir):
    get_user_model().objects.create_user("bezoeker", email="bezoeker@example.org")
    (import_dir.parent / "geheim.txt").write_text("geheim")
    valid = json.loads((import_dir / "products.json").read_text(encoding="utf-8"))[0]
    records = [valid] + [
        valid_record(**{"slug": f"fout-{number}", **overrides})
        for number, (overrides, _field, _message) in enumerate(INVALID_RECORDS, start=2)
    ]
    path = write_json(import_dir, records)

    report = import_products(path)

    assert_nothing_imported(report)
    for number, (_overrides, field, message) in enumerate(INVALID_RECORDS, start=2):
        found = [str(problem) for problem in report.problems if problem.record == number]
        expected = f"Record {number}, veld {field}: {message}"
        assert len(found) == 1 and found[0].startswith(expected), (expected, found)
    assert len(report.problems) == len(INVALID_RECORDS)


def test_every_problem_in_the_file_is_reported_at_once(editor, line, import_dir):
    path = write_json(
        import_dir,
        [
            valid_record(slug="goed"),
            valid_record(slug="fout-een", productType="webinar", version="1"),
            "geen object",
            valid_record(slug="fout-twee", owner="niemand"),
        ],
    )

    report = import_products(path)

    assert_nothing_imported(report)
    assert [(problem.record, problem.field) for problem in report.problems] == [
        (2, "productType"),
        (2, "version"),
        (3, ""),
        (4, "owner"),
    ]
    assert str(report.problems[2]) == "Record 3: een product is een object ({...}), geen tekst"
    assert report.summary() == "Niets geïmporteerd: 4 problemen in producten.json."


def test_a_record_refused_by_the_model_while_saving_rolls_back_the_whole_file(
    editor, line, import_dir, monkeypatch, settings
):
    original_clean = ProductPage.clean

    def refuse_second_product(page):
        original_clean(page)
        if page.slug == "werkvorm-regiogesprek":
            raise ValidationError({"summary": "Geweigerd door het model."})

    monkeypatch.setattr(ProductPage, "clean", refuse_second_product)

    report = import_products(import_dir / "products.json")

    assert [str(problem) for problem in report.problems] == [
        "Record 2, veld summary: Geweigerd door het model."
    ]
    assert_nothing_imported(report)
    # The files stored for the new documents went with the rolled-back transaction.
    assert not any(path.is_file() for path in Path(settings.MEDIA_ROOT).rglob("*"))


@pytest.mark.parametrize(
    ("name", "content", "expected"),
    [
        ("kapot.json", '[{"slug": "a",}]', "Bestand: geen geldige JSON: Expecting property name"),
        ("object.json", '{"slug": "a"}', "Bestand: een importbestand bevat een JSON-lijst"),
        ("leeg.csv", "", "Bestand: het CSV-bestand is leeg"),
        (
            "kolom.csv",
            "slug,titel\na,b\n",
            "Bestand, kolom titel: onbekende kolom 'titel'",
        ),
        ("zonderslug.csv", "title\nScan\n", "Bestand, kolom slug: de kolom 'slug' ontbreekt"),
        ("quote.csv", 'slug,title\na,"Scan\n', "Bestand: geen geldige CSV op regel"),
        (
            "cellen.csv",
            "slug,title\na,b,c\n",
            "Record 1 (rij 2): de rij heeft 3 cellen maar er zijn 2 kolommen",
        ),
        (
            "json-cel.csv",
            "slug,title,themes\na,b,[kapot\n",
            "Record 1 (rij 2), veld themes: de cel begint met [ maar is geen geldige JSON-lijst",
        ),
        ("producten.xlsx", "x", "Bestand: 'producten.xlsx' heeft een onbekende bestandssoort"),
    ],
)
def test_an_unreadable_file_imports_nothing(db, tmp_path, name, content, expected):
    path = tmp_path / name
    path.write_text(content, encoding="utf-8")

    report = import_products(path)

    assert_nothing_imported(report)
    assert str(report.problems[0]).startswith(expected), [str(p) for p in report.problems]


def test_a_missing_or_non_utf8_file_is_reported(db, tmp_path):
    assert str(import_products(tmp_path / "weg.json").problems[0]) == (
        f"Bestand: '{tmp_path / 'weg.json'}' bestaat niet"
    )
    (tmp_path / "map.json").mkdir()
    assert "is een map, geen bestand" in str(import_products(tmp_path / "map.json").problems[0])
    (tmp_path / "ansi.csv").write_bytes("slug,title\nscan,Scan één\n".encode("cp1252"))
    assert str(import_products(tmp_path / "ansi.csv").problems[0]) == (
        "Bestand: 'ansi.csv' is geen UTF-8-tekst (regel 2); sla het bestand op als UTF-8 "
        "(in Excel: 'CSV UTF-8')"
    )


# The commands


def test_import_command_reports_outcomes_and_refuses_an_invalid_file(editor, line, import_dir):
    out = io.StringIO()
    call_command("import_products", str(import_dir / "products.json"), stdout=out)
    assert "Record 1: scan-sociale-infrastructuur (Scan sociale infrastructuur) aangemaakt" in (
        out.getvalue()
    )
    assert "2 aangemaakt, 0 bijgewerkt, 0 ongewijzigd." in out.getvalue()

    out = io.StringIO()
    call_command("import_products", str(import_dir / "products.json"), stdout=out)
    assert "0 aangemaakt, 0 bijgewerkt, 2 ongewijzigd." in out.getvalue()

    bad = write_json(import_dir, [valid_record(productType="webinar")], name="fout.json")
    err = io.StringIO()
    with pytest.raises(CommandError, match="Niets geïmporteerd: 1 probleem in fout.json"):
        call_command("import_products", str(bad), stderr=err)
    assert "Record 1, veld productType: 'webinar' is geen bekend producttype" in err.getvalue()


def test_import_command_dry_run_and_revision_author(editor, line, import_dir):
    out = io.StringIO()
    call_command("import_products", str(import_dir / "products.json"), "--dry-run", stdout=out)
    assert "Proefimport, niets opgeslagen: 2 aangemaakt" in out.getvalue()
    assert not ProductPage.objects.exists()

    call_command(
        "import_products", str(import_dir / "products.json"), "--user", "redacteur", stdout=out
    )
    assert ProductPage.objects.get(slug="werkvorm-regiogesprek").latest_revision.user == editor
    with pytest.raises(CommandError, match="Gebruiker 'niemand' bestaat niet."):
        call_command("import_products", str(import_dir / "products.json"), "--user", "niemand")


def test_export_command_writes_a_file_and_its_downloads_for_import(editor, line, library, tmp_path):
    build_hub_content(library, line, editor)
    target = tmp_path / "uit" / "producten.csv"
    err = io.StringIO()

    call_command("export_products", "-o", str(target), stderr=err)

    assert "2 producten geëxporteerd als CSV" in err.getvalue()
    # For Dutch Excel: a byte-order mark and semicolons (the import reads commas too).
    assert target.read_text(encoding="utf-8").startswith("\ufeffslug;title;productType;")
    assert sorted(p.name for p in (tmp_path / "uit" / "producten-bestanden").iterdir()) == [
        "handleiding.txt",
        "werkblad.txt",
    ]
    out = io.StringIO()
    call_command("export_products", "--no-downloads", stdout=out, stderr=io.StringIO())
    assert [record["slug"] for record in json.loads(out.getvalue())] == [
        "scan-regio",
        "training-regie",
    ]


def test_an_import_refuses_download_files_that_an_upload_would_refuse(editor, line, import_dir):
    """The import is an upload path too: its files pass the same parsers (issue 14 item 6)."""
    from core.tests.production import hostile_files

    (import_dir / "bestanden" / "rapport.pdf").write_bytes(
        hostile_files.pdf_with_javascript_in_object_stream()
    )
    (import_dir / "bestanden" / "notulen.docx").write_bytes(hostile_files.docm_renamed_to_docx())
    path = write_json(
        import_dir,
        [
            valid_record(
                downloads=[
                    {"file": "bestanden/rapport.pdf", "kind": "handleiding", "title": "Rapport"},
                    {"file": "bestanden/notulen.docx", "kind": "werkblad", "title": "Notulen"},
                ]
            )
        ],
    )

    report = import_products(path, user=editor)

    assert not report.ok
    problems = [str(problem) for problem in report.problems]
    assert len(problems) == 2, problems
    assert "downloads[1].file" in problems[0] and "bevat JavaScript" in problems[0]
    assert "downloads[2].file" in problems[1] and "bevat macro" in problems[1]
    assert not Document.objects.exists()
    assert not ProductPage.objects.filter(slug="scan-regio").exists()
