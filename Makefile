# Two commands do all the set-up on a fresh machine (Python 3.11 + make):
#   make lab    create .venv if needed, install, open JupyterLab on notebooks/
#   make test   same set-up, then unit tests, pairing tests and every notebook (quick profile)
# More: make run (execute the notebooks in the full profile, outputs written back),
#       make results (make run, then results/RESULTS.md), make seeds (every notebook once
#       per seed, SEEDS="42 7 123 2026": results/SEEDS.md), make app (the playground as a
#       web page, Voila on http://localhost:8866), make nav (the notebooks' previous/
#       index/next links and notebooks/00_index), make taught (helpers/taught.py from the
#       notebooks' cells tagged `taught`), make bench (plain Keras vs the course's way on
#       the book's models: results/BENCH.md), make lint (ruff), make lock
#       (requirements.txt from requirements.in), make test-browser, make clean.
# `make test` and `make run` run two jobs at a time (JOBS=1, RUN_JOBS=1: one at a time).
SHELL := /bin/bash
PYTHON ?= $(shell command -v python3.11 2>/dev/null || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
# TensorFlow reads this when its C++ logging starts: kernels inherit it.
export TF_CPP_MIN_LOG_LEVEL ?= 3
export PYTHONDONTWRITEBYTECODE := 1

NBVAL := --nbval-lax --nbval-current-env --nbval-sanitize-with tests/sanitize.cfg

.PHONY: help install lock lab app nav taught bench seeds lint test test-unit test-notebooks test-browser run results clean

help:
	@sed -n '1,12p' Makefile | sed 's/^# \{0,1\}//'

$(STAMP): requirements.txt pyproject.toml
	@test -x $(BIN)/python || { echo "creating $(VENV) with $(PYTHON)"; $(PYTHON) -m venv $(VENV); }
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -r requirements.txt
	$(BIN)/python -m pip install --quiet --no-deps -e .
	@touch $(STAMP)

install: $(STAMP)

# requirements.txt, the full lock, from requirements.in (the direct pins): resolved in a
# scratch virtual environment, so that a fresh machine later gets today's versions.
LOCK_VENV := .lock-venv
lock:
	rm -rf $(LOCK_VENV) && $(PYTHON) -m venv $(LOCK_VENV)
	$(LOCK_VENV)/bin/python -m pip install --quiet --upgrade pip
	$(LOCK_VENV)/bin/python -m pip install --quiet -r requirements.in
	{ sed -n '1,3p' requirements.txt; $(LOCK_VENV)/bin/python -m pip freeze --exclude-editable; } \
		> requirements.txt.new && mv requirements.txt.new requirements.txt
	rm -rf $(LOCK_VENV)

lab: install
	$(BIN)/jupyter lab --ServerApp.root_dir=notebooks

# The playground as a web page without code (Voila). The page runs the notebook in a
# fresh kernel on each load; the playground keeps its training small in every profile.
APP_PORT ?= 8866
app: install
	$(BIN)/voila notebooks/11_playground.ipynb --no-browser --port=$(APP_PORT)

# `make test` and `make run` run two jobs at a time (JOBS=1 / RUN_JOBS=1: one at a time)
# through tools/schedule.py: TensorFlow runs each op on one thread on a CPU here, and
# side by side each job's independent ops one at a time (TF_NUM_INTEROP_THREADS=1), so one
# notebook keeps about one core busy. A notebook that reads what another records in
# results/ waits for it (tools.schedule.AFTER); each job's output is printed when it
# ends. Two at a time, each notebook runs slower (by a quarter to three quarters) than
# alone, so its printed training times are longer: the committed outputs, whose times the
# notebooks quote, come from runs of one notebook at a time (`make run RUN_JOBS=1`).
JOBS ?= 2
RUN_JOBS ?= 2

test: install lint
	@start=$$(date +%s); \
	$(BIN)/python -m tools.schedule test --jobs $(JOBS) --nbval "$(NBVAL)"; status=$$?; \
	echo "make test: $$(( $$(date +%s) - start )) s after install"; exit $$status

# ruff over helpers/, tools/, tests/ and the notebooks' .py twins (settings in pyproject.toml).
lint: install
	$(BIN)/ruff check .

test-unit: install
	COURSE_PROFILE=quick $(BIN)/python -m pytest -p no:cacheprovider tests --ignore=tests/browser

# Drives `make app`'s page in headless Chromium (Playwright). Skips, saying why, where
# Chromium (or Playwright) is missing; the screenshot goes to logs/browser/.
test-browser: install
	COURSE_PROFILE=quick $(BIN)/python -m pytest -p no:cacheprovider -rs tests/browser

# The notebooks alone, one after the other, in one pytest session.
test-notebooks: install
	COURSE_PROFILE=quick $(BIN)/python -m pytest -p no:cacheprovider $(NBVAL) --durations=12 notebooks

# Previous / index / next links in every notebook, and notebooks/00_index (idempotent;
# tests/test_navigation.py fails when they are out of date).
nav: install
	$(BIN)/python -m tools.navigation

# helpers/taught.py, generated from the notebooks' cells tagged `taught` (never edit it by
# hand; tests/test_taught.py fails when it is out of date).
taught: install
	$(BIN)/python -m tools.taught

# The book's 11 models trained plainly and the course's way (about 25 min on 2 cores).
bench: install
	$(BIN)/python -m tools.bench

# The seed sweep: every notebook once per seed ($$COURSE_SEED), two at a time, in scratch
# copies under logs/seeds/ (the committed notebooks and results/full are not touched). A
# failing notebook does not stop it. Report: results/SEEDS.md (SEEDS_PROFILE=quick:
# results/SEEDS-quick.md). Some notebooks only: make seeds SEEDS="7" SEEDS_NOTEBOOKS="03 04".
SEEDS ?= 42 7 123 2026
SEEDS_PROFILE ?= full
SEEDS_NOTEBOOKS ?=
seeds: install
	@start=$$(date +%s); \
	$(BIN)/python -m tools.seeds --seeds "$(SEEDS)" --profile $(SEEDS_PROFILE) \
		--jobs $(RUN_JOBS) $(if $(SEEDS_NOTEBOOKS),--notebooks $(SEEDS_NOTEBOOKS)); \
	status=$$?; echo "make seeds: $$(( $$(date +%s) - start )) s"; exit $$status

run: install
	@start=$$(date +%s); \
	$(BIN)/python -m tools.schedule run --jobs $(RUN_JOBS); status=$$?; \
	echo "make run: $$(( $$(date +%s) - start )) s"; exit $$status

# results/RESULTS.md from the records in results/full (JSON only: TensorFlow is not loaded).
results: run
	$(BIN)/python -m tools.report --profile full

clean:
	rm -rf images logs results/quick .pytest_cache
