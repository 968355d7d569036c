"""In CI (HUBCMS_CI=1) a skipped test fails, unless its skip is on the short allow-list below.

What is tested must be what runs: a test that silently skips in CI hides a path nobody checked.
Each entry names the tests it covers, why they may skip, and in which run of `.ci/run` they do run.
"""

import os
from dataclasses import dataclass

import pytest


@dataclass(frozen=True)
class AllowedSkip:
    prefix: str  # test node ids starting with this
    reason: str
    allowed: bool  # whether the skip is acceptable in this run


def _database() -> str:
    from django.db import connection

    return connection.vendor


def allow_list() -> list[AllowedSkip]:
    on_postgresql = _database() == "postgresql"
    engine_run = bool(os.environ.get("SEARCH_URL"))
    # search/tests/test_search_contract.py has no entry: it runs on every engine, in every run.
    return [
        AllowedSkip(
            "search/tests/test_opensearch.py",
            "needs the OpenSearch node; runs in the OpenSearch pass of .ci/run (SEARCH_URL set)",
            allowed=not engine_run,
        ),
        AllowedSkip(
            "search/tests/test_search_page.py::test_the_engine_finds_only_live_products",
            "needs the OpenSearch node; runs in the OpenSearch pass of .ci/run (SEARCH_URL set)",
            allowed=not engine_run,
        ),
        AllowedSkip(
            "quality/tests/test_concurrent_review.py",
            "row locks (select_for_update) need PostgreSQL; runs in the PostgreSQL pass of .ci/run",
            allowed=not on_postgresql,
        ),
        AllowedSkip(
            "search/tests/test_postgres_plan.py",
            "PostgreSQL's query plans for its own engine; runs in the PostgreSQL pass of .ci/run",
            allowed=not on_postgresql or engine_run,
        ),
        AllowedSkip(
            "search/tests/test_database_engine.py",
            "the database engines' own statements; runs in the SQLite and PostgreSQL passes of "
            ".ci/run",
            allowed=engine_run,
        ),
        AllowedSkip(
            "core/tests/production/test_bad_input.py::test_the_statement_timeout",
            "statement_timeout is a PostgreSQL setting; runs in the PostgreSQL pass of .ci/run",
            allowed=not on_postgresql,
        ),
        AllowedSkip(
            "core/tests/production/test_bad_input.py::test_a_statement_past_the_timeout",
            "statement_timeout is a PostgreSQL setting; runs in the PostgreSQL pass of .ci/run",
            allowed=not on_postgresql,
        ),
    ]


def in_ci() -> bool:
    return os.environ.get("HUBCMS_CI") == "1"


def skip_is_allowed(nodeid: str) -> bool:
    return any(entry.allowed and nodeid.startswith(entry.prefix) for entry in allow_list())


# The hooks (loaded by the root conftest as a plugin). Under pytest-xdist they run in each worker,
# before the report goes to the controller, so a refused skip arrives there as a failure.


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):
    """In CI a skip that is not on the allow-list is a failure."""
    outcome = yield
    report = outcome.get_result()
    if report.skipped and in_ci() and not skip_is_allowed(item.nodeid):
        report.outcome = "failed"
        reason = report.longrepr[2] if isinstance(report.longrepr, tuple) else report.longrepr
        report.longrepr = f"skipped in CI, and not on the allow-list in {__name__}: {reason}"


@pytest.hookimpl(hookwrapper=True)
def pytest_make_collect_report(collector):
    """A whole module skipped at collection counts the same way."""
    outcome = yield
    report = outcome.get_result()
    if report.skipped and in_ci() and not skip_is_allowed(report.nodeid):
        report.outcome = "failed"
        report.longrepr = (
            f"skipped in CI, and not on the allow-list in {__name__}: {report.longrepr}"
        )
