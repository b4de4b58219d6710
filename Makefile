# The developer loop. `make run` and `make test` are the README's two commands; every target
# installs what it needs first.
SHELL := /bin/bash
.DEFAULT_GOAL := help

VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
HOST ?= 127.0.0.1
PORT ?= 8000
PYTEST_ARGS ?=

.PHONY: help install run run-cluster test test-sqlite test-postgres lint format bench clean

help:
	@echo "make install  create .venv with Python >= 3.12 and install Playground"
	@echo "make run      migrate and serve on http://$(HOST):$(PORT)/ (SQLite, Simulator)"
	@echo "make run-cluster  PostgreSQL, Redis and two Daphne processes behind a load balancer"
	@echo "              on http://127.0.0.1:8000/ (Ctrl+C stops all)"
	@echo "make test     run the test suite on SQLite, then on PostgreSQL if it is installed"
	@echo "make test-sqlite / make test-postgres  the suite on one database"
	@echo "make lint     ruff check and format check"
	@echo "make bench    print the benchmarks' figures"

install: $(STAMP)

$(STAMP): pyproject.toml
	@if [ ! -x $(BIN)/python ] || ! $(BIN)/python -c 'import sys; sys.exit(sys.version_info < (3, 12))' 2>/dev/null; then \
		python=$$(.ci/find-python) || exit 1; \
		echo "Creating $(VENV) with $$python"; \
		rm -rf $(VENV); \
		"$$python" -m venv $(VENV) || exit 1; \
	fi
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[test,scale]'
	@touch $(STAMP)

run: install
	$(BIN)/python manage.py migrate --noinput
	PLAYGROUND_SIMULATOR_BASE_URL=$${PLAYGROUND_SIMULATOR_BASE_URL:-http://$(HOST):$(PORT)/simulator} \
		$(BIN)/python -m playground.serve -b $(HOST) -p $(PORT) playground.asgi:application

run-cluster: install
	$(BIN)/python -m playground.cluster

# The suite on SQLite, then on a temporary PostgreSQL when its programs are installed (a line
# says so when they are not). DATABASE_URL and REDIS_URL from the shell are left out of both.
# tests/scale start their own PostgreSQL and Redis whatever the suite runs on: once is enough.
SUITE := env -u DATABASE_URL -u REDIS_URL
test: install
	$(SUITE) $(BIN)/python -m pytest $(PYTEST_ARGS)
	$(SUITE) $(BIN)/python -m playground.cluster.with_postgres --if-available -- \
		$(BIN)/python -m pytest --ignore=tests/scale $(PYTEST_ARGS)

test-sqlite: install
	$(SUITE) $(BIN)/python -m pytest $(PYTEST_ARGS)

test-postgres: install
	$(SUITE) $(BIN)/python -m playground.cluster.with_postgres -- $(BIN)/python -m pytest $(PYTEST_ARGS)

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: install
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

bench: install
	$(BIN)/python -m tests.bench

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache .hypothesis
