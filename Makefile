# High-Stakes ML: every target sets up the virtual environment in .venv/ first if it is missing.
#   make lab    install what is needed and open the course in JupyterLab
#   make test   install what is needed and run every test
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
BIN := $(CURDIR)/$(VENV)/bin
PY := $(BIN)/python
STAMP := $(VENV)/.installed
LAB_PORT ?= 8888
# nbgrader calls alembic (and notebooks call jupyter) from PATH: the venv comes first.
export PATH := $(BIN):$(PATH)
# Some machines set PYTHONDONTWRITEBYTECODE=1: then every process and kernel (hundreds in a test
# run) compiles numpy, pandas, scikit-learn... again from source. Bytecode goes to .venv/ and
# __pycache__/ (ignored by git).
unexport PYTHONDONTWRITEBYTECODE

.PHONY: setup lab test test-fast lint format data bench normalize snapshot exercises site refresher clean help

help:
	@sed -n '1,4p' Makefile

$(STAMP): pyproject.toml requirements/constraints.txt
	@test -x $(PY) || { echo "Creating $(VENV)/ with $(PYTHON)"; $(PYTHON) -m venv $(VENV); }
	@echo "Installing the course and its pinned dependencies (requirements/constraints.txt)..."
	@# uv installs the same pinned set about 10x faster than pip (seconds, not minutes); pip is the fallback.
	@# No --compile-bytecode: compiling every installed file took ~80 s; Python compiles what it imports
	@# on first use and keeps it, because the targets below let it write bytecode (see unexport).
	$(PY) -m pip install --quiet --disable-pip-version-check -c requirements/constraints.txt uv \
	  && $(BIN)/uv pip install --quiet --python $(PY) -c requirements/constraints.txt -e '.[test,hub,site]' \
	  || $(PY) -m pip install --quiet --disable-pip-version-check -c requirements/constraints.txt -e '.[test,hub,site]'
	@# rfc3987-syntax (pulled in by jupyter-events for jsonschema's optional IRI checks) builds a
	@# parser at import: about 2-3 s in every process that imports nbformat (nbgrader, nbval, Lab).
	@# jsonschema skips those checks without it, and nothing in the course relies on them.
	$(PY) -m pip uninstall --quiet --yes rfc3987-syntax
	@touch $(STAMP)

setup: $(STAMP)

lab: setup
	@$(PY) -m course_tools.lab --port $(LAB_PORT)

# Browser tests need a Chromium: installed when missing and possible, else they are SKIPPED with the reason.
test: setup lint
	@bash scripts/ensure_chromium.sh
	@bash scripts/ensure_bubblewrap.sh
	@$(PY) -m pytest; status=$$?; if [ $$status -eq 5 ]; then \
	  echo "make test: FAILED, pytest collected no tests (exit status 5): a run that tests nothing is a failure." >&2; fi; \
	exit $$status

# Lint and format are habits, not taste: make test fails on either (make format fixes most).
lint: setup
	@$(BIN)/ruff check --quiet . && $(BIN)/ruff format --check --quiet . \
	  || { echo "make lint: FAILED. Run 'make format' (ruff format + ruff check --fix), then fix what remains." >&2; exit 1; }

format: setup
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

# The quick loop while writing code: no notebooks, no grading pipeline, no browser.
test-fast: setup
	$(PY) -m pytest tests -m "not browser and not grading and not notebooks" -p no:nbval

# The course as a website (build/site/html/index.html): modules with outputs, refreshers, exercises.
# Reuses the notebooks executed by the last `make test` (build/executed/), else runs them.
site: setup
	$(PY) -m course_tools.site build

# The explorers and refreshers as an app without code (Voila), on 127.0.0.1 with a token.
REFRESHER_PORT ?= 8866
refresher: setup
	@REFRESHER_PORT=$(REFRESHER_PORT) $(PY) -m course_tools.refresher_app

data: setup
	$(PY) -m course.data write datasets/

bench: setup
	@for b in benchmarks/bench_*.py; do echo "== $$b"; $(PY) $$b || exit 1; done

normalize: setup
	$(PY) -m course_tools.notebooks normalize $(wildcard modules autograded/source exercises)

# The learner versions of the assignments (nbgrader's release, no solution, no hidden test),
# shipped in exercises/ for self-paced learners; a test fails when one is stale.
exercises: setup
	$(PY) -m course_tools.grading exercises

# Record the expected outputs of the # NBVAL_CHECK_OUTPUT cells: make snapshot [NB=modules/NN_name.ipynb]
NB ?= modules
snapshot: setup
	$(PY) -m pytest --record-expected-outputs -p no:cacheprovider -q $(NB)

clean:
	rm -rf build .pytest_cache

# A cohort on JupyterHub (docs/COHORTS.md): the learner environment (a wheel of course/, no
# instructor material) and the hub's proxy (configurable-http-proxy from npm), under build/hub/.
HUB_PROXY := build/hub/proxy/node_modules/.bin/configurable-http-proxy
.PHONY: hub-env test-hub
hub-env: setup $(HUB_PROXY)
	$(PY) -m course_tools.hub learner-env
$(HUB_PROXY): deploy/hub/proxy/package.json deploy/hub/proxy/package-lock.json
	@mkdir -p build/hub/proxy && cp deploy/hub/proxy/package.json deploy/hub/proxy/package-lock.json build/hub/proxy/
	cd build/hub/proxy && npm ci --no-audit --no-fund --loglevel=error
	@touch $@

# The cohort end to end (root, bubblewrap, npm, PostgreSQL 15; a few minutes): PostgreSQL, JupyterHub,
# three learners through nbgrader's exchange, grading, feedback, the per-question export, the formgrader.
test-hub: hub-env
	@bash scripts/ensure_bubblewrap.sh
	@bash scripts/ensure_chromium.sh
	$(PY) -m pytest tests/hub -m hub -v

# Instructor (graded assignments, docs/INSTRUCTORS.md): A=assignment, FROM=folder of student folders.
#   make release A=00_warm_up | collect A=00_warm_up FROM=inbox/ | autograde A=... | feedback A=... | grades
#   make export-questions: one row per learner, a column per question (Canvas CSV), docs/COHORTS.md
.PHONY: release collect autograde feedback grades export-questions
GRADE = $(PY) -m course_tools.grading
release autograde feedback: setup
	@test -n "$(A)" || { echo "usage: make $@ A=<assignment>, e.g. make $@ A=00_warm_up" >&2; exit 2; }
	@if [ "$@" = autograde ]; then bash scripts/ensure_bubblewrap.sh; fi
	$(GRADE) $@ $(A)
collect: setup
	@test -n "$(A)" -a -n "$(FROM)" || { echo "usage: make collect A=<assignment> FROM=<folder>/<student>/<assignment>.ipynb" >&2; exit 2; }
	$(GRADE) collect $(A) $(FROM)
grades: setup
	$(GRADE) grades
export-questions: setup
	$(GRADE) export-questions
