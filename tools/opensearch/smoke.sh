#!/usr/bin/env bash
# Smoke test of the running node (start.sh first): an index with the hub's kind of analysis
# (Dutch analyzer, synonym_graph, asciifolding, dictionary_decompounder, edge_ngram), a document,
# searches, a terms aggregation and _analyze. Exits non-zero at the first check that fails;
# removes its index at the end. OPENSEARCH_URL overrides http://127.0.0.1:${OPENSEARCH_PORT:-9200}.
set -euo pipefail
url="${OPENSEARCH_URL:-http://127.0.0.1:${OPENSEARCH_PORT:-9200}}"
index="hubcms-smoke-$$"
failures=0

call() {  # call METHOD PATH [JSON]: prints the response body, fails on an HTTP error
    local method="$1" path="$2" body="${3:-}"
    if [ -n "$body" ]; then
        curl -fsS -X "$method" "$url$path" -H 'Content-Type: application/json' -d "$body"
    else
        curl -fsS -X "$method" "$url$path"
    fi
}

check() {  # check NAME JSON PYTHON-EXPRESSION-OVER-r: prints ok/FAIL with the value it judged
    local name="$1" json="$2" expr="$3"
    if python3 -c '
import json, sys
r = json.loads(sys.argv[1])
value = eval(sys.argv[2])
print(("ok    " if value else "FAIL  ") + sys.argv[3])
sys.exit(0 if value else 1)
' "$json" "$expr" "$name"; then :; else failures=$((failures + 1)); fi
}

hits() { python3 -c 'import json,sys; print([h["_source"]["title"] for h in json.loads(sys.argv[1])["hits"]["hits"]])' "$1"; }

trap 'curl -s -X DELETE "$url/$index" >/dev/null || true' EXIT

echo "== node =="
health="$(call GET '/_cluster/health')"
check "cluster health is green or yellow" "$health" 'r["status"] in ("green", "yellow")'
call GET '/' | python3 -c 'import json,sys; r=json.load(sys.stdin); print("      OpenSearch", r["version"]["number"], "Lucene", r["version"]["lucene_version"])'

echo "== index $index =="
call PUT "/$index" '{
  "settings": {
    "number_of_shards": 1,
    "number_of_replicas": 0,
    "analysis": {
      "filter": {
        "hub_synonyms": {
          "type": "synonym_graph",
          "synonyms": [
            "sob, sociaal ontwikkelbedrijf, sw-bedrijf, sociaal werkbedrijf",
            "reintegratie, re-integratie"
          ]
        },
        "hub_decompound": {
          "type": "dictionary_decompounder",
          "word_list": ["buurt", "werk", "plaats", "integratie", "traject", "leer", "bedrijf"],
          "only_longest_match": false
        },
        "hub_stop": {"type": "stop", "stopwords": "_dutch_"},
        "hub_stem_override": {"type": "stemmer_override", "rules": ["plaats, plaatsen => plaats"]},
        "hub_stem": {"type": "stemmer", "language": "dutch_kp"}
      },
      "tokenizer": {
        "hub_edge": {"type": "edge_ngram", "min_gram": 2, "max_gram": 15, "token_chars": ["letter", "digit"]}
      },
      "analyzer": {
        "hub_dutch": {"type": "dutch"},
        "hub_index": {
          "tokenizer": "standard",
          "filter": ["lowercase", "asciifolding", "hub_decompound", "hub_stop", "hub_stem_override", "hub_stem"]
        },
        "hub_search": {
          "tokenizer": "standard",
          "filter": ["lowercase", "asciifolding", "hub_synonyms", "hub_decompound", "hub_stop", "hub_stem_override", "hub_stem"]
        },
        "hub_autocomplete": {"tokenizer": "hub_edge", "filter": ["lowercase", "asciifolding"]}
      }
    }
  },
  "mappings": {
    "properties": {
      "title": {
        "type": "text", "analyzer": "hub_index", "search_analyzer": "hub_search",
        "fields": {
          "dutch": {"type": "text", "analyzer": "hub_dutch"},
          "autocomplete": {"type": "text", "analyzer": "hub_autocomplete", "search_analyzer": "standard"}
        }
      },
      "summary": {"type": "text", "analyzer": "hub_index", "search_analyzer": "hub_search"},
      "product_type": {"type": "keyword"},
      "themes": {"type": "keyword"}
    }
  }
}' >/dev/null && echo "ok    created with dutch, synonym_graph, asciifolding, dictionary_decompounder, edge_ngram"

echo "== documents =="
call PUT "/$index/_doc/1?refresh=wait_for" '{"title": "Buurtwerkplaats in de wijk", "summary": "Een leerwerkplaats voor het sociaal werkbedrijf.", "product_type": "werkvorm", "themes": ["werk", "wijk"]}' >/dev/null
call PUT "/$index/_doc/2?refresh=wait_for" '{"title": "Re-integratie traject", "summary": "Begeleiding naar werk met een café als leerplek.", "product_type": "instrument", "themes": ["werk"]}' >/dev/null
call PUT "/$index/_doc/3?refresh=wait_for" '{"title": "Scan arbeidsmarktregio", "summary": "Overzicht van de regio.", "product_type": "scan", "themes": ["regio"]}' >/dev/null
count="$(call GET "/$index/_count")"
check "3 documents indexed" "$count" 'r["count"] == 3'

search() { call POST "/$index/_search" "$1"; }
match() { search "{\"query\": {\"multi_match\": {\"query\": \"$1\", \"fields\": [\"title^3\", \"summary\"]}}}"; }

echo "== searches =="
r="$(match werkplaatsen)"; echo "      werkplaatsen -> $(hits "$r")"
check "plural 'werkplaatsen' finds 'Buurtwerkplaats'" "$r" '"Buurtwerkplaats in de wijk" in [h["_source"]["title"] for h in r["hits"]["hits"]]'
r="$(match buurtwerkplaatsen)"; echo "      buurtwerkplaatsen -> $(hits "$r")"
check "compound 'buurtwerkplaatsen' finds 'Buurtwerkplaats'" "$r" 'r["hits"]["hits"] and r["hits"]["hits"][0]["_id"] == "1"'
r="$(match reintegratietraject)"; echo "      reintegratietraject -> $(hits "$r")"
check "compound 'reintegratietraject' finds 'Re-integratie traject'" "$r" 'r["hits"]["hits"] and r["hits"]["hits"][0]["_id"] == "2"'
r="$(match 'cafe')"; echo "      cafe -> $(hits "$r")"
check "asciifolding: 'cafe' finds 'café'" "$r" '[h["_id"] for h in r["hits"]["hits"]] == ["2"]'
r="$(match 'SOB')"; echo "      SOB -> $(hits "$r")"
check "synonym_graph: 'SOB' finds 'sociaal werkbedrijf'" "$r" '"1" in [h["_id"] for h in r["hits"]["hits"]]'
r="$(search '{"query": {"match": {"title.dutch": "wijken"}}}')"; echo "      title.dutch: wijken -> $(hits "$r")"
check "dutch analyzer: 'wijken' finds 'wijk'" "$r" '[h["_id"] for h in r["hits"]["hits"]] == ["1"]'
r="$(search '{"query": {"match": {"title.autocomplete": "arbeidsm"}}}')"; echo "      title.autocomplete: arbeidsm -> $(hits "$r")"
check "edge_ngram autocomplete: 'arbeidsm' finds 'arbeidsmarktregio'" "$r" '[h["_id"] for h in r["hits"]["hits"]] == ["3"]'
r="$(search '{"query": {"match": {"title": {"query": "werkplaast", "fuzziness": "AUTO"}}}}')"; echo "      werkplaast~ -> $(hits "$r")"
check "fuzziness: typo 'werkplaast' finds 'werkplaats'" "$r" '"1" in [h["_id"] for h in r["hits"]["hits"]]'

echo "== aggregation =="
r="$(search '{"size": 0, "track_total_hits": true, "query": {"term": {"themes": "werk"}}, "aggs": {"types": {"terms": {"field": "product_type"}}, "themes": {"terms": {"field": "themes"}}}}')"
python3 -c 'import json,sys; r=json.loads(sys.argv[1]); print("      total", r["hits"]["total"], "types", {b["key"]: b["doc_count"] for b in r["aggregations"]["types"]["buckets"]}, "themes", {b["key"]: b["doc_count"] for b in r["aggregations"]["themes"]["buckets"]})' "$r"
check "terms aggregation counts werkvorm 1, instrument 1 under theme werk" "$r" '{b["key"]: b["doc_count"] for b in r["aggregations"]["types"]["buckets"]} == {"werkvorm": 1, "instrument": 1} and r["hits"]["total"] == {"value": 2, "relation": "eq"}'

echo "== _analyze werkplaatsen =="
# Snowball Dutch (the "dutch" analyzer) stems werkplaats to werkplat but werkplaatsen to werkplaats,
# so singular and plural do not meet; dutch_kp plus a stemmer_override for the part does.
for analyzer in dutch hub_dutch hub_index hub_search; do
    if [ "$analyzer" = dutch ]; then path="/_analyze"; else path="/$index/_analyze"; fi
    r="$(call POST "$path" "{\"analyzer\": \"$analyzer\", \"text\": \"werkplaatsen\"}")"
    echo "      $analyzer: $(python3 -c 'import json,sys; print([t["token"] for t in json.loads(sys.argv[1])["tokens"]])' "$r")"
done
r="$(call POST '/_analyze' '{"analyzer": "dutch", "text": "werkplaats"}')"
echo "      dutch, singular werkplaats: $(python3 -c 'import json,sys; print([t["token"] for t in json.loads(sys.argv[1])["tokens"]])' "$r")"
r="$(call POST "/$index/_analyze" '{"analyzer": "hub_index", "text": "werkplaats"}')"
singular="$(python3 -c 'import json,sys; print(sorted(t["token"] for t in json.loads(sys.argv[1])["tokens"]))' "$r")"
r="$(call POST "/$index/_analyze" '{"analyzer": "hub_index", "text": "werkplaatsen"}')"
check "hub_index: singular and plural give the same tokens" "$r" 'sorted(t["token"] for t in r["tokens"]) == '"$singular"
r="$(call POST "/$index/_analyze" '{"analyzer": "hub_search", "text": "SOB"}')"
echo "      hub_search SOB: $(python3 -c 'import json,sys; print([t["token"] for t in json.loads(sys.argv[1])["tokens"]])' "$r")"

echo
if [ "$failures" -gt 0 ]; then
    echo "smoke: $failures check(s) failed"
    exit 1
fi
echo "smoke: all checks passed"
