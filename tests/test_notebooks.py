"""Every notebook in notebooks/ follows the project's convention.

* valid nbformat 4;
* exactly one cell tagged ``parameters``, which parses and gives every name a literal default
  (papermill injects overrides after it; ``llr build --param`` types values by these defaults);
* stored without outputs or execution counts (nbstripout in pre-commit keeps it so);
* ``metadata.llr`` declares the page: ``title`` (text) and, when present, ``per_place`` (bool),
  ``role`` (home | place-summary | topic), ``order`` (int), ``output`` (a .ipynb name),
  ``inputs`` (a list of globs).

The checks read the files only (nbformat and ast), so they do not depend on where the package
keeps its notebook runner.
"""

from __future__ import annotations

import ast
from pathlib import Path

import nbformat
import pytest

NOTEBOOKS = sorted((Path(__file__).resolve().parents[1] / "notebooks").glob("*.ipynb"))
ROLES = {"home", "place-summary", "topic", "locality-profile"}


def _read(path: Path) -> nbformat.NotebookNode:
    return nbformat.read(path, as_version=nbformat.NO_CONVERT)


def _parameter_cells(nb) -> list:
    return [c for c in nb.cells if "parameters" in c.get("metadata", {}).get("tags", [])]


def _defaults(source: str) -> dict[str, object]:
    """``name = literal`` for every statement of a parameters cell; anything else is an error."""
    out: dict[str, object] = {}
    for node in ast.parse(source).body:
        if isinstance(node, ast.AnnAssign) and isinstance(node.target, ast.Name) and node.value is not None:
            target, value = node.target, node.value
        elif isinstance(node, ast.Assign) and len(node.targets) == 1 and isinstance(node.targets[0], ast.Name):
            target, value = node.targets[0], node.value
        else:
            raise AssertionError(f"line {node.lineno}: not a 'name = default' assignment: {ast.unparse(node)}")
        if target.id in out:
            raise AssertionError(f"line {node.lineno}: {target.id!r} is assigned twice")
        try:
            out[target.id] = ast.literal_eval(value)
        except ValueError:
            raise AssertionError(
                f"line {node.lineno}: default of {target.id!r} is not a literal: {ast.unparse(value)}"
            ) from None
    return out


def test_there_are_notebooks():
    assert len(NOTEBOOKS) >= 2, "no notebooks found in notebooks/"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_valid_nbformat_4(path):
    nb = _read(path)
    assert nb.nbformat == 4
    nbformat.validate(nb)  # raises ValidationError on a malformed notebook


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_one_parameters_cell_with_a_literal_default_for_every_name(path):
    nb = _read(path)
    cells = _parameter_cells(nb)
    assert len(cells) == 1, f"{path.name}: {len(cells)} cells tagged 'parameters' (need exactly one)"
    cell = cells[0]
    assert cell.cell_type == "code"
    defaults = _defaults(cell.source)  # a SyntaxError fails the test with the line
    assert defaults, f"{path.name}: the parameters cell declares no parameters"
    assert all(isinstance(v, str | int | float | bool) for v in defaults.values()), defaults
    if nb.metadata.get("llr", {}).get("per_place", True):
        assert isinstance(defaults.get("place"), str), f"{path.name}: a per-place notebook needs a default place"
    assert not any("injected-parameters" in c.get("metadata", {}).get("tags", []) for c in nb.cells), (
        f"{path.name}: stored with papermill's injected-parameters cell"
    )


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_no_outputs_or_execution_counts_stored(path):
    nb = _read(path)
    code = [c for c in nb.cells if c.cell_type == "code"]
    assert code, f"{path.name}: no code cells"
    with_outputs = [i for i, c in enumerate(nb.cells) if c.cell_type == "code" and c.outputs]
    counted = [i for i, c in enumerate(nb.cells) if c.cell_type == "code" and c.execution_count is not None]
    assert with_outputs == [], f"{path.name}: outputs stored in cells {with_outputs} (run nbstripout)"
    assert counted == [], f"{path.name}: execution counts stored in cells {counted} (run nbstripout)"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_llr_metadata(path):
    meta = _read(path).metadata.get("llr")
    assert isinstance(meta, dict), f"{path.name}: no metadata.llr"
    assert isinstance(meta.get("title"), str) and meta["title"].strip(), f"{path.name}: metadata.llr.title"
    if "per_place" in meta:
        assert isinstance(meta["per_place"], bool), f"{path.name}: per_place must be true or false"
    if "role" in meta:
        assert meta["role"] in ROLES, f"{path.name}: role {meta['role']!r} not one of {sorted(ROLES)}"
    if "order" in meta:
        assert isinstance(meta["order"], int) and not isinstance(meta["order"], bool), (
            f"{path.name}: order must be an integer"
        )
    if "output" in meta:
        assert isinstance(meta["output"], str) and meta["output"].endswith(".ipynb"), f"{path.name}: output"
        assert "/" not in meta["output"] and ".." not in meta["output"], f"{path.name}: output must be a file name"
    if "inputs" in meta:
        assert isinstance(meta["inputs"], list) and all(isinstance(g, str) and g for g in meta["inputs"]), (
            f"{path.name}: inputs must be a list of globs"
        )
    if meta.get("role", "topic") == "topic":
        assert meta.get("per_place", True) is True, f"{path.name}: a topic page is built per place"


def test_one_home_page_and_distinct_topic_orders():
    metas = {p.name: _read(p).metadata.get("llr", {}) for p in NOTEBOOKS}
    homes = [n for n, m in metas.items() if m.get("role") == "home"]
    assert len(homes) == 1, f"notebooks with role 'home': {homes} (need exactly one)"
    assert metas[homes[0]].get("per_place") is False, "the home page is built once, not per place"
    orders = [m["order"] for m in metas.values() if m.get("role", "topic") == "topic" and "order" in m]
    assert len(orders) == len(set(orders)), f"two topics share a navigation order: {sorted(orders)}"
