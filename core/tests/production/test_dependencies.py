"""Every package the code imports is declared in pyproject.toml, and every declared one is there
for a reason written in docs/dependencies.md."""

import ast
import os
import re
import sys
import tomllib
from functools import cache
from importlib.metadata import packages_distributions, requires
from pathlib import Path

from django.conf import settings

import pytest
from packaging.requirements import Requirement


def project_root() -> Path:
    here = Path(__file__).resolve()
    return next(parent for parent in here.parents if (parent / "pyproject.toml").is_file())


PROJECT = project_root()
SKIPPED_DIRS = {".venv", "node_modules", ".git", "build", "migrations", "__pycache__"}
# Declared packages that no `import` names, and what uses them instead.
USED_WITHOUT_IMPORT = {
    "gunicorn": "the WSGI server the Dockerfile starts",
    "redis": "Django's RedisCache backend imports it (hubcms/settings/security.py)",
    "whitenoise": "middleware and storage named in hubcms/settings/production.py",
    "django-storages": "the S3 storage backend named in hubcms/settings/production.py",
    "pytest-django": "the pytest plugin that runs the suite",
    "pytest-cov": "the coverage report of `make test`",
    "ruff": "lint and format, run by `make test` and pre-commit",
    "pre-commit": "runs the hooks in .pre-commit-config.yaml",
    "djhtml": "`djhtml --check` in `make test` keeps the templates indented",
    "uv": "`make lock` compiles requirements/lock.txt with it",
    "import-linter": "`lint-imports` in `make test` keeps the import contracts in pyproject.toml",
    "pytest-xdist": "`-n auto --dist loadgroup` in `make test` and CI spreads the suite over cores",
    "mypy": "`mypy` in `make test` type-checks the packages [tool.mypy] names",
    "django-stubs": "mypy's Django plugin and stubs ([tool.mypy] plugins)",
    "types-tqdm": "tqdm's stubs, read by mypy",
}


def canonicalize_name(name: str) -> str:
    """A distribution's name as PyPI compares them (PEP 503)."""
    return re.sub(r"[-_.]+", "-", name).lower()


def requirement_name(line: str) -> str:
    """The distribution a requirement line of pyproject.toml names."""
    return canonicalize_name(re.match(r"[A-Za-z0-9._-]+", line.strip()).group())


@cache
def pyproject() -> dict:
    return tomllib.loads((PROJECT / "pyproject.toml").read_text())


def declared(*, extra: str | None = None) -> set[str]:
    project = pyproject()["project"]
    lines = project["dependencies"] if extra is None else project["optional-dependencies"][extra]
    return {requirement_name(line) for line in lines}


def first_party() -> set[str]:
    """The project's own top-level packages (as pyproject.toml lists them) and test helpers."""
    includes = pyproject()["tool"]["setuptools"]["packages"]["find"]["include"]
    return {name.rstrip("*").rstrip(".") for name in includes} | {"tests", "conftest"}


def is_test_code(path: Path) -> bool:
    parts = path.relative_to(PROJECT).parts
    return (
        bool({"tests", "testing", "bench"} & set(parts))
        or path.name == "conftest.py"
        or path.name.startswith("test_")
    )


@cache
def python_files() -> list[Path]:
    files = []
    for folder, subfolders, names in os.walk(PROJECT):
        subfolders[:] = [name for name in subfolders if name not in SKIPPED_DIRS]
        files += [Path(folder) / name for name in names if name.endswith(".py")]
    return files


def imported_names(path: Path) -> set[str]:
    """Top-level names of the absolute imports in one file, without siblings of that file."""
    names = set()
    for node in ast.walk(ast.parse(path.read_text(), filename=str(path))):
        if isinstance(node, ast.Import):
            names |= {alias.name.split(".")[0] for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            names.add(node.module.split(".")[0])
    siblings = {p.stem for p in path.parent.iterdir()}
    return {name for name in names if name not in siblings}


@cache
def installed() -> dict[str, list[str]]:
    return packages_distributions()


def distributions_of(name: str) -> set[str]:
    return {canonicalize_name(dist) for dist in installed().get(name, [])}


def undeclared_imports(files: list[Path], allowed: set[str]) -> dict[str, list[str]]:
    """Third-party top-level imports not provided by a distribution in `allowed`."""
    own = first_party()
    missing: dict[str, list[str]] = {}
    for path in files:
        for name in imported_names(path):
            if name in sys.stdlib_module_names or name in own:
                continue
            if not distributions_of(name) & allowed:
                where = path.relative_to(PROJECT) if path.is_relative_to(PROJECT) else path.name
                missing.setdefault(name, []).append(str(where))
    return missing


def test_the_application_imports_only_declared_packages():
    runtime = [path for path in python_files() if not is_test_code(path)]
    assert runtime, "no application code found"
    assert undeclared_imports(runtime, declared()) == {}


def test_tests_and_benchmarks_import_only_declared_packages():
    tests = [path for path in python_files() if is_test_code(path)]
    assert undeclared_imports(tests, declared() | declared(extra="test")) == {}


def test_installed_apps_and_middleware_come_from_declared_packages():
    own = first_party()
    modules = {entry.split(".")[0] for entry in [*settings.INSTALLED_APPS, *settings.MIDDLEWARE]}
    missing = {
        name
        for name in modules - own
        if not distributions_of(name) & declared() and name not in sys.stdlib_module_names
    }
    assert missing == set()


def test_every_declared_package_is_used():
    everything = set().union(*(imported_names(path) for path in python_files()))
    everything |= {entry.split(".")[0] for entry in settings.INSTALLED_APPS}
    used = set().union(*(distributions_of(name) for name in everything))
    unused = (declared() | declared(extra="test")) - used - set(USED_WITHOUT_IMPORT)
    assert unused == set(), "remove them, or say in USED_WITHOUT_IMPORT what uses them"


def test_the_check_notices_an_undeclared_import(tmp_path):
    # Positive control: packaging is installed (pytest needs it) but not declared by hubcms.
    module = tmp_path / "probe.py"
    module.write_text("import json\nimport django\nfrom packaging import version\n")
    assert undeclared_imports([module], declared()) == {"packaging": ["probe.py"]}


def documented() -> set[str]:
    """The packages named in the first column of docs/dependencies.md's tables."""
    names = set()
    for line in (PROJECT / "docs" / "dependencies.md").read_text().splitlines():
        if line.startswith("| ") and not line.startswith(("| package", "| ---")):
            for cell in line.split("|")[1].split(","):
                match = re.match(r"\s*`?([A-Za-z0-9][A-Za-z0-9._-]*)", cell)
                if match:
                    names.add(canonicalize_name(match.group(1)))
    return names


@pytest.mark.parametrize("extra", [None, "test"])
def test_every_declared_package_has_its_reason_in_the_docs(extra):
    assert declared(extra=extra) - documented() == set()


def lock_entries() -> list[dict]:
    """The pins of requirements/lock.txt: name, version, hashes and what each is there for."""
    entries: list[dict] = []
    via_block = False
    for line in (PROJECT / "requirements" / "lock.txt").read_text().splitlines():
        stripped = line.strip()
        if line and not line[0].isspace() and not line.startswith("#"):
            pin = line.split(";")[0].split("\\")[0].strip()
            name, _, version = pin.partition("==")
            entries.append(
                {"name": canonicalize_name(name), "version": version, "hashes": [], "via": set()}
            )
            via_block = False
        elif stripped.startswith("--hash="):
            entries[-1]["hashes"].append(stripped.split()[0])
        elif stripped.startswith("# via"):
            via_block = True
            rest = stripped.removeprefix("# via").strip()
            if rest:
                entries[-1]["via"].add(rest)
        elif via_block and stripped.startswith("#"):
            entries[-1]["via"].add(stripped.lstrip("#").strip())
    return entries


def test_the_lock_pins_every_package_with_hashes():
    entries = lock_entries()
    assert len(entries) > 50
    for entry in entries:
        assert entry["version"], f"{entry['name']} is not pinned with =="
        assert entry["hashes"], f"{entry['name']} has no --hash"
        assert all(h.startswith("--hash=sha256:") for h in entry["hashes"])


def test_the_lock_is_in_sync_with_pyproject():
    """Compiled from the current dependencies: run `make lock` after changing them."""
    entries = lock_entries()
    direct = {entry["name"] for entry in entries if "hubcms (pyproject.toml)" in entry["via"]}
    assert direct == declared(), "requirements/lock.txt is stale: run `make lock`"
    versions = {entry["name"]: entry["version"] for entry in entries}
    for line in pyproject()["project"]["dependencies"]:
        requirement = Requirement(line)
        name = canonicalize_name(requirement.name)
        assert requirement.specifier.contains(versions[name]), f"{line}: lock has {versions[name]}"
        for extra in requirement.extras:  # e.g. psycopg[binary] locks psycopg-binary
            for needed in requires(name) or []:
                marker = Requirement(needed).marker
                if marker and marker.evaluate({"extra": extra}) and not marker.evaluate():
                    assert canonicalize_name(Requirement(needed).name) in versions, line
