"""`import_products FILE --publish --approved-by USERNAME` goes through the quality gate (item 6)."""

import datetime
import io
import json

from django.core.management import CommandError, call_command

from wagtail.models import PageLogEntry

import pytest

from hubcms.testing.factories import DevelopmentLinePageFactory
from products.models import DevelopmentLineIndexPage, ProductPage
from quality.gate import REFUSED_ACTION
from quality.models import AssessmentSource, QualityAssessment


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


def record(slug: str, *, with_manual: bool) -> dict:
    review = datetime.date.today() + datetime.timedelta(days=300)
    sections = {
        name: f"De sectie {name} van dit product is kort en duidelijk."
        for name in (
            "aanleiding",
            "doel",
            "doelgroep",
            "randvoorwaarden",
            "uitvoering",
            "onderbouwing",
            "resultaten",
            "overdraagbaarheid",
        )
    }
    sections["aanpak"] = ["Voorbereiden", "Uitvoeren"]
    return {
        "slug": slug,
        "title": slug.replace("-", " ").capitalize(),
        "productType": "scan",
        "summary": "Een korte scan voor gemeente en SOB.",
        "lifecycleStatus": "pilot",
        "version": "1.0",
        "developmentLines": ["arbeidsmarktfunctionaliteiten"],
        "targetGroups": ["Beleidsadviseurs gemeenten"],
        "themes": [],
        "regions": [],
        "sections": sections,
        "owner": "redacteur",
        "nextReviewDate": review.isoformat(),
        "changeNote": "",
        "downloads": (
            [{"title": "Handleiding", "kind": "handleiding", "file": "handleiding.txt"}]
            if with_manual
            else []
        ),
    }


@pytest.fixture
def import_file(tmp_path, hub, editor):
    DevelopmentLinePageFactory(
        parent=DevelopmentLineIndexPage.objects.get(),
        title="Arbeidsmarktfunctionaliteiten",
        slug="arbeidsmarktfunctionaliteiten",
    )
    (tmp_path / "handleiding.txt").write_text("Handleiding", encoding="utf-8")
    path = tmp_path / "producten.json"
    records = [
        record("scan-compleet", with_manual=True),
        record("scan-zonder-handleiding", with_manual=False),
    ]
    path.write_text(json.dumps(records), encoding="utf-8")
    return path


def run(*args):
    out, err = io.StringIO(), io.StringIO()
    try:
        call_command("import_products", *args, stdout=out, stderr=err)
    except CommandError as error:
        return str(error), out.getvalue(), err.getvalue()
    return None, out.getvalue(), err.getvalue()


@pytest.mark.django_db
def test_publish_publishes_what_passes_and_keeps_the_rest_as_drafts(import_file, reviewer):
    error, out, err = run(
        str(import_file), "--user", "redacteur", "--publish", "--approved-by", "kwaliteit"
    )
    assert "1 product(en) niet gepubliceerd" in error
    complete = ProductPage.objects.get(slug="scan-compleet")
    incomplete = ProductPage.objects.get(slug="scan-zonder-handleiding")
    assert complete.live
    assessment = QualityAssessment.objects.get(revision_id=complete.live_revision_id)
    assert assessment.passed and assessment.reviewer == reviewer
    assert assessment.source == AssessmentSource.MIGRATION
    assert (
        "Gemigreerde inhoud" in assessment.judgements.filter(criterion__kind="manual").first().note
    )
    assert not incomplete.live
    assert "Handleiding of format beschikbaar" in err
    assert PageLogEntry.objects.filter(page=incomplete, action=REFUSED_ACTION).exists()


@pytest.mark.django_db
def test_without_publish_the_import_makes_drafts_only(import_file, reviewer):
    error, _, _ = run(str(import_file), "--user", "redacteur")
    assert error is None
    assert not ProductPage.objects.live().exists()
    assert not QualityAssessment.objects.exists()


@pytest.mark.django_db
def test_the_approver_must_be_a_kwaliteitsbewaker(import_file, coordinator):
    error, _, _ = run(str(import_file), "--publish", "--approved-by", "coordinator")
    assert "is geen Kwaliteitsbewaker" in error
    assert not ProductPage.objects.exists()


@pytest.mark.django_db
def test_the_approver_cannot_approve_their_own_import(import_file, reviewer):
    error, _, err = run(
        str(import_file), "--user", "kwaliteit", "--publish", "--approved-by", "kwaliteit"
    )
    assert "2 product(en) niet gepubliceerd" in error
    assert "maker of indiener" in err
    assert not ProductPage.objects.live().exists()
    assert not QualityAssessment.objects.exists()
