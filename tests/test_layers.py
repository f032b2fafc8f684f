"""The package's folders are the pipeline's stages, and each stage imports only the stages before it.

Order (lowest first): the foundation modules at the package's top (errors, paths, places, settings,
topics, hashing, validate), stats, fetch, process, analysis, report, website, and the command line.
"""

from __future__ import annotations

import ast
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


def module_name(path: Path) -> str:
    rel = path.relative_to(PKG.parent).with_suffix("")
    parts = list(rel.parts)
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def imports(path: Path, source: str | None = None) -> list[tuple[int, str]]:
    """Every llr_analysis module a file (or notebook code ``source``) imports, at any depth, with its line:
    import statements and dynamic imports (``importlib.import_module``, ``__import__``) of a string."""
    found: list[tuple[int, str]] = []
    text = path.read_text(encoding="utf-8") if source is None else source
    module = module_name(path) if source is None and path.is_relative_to(PKG) else "llr_analysis"
    for node in ast.walk(ast.parse(text)):
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
