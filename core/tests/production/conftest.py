"""Fixtures for the production tests: a clean cache and a private media folder per test."""

from django.core.cache import cache

import pytest


@pytest.fixture(autouse=True)
def clean_cache():
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.MEDIA_ROOT.mkdir()
    return settings.MEDIA_ROOT


def stored_files(root) -> list[str]:
    """Every file under a media folder (to prove that a refused upload left nothing behind)."""
    return sorted(str(p.relative_to(root)) for p in root.rglob("*") if p.is_file())
