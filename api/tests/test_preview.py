"""Preview of a draft in an external front end: one revision, through a signed, expiring token."""

from urllib.parse import parse_qs, urlparse

import pytest

from api import preview
from api.tests.conftest import API, SECRET_WORD

pytestmark = pytest.mark.django_db


def follow_admin_preview(client, page) -> str:
    response = client.get(f"/admin/voorvertoning-extern/{page.pk}/")
    assert response.status_code == 302, response.content
    return response["Location"]


def token_of(url: str) -> str:
    return parse_qs(urlparse(url).query)["token"][0]


def test_editor_previews_exactly_one_draft_revision(client, editor, published, monkeypatch):
    scan = published["scan"]
    client.force_login(editor)
    edit_page = client.get(f"/admin/pages/{scan.pk}/edit/")
    assert "Voorvertoning in externe front-end" in edit_page.content.decode()
    listing = client.get(f"/admin/pages/{scan.get_parent().pk}/")
    assert f"/admin/voorvertoning-extern/{scan.pk}/" in listing.content.decode()

    scan.summary = f"Concept met {SECRET_WORD}."
    scan.save_revision(user=editor)
    link = follow_admin_preview(client, scan)
    assert link.startswith(f"http://testserver{API}/voorvertoning?token=")
    client.logout()

    response = client.get(link.removeprefix("http://testserver"))
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["pageType"] == "product"
    assert body["product"]["summary"] == f"Concept met {SECRET_WORD}."
    assert body["product"]["qualityLabel"] is None  # this revision was never assessed
    assert response["Cache-Control"] == "private, no-store"
    v2 = client.get(f"/api/v2/page_preview/?token={token_of(link)}")
    assert v2.status_code == 200
    assert v2.json()["summary"] == f"Concept met {SECRET_WORD}."

    # The token names that revision only: a newer draft is not shown through it ...
    scan.summary = "Een nog nieuwere versie."
    scan.save_revision(user=editor)
    again = client.get(link.removeprefix("http://testserver")).json()
    assert again["product"]["summary"] == f"Concept met {SECRET_WORD}."
    # ... and the token opens nothing else.
    token = token_of(link)
    for url in [
        f"{API}/producten?token={token}",
        f"{API}/producten/{scan.slug}?token={token}",
        f"/api/v2/pages/{scan.pk}/?token={token}",
    ]:
        assert SECRET_WORD not in client.get(url).content.decode(), url

    # A tampered or expired token is a problem+json 404 with a Dutch reason.
    tampered = client.get(f"{API}/voorvertoning", {"token": token[:-2] + "xx"})
    assert tampered.status_code == 404
    assert tampered.json()["detail"] == "Dit voorvertoningstoken is ongeldig."
    monkeypatch.setattr(preview, "MAX_AGE_SECONDS", -1)
    expired = client.get(f"{API}/voorvertoning", {"token": token})
    assert expired.status_code == 404
    assert "verlopen" in expired.json()["detail"]
    assert client.get(f"/api/v2/page_preview/?token={token}").status_code == 404

    # With PREVIEW_FRONTEND_URL set, the link goes to the external front end.
    monkeypatch.setattr(preview, "MAX_AGE_SECONDS", 3600)
    monkeypatch.setenv("PREVIEW_FRONTEND_URL", "https://voorbeeld.gemeente.example/preview")
    client.force_login(editor)
    line = published["line"]
    line.save_revision(user=editor)
    link = follow_admin_preview(client, line)
    assert link.startswith("https://voorbeeld.gemeente.example/preview?token=")
    client.logout()
    body = client.get(f"{API}/voorvertoning", {"token": token_of(link)}).json()
    assert body["pageType"] == "ontwikkellijn"
    assert body["developmentLine"]["slug"] == line.slug


def test_only_editors_of_the_page_get_a_preview_link(client, published):
    from conftest import make_user

    outsider = make_user("buitenstaander", is_staff=False)
    client.force_login(outsider)
    response = client.get(f"/admin/voorvertoning-extern/{published['scan'].pk}/")
    assert response.status_code in (302, 403)
    assert "token=" not in response.get("Location", "")


@pytest.mark.parametrize(
    "data",
    [{"revision": "abc", "page": 1}, {"revision": 1, "page": "x"}, {"revision": 10**30, "page": 1}],
)
def test_a_signed_token_with_ids_that_are_no_ids_is_invalid_not_a_server_error(client, hub, data):
    from django.core import signing

    token = signing.TimestampSigner(salt=preview.SALT).sign_object(data, compress=True)
    for url in (f"{API}/voorvertoning", "/api/v2/page_preview/"):
        response = client.get(url, {"token": token})
        assert response.status_code == 404, url
        assert response.json()["detail"] == "Dit voorvertoningstoken is ongeldig."
