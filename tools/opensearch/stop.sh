#!/usr/bin/env bash
# Stops the node that start.sh started (by its pid file) and waits until it has closed.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
pidfile="$here/var/opensearch.pid"
if [ ! -f "$pidfile" ]; then
    echo "OpenSearch is not running (no $pidfile)"
    exit 0
fi
pid="$(cat "$pidfile")"
if kill -0 "$pid" 2>/dev/null; then
    kill -TERM "$pid"
    for _ in $(seq 1 60); do
        kill -0 "$pid" 2>/dev/null || break
        sleep 0.5
    done
    if kill -0 "$pid" 2>/dev/null; then
        echo "OpenSearch (pid $pid) did not stop within 30 s; killing it" >&2
        kill -KILL "$pid"
    fi
    echo "OpenSearch stopped (pid $pid)"
else
    echo "OpenSearch was not running (stale pid $pid)"
fi
rm -f "$pidfile"
