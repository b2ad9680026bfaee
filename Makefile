# make run: start the bot (terminal chat on a local SQLite file when no messenger is configured).
# make test: ruff, mypy, then the tests (in parallel). Both create .venv and install on first use.
# make lock: regenerate requirements.lock (the Docker image's pinned dependencies).
PY ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: run test typecheck lint bench lock clean

$(STAMP): pyproject.toml $(wildcard */__init__.py)
	$(PY) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip
	$(BIN)/pip install -q -e '.[dev]'
	touch $(STAMP)

run: $(STAMP)
	$(BIN)/trekbot

test: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/mypy
	$(BIN)/pytest

typecheck: $(STAMP)
	$(BIN)/mypy

lint: $(STAMP)
	$(BIN)/ruff check .

bench: $(STAMP)
	for f in bench/*.py; do $(BIN)/python -m bench.$$(basename $$f .py) || exit 1; done

# requirements.lock: the image's pinned runtime dependencies, with hashes (uv pip compile).
lock: $(STAMP)
	$(BIN)/pip install -q uv
	$(BIN)/uv pip compile pyproject.toml --python-version 3.11 \
		--python-platform x86_64-manylinux_2_28 --generate-hashes -o requirements.lock

clean:
	rm -rf $(VENV) *.egg-info .pytest_cache .ruff_cache
