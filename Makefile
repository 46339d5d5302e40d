# The README's quick start is `make demo` then `make test`; both build .venv on first use.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
RUNTIME_STAMP := $(VENV)/.biocluster-runtime
DEV_STAMP := $(VENV)/.biocluster-dev

.PHONY: demo test test-servers test-quick lint format neo4j-start neo4j-stop neo4j-status bench clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

# Reinstall only when the project's metadata changes; the package itself is editable.
$(RUNTIME_STAMP): pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet --editable .
	touch $@

$(DEV_STAMP): pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet --editable '.[dev]'
	touch $@ $(RUNTIME_STAMP)

demo: $(RUNTIME_STAMP)
	$(BIN)/biocluster demo

# Two workers (the machine's two cores); --dist loadgroup keeps every test of the shared Neo4j
# database on one worker (tests/neo4j_support.py groups them). PYTEST_WORKERS=0 runs serially.
PYTEST_WORKERS ?= 2
PYTEST_PARALLEL := -n $(PYTEST_WORKERS) --dist loadgroup

# The whole suite but the tests that start Neo4j servers of their own (kill, freeze, import):
# those take several minutes of server starts on 2 cores and run in `make test-servers`.
# CI runs both and requires both.
test: $(DEV_STAMP)
	$(BIN)/python -m pytest $(PYTEST_PARALLEL) -m "not neo4j_private" $(PYTEST_ARGS)

# The private-server tests alone: each group starts, kills and freezes real Neo4j servers.
test-servers: $(DEV_STAMP)
	$(BIN)/python -m pytest $(PYTEST_PARALLEL) -m neo4j_private $(PYTEST_ARGS)

# The developer's loop: everything but the tests marked slow (183 s on 2 cores, 2026-12-03).
test-quick: $(DEV_STAMP)
	$(BIN)/python -m pytest $(PYTEST_PARALLEL) -m "not slow" $(PYTEST_ARGS)

lint: $(DEV_STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy

format: $(DEV_STAMP)
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

# A local Neo4j 5.26 community server built from Maven Central jars (see scripts/neo4j-server).
neo4j-start:
	scripts/neo4j-server start

neo4j-stop:
	scripts/neo4j-server stop

neo4j-status:
	scripts/neo4j-server status

bench: $(DEV_STAMP)
	$(BIN)/python benchmarks/run.py

clean:
	rm -rf .biocluster out test-artifacts .pytest_cache .mypy_cache .ruff_cache
