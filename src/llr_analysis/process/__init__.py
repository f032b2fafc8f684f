"""Processing steps: raw files -> validated, tidy tables in data/processed.

Each step reads raw files by the publishers' column names, validates them, and returns the
tables it makes. :func:`run` writes a step's tables only when every check passed, each via a
temporary file then an atomic rename, so a failed step leaves data/processed as it was.
Steps are registered with :func:`step` in topic modules (geography, deprivation, ...).
"""

from __future__ import annotations

import hashlib
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Callable

import pandas as pd

from ..errors import BuildError, LLRError
from ..paths import ProjectPaths


@dataclass(frozen=True)
class Step:
    name: str
    inputs: tuple[str, ...]          # dataset ids from the sources registry
    outputs: tuple[str, ...]         # table names, e.g. "geography/lsoa21"
    func: Callable[[ProjectPaths], dict[str, pd.DataFrame]]
    after: tuple[str, ...] = ()      # steps whose outputs this one reads
    optional_inputs: tuple[str, ...] = ()
    raw_folders: tuple[str, ...] = ()  # folders under data/raw read as a whole (e.g. API extracts)


STEPS: dict[str, Step] = {}


def step(name: str, inputs, outputs, after=(), optional_inputs=(), raw_folders=()):
    """Register a processing step (decorator)."""
    def register(func):
        STEPS[name] = Step(name, tuple(inputs), tuple(outputs), func, tuple(after), tuple(optional_inputs),
                           tuple(raw_folders))
        return func
    return register


def table_path(paths: ProjectPaths, table: str) -> Path:
    return paths.processed / f"{table}.parquet"


def read_table(table: str, paths: ProjectPaths | None = None) -> pd.DataFrame:
    """Read a processed table (GeoDataFrame when it holds geometry)."""
    from ..paths import project_paths
    paths = paths or project_paths()
    p = table_path(paths, table)
    if not p.exists():
        raise LLRError(f"processed table {table!r} is missing ({p}): run `llr process` first")
    import pyarrow.parquet as pq
    meta = pq.read_schema(p).metadata or {}
    if b"geo" in meta:
        import geopandas as gpd
        return gpd.read_parquet(p)
    return pd.read_parquet(p)


def _write(paths: ProjectPaths, tables: dict[str, pd.DataFrame]) -> list[Path]:
    written = []
    staged = []
    for name, df in tables.items():
        target = table_path(paths, name)
        target.parent.mkdir(parents=True, exist_ok=True)
        tmp = target.with_suffix(".parquet.tmp")
        df.to_parquet(tmp, index=False)
        staged.append((tmp, target))
    for tmp, target in staged:
        tmp.replace(target)
        written.append(target)
    return written


def _load_all_modules() -> None:
    # Importing the topic modules registers their steps.
    from . import geography, deprivation  # noqa: F401
    for optional in ("population", "life_expectancy", "screening"):
        try:
            __import__(f"{__name__}.{optional}")
        except ModuleNotFoundError as exc:
            if exc.name != f"{__name__}.{optional}":
                raise


def ordered_steps(names: list[str] | None = None) -> list[Step]:
    _load_all_modules()
    wanted = set(names or STEPS)
    order: list[Step] = []
    seen: set[str] = set()

    def visit(n: str):
        if n in seen:
            return
        seen.add(n)
        for dep in STEPS[n].after:
            visit(dep)
        order.append(STEPS[n])

    for n in sorted(wanted):
        if n not in STEPS:
            raise LLRError(f"unknown processing step {n!r}; known: {sorted(STEPS)}")
        visit(n)
    return order


def step_hash(st: Step, paths: ProjectPaths, upstream: dict[str, str]) -> str:
    """Content hash of a step's raw inputs, the processing code and its upstream steps."""
    from ..sources import get_dataset, sha256_of
    from ..notebooks import code_hash
    h = hashlib.sha256(st.name.encode())
    for ds_id in st.inputs + st.optional_inputs:
        f = get_dataset(ds_id).raw_path(paths)
        h.update(f"{ds_id}:{sha256_of(f) if f.exists() else 'absent'}".encode())
    for folder in st.raw_folders:
        for f in sorted((paths.raw / folder).rglob("*")):
            if f.is_file():
                h.update(f"{f.relative_to(paths.raw)}:{sha256_of(f)}".encode())
    h.update(code_hash().encode())   # any change to llr_analysis (e.g. screening's place rule) reruns steps
    for dep in st.after:
        h.update(upstream.get(dep, "").encode())
    return h.hexdigest()


def _stamp(paths: ProjectPaths, name: str) -> Path:
    return paths.processed / ".steps" / f"{name}.hash"


def run(paths: ProjectPaths, names: list[str] | None = None, log=print, force: bool = False
        ) -> dict[str, list[Path]]:
    """Run processing steps in dependency order; stop at the first failure.

    A step whose inputs, code and upstream steps are unchanged since its last success (and whose
    tables exist) is skipped, unless ``force``.
    """
    out = {}
    hashes: dict[str, str] = {}
    for st in ordered_steps(names):
        digest = hashes[st.name] = step_hash(st, paths, hashes)
        stamp = _stamp(paths, st.name)
        if (not force and stamp.exists() and stamp.read_text().strip() == digest
                and all(table_path(paths, t).exists() for t in st.outputs)):
            log(f"process {st.name}: unchanged")
            continue
        stamp.unlink(missing_ok=True)
        t0 = time.perf_counter()
        try:
            tables = st.func(paths)
        except LLRError as exc:
            raise BuildError("process", f"step '{st.name}': {exc}") from exc
        except Exception as exc:  # noqa: BLE001 - a reader failed in a way no check anticipated
            raise BuildError("process", f"step '{st.name}' failed unexpectedly: {type(exc).__name__}: {exc} "
                                        f"(inputs: {', '.join(st.inputs)})") from exc
        missing = set(st.outputs) - set(tables)
        if missing:
            raise BuildError("process", f"step '{st.name}' did not produce {sorted(missing)}")
        out[st.name] = _write(paths, tables)
        stamp.parent.mkdir(parents=True, exist_ok=True)
        stamp.write_text(digest + "\n")
        log(f"process {st.name}: {', '.join(tables)} ({time.perf_counter() - t0:.1f}s)")
    return out
