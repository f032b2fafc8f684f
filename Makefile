# Two commands for a fresh machine (see README): `make site` builds the site, `make test` runs the tests.
# Both create the virtual environment (.venv) on first use, with the pinned versions in requirements.lock,
# and get Quarto 1.7.34 (tools/setup-quarto.sh: quarto 1.7 on PATH, else from ../shared/tools/quarto
# into .tools/quarto, else `pip install quarto-cli==1.7.34`).

PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin

# Folders ruff lints and formats (notebooks are checked by pre-commit: nbstripout and ruff).
LINT_PATHS := src tests benchmarks tools
# mypy checks the whole package against the configuration in pyproject.toml [tool.mypy].
TYPECHECK_PATHS := src/llr_analysis
# Unit tests: no raw-data mirror, no whole-site build, no browser (markers applied in tests/conftest.py).
FAST_TESTS := not mirror and not slow and not browser

# `make` alone lists the targets; `make site` and `make test` are unchanged.
.DEFAULT_GOAL := help

.PHONY: help site test setup dev hooks quarto browser-deps lint format typecheck check lock clean

help: ## list the targets
	@echo "Targets (make <target>):"
	@awk 'BEGIN {FS = ":.*## "} /^[a-zA-Z][a-zA-Z_-]*:.*## / {printf "  %-13s %s\n", $$1, $$2}' $(MAKEFILE_LIST)

$(VENV)/.installed: pyproject.toml requirements.lock
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -c requirements.lock -e ".[test]"
	$(BIN)/python -m ipykernel install --sys-prefix --name python3 --display-name "Python 3 (llr-analysis)" >/dev/null
	touch $@

setup: $(VENV)/.installed ## create .venv with the pinned packages (site and tests)

# Development tools (ruff, mypy, pre-commit, nbstripout, type stubs): the `dev` extra, pinned.
$(VENV)/.dev-installed: $(VENV)/.installed pyproject.toml requirements.lock
	$(BIN)/python -m pip install --quiet -c requirements.lock -e ".[test,dev]"
	touch $@

dev: $(VENV)/.dev-installed ## install the development tools (the dev extra) into .venv
	@echo "dev tools installed; enable the git hooks with: make hooks"

hooks: $(VENV)/.dev-installed ## install the pre-commit git hooks (.pre-commit-config.yaml)
	$(BIN)/pre-commit install

quarto: $(VENV)/.installed ## get Quarto 1.7.34 (tools/setup-quarto.sh)
	@tools/setup-quarto.sh $(VENV)

site: $(VENV)/.installed quarto ## build the whole site into site/
	$(BIN)/llr build

# Browser tests need Debian's chromium (Playwright drives it; never `playwright install`) and
# axe-core from npm for the accessibility check.
browser-deps: ## install Debian chromium and axe-core for the browser tests
	@command -v chromium >/dev/null 2>&1 || { \
	  if [ "$$(id -u)" = 0 ]; then apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null; \
	  else echo "chromium is not installed: browser tests will be skipped (sudo apt-get install chromium)"; fi; }
	@[ -f node_modules/axe-core/axe.min.js ] || { command -v npm >/dev/null 2>&1 && npm ci --silent --no-audit --no-fund || echo "npm not available: accessibility checks will be skipped"; }

# Two pytest-xdist workers: the tests of the built site stay in one (tests/conftest.py groups them, so
# the site is built once) while the other runs the rest.
test: $(VENV)/.installed quarto browser-deps ## run the whole test suite
	$(BIN)/pytest -n 2 --dist loadgroup

lint: $(VENV)/.dev-installed ## ruff: lint and check formatting (changes nothing)
	$(BIN)/ruff check $(LINT_PATHS)
	$(BIN)/ruff format --check $(LINT_PATHS)

format: $(VENV)/.dev-installed ## ruff: apply safe lint fixes, then format
	$(BIN)/ruff check --fix-only $(LINT_PATHS)
	$(BIN)/ruff format $(LINT_PATHS)

typecheck: $(VENV)/.dev-installed ## mypy on the whole package (src/llr_analysis)
	$(BIN)/mypy $(TYPECHECK_PATHS)

check: lint typecheck quarto ## fast checks: lint, typecheck, unit tests without the mirror
	$(BIN)/pytest -q -m "$(FAST_TESTS)"

lock: ## pin the installed packages into requirements.lock
	$(BIN)/python -m pip freeze --exclude-editable | grep -v '^llr-analysis' | \
	  { echo "# Pinned versions of every Python package the project installs (pip constraints)."; \
	    echo "# Regenerate after changing dependencies: make lock"; cat; } > requirements.lock

clean: ## remove build/, the rendered site and fetched/processed data
	rm -rf build site/*.html site/*/ data/raw/*/ data/processed/*/
