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


class EngineClient:
    """The handful of calls hubcms makes, with the body passed the way each client wants it."""

    # Elasticsearch's and OpenSearch's clients and errors differ in type but take the same calls.
    raw: Any
    _helpers: Any
    _unavailable: tuple[type[Exception], ...]
    _not_found: type[Exception]

    def __init__(self, config: EngineSettings) -> None:
        self.config = config
        self.down_until = 0.0
        if config.flavour == "elasticsearch":
            from elasticsearch import Elasticsearch
            from elasticsearch import exceptions as es_errors
            from elasticsearch import helpers as es_helpers

            self.raw = Elasticsearch(
                config.url, request_timeout=config.timeout, max_retries=1, retry_on_timeout=True
            )
            self._helpers = es_helpers
            self._unavailable = (
                es_errors.ConnectionError,
                es_errors.ConnectionTimeout,
                es_errors.TransportError,
                es_errors.ApiError,
            )
            self._not_found = es_errors.NotFoundError
        else:
            from opensearchpy import OpenSearch, helpers
            from opensearchpy import exceptions as os_errors

            self.raw = OpenSearch(
                [config.url],
                timeout=config.timeout,
                max_retries=1,
                retry_on_timeout=True,
                http_compress=False,
                pool_maxsize=4,  # the rebuild's sender threads and threaded app servers
            )
            self._helpers = helpers
            self._unavailable = (os_errors.ConnectionError, os_errors.TransportError)
            self._not_found = os_errors.NotFoundError
        self._connection_errors = tuple(
            error for error in self._unavailable if "Connection" in error.__name__
        )

    @property
    def elasticsearch(self) -> bool:
        return self.config.flavour == "elasticsearch"

    def _call(
        self, method: Callable[..., Any], *, slow: bool = False, probe: bool = False, **kwargs: Any
    ) -> Any:
        """Call the client; `slow` for index administration, which may take seconds on a busy
        node (and must not be retried: a retried create finds the index already made); `probe`
        tries even while the breaker is open (health checks)."""
        if not probe and time.monotonic() < self.down_until:
            raise SearchEngineUnavailable("De zoekmachine was zojuist onbereikbaar.")
        if slow:
            if self.elasticsearch:
                method = self.raw.options(request_timeout=60, max_retries=0).indices
                method = getattr(method, kwargs.pop("_name"))
            else:
                kwargs["request_timeout"] = 60
        kwargs.pop("_name", None)
        try:
            response = method(**kwargs)
        except self._unavailable as error:
            if isinstance(error, self._connection_errors):
                self.down_until = time.monotonic() + BREAKER_SECONDS
            raise SearchEngineUnavailable(f"{type(error).__name__}: {error}") from error
        self.down_until = 0.0
        return getattr(response, "body", response)

    def search(self, index: str, body: dict[str, Any]) -> dict[str, Any]:
        # Both clients take `body` ("from" is no Python keyword argument).
        response: dict[str, Any] = self._call(self.raw.search, index=index, body=body)
        return response

    def msearch(
        self, index: str, bodies: list[dict[str, Any]], *, cache: list[bool]
    ) -> list[dict[str, Any]]:
        """Several searches in one round trip; `cache[i]` asks the node's request cache to keep
        the answer of body i (it does so only for `size: 0`, and drops it at the next refresh
        that changed the index)."""
        lines: list[dict[str, Any]] = []
        for body, cached in zip(bodies, cache, strict=True):
            lines += [{"index": index, "request_cache": cached}, body]
        payload: dict[str, Any] = {"searches" if self.elasticsearch else "body": lines}
        answers: list[dict[str, Any]] = self._call(self.raw.msearch, **payload)["responses"]
        for answer in answers:
            if "error" in answer:  # msearch reports a failed search in its answer, not as HTTP
                raise SearchEngineUnavailable(f"msearch: {answer['error']}")
        return answers

    def index(self, index: str, doc_id: int, document: dict[str, Any], *, refresh: bool) -> None:
        payload: dict[str, Any] = {"document" if self.elasticsearch else "body": document}
        self._call(
            self.raw.index,
            index=index,
            id=str(doc_id),
            refresh="true" if refresh else "false",
            **payload,
        )

    def delete(self, index: str, doc_id: int, *, refresh: bool) -> None:
        try:
            self._call(
                self.raw.delete,
                index=index,
                id=str(doc_id),
                refresh="true" if refresh else "false",
            )
        except SearchEngineUnavailable as error:
            if isinstance(error.__cause__, self._not_found):
                return  # not in the index: nothing to remove
            raise

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
        if self.elasticsearch:
            self._call(self.raw.indices.create, slow=True, _name="create", index=name, **body)
        else:
            self._call(self.raw.indices.create, slow=True, _name="create", index=name, body=body)

    def delete_index(self, name: str) -> None:
        self._call(
            self.raw.indices.delete, slow=True, _name="delete", index=name, ignore_unavailable=True
        )

    def put_settings(self, name: str, index_settings: dict[str, Any]) -> None:
        if self.elasticsearch:
            self._call(
                self.raw.indices.put_settings,
                slow=True,
                _name="put_settings",
                index=name,
                settings=index_settings,
            )
        else:
            self._call(
                self.raw.indices.put_settings,
                slow=True,
                _name="put_settings",
                index=name,
                body=index_settings,
            )

    def get_settings(self, name: str) -> dict[str, Any]:
        """The index's own settings (`index.*`), as strings."""
        found = self._call(self.raw.indices.get_settings, index=name)
        settings_: dict[str, Any] = found[name]["settings"]["index"]
        return settings_

    def refresh(self, name: str) -> None:
        self._call(self.raw.indices.refresh, index=name)

    def alias_targets(self, alias: str) -> list[str]:
        """The concrete indexes behind an alias ([] when it does not exist)."""
        try:
            found = self._call(self.raw.indices.get_alias, name=alias)
        except SearchEngineUnavailable as error:
            if isinstance(error.__cause__, self._not_found):
                return []
            raise
        return sorted(found)

    def indexes_matching(self, pattern: str) -> list[str]:
        try:
            found = self._call(self.raw.indices.get, index=pattern, allow_no_indices=True)
        except SearchEngineUnavailable as error:
            if isinstance(error.__cause__, self._not_found):
                return []
            raise
        return sorted(found)

    def index_meta(self, name: str) -> dict[str, Any]:
        mapping = self._call(self.raw.indices.get_mapping, index=name)
        meta: dict[str, Any] = next(iter(mapping.values()))["mappings"].get("_meta", {})
        return meta

    def update_aliases(self, actions: list[dict[str, Any]]) -> None:
        if self.elasticsearch:
            self._call(
                self.raw.indices.update_aliases, slow=True, _name="update_aliases", actions=actions
            )
        else:
            self._call(
                self.raw.indices.update_aliases,
                slow=True,
                _name="update_aliases",
                body={"actions": actions},
            )

    def ping(self) -> dict[str, Any]:
        """The cluster's name and version; raises SearchEngineUnavailable when it cannot answer."""
        info = self._call(self.raw.info, probe=True)
        return {"cluster": info.get("cluster_name"), "version": info["version"]["number"]}

    def analyze(self, index: str, analyzer: str, text: str) -> list[str]:
        if self.elasticsearch:
            result = self._call(self.raw.indices.analyze, index=index, analyzer=analyzer, text=text)
        else:
            result = self._call(
                self.raw.indices.analyze, index=index, body={"analyzer": analyzer, "text": text}
            )
        return [token["token"] for token in result["tokens"]]


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
