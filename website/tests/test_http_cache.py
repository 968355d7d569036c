"""The website behind the real HTTP cache: Varnish from Debian running tools/varnish/hubcms.vcl.

Anonymous pages come from the cache; a publish, unpublish, move or restriction change purges
every page that shows the change before the editor's request returns; signed-in users, forms and
view-restricted pages never come from it. Varnish is started once per test module with the
repository's VCL, its backend pointed at pytest's live server (the only lines that differ); each
test starts with an empty cache (everything banned through varnishadm).
"""

import http.client
import re
import shutil
import socket
import subprocess
import threading
import time
from pathlib import Path

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import connection
from django.test import Client

from wagtail.models import PageViewRestriction

import pytest

from hubcms.testing.publishing import publish
from website.tests.hub import build_public_hub

VCL = Path(settings.BASE_DIR) / "tools" / "varnish" / "hubcms.vcl"
VARNISHD = shutil.which("varnishd") or "/usr/sbin/varnishd"
VARNISHADM = shutil.which("varnishadm") or "/usr/bin/varnishadm"

pytestmark = [
    pytest.mark.skipif(
        not Path(VARNISHD).exists(), reason="varnishd is not installed (apt-get install varnish)"
    ),
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class Varnish:
    """A varnishd on loopback in front of the live server."""

    def __init__(self, workdir: Path, backend_host: str, backend_port: int):
        self.port = _free_port()
        self.admin = f"127.0.0.1:{_free_port()}"
        self.secret = workdir / "secret"
        self.secret.write_text("hubcms-test-varnish\n")
        vcl = VCL.read_text()
        vcl = vcl.replace('.host = "app";', f'.host = "{backend_host}";', 1)
        vcl = vcl.replace('.port = "8000";', f'.port = "{backend_port}";', 1)
        assert f'.port = "{backend_port}"' in vcl, "the VCL's backend lines changed"
        self.vcl_path = workdir / "hubcms.vcl"
        self.vcl_path.write_text(vcl)
        self.process = subprocess.Popen(
            [
                VARNISHD,
                "-F",
                "-j",
                "none",
                "-n",
                str(workdir / "varnish"),
                "-a",
                f"127.0.0.1:{self.port}",
                "-f",
                str(self.vcl_path),
                "-s",
                "malloc,32m",
                "-T",
                self.admin,
                "-S",
                str(self.secret),
            ],
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
        )

    def wait_until_healthy(self) -> None:
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"varnishd stopped: {self.process.stdout.read().decode()}")
            try:
                if self.get("/healthz").status == 200:
                    return
            except OSError:
                pass
            time.sleep(0.2)
        raise RuntimeError("varnishd did not reach the live server within 30 s")

    def get(self, path: str, cookies: str = "") -> "Answer":
        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=30)
        headers = {"Host": "localhost"}
        if cookies:
            headers["Cookie"] = cookies
        connection.request("GET", path, headers=headers)
        response = connection.getresponse()
        answer = Answer(
            response.status,
            response.getheader("X-Cache", ""),
            response.getheader("Cache-Control", ""),
            response.read().decode("utf-8", "replace"),
        )
        connection.close()
        return answer

    def empty(self) -> None:
        """Ban every cached object, so that the next test meets an empty cache."""
        subprocess.run(
            [VARNISHADM, "-T", self.admin, "-S", str(self.secret), "ban", "req.url ~ ."],
            check=True,
            capture_output=True,
            timeout=10,
        )

    def stop(self) -> None:
        self.process.terminate()
        self.process.wait(timeout=10)


class Answer:
    def __init__(self, status: int, x_cache: str, cache_control: str, body: str):
        self.status, self.x_cache, self.cache_control, self.body = (
            status,
            x_cache,
            cache_control,
            body,
        )

    @property
    def hit(self) -> bool:
        return self.x_cache == "HIT"


@pytest.fixture(scope="module")
def varnish_process(live_server, tmp_path_factory, django_db_blocker):
    """One varnishd for the module, in front of the session's live server."""
    host, port = re.match(r"http://([^:]+):(\d+)", live_server.url).groups()
    cache = Varnish(tmp_path_factory.mktemp("varnish"), host, int(port))
    try:
        with django_db_blocker.unblock():  # the health check reads the database
            cache.wait_until_healthy()
        yield cache
    finally:
        cache.stop()


@pytest.fixture
def varnish(varnish_process, settings):
    """The module's varnishd, emptied, and the app's purges pointed at it."""
    settings.WAGTAILFRONTENDCACHE = {
        "varnish": {
            "BACKEND": "website.cache.VarnishBackend",
            "LOCATION": f"http://127.0.0.1:{varnish_process.port}",
        }
    }
    varnish_process.empty()
    return varnish_process


@pytest.fixture
def site(hub):
    return build_public_hub(hub)


def _twice(varnish: Varnish, path: str) -> tuple[Answer, Answer]:
    return varnish.get(path), varnish.get(path)


def test_anonymous_pages_come_from_the_cache_and_a_publish_purges_every_page_showing_it(
    varnish, site
):
    product, library, line = site.product, site.library, site.line
    watched = [product.url, library.url, library.url + "?q=scan", line.url, "/", "/sitemap.xml"]
    for path in watched:
        first, second = _twice(varnish, path)
        assert first.status == 200 and not first.hit, path
        assert second.hit, f"{path} did not come from the cache"
        assert "public" in first.cache_control and "s-maxage=" in first.cache_control
    assert product.title in varnish.get(product.url).body

    product.title = "Werkfit-scan, tweede druk"
    started = time.monotonic()
    publish(product)
    purged_within = time.monotonic() - started

    for path in watched:
        answer = varnish.get(path)
        assert not answer.hit, f"{path} still came from the cache after the publish"
    assert "Werkfit-scan, tweede druk" in varnish.get(product.url).body
    assert "Werkfit-scan, tweede druk" in varnish.get(library.url + "?q=scan").body
    assert purged_within < 10  # the publish itself, gate included; the purge is part of it


def test_an_unpublished_product_is_gone_from_the_cache_at_once(varnish, site):
    product = site.product
    _twice(varnish, product.url)
    assert varnish.get(product.url).hit
    product.unpublish()
    answer = varnish.get(product.url)
    assert answer.status == 404 and not answer.hit
    assert product.url not in varnish.get("/sitemap.xml").body


def test_a_moved_product_leaves_no_cached_copy_at_its_old_address(varnish, site):
    product, target = site.product, site.related[0]
    old_url = product.url
    assert _twice(varnish, old_url)[1].hit
    product.title = product.title  # unchanged; the slug changes, so the address moves
    product.slug = "werkfit-scan-nieuw"
    publish(product)
    old = varnish.get(old_url)  # Wagtail's automatic redirect, not the cached old page
    assert old.status == 301 and not old.hit
    assert varnish.get("/productbibliotheek/werkfit-scan-nieuw/").status == 200
    assert target.url  # the neighbour is untouched


def test_a_view_restricted_page_is_never_served_from_the_cache_to_a_visitor(varnish, site):
    product = site.product
    _twice(varnish, product.url)
    assert varnish.get(product.url).hit

    PageViewRestriction.objects.create(
        page=product, restriction_type=PageViewRestriction.PASSWORD, password="geheim-123"
    )
    for _ in range(3):
        answer = varnish.get(product.url)
        assert not answer.hit
        assert "Werkblad" not in answer.body and "wachtwoord" in answer.body.lower()
        assert "private" in answer.cache_control

    restriction = PageViewRestriction.objects.get(page=product)
    restriction.delete()
    assert varnish.get(product.url).status == 200


def test_signed_in_users_and_forms_are_never_shared(varnish, site):
    user = get_user_model().objects.create_user("lezer", password="test-password-123")
    client = Client()
    client.force_login(user)
    session = client.cookies[settings.SESSION_COOKIE_NAME].value
    cookie = f"{settings.SESSION_COOKIE_NAME}={session}"
    _twice(varnish, site.product.url)  # an anonymous copy is in the cache now
    for _ in range(2):
        answer = varnish.get(site.product.url, cookies=cookie)
        assert not answer.hit and answer.status == 200
        assert answer.cache_control == "private, no-store"

    first, second = _twice(varnish, "/kennissignaal/")
    assert first.status == 200 and not second.hit
    assert "private" in second.cache_control
    assert 'name="csrfmiddlewaretoken"' in second.body


def test_no_request_after_a_purge_gets_the_old_page_while_visitors_keep_coming(varnish, site):
    """Visitors read the product without pause while an editor publishes five new titles.

    Every answer to a request that started after a publish returned shows that title or a newer
    one: the purge is done (and committed) before the editor's request ends.
    """
    product = site.product
    path = product.url
    published_at: list[tuple[float, int]] = []  # (time the publish returned, version)
    answers: list[tuple[float, int, bool]] = []  # (request start, version seen, hit)
    stop = threading.Event()
    lock = threading.Lock()
    errors: list = []

    def visitor():
        while not stop.is_set():
            started = time.monotonic()
            answer = varnish.get(path)
            found = re.search(r"Versie-(\d+)-titel", answer.body)
            with lock:
                if found:
                    answers.append((started, int(found.group(1)), answer.hit))
                else:
                    errors.append((answer.status, answer.x_cache, answer.body[:300]))

    product.title = "Versie-0-titel"
    publish(product)
    threads = [threading.Thread(target=visitor, daemon=True) for _ in range(3)]
    for thread in threads:
        thread.start()
    try:
        for version in range(1, 6):
            time.sleep(0.3)
            product.title = f"Versie-{version}-titel"
            publish(product)
            published_at.append((time.monotonic(), version))
        time.sleep(0.3)
    finally:
        stop.set()
        for thread in threads:
            thread.join(timeout=30)

    # SQLite's in-memory test database is one connection shared by the live server's threads
    # and this test: while a publish writes, a read may meet "database is locked" and get the
    # Dutch 503 page (never an old copy). PostgreSQL, as in production, has none of these.
    if connection.vendor == "sqlite":
        errors = [error for error in errors if error[0] != 503]
    assert not errors, f"{len(errors)} answers without the product: {errors[:3]}"
    stale = [
        (started, seen, version)
        for started, seen, _ in answers
        for returned, version in published_at
        if started > returned and seen < version
    ]
    assert not stale, f"{len(stale)} answers showed an older title after its purge: {stale[:5]}"
    assert sum(1 for *_, hit in answers if hit) > len(answers) / 2  # it did cache meanwhile
    assert len(answers) > 50


def test_the_purge_handlers_listen_outside_the_web_server_too():
    """Scheduled publishing and imports run without the middleware; they must purge as well."""
    import subprocess
    import sys

    script = (
        "import django; django.setup();"
        "from wagtail.signals import page_published;"
        "from website.cache import purge_on_publish_or_unpublish as f;"
        "print(any(r[1]() is f for r in page_published.receivers))"
    )
    result = subprocess.run(
        [sys.executable, "-c", script],
        cwd=settings.BASE_DIR,
        capture_output=True,
        text=True,
        env={**__import__("os").environ, "DJANGO_SETTINGS_MODULE": "hubcms.settings.test"},
    )
    assert result.stdout.strip() == "True", result.stderr
