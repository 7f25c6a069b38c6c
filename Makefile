# Kotoverkko: `make run` starts the site with demo data, `make test` runs the whole suite.
PYTHON ?= python3.11
VENV := .venv
BIN := $(VENV)/bin
DEV_ENV := KOTOVERKKO_PROFILE=development DATA_DIR=$(CURDIR)/var
PORT ?= 8000

.PHONY: run test install install-dev browser-deps lint fmt messages bench clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(VENV)/.installed: $(BIN)/python pyproject.toml
	$(BIN)/pip install --quiet -e .
	touch $@

$(VENV)/.installed-dev: $(BIN)/python pyproject.toml
	$(BIN)/pip install --quiet -e '.[dev]'
	touch $@

install: $(VENV)/.installed

install-dev: $(VENV)/.installed-dev

run: install
	$(DEV_ENV) $(BIN)/kotoverkko migrate --noinput -v 0
	$(DEV_ENV) $(BIN)/kotoverkko demo --if-empty
	$(DEV_ENV) $(BIN)/kotoverkko demo_logins
	$(DEV_ENV) $(BIN)/kotoverkko serve --port $(PORT)

# axe-core for the accessibility checks of the browser tests (skipped, with the reason, when
# npm or Chromium is missing; .ci/run installs both).
browser-deps:
	@if command -v npm >/dev/null 2>&1; then \
		[ -f node_modules/axe-core/axe.min.js ] || npm install --no-audit --no-fund --silent; \
	else echo "npm not found: the browser tests will be skipped"; fi

test: install-dev browser-deps
	$(BIN)/python -m pytest $(PYTEST_ARGS)

lint: install-dev
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

fmt: install-dev
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

messages: install-dev
	cd src/kotoverkko && $(DEV_ENV) ../../$(BIN)/kotoverkko makemessages -l fi -l sv -l en \
		--no-obsolete --ignore 'static/*' && $(DEV_ENV) ../../$(BIN)/kotoverkko compilemessages

bench: install-dev
	$(BIN)/python bench/pages.py

clean:
	rm -rf $(VENV) var .pytest-data node_modules
