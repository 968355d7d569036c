"""The OpenAPI document passes Logius's NL GOV API Design Rules linter (Spectral) without errors.

The ruleset is vendored in tools/spectral/adr-linter.yaml (source and version in its README), so
the test reads nothing outside the repository.
"""

import json
import shutil
import subprocess

from django.conf import settings

import pytest

from api.tests.conftest import API

pytestmark = pytest.mark.django_db

SPECTRAL_DIR = settings.BASE_DIR / "tools" / "spectral"
RULESET = SPECTRAL_DIR / "adr-linter.yaml"


def test_the_vendored_ruleset_is_logius_adr_ruleset():
    """The ruleset is the repository's own copy and still holds the ADR rules the API relies on."""
    assert RULESET.is_file() and RULESET.resolve().is_relative_to(settings.BASE_DIR.resolve())
    text = RULESET.read_text(encoding="utf-8")
    for rule in (
        "nlgov:missing-version-header",
        "nlgov:paths-no-trailing-slash",
        "nlgov:use-problem-schema",
        "nlgov:query-keys-camel-case",
    ):
        assert f"  {rule}:" in text, rule


def test_openapi_document_passes_the_adr_linter(client, hub, tmp_path):
    if shutil.which("npx") is None:
        pytest.skip("Node.js (npx) is not installed; run `make install`")
    if not (SPECTRAL_DIR / "node_modules" / ".bin" / "spectral").exists():
        pytest.skip("Spectral is not installed; run `npm ci --prefix tools/spectral`")
    document = client.get(f"{API}/openapi.json").json()
    path = tmp_path / "openapi.json"
    path.write_text(json.dumps(document, ensure_ascii=False, indent=2))
    result = subprocess.run(
        [
            "npx",
            "--prefix",
            str(SPECTRAL_DIR),
            "spectral",
            "lint",
            "--fail-severity",
            "error",
            "-r",
            str(RULESET),
            str(path),
        ],
        capture_output=True,
        text=True,
        timeout=120,
        cwd=settings.BASE_DIR,
    )
    output = result.stdout + result.stderr
    assert result.returncode == 0, output
    assert "No results with a severity of 'error' found!" in output
