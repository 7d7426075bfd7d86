# The two commands of the README: `make run` (embedded demo) and `make test` (whole suite).
PYTHON ?= python3.11
VENV := .venv
BIN := $(VENV)/bin
export DJANGO_SETTINGS_MODULE := portal.settings

.PHONY: run reminders messages test bench lint install install-dev

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip

$(VENV)/.installed: pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet -e .
	touch $@

$(VENV)/.installed-dev: pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet -e '.[dev]'
	touch $@ $(VENV)/.installed

# axe-core for the accessibility checks and vnu-jar (the Nu Html Checker), pinned in
# package-lock.json. No install scripts: vnu-jar's would download a Java; Debian's is used.
node_modules/.installed: package.json package-lock.json
	npm ci --no-audit --no-fund --silent --ignore-scripts
	touch $@

install: $(VENV)/.installed
install-dev: $(VENV)/.installed-dev

## make run: the portal on the embedded default (SQLite and the filesystem broker under var/),
## web + Celery worker + Celery beat, with demo data, at http://127.0.0.1:8000
# Debug on (and so its development secret key) for the embedded default only: with nothing
# set, manage.py stays in production mode and refuses to start without DJANGO_SECRET_KEY.
run reminders messages: export DJANGO_DEBUG ?= true
run: install
	$(BIN)/python manage.py migrate --no-input
	$(BIN)/python manage.py seed_demo --proposals 18
	@echo "Fire governance proposals: sign in at http://127.0.0.1:8000/accounts/login/"
	PATH="$(CURDIR)/$(BIN):$$PATH" $(BIN)/honcho start -f Procfile

## make reminders: the reminder scan, now, on make run's embedded default (from a second
## terminal); ARGS="--date 2026-11-30 --dry-run" passes options to manage.py send_reminders.
reminders: install
	$(BIN)/python manage.py send_reminders $(ARGS)

## make messages: queue the hand-off messages still unsent, now (ARGS=--digests: the daily
## digests too), on make run's embedded default, from a second terminal.
messages: install
	$(BIN)/python manage.py send_messages $(ARGS)

## make test: the whole suite against PostgreSQL and Redis (DATABASE_URL / REDIS_URL).
test: export DATABASE_URL ?= postgres://postgres@127.0.0.1:5432/postgres
test: export REDIS_URL ?= redis://127.0.0.1:6379/0
test: export DJANGO_SECURE_SSL_REDIRECT ?= false
test: export DJANGO_SECRET_KEY ?= test-only-secret-key-used-by-make-test-and-nowhere-else-0123456789
test: install-dev node_modules/.installed
	@scripts/require-debian-package chromium chromium
	@scripts/require-debian-package java default-jre-headless
	@scripts/require-debian-package redis-server redis-server
# WeasyPrint (the submission pack) loads the Pango library: pango-view's package depends on it.
	@scripts/require-debian-package pango-view pango1.0-tools
	$(BIN)/python manage.py check_services
	$(BIN)/ruff check .
	$(BIN)/pytest

## make bench: load and scale benchmarks against PostgreSQL (needs wrk; prints the figures).
bench: export REDIS_URL ?= redis://127.0.0.1:6379/0
bench: install-dev
	@scripts/require-debian-package wrk wrk
	$(BIN)/python bench/dashboards.py

lint: install-dev
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
