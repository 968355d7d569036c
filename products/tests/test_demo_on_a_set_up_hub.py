"""`bootstrap_hub --demo` on a hub that was set up without the demo (products/demo/loader.py).

Such a hub already has framework 1.1 in force, whose criteria read the pilots and specialists
that the demo operations add after the products. The products meant to be live must still go
live, through the demo reviewer's assessment and the gate, as on a fresh demo hub.
"""

import json
from io import StringIO

from django.core.management import call_command

from wagtail.models import Revision

import pytest

from conftest import make_user
from core import roles
from products.demo.loader import DRAFT_SLUGS, PRODUCTS_FILE
from products.models import ProductPage
from quality.gate import framework_in_force, gate_decision
from quality.selectors import live_pages_needing_reassessment

MEANT_TO_BE_LIVE = {
    record["slug"]
    for record in json.loads(PRODUCTS_FILE.read_text(encoding="utf-8"))
    if record["lifecycleStatus"] != "idee" and record["slug"] not in DRAFT_SLUGS
}


def bootstrap(*args: str) -> str:
    out = StringIO()
    call_command("bootstrap_hub", *args, stdout=out)
    return out.getvalue()


@pytest.fixture
def hub_without_demo(blank_database, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    bootstrap()
    assert framework_in_force().version == "1.1"
    assert not ProductPage.objects.exists()


def test_the_demo_goes_live_on_a_hub_set_up_without_it(hub_without_demo):
    first = bootstrap("--demo")

    assert "Demohub: 35 producten geïmporteerd" in first
    assert "blijft concept" not in first
    live = list(ProductPage.objects.live())
    assert {page.slug for page in live} == MEANT_TO_BE_LIVE
    for page in live:
        decision = gate_decision(page.live_revision)
        assert decision.allowed, (page.slug, decision.unmet)
        # The assessment the gate relies on (an earlier failed one under 1.1 stays in the history).
        assessment = decision.assessment
        assert assessment.passed and assessment.framework_version.version == "1.1"
        assert assessment.reviewer.username == "kwaliteit"
        assert page.live_revision.user.username == "redacteur"  # not its own author's judgement
    assert list(live_pages_needing_reassessment()) == []
    # The one product whose editor is at work on a next version has that draft, as on a fresh demo.
    pending = ProductPage.objects.get(slug="handreiking-begeleiding-naar-regulier-werk")
    assert pending.has_unpublished_changes and pending.live

    revisions = Revision.objects.count()
    assert bootstrap("--demo").strip() == "Niets gewijzigd: de hub was al ingericht."
    assert Revision.objects.count() == revisions


def test_drafts_left_by_an_earlier_run_go_live_but_not_one_someone_else_edited(
    hub_without_demo, monkeypatch
):
    with monkeypatch.context() as earlier_loader:
        # The demo as the loader before this fix left it: most products drafts.
        earlier_loader.setattr("core.bootstrap.publish_waiting", lambda: [])
        bootstrap("--demo")
    drafts = ProductPage.objects.filter(slug__in=MEANT_TO_BE_LIVE, live=False).order_by("path")
    assert drafts.count() > 10
    edited = drafts.first()
    editor = make_user("andere_redacteur", roles.EDITOR)
    edited.get_latest_revision_as_object().save_revision(user=editor)

    again = bootstrap("--demo")

    live = set(ProductPage.objects.live().values_list("slug", flat=True))
    assert live == MEANT_TO_BE_LIVE - {edited.slug}
    assert "producten gepubliceerd nu hun pilots en specialisten er zijn" in again
    assert not ProductPage.objects.get(pk=edited.pk).live  # their draft is theirs to submit
