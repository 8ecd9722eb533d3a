# mhsite: `make run` serves the site, `make test` runs the whole test suite.
# Both create the virtualenv and install the pinned requirements first.

SHELL := /bin/bash
VENV := .venv
BIN := $(VENV)/bin
HOST ?= 127.0.0.1
PORT ?= 8000
# The browser tests drive this Chromium through Playwright.
CHROMIUM ?= /usr/bin/chromium
# pytest-xdist workers for `make test`; each gets its own test database and
# Redis database (tests/worker_env.py). 1 runs the suite in one process.
PYTEST_WORKERS ?= 2

# Django 6.1 needs Python 3.12+. `python3` is often older, and under pyenv a
# bare `python3.12` may be a shim that fails, so each candidate is asked for
# its version rather than trusted by name.
PYTHON_CANDIDATES := $(PYTHON) python3.14 python3.13 python3.12 python3 \
	$(wildcard $(HOME)/.pyenv/versions/3.1[2-9]*/bin/python3) \
	$(wildcard /root/.pyenv/versions/3.1[2-9]*/bin/python3) \
	$(wildcard /usr/local/bin/python3.1[2-9]) $(wildcard /usr/bin/python3.1[2-9])

define find_python
for candidate in $(PYTHON_CANDIDATES); do \
	if command -v "$$candidate" >/dev/null 2>&1 && \
	   "$$candidate" -c 'import sys; sys.exit(0 if sys.version_info >= (3, 12) else 1)' >/dev/null 2>&1; then \
		echo "$$candidate"; exit 0; \
	fi; \
done; exit 1
endef

.PHONY: run test lint format check-python check-chromium check-varnish clean

$(BIN)/python:
	@py="$$($(find_python))" || { \
		echo "mhsite needs Python 3.12 or newer, and none was found." >&2; \
		echo "Tried: $(PYTHON_CANDIDATES)" >&2; \
		echo "Install Python 3.12+ (or pass PYTHON=/path/to/python3.12) and retry." >&2; \
		exit 1; }; \
	echo "Creating $(VENV) with $$py ($$($$py --version))"; \
	"$$py" -m venv $(VENV)

$(VENV)/.installed-runtime: requirements.txt | $(BIN)/python
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -r requirements.txt
	touch $@

$(VENV)/.installed-dev: requirements.txt requirements-dev.txt | $(BIN)/python
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -r requirements-dev.txt
	touch $@ $(VENV)/.installed-runtime

check-python: $(BIN)/python
	@$(BIN)/python --version

run: $(VENV)/.installed-runtime
	$(BIN)/python manage.py migrate --noinput
	$(BIN)/python manage.py loaddemo
	$(BIN)/python manage.py demo_editor --admin-url http://$(HOST):$(PORT)/admin/
	$(BIN)/python manage.py runserver $(HOST):$(PORT)

# Playwright's own browser download does not work everywhere; Debian's
# Chromium does. Installed from the Debian packages when missing and possible.
check-chromium:
	@if [ ! -x "$(CHROMIUM)" ]; then \
		if [ "$(CHROMIUM)" = /usr/bin/chromium ] && [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then \
			echo "Installing Chromium from the Debian packages for the browser tests"; \
			apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null; \
		else \
			echo "The browser tests need Chromium at $(CHROMIUM)." >&2; \
			echo "Install it (Debian: sudo apt-get install chromium) or pass CHROMIUM=/path/to/chromium." >&2; \
			exit 1; \
		fi; \
	fi

# The Varnish integration test (tests/test_varnish.py) runs Debian's Varnish
# with the xkey module from varnish-modules; installed the same way when missing.
check-varnish:
	@if [ ! -x /usr/sbin/varnishd ] || ! ls /usr/lib/*/varnish/vmods/libvmod_xkey.so >/dev/null 2>&1; then \
		if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then \
			echo "Installing Varnish and varnish-modules from the Debian packages for the cache tests"; \
			apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq varnish varnish-modules >/dev/null; \
		else \
			echo "The Varnish test needs varnishd with vmod xkey." >&2; \
			echo "Install them (Debian: sudo apt-get install varnish varnish-modules)." >&2; \
			exit 1; \
		fi; \
	fi

# The whole suite: lint, Django's checks, missing migrations, then pytest.
# DATABASE_URL picks the database (SQLite by default); .ci/run runs it on both.
test: $(VENV)/.installed-dev check-chromium check-varnish
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/python manage.py check
	$(BIN)/python manage.py makemigrations --check --dry-run
	CHROMIUM_PATH=$(CHROMIUM) $(BIN)/python -m pytest -p tests.worker_env -n $(PYTEST_WORKERS) $(PYTEST_ARGS)

lint: $(VENV)/.installed-dev
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: $(VENV)/.installed-dev
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

clean:
	rm -rf $(VENV) staticfiles .pytest_cache
