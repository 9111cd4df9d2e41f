# The README's two commands are `make demo` and `make test`; .ci/run calls `make test`.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed-stamp

.PHONY: demo test install system-deps lint typecheck pytest bench clean

## demo: install, build the demo data and open JupyterLab on 127.0.0.1
demo: install system-deps
	$(BIN)/shegong demo

## test: every check CI runs: lint, types, the whole pytest suite
test: install system-deps lint typecheck pytest

install: $(STAMP)

$(STAMP): pyproject.toml
	$(PYTHON) tools/check_python.py
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[test]'
	touch $(STAMP)

system-deps:
	bash tools/system-deps.sh

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

typecheck: install
	$(BIN)/python tools/typecheck.py

pytest: install
	$(BIN)/python -m pytest

bench: install system-deps
	$(BIN)/python -m benchmarks

clean:
	rm -rf $(VENV) workspace .pytest_cache .mypy_cache .ruff_cache
