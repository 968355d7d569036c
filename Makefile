# hubcms: `make run` starts the demo hub, `make test` runs the whole suite. `make help` lists all.
PYTHON ?= python3.11
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
# `make test` fails when the suite covers less of the code than this (per cent, on SQLite): a few
# points below the 90.9% the whole suite covered on 2026-12-05.
COVERAGE_FLOOR ?= 88
# Every folder of templates, for djhtml's indentation check (`make test`) and fix (`make lint`).
TEMPLATE_DIRS = $(shell find . \( -name .venv -o -name node_modules -o -name .git \) -prune -o -type d -name templates -print)

.DEFAULT_GOAL := help

help: ## Show the targets
	@grep -E '^[a-zA-Z_-]+:.*?## ' $(MAKEFILE_LIST) | awk 'BEGIN {FS = ":.*?## "}; {printf "  %-12s %s\n", $$1, $$2}'

$(BIN)/python:
	@command -v $(PYTHON) >/dev/null 2>&1 || { echo "Python 3.11 is nodig ($(PYTHON) niet gevonden)"; exit 1; }
	$(PYTHON) -m venv $(VENV)

$(STAMP): $(BIN)/python pyproject.toml
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e ".[test]"
	@touch $(STAMP)

# npm ci empties node_modules and installs again: only when the lock file changed.
node_modules/.installed: package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	@touch $@

tools/spectral/node_modules/.installed: tools/spectral/package-lock.json
	npm ci --prefix tools/spectral --no-audit --no-fund --loglevel=error
	@touch $@

install: $(STAMP) node_modules/.installed tools/spectral/node_modules/.installed ## Create .venv and install hubcms with its test tools

migrate: install ## Apply the database migrations
	$(BIN)/python manage.py migrate --no-input

run: migrate ## Install, migrate, load the demo hub; serve on http://127.0.0.1:8000 with the task worker and scheduler
	$(BIN)/python manage.py bootstrap_hub --demo
	$(BIN)/python manage.py run_hub 127.0.0.1:8000

test: install ## Install and run the whole test suite (SQLite unless DATABASE_URL is set), one worker per core
	@log=$$(mktemp); \
	nice -n 10 $(MAKE) --no-print-directory --jobs=2 --output-sync=target checks >"$$log" 2>&1 & \
	checks=$$!; \
	$(BIN)/python -m pytest -n auto --dist loadgroup --cov --cov-report=term --cov-fail-under=$(COVERAGE_FLOOR); \
	tests=$$?; wait $$checks; status=$$?; cat "$$log"; rm -f "$$log"; \
	if [ $$status -ne 0 ]; then echo "make test: a check failed (above)"; fi; \
	[ $$tests -eq 0 ] && [ $$status -eq 0 ]

# The checks run beside pytest, two at a time and at a lower priority, so that they fill the cores
# pytest leaves idle (its start, the last tests); `make test` prints them at the end and fails when
# one failed. `make checks` runs them alone.
checks: check-mypy check-django check-ruff check-imports check-css

# makemigrations runs Django's system checks first (as `manage.py check` would) and fails on an error.
check-django:
	$(BIN)/python manage.py makemigrations --check --dry-run

check-ruff:
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/djhtml --check $(TEMPLATE_DIRS)

check-imports:
	$(BIN)/lint-imports

check-mypy:
	$(BIN)/mypy

check-css:
	npx --no-install stylelint "**/static/**/*.css"

backup: install ## Back up the database (SQLite or PostgreSQL) and the media to backups/ (or BACKUP_DIR)
	$(BIN)/python manage.py backup_hub

restore: install ## Restore a backup into an empty database: make restore BACKUP=backups/hubcms-<time> [FORCE=1]
	@test -n "$(BACKUP)" || { echo "Geef de backup op: make restore BACKUP=backups/hubcms-<tijd>"; exit 1; }
	$(BIN)/python manage.py restore_hub "$(BACKUP)" $(if $(FORCE),--force,)

lock: install ## Pin the runtime packages with hashes in requirements/lock.txt (UPGRADE=1: newest allowed)
	$(BIN)/uv pip compile pyproject.toml --quiet --universal --python-version 3.11 --generate-hashes \
		--custom-compile-command "make lock" $(if $(UPGRADE),--upgrade,) -o requirements/lock.txt

lint: install ## Fix what ruff can fix, format the code and indent the templates
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .
	$(BIN)/djhtml $(TEMPLATE_DIRS)

opensearch: ## Build (first time) and start a single-node OpenSearch 2.19 on 127.0.0.1:9200
	tools/opensearch/start.sh

opensearch-stop: ## Stop the OpenSearch node that `make opensearch` started
	tools/opensearch/stop.sh

.PHONY: help install migrate run test checks check-django check-ruff check-imports check-mypy check-css lock lint backup restore opensearch opensearch-stop
