"""docker-compose.yml, the Dockerfile and .env.example describe a complete production setup."""

import re
import shutil
import subprocess
from pathlib import Path

import pytest
import yaml

PROJECT = Path(__file__).resolve().parents[3]


@pytest.fixture(scope="module")
def compose() -> dict:
    return yaml.safe_load((PROJECT / "docker-compose.yml").read_text())


def compose_cli() -> list[str] | None:
    if (
        shutil.which("docker")
        and subprocess.run(["docker", "compose", "version"], capture_output=True).returncode == 0
    ):
        return ["docker", "compose"]
    if shutil.which("docker-compose"):
        return ["docker-compose"]
    return None


def test_docker_compose_config_validates(tmp_path):
    cli = compose_cli()
    if cli is None:
        pytest.skip("neither `docker compose` nor `docker-compose` is installed")
    shutil.copy(PROJECT / "docker-compose.yml", tmp_path / "docker-compose.yml")
    shutil.copy(PROJECT / ".env.example", tmp_path / ".env")
    result = subprocess.run(
        [*cli, "config", "--quiet"], cwd=tmp_path, capture_output=True, text=True, timeout=60
    )
    assert result.returncode == 0, result.stderr


def test_services_of_the_production_setup(compose):
    services = compose["services"]
    assert {"db", "search", "cache", "init", "app", "worker", "scheduler"} <= set(services)
    assert "pg_isready" in " ".join(services["db"]["healthcheck"]["test"])
    search = services["search"]
    assert search["image"].startswith("opensearchproject/opensearch:2.19.")
    assert search["environment"]["discovery.type"] == "single-node"
    app_env = services["app"]["environment"]
    assert app_env["DJANGO_SETTINGS_MODULE"] == "hubcms.settings.production"
    assert app_env["SEARCH_URL"] == app_env["ELASTICSEARCH_URL"] == "http://search:9200"
    assert app_env["TASKS_BACKEND"] == "django_tasks_db.DatabaseBackend"
    assert services["app"]["depends_on"]["db"]["condition"] == "service_healthy"
    assert services["app"]["depends_on"]["init"]["condition"] == "service_completed_successfully"
    assert "db_worker" in services["worker"]["command"]
    scheduler = " ".join(services["scheduler"]["command"])
    assert scheduler == "python manage.py run_scheduler"  # the loop of core/scheduler.py
    assert "migrate" in " ".join(services["init"]["command"])


def test_the_search_node_without_security_is_reachable_only_inside(compose):
    services = compose["services"]
    search = services["search"]
    # The security plugin is off, so the node must have no port on the host and no way out.
    assert search["environment"]["DISABLE_SECURITY_PLUGIN"] == "true"
    assert "ports" not in search and "network_mode" not in search
    assert search["networks"] == ["search"]
    assert compose["networks"]["search"]["internal"] is True
    for name in ("init", "app", "worker", "scheduler"):  # every container that talks to it
        assert "search" in services[name]["networks"]
    # The image's version matches the development and CI node that tools/opensearch builds.
    pom = (PROJECT / "tools/opensearch/pom.xml").read_text()
    version = re.search(r"<opensearch.version>([^<]+)</opensearch.version>", pom).group(1)
    assert search["image"] == f"opensearchproject/opensearch:{version}"


def test_report_exports_have_a_private_volume_and_a_cleanup(compose):
    services = compose["services"]
    environment = services["app"]["environment"]
    assert environment["HUBCMS_EXPORTS_ROOT"] == "/data/exports" != environment["MEDIA_ROOT"]
    for name in ("app", "worker", "scheduler"):  # the worker writes, the app serves, cleanup
        assert "exports:/data/exports" in services[name]["volumes"]
    assert "exports" in compose["volumes"]
    assert "run_scheduler" in services["scheduler"]["command"]
    from core.scheduler import default_jobs

    cleanup = next(job for job in default_jobs() if job.run.__name__ == "cleanup_exports")
    assert cleanup.every.total_seconds() == 3600  # once an hour
    assert "/data/exports" in (PROJECT / "Dockerfile").read_text()


def test_the_image_runs_gunicorn_and_checks_healthz():
    dockerfile = (PROJECT / "Dockerfile").read_text()
    assert "gunicorn hubcms.wsgi:application" in dockerfile
    assert "/healthz" in dockerfile
    assert "collectstatic" in dockerfile
    assert re.search(r"^USER hubcms$", dockerfile, re.M)  # not root


def test_every_variable_compose_needs_is_in_env_example(compose):
    text = (PROJECT / "docker-compose.yml").read_text()
    needed = set(re.findall(r"\$\{([A-Z_]+)(?::?[-?])", text)) | set(
        re.findall(r"\$\{([A-Z_]+)\}", text)
    )
    example = {
        line.split("=", 1)[0].lstrip("# ").strip()
        for line in (PROJECT / ".env.example").read_text().splitlines()
        if "=" in line
    }
    assert needed - example == set()
    assert {"SECRET_KEY", "ALLOWED_HOSTS", "POSTGRES_PASSWORD"} <= example


def test_visitors_reach_the_app_through_varnish_which_the_app_purges(compose):
    services = compose["services"]
    varnish = services["varnish"]
    assert any("hubcms.vcl:/etc/varnish/default.vcl" in volume for volume in varnish["volumes"])
    assert varnish["ports"] and "ports" not in services["app"]  # only Varnish faces the proxy
    assert services["app"]["environment"]["VARNISH_URL"] == "http://varnish:80"
    vcl = (PROJECT / "tools/varnish/hubcms.vcl").read_text()
    assert '.host = "app";' in vcl and '.port = "8000";' in vcl
