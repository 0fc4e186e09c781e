# contactimport: `make run` starts the service, `make test` runs the tests.
# Both create the project-local virtual environment (.venv) on first use.

PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
BIN := $(VENV)/bin
GEN := shared/gen
PROTO_SRC := $(shell find protos -name '*.proto')

.PHONY: run test lint proto proto-check migrate bench worker api lock clean-local venv

venv: $(VENV)/.installed

$(VENV)/.installed: requirements.lock pyproject.toml
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --disable-pip-version-check --require-hashes -r requirements.lock
	$(PY) -m pip install --quiet --disable-pip-version-check --no-deps --no-build-isolation -e .
	touch $@

## Regenerate the Python stubs from protos/ (committed; `make lint` fails when stale).
proto: venv
	$(PY) -m shared.tools.protogen $(GEN)

## Apply the versioned schema migrations (embedded PostgreSQL when DATABASE_URL is unset).
migrate: venv
	$(PY) -m shared.devstack migrate

## API + worker in the foreground; embedded PostgreSQL and Valkey (Redis) when no URLs are
## set. Ctrl-C or SIGTERM stops everything. `make run ARGS="--worker-processes 1"`.
run: venv migrate
	$(PY) -m shared.devstack run $(ARGS)

## pytest against DATABASE_URL / BROKER_URL, else embedded servers under .local/test.
## Extra pytest arguments: `make test ARGS="-k upload -x"`.
test: venv
	$(PY) -m shared.devstack test -- $(ARGS)

lint: venv
	$(BIN)/ruff format --check .
	$(BIN)/ruff check .
	$(BIN)/mypy
	$(BIN)/buf lint
	$(PY) -m shared.tools.protogen --check $(GEN)

## Starts a stack under .local/bench (as `run` does), imports a generated 10,000-row file
## in each format through it, prints time per stage and peak memory, stops the stack.
## bench.py options: `make bench ARGS="--runs 1 --rows 2000"`.
bench: venv
	$(PY) -m shared.devstack bench -- $(ARGS)

## Re-resolve the pinned, hashed dependency lock from pyproject.toml.
lock:
	$(PY) -m pip install --quiet uv
	$(BIN)/uv pip compile pyproject.toml --extra dev --python-version 3.11 --generate-hashes -o requirements.lock

## Stop and delete the embedded servers' data (.local/).
clean-local:
	rm -rf .local
