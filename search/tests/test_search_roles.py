"""Who manages search: the Coördinator keeps synonyms and reads analytics, editors promote."""

import pytest

pytestmark = pytest.mark.django_db


def test_coordinator_manages_synonyms_and_reads_search_analytics_editor_promotes(
    client, coordinator, editor
):
    from django.urls import reverse

    client.force_login(coordinator)
    assert client.get(reverse("wagtailsnippets_hubsearch_searchsynonym:list")).status_code == 200
    assert client.get(reverse("hubsearch_frequent_queries")).status_code == 200
    assert client.get(reverse("hubsearch_zero_result_queries")).status_code == 200
    client.force_login(editor)
    assert client.get(reverse("wagtailsearchpromotions:add")).status_code == 200
    response = client.get(reverse("hubsearch_frequent_queries"))
    assert response.status_code in (302, 403)
