# The project's verbs. Every target sets up the virtualenv first (once, and again when
# pyproject.toml changes), so each works on a fresh clone with only python3 installed.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed

.PHONY: setup run test test-pg lint demo bench migrate diagrams clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[dev]'
	touch $(STAMP)

setup: $(STAMP)

## run the bot on the embedded default database (SQLite file under ./data)
run: setup
	$(BIN)/python -m bot run

migrate: setup
	$(BIN)/python -m bot migrate

## the whole test suite (SQLite; set DIK_TEST_DATABASE_URL for PostgreSQL)
test: setup
	$(BIN)/pytest -q

## the suite on the local PostgreSQL (database `test`, user postgres, trust auth)
test-pg: setup
	DIK_TEST_DATABASE_URL=postgresql+asyncpg://postgres@127.0.0.1:5432/test $(BIN)/pytest -q

lint: setup
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy
	$(BIN)/lint-imports

## the Mermaid flowchart of every SOP file, into docs/sop/
diagrams: setup
	$(BIN)/python -m bot.sop.diagram --out docs/sop

## play a whole cycle with simulated officials; files land in demo-output/
demo: setup
	$(BIN)/python -m devtools.demo

## performance figures (printed; never asserted)
bench: setup
	$(BIN)/python -m devtools.bench

clean:
	rm -rf $(VENV) demo-output test-artifacts .pytest_cache .mypy_cache .ruff_cache
