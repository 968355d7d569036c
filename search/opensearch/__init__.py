"""The product library on OpenSearch 2 (or Elasticsearch 8): the engine for more than one server.

`client` connects (chosen by SEARCH_URL or ELASTICSEARCH_URL), `mapping` holds the versioned index
settings with the Dutch analysis, `documents` turns a live product into its index document,
`indexing` keeps the index in step (products by id, or a full rebuild behind an alias) and `engine`
answers `search.services` with one request per search: hits, exact total and every facet's counts.
"""
