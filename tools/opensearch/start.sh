#!/usr/bin/env bash
# Builds (first time only) and starts the single-node OpenSearch in the background, then waits until
# http://127.0.0.1:${OPENSEARCH_PORT:-9200}/_cluster/health is green or yellow.
#   tools/opensearch/start.sh            OPENSEARCH_HEAP=1g to change the heap (default 512m-1g)
# Data, logs and the pid file are in tools/opensearch/var/ (gitignored). Stop with stop.sh.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
var="$here/var"
pidfile="$var/opensearch.pid"
port="${OPENSEARCH_PORT:-9200}"
url="http://127.0.0.1:$port"
log="$var/logs/opensearch.log"

healthy() {
    local body
    body="$(curl -fsS --max-time 2 "$url/_cluster/health" 2>/dev/null)" || return 1
    [[ "$body" =~ \"status\":\"(green|yellow)\" ]]
}

wait_until_healthy() {  # wait_until_healthy PID STARTED-NS
    local pid="$1" started="$2" ms
    for _ in $(seq 1 360); do
        if healthy; then
            ms=$(( ($(date +%s%N) - started) / 1000000 ))
            echo "OpenSearch runs on $url (pid $pid, ready in ${ms} ms; log $log)"
            return 0
        fi
        if ! kill -0 "$pid" 2>/dev/null; then
            echo "OpenSearch stopped while starting; the end of $log:" >&2
            tail -40 "$log" >&2
            rm -f "$pidfile"
            return 1
        fi
        sleep 0.5
    done
    echo "OpenSearch did not answer on $url within 180 s; see $log" >&2
    return 1
}

if [ -f "$pidfile" ] && kill -0 "$(cat "$pidfile")" 2>/dev/null; then
    # Ours already runs (or is still starting): wait for it rather than start a second one.
    if healthy; then
        echo "OpenSearch already runs on $url (pid $(cat "$pidfile"))"
        exit 0
    fi
    wait_until_healthy "$(cat "$pidfile")" "$(date +%s%N)"
    exit $?
elif healthy; then
    echo "Something else already answers on $url; not starting a second node" >&2
    exit 1
fi

# OpenSearch 2.19 is built for Java 17: prefer Debian's JDK 17 over whatever `java` is first on PATH.
if [ -z "${JAVA_HOME:-}" ] && [ -x /usr/lib/jvm/java-17-openjdk-amd64/bin/javac ]; then
    export JAVA_HOME=/usr/lib/jvm/java-17-openjdk-amd64
fi
java="${JAVA_HOME:+$JAVA_HOME/bin/}java"
command -v "$java" >/dev/null || { echo "Java 17 is nodig (apt-get install openjdk-17-jdk-headless)" >&2; exit 1; }

# Build once: the jars are cached in ~/.m2 and copied to target/lib.
if [ ! -d "$here/target/lib" ] || [ ! -d "$here/target/classes" ] \
    || [ "$here/pom.xml" -nt "$here/target/lib" ] \
    || [ -n "$(find "$here/src" -newer "$here/target/lib" -type f 2>/dev/null)" ]; then
    command -v mvn >/dev/null || { echo "Maven is nodig (apt-get install maven)" >&2; exit 1; }
    echo "== building the OpenSearch node (Maven; the first build downloads ~45 MB of jars) =="
    rm -rf "$here/target/lib"
    mkdir -p "$here/target"
    if ! mvn -B -Dstyle.color=never -f "$here/pom.xml" package >"$here/target/build.log" 2>&1; then
        tail -40 "$here/target/build.log" >&2
        echo "The OpenSearch node did not build; see $here/target/build.log" >&2
        exit 1
    fi
    touch "$here/target/lib"
fi

mkdir -p "$var/logs" "$var/data"
[ -f "$log" ] && mv -f "$log" "$log.1"  # keep the previous run's log, no more
heap_min="${OPENSEARCH_HEAP_MIN:-512m}"
heap_max="${OPENSEARCH_HEAP:-1g}"
started="$(date +%s%N)"
# The JVM options of the distribution's jvm.options that matter for one small node.
nohup "$java" \
    "-Xms$heap_min" "-Xmx$heap_max" -XX:MaxDirectMemorySize=256m \
    -XX:+UseG1GC -Xss1m \
    -Djava.awt.headless=true -Dfile.encoding=UTF-8 -Djna.nosys=true \
    -Djava.locale.providers=SPI,COMPAT \
    -Dio.netty.noUnsafe=true -Dio.netty.noKeySetOptimization=true \
    -Dio.netty.recycler.maxCapacityPerThread=0 -Dio.netty.allocator.numDirectArenas=0 \
    -Dlog4j.shutdownHookEnabled=false -Dlog4j2.disable.jmx=true \
    -XX:ErrorFile="$var/logs/hs_err_pid%p.log" \
    "-Dhub.opensearch.home=$var" "-Dhub.opensearch.port=$port" \
    -cp "$here/target/classes:$here/target/lib/*" \
    nl.hubcms.opensearch.HubOpenSearchNode >>"$log" 2>&1 </dev/null &
pid=$!
echo "$pid" >"$pidfile"

wait_until_healthy "$pid" "$started"
