"""The production settings pass `check --deploy` and the security headers reach every response."""

import os
import re
import subprocess
import sys
from pathlib import Path

from django.urls import reverse

import pytest

from hubcms.testing.publishing import publish

PROJECT = Path(__file__).resolve().parents[3]
PRODUCTION_ENV = {
    "DJANGO_SETTINGS_MODULE": "hubcms.settings.production",
    "SECRET_KEY": "x" * 20 + "-production-test-key-0123456789abcdef",
    "ALLOWED_HOSTS": "hub.example.nl",
    "DATABASE_URL": "postgres://hubcms@db.example:5432/hubcms",
    "ELASTICSEARCH_URL": "https://elastic:geheim@search.example:9200",
    "REDIS_URL": "redis://cache.example:6379/0",
}


def run_manage(*args: str, **env: str) -> subprocess.CompletedProcess:
    environment = {k: v for k, v in os.environ.items() if not k.startswith("DJANGO_")}
    environment.update(env)
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=PROJECT,
        env=environment,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_check_deploy_passes_without_any_warning():
    result = run_manage("check", "--deploy", "--fail-level", "WARNING", **PRODUCTION_ENV)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_production_settings_values():
    script = (
        "from django.conf import settings as s;"
        "print(s.DEBUG, s.HUBCMS_REQUIRE_2FA, s.SESSION_COOKIE_SECURE, s.CSRF_COOKIE_SECURE,"
        " s.SESSION_COOKIE_HTTPONLY, s.SECURE_HSTS_SECONDS, s.TASKS['default']['BACKEND'],"
        " s.STORAGES['staticfiles']['BACKEND'], s.STORAGES['default']['BACKEND'],"
        " s.STORAGES['exports']['BACKEND'])"
    )
    result = run_manage("shell", "-v", "0", "-c", script, **PRODUCTION_ENV)
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == [
        "False",
        "True",
        "True",
        "True",
        "True",
        "31536000",
        "django_tasks_db.DatabaseBackend",
        "whitenoise.storage.CompressedManifestStaticFilesStorage",
        "django.core.files.storage.FileSystemStorage",
        "core.exports.storage.PrivateExportStorage",
    ]
    s3 = run_manage(
        "shell",
        "-v",
        "0",
        "-c",
        "from django.core.files.storage import storages; e = storages['exports'];"
        " print(type(storages['default']).__module__, type(e).__module__, e.bucket_name,"
        " e.default_acl, e.querystring_auth)",
        MEDIA_STORAGE="s3",
        AWS_STORAGE_BUCKET_NAME="hubcms-media",
        AWS_S3_ENDPOINT_URL="https://s3.example",
        HUBCMS_EXPORTS_STORAGE="s3",
        HUBCMS_EXPORTS_BUCKET="hubcms-exports",
        **PRODUCTION_ENV,
    )
    assert s3.returncode == 0, s3.stderr
    # Exports go to a bucket of their own, private, never the (public) media bucket.
    assert s3.stdout.split() == [
        "storages.backends.s3",
        "storages.backends.s3",
        "hubcms-exports",
        "private",
        "True",
    ]


def test_production_refuses_to_start_without_a_real_secret_key():
    env = {**PRODUCTION_ENV, "SECRET_KEY": "kort"}
    result = run_manage("check", **env)
    assert result.returncode != 0
    assert "SECRET_KEY must be set" in result.stderr


INLINE_SCRIPT = re.compile(r"<script(?![^>]*\bsrc=)(?![^>]*application/(?:ld\+)?json)[^>]*>", re.I)
STYLE_ATTRIBUTE = re.compile(r"<[^>]+\sstyle=", re.I)


def directives(header: str) -> dict[str, list[str]]:
    return {part.split()[0]: part.split()[1:] for part in header.split(";") if part.strip()}


@pytest.mark.django_db
def test_website_runs_under_a_strict_policy(client, hub):
    from hubcms.testing.factories import ProductPageFactory
    from products.models import ProductLibraryPage

    product = publish(ProductPageFactory(parent=ProductLibraryPage.objects.get(), complete=True))
    library = ProductLibraryPage.objects.get().url
    for url in ["/", library, f"{library}?q=scan", product.url, "/kennissignaal/"]:
        response = client.get(url)
        assert response.status_code == 200, url
        policy = directives(response["Content-Security-Policy"])
        assert policy["script-src"] == ["'self'"]
        assert policy["style-src"] == ["'self'"]
        assert policy["frame-ancestors"] == ["'none'"]
        assert policy["object-src"] == ["'none'"]
        html = response.content.decode()
        # Under this policy inline scripts and style attributes would silently not work.
        assert not INLINE_SCRIPT.search(html), (url, INLINE_SCRIPT.search(html).group(0))
        assert not STYLE_ATTRIBUTE.search(html), (url, STYLE_ATTRIBUTE.search(html).group(0))
        assert response["Referrer-Policy"] == "same-origin"
        assert "camera=()" in response["Permissions-Policy"]
        assert response["X-Content-Type-Options"] == "nosniff"


@pytest.mark.django_db
def test_admin_gets_only_what_wagtail_needs(client, hub, coordinator):
    from hubcms.testing.factories import ProductPageFactory
    from products.models import ProductLibraryPage

    product = ProductPageFactory(parent=ProductLibraryPage.objects.get())
    client.force_login(coordinator)
    pages = [
        reverse("wagtailadmin_home"),
        reverse("wagtailadmin_pages:edit", args=[product.pk]),
        reverse("wagtailimages:add"),
        reverse("wagtaildocs:index"),
    ]
    inline_found = False
    for url in pages:
        response = client.get(url)
        assert response.status_code == 200, url
        policy = directives(response["Content-Security-Policy"])
        assert policy["script-src"] == ["'self'", "'unsafe-inline'"]
        assert policy["style-src"] == ["'self'", "'unsafe-inline'"]
        assert policy["frame-ancestors"] == ["'self'"]  # the live preview frames the admin
        assert policy["object-src"] == ["'none'"]
        html = response.content.decode()
        inline_found |= bool(INLINE_SCRIPT.search(html) or STYLE_ATTRIBUTE.search(html))
    # The reason for 'unsafe-inline' in the admin: Wagtail's own pages render inline code.
    assert inline_found


def test_production_refuses_to_start_without_a_shared_cache():
    """Several app servers need one cache; the database is not it (it is what a peak waits for)."""
    env = {k: v for k, v in PRODUCTION_ENV.items() if k != "REDIS_URL"}
    result = run_manage("check", **env)
    assert result.returncode != 0
    assert "REDIS_URL is required in production" in result.stderr
    script = "from django.conf import settings as s; print(s.CACHES['default']['BACKEND'])"
    result = run_manage("shell", "-v", "0", "-c", script, **PRODUCTION_ENV)
    assert result.stdout.strip() == "django.core.cache.backends.redis.RedisCache", result.stderr
