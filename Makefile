# The front door: `make run` and `make test` set up everything they need.
# Each step leaves a stamp, so a second run skips what is already done.

PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
PORT ?= 5000
STAMPS := .stamps
export FLASK_APP := wsgi.py

.PHONY: run test setup assets db clean bench

run: setup db
	$(BIN)/flask demo load --if-empty
	$(BIN)/flask run --host 127.0.0.1 --port $(PORT)

test: setup
	$(BIN)/python -m pytest tests $(PYTEST_ARGS)

setup: $(STAMPS)/venv $(STAMPS)/assets

$(STAMPS)/venv: requirements.txt
	@mkdir -p $(STAMPS)
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --disable-pip-version-check -r requirements.txt
	@touch $@

$(STAMPS)/assets: package.json package-lock.json $(wildcard static/src/*.scss)
	@mkdir -p $(STAMPS) static/build
	npm ci --no-audit --no-fund --loglevel=error
	npx sass --pkg-importer=node --style=compressed --no-source-map static/src/app.scss static/build/app.css
	cp node_modules/govuk-frontend/dist/govuk/govuk-frontend.min.js static/build/govuk-frontend.min.js
	cp node_modules/htmx.org/dist/htmx.min.js static/build/htmx.min.js
	@touch $@

assets: $(STAMPS)/assets

db: setup
	$(BIN)/flask db upgrade

bench: setup
	@for script in bench/*.py; do [ -e "$$script" ] && $(BIN)/python "$$script"; done; true

clean:
	rm -rf $(STAMPS) static/build
