"""The connection to the search engine: OpenSearch 2 through opensearch-py, or Elasticsearch 8.

`SEARCH_URL` selects OpenSearch (the default flavour; `SEARCH_CLIENT=elasticsearch` for an
Elasticsearch 8 cluster at that URL); the older `ELASTICSEARCH_URL` alone selects Elasticsearch 8.
Neither set: no engine, the database searches. Both clients speak the same query DSL; this module
hides the few differences in how their methods take a request body.
"""

import threading
import time
from collections.abc import Callable, Iterable
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
    """The handful of calls hubcms makes; both clients take a request body as `body`."""

    # Elasticsearch's and OpenSearch's clients and errors differ in type but take the same calls.
    raw: Any
    _helpers: Any
    admin: Any
    _unavailable: tuple[type[Exception], ...]
    _not_found: type[Exception]
    _connection_error: tuple[type[Exception], ...]

    def __init__(self, config: EngineSettings) -> None:
        self.config = config
        self.down_until = 0.0
        connect: Callable[[float, int], Any]
        if config.flavour == "elasticsearch":
            import elasticsearch
            import elasticsearch.helpers

            def connect(timeout: float, retries: int) -> elasticsearch.Elasticsearch:
                return elasticsearch.Elasticsearch(
                    config.url, request_timeout=timeout, max_retries=retries, retry_on_timeout=True
                )

            self._unavailable = (elasticsearch.TransportError, elasticsearch.ApiError)
            self._helpers = elasticsearch.helpers
            self._not_found = elasticsearch.NotFoundError
            self._connection_error = (
                elasticsearch.ConnectionError,
                elasticsearch.ConnectionTimeout,
            )
        else:
            import opensearchpy
            import opensearchpy.helpers

            def connect(timeout: float, retries: int) -> opensearchpy.OpenSearch:
                return opensearchpy.OpenSearch(
                    [config.url],
                    timeout=timeout,
                    max_retries=retries,
                    retry_on_timeout=True,
                    pool_maxsize=4,  # the rebuild's sender threads and threaded app servers
                )

            self._unavailable = (opensearchpy.TransportError,)
            self._helpers = opensearchpy.helpers
            self._not_found = opensearchpy.NotFoundError
            self._connection_error = (opensearchpy.ConnectionError, opensearchpy.ConnectionTimeout)
        self.raw = connect(config.timeout, 1)
        # Index administration may take seconds on a busy node, and is never retried: a retried
        # create would find the index already made.
        self.admin = connect(60, 0)

    def _call(
        self,
        method: Callable[..., Any],
        *,
        probe: bool = False,
        missing: Any = RAISE,
        **kwargs: Any,
    ) -> Any:
        """Call the client; `probe` tries even while the breaker is open (health checks);
        `missing` is the answer when the index or document does not exist."""
        if not probe and time.monotonic() < self.down_until:
            raise SearchEngineUnavailable("De zoekmachine was zojuist onbereikbaar.")
        try:
            response = method(**kwargs)
        except self._not_found as error:
            if missing is RAISE:
                raise SearchEngineUnavailable(f"{type(error).__name__}: {error}") from error
            return missing
        except self._unavailable as error:
            if isinstance(error, self._connection_error):
                self.down_until = time.monotonic() + BREAKER_SECONDS
            raise SearchEngineUnavailable(f"{type(error).__name__}: {error}") from error
        self.down_until = 0.0
        return getattr(response, "body", response)

    def search(self, index: str, body: dict[str, Any]) -> dict[str, Any]:
        answer: dict[str, Any] = self._call(self.raw.search, index=index, body=body)
        return answer

    def analyze(self, index: str, analyzer: str, text: str) -> list[dict[str, Any]]:
        """The tokens one of the index's analyzers makes of a text."""
        body = {"analyzer": analyzer, "text": text}
        return list(self._call(self.raw.indices.analyze, index=index, body=body)["tokens"])

    def index(self, index: str, doc_id: int, document: dict[str, Any], *, refresh: bool) -> None:
        refresh_flag = "true" if refresh else "false"
        self._call(self.raw.index, index=index, id=str(doc_id), body=document, refresh=refresh_flag)

    def delete(self, index: str, doc_id: int, *, refresh: bool) -> None:
        refresh_flag = "true" if refresh else "false"
        self._call(self.raw.delete, index=index, id=str(doc_id), refresh=refresh_flag, missing=None)

    def bulk(
        self, actions: Iterable[dict[str, Any]], *, chunk_size: int = 1000, refresh: bool = False
    ) -> int:
        """Send index/delete actions in chunks; returns how many succeeded."""
        try:
            ok, errors = self._helpers.bulk(
                self.raw,
                actions,
                chunk_size=chunk_size,
                max_chunk_bytes=20 * 1024 * 1024,
                refresh="true" if refresh else "false",
                raise_on_error=True,
                ignore_status=(404,),  # deleting what is not there is no error
                request_timeout=max(60, self.config.timeout),
            )
        except self._unavailable as error:
            raise SearchEngineUnavailable(f"{type(error).__name__}: {error}") from error
        return int(ok)

    def create_index(self, name: str, body: dict[str, Any]) -> None:
        self._call(self.admin.indices.create, index=name, body=body)

    def delete_index(self, name: str) -> None:
        self._call(self.admin.indices.delete, index=name, ignore_unavailable=True)

    def put_settings(self, name: str, index_settings: dict[str, Any]) -> None:
        self._call(self.admin.indices.put_settings, index=name, body=index_settings)

    def get_settings(self, name: str) -> dict[str, Any]:
        """The index's own settings (`index.*`), as strings."""
        found = self._call(self.raw.indices.get_settings, index=name)
        settings_: dict[str, Any] = found[name]["settings"]["index"]
        return settings_

    def refresh(self, name: str) -> None:
        self._call(self.raw.indices.refresh, index=name)

    def alias_targets(self, alias: str) -> list[str]:
        """The concrete indexes behind an alias ([] when it does not exist)."""
        return sorted(self._call(self.raw.indices.get_alias, name=alias, missing={}))

    def indexes_matching(self, pattern: str) -> list[str]:
        found = self._call(self.raw.indices.get, index=pattern, allow_no_indices=True, missing={})
        return sorted(found)

    def index_meta(self, name: str) -> dict[str, Any]:
        mapping = self._call(self.raw.indices.get_mapping, index=name)
        meta: dict[str, Any] = next(iter(mapping.values()))["mappings"].get("_meta", {})
        return meta

    def update_aliases(self, actions: list[dict[str, Any]]) -> None:
        self._call(self.admin.indices.update_aliases, body={"actions": actions})

    def ping(self) -> dict[str, Any]:
        """The cluster's name and version; raises SearchEngineUnavailable when it cannot answer."""
        info = self._call(self.raw.info, probe=True)
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
