"""Fixtures for the export tests: a private export folder per test, the deferring task queue."""

import pytest


@pytest.fixture(autouse=True)
def exports_root(settings, tmp_path):
    settings.HUBCMS_EXPORTS_ROOT = tmp_path / "exports"
    return settings.HUBCMS_EXPORTS_ROOT
