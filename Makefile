# Engage: `make help` lists every target. Variables you may override on the command line:
#   VENV=.venv               where the virtualenv lives
#   PYTHON=/path/to/python3  the interpreter to build it with (else scripts/find-python.sh looks)
#   POSTGRES_URL=...         the database `make test-postgres` uses
#   CHROMIUM_PATH=...        the Chromium the browser tests drive (default /usr/bin/chromium)
#   PYTEST_ARGS=...          extra pytest arguments, e.g. PYTEST_ARGS="-x engage/browser"
#   PYTEST_WORKERS=...       parallel test workers (default -n auto --dist worksteal; empty for one process)
#   BENCH_SCALE=1            `make bench`: data at this scale (1: issue 7's national figures)
#   BENCH_SECONDS=5          `make bench`: seconds of load on each page
#   DATABASE_URL=...         `make bench`: also measure on this PostgreSQL database (which it fills)

SHELL := bash
.SHELLFLAGS := -eu -o pipefail -c
.DEFAULT_GOAL := help
MAKEFLAGS += --no-print-directory

VENV ?= .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.engage-installed
CONSTRAINTS := requirements/constraints.txt
POSTGRES_URL ?= postgres://postgres@127.0.0.1:5432/engage
PYTEST_ARGS ?=
# Tests run in parallel, one worker per core (pytest-xdist); an idle worker takes tests queued for
# another (worksteal), so the long browser tests at the end do not leave one core idle.
# PYTEST_WORKERS= runs them in one process.
PYTEST_WORKERS ?= -n auto --dist worksteal

export DEMO_PASSWORD ?= engage-demo-password
export DEMO_TOTP_SECRET ?= JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP

.PHONY: help venv run test test-postgres check-migrations lint format assets lock totp bench bench-confirm clean

help: ## List the targets and what each does
	@echo "Usage: make <target>"
	@echo
	@grep -hE '^[a-zA-Z_-]+:.*## ' $(MAKEFILE_LIST) \
		| awk 'BEGIN {FS = ":.*## "} {printf "  %-15s %s\n", $$1, $$2}'
	@echo
	@echo "Overridable: VENV, PYTHON, POSTGRES_URL, CHROMIUM_PATH, PYTEST_ARGS, BENCH_SCALE, BENCH_SECONDS (see the top of the Makefile)."

venv: $(STAMP) ## Create the virtualenv (Python 3.12+) and install Engage at the pinned versions

# Reinstalls only when pyproject.toml or the lock changes.
$(STAMP): pyproject.toml $(CONSTRAINTS)
	@if ! $(BIN)/python -c 'import sys; sys.exit(sys.version_info < (3, 12))' 2>/dev/null; then \
		if [ -e "$(VENV)" ] && [ ! -f "$(VENV)/pyvenv.cfg" ]; then \
			echo "$(VENV) exists but is not a virtualenv; move it away or set VENV." >&2; exit 1; \
		fi; \
		rm -rf "$(VENV)"; \
		python=$$(bash scripts/find-python.sh); \
		echo "Creating $(VENV) with $$python"; \
		"$$python" -m venv "$(VENV)"; \
	fi
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -c $(CONSTRAINTS) -e '.[test]'
	@# On CI a lock that no longer covers pyproject.toml is an error; locally a warning.
	@bash scripts/lock.sh --check "$(VENV)" || [ "$${CI:-}" != "true" ]
	@touch $@

run: venv ## Migrate, load reference and demo data, then serve http://127.0.0.1:8000 and the task worker
	@VENV="$(VENV)" bash scripts/run-dev.sh

test: venv ## Run the whole test suite on SQLite, browser tests included
	@bash scripts/check-chromium.sh
	$(BIN)/pytest $(PYTEST_WORKERS) $(PYTEST_ARGS)

test-postgres: venv ## Run the whole test suite on PostgreSQL (POSTGRES_URL)
	@bash scripts/check-chromium.sh
	DATABASE_URL="$(POSTGRES_URL)" $(BIN)/pytest $(PYTEST_WORKERS) $(PYTEST_ARGS)

check-migrations: venv ## Apply every migration to a fresh SQLite database (and to POSTGRES_URL's, if empty, with POSTGRES_URL=...)
	VENV="$(VENV)" bash scripts/check-migrations.sh $(if $(filter command line,$(origin POSTGRES_URL)),"$(POSTGRES_URL)")

lint: venv ## Check formatting, lint rules, types, import layers, missing migrations, and .env.example
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy engage config
	$(BIN)/lint-imports --no-cache
	DJANGO_SETTINGS_MODULE=config.settings.test $(BIN)/python manage.py makemigrations --check --dry-run
	bash scripts/check-env-example.sh

format: venv ## Apply ruff's safe fixes and format the Python code
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

assets: ## Rebuild the front-end assets from npm packages (needs Node and npm)
	bash frontend/build.sh

lock: ## Regenerate requirements/constraints.txt from pyproject.toml in a clean virtualenv
	bash scripts/lock.sh

totp: ## Print the current authenticator code for the demo personas (DEMO_TOTP_SECRET)
	@$(if $(wildcard $(BIN)/python),$(BIN)/python,python3) scripts/totp.py

bench: venv ## Measure the key pages against the layout-only page at BENCH_SCALE (SQLite; PostgreSQL too with DATABASE_URL)
	BENCH_SCALE="$${BENCH_SCALE:-1}" BENCH_SECONDS="$${BENCH_SECONDS:-5}" $(BIN)/python scripts/bench.py

bench-confirm: venv ## Time the APCC's confirm request opening an engagement to all bodies, with 10,000 people (after make bench)
	BENCH_SCALE="$${BENCH_SCALE:-1}" $(BIN)/python scripts/bench_confirm.py

clean: ## Remove caches, collected static files and test output (keeps the virtualenv and database)
	rm -rf .pytest_cache .mypy_cache .ruff_cache staticfiles test-results var/test-uploads *.egg-info
	find . \( -path ./.venv -o -path "./$(VENV)" -o -path ./frontend/node_modules -o -path ./node_modules \) -prune \
		-o -type d -name __pycache__ -exec rm -rf {} +
