# The README's commands. Everything installs into .venv on first use; Kafka's jars come from Maven Central once.
PYTHON ?= python3
VENV   ?= .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed-newsevents

.PHONY: demo test lint eval train bench install jars ci-deps clean

demo: install  ## start broker, topics, one worker; feed the example articles; print events (Ctrl-C stops all)
	$(BIN)/newsevents demo

test: jars ci-deps lint  ## the whole suite, integration tests included (the suite starts and stops its own brokers)
	$(BIN)/pytest

lint: install  ## ruff: lint and format check (fix with: .venv/bin/ruff check --fix . && .venv/bin/ruff format .)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

eval:  install  ## precision / recall / F1 per type and language: real news (test split) first, then the project's sets
	$(BIN)/python -m streams.commands.evaluation

train: install  ## fit the learned stage from the real-news labels (streams/dataset/labels) into streams/extraction/models
	$(BIN)/python -m streams.dataset.train

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

ci-deps:  ## system packages the tests need, from Debian (apt): Prometheus and promtool, Chromium and chromedriver
	bash scripts/ci-deps.sh

clean:
	rm -rf .local build *.egg-info
