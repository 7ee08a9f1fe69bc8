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
SOURCES := shared/src gateway/src hr-svc/src payroll-svc/src helpdesk-svc/src docs-svc/src

UV_ON_PATH := $(shell command -v uv 2>/dev/null)
UV := $(if $(UV_ON_PATH),$(UV_ON_PATH),$(CURDIR)/.tools/bin/uv)
PYTEST_ARGS ?=

.PHONY: help install run test test-postgres fuzz bench lint typecheck clean

help:
	@echo "make run            install what is missing, start the suite (Ctrl-C stops it)"
	@echo "make test           install what is missing, run every test (SQLite; set BACKOFFICE_TEST_DATABASE_URL for PostgreSQL)"
	@echo "make test-postgres  the same tests on the local PostgreSQL"
	@echo "make fuzz           the deep schemathesis run (every phase and check, 30 examples per operation) on its own suite"
	@echo "make bench          run the benchmarks, print tables, update docs/PERFORMANCE.md"
	@echo "make lint           ruff and mypy"

# uv itself, when the machine has none: installed with pip into a private tools venv, or, where the
# venv module is missing (Debian without python3-venv), into a private folder.
$(CURDIR)/.tools/bin/uv:
	( $(PYTHON) -m venv $(CURDIR)/.tools && $(CURDIR)/.tools/bin/pip install --quiet --disable-pip-version-check uv ) \
	  || $(PYTHON) -m pip install --quiet --disable-pip-version-check --target $(CURDIR)/.tools uv

install: $(if $(UV_ON_PATH),,$(CURDIR)/.tools/bin/uv)
	$(UV) sync --all-packages --locked
	$(UV) run --no-sync python -m compileall -q $(SOURCES)

run: install
	$(UV) run --no-sync backoffice up

test: install
	$(UV) run --no-sync pytest $(PYTEST_ARGS)

test-postgres: install
	BACKOFFICE_TEST_DATABASE_URL=$${BACKOFFICE_TEST_DATABASE_URL:-postgresql+asyncpg://postgres@127.0.0.1:5432/postgres} \
		$(UV) run --no-sync pytest $(PYTEST_ARGS)

# The deep schemathesis profile: not part of `make test` (it takes far longer). FUZZ_EXAMPLES lowers the examples per
# operation for a quicker pass, FUZZ_ARGS adds schemathesis options (FUZZ_ARGS=--include-path-regex=/api/hr/); the
# figures are printed and written to var/fuzz/.
FUZZ_EXAMPLES ?= 30
fuzz: install
	BACKOFFICE_FUZZ_DEEP=1 BACKOFFICE_FUZZ_DEEP_EXAMPLES=$(FUZZ_EXAMPLES) BACKOFFICE_FUZZ_DEEP_ARGS="$(FUZZ_ARGS)" \
		$(UV) run --no-sync pytest tests/fuzz/test_deep_fuzz.py -s $(PYTEST_ARGS)

BENCHMARKS := bus gateway payrun accounting docs_search pipeline startup

# Each benchmark writes bench/results/<name>.json and its table in docs/PERFORMANCE.md; report.py then gathers
# them with the machine's description into bench/results/latest.json.
bench: install
	set -e; for name in $(BENCHMARKS); do $(UV) run --no-sync python bench/$$name.py; done
	$(UV) run --no-sync python bench/report.py

lint: install
	$(UV) run --no-sync ruff check .
	$(UV) run --no-sync mypy $(SOURCES)

clean:
	rm -rf .venv .tools var .pytest_cache .ruff_cache .mypy_cache
