# The two commands of the README's Quick start: `make docs` and `make test`, and
# `make check`, the quick loop. All set up .venv first; everything the build and
# the tests need is installed there.

PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
# The CPU build by default (requirements-torch.txt, which Read the Docs reads
# too): an unpinned torch downloads a CUDA build of several GB.
TORCH_SPEC ?= $(strip $(file < requirements-torch.txt))
PIP_TORCH_ARGS ?=
TENSORNOTES_DEVICE ?= auto
export TENSORNOTES_DEVICE
SPHINXOPTS ?= -W --keep-going -n
HTML := docs/_build/html
GETTEXT := docs/_build/gettext
STAMP := $(VENV)/.installed
# Changing any of these re-runs the set-up: a new PYTHON makes a new .venv, a
# new torch spec or index reinstalls torch.
SETUP_KEY := python=$(PYTHON) torch=$(TORCH_SPEC) torch-args=$(PIP_TORCH_ARGS)
KEY_FILE := $(VENV)/.setup-key
LINTED := src tests benchmarks gallery docs conftest.py
# The CPU kernels the doctests run under once more, besides the machine's own.
KERNELS := default avx2

.PHONY: setup docs translations test check lint doctest-kernels browser clean serve live FORCE

setup: $(STAMP)

$(KEY_FILE): FORCE
	@mkdir -p $(VENV)
	@printf '%s\n' '$(SETUP_KEY)' | cmp -s - $@ || printf '%s\n' '$(SETUP_KEY)' > $@

$(STAMP): pyproject.toml $(KEY_FILE)
	@set -e; \
	if [ ! -x $(BIN)/python ] || [ "$$(cat $(VENV)/.python 2>/dev/null)" != '$(PYTHON)' ]; then \
		echo "Creating $(VENV) with $(PYTHON)"; \
		$(PYTHON) -m venv --clear $(VENV); \
		$(BIN)/python -m pip install --quiet --upgrade pip; \
		printf '%s\n' '$(PYTHON)' > $(VENV)/.python; \
	fi; \
	if [ "$$(cat $@ 2>/dev/null)" != '$(SETUP_KEY)' ]; then \
		$(BIN)/python -m pip install --quiet --force-reinstall --no-deps $(PIP_TORCH_ARGS) '$(TORCH_SPEC)'; \
	fi; \
	$(BIN)/python -m pip install --quiet $(PIP_TORCH_ARGS) '$(TORCH_SPEC)'; \
	$(BIN)/python -m pip install --quiet -e '.[docs,test]'; \
	printf '%s\n' '$(SETUP_KEY)' > $(KEY_FILE); \
	printf '%s\n' '$(SETUP_KEY)' > $@

# English first: it runs the gallery. The Chinese edition reuses the executed
# examples (sphinx-gallery skips a script whose source has not changed) and goes
# into $(HTML)/zh_CN, with doctrees of its own.
docs: $(STAMP)
	$(BIN)/sphinx-build $(SPHINXOPTS) -b html docs $(HTML)
	$(BIN)/sphinx-build $(SPHINXOPTS) -b html -D language=zh_CN -d docs/_build/doctrees-zh_CN docs $(HTML)/zh_CN
	@echo
	@echo "The site is built. Open: file://$(CURDIR)/$(HTML)/index.html"
	@echo "The Chinese edition:    file://$(CURDIR)/$(HTML)/zh_CN/index.html"

# After an English edit: extract the messages (.pot) and merge them into the
# Chinese catalogues, where new and changed messages then wait to be translated.
translations: $(STAMP)
	$(BIN)/sphinx-build -q -b gettext docs $(GETTEXT)
	$(BIN)/sphinx-intl update -p $(GETTEXT) -d docs/locale -l zh_CN

lint: $(STAMP)
	$(BIN)/ruff check $(LINTED)
	$(BIN)/ruff format --check $(LINTED)
	$(BIN)/mypy

# The quick loop: lint, the unit tests and every doctest; no site build, no browser.
check: lint
	$(BIN)/python -m pytest -q -m "not site" -n auto

# Every doctest once more under each CPU kernel in KERNELS: the last digits of a
# float can differ between kernels, and every example must hold on all of them.
doctest-kernels: $(STAMP)
	@for kernel in $(KERNELS); do \
		echo "Doctests with ATEN_CPU_CAPABILITY=$$kernel"; \
		ATEN_CPU_CAPABILITY=$$kernel $(BIN)/python -m pytest -q docs src || exit 1; \
	done

test: lint docs browser
	$(BIN)/sphinx-build -q -b gettext docs $(GETTEXT)
	$(BIN)/python -m pytest
	$(MAKE) --no-print-directory doctest-kernels

# The browser tests drive Debian's Chromium when it is there or can be installed
# (as root, with apt-get: CI does this), and Playwright's own Chromium otherwise.
# The Chinese pages need a CJK font to render (Debian's fonts-noto-cjk).
browser: $(STAMP)
	@need=""; \
	if [ -z "$$TENSORNOTES_CHROMIUM" ] && ! command -v chromium >/dev/null; then need=chromium; fi; \
	if ! fc-list :lang=zh 2>/dev/null | grep -q .; then need="$$need fonts-noto-cjk"; fi; \
	if [ -z "$$need" ]; then :; \
	elif [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
		apt-get update -qq && apt-get install -y -qq $$need >/dev/null; \
	else \
		case "$$need" in *chromium*) $(BIN)/python -m playwright install chromium;; esac; \
		case "$$need" in *fonts*) echo "Install a CJK font (Debian: fonts-noto-cjk) for the Chinese pages";; esac; \
	fi

clean:
	rm -rf docs/_build docs/auto_examples docs/reference/generated docs/reference/backrefs docs/sg_execution_times.rst

# Preview the built site at http://127.0.0.1:$(PORT)/ (make docs first builds it).
PORT ?= 8000

serve: docs
	$(BIN)/python -m http.server $(PORT) --bind 127.0.0.1 --directory $(HTML)

# Rebuild on every change to the docs, the gallery or the package, and reload the
# page. Files the build itself writes into docs/ are not watched, or it would loop.
live: $(STAMP)
	$(BIN)/sphinx-autobuild --host 127.0.0.1 --port $(PORT) --watch src --watch gallery \
		--re-ignore '(auto_examples|reference/generated|reference/backrefs|_build|__pycache__)/' \
		--re-ignore 'sg_execution_times\.rst' --re-ignore '\.png$$' \
		-n docs $(HTML)
