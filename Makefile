# The project's verbs. Every target sets up the virtualenv first (once, and again when a lock
# file or pyproject.toml changes), so each works on a fresh clone with only python3 installed.
# Installs come from the lock files (pinned versions, made by `make lock` with pip-tools):
#   requirements.lock      the bot's runtime (production: `make setup`)
#   requirements-dev.lock  the runtime plus the test and lint tools (`make setup-dev`)
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
DEV    := $(VENV)/.installed-dev
PIP    := $(BIN)/pip install -qq --disable-pip-version-check
LOCK   := CUSTOM_COMPILE_COMMAND="make lock" $(BIN)/pip-compile --quiet --strip-extras \
          --no-emit-index-url --no-emit-find-links --no-emit-trusted-host

.PHONY: setup setup-dev run test test-pg lint demo bench migrate diagrams lock clean

$(STAMP): requirements.lock pyproject.toml
	@echo "setup 1/4: virtual environment in $(VENV)"
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	@echo "setup 2/4: pip itself"
	@$(PIP) --upgrade pip
	@echo "setup 3/4: the bot's dependencies, pinned in requirements.lock (about a minute)"
	@$(PIP) -r requirements.lock
	@echo "setup 4/4: the bot itself (editable, no other dependencies)"
	@$(PIP) --no-deps -e .
	@touch $(STAMP)
	@echo "setup done: $(VENV) holds the runtime only (make setup-dev adds the test tools)"

$(DEV): $(STAMP) requirements-dev.lock
	@echo "setup-dev: test and lint tools, pinned in requirements-dev.lock"
	@$(PIP) -r requirements-dev.lock
	@touch $(DEV)

## production: the runtime only
setup: $(STAMP)

## development and CI: the runtime plus pytest, ruff, mypy, pip-tools
setup-dev: $(DEV)

## run the bot on the embedded default database (SQLite file under ./data)
run: setup
	$(BIN)/python -m bot run

migrate: setup
	$(BIN)/python -m bot migrate

## the whole test suite (SQLite; set DIK_TEST_DATABASE_URL for PostgreSQL)
test: setup-dev
	$(BIN)/pytest -q

## the suite on the local PostgreSQL (database `test`, user postgres, trust auth)
test-pg: setup-dev
	DIK_TEST_DATABASE_URL=postgresql+asyncpg://postgres@127.0.0.1:5432/test $(BIN)/pytest -q

lint: setup-dev
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy
	$(BIN)/lint-imports

## the Mermaid flowchart of every SOP file, into docs/sop/, and the state diagram of every chat
## conversation, into docs/conversations/
diagrams: setup-dev
	$(BIN)/python -m bot.sop.diagram --out docs/sop
	$(BIN)/python -m handlers.conversation_diagram --out docs/conversations

## play a whole cycle with simulated officials; files land in demo-output/
demo: setup-dev
	$(BIN)/python -m devtools.demo $(SOP)

## performance figures (printed; never asserted)
bench: setup-dev
	$(BIN)/python -m devtools.bench

## new pins from pyproject.toml's ranges (then run the tests and commit both lock files)
lock: setup-dev
	$(LOCK) --upgrade --output-file=requirements.lock pyproject.toml
	$(LOCK) --upgrade --extra=dev --constraint=requirements.lock \
		--output-file=requirements-dev.lock pyproject.toml

clean:
	rm -rf $(VENV) demo-output test-artifacts .pytest_cache .mypy_cache .ruff_cache
