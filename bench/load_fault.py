"""Load and fault benchmark: the production setup on PostgreSQL under gunicorn, on loopback only.

50 visitors search and read the product library while two editors (Coördinator accounts, signed in
with a password and a TOTP code) save drafts through the admin and publish them through the quality
gate, for --duration seconds. Then the PostgreSQL cluster is stopped for --outage seconds and started
again while the load goes on. Printed: requests/s, median and 95th-percentile latency and errors per
phase, how many visitors got the Dutch 503 page, how long recovery took, and whether any page was
left half-published.

    .venv/bin/python bench/load_fault.py                  # 60 s load + 10 s outage + 20 s after
    .venv/bin/python bench/load_fault.py --no-fault       # load only; leaves PostgreSQL alone

It uses its own database (hubcms_load) but stopping the cluster affects every database on it: run
the fault part only when nobody else is using the local PostgreSQL. All traffic goes to 127.0.0.1.
"""

import argparse
import http.client
import os
import random
import re
import secrets
import statistics
import subprocess
import sys
import threading
import time
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlencode

PROJECT = Path(__file__).resolve().parent.parent
PYTHON = str(PROJECT / ".venv" / "bin" / "python")
GUNICORN = str(PROJECT / ".venv" / "bin" / "gunicorn")
SEARCH_TERMS = ["scan", "werkgever", "training", "jobcoach", "regio", "sociaal", "handreiking",
                "ontwikkelbedrijf", "participatie", "beschut werk", "format", "gemeente"]  # fmt: skip


def pg_version() -> str:
    return sorted(os.listdir("/etc/postgresql"))[-1]


def pg_ctl(action: str) -> None:
    subprocess.run(
        ["pg_ctlcluster", "--skip-systemctl-redirect", pg_version(), "main", action],
        check=True,
        capture_output=True,
    )


def busy_databases(own: str) -> list[str]:
    """Other databases on the cluster used in the last minute (stopping it would hurt them)."""
    import psycopg

    with psycopg.connect("host=127.0.0.1 user=postgres dbname=postgres") as conn:
        rows = conn.execute(
            "SELECT DISTINCT datname FROM pg_stat_activity WHERE datname NOT IN (%s, 'postgres') "
            "AND pid <> pg_backend_pid() AND state_change > now() - interval '60 seconds'",
            [own],
        ).fetchall()
    return [row[0] for row in rows]


@dataclass
class Sample:
    at: float
    kind: str  # "visitor" or "editor"
    status: int  # 0 for a connection error
    seconds: float
    dutch_503: bool = False


@dataclass
class Recorder:
    samples: list[Sample] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def add(self, sample: Sample) -> None:
        with self.lock:
            self.samples.append(sample)


class Browser:
    """A tiny HTTP client with its own cookie jar; tells Django the request came in over HTTPS."""

    def __init__(self, port: int, forwarded_for: str):
        self.port = port
        self.forwarded_for = forwarded_for
        self.cookies: dict[str, str] = {}
        self.conn: http.client.HTTPConnection | None = None

    def request(self, method: str, path: str, body: dict | None = None) -> tuple[int, str, dict]:
        headers = {
            "Host": "localhost",
            "X-Forwarded-Proto": "https",
            "X-Forwarded-For": self.forwarded_for,
            "Referer": "https://localhost/admin/",
            "Accept": "text/html",
        }
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        data = None
        if body is not None:
            data = urlencode(body, doseq=True).encode()
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        for attempt in range(2):
            try:
                if self.conn is None:
                    self.conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=30)
                self.conn.request(method, path, body=data, headers=headers)
                response = self.conn.getresponse()
                text = response.read().decode("utf-8", "replace")
                break
            except (ConnectionError, http.client.HTTPException, OSError):
                self.conn = None
                if attempt:
                    raise
        for name, value in response.getheaders():
            if name.lower() == "set-cookie":
                key, _, rest = value.partition("=")
                self.cookies[key.strip()] = rest.split(";", 1)[0]
        return response.status, text, dict(response.getheaders())


def timed(recorder: Recorder, kind: str, browser: Browser, method: str, path: str, body=None):
    started = time.monotonic()
    try:
        status, text, headers = browser.request(method, path, body)
    except Exception as error:  # noqa: BLE001 - a refused connection counts as an error
        if os.environ.get("BENCH_DEBUG"):
            print(f"  {method} {path}: {error!r}", file=sys.stderr)
        recorder.add(Sample(time.time(), kind, 0, time.monotonic() - started))
        return 0, "", {}
    recorder.add(
        Sample(
            time.time(),
            kind,
            status,
            time.monotonic() - started,
            dutch_503=status == 503 and "Tijdelijk niet beschikbaar" in text,
        )
    )
    return status, text, headers


def visitor(number: int, port: int, urls: list[str], stop: threading.Event, rec: Recorder):
    browser = Browser(port, f"198.18.{number // 250}.{number % 250 + 1}")
    rng = random.Random(number)
    while not stop.is_set():
        if rng.random() < 0.5:
            query = urlencode({"q": rng.choice(SEARCH_TERMS)})
            timed(rec, "visitor", browser, "GET", f"{urls[0]}?{query}")
        else:
            timed(rec, "visitor", browser, "GET", rng.choice(urls))
        time.sleep(rng.uniform(0.05, 0.25))  # think time


def csrf_token(browser: Browser, text: str) -> str:
    match = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', text)
    return match.group(1) if match else browser.cookies.get("__Host-csrftoken", "")


def editor(
    username: str,
    password: str,
    key_hex: str,
    page_ids: list[int],
    port: int,
    stop: threading.Event,
    rec: Recorder,
    published: list[int],
):
    """Sign in with password and TOTP, then save drafts in the admin and publish them."""
    from django.db import close_old_connections

    from django_otp.oath import TOTP

    from hubcms.testing.publishing import publish
    from products.models import ProductPage
    from products.tests.test_admin_editing import product_form

    browser = Browser(port, f"198.19.0.{len(published) + 10}")
    status, text, _ = timed(rec, "editor", browser, "GET", "/admin/login/")
    body = {
        "csrfmiddlewaretoken": csrf_token(browser, text),
        "username": username,
        "password": password,
    }
    timed(rec, "editor", browser, "POST", "/admin/login/", body)
    status, text, _ = timed(rec, "editor", browser, "GET", "/admin/tweestapsverificatie/")
    token = f"{TOTP(bytes.fromhex(key_hex)).token():06d}"
    body = {"csrfmiddlewaretoken": csrf_token(browser, text), "token": token, "next": "/admin/"}
    status, _, _ = timed(rec, "editor", browser, "POST", "/admin/tweestapsverificatie/", body)
    if status != 302:
        print(f"  {username}: tweestapsverificatie mislukt ({status})", file=sys.stderr)
        return
    rng = random.Random(username)
    count = 0
    while not stop.is_set():
        page_id = rng.choice(page_ids)
        status, text, _ = timed(rec, "editor", browser, "GET", f"/admin/pages/{page_id}/edit/")
        if status != 200:
            time.sleep(1)
            continue
        count += 1
        slug = re.search(r'name="slug"[^>]*value="([^"]+)"', text)
        form = product_form(
            slug=slug.group(1) if slug else f"bench-{page_id}",
            title=f"Benchproduct {page_id} v{count}",
        )
        for name in ("loaded_revision_id", "loaded_revision_created_at"):
            hidden = re.search(rf'name="{name}" value="([^"]*)"', text)
            form[name] = (
                hidden.group(1).replace("&#x2B;", "+").replace("&#43;", "+") if hidden else ""
            )
        form["csrfmiddlewaretoken"] = csrf_token(browser, text)
        status, _, _ = timed(rec, "editor", browser, "POST", f"/admin/pages/{page_id}/edit/", form)
        if status == 302 and count % 2 == 0:
            # Publish through the quality gate, as the final approval would (assessed revision).
            started = time.monotonic()
            try:
                publish(ProductPage.objects.get(pk=page_id))
                published.append(page_id)
                rec.add(Sample(time.time(), "publish", 200, time.monotonic() - started))
            except Exception:  # noqa: BLE001 - the database may be down
                rec.add(Sample(time.time(), "publish", 0, time.monotonic() - started))
            finally:
                close_old_connections()
        time.sleep(rng.uniform(0.5, 1.5))


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))] if ordered else 0.0


def report(title: str, samples: list[Sample], seconds: float, *, outage: bool = False) -> None:
    ok = [s for s in samples if 200 <= s.status < 400]
    unavailable = [s for s in samples if s.status == 503]
    errors = [s for s in samples if s.status == 0 or (s.status >= 400 and s.status != 503)]
    if not outage:
        errors += unavailable
    latencies = [s.seconds * 1000 for s in ok]
    line = (
        f"{title:<28} {len(samples) / max(seconds, 0.001):7.1f} req/s  "
        f"mediaan {statistics.median(latencies) if latencies else 0:6.1f} ms  "
        f"p95 {percentile(latencies, 0.95):7.1f} ms  ok {len(ok):6d}  fouten {len(errors):4d}"
    )
    if outage:
        dutch = sum(s.dutch_503 for s in unavailable)
        line += f"  503 {len(unavailable)} (Nederlandse 503-pagina: {dutch})"
    print(line)
    statuses = defaultdict(int)
    for s in errors:
        statuses[s.status] += 1
    if statuses:
        print(f"{'':28} foutcodes: {dict(statuses)}")


def production_env(database: str, **extra: str) -> dict[str, str]:
    """The environment of the production settings on loopback, for the bench's processes."""
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "hubcms.settings.production",
        "SECRET_KEY": secrets.token_urlsafe(50),
        "ALLOWED_HOSTS": "localhost,127.0.0.1",
        "DATABASE_URL": f"postgres://postgres@127.0.0.1:5432/{database}",
        "SECURE_SSL_REDIRECT": "false",
        "STATIC_ROOT": "/tmp/hubcms-load-static",
        "MEDIA_ROOT": "/tmp/hubcms-load-media",
        "HUBCMS_TRUSTED_PROXY_COUNT": "1",
        "EMAIL_BACKEND": "django.core.mail.backends.locmem.EmailBackend",
        "LOG_LEVEL": "WARNING",
        "PYTHONPATH": str(PROJECT),
        **extra,
    }
    os.environ.update({k: env[k] for k in env if k != "PYTHONPATH"})
    sys.path.insert(0, str(PROJECT))
    return env


def ensure_redis(port: int = 6390) -> subprocess.Popen | None:
    """Production settings need a shared cache: a throwaway redis-server on loopback."""
    import socket

    with socket.socket() as probe:
        if probe.connect_ex(("127.0.0.1", port)) == 0:
            return None
    server = subprocess.Popen(
        ["redis-server", "--port", str(port), "--bind", "127.0.0.1", "--save", "",
         "--appendonly", "no"],
        stdout=subprocess.DEVNULL,
    )  # fmt: skip
    time.sleep(0.5)
    return server


def prepare_hub(database: str, env: dict[str, str], *, keep: bool = False):
    """A fresh demo hub in `database`, two signed-in-able editors and the URLs visitors read."""

    def manage(*command: str) -> str:
        result = subprocess.run(
            [PYTHON, "manage.py", *command], cwd=PROJECT, env=env, capture_output=True, text=True
        )
        if result.returncode != 0:
            raise SystemExit(f"manage.py {' '.join(command)} mislukt:\n{result.stderr[-2000:]}")
        return result.stdout

    import psycopg

    print(f"Database {database} voorbereiden (migrate, demo-hub, statische bestanden)...")
    with psycopg.connect("host=127.0.0.1 user=postgres dbname=postgres", autocommit=True) as conn:
        exists = conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [database]).fetchone()
        if exists and not keep:
            conn.execute(f'DROP DATABASE "{database}" WITH (FORCE)')
        if not exists or not keep:
            conn.execute(f'CREATE DATABASE "{database}"')
    manage("migrate", "--no-input")
    manage("bootstrap_hub", "--demo")
    manage("collectstatic", "--no-input")

    import django

    django.setup()
    from django.contrib.auth import get_user_model
    from django.contrib.auth.models import Group

    from django_otp.plugins.otp_totp.models import TOTPDevice

    from core import roles
    from hubcms.testing.factories import ProductPageFactory
    from hubcms.testing.publishing import publish
    from products.models import ProductLibraryPage, ProductPage

    library = ProductLibraryPage.objects.get()
    editors = []
    for number in (1, 2):
        user, _ = get_user_model().objects.get_or_create(username=f"bench-editor-{number}")
        password = secrets.token_urlsafe(16)
        user.set_password(password)
        user.save()
        user.groups.add(Group.objects.get(name=roles.COORDINATOR))
        TOTPDevice.objects.filter(user=user).delete()
        device = TOTPDevice.objects.create(user=user, name="bench", confirmed=True)
        pages = []
        for i in range(3):
            title = f"Benchproduct {number}-{i}"
            existing = ProductPage.objects.filter(slug=f"benchproduct-{number}-{i}").first()
            page = existing or publish(ProductPageFactory(parent=library, title=title))
            pages.append(page.pk)
        editors.append((user.username, password, device.key, pages))
    urls = [library.url] + [p.url for p in ProductPage.objects.live().public()[:40]]
    from django.db import connections

    connections.close_all()
    return editors, urls


def start_gunicorn(port: int, env: dict[str, str]) -> subprocess.Popen:
    """gunicorn 4 workers x 4 threads on loopback, as the production image runs it; waits for it."""
    print(f"gunicorn starten op 127.0.0.1:{port} (productie-instellingen)...")
    server = subprocess.Popen(
        [GUNICORN, "hubcms.wsgi:application", "--bind", f"127.0.0.1:{port}", "--workers", "4",
         "--threads", "4", "--worker-class", "gthread", "--timeout", "30", "--log-level", "warning"],
        cwd=PROJECT, env=env,
    )  # fmt: skip
    for _ in range(60):
        try:
            probe = Browser(port, "198.18.255.1")
            if probe.request("GET", "/healthz")[0] == 200:
                return server
        except OSError:
            pass
        time.sleep(0.5)
    server.terminate()
    raise SystemExit("gunicorn kwam niet op")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--duration", type=int, default=60, help="seconds of load before the fault")
    parser.add_argument(
        "--outage", type=int, default=10, help="seconds the database is down (<=15)"
    )
    parser.add_argument("--after", type=int, default=20, help="seconds of load after the restart")
    parser.add_argument("--visitors", type=int, default=50)
    parser.add_argument("--port", type=int, default=8765)
    parser.add_argument("--database", default="hubcms_load")
    parser.add_argument("--no-fault", action="store_true", help="do not stop PostgreSQL")
    parser.add_argument(
        "--keep-database", action="store_true", help="reuse an existing hubcms_load"
    )
    args = parser.parse_args()
    args.outage = min(args.outage, 15)

    env = production_env(args.database, REDIS_URL="redis://127.0.0.1:6390/0")
    redis = ensure_redis(6390)
    editors, urls = prepare_hub(args.database, env, keep=args.keep_database)
    server = start_gunicorn(args.port, env)
    try:
        recorder = Recorder()
        stop = threading.Event()
        published: list[int] = []
        threads = [
            threading.Thread(target=visitor, args=(n, args.port, urls, stop, recorder), daemon=True)
            for n in range(args.visitors)
        ] + [
            threading.Thread(
                target=editor, args=(*spec, args.port, stop, recorder, published), daemon=True
            )
            for spec in editors
        ]
        print(f"{args.visitors} bezoekers en 2 redacteuren, {args.duration} s belasting...")
        started = time.time()
        for thread in threads:
            thread.start()
        time.sleep(args.duration)
        fault_at = down_until = recovered_at = None
        others = busy_databases(args.database)
        if others and not args.no_fault:
            print(
                f"Storing overgeslagen: andere databases zijn nu in gebruik ({', '.join(others)})."
            )
            args.no_fault = True
        if not args.no_fault:
            print(f"PostgreSQL stoppen voor {args.outage} s...")
            fault_at = time.time()
            pg_ctl("stop")
            time.sleep(args.outage)
            pg_ctl("start")
            down_until = time.time()
            print(f"PostgreSQL weer gestart; nog {args.after} s belasting...")
            time.sleep(args.after)
        stop.set()
        for thread in threads:
            thread.join(timeout=35)
        ended = time.time()
    finally:
        server.terminate()
        server.wait(timeout=30)
        if redis is not None:
            redis.terminate()

    samples = recorder.samples
    print()
    print("Resultaten (alleen loopback, productie-instellingen, gunicorn 4x4, PostgreSQL):")
    normal = [s for s in samples if fault_at is None or s.at < fault_at]
    report(
        "normaal: bezoekers",
        [s for s in normal if s.kind == "visitor"],
        (fault_at or ended) - started,
    )
    report(
        "normaal: redacteuren (admin)",
        [s for s in normal if s.kind == "editor"],
        (fault_at or ended) - started,
    )
    report(
        "normaal: publicaties",
        [s for s in normal if s.kind == "publish"],
        (fault_at or ended) - started,
    )
    report("normaal: alles", normal, (fault_at or ended) - started)
    if fault_at:
        during = [s for s in samples if fault_at <= s.at < down_until and s.kind == "visitor"]
        report("database weg: bezoekers", during, down_until - fault_at, outage=True)
        editing = [s for s in samples if fault_at <= s.at < down_until and s.kind == "editor"]
        report("database weg: redacteuren", editing, down_until - fault_at, outage=True)
        after = [s for s in samples if s.at >= down_until and s.kind == "visitor"]
        first_ok = next((s.at for s in sorted(after, key=lambda s: s.at) if s.status == 200), None)
        recovered_at = first_ok
        report("na herstart: bezoekers", after, ended - down_until, outage=True)
        if recovered_at:
            print(
                f"Herstel: eerste 200 {recovered_at - down_until:.1f} s na het starten van PostgreSQL (zonder herstart van de app)"
            )
        else:
            print("Herstel: GEEN geslaagd verzoek na de herstart")

    # No half-published page: every live product's row matches its live revision, which passed.
    from django.db import close_old_connections

    close_old_connections()
    from products.models import ProductPage
    from quality.models import QualityAssessment

    half = []
    live_pages = ProductPage.objects.live()
    for page in live_pages:
        revision = page.live_revision
        if revision is None or revision.as_object().title != page.title:
            half.append(page.pk)
        elif not QualityAssessment.objects.filter(revision=revision, passed=True).exists():
            half.append(page.pk)
    print(
        f"Gepubliceerd tijdens de run: {len(published)}; live producten: {live_pages.count()}; half gepubliceerd: {len(half)} {half or ''}"
    )
    return 1 if half or (fault_at and not recovered_at) else 0


if __name__ == "__main__":
    sys.exit(main())
