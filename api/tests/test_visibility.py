"""Neither API shows a draft, an unpublished revision, an unpublished or a view-restricted page.

The secret pages of the `secrets` fixture hold a word nothing public holds; no response of either
API, whatever its parameters, may contain it.
"""

import pytest

from api.tests.conftest import API, SECRET_WORD

pytestmark = pytest.mark.django_db


def product_library_urls(secrets) -> list[str]:
    slugs = [secrets["never"].slug, secrets["gone"].slug, secrets["restricted"].slug]
    urls = [
        f"{API}/producten",
        f"{API}/producten?q={SECRET_WORD}",
        f"{API}/producten?q=concept",
        f"{API}/zoeksuggesties?q=concept",
        f"{API}/zoeksuggesties?q=besloten",
        f"{API}/zoeksuggesties?q=teruggetrokken",
        f"{API}/zoeksuggesties?q={SECRET_WORD[:4]}",
        f"{API}/producten?pageSize=100&sort=newest",
        f"{API}/producten?pageSize=100&sort=title&lifecycleStatus=beschikbaar",
        f"{API}/producten?developmentLine=arbeidsmarktfunctionaliteiten&pageSize=100",
        f"{API}/producten?developmentLine={secrets['secret_line'].slug}",
        f"{API}/producten/scan-sociale-infrastructuur",
        f"{API}/producten/training-jobcoaching",
        f"{API}/ontwikkellijnen",
        f"{API}/ontwikkellijnen/arbeidsmarktfunctionaliteiten",
        f"{API}/ontwikkellijnen/{secrets['secret_line'].slug}",
        f"{API}/innovatieagenda",
        f"{API}/regios",
        f"{API}/producttypen",
        f"{API}/voorvertoning?token={SECRET_WORD}",
    ]
    urls += [f"{API}/producten/{slug}" for slug in slugs]
    return urls


def content_api_urls(secrets) -> list[str]:
    ids = [secrets[name].pk for name in ("never", "gone", "restricted", "secret_line")]
    urls = [
        "/api/v2/pages/",
        "/api/v2/pages/?fields=*&limit=100",
        f"/api/v2/pages/?search={SECRET_WORD}",
        "/api/v2/pages/?type=content.ProductPage&fields=*",
        "/api/v2/pages/?type=content.DevelopmentLinePage&fields=*",
        "/api/v2/pages/?type=content.InnovationAgendaPage&fields=*",
        f"/api/v2/pages/?child_of={secrets['never'].get_parent().pk}&fields=*",
        f"/api/v2/pages/?descendant_of={secrets['restricted'].pk}",
        f"/api/v2/pages/find/?html_path=/productbibliotheek/{secrets['never'].slug}/",
        f"/api/v2/pages/find/?html_path=/productbibliotheek/{secrets['restricted'].slug}/",
        "/api/v2/documents/",
        f"/api/v2/documents/?search={SECRET_WORD}",
        f"/api/v2/documents/{secrets['secret_document'].pk}/",
        "/api/v2/images/",
        f"/api/v2/page_preview/?token={SECRET_WORD}",
    ]
    urls += [f"/api/v2/pages/{pk}/" for pk in ids]
    return urls


def test_no_api_response_holds_unpublished_content(client, editor, published, secrets):
    urls = product_library_urls(secrets) + content_api_urls(secrets)
    for url in urls:
        response = client.get(url, follow=True)
        assert response.status_code in (200, 400, 404), (url, response.status_code)
        assert SECRET_WORD not in response.content.decode(), url

    # A live product shows its live revision, not the newer draft.
    product = client.get(f"{API}/producten/scan-sociale-infrastructuur").json()
    assert product["summary"].startswith("Een korte scan")
    assert client.get(f"{API}/producten/{secrets['never'].slug}").status_code == 404
    assert client.get(f"/api/v2/pages/{secrets['restricted'].pk}/").status_code == 404

    # A session that may see restricted pages on the website sees no more through the APIs.
    client.force_login(editor)
    for url in urls:
        response = client.get(url, follow=True)
        assert SECRET_WORD not in response.content.decode(), url
