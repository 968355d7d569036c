"""How `make test` spreads the suite over its xdist workers (`-n auto --dist loadgroup`).

Under `--dist loadgroup` xdist hands out whole groups (`pytest.mark.xdist_group`) and, one by
one, the tests without a group. Two hooks shape that:

- the tests without a database become one group, `no-database`, so that one worker runs them
  while another builds (or copies) the session's database (hubcms/testing/database.py);
- the groups go out longest first, instead of xdist's default of most tests first: the demo hub's
  group (loading the demo hub, the round trip's import; about a quarter of the suite's CPU time)
  first, then the tests without a database, then the other groups, then the single tests in
  pytest-django's order (transactional tests last). A long group handed out last would leave the
  other worker idle at the end.
"""

import os

import pytest

from hubcms.testing.demo import DEMO_HUB_GROUP

NO_DATABASE_GROUP = "no-database"
DATABASE_FIXTURES = {"db", "transactional_db", "django_db_setup", "live_server"}
# Handed out in this order (the longest first); other groups after them, single tests last.
GROUPS_FIRST = [DEMO_HUB_GROUP, NO_DATABASE_GROUP]


def needs_database(item: pytest.Item) -> bool:
    """Whether the test uses the database: a `django_db` mark, a database fixture, or a Django
    `TestCase` class (Wagtail's page test cases among them), which sets its database up itself."""
    from django.test import TransactionTestCase

    test_class = getattr(item, "cls", None)
    if test_class is not None and issubclass(test_class, TransactionTestCase):
        return True
    return item.get_closest_marker("django_db") is not None or bool(
        DATABASE_FIXTURES & set(getattr(item, "fixturenames", ()))
    )


def group_of(item: pytest.Item) -> str | None:
    marker = item.get_closest_marker("xdist_group")
    if marker is None:
        return None
    return marker.args[0] if marker.args else marker.kwargs.get("name", "default")


@pytest.hookimpl(tryfirst=True)
def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """The tests without a database (and no group of their own) become one group."""
    for item in items:
        if not needs_database(item) and group_of(item) is None:
            item.add_marker(pytest.mark.xdist_group(NO_DATABASE_GROUP))


def rank(item: pytest.Item) -> int:
    group = group_of(item)
    if group in GROUPS_FIRST:
        return GROUPS_FIRST.index(group)
    return len(GROUPS_FIRST) if group is not None else len(GROUPS_FIRST) + 1


class LongestGroupsFirst:
    """Runs after pytest-django's ordering (transactional tests last) and xdist's group names."""

    @pytest.hookimpl(trylast=True)
    def pytest_collection_modifyitems(self, items: list[pytest.Item]) -> None:
        items.sort(key=rank)  # stable: pytest-django's order holds within each rank


def pytest_configure(config: pytest.Config) -> None:
    """On xdist's controller, hand the groups out in the collection's order (`rank`), not by
    their number of tests; on each worker, collect in that order."""
    if hasattr(config.option, "loadscopereorder"):
        config.option.loadscopereorder = False
    if os.environ.get("PYTEST_XDIST_WORKER"):
        config.pluginmanager.register(LongestGroupsFirst(), "hubcms-longest-groups-first")
