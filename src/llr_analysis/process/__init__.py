"""Processing steps: raw files -> validated, tidy tables in data/processed.

Each step reads raw files by the publishers' column names, validates them, and returns the
tables it makes. :func:`run` writes a step's tables only when every check passed, each via a
temporary file then an atomic rename, so a failed step leaves data/processed as it was.
Steps are registered with :func:`step` in the topic modules of this package, which are discovered
(every module here is imported), so a new topic's steps need no list to be edited.
"""

from __future__ import annotations

import hashlib
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from llr_analysis.errors import BuildError, LLRError
from llr_analysis.paths import ProjectPaths


@dataclass(frozen=True)
class Step:
    name: str
    inputs: tuple[str, ...]  # dataset ids from the sources registry
    outputs: tuple[str, ...]  # table names, e.g. "geography/lsoa21"
    func: Callable[[ProjectPaths], dict[str, pd.DataFrame]]
    after: tuple[str, ...] = ()  # steps whose outputs this one reads
    optional_inputs: tuple[str, ...] = ()
    raw_folders: tuple[str, ...] = ()  # folders under data/raw read as a whole (e.g. API extracts)


STEPS: dict[str, Step] = {}


def step(name: str, inputs, outputs, after=(), optional_inputs=(), raw_folders=()):
    """Register a processing step (decorator)."""

    def register(func):
        STEPS[name] = Step(
            name, tuple(inputs), tuple(outputs), func, tuple(after), tuple(optional_inputs), tuple(raw_folders)
        )
        return func

    return register


def table_path(paths: ProjectPaths, table: str) -> Path:
    return paths.processed / f"{table}.parquet"


#: Tables read in this process, by (file, size, modification time): a notebook kernel runs many
#: notebooks that read the same tables. Callers get a copy, so the cache cannot be altered.
_TABLES: dict[tuple, pd.DataFrame] = {}


def read_table(table: str, paths: ProjectPaths | None = None) -> pd.DataFrame:
    """Read a processed table (GeoDataFrame when it holds geometry)."""
    from llr_analysis.paths import project_paths

    paths = paths or project_paths()
    _check_declared(table)
    p = table_path(paths, table)
    if not p.exists():
        raise LLRError(f"processed table {table!r} is missing ({p}): run `llr process` first")
    st = p.stat()
    key = (str(p.resolve()), st.st_size, st.st_mtime_ns)
    if key not in _TABLES:
        if len(_TABLES) > 64:
            _TABLES.clear()
        _TABLES[key] = _read_parquet(table, p)
    return _TABLES[key].copy()


def _check_declared(table: str) -> None:
    """In a notebook run, only the tables its metadata ``llr.inputs`` declares may be read (the build
    sets ``$LLR_INPUTS`` in the kernel: the run's cache key covers exactly those tables)."""
    import fnmatch
    import json
    import os

    declared = os.environ.get("LLR_INPUTS")
    if declared is not None and not any(fnmatch.fnmatch(table, pat) for pat in json.loads(declared)):
        raise LLRError(
            f"{os.environ.get('LLR_INPUTS_OF', 'this notebook')} reads the processed table {table!r}, which its "
            f"metadata llr.inputs does not declare ({', '.join(json.loads(declared)) or 'none'}): add it there"
        )


def _read_parquet(table: str, p: Path) -> pd.DataFrame:
    import pyarrow.parquet as pq

    try:
        meta = pq.read_schema(p).metadata or {}
        if b"geo" in meta:
            import geopandas as gpd

            return gpd.read_parquet(p)
        return pd.read_parquet(p)
    except (OSError, ValueError, pa_errors()) as exc:
        raise LLRError(
            f"processed table {table!r} is corrupt or truncated ({p}: {exc}): run `llr process` "
            "(it rebuilds tables whose content changed) or `llr process --force`"
        ) from None


def pa_errors() -> type[Exception]:
    import pyarrow

    return pyarrow.ArrowException


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
    """Import every module of this package: a topic's module registers its steps with :func:`step`
    (adding ``process/<topic>.py`` is all it takes for its steps to run)."""
    import importlib
    import pkgutil

    for info in pkgutil.iter_modules(__path__):
        importlib.import_module(f"{__name__}.{info.name}")


def steps_for_tables(patterns: list[str]) -> list[str]:
    """The steps that make the processed tables matching ``patterns`` (globs such as ``deprivation/*``,
    as notebooks list them in ``metadata.llr.inputs``); with their upstream steps via :func:`ordered_steps`."""
    import fnmatch

    _load_all_modules()
    return sorted(
        st.name for st in STEPS.values() if any(fnmatch.fnmatch(out, pat) for out in st.outputs for pat in patterns)
    )


def ordered_steps(names: list[str] | None = None) -> list[Step]:
    _load_all_modules()
    wanted = set(STEPS) if names is None else set(names)
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


def _sha(path: Path, cache: dict[Path, str] | None = None) -> str:
    from llr_analysis.fetch.sources import sha256_of

    if cache is None:
        return sha256_of(path)
    if path not in cache:
        cache[path] = sha256_of(path)
    return cache[path]


def _folder_files(paths: ProjectPaths, folder: str) -> list[Path]:
    """Files of a raw folder read as a whole (hidden files and fetch staging folders left out)."""
    base = paths.raw / folder
    if not base.exists():
        return []
    return sorted(
        f
        for f in base.rglob("*")
        if f.is_file() and not any(part.startswith(".") for part in f.relative_to(base).parts)
    )


def step_hash(st: Step, paths: ProjectPaths, upstream: dict[str, str], cache: dict[Path, str] | None = None) -> str:
    """Content hash of a step's raw inputs, the processing code and its upstream steps."""
    from llr_analysis.fetch.sources import get_dataset
    from llr_analysis.hashing import step_code_hash

    h = hashlib.sha256(st.name.encode())
    for ds_id in st.inputs + st.optional_inputs:
        f = get_dataset(ds_id).raw_path(paths)
        h.update(f"{ds_id}:{_sha(f, cache) if f.exists() else 'absent'}".encode())
    for folder in st.raw_folders:
        for f in _folder_files(paths, folder):
            h.update(f"{f.relative_to(paths.raw)}:{_sha(f, cache)}".encode())
    h.update(step_code_hash(st.func).encode())  # the step's module and the modules it imports, transitively
    from llr_analysis.places import places_file

    other = places_file()  # another places file ($LLR_PLACES): its content, like the packaged one's
    if other is not None:
        h.update(f"places:{_sha(other, cache) if other.is_file() else 'absent'}".encode())
    for dep in st.after:
        h.update(upstream.get(dep, "").encode())
    return h.hexdigest()


def verify_inputs(st: Step, paths: ProjectPaths, lock: dict, cache: dict[Path, str] | None = None) -> None:
    """Every raw file the step reads is in the lock, with the checksum recorded when it was fetched.

    Runs on every processing run, with or without a fetch before it (``llr build --no-fetch``
    calls :func:`run` directly). A file changed after fetch, or a file no fetch recorded (left by
    a failed fetch, or copied in by hand), is a :class:`~llr_analysis.errors.FetchError` naming
    the file and both checksums.
    """
    from llr_analysis.errors import FetchError
    from llr_analysis.fetch.sources import get_dataset

    by_file = {e.get("file"): (k, e) for k, e in lock.get("datasets", {}).items() if isinstance(e, dict)}
    files: list[tuple[Path, str | None]] = []
    for ds_id in st.inputs + st.optional_inputs:
        f = get_dataset(ds_id).raw_path(paths)
        if f.exists() or ds_id in st.inputs:
            files.append((f, ds_id))
    for folder in st.raw_folders:
        files += [(f, None) for f in _folder_files(paths, folder)]
    for f, file_ds in files:
        rel = f"data/raw/{f.relative_to(paths.raw).as_posix()}"
        if not f.exists():
            continue  # the step's reader names the dataset and says to run `llr fetch`
        key, entry = (file_ds, lock["datasets"].get(file_ds)) if file_ds else by_file.get(rel, (None, None))
        if entry is None:
            raise FetchError(
                f"{rel}: not recorded in {paths.lock_file.name} (no fetch recorded this file: left by a failed "
                f"or interrupted fetch, or copied in by hand). Processing uses only fetched files: run "
                f"`llr fetch{' ' + file_ds if file_ds else '-fingertips'}`, or delete the file."
            )
        recorded = str(entry.get("sha256", ""))
        actual = _sha(f, cache)
        if actual != recorded:
            raise FetchError(
                f"{rel}: the file was modified after it was fetched: its sha256 is {actual}, but "
                f"{paths.lock_file.name} records {recorded or 'no checksum'} for {key}. Run `llr fetch` to "
                "restore the fetched file (or `llr fetch --refresh` to review and accept a new version)."
            )


def _stamp(paths: ProjectPaths, name: str) -> Path:
    return paths.processed / ".steps" / f"{name}.hash"


def _read_stamp(stamp: Path) -> dict:
    """A step's cache record: ``{"hash": <step hash>, "outputs": {table: sha256}}`` ({} if unusable)."""
    import json

    try:
        rec = json.loads(stamp.read_text())
    except (OSError, ValueError):
        return {}
    return rec if isinstance(rec, dict) and isinstance(rec.get("outputs"), dict) else {}


def _write_stamp(stamp: Path, digest: str, outputs: dict[str, str]) -> None:
    import json

    stamp.parent.mkdir(parents=True, exist_ok=True)
    tmp = stamp.with_suffix(".tmp")
    tmp.write_text(json.dumps({"hash": digest, "outputs": outputs}, indent=1, sort_keys=True) + "\n")
    tmp.replace(stamp)


def _reusable(st: Step, paths: ProjectPaths, digest: str, log) -> bool:
    """The step's tables can be reused: same inputs and code, and every table as it was written."""
    from llr_analysis.fetch.sources import sha256_of

    stamp = _stamp(paths, st.name)
    if not stamp.exists():
        return False
    rec = _read_stamp(stamp)
    if rec.get("hash") != digest or not set(st.outputs) <= set(rec["outputs"]):
        return False
    for t in rec["outputs"]:
        p = table_path(paths, t)
        if not p.exists():
            log(f"process {st.name}: {p.name} is missing - rebuilding")
            return False
        actual = sha256_of(p)
        if actual != rec["outputs"].get(t):
            log(
                f"process {st.name}: {t}.parquet changed or is corrupt since it was written "
                f"(sha256 {actual[:12]}…, recorded {str(rec['outputs'].get(t))[:12]}…) - rebuilding"
            )
            return False
    return True


def _run_step(st: Step, paths: ProjectPaths, digest: str) -> tuple[list[Path], list[str]]:
    """Run one step: its function, the plausibility and completeness checks, then the atomic writes.

    Returns the files written and the lines to log. Runs in the calling process or a worker.
    """
    from llr_analysis.fetch.sources import sha256_of
    from llr_analysis.process import checks

    stamp = _stamp(paths, st.name)
    stamp.unlink(missing_ok=True)
    lines = []
    t0 = time.perf_counter()
    try:
        tables = st.func(paths)
        missing = set(st.outputs) - set(tables)
        if missing:
            raise BuildError("process", f"step '{st.name}' did not produce {sorted(missing)}")
        own = tables.pop(f"quality/known_gaps_{st.name}", None)  # gaps a step records itself
        gaps = checks.check_tables(tables, f"step '{st.name}'")  # each table's schema; its known gaps
        if own is not None and len(own):
            gaps = pd.concat([gaps, own], ignore_index=True) if len(gaps) else own.reset_index(drop=True)
        for g in gaps.itertuples():
            lines.append(
                f"process {st.name}: known gap, recorded in quality/known_gaps: {g.table} {g.column} for "
                f"{g.area_code} ({g.rows} rows): {g.reason}"
            )
        tables = {**tables, f"quality/known_gaps_{st.name}": gaps}
    except BuildError:
        raise
    except LLRError as exc:
        raise BuildError("process", f"step '{st.name}': {exc}") from exc
    except Exception as exc:
        raise BuildError(
            "process",
            f"step '{st.name}' failed unexpectedly: {type(exc).__name__}: {exc} (inputs: {', '.join(st.inputs)})",
        ) from exc
    written = _write(paths, tables)
    _write_stamp(stamp, digest, {t: sha256_of(table_path(paths, t)) for t in tables})
    lines.append(f"process {st.name}: {', '.join(tables)} ({time.perf_counter() - t0:.1f}s)")
    return written, lines


def _step_in_worker(name: str, root: Path, digest: str) -> tuple[list[Path], list[str]]:
    ordered_steps([name])  # registers the steps in this process
    return _run_step(STEPS[name], ProjectPaths(root), digest)


def run(
    paths: ProjectPaths, names: list[str] | None = None, log=print, force: bool = False, workers: int = 1
) -> dict[str, list[Path]]:
    """Run processing steps in dependency order; stop at the first failure.

    Before anything runs, every raw file a step reads is checked against the lock
    (:func:`verify_inputs`). A step whose inputs, code and upstream steps are unchanged since its
    last success, and whose tables are byte-for-byte what it wrote (sha256 recorded in its cache
    record), is skipped unless ``force``; a truncated or altered table is rebuilt, with a line
    saying so. Every table a step returns is validated against its registered pandera schema
    (:data:`llr_analysis.process.checks.SCHEMAS`: columns, plausibility and completeness) before it is written. With ``workers`` > 1, steps whose upstream steps are done run at the
    same time, each in its own process.
    """
    from llr_analysis.errors import FetchError
    from llr_analysis.fetch.sources import read_lock

    out: dict[str, list[Path]] = {}
    hashes: dict[str, str] = {}
    cache: dict[Path, str] = {}
    steps = ordered_steps(names)
    lock = read_lock(paths)
    for st in steps:
        try:
            verify_inputs(st, paths, lock, cache)
        except FetchError as exc:
            raise BuildError("process", f"step '{st.name}': {exc}") from exc
    todo = []
    for st in steps:  # a step's digest depends on its upstream steps' digests, not on their tables
        hashes[st.name] = step_hash(st, paths, hashes, cache)
        if not force and _reusable(st, paths, hashes[st.name], log):
            log(f"process {st.name}: unchanged")
        else:
            todo.append(st)
    if workers <= 1 or len(todo) <= 1:
        for st in todo:
            out[st.name], lines = _run_step(st, paths, hashes[st.name])
            for line in lines:
                log(line)
        return out
    from concurrent.futures import FIRST_COMPLETED, ProcessPoolExecutor, wait

    pending = {st.name: st for st in todo}
    running: dict = {}
    with ProcessPoolExecutor(max_workers=workers) as pool:
        while pending or running:
            for name, st in list(pending.items()):
                if len(running) < workers and not any(dep in pending or dep in running.values() for dep in st.after):
                    running[pool.submit(_step_in_worker, name, paths.root, hashes[name])] = name
                    del pending[name]
            finished, _ = wait(running, return_when=FIRST_COMPLETED)
            for fut in finished:
                name = running.pop(fut)
                try:
                    out[name], lines = fut.result()
                except BaseException:
                    for other in running:
                        other.cancel()
                    raise
                for line in lines:
                    log(line)
    return out
