"""The connection to the search engine: OpenSearch 2 through opensearch-py, or Elasticsearch 8.

`SEARCH_URL` selects OpenSearch (the default flavour; `SEARCH_CLIENT=elasticsearch` for an
Elasticsearch 8 cluster at that URL); the older `ELASTICSEARCH_URL` alone selects Elasticsearch 8.
Neither set: no engine, the database searches. Both clients speak the same query DSL and take a
request body as `body`; `EngineClient.call` turns their errors into `SearchEngineUnavailable`.
"""

import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.conf import settings


class SearchEngineUnavailable(Exception):
    """The search engine could not answer (down, unreachable, timed out, or its index is missing)."""


@dataclass(frozen=True)
class EngineSettings:
    url: str
    flavour: str  # "opensearch" or "elasticsearch"
    prefix: str
    timeout: float
    request_cache: bool


def engine_settings() -> EngineSettings | None:
    """The configured engine, or None when the database does the searching."""
    url = getattr(settings, "SEARCH_URL", "") or ""
    flavour = (getattr(settings, "SEARCH_CLIENT", "") or "opensearch").lower()
    if not url:
        url = getattr(settings, "ELASTICSEARCH_URL", "") or ""
        flavour = "elasticsearch"
    if not url:
        return None
    return EngineSettings(
        url=url,
        flavour="elasticsearch" if flavour == "elasticsearch" else "opensearch",
        prefix=getattr(settings, "SEARCH_INDEX_PREFIX", "hubcms") or "hubcms",
        timeout=float(getattr(settings, "SEARCH_TIMEOUT", 5)),
        request_cache=bool(getattr(settings, "SEARCH_REQUEST_CACHE", True)),
    )


def configured() -> bool:
    """Whether an engine is configured (the product library searches it, not the database)."""
    return engine_settings() is not None


def alias_name() -> str:
    """The alias every search and every single-document write goes through."""
    config = engine_settings()
    return f"{config.prefix if config else 'hubcms'}-products"


# After a connection failure, calls fail at once for this long instead of each waiting for a
# timeout: while the engine is down every search falls back to the database without delay.
BREAKER_SECONDS = 10.0
RAISE = object()


class EngineClient:
    """The configured cluster's client (`raw`, and `admin` for slow index administration), its
    helpers module (`helpers.bulk`), and `call`, through which every request goes."""

    raw: Any  # opensearchpy.OpenSearch or elasticsearch.Elasticsearch: the same calls
    admin: Any
    helpers: Any

    def __init__(self, config: EngineSettings) -> None:
        self.config = config
        self.down_until = 0.0
        elastic = config.flavour == "elasticsearch"
        # Imported here, not at the top: a hub on the database engine never loads either client.
        module: Any
        if elastic:
            import elasticsearch
            import elasticsearch.helpers

            module = elasticsearch
        else:
            import opensearchpy
            import opensearchpy.helpers

            module = opensearchpy

        def connect(timeout: float, retries: int) -> Any:
            if elastic:
                return module.Elasticsearch(
                    config.url, request_timeout=timeout, max_retries=retries, retry_on_timeout=True
                )
            return module.OpenSearch(
                [config.url],
                timeout=timeout,
                max_retries=retries,
                retry_on_timeout=True,
                pool_maxsize=4,  # the rebuild's sender threads and threaded app servers
            )

        # Elasticsearch 8 raises an ApiError, not a TransportError, for an error the node answers.
        self._errors = (module.TransportError, *([module.ApiError] if elastic else []))
        self.helpers = module.helpers
        self._not_found = module.NotFoundError
        self._connection_errors = (module.ConnectionError, module.ConnectionTimeout)
        self.raw = connect(config.timeout, 1)
        # Index administration may take seconds on a busy node, and is never retried: a retried
        # create would find the index already made.
        self.admin = connect(60, 0)

    def call(
        self,
        method: Callable[..., Any],
        *,
        probe: bool = False,
        missing: Any = RAISE,
        **kwargs: Any,
    ) -> Any:
        """Call a method of `raw`, `admin` or `helpers`; `probe` tries even while the breaker is
        open (health checks); `missing` is the answer when the index or document does not exist."""
        if not probe and time.monotonic() < self.down_until:
            raise SearchEngineUnavailable("De zoekmachine was zojuist onbereikbaar.")
        try:
            response = method(**kwargs)
        except self._not_found as error:
            if missing is RAISE:
                raise SearchEngineUnavailable(f"{type(error).__name__}: {error}") from error
            return missing
        except self._errors as error:
            if isinstance(error, self._connection_errors):
                self.down_until = time.monotonic() + BREAKER_SECONDS
            raise SearchEngineUnavailable(f"{type(error).__name__}: {error}") from error
        self.down_until = 0.0
        return getattr(response, "body", response)

    def search(self, index: str, body: dict[str, Any], *, cached: bool = False) -> dict[str, Any]:
        """A search; with `cached`, one the shard request cache may answer and keep (the node
        drops its entries when the index changes, so an answer is never stale), or with
        SEARCH_REQUEST_CACHE off one it may not. Only for the visitors' searches: a large page of
        hits would fill the cache."""
        options = {"request_cache": self.config.request_cache} if cached else {}
        answer: dict[str, Any] = self.call(self.raw.search, index=index, body=body, **options)
        return answer

    def alias_targets(self, alias: str) -> list[str]:
        """The concrete indexes behind an alias ([] when it does not exist)."""
        return sorted(self.call(self.raw.indices.get_alias, name=alias, missing={}))

    def indexes_matching(self, pattern: str) -> list[str]:
        found = self.call(self.raw.indices.get, index=pattern, allow_no_indices=True, missing={})
        return sorted(found)

    def get_settings(self, name: str) -> dict[str, Any]:
        """The index's own settings (`index.*`), as strings."""
        found = self.call(self.raw.indices.get_settings, index=name)
        settings_: dict[str, Any] = found[name]["settings"]["index"]
        return settings_

    def index_meta(self, name: str) -> dict[str, Any]:
        """The `_meta` of an index's mapping (or of the index behind an alias)."""
        found = self.call(self.raw.indices.get_mapping, index=name)
        meta: dict[str, Any] = next(iter(found.values()))["mappings"].get("_meta", {})
        return meta

    def ping(self) -> dict[str, Any]:
        """The cluster's name and version; raises SearchEngineUnavailable when it cannot answer."""
        info = self.call(self.raw.info, probe=True)
        return {"cluster": info.get("cluster_name"), "version": info["version"]["number"]}


_clients: dict[EngineSettings, EngineClient] = {}
_lock = threading.Lock()


def get_client() -> EngineClient:
    """The shared client for the configured engine (thread-safe; one connection pool)."""
    config = engine_settings()
    if config is None:
        raise SearchEngineUnavailable("Er is geen zoekmachine ingesteld (SEARCH_URL).")
    with _lock:
        if config not in _clients:
            _clients[config] = EngineClient(config)
        return _clients[config]
