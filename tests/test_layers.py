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


def imports(path: Path) -> list[tuple[int, str]]:
    """Every llr_analysis module a file imports (at any depth of the file), with its line."""
    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
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
    return found


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
