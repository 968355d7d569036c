"""Shared fixtures: a hub bootstrapped once per session, and a user for each role.

The database is migrated and `bootstrap_hub(demo=False)` runs once per test session, in the
`django_db_setup` override below: each xdist worker has its own test database, and on SQLite
the others copy the first worker's (hubcms/testing/database.py). Every
`db` test runs in a transaction that rolls back, so each test starts from that same hub: the home
page as the default site's root, the product library, the line overview, the accessibility page,
the four role groups with their rights, quality framework 1.0 and 1.1 (1.1 in force) and the
workflow Kwaliteitsborging. Tests that change any of it do so inside their own transaction.

Fixtures for tests (any test file may ask for them by name):

- `hub`: the HomePage of that hub. Costs one query; where a transactional test
  (`transactional_db`, `live_server`) found the tables flushed by an earlier one, it copies the
  session's template back (SQLite under xdist) or runs the bootstrap again.
- `editor`, `reviewer`, `second_reviewer`, `coordinator`, `administrator`: a user in the role's
  group (password `test-password-123`); `make_user(username, group)` makes more.
- `blank_database`: for the few tests about bootstrapping itself: the hub's site, pages, groups,
  framework versions and workflows are deleted inside the test's transaction (rolled back
  afterwards), so that `bootstrap_hub` meets a hub that was never set up.
- `demo_hub` (module-scoped): the demo hub, loaded once per session as `bootstrap_hub --demo`
  loads it on a hub that was never set up (under framework 1.0, then assessed under 1.1), in the
  database for the whole module; `demo_hub_export`: its `export_hub` archive and counts while the
  database holds the session's hub (hubcms/testing/demo.py).
- Publishable content: `hubcms`'s gate holds in tests too. Build a product that meets every
  blocking criterion with `hubcms.testing.factories.complete_product(...)` (or
  `ProductPageFactory(complete=True, ...)`) and make it live with `hubcms.testing.publishing.publish(page)`;
  a plain `ProductPageFactory(...)` stays incomplete, and `publish` refuses it.

- Generated examples: `hubcms.testing.examples.examples(full, quick=...)` for Hypothesis' max_examples:
  the quick budget locally, the full one in CI (HUBCMS_CI=1) or with HUBCMS_FULL_EXAMPLES=1.
- Expensive module data: build it once in a module-scoped fixture inside `transaction.atomic()`
  with `django_db_blocker.unblock()` and roll it back at the end (the `catalogue` fixture of search/tests/conftest.py).

`make test` runs the suite with pytest-xdist (`-n auto --dist loadgroup`); a single file runs
without it (`.venv/bin/python -m pytest quality/tests/test_checks.py`). Per-worker safety: each
worker has its own test database (pytest-django), its own OpenSearch index prefix
(SEARCH_INDEX_PREFIX holds the process id), its own export and media folders (pytest's tmp_path)
and free ports (live_server and varnishd bind port 0). Modules that must share a worker carry
`pytest.mark.xdist_group(name)` (the demo hub's users: its tests, the round trip and the relevance
set; the search contract's and the search page's catalogues), and the tests without a database are
one group; the longest group goes first (hubcms/testing/scheduling.py; figures in
docs/benchmarks.md). Transactional tests run after the others on each worker, as pytest-django
orders them, so their flush never empties the hub of a `db` test.
"""

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.db import connections

import pytest

from core import roles
from core.bootstrap import bootstrap_hub

# In CI a skip that is not on the allow-list fails: the hooks live with the list. The xdist
# groups and their order: hubcms/testing/scheduling.py.
pytest_plugins = ["hubcms.testing.skip_policy", "hubcms.testing.scheduling"]


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


@pytest.fixture(autouse=True)
def fresh_site_root_paths():
    """Wagtail caches the sites' root paths (with their ids) in Django's cache, which a rolled-back
    test does not roll back: a test that deletes and re-creates the site (blank_database, a hub
    import) would leave the next test a cached site id that no longer exists (a 500 on /admin/)."""
    from wagtail.models import Site

    Site.clear_site_root_paths_cache()
    yield
    Site.clear_site_root_paths_cache()


def serialized_rollback_wanted(items: list[pytest.Item]) -> bool:
    """Whether a test of this worker restores the database with `serialized_rollback`."""
    for item in items:
        marker = item.get_closest_marker("django_db")
        if (marker and marker.kwargs.get("serialized_rollback")) or (
            "django_db_serialized_rollback" in getattr(item, "fixturenames", ())
        ):
            return True
    return False


@pytest.fixture(scope="session")
def django_db_setup(request, django_db_blocker, tmp_path_factory):
    """Migrate (pytest-django), then bootstrap the hub once for the whole session.

    Under xdist on SQLite only the first worker does so; the others load its copy
    (hubcms/testing/database.py)."""
    from hubcms.testing import database

    template = database.template_path(database.session_folder(tmp_path_factory))
    with django_db_blocker.unblock():
        if template is None:
            request.getfixturevalue("django_db_setup")  # pytest-django's: create and migrate
            bootstrap_hub(demo=False)
        else:
            with database.exclusive(template.with_suffix(".lock")):
                if template.exists():
                    teardown = database.load_template(
                        template, verbosity=request.config.option.verbose
                    )

                    def drop_database() -> None:
                        with django_db_blocker.unblock():
                            teardown()

                    request.addfinalizer(drop_database)
                    if serialized_rollback_wanted(request.session.items):
                        connections["default"]._test_serialized_contents = ""
                else:
                    request.getfixturevalue("django_db_setup")
                    bootstrap_hub(demo=False)
                    database.save_template(template)
        for connection in connections.all():
            # serialized_rollback tests restore this state: the bootstrapped hub, not a bare one.
            if getattr(connection, "_test_serialized_contents", None) is not None:
                connection._test_serialized_contents = connection.creation.serialize_db_to_string()


@pytest.fixture
def hub(db):
    """The hub's home page, as `bootstrap_hub` (without --demo) leaves the tree."""
    from products.models import HomePage

    home = HomePage.objects.first()
    if home is None:  # a transactional test before this one flushed the tables
        from django.core.cache import cache

        from hubcms.testing import database

        # On SQLite under xdist the session's template is copied back (as fast as a few
        # queries); elsewhere the hub is bootstrapped again.
        if not database.restore_template():
            bootstrap_hub(demo=False)
        cache.clear()
        home = HomePage.objects.get()
    return home


@pytest.fixture(scope="session")
def demo_hubs(django_db_setup, tmp_path_factory):
    """The session's demo hub (hubcms/testing/demo.py); tests ask for `demo_hub` or
    `demo_hub_export`."""
    from hubcms.testing import database
    from hubcms.testing.demo import DemoHubs

    return DemoHubs(database.session_folder(tmp_path_factory), tmp_path_factory.mktemp("demo"))


@pytest.fixture(scope="module")
def demo_hub(demo_hubs, django_db_blocker):
    """The demo hub, as `bootstrap_hub --demo` loads it on a hub that was never set up, in the
    database for the whole module (each test still rolls back); a `DemoHub` describes it."""
    with django_db_blocker.unblock(), demo_hubs.loaded() as hub:
        yield hub


@pytest.fixture(scope="module")
def demo_hub_export(demo_hubs, django_db_blocker):
    """The `DemoHub` with the demo hub's export, while the database holds the session's hub."""
    with django_db_blocker.unblock():
        return demo_hubs.export()


def undo_bootstrap() -> None:
    """Delete what `bootstrap_hub` made (site, pages, groups, framework versions, workflows); call
    it inside a transaction that is rolled back afterwards."""
    from wagtail.models import Page, Site, Task, Workflow

    from quality.models import QualityFrameworkVersion

    Site.objects.all().delete()
    for page in Page.objects.filter(depth=2):
        page.delete()
    Workflow.objects.all().delete()
    Task.objects.all().delete()
    Group.objects.all().delete()
    QualityFrameworkVersion.objects.all().delete()


@pytest.fixture
def blank_database(db):
    """A hub that was never set up: the session's bootstrap undone inside this test's transaction."""
    undo_bootstrap()


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
