"""Shared fixtures: a bootstrapped hub and a user for each role."""

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group

import pytest

from core import roles
from core.bootstrap import bootstrap_hub
from hubcms.testing import skip_policy


@pytest.fixture(scope="session", autouse=True)
def private_export_folder(tmp_path_factory):
    """Report exports made by any test go to pytest's temporary folder, not into the project."""
    from django.conf import settings

    settings.HUBCMS_EXPORTS_ROOT = tmp_path_factory.mktemp("exports")


@pytest.fixture(scope="session", autouse=True)
def search_engine_indexes():
    """With SEARCH_URL set, the session's own indexes (SEARCH_INDEX_PREFIX) go at the end."""
    from search.opensearch.client import configured

    yield
    if configured():
        from search.opensearch.indexing import delete_indexes_with_prefix

        delete_indexes_with_prefix()


@pytest.fixture(autouse=True)
def search_engine_in_step(request):
    """With SEARCH_URL set, each database test starts with an engine index that holds exactly
    the live products of its database (the database rolls back between tests; the index not)."""
    from search.opensearch.client import configured

    names = set(request.fixturenames)
    marker = request.node.get_closest_marker("django_db")
    if not configured() or not (marker or {"db", "transactional_db"} & names):
        return
    transactional = "transactional_db" in names or (marker and marker.kwargs.get("transaction"))
    request.getfixturevalue("transactional_db" if transactional else "db")
    from search.opensearch.indexing import reset_to_database

    reset_to_database()


@pytest.fixture
def hub(db):
    """The hub's site tree and role groups, as `bootstrap_hub` (without --demo) leaves them."""
    bootstrap_hub(demo=False)
    from products.models import HomePage

    return HomePage.objects.get()


def make_user(username: str, group_name: str | None = None, **extra):
    user = get_user_model().objects.create_user(
        username=username,
        password="test-password-123",
        email=f"{username}@example.org",
        first_name=username.capitalize(),
        **extra,
    )
    if group_name:
        user.groups.add(Group.objects.get(name=group_name))
    return user


@pytest.fixture
def editor(hub):
    return make_user("redacteur", roles.EDITOR)


@pytest.fixture
def reviewer(hub):
    return make_user("kwaliteit", roles.REVIEWER)


@pytest.fixture
def second_reviewer(hub):
    return make_user("kwaliteit2", roles.REVIEWER)


@pytest.fixture
def coordinator(hub):
    return make_user("coordinator", roles.COORDINATOR)


@pytest.fixture
def administrator(hub):
    return make_user("beheerder", roles.ADMINISTRATOR)


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):
    """In CI a skip that is not on the allow-list of hubcms/testing/skip_policy.py is a failure."""
    outcome = yield
    report = outcome.get_result()
    if report.skipped and skip_policy.in_ci() and not skip_policy.skip_is_allowed(item.nodeid):
        report.outcome = "failed"
        reason = report.longrepr[2] if isinstance(report.longrepr, tuple) else report.longrepr
        report.longrepr = (
            f"skipped in CI, and not on the allow-list in hubcms/testing/skip_policy.py: {reason}"
        )


@pytest.hookimpl(hookwrapper=True)
def pytest_make_collect_report(collector):
    """A whole module skipped at collection counts the same way."""
    outcome = yield
    report = outcome.get_result()
    if report.skipped and skip_policy.in_ci() and not skip_policy.skip_is_allowed(report.nodeid):
        report.outcome = "failed"
        report.longrepr = f"skipped in CI, and not on the allow-list in hubcms/testing/skip_policy.py: {report.longrepr}"
