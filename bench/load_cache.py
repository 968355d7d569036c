"""Load benchmark of the public site through the production stack, with and without Varnish.

gunicorn 4x4 on production settings, PostgreSQL, Redis as the shared cache, and Varnish with
tools/varnish/hubcms.vcl in front, all on loopback. `wrk` (a compiled load generator, so that the
generator does not eat the server's CPU) plays 50 concurrent visitors, one phase at a time:

    pages via Varnish     product and development-line pages
    searches via Varnish  library searches with facets
    pages direct          the same URLs straight to gunicorn (no HTTP cache)
    searches direct

Two editors (Coördinator accounts with password and TOTP) save drafts in the admin and publish
through the quality gate during every phase, so purges happen under load. Printed per phase:
requests/s, median, p95 and p99 latency and errors, the editors' save p95, and the ratio of the
cached to the uncached throughput measured in this one run.

    .venv/bin/python bench/load_cache.py                 # 20 s per phase
    .venv/bin/python bench/load_cache.py --duration 40

Needs: PostgreSQL on 127.0.0.1 (postgres trusted), redis-server, varnishd and wrk from Debian.
"""

import argparse
import random
import re
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path
from urllib.parse import urlencode

sys.path.insert(0, str(Path(__file__).resolve().parent))

from load_fault import (  # noqa: E402
    PROJECT,
    Recorder,
    editor,
    ensure_redis,
    percentile,
    prepare_hub,
    production_env,
    start_gunicorn,
)

VCL = PROJECT / "tools" / "varnish" / "hubcms.vcl"
SEARCH_TERMS = ["scan", "werkgever", "training", "jobcoach", "regio", "sociaal", "handreiking",
                "ontwikkelbedrijf", "participatie", "beschut werk", "format", "gemeente"]  # fmt: skip
FACETS = [{}, {"type": "scan"}, {"type": "training"}, {"fase": "beschikbaar"}]

WRK_SCRIPT = """
local urls = {%(urls)s}
local n = 0
request = function()
  n = n + 1
  local client = string.format("198.18.%%d.%%d", math.floor(n / 250) %% 250, n %% 250 + 1)
  return wrk.format("GET", urls[(n %% #urls) + 1], {
    ["Host"] = "localhost",
    ["X-Forwarded-Proto"] = "https",
    ["X-Forwarded-For"] = client .. "%(extra_hop)s",
  })
end
%(delay)s
done = function(summary, latency, requests)
  local e = summary.errors
  io.write(string.format("RESULT %%d %%d %%.2f %%.2f %%.2f %%d %%d\\n", summary.requests,
    summary.duration, latency:percentile(50) / 1000, latency:percentile(95) / 1000,
    latency:percentile(99) / 1000, e.status, e.connect + e.read + e.write + e.timeout))
end
"""


def start_varnish(workdir: Path, port: int, backend_port: int) -> subprocess.Popen:
    vcl = VCL.read_text().replace('.host = "app";', '.host = "127.0.0.1";', 1)
    vcl = vcl.replace('.port = "8000";', f'.port = "{backend_port}";', 1)
    (workdir / "hubcms.vcl").write_text(vcl)
    varnishd = shutil.which("varnishd") or "/usr/sbin/varnishd"
    process = subprocess.Popen(
        [varnishd, "-F", "-j", "none", "-n", str(workdir / "varnish"), "-a",
         f"127.0.0.1:{port}", "-f", str(workdir / "hubcms.vcl"), "-s", "malloc,256m"],
        stdout=subprocess.DEVNULL, stderr=subprocess.STDOUT,
    )  # fmt: skip
    import socket

    for _ in range(120):  # compiling the VCL takes a while on a busy machine
        with socket.socket() as probe:
            if probe.connect_ex(("127.0.0.1", port)) == 0:
                time.sleep(6)  # the backend probe needs three good answers before traffic
                return process
        time.sleep(0.5)
    process.terminate()
    raise SystemExit("varnishd kwam niet op")


def run_wrk(
    port: int, urls: list[str], seconds: int, connections: int, direct: bool, rate: int = 0
) -> dict:
    """One wrk run; with `rate`, each connection waits between requests (visitors' think time),
    so that the offered load is about `rate` requests/s instead of as many as the server takes."""
    # Through Varnish the app sees "visitor, varnish" (two hops); direct, the script adds a hop
    # so that the app's HUBCMS_TRUSTED_PROXY_COUNT=2 finds the visitor in the same place.
    script = WRK_SCRIPT % {
        "urls": ", ".join(f'"{url}"' for url in urls),
        "extra_hop": ", 127.0.0.1" if direct else "",
        "delay": f"delay = function() return {connections * 1000 // rate} end" if rate else "",
    }
    with tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False) as handle:
        handle.write(script)
    result = subprocess.run(
        ["wrk", "-t", "2", "-c", str(connections), "-d", f"{seconds}s", "--timeout", "10s",
         "-s", handle.name, f"http://127.0.0.1:{port}"],
        capture_output=True, text=True,
    )  # fmt: skip
    match = re.search(r"RESULT (\d+) (\d+) ([\d.]+) ([\d.]+) ([\d.]+) (\d+) (\d+)", result.stdout)
    if not match:
        raise SystemExit(f"wrk gaf geen uitslag:\n{result.stdout}\n{result.stderr}")
    requests, micros, p50, p95, p99, status_errors, socket_errors = match.groups()
    seconds_run = int(micros) / 1e6
    return {
        "rps": int(requests) / seconds_run,
        "p50": float(p50),
        "p95": float(p95),
        "p99": float(p99),
        "errors": int(status_errors) + int(socket_errors),
        "requests": int(requests),
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--duration", type=int, default=20, help="seconds per phase")
    parser.add_argument("--connections", type=int, default=50)
    parser.add_argument("--port", type=int, default=8766)
    parser.add_argument("--varnish-port", type=int, default=8767)
    parser.add_argument("--database", default="hubcms_load")
    parser.add_argument("--keep-database", action="store_true")
    args = parser.parse_args()
    for tool in ("wrk", "redis-server"):
        if not shutil.which(tool):
            raise SystemExit(f"{tool} ontbreekt: apt-get install wrk redis-server varnish")

    env = production_env(
        args.database,
        REDIS_URL="redis://127.0.0.1:6390/0",
        VARNISH_URL=f"http://127.0.0.1:{args.varnish_port}",
        HUBCMS_TRUSTED_PROXY_COUNT="2",
    )
    redis = ensure_redis(6390)
    editors, urls = prepare_hub(args.database, env, keep=args.keep_database)

    from products.models import DevelopmentLinePage, ProductLibraryPage, ProductPage

    library = ProductLibraryPage.objects.get().url
    pages = [p.url for p in ProductPage.objects.live().public()[:40]]
    pages += [p.url for p in DevelopmentLinePage.objects.live().public()]
    rng = random.Random(1)
    searches = [
        f"{library}?{urlencode({'q': term, **facet})}" for term in SEARCH_TERMS for facet in FACETS
    ]
    rng.shuffle(searches)

    server = start_gunicorn(args.port, env)
    workdir = Path(tempfile.mkdtemp(prefix="hubcms-varnish-"))
    varnish = start_varnish(workdir, args.varnish_port, args.port)
    results = {}
    try:
        phases = [
            ("pagina's via Varnish", args.varnish_port, pages, False, 0),
            ("pagina's via Varnish, 1000/s", args.varnish_port, pages, False, 1000),
            ("zoeken via Varnish", args.varnish_port, searches, False, 0),
            ("zoeken via Varnish, 300/s", args.varnish_port, searches, False, 300),
            ("pagina's direct", args.port, pages, True, 0),
            ("zoeken direct", args.port, searches, True, 0),
        ]
        recorder = Recorder()
        stop = threading.Event()
        published: list[int] = []
        # The editors sign in once (a TOTP code is accepted once) and work through every phase.
        threads = [
            threading.Thread(
                target=editor,
                args=(*spec, args.varnish_port, stop, recorder, published),
                daemon=True,
            )
            for spec in editors
        ]
        for thread in threads:
            thread.start()
        time.sleep(5)
        for name, port, phase_urls, direct, rate in phases:
            label = f"{rate} req/s aangeboden" if rate else "zoveel als het gaat"
            print(
                f"{name}: {args.connections} bezoekers, {label}, {args.duration} s...", flush=True
            )
            started = time.time()
            outcome = run_wrk(port, phase_urls, args.duration, args.connections, direct, rate)
            window = [s for s in recorder.samples if started <= s.at <= time.time()]
            saves = [
                s.seconds * 1000 for s in window if s.kind == "editor" and 200 <= s.status < 400
            ]
            outcome["save_p95"] = percentile(saves, 0.95)
            outcome["saves"] = len(saves)
            outcome["save_errors"] = sum(
                1 for s in window if s.kind == "editor" and not 200 <= s.status < 400
            )
            outcome["published"] = sum(1 for s in window if s.kind == "publish" and s.status == 200)
            results[name] = outcome
        stop.set()
        for thread in threads:
            thread.join(timeout=35)
    finally:
        varnish.terminate()
        server.terminate()
        server.wait(timeout=30)
        if redis is not None:
            redis.terminate()

    print()
    print(f"Resultaten ({args.connections} gelijktijdige bezoekers, wrk, gunicorn 4x4, loopback):")
    for name, r in results.items():
        print(
            f"  {name:<30} {r['rps']:8.1f} req/s  mediaan {r['p50']:7.1f} ms  "
            f"p95 {r['p95']:7.1f} ms  p99 {r['p99']:7.1f} ms  fouten {r['errors']}  | "
            f"redacteuren: {r['saves']} verzoeken, p95 {r['save_p95']:.0f} ms, "
            f"fouten {r['save_errors']}, gepubliceerd {r['published']}"
        )
    for kind in ("pagina's", "zoeken"):
        cached, direct = results[f"{kind} via Varnish"], results[f"{kind} direct"]
        print(f"  winst {kind}: {cached['rps'] / max(direct['rps'], 0.1):.1f}x requests/s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
