# Two commands for a fresh clone: `make run` and `make test`. Everything else is installed here.
.DEFAULT_GOAL := help
.PHONY: help install run test bench lint messages check-deploy

UV_VERSION := 0.13.9
PYTHON ?= python3
TOOLS := .tools
VENV := .venv
PY := $(VENV)/bin/python
UV := $(shell uv --version >/dev/null 2>&1 && echo uv || echo $(TOOLS)/bin/uv)
CATALOGUE := meldcode/locale/nl/LC_MESSAGES

help:
	@echo "make run   - install, migrate, load the demo world, serve on http://127.0.0.1:8000 (with the worker)"
	@echo "make test  - install and run the whole test suite"
	@echo "make bench - the performance benchmark on PostgreSQL (DATABASE_URL): README, Performance"

$(TOOLS)/bin/uv:
	$(PYTHON) -m venv $(TOOLS)
	$(TOOLS)/bin/pip install --quiet --disable-pip-version-check uv==$(UV_VERSION)

install: $(if $(filter uv,$(UV)),,$(TOOLS)/bin/uv)
	$(UV) sync --frozen --python 3.12
	$(VENV)/bin/pybabel compile --statistics -D django -d meldcode/locale -l nl
	$(PY) -c "import deduce; deduce.Deduce()"

# Beside the server, the worker that makes the dossier PDFs in the background (README,
# "Background tasks"); it stops when the server stops (Ctrl-C).
run: install
	DJANGO_DEBUG=1 $(PY) manage.py migrate --noinput
	DJANGO_DEBUG=1 $(PY) manage.py demo
	DJANGO_DEBUG=1 $(PY) manage.py db_worker --no-reload & worker=$$!; \
	  trap 'kill $$worker 2>/dev/null; wait $$worker 2>/dev/null' EXIT INT TERM; \
	  DJANGO_DEBUG=1 $(PY) manage.py runserver 127.0.0.1:8000

test: install
	$(VENV)/bin/pytest

# Needs DATABASE_URL (PostgreSQL); it makes its own meldcode_bench_* databases anew each run.
bench: install
	$(PY) -m bench

lint: install
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

# For developers (needs GNU gettext): refresh the catalogue after changing strings.
messages: install
	DJANGO_DEBUG=1 $(PY) manage.py makemessages -l nl --no-obsolete --ignore=.venv --ignore=.tools --ignore=staticfiles

check-deploy: install
	DJANGO_DEBUG=0 DJANGO_SECRET_KEY=check-only-not-a-real-key-0123456789abcdef-0123456789abcdef \
	  MELDCODE_SECRETS_KEY=check-only-not-a-real-secrets-key-0123456789 \
	  $(PY) manage.py check --deploy --fail-level WARNING
