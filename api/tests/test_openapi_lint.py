"""The OpenAPI document passes Logius's NL GOV API Design Rules linter (Spectral) without errors."""

import json
import shutil
import subprocess

from django.conf import settings

import pytest

from api.tests.conftest import API

pytestmark = pytest.mark.django_db

RULESET = settings.BASE_DIR.parent / "shared" / "adr" / "linter.yaml"
SPECTRAL_DIR = settings.BASE_DIR / "tools" / "spectral"


def test_openapi_document_passes_the_adr_linter(client, hub, tmp_path):
    if not RULESET.exists():
        pytest.skip(f"ADR ruleset not found at {RULESET} (../shared/adr/linter.yaml)")
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
