# The two commands of the README's Quick start: `make docs` and `make test`.
# Both set up .venv first; everything the build and the tests need is installed here.

PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
# The CPU build by default: an unpinned torch downloads a CUDA build of several GB.
TORCH_SPEC ?= torch==2.13.0
PIP_TORCH_ARGS ?=
TENSORNOTES_DEVICE ?= auto
export TENSORNOTES_DEVICE
SPHINXOPTS ?= -W --keep-going -n
HTML := docs/_build/html
STAMP := $(VENV)/.installed

.PHONY: docs test lint setup clean

setup: $(STAMP)

$(STAMP): pyproject.toml Makefile
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet $(PIP_TORCH_ARGS) '$(TORCH_SPEC)'
	$(BIN)/python -m pip install --quiet -e '.[docs,test]'
	touch $@

docs: $(STAMP)
	$(BIN)/sphinx-build $(SPHINXOPTS) -b html docs $(HTML)
	@echo
	@echo "The site is built. Open: file://$(CURDIR)/$(HTML)/index.html"

lint: $(STAMP)
	$(BIN)/ruff check src tests benchmarks gallery docs conftest.py
	$(BIN)/ruff format --check src tests benchmarks gallery docs conftest.py
	$(BIN)/mypy

test: lint docs browser
	$(BIN)/python -m pytest

# The browser tests drive Debian's Chromium when it is there or can be installed
# (as root, with apt-get: CI does this), and Playwright's own Chromium otherwise.
.PHONY: browser
browser: $(STAMP)
	@if [ -n "$$TENSORNOTES_CHROMIUM" ] || command -v chromium >/dev/null; then :; \
	elif [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
		apt-get update -qq && apt-get install -y -qq chromium >/dev/null; \
	else \
		$(BIN)/python -m playwright install chromium; \
	fi

clean:
	rm -rf docs/_build docs/auto_examples docs/reference/generated docs/reference/backrefs docs/sg_execution_times.rst

# Preview the built site at http://127.0.0.1:$(PORT)/ (make docs first builds it).
PORT ?= 8000
.PHONY: serve live

serve: docs
	$(BIN)/python -m http.server $(PORT) --bind 127.0.0.1 --directory $(HTML)

# Rebuild on every change to the docs, the gallery or the package, and reload the
# page. Files the build itself writes into docs/ are not watched, or it would loop.
live: $(STAMP)
	$(BIN)/sphinx-autobuild --host 127.0.0.1 --port $(PORT) --watch src --watch gallery \
		--re-ignore '(auto_examples|reference/generated|reference/backrefs|jupyter_execute|_build|__pycache__)/' \
		--re-ignore 'sg_execution_times\.rst' --re-ignore '\.png$$' \
		-n docs $(HTML)
