# One task file: `make run`, `make try`, `make test`, `make lint`, `make fix`, `make bench`.
PYTHON ?= python3
VENV   ?= .venv
BIN    := $(VENV)/bin

.PHONY: run try test lint fix types bench eval clean translit-model postgres postgres-stop search-node search-cluster search-cluster-stop

# Khabri with its test extra, and beside it the development tools (tools/: `khabri bench`, `khabri
# eval`), which its wheel does not hold; both editable, so the checkout is what runs.
$(BIN)/.installed: pyproject.toml tools/pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[test]' -e ./tools
	touch $@

run: $(BIN)/.installed
	$(BIN)/khabri run

lint: $(BIN)/.installed
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy

fix: $(BIN)/.installed
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

test: lint
	$(BIN)/pytest

bench: $(BIN)/.installed
	$(BIN)/khabri bench

clean:
	rm -rf $(VENV) .pytest_cache .mypy_cache .ruff_cache

try: $(BIN)/.installed
	$(BIN)/khabri try

# The learned spelling model (retrieval/data/translit.json.gz) from the shared Dakshina lexicon.
translit-model: $(BIN)/.installed
	$(BIN)/python tools/train_translit.py

# A throwaway PostgreSQL server on 127.0.0.1 (tools/pg_server.py, the one the tests use); the last
# line printed is its URL, for KHABRI_DB. `make postgres-stop` stops it and deletes its files.
postgres:
	@$(PYTHON) -m tools.pg_server start

postgres-stop:
	@$(PYTHON) -m tools.pg_server stop

# A real two-node OpenSearch 2.19 cluster on 127.0.0.1 (tools/opensearch-node, built with Maven once).
# `make search-cluster` prints its opensearch+http://… URL on its last line, for KHABRI_SEARCH.
search-node:
	$(PYTHON) -m tools.search_cluster build

search-cluster:
	$(PYTHON) -m tools.search_cluster start

search-cluster-stop:
	$(PYTHON) -m tools.search_cluster stop
