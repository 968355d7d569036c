"""In CI a skipped test fails unless it is on the allow-list, also when pytest-xdist runs the suite.

Each case runs a small pytest session of its own (two xdist workers) with the project's skip
policy plugin and an allow-list that holds one test, and reads the outcome pytest reports.
"""

import os
import re
import subprocess
import sys
from pathlib import Path

from django.conf import settings

PLUGIN = "hubcms.testing.skip_policy"

CONFTEST = f"""
import {PLUGIN} as policy

pytest_plugins = ["{PLUGIN}"]
policy.allow_list = lambda: [
    policy.AllowedSkip("test_skips.py::test_on_the_list", "a reason to skip", allowed=True)
]
"""

TESTS = """
import pytest

def test_on_the_list():
    pytest.skip("allowed")

def test_not_on_the_list():
    pytest.skip("not allowed")

def test_runs():
    assert True
"""

SKIPPED_MODULE = """
import pytest

pytest.skip("the whole module", allow_module_level=True)
"""


def outcome(tmp_path: Path, *, ci: bool) -> dict[str, int]:
    (tmp_path / "conftest.py").write_text(CONFTEST)
    (tmp_path / "test_skips.py").write_text(TESTS)
    (tmp_path / "test_skipped_module.py").write_text(SKIPPED_MODULE)
    env = {k: v for k, v in os.environ.items() if k not in ("HUBCMS_CI", "PYTEST_ADDOPTS")}
    env.pop("DJANGO_SETTINGS_MODULE", None)
    env["PYTHONPATH"] = str(settings.BASE_DIR)
    if ci:
        env["HUBCMS_CI"] = "1"
    result = subprocess.run(
        [sys.executable, "-m", "pytest", "-n", "2", "-p", "no:django", "-p", "no:cacheprovider"]
        + ["-q", "-rA", "--rootdir", str(tmp_path), str(tmp_path)],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    summary = result.stdout.strip().splitlines()[-1]
    counts = {word: int(number) for number, word in re.findall(r"(\d+) (\w+)", summary)}
    return {"output": result.stdout, **counts}


def test_in_ci_a_skip_off_the_list_fails_under_xdist(tmp_path):
    result = outcome(tmp_path, ci=True)
    assert (result.get("passed"), result.get("skipped")) == (1, 1), result["output"]
    # the test off the list and the skipped module
    assert result.get("failed", 0) + result.get("errors", result.get("error", 0)) == 2, result[
        "output"
    ]
    assert "not on the allow-list" in result["output"]
    assert "test_not_on_the_list" in result["output"]


def test_outside_ci_a_skip_is_a_skip(tmp_path):
    result = outcome(tmp_path, ci=False)
    assert (result.get("passed"), result.get("skipped"), result.get("failed")) == (1, 3, None), (
        result["output"]
    )
