"""The relevance set (queries.yaml) and its score: the mean reciprocal rank in the top 10.

Engine-agnostic: every query goes through `search.services.search_products`.
"""

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from search.services import ProductQuery, search_products

QUERIES = Path(__file__).with_name("queries.yaml")
TOP = 10


@dataclass
class Judged:
    query: str
    kind: str
    relevant: list[str]
    found: list[str]  # the slugs of the top 10

    @property
    def rank(self) -> int | None:
        """The position of the first relevant product in the top 10, from 1."""
        return next((i for i, slug in enumerate(self.found, 1) if slug in self.relevant), None)


def load_queries() -> list[dict[str, Any]]:
    import yaml

    queries: list[dict[str, Any]] = yaml.safe_load(QUERIES.read_text(encoding="utf-8"))
    return queries


def judge() -> list[Judged]:
    """Run every query of the set against the engine in use."""

    judged = []
    for case in load_queries():
        result = search_products(ProductQuery(query=case["query"], page_size=TOP))
        found = [product.slug for product in result.products]
        judged.append(Judged(case["query"], case["kind"], case["relevant"], found))
    return judged


def mean_reciprocal_rank(judged: list[Judged]) -> float:
    return sum(1 / j.rank for j in judged if j.rank) / len(judged)
