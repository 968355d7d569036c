"""The quality framework is versioned data; a published version is never edited (items 1 and 7)."""

import datetime

from django.core.exceptions import ValidationError
from django.urls import reverse

import pytest

from core.bootstrap import bootstrap_hub
from core.tests.exports.helpers import csv_rows, export_and_download
from hubcms.testing.publishing import publish
from quality.framework import FRAMEWORK_V1_CRITERIA, ensure_framework_v1
from quality.gate import framework_in_force, gate_decision
from quality.models import FrameworkStatus, QualityCriterion, QualityFrameworkVersion
from quality.services import ensure_framework_version
from quality.tests.conftest import make_complete_product


@pytest.mark.django_db
def test_bootstrap_loads_version_1_0_with_the_criteria_of_the_issue(hub):
    version = QualityFrameworkVersion.objects.get(version="1.0")
    assert version.status in (FrameworkStatus.PUBLISHED, FrameworkStatus.SUPERSEDED)
    criteria = {c.code: c for c in version.criteria.all()}
    assert len(criteria) == len(FRAMEWORK_V1_CRITERIA) == 16
    automatic = {code for code, c in criteria.items() if c.kind == "automatic"}
    assert {
        "samenvatting",
        "werkblad_volledig",
        "indeling",
        "eigenaar",
        "alt_tekst",
        "koppen",
        "links_gepubliceerd",
        "download_handleiding",
        "herziening",
        "wijzigingsnotitie",
        "leesbaarheid",
    } == automatic
    assert criteria["leesbaarheid"].severity == "advisory"
    assert "handreiking" not in criteria["download_handleiding"].product_types
    assert len(criteria) - len(automatic) == 5
    assert ensure_framework_v1() == []
    assert bootstrap_hub() == []


@pytest.mark.django_db
def test_a_published_version_is_never_edited_only_superseded(hub):
    version = QualityFrameworkVersion.objects.get(version="1.0")
    version.change_note = "Stiekem aangepast"
    with pytest.raises(ValidationError):
        version.save()
    with pytest.raises(ValidationError):
        version.delete()
    criterion = version.criteria.first()
    criterion.title = "Anders"
    with pytest.raises(ValidationError):
        criterion.save()
    assert QualityCriterion.objects.get(pk=criterion.pk).title != "Anders"


@pytest.mark.django_db
def test_the_beheerder_manages_versions_in_the_admin(client, administrator):
    client.force_login(administrator)
    index = client.get(reverse("quality_framework:index"))
    assert index.status_code == 200
    assert "Kwaliteitskader v1.0" in index.content.decode()
    version = QualityFrameworkVersion.objects.get(version="1.0")
    response = client.get(reverse("quality_framework:edit", args=(version.pk,)), follow=True)
    assert "wordt niet meer gewijzigd" in response.content.decode()
    response = client.post(
        reverse("quality_new_framework_version", args=(version.pk,)), follow=True
    )
    draft = QualityFrameworkVersion.objects.get(status=FrameworkStatus.DRAFT)
    assert draft.criteria.count() == version.criteria.count()
    assert response.request["PATH_INFO"] == reverse("quality_framework:edit", args=(draft.pk,))
    # The draft is edited and published (vastgesteld) through the admin form.
    edit = client.get(reverse("quality_framework:edit", args=(draft.pk,)))
    assert edit.status_code == 200


@pytest.mark.django_db
def test_reviewers_and_editors_cannot_manage_versions(client, reviewer, editor):
    client.force_login(reviewer)
    assert client.get(reverse("quality_framework:index")).status_code == 200  # may read
    assert client.get(reverse("quality_framework:add")).status_code in (302, 403)
    client.force_login(editor)
    assert client.get(reverse("quality_framework:index")).status_code in (302, 403)


@pytest.mark.django_db
def test_ensure_framework_version_is_idempotent_and_supersedes(hub):
    current = framework_in_force()
    lines = ensure_framework_version(
        version="2.0",
        effective_date=datetime.date.today(),
        change_note="Strengere eisen",
        criteria=[{"code": "leesbaarheid", "severity": "blocking"}],
        copy_from=current.version,
    )
    assert lines and "v2.0" in lines[0]
    assert (
        ensure_framework_version(
            version="2.0",
            effective_date=datetime.date.today(),
            change_note="Strengere eisen",
            criteria=[],
        )
        == []
    )
    current.refresh_from_db()
    assert current.status == FrameworkStatus.SUPERSEDED
    new = framework_in_force()
    assert new.version == "2.0"
    assert new.criteria.get(code="leesbaarheid").severity == "blocking"
    assert new.criteria.count() == current.criteria.count()


@pytest.mark.django_db
def test_a_version_in_the_future_is_not_yet_in_force(hub):
    current = framework_in_force()
    ensure_framework_version(
        version="3.0",
        effective_date=datetime.date.today() + datetime.timedelta(days=30),
        change_note="Later",
        criteria=[],
        copy_from=current.version,
    )
    assert framework_in_force().pk == current.pk


@pytest.mark.django_db
def test_a_new_version_leaves_live_content_live_and_asks_for_it_next_time(
    client, library, line, editor, reviewer
):
    product = publish(make_complete_product(library, line, editor))
    ensure_framework_version(
        version="2.0",
        effective_date=datetime.date.today(),
        change_note="Nieuw",
        criteria=[],
        copy_from=framework_in_force().version,
    )
    product.refresh_from_db()
    assert product.live
    # The report lists it as assessed under an older version.
    client.force_login(reviewer)
    report = client.get(reverse("quality_reassessment_report")).content.decode()
    assert product.title in report
    assert "getoetst onder v1" in report
    # Its export (made in the background) lists it with the same reason.
    rows = csv_rows(
        export_and_download(client, reverse("quality_reassessment_report"), {"export": "csv"})
    )
    assert rows[0] == ["Pagina", "Getoetst onder", "Volgende herziening", "Waarom opnieuw toetsen"]
    assert [row[0] for row in rows[1:]] == [product.title]
    assert "getoetst onder v1" in rows[1][3]
    # Its live revision's assessment no longer counts for a new publication.
    decision = gate_decision(product.live_revision)
    assert not decision.allowed
    assert "kwaliteitskader v2.0" in decision.message


def version_form(version, **overrides) -> dict:
    criteria = list(version.criteria.all())
    data = {
        "version": version.version,
        "effective_date": version.effective_date.isoformat(),
        "status": version.status,
        "change_note": version.change_note,
        "criteria-TOTAL_FORMS": str(len(criteria)),
        "criteria-INITIAL_FORMS": str(len(criteria)),
        "criteria-MIN_NUM_FORMS": "0",
        "criteria-MAX_NUM_FORMS": "1000",
    }
    for i, criterion in enumerate(criteria):
        prefix = f"criteria-{i}-"
        data.update(
            {
                f"{prefix}id": str(criterion.pk),
                f"{prefix}code": criterion.code,
                f"{prefix}title": criterion.title,
                f"{prefix}explanation": criterion.explanation,
                f"{prefix}kind": criterion.kind,
                f"{prefix}severity": criterion.severity,
                f"{prefix}check_code": criterion.check_code,
                f"{prefix}page_types": criterion.page_types,
                f"{prefix}product_types": criterion.product_types,
                f"{prefix}lifecycle_stages": criterion.lifecycle_stages,
                f"{prefix}ORDER": str(i + 1),
                f"{prefix}DELETE": "",
            }
        )
    data.update(overrides)
    return data


@pytest.mark.django_db
def test_the_beheerder_adopts_a_new_version_through_the_admin(client, administrator):
    client.force_login(administrator)
    current = framework_in_force()
    client.post(reverse("quality_new_framework_version", args=(current.pk,)))
    draft = QualityFrameworkVersion.objects.get(status=FrameworkStatus.DRAFT)
    url = reverse("quality_framework:edit", args=(draft.pk,))
    # An automatic criterion must name an existing check.
    bad = version_form(draft, change_note="Strenger", **{"criteria-0-check_code": "bestaat-niet"})
    response = client.post(url, bad)
    assert response.status_code == 200
    assert "Kies de code van een bestaande automatische controle" in response.content.decode()
    form = version_form(
        draft,
        change_note="Leesbaarheid wordt blokkerend.",
        status="published",
        effective_date=datetime.date.today().isoformat(),
    )
    index = [k for k, v in form.items() if v == "leesbaarheid" and k.endswith("-code")][0]
    form[index.replace("-code", "-severity")] = "blocking"
    response = client.post(url, form)
    assert response.status_code == 302, response.content.decode()[:2000]
    draft.refresh_from_db()
    # Saving the form never adopts a version; adopting is its own confirmed action.
    assert draft.status == FrameworkStatus.DRAFT
    adopt = reverse("quality_adopt_framework_version", args=(draft.pk,))
    assert client.post(adopt).status_code == 302
    draft.refresh_from_db()
    current.refresh_from_db()
    assert draft.status == FrameworkStatus.PUBLISHED and draft.published_at
    assert current.status == FrameworkStatus.SUPERSEDED
    assert framework_in_force() == draft
    assert draft.criteria.get(code="leesbaarheid").severity == "blocking"
    scoped = draft.criteria.get(code="download_handleiding")
    assert "scan" in scoped.product_types and "handreiking" not in scoped.product_types
