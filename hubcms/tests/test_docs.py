"""The README and docs/ point only at files and headings that exist, and the README stays short.

Checked in README.md and every docs/*.md, outside fenced and indented code blocks:
- every relative markdown link `[text](path#anchor)`: the path exists (relative to the page) and
  the anchor matches a heading of the target page (GitHub's heading slugs);
- every repository file path inside backticks (`quality/gate.py`, `tests/x.py::test_y`, ...):
  the file exists in the repository (paths relative to the repository root);
- every name of a markdown file in the prose (`DESIGN.md`): it exists in the repository.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
README_MAX_BYTES = 10 * 1024

FILE_EXTENSIONS = (
    "py|md|html|txt|yaml|yml|sh|json|toml|cfg|ini|vcl|js|css|java|xml|sql|lock|example|po"
)
# A repository path: at least one folder, a file name with a known extension; not an URL path
# (leading "/"), not part of a longer word or URL.
PATH_IN_CODE = re.compile(
    r"(?<![\w/.:~@-])((?:\.\.?/)*[\w.-]+(?:/[\w.-]+)+\.(?:" + FILE_EXTENSIONS + r"))(?![\w/-])"
)
MARKDOWN_NAME = re.compile(r"(?<![\w/.:~@-])((?:\.\.?/)*[\w./-]*\w\.md)(?![\w/-])")
LINK = re.compile(r"(?<!!)\[(?:[^\]\n]|\n(?!\s*\n))*\]\(([^)\s]+)(?:\s+\"[^\"]*\")?\)")
CODE_SPAN = re.compile(r"`((?:[^`\n]|\n(?![ \t]*\n))+)`")
HEADING = re.compile(r"^(#{1,6})\s+(.*?)\s*#*\s*$")


def documentation_pages() -> list[Path]:
    """README.md and every markdown page in docs/."""
    return [ROOT / "README.md", *sorted((ROOT / "docs").glob("*.md"))]


def prose(text: str) -> str:
    """The page without its fenced and indented code blocks (their paths are examples)."""
    kept: list[str] = []
    fenced = False
    for line in text.splitlines():
        if line.lstrip().startswith("```"):
            fenced = not fenced
            kept.append("")
            continue
        if fenced or line.startswith("    ") or line.startswith("\t"):
            kept.append("")
            continue
        kept.append(line)
    return "\n".join(kept)


def heading_slugs(text: str) -> set[str]:
    """GitHub's anchors for the headings of a markdown page."""
    slugs: set[str] = set()
    seen: dict[str, int] = {}
    for line in prose(text).splitlines():
        match = HEADING.match(line)
        if not match:
            continue
        title = re.sub(r"\[([^\]]*)\]\([^)]*\)", r"\1", match.group(2))  # a link: its text
        slug = re.sub(r"[^\w\- ]", "", title.strip().lower()).replace(" ", "-")
        count = seen.get(slug, 0)
        seen[slug] = count + 1
        slugs.add(slug if count == 0 else f"{slug}-{count}")
    return slugs


def in_repository(path: Path) -> bool:
    """Whether the path exists and lies inside the repository."""
    resolved = path.resolve()
    return resolved.exists() and (resolved == ROOT or ROOT in resolved.parents)


def broken_references(page: Path, source: str | None = None) -> list[str]:
    """Every reference on the page to a file or heading that does not exist, as a message."""
    if source is None:
        source = page.read_text(encoding="utf-8")
    text = prose(source)
    name = page.relative_to(ROOT).as_posix()
    problems: list[str] = []

    for target in LINK.findall(text):
        if re.match(r"^[a-z][a-z0-9+.-]*:", target):  # http:, https:, mailto:
            continue
        file_part, _, anchor = target.partition("#")
        if not file_part:
            if anchor not in heading_slugs(source):
                problems.append(f"{name}: link to {target}: no such heading on this page")
            continue
        linked = page.parent / file_part
        if not in_repository(linked):
            problems.append(f"{name}: link to {target}: no such file in the repository")
            continue
        target_text = linked.read_text(encoding="utf-8") if linked.suffix == ".md" else ""
        if anchor and linked.suffix == ".md" and anchor not in heading_slugs(target_text):
            problems.append(f"{name}: link to {target}: no heading #{anchor} in {linked.name}")

    for span in CODE_SPAN.findall(text):
        for path in PATH_IN_CODE.findall(span):
            if not in_repository(ROOT / path):
                problems.append(f"{name}: `{path}` is not a file in the repository")

    without_code = CODE_SPAN.sub(" ", LINK.sub(" ", text))
    without_urls = re.sub(r"https?://\S+", " ", without_code)
    for mentioned in MARKDOWN_NAME.findall(without_urls):
        candidates = [page.parent / mentioned, ROOT / mentioned, ROOT / "docs" / mentioned]
        if not any(in_repository(candidate) for candidate in candidates):
            problems.append(f"{name}: mentions {mentioned}, which is not in the repository")
    return problems


@pytest.mark.parametrize(
    "page", documentation_pages(), ids=lambda page: page.relative_to(ROOT).as_posix()
)
def test_every_link_and_path_in_the_docs_exists(page: Path) -> None:
    assert broken_references(page) == []


def test_the_readme_is_at_most_10_kb() -> None:
    size = len((ROOT / "README.md").read_bytes())
    assert size <= README_MAX_BYTES, f"README.md is {size:,} bytes; move detail to docs/"


def test_the_checks_find_missing_files_headings_and_paths_outside_the_repository() -> None:
    """Positive control: the checks above are not vacuous."""
    page = ROOT / "docs" / "probe.md"
    source = (
        "# Probe\n\nSee [the gate](quality-framework.md#no-such-heading), "
        "[nothing](missing.md), [here](#probe), [there](#elsewhere), "
        "`quality/no_such_module.py::test_x`, `../outside/linter.yaml`, `README.md` "
        "and DESIGN.md.\n\n    `ignored/in/code.py`\n"
    )
    assert broken_references(page, source) == [
        "docs/probe.md: link to quality-framework.md#no-such-heading: "
        "no heading #no-such-heading in quality-framework.md",
        "docs/probe.md: link to missing.md: no such file in the repository",
        "docs/probe.md: link to #elsewhere: no such heading on this page",
        "docs/probe.md: `quality/no_such_module.py` is not a file in the repository",
        "docs/probe.md: `../outside/linter.yaml` is not a file in the repository",
        "docs/probe.md: mentions DESIGN.md, which is not in the repository",
    ]
