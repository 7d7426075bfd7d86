# The two commands of the README: `make run` (embedded demo) and `make test` (whole suite).
PYTHON ?= python3.11
VENV := .venv
BIN := $(VENV)/bin
export DJANGO_SETTINGS_MODULE := portal.settings

.PHONY: run test bench lint install install-dev

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip

$(VENV)/.installed: pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet -e .
	touch $@

$(VENV)/.installed-dev: pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet -e '.[dev]'
	touch $@ $(VENV)/.installed

# axe-core for the accessibility checks, pinned in package-lock.json.
node_modules/.installed: package.json package-lock.json
	npm ci --no-audit --no-fund --silent
	touch $@

install: $(VENV)/.installed
install-dev: $(VENV)/.installed-dev

## make run: the portal on the embedded default (SQLite and the filesystem broker under var/),
## web + Celery worker + Celery beat, with demo data, at http://127.0.0.1:8000
run: export DJANGO_DEBUG ?= true
run: install
	$(BIN)/python manage.py migrate --no-input
	$(BIN)/python manage.py seed_demo --proposals 18
	@echo "Fire governance proposals: sign in at http://127.0.0.1:8000/accounts/login/"
	PATH="$(CURDIR)/$(BIN):$$PATH" $(BIN)/honcho start -f Procfile

## make test: the whole suite against PostgreSQL and Redis (DATABASE_URL / REDIS_URL).
test: export DATABASE_URL ?= postgres://postgres@127.0.0.1:5432/postgres
test: export REDIS_URL ?= redis://127.0.0.1:6379/0
test: export DJANGO_SECURE_SSL_REDIRECT ?= false
test: export DJANGO_SECRET_KEY ?= test-only-secret-key-used-by-make-test-and-nowhere-else-0123456789
test: install-dev node_modules/.installed
	@command -v chromium >/dev/null || { echo "No browser for the journeys: install Debian's chromium package (apt-get install chromium)."; exit 1; }
	@command -v redis-server >/dev/null || { echo "The fault suite (tests/faults/) starts Redis servers of its own: install Debian's redis-server package."; exit 1; }
	$(BIN)/python manage.py check_services
	$(BIN)/ruff check .
	$(BIN)/pytest

## make bench: load and scale benchmarks against PostgreSQL (needs wrk; prints the figures).
bench: install-dev
	@command -v wrk >/dev/null || { apt-get update -qq && apt-get install -y -qq wrk; }
	$(BIN)/python bench/dashboards.py

lint: install-dev
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
