"""No place name, code or "LLR" literal in the package, the notebooks, pages/ or _quarto.yml (issues 20, 24).

Places come from places.yml only: a page that names a place it is not about (Leicester's life
expectancy paragraph on Rutland's page) starts with a name written into code. This scans every
string literal of src/llr_analysis/analysis and src/llr_analysis/report (docstrings excepted: they
document, they are never shown) and every cell of notebooks/ (markdown and code) for the names and
codes of places.yml (places, their districts, the LLR entry) and the literals "LLR" and "Leicester".

A second scan reads the whole text, comments and docstrings included, of every .py under src/, every notebook
cell and every file under pages/ (issue 24, item 2: no LLR in code, notebooks or pages).
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


# --- The whole text: comments, docstrings, notebook cells and pages too (issue 24, item 2) ---------------------------
#
# Code that documents itself with LLR's places ("the three LLR places", "e.g. Rutland") reads as if it only works for
# them. This scan reads every line of every .py under src/, every cell of notebooks/ (markdown and code, comments
# included) and every file under pages/ for LLR's names and codes: the fixed list below, and the names and codes of
# the packaged places.yml (places, districts, the ICS's names and codes). Identifiers (LLR_ROOT, LLRError,
# llr_analysis, leicester_gap) do not match: names are matched case-sensitively and whole (no letter, digit or
# underscore either side, except "Leicester", which also finds "Leicestershire").

EVERYWHERE = re.compile(
    r"Leicester|Rutland|(?<![A-Za-z0-9_])LLR(?![A-Za-z0-9_])|E06000016|E06000017|E10000018|E54000015"
)
#: whole files not scanned, each with its reason
ALLOWED_WHOLE_FILES: dict[str, str] = {}
#: single lines allowed, as (file, a fragment of the line) -> reason; each must still match a line (no stale entry)
ALLOWED_LINES: dict[tuple[str, str], str] = {}


def text_hits(text: str, where: str, pats: list[re.Pattern]) -> list[str]:
    """``where:line: text`` for every line of ``text`` that names a place of LLR."""
    return [
        f"{where}:{i}: {line.strip()}"
        for i, line in enumerate(text.splitlines(), 1)
        if any(p.search(line) for p in pats)
    ]


def whole_text_files(root: Path = REPO) -> list[tuple[str, str]]:
    """(where, text) of every .py under src/, every notebook cell and every file under pages/."""
    out = [(str(f.relative_to(root)), f.read_text(encoding="utf-8")) for f in sorted((root / "src").rglob("*.py"))]
    for nb in sorted((root / "notebooks").glob("*.ipynb")):
        cells = json.loads(nb.read_text(encoding="utf-8"))["cells"]
        out += [(f"{nb.relative_to(root)} cell {i}", "".join(c["source"])) for i, c in enumerate(cells)]
    for f in sorted(p for p in (root / "pages").rglob("*") if p.is_file()):
        out.append((str(f.relative_to(root)), f.read_bytes().decode("utf-8", errors="replace")))
    return out


def _file_of(where: str) -> str:
    return where.split(" cell ")[0]


def _allowed(hit: str) -> bool:
    path = hit.split(":", 1)[0].split(" cell ")[0]
    return any(path == f and fragment in hit for f, fragment in ALLOWED_LINES)


def whole_text_hits(root: Path = REPO) -> list[str]:
    pats = [EVERYWHERE, pattern(forbidden_words())]
    return [
        hit
        for where, text in whole_text_files(root)
        if _file_of(where) not in ALLOWED_WHOLE_FILES
        for hit in text_hits(text, where, pats)
    ]


def test_no_place_of_llr_in_comments_docstrings_notebooks_or_pages():
    found = [h for h in whole_text_hits() if not _allowed(h)]
    assert not found, (
        "LLR's places named in code, comments, docstrings, notebooks or pages (say 'the ICS', 'the places', or "
        "give a general example; or add the line to ALLOWED_LINES with its reason):\n" + "\n".join(found)
    )


def test_every_allowed_line_is_still_there():
    hits = whole_text_hits()
    stale = [key for key in ALLOWED_LINES if not any(h.split(":", 1)[0] == key[0] and key[1] in h for h in hits)]
    assert not stale, f"allowed lines that no longer name LLR (remove them from ALLOWED_LINES): {stale}"


@pytest.mark.parametrize(
    "text",
    [
        "# the three LLR places",
        '"""Headline figures for Leicester, and the ICS."""',
        "x = 1  # e.g. Rutland",
        "See E10000018 for the county.",
        "Leicestershire's districts",
        "a district such as Blaby",
    ],
)
def test_the_whole_text_scan_finds_a_planted_name(text):
    assert text_hits(f"ok line\n{text}\n", "planted.py", [EVERYWHERE, pattern(forbidden_words())]) == [
        f"planted.py:2: {text.strip()}"
    ]


def test_the_whole_text_scan_ignores_identifiers_and_general_words():
    text = (
        "import llr_analysis\nos.environ['LLR_ROOT']\nraise LLRError('x')\nleicester_gap(d)\n"
        "# the ICS's places, e.g. a county and its districts\n"
    )
    assert text_hits(text, "ok.py", [EVERYWHERE, pattern(forbidden_words())]) == []
