#!/usr/bin/env bash
# Make Quarto 1.7 available to the build (llr_analysis.render.find_quarto looks in the same places):
#   1. `quarto` on PATH, when it is 1.7.x: nothing to do;
#   2. .tools/quarto (this project, git-ignored), installed earlier: nothing to do;
#   3. ../shared/tools/quarto exists (CI and offline machines): install Quarto 1.7.34 from it into
#      .tools/quarto (npm and PyPI packages plus the source snapshot there; about 15 s), linked
#      into the virtualenv's bin/ so that builds of temporary project copies find it too;
#   4. otherwise (online): pip install quarto-cli==1.7.34 into the virtual environment.
# Usage: tools/setup-quarto.sh [VENV]   (VENV defaults to .venv)
set -euo pipefail
cd "$(dirname "$0")/.."
VERSION=1.7.34
SERIES=1.7
VENV=${1:-.venv}
SHARED=${LLR_QUARTO_SOURCE:-../shared/tools/quarto}
LOCAL=.tools/quarto

is_series() { [ -x "$1" ] && "$1" --version 2>/dev/null | tail -1 | grep -q "^${SERIES//./\\.}\."; }

if [ -n "${LLR_QUARTO:-}" ] && is_series "$LLR_QUARTO"; then
  echo "quarto: using \$LLR_QUARTO ($("$LLR_QUARTO" --version))"; exit 0
fi
link_into_venv() {   # so that builds of any project folder (tests build temporary copies) find it
  [ -d "$VENV/bin" ] && ln -sfn "$(cd "$LOCAL/bin" && pwd)/quarto" "$VENV/bin/quarto"
}
if is_series "$LOCAL/bin/quarto"; then
  link_into_venv
  echo "quarto: using $LOCAL ($("$LOCAL/bin/quarto" --version))"; exit 0
fi
if is_series "$VENV/bin/quarto"; then
  echo "quarto: using $VENV/bin/quarto ($("$VENV/bin/quarto" --version))"; exit 0
fi
if command -v quarto >/dev/null 2>&1 && is_series "$(command -v quarto)"; then
  echo "quarto: using $(command -v quarto) ($(quarto --version))"; exit 0
fi
if [ -x "$SHARED/install-quarto.sh" ] || [ -f "$SHARED/install-quarto.sh" ]; then
  echo "quarto: installing Quarto $VERSION from $SHARED into $LOCAL"
  rm -rf "$LOCAL"
  INSTALL_TYPST=0 bash "$SHARED/install-quarto.sh" "$LOCAL" "$SHARED/quarto-cli-$VERSION-src.tar.gz" >/dev/null
  link_into_venv
else
  echo "quarto: installing quarto-cli==$VERSION from PyPI into $VENV"
  "$VENV/bin/python" -m pip install --quiet "quarto-cli==$VERSION"
fi
for q in "$LOCAL/bin/quarto" "$VENV/bin/quarto"; do
  if is_series "$q"; then echo "quarto: $q $("$q" --version)"; exit 0; fi
done
echo "quarto: installation of Quarto $VERSION failed" >&2
exit 1
