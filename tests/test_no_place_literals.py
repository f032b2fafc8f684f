"""No place name, code or "LLR" literal in the package, the notebooks, pages/ or _quarto.yml (issues 20, 24).

Places come from places.yml only: a page that names a place it is not about (Leicester's life
expectancy paragraph on Rutland's page) starts with a name written into code. This scans every
string literal of src/llr_analysis/analysis and src/llr_analysis/report (docstrings excepted: they
document, they are never shown) and every cell of notebooks/ (markdown and code) for the names and
codes of places.yml (places, their districts, the LLR entry) and the literals "LLR" and "Leicester".
"""

from __future__ import annotations

import ast
import json
import re
from pathlib import Path

import pytest
import yaml

REPO = Path(__file__).resolve().parents[1]
#: every module of the package (docstrings excepted); ``configure.py`` may name LLR in its help, as the default
SCANNED = [REPO / "src/llr_analysis"]
ALLOWED_FILES = {"src/llr_analysis/configure.py"}
#: text files scanned whole: the Methods page and other hand-written pages, and the site's Quarto config
TEXT_FILES = ["pages/*.qmd", "_quarto.yml"]


def forbidden_words() -> set[str]:
    cfg = yaml.safe_load((REPO / "src/llr_analysis/config/places.yml").read_text())
    words = {"LLR", "Leicester"}
    for p in cfg["places"].values():
        words |= {p["name"], p["code"], *p["districts"], *p["districts"].values()}
    ics = cfg.get("ics") or cfg["llr"]
    words |= {ics["name"], ics["code"], ics["short_name"], ics.get("ods_code", "")}
    return {w for w in words if w}


def pattern(words: set[str]) -> re.Pattern:
    alts = "|".join(sorted(map(re.escape, words), key=len, reverse=True))
    return re.compile(rf"(?<![A-Za-z0-9_])({alts})(?![A-Za-z0-9_])")


def _docstrings(tree: ast.AST) -> set[int]:
    out = set()
    for n in ast.walk(tree):
        if isinstance(n, (ast.Module, ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)) and n.body:
            first = n.body[0]
            if (
                isinstance(first, ast.Expr)
                and isinstance(first.value, ast.Constant)
                and isinstance(first.value.value, str)
            ):
                out.add(id(first.value))
    return out


def literals_in_code(source: str, where: str, pat: re.Pattern) -> list[str]:
    tree = ast.parse(source)
    docs = _docstrings(tree)
    return [
        f"{where}:{n.lineno}: {m.group(0)!r}"
        for n in ast.walk(tree)
        if isinstance(n, ast.Constant) and isinstance(n.value, str) and id(n) not in docs
        for m in pat.finditer(n.value)
    ]


def place_literals(root: Path = REPO) -> list[str]:
    pat = pattern(forbidden_words())
    found = []
    for folder in SCANNED:
        for f in sorted(folder.rglob("*.py")):
            if str(f.relative_to(root)) in ALLOWED_FILES:
                continue
            found += literals_in_code(f.read_text(encoding="utf-8"), str(f.relative_to(root)), pat)
    for glob in TEXT_FILES:
        for f in sorted(root.glob(glob)):
            for i, line in enumerate(f.read_text(encoding="utf-8").splitlines(), 1):
                found += [f"{f.relative_to(root)}:{i}: {m.group(0)!r}" for m in pat.finditer(line)]
    for nb in sorted((root / "notebooks").glob("*.ipynb")):
        cells = json.loads(nb.read_text(encoding="utf-8"))["cells"]
        for i, cell in enumerate(cells):
            src = "".join(cell["source"])
            where = f"{nb.relative_to(root)} cell {i}"
            if cell["cell_type"] == "code":
                found += literals_in_code(src, where, pat)
            else:
                found += [f"{where}: {m.group(0)!r}" for m in pat.finditer(src)]
    return found


def test_no_place_name_code_or_llr_literal_outside_configuration():
    found = place_literals()
    assert not found, "place names/codes written into code or notebooks (take them from places.yml):\n" + "\n".join(
        found
    )


@pytest.mark.parametrize(
    "source",
    [
        'x = "In Leicester the gap is"',
        'x = f"{a} and LLR"',
        'x = "E06000017"',
        'def f():\n    """Docstring may say Rutland."""\n    return "Melton"',
    ],
)
def test_the_scan_finds_a_planted_literal(source):
    assert literals_in_code(source, "planted.py", pattern(forbidden_words()))


def test_the_scan_ignores_docstrings_and_config_lookups():
    source = 'def f():\n    """About Leicester and LLR."""\n    return load_places().llr_short_name\n'
    assert literals_in_code(source, "ok.py", pattern(forbidden_words())) == []
