# The front door: `make run` and `make test` set up everything they need.
# Each step leaves a stamp, so a second run skips what is already done.

PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
PORT ?= 5000
STAMPS := .stamps
export FLASK_APP := wsgi.py

.PHONY: run test lint lock setup assets db clean bench code backup worker

# Links in emails and the feed point at the port served, unless PORTAL_BASE_URL says otherwise.
# The migrations and the demo load share one start of the app (#14.27: each start costs seconds).
# The queue's worker (portal/tasks.py: mail, documents, exports, retention and
# reminders) runs beside the web server, with the same settings, and stops with it.
run: setup
	$(BIN)/flask demo load --if-empty --upgrade
	export PORTAL_BASE_URL="$${PORTAL_BASE_URL:-http://127.0.0.1:$(PORT)}"; \
	$(BIN)/huey_consumer portal.worker.huey --workers 2 --worker-type thread --quiet & worker=$$!; \
	trap 'kill $$worker 2>/dev/null' EXIT INT TERM; \
	$(BIN)/flask run --host 127.0.0.1 --port $(PORT)

# The queue's worker alone (production runs it as its own service: README.md).
worker: setup
	$(BIN)/huey_consumer portal.worker.huey --workers 2 --worker-type thread

# The code an authenticator app would show now for the demo officer's and
# Cabinet Member's two-step sign-in (development only).
code: setup
	@$(BIN)/flask demo code

# Tests in parallel (pytest-xdist: one worker per core, a test file stays on
# one worker), with the coverage of portal/ printed at the end.
PYTEST_WORKERS ?= auto
test: setup
	$(BIN)/python -m pytest tests -n $(PYTEST_WORKERS) --dist loadfile --cov --cov-report=term:skip-covered $(PYTEST_ARGS)

lint: setup
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy

# Resolve pyproject.toml's pins again into the two lock files (every
# transitive dependency pinned): what the portal runs on, and what
# development adds. Run after changing a dependency in pyproject.toml.
LOCK := $(BIN)/uv pip compile pyproject.toml --python-version 3.11 --python-platform x86_64-manylinux_2_28 --quiet
lock: setup
	$(LOCK) -o requirements.txt
	$(LOCK) --extra dev -c requirements.txt -o tests/requirements-dev.txt

setup: $(STAMPS)/venv $(STAMPS)/assets

# Development installs both lock files: the portal's (requirements.txt) and
# what tests, lint and types add (tests/requirements-dev.txt). Production
# installs requirements.txt only.
$(STAMPS)/venv: requirements.txt tests/requirements-dev.txt
	@mkdir -p $(STAMPS)
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --disable-pip-version-check -r requirements.txt -r tests/requirements-dev.txt
	@touch $@

$(STAMPS)/vendor: package.json package-lock.json $(wildcard static/src/*.scss)
	@mkdir -p $(STAMPS) static/build
	npm ci --no-audit --no-fund --loglevel=error
	npx sass --pkg-importer=node --style=compressed --no-source-map static/src/app.scss static/build/app.css
	cp node_modules/govuk-frontend/dist/govuk/govuk-frontend.min.js static/build/govuk-frontend.min.js
	cp node_modules/htmx.org/dist/htmx.min.js static/build/htmx.min.js
	@touch $@

# After the copies: each file the pages load under a name from its content,
# kept a year by browsers, with .br and .gz copies beside it (#16.4,
# portal/assets.py); only there, as a name that never changes content never
# has a stale copy. An edited script is hashed again without a new npm ci.
# Needs .venv with requirements.txt only (production's), made first by setup.
$(STAMPS)/assets: $(STAMPS)/vendor portal/assets.py $(wildcard static/js/*.mjs static/css/*.css) static/images/favicon.svg
	$(BIN)/python -m portal.assets
	$(BIN)/python -m whitenoise.compress --quiet static/build/hashed
	@touch $@

assets: $(STAMPS)/assets

db: setup
	$(BIN)/flask db upgrade

# SQLite: a copy of the database into instance/backups/, safe while the portal
# runs; PostgreSQL: prints the pg_dump command. No setup step: production has
# the portal's packages only (README.md, "Backup and restore").
backup:
	$(BIN)/flask backup create

bench: setup
	@for script in bench/*.py; do [ -e "$$script" ] && $(BIN)/python "$$script"; done; true

clean:
	rm -rf $(STAMPS) static/build
