"""Content hashes of the package's own code, for the build's caches: only the code a run imports.

A notebook run's cache key covers the ``llr_analysis`` modules its code cells import and, transitively,
what those modules import (:func:`import_closure`); a processing step's key covers its own module and
its imports. Editing a cancer-screening module therefore re-executes the notebooks that really reach
it, never the population pages.

Imports are found in the source with :mod:`ast`, so a module's key does not depend on importing it:

- static imports (``import x``, ``from x import y``): at module level always, inside a function when
  that function can run (:func:`import_closure`: its name is used by code that can run);
- dynamic imports with a literal name (``importlib.import_module("llr_analysis.report.x")``,
  ``__import__("...")``) and module names written as strings (``"llr_analysis.analysis.population"``);
- dynamic imports with a computed name written as an f-string that starts with a literal package: every
  module whose name fits the f-string, each ``{...}`` standing for one or more name parts
  (``import_module(f"llr_analysis.analysis.{topic.id}.headlines")``: the ``headlines`` module of every
  topic package, and what it imports, never the topic's other modules).

One kind of dynamic import is left out on purpose: a package discovering its own modules
(``import_module(f"{__name__}.{name}")`` in ``process/__init__.py``, which registers the processing
steps). A step module imports its package, but the package's loop over its siblings is what runs
the build, not the step: counting it would make every step depend on every other step's code.

Configuration files in ``config/`` (``places.yml``, ``sources.yml``, ...) count for a module whose
source names them; page templates for the notebooks that render them (the shared ones, and a topic's
folder ``report/templates/<topic>/`` for the notebooks that import its report code).
"""

from __future__ import annotations

import ast
import hashlib
import os
import re
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache
from pathlib import Path

PACKAGE = Path(__file__).resolve().parent
NAME = "llr_analysis"


def module_file(module: str) -> Path | None:
    """The source file of a module of this package (``None`` for other packages or names that are not modules)."""
    parts = module.split(".")
    if parts[0] != NAME:
        return None
    base = PACKAGE.joinpath(*parts[1:])
    for f in (base.with_suffix(".py"), base / "__init__.py"):
        if f.is_file():
            return f
    return None


def all_modules() -> list[str]:
    """Every module of the package, by dotted name."""
    out = []
    for f in sorted(PACKAGE.rglob("*.py")):
        if "__pycache__" in f.parts:
            continue
        rel = f.relative_to(PACKAGE).with_suffix("")
        parts = [NAME, *rel.parts]
        if parts[-1] == "__init__":
            parts = parts[:-1]
        out.append(".".join(parts))
    return out


def _literal_name(node: ast.expr) -> tuple[str, bool] | None:
    """``(name, exact)`` for a module-name expression: a literal (``exact`` True), or an f-string that
    starts with a literal, as a pattern with ``*`` for each computed part (``exact`` False:
    ``f"llr_analysis.analysis.{topic.id}.headlines"`` -> ``"llr_analysis.analysis.*.headlines"``).
    ``None`` when nothing literal is known, or for a package's own-module discovery."""
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return node.value, True
    if isinstance(node, ast.JoinedStr) and node.values:
        first = node.values[0]
        if isinstance(first, ast.Constant) and isinstance(first.value, str):
            parts = [v.value if isinstance(v, ast.Constant) else "*" for v in node.values]
            return "".join(str(p) for p in parts), False
    return None  # f"{__name__}.{name}": a package discovering its own modules (see the module docstring)


@cache
def _pattern(pattern: str) -> re.Pattern[str]:
    """A module-name pattern of :func:`_literal_name` as a regular expression: ``*`` is one or more name
    parts (a computed part may hold dots: the key errs towards re-running, never towards reuse)."""
    return re.compile(r"[\w.]+".join(re.escape(p) for p in pattern.split("*")))


def matching(modules: Iterable[str], patterns: Iterable[str]) -> list[str]:
    """The ``modules`` whose whole name fits one of ``patterns`` (see :func:`_literal_name`)."""
    regexes = [_pattern(p) for p in patterns]
    return [m for m in modules if any(r.fullmatch(m) for r in regexes)]


def _resolve_from(node: ast.ImportFrom, current: str, is_package: bool) -> str:
    if not node.level:
        return node.module or ""
    base = current.split(".") if is_package else current.split(".")[:-1]
    base = base[: len(base) - (node.level - 1)] if node.level > 1 else base
    return ".".join([*base, *([node.module] if node.module else [])])


def _ours(name: str) -> bool:
    return name.split(".")[0] == NAME and not name.endswith(".")


@dataclass(frozen=True)
class _Unit:
    """What one top-level part of a module (its module-level code ``""``, a function or a class) imports
    and which names it uses."""

    names: frozenset[str]  # modules imported by name (static, or dynamic with a literal name)
    patterns: frozenset[str]  # computed-name imports: every module fitting these (see _literal_name)
    uses: frozenset[str]  # identifiers it refers to (names and attributes)


def _unit(nodes: list[ast.AST], current: str, is_package: bool) -> _Unit:
    names: set[str] = set()
    patterns: set[str] = set()
    uses: set[str] = set()
    for top in nodes:
        for node in ast.walk(top):
            if isinstance(node, ast.Import):
                names.update(a.name for a in node.names)
            elif isinstance(node, ast.ImportFrom):
                base = _resolve_from(node, current, is_package)
                names.add(base)
                names.update(f"{base}.{a.name}" for a in node.names if a.name != "*")  # submodules by name
                uses.update(a.asname or a.name for a in node.names)
            elif isinstance(node, ast.Name):
                uses.add(node.id)
            elif isinstance(node, ast.Attribute):
                uses.add(node.attr)
            elif isinstance(node, ast.Call):
                func = node.func
                fname = func.attr if isinstance(func, ast.Attribute) else func.id if isinstance(func, ast.Name) else ""
                if fname in ("import_module", "__import__") and node.args:
                    found = _literal_name(node.args[0])
                    if found:
                        (names.add if found[1] else patterns.add)(found[0])
            elif isinstance(node, ast.Constant) and isinstance(node.value, str):
                text = node.value.strip()
                if text.startswith(NAME + ".") and " " not in text and "/" not in text and "\n" not in text:
                    names.add(text.split(":")[0])  # "llr_analysis.x.y", or an entry point "llr_analysis.x:func"
    return _Unit(
        frozenset(n for n in names if _ours(n)),
        frozenset(p for p in patterns if _ours(p.split("*")[0] + "x")),
        frozenset(uses),
    )


def units_of(source: str, current: str = "", is_package: bool = False) -> dict[str, _Unit]:
    """A module's top-level parts: ``""`` (module-level statements) and each function and class by name."""
    tree = ast.parse(source)
    defs = (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)
    out = {"": _unit([n for n in tree.body if not isinstance(n, defs)], current, is_package)}
    for n in tree.body:
        if isinstance(n, defs):
            out[n.name] = _unit([n], current, is_package)
    return out


def imports_in(source: str, current: str = "", is_package: bool = False) -> tuple[set[str], set[str]]:
    """Modules of this package that ``source`` imports anywhere: ``(names, patterns)``; a pattern stands for
    every module whose name fits it (a computed name such as ``f"llr_analysis.analysis.{id}.headlines"``,
    pattern ``llr_analysis.analysis.*.headlines``: see :func:`matching`)."""
    units = units_of(source, current, is_package).values()
    return {n for u in units for n in u.names}, {p for u in units for p in u.patterns}


@cache
def _units(module: str, mtime: int) -> dict[str, _Unit]:
    f = module_file(module)
    if f is None:
        return {}
    return units_of(f.read_text(encoding="utf-8"), module, f.name == "__init__.py")


def import_closure(roots: Iterable[str], entry: _Unit | None = None) -> set[str]:
    return _walk(roots, entry)[0]


def _walk(roots: Iterable[str], entry: _Unit | None = None) -> tuple[set[str], set[tuple[str, str]]]:
    """The modules of this package that importing ``roots`` (and running ``entry``, e.g. a notebook's
    cells) can import, transitively, with the packages above each one (their ``__init__`` runs first).

    A module's module-level imports count as soon as it is imported. An import inside a function or
    class (static, or dynamic such as ``import_module(f"llr_analysis.analysis.{id}.headlines")``) counts when
    that function can run: when its name is used by the entry, by module-level code of a module in
    the closure, or by a function that can run itself. Names are matched, not resolved, so a name
    shared by two functions counts for both (the key errs towards re-running, never towards reuse),
    and a function passed as a value is used by name like a call.
    """
    every = all_modules()
    modules: set[str] = set()
    todo = list(roots)
    live: set[tuple[str, str]] = set()  # (module, unit) that can run
    used: set[str] = set(entry.uses) if entry else set()
    if entry:
        todo.extend(entry.names)
        todo.extend(matching(every, entry.patterns))
    while True:
        while todo:  # the static closure
            mod = todo.pop()
            f = module_file(mod)
            if f is None or mod in modules:
                continue
            modules.add(mod)
            parts = mod.split(".")
            todo.extend(".".join(parts[:i]) for i in range(1, len(parts)))
        grew = False
        for mod in sorted(modules):  # which parts can run, and the dynamic imports they make
            f = module_file(mod)
            assert f is not None
            for name, unit in _units(mod, f.stat().st_mtime_ns).items():
                if (mod, name) in live or not (name == "" or name in used):
                    continue
                live.add((mod, name))
                grew = True
                used |= unit.uses
                todo.extend(unit.names)
                todo.extend(matching(every, unit.patterns))
        if not grew and not todo:
            return modules, live


def config_files(modules: Iterable[str]) -> list[Path]:
    """Files of ``config/`` whose name appears in the source of one of ``modules``."""
    configs = [f for f in sorted((PACKAGE / "config").glob("*")) if f.is_file() and f.suffix in (".yml", ".yaml")]
    texts = [f.read_text(encoding="utf-8") for m in modules if (f := module_file(m)) is not None]
    return [c for c in configs if any(c.name in t for t in texts)]


def _templates(mods: list[str]) -> list[Path]:
    root = PACKAGE / "report" / "templates"
    shared = [f for f in sorted(root.glob("*")) if f.is_file()]
    own = [
        f
        for d in sorted(root.iterdir())
        if d.is_dir()
        and any(m == f"llr_analysis.report.{d.name}" or m.startswith(f"llr_analysis.report.{d.name}.") for m in mods)
        for f in sorted(d.rglob("*"))
        if f.is_file()
    ]
    return shared + own


def modules_hash(modules: Iterable[str]) -> str:
    """sha256 of the source of ``modules``, of the configuration files they name and of the page
    templates (``report/templates``) when one of them renders templates."""
    mods = sorted(set(modules))
    h = hashlib.sha256()
    for m in mods:
        f = module_file(m)
        if f is not None:
            h.update(f"{f.relative_to(PACKAGE)}\0".encode())
            h.update(f.read_bytes())
    # configuration files the modules name, and the page templates when they render any: the shared
    # ones (report/templates/*, which include each other) and a topic's own (report/templates/<name>/)
    # when a module of report.<name> is among them
    templates = _templates(mods) if "llr_analysis.report.templating" in mods else []
    for c in [*config_files(mods), *templates]:
        h.update(f"{c.relative_to(PACKAGE)}\0".encode())
        h.update(c.read_bytes())
    places = os.environ.get("LLR_PLACES")  # a places file given with --places replaces config/places.yml
    if places and "llr_analysis.places" in mods and Path(places).is_file():
        h.update(b"LLR_PLACES\0" + Path(places).read_bytes())
    return h.hexdigest()


def code_hash_of(roots: Iterable[str]) -> str:
    """The hash of the code that importing ``roots`` runs (:func:`import_closure`, :func:`modules_hash`)."""
    return modules_hash(import_closure(roots))


def notebook_entry(notebook: Path) -> _Unit:
    """What a notebook's code cells import and use (IPython magics and shell lines left out)."""
    import json

    nb = json.loads(Path(notebook).read_text(encoding="utf-8"))
    names: set[str] = set()
    patterns: set[str] = set()
    uses: set[str] = set()
    for cell in nb.get("cells", []):
        if cell.get("cell_type") != "code":
            continue
        src = cell.get("source", "")
        src = "".join(src) if isinstance(src, list) else src
        lines = [ln if not ln.lstrip().startswith(("%", "!")) else "" for ln in src.splitlines()]
        try:
            tree = ast.parse("\n".join(lines))
        except SyntaxError:
            continue  # the notebook fails when it runs, with the cell named
        u = _unit([tree], "", False)
        names |= u.names
        patterns |= u.patterns
        uses |= u.uses
    return _Unit(frozenset(names), frozenset(patterns), frozenset(uses))


def notebook_modules(notebook: Path) -> set[str]:
    """The package modules a notebook's runs can import (:func:`import_closure` of its cells)."""
    return import_closure((), entry=notebook_entry(notebook))


def notebook_code_hash(notebook: Path) -> str:
    """The hash of the package code a notebook's runs import (its cells' imports, transitively)."""
    return modules_hash(notebook_modules(notebook))


def step_code_hash(func) -> str:
    """The hash of the code of a processing step: its module and what it imports, transitively."""
    return code_hash_of([func.__module__])
