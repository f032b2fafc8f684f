"""The package's folders are the pipeline's stages, and each stage imports only the stages before it.

Order (lowest first): the foundation modules at the package's top (errors, paths, places, settings,
topics, hashing, validate), stats, fetch, process, analysis, report, website, and the command line.
"""

from __future__ import annotations

import ast
import re
from collections.abc import Callable
from functools import cache
from pathlib import Path

import pytest

PKG = Path(__file__).resolve().parents[1] / "src" / "llr_analysis"
LAYERS = ["foundation", "stats", "fetch", "process", "analysis", "report", "website", "cli"]
MAX_LINES = 600


def layer_of(module: str) -> str:
    parts = module.split(".")
    if parts[0] != "llr_analysis":
        raise ValueError(module)
    if len(parts) == 1:
        return "foundation"
    if parts[1] in LAYERS:
        return parts[1]
    if parts[1] == "cli":
        return "cli"
    return "foundation"


def module_name(path: Path, root: Path = PKG) -> str:
    rel = path.relative_to(root.parent).with_suffix("")
    parts = list(rel.parts)
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


@cache
def parsed(path: Path) -> ast.Module:
    """A module's syntax tree, parsed once for all the checks."""
    return ast.parse(path.read_text(encoding="utf-8"))


def imports(path: Path, source: str | None = None) -> list[tuple[int, str]]:
    """Every llr_analysis module a file (or notebook code ``source``) imports, at any depth, with its line:
    import statements and dynamic imports (``importlib.import_module``, ``__import__``) of a string."""
    found: list[tuple[int, str]] = []
    text = path.read_text(encoding="utf-8") if source is None else source
    module = module_name(path) if source is None and path.is_relative_to(PKG) else "llr_analysis"
    for node in ast.walk(parsed(path) if source is None else ast.parse(text)):
        if isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            if node.module.startswith("llr_analysis"):
                found.append((node.lineno, node.module))
                found += [
                    (node.lineno, f"{node.module}.{a.name}")
                    for a in node.names
                    if (PKG / Path(*node.module.split(".")[1:]) / a.name).with_suffix(".py").exists()
                    or (PKG / Path(*node.module.split(".")[1:]) / a.name).is_dir()
                ]
        elif isinstance(node, ast.ImportFrom) and node.level:
            found.append((node.lineno, "." * node.level + (node.module or "")))
        elif isinstance(node, ast.Import):
            found += [(node.lineno, a.name) for a in node.names if a.name.startswith("llr_analysis")]
        elif isinstance(node, ast.Call) and _is_dynamic_import(node.func) and node.args:
            target = _constant_prefix(node.args[0], module)
            if target:
                found.append((node.lineno, target))
    return found


def _is_dynamic_import(func: ast.expr) -> bool:
    """importlib.import_module(...), import_module(...) or __import__(...)."""
    name = func.attr if isinstance(func, ast.Attribute) else func.id if isinstance(func, ast.Name) else ""
    return name in ("import_module", "__import__")


def _constant_prefix(arg: ast.expr, module: str) -> str | None:
    """The llr_analysis module a dynamic import names: a string, or an f-string's constant start
    (``f"llr_analysis.analysis.{topic}"`` names the analysis stage; ``f"{__name__}.{x}"`` the module's own)."""
    if isinstance(arg, ast.Constant) and isinstance(arg.value, str):
        text = arg.value
    elif isinstance(arg, ast.JoinedStr) and arg.values:
        first = arg.values[0]
        if isinstance(first, ast.Constant):
            text = str(first.value)
        elif (
            isinstance(first, ast.FormattedValue) and isinstance(first.value, ast.Name) and first.value.id == "__name__"
        ):
            text = module
        else:
            return None
    else:
        return None
    text = text.rstrip(".")
    return text if text.startswith("llr_analysis") else None


SOURCES = sorted(PKG.rglob("*.py"))


@pytest.mark.parametrize("path", SOURCES, ids=lambda p: str(p.relative_to(PKG)))
def test_each_stage_imports_only_the_stages_before_it(path):
    mine = LAYERS.index(layer_of(module_name(path)))
    wrong = []
    for line, target in imports(path):
        if target.startswith("."):
            wrong.append(f"line {line}: relative import {target} (write llr_analysis.<stage>...)")
            continue
        theirs = LAYERS.index(layer_of(target))
        if theirs > mine:
            wrong.append(f"line {line}: {layer_of(module_name(path))} imports {target} ({LAYERS[theirs]})")
    assert wrong == [], "\n".join(wrong)


def test_the_folders_are_the_stages():
    folders = {p.name for p in PKG.iterdir() if p.is_dir() and p.name not in ("__pycache__", "config", "assets")}
    assert folders == {"stats", "fetch", "process", "analysis", "report", "website"}


@pytest.mark.parametrize("path", SOURCES, ids=lambda p: str(p.relative_to(PKG)))
def test_no_module_is_over_600_lines(path):
    n = len(path.read_text(encoding="utf-8").splitlines())
    assert n <= MAX_LINES, f"{path.relative_to(PKG)} has {n} lines"


def test_the_checker_sees_an_upward_import(tmp_path):
    """The rule can fail: a process module importing the report layer is caught."""
    bad = tmp_path / "bad.py"
    bad.write_text("from llr_analysis.report.page import Page\n")
    assert imports(bad) == [(1, "llr_analysis.report.page")]
    assert LAYERS.index(layer_of("llr_analysis.report.page")) > LAYERS.index(layer_of("llr_analysis.process.x"))


def test_the_checker_sees_dynamic_imports(tmp_path):
    """importlib/string imports count too: a process module importing report by name is caught."""
    bad = tmp_path / "bad.py"
    bad.write_text(
        "import importlib\n"
        "importlib.import_module('llr_analysis.report.page')\n"
        "mod = importlib.import_module(f'llr_analysis.website.{name}')\n"
        "__import__('llr_analysis.cli')\n"
        "importlib.import_module('json')\n"
    )
    assert imports(bad) == [(2, "llr_analysis.report.page"), (3, "llr_analysis.website"), (4, "llr_analysis.cli")]


NOTEBOOKS = sorted((PKG.parents[1] / "notebooks").glob("*.ipynb"))
# Notebooks are for communication: they call analysis and report (and read configuration), never the
# build (website, cli) nor the fetch and process stages that make the tables they read.
NOTEBOOK_ALLOWED = {"foundation", "stats", "analysis", "report"}


def _notebook_code(path: Path) -> str:
    import json

    cells = json.loads(path.read_text(encoding="utf-8"))["cells"]
    lines = []
    for cell in cells:
        if cell["cell_type"] == "code":
            src = "".join(cell["source"])
            # IPython magics and shell lines are not Python
            lines += [line if not line.lstrip().startswith(("%", "!")) else "" for line in src.splitlines()]
    return "\n".join(lines)


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_notebooks_call_only_analysis_and_report(path):
    assert NOTEBOOKS, "no notebooks found"
    wrong = [
        f"{path.name}: code line {line} imports {target} ({layer_of(target)})"
        for line, target in imports(path, _notebook_code(path))
        if not target.startswith(".") and layer_of(target) not in NOTEBOOK_ALLOWED
    ]
    assert wrong == [], "\n".join(wrong)


def test_the_notebook_rule_can_fail(tmp_path):
    nb = tmp_path / "bad.ipynb"
    nb.write_text(
        '{"cells": [{"cell_type": "code", "source": ["from llr_analysis.website.build import build\\n", "%matplotlib inline"]}]}'
    )
    found = imports(nb, _notebook_code(nb))
    assert found == [(1, "llr_analysis.website.build")]
    assert layer_of(found[0][1]) not in NOTEBOOK_ALLOWED


# ------------------------------------------------------------------------------ issue 21 item 7: checks that mean what they say
def _module_level_imports(path: Path) -> set[str]:
    """The llr_analysis modules a module imports when it is imported: its module-level import statements
    (not those inside functions, nor under ``if TYPE_CHECKING:``), submodules named in ``from x import y``
    included."""
    tree = parsed(path)
    found: set[str] = set()

    def visit(nodes: list[ast.stmt]) -> None:
        for node in nodes:
            if isinstance(node, ast.If):
                test = node.test
                name = test.id if isinstance(test, ast.Name) else test.attr if isinstance(test, ast.Attribute) else ""
                if name != "TYPE_CHECKING":
                    visit(node.body)
                visit(node.orelse)
            elif isinstance(node, ast.Try):
                visit(node.body)
                for handler in node.handlers:
                    visit(handler.body)
                visit(node.orelse)
                visit(node.finalbody)
            elif isinstance(node, ast.Import):
                found.update(a.name for a in node.names if a.name.startswith("llr_analysis"))
            elif isinstance(node, ast.ImportFrom) and node.module and not node.level and node.module.startswith("llr_"):
                found.add(node.module)
                found.update(f"{node.module}.{a.name}" for a in node.names)

    visit(tree.body)
    return found


def import_circles(
    sources: list[Path], root: Path = PKG, imports_of: Callable[[Path], set[str]] | None = None
) -> list[list[str]]:
    """Groups of modules of one stage that import each other in a circle (strongly connected components
    of more than one module), each sorted, by first module. ``imports_of``: a module's imports (default:
    those that run when it is imported, :func:`_module_level_imports`)."""
    imports_of = imports_of or _module_level_imports
    names = {module_name(p, root): p for p in sources}
    graph = {
        m: sorted(t for t in imports_of(p) if t in names and t != m and layer_of(t) == layer_of(m))
        for m, p in names.items()
    }
    # Tarjan's strongly connected components (iterative)
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    circles: list[list[str]] = []
    counter = 0
    for root in sorted(graph):
        if root in index:
            continue
        work = [(root, iter(graph[root]))]
        index[root] = low[root] = counter
        counter += 1
        stack.append(root)
        on_stack.add(root)
        while work:
            node, children = work[-1]
            child = next(children, None)
            if child is not None:
                if child not in index:
                    index[child] = low[child] = counter
                    counter += 1
                    stack.append(child)
                    on_stack.add(child)
                    work.append((child, iter(graph[child])))
                elif child in on_stack:
                    low[node] = min(low[node], index[child])
                continue
            work.pop()
            if work:
                low[work[-1][0]] = min(low[work[-1][0]], low[node])
            if low[node] == index[node]:
                group = []
                while True:
                    m = stack.pop()
                    on_stack.discard(m)
                    group.append(m)
                    if m == node:
                        break
                if len(group) > 1:
                    circles.append(sorted(group))
    return sorted(circles)


def test_no_import_circles_at_module_level_inside_a_stage():
    circles = import_circles(SOURCES)
    assert circles == [], "modules that import each other: " + "; ".join(" <-> ".join(c) for c in circles)


def _every_import(path: Path) -> set[str]:
    return {target for _, target in imports(path) if not target.startswith(".")}


def test_no_import_circles_inside_a_stage_even_through_imports_inside_functions():
    circles = import_circles(SOURCES, imports_of=_every_import)
    assert circles == [], "modules that import each other: " + "; ".join(" <-> ".join(c) for c in circles)


def test_the_circle_check_can_fail(tmp_path):
    pkg = tmp_path / "src" / "llr_analysis" / "analysis" / "toy"
    pkg.mkdir(parents=True)
    (pkg / "__init__.py").write_text('"""Toy."""\n')
    (pkg / "a.py").write_text("from llr_analysis.analysis.toy.b import f\n")
    (pkg / "b.py").write_text(
        "from llr_analysis.analysis.toy import c\n\ndef f():\n    from llr_analysis.analysis.toy import a\n"
    )
    (pkg / "c.py").write_text(
        "import llr_analysis.analysis.toy.a\nif TYPE_CHECKING:\n    import llr_analysis.analysis.toy.d\n"
    )
    (pkg / "d.py").write_text("from llr_analysis.analysis.toy.c import x\n")
    circles = import_circles(sorted(pkg.glob("*.py")), root=tmp_path / "src" / "llr_analysis")
    # a -> b -> c -> a at module level; b's import of a inside a function and c's TYPE_CHECKING import of d
    # do not run on import, so d is in no circle
    assert circles == [["llr_analysis.analysis.toy.a", "llr_analysis.analysis.toy.b", "llr_analysis.analysis.toy.c"]]


#: The overview and the shared report modules: the checks below hold for them now, not only after the merge.
OWN_MODULES = [
    p
    for p in SOURCES
    if p.relative_to(PKG).parts[:2] in (("analysis", "overview"), ("report", "overview"))
    or str(p.relative_to(PKG))
    in (
        "report/page.py",
        "report/charts.py",
        "report/colours.py",
        "report/templating.py",
        "report/words.py",
        "report/csv_safety.py",
        "report/figures.py",
        "report/stage.py",
    )
]

#: Modules that may read files or the environment: each topic's loader and its headlines for the overview.
EDGE_MODULES = ("load.py", "headlines.py")
#: The build's settings for a page (``$LLR_STAGE``: where it is staged; ``$LLR_DISCLOSURE_THRESHOLD``: the
#: smallest count a download may show) are read in one module.
PAGE_ENVIRONMENT = {"report/stage.py": {"os.environ"}}


def file_reads(path: Path) -> list[str]:
    """Where a module reads data itself: calls of ``read_table``, ``table_path``, ``project_paths`` and
    ``open``, uses of ``os.environ`` and parameters ``paths=None`` (by line)."""
    tree = parsed(path)
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Call):
            func = node.func
            name = func.id if isinstance(func, ast.Name) else func.attr if isinstance(func, ast.Attribute) else ""
            if name in ("read_table", "table_path", "project_paths") or (name == "open" and isinstance(func, ast.Name)):
                found.append((node.lineno, f"{name}("))
        elif isinstance(node, ast.ImportFrom) and any(a.name in ("read_table", "table_path") for a in node.names):
            found.append((node.lineno, "imports " + ", ".join(a.name for a in node.names)))
        elif (
            isinstance(node, ast.Attribute)
            and node.attr == "environ"
            and isinstance(node.value, ast.Name)
            and node.value.id == "os"
        ):
            found.append((node.lineno, "os.environ"))
        elif isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
            args = node.args
            positional = [*args.posonlyargs, *args.args]
            defaults = [*([None] * (len(positional) - len(args.defaults))), *args.defaults]
            pairs = [*zip(positional, defaults, strict=True), *zip(args.kwonlyargs, args.kw_defaults, strict=True)]
            for arg, default in pairs:
                if arg.arg == "paths" and isinstance(default, ast.Constant) and default.value is None:
                    found.append((node.lineno, f"{node.name}(paths=None)"))
    allowed = PAGE_ENVIRONMENT.get(str(path.relative_to(PKG)), set()) if path.is_relative_to(PKG) else set()
    return [f"line {line}: {what}" for line, what in sorted(found) if what not in allowed]


PURE_STAGES = [
    p for p in SOURCES if p.relative_to(PKG).parts[0] in ("analysis", "report") and p.name not in EDGE_MODULES
]


def test_analysis_and_report_read_no_files_outside_the_loaders():
    wrong = {str(p.relative_to(PKG)): reads for p in PURE_STAGES if (reads := file_reads(p))}
    assert wrong == {}, "\n".join(f"{f}: {'; '.join(r)}" for f, r in wrong.items())


@pytest.mark.parametrize("path", OWN_MODULES, ids=lambda p: str(p.relative_to(PKG)))
def test_the_overview_and_shared_report_modules_read_no_files(path):
    if path.name in EDGE_MODULES:
        pytest.skip("a loader: reading is its job")
    assert file_reads(path) == []


def test_the_read_check_can_fail(tmp_path):
    source = (
        "import os\nfrom llr_analysis.process import read_table\n\n"
        "def f(place, paths=None):\n    return read_table('x', paths)\n\n"
        "def g():\n    return open('f.csv').read(), os.environ['HOME']\n"
    )
    (tmp_path / "m.py").write_text(source)
    assert file_reads(tmp_path / "m.py") == [
        "line 2: imports read_table",
        "line 4: f(paths=None)",
        "line 5: read_table(",
        "line 8: open(",
        "line 8: os.environ",
    ]


def html_escapes(path: Path) -> list[int]:
    """Lines where a module escapes HTML by hand (``html.escape``, or ``escape`` imported from ``html``)."""
    tree = parsed(path)
    lines = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Attribute) and node.attr == "escape" and isinstance(node.value, ast.Name):
            if node.value.id in ("html", "_html", "_h"):
                lines.append(node.lineno)
        elif isinstance(node, ast.ImportFrom) and node.module == "html" and any(a.name == "escape" for a in node.names):
            lines.append(node.lineno)
    return sorted(lines)


REPORT = [p for p in SOURCES if p.relative_to(PKG).parts[0] == "report"]


def test_no_html_escape_in_report():
    wrong = {str(p.relative_to(PKG)): lines for p in REPORT if (lines := html_escapes(p))}
    assert wrong == {}, f"html.escape by line: {wrong} (use llr_analysis.report.templating.render)"


@pytest.mark.parametrize("path", OWN_MODULES, ids=lambda p: str(p.relative_to(PKG)))
def test_the_overview_and_shared_report_modules_escape_nothing_by_hand(path):
    assert html_escapes(path) == []


_TAG = re.compile(r"</?[a-zA-Z][a-zA-Z0-9]*[\s>/]")


def fstring_html(path: Path) -> list[int]:
    """Lines of f-strings that build HTML (a literal part holds a tag): markup by hand, escaped only if
    every value was escaped by hand."""
    tree = parsed(path)
    return sorted(
        node.lineno
        for node in ast.walk(tree)
        if isinstance(node, ast.JoinedStr)
        and any(isinstance(v, ast.Constant) and _TAG.search(str(v.value)) for v in node.values)
    )


def test_no_fstring_html_in_report():
    wrong = {str(p.relative_to(PKG)): lines for p in REPORT if (lines := fstring_html(p))}
    assert wrong == {}, f"f-string HTML by line: {wrong} (use a template in report/templates/)"


@pytest.mark.parametrize("path", OWN_MODULES, ids=lambda p: str(p.relative_to(PKG)))
def test_the_overview_and_shared_report_modules_build_no_html_in_fstrings(path):
    assert fstring_html(path) == []


def test_the_fstring_html_check_can_fail(tmp_path):
    (tmp_path / "m.py").write_text('x = f"<p>{name}</p>"\ny = f"{a} < {b}"\nz = "<p>not an f-string</p>"\n')
    assert fstring_html(tmp_path / "m.py") == [1]


def test_the_escape_check_can_fail(tmp_path):
    (tmp_path / "m.py").write_text("import html\nfrom html import escape\nx = html.escape('<')\n")
    assert html_escapes(tmp_path / "m.py") == [2, 3]
