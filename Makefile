# Two commands for a fresh machine (see README): `make site` builds the site, `make test` runs the tests.
# Both create the virtual environment (.venv) on first use, with the pinned versions in requirements.lock,
# and get Quarto 1.7.34 (tools/setup-quarto.sh: quarto 1.7 on PATH, else from ../shared/tools/quarto
# into .tools/quarto, else `pip install quarto-cli==1.7.34`).

PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin

.PHONY: site test setup quarto browser-deps lock clean

$(VENV)/.installed: pyproject.toml requirements.lock
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -c requirements.lock -e ".[test]"
	$(BIN)/python -m ipykernel install --sys-prefix --name python3 --display-name "Python 3 (llr-analysis)" >/dev/null
	touch $@

setup: $(VENV)/.installed

quarto: $(VENV)/.installed
	@tools/setup-quarto.sh $(VENV)

site: $(VENV)/.installed quarto
	$(BIN)/llr build

# Browser tests need Debian's chromium (Playwright drives it; never `playwright install`) and
# axe-core from npm for the accessibility check.
browser-deps:
	@command -v chromium >/dev/null 2>&1 || { \
	  if [ "$$(id -u)" = 0 ]; then apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null; \
	  else echo "chromium is not installed: browser tests will be skipped (sudo apt-get install chromium)"; fi; }
	@[ -f node_modules/axe-core/axe.min.js ] || { command -v npm >/dev/null 2>&1 && npm ci --silent --no-audit --no-fund || echo "npm not available: accessibility checks will be skipped"; }

test: $(VENV)/.installed quarto browser-deps
	$(BIN)/pytest

lock:
	$(BIN)/python -m pip freeze --exclude-editable | grep -v '^llr-analysis' | \
	  { echo "# Pinned versions of every Python package the project installs (pip constraints)."; \
	    echo "# Regenerate after changing dependencies: make lock"; cat; } > requirements.lock

clean:
	rm -rf build site/*.html site/*/ data/raw/*/ data/processed/*/
