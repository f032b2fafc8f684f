"""Execute the topic notebooks once per place: papermill parameters, cached, in parallel.

Parameters are injected by papermill (the ``injected-parameters`` cell after the ``parameters``
cell); cells run with nbclient on one kernel per worker process, reused across notebooks.

Each notebook in ``notebooks/`` declares itself in its metadata (``metadata.llr``):
``title`` (the topic's name), ``per_place`` (run once per place, default true),
``output`` (where a site-wide notebook goes, e.g. ``index.ipynb``), ``inputs`` (globs of
the processed tables it reads, required: a run that reads a table outside them fails, naming the
notebook and the table) and ``choices`` (the values a parameter may take, checked before any work). A per-place run writes
``build/executed/<topic>/<place>.ipynb`` (plus its ``<place>-data/`` CSV downloads) with a
front-matter cell (title, breadcrumbs) added at the top for the renderer.

Cache: beside each executed notebook, ``<place>.hash`` records a content hash of the source
notebook, its parameters, the processed tables it declares in ``inputs`` and the llr_analysis
modules its cells import, transitively (:mod:`llr_analysis.hashing`). A run whose hash is
unchanged is skipped; ``force=True`` runs everything. A failing cell, or a cell that runs longer
than the time limit (:func:`cell_timeout`), stops the build with the notebook, place and cell
named; the first failure stops every other run.
"""

from __future__ import annotations

import atexit
import contextlib
import hashlib
import html
import json
import os
import shutil
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import nbformat
import yaml

from llr_analysis.errors import BuildError, ParameterError
from llr_analysis.hashing import notebook_code_hash
from llr_analysis.paths import ProjectPaths
from llr_analysis.places import get_place, load_places
from llr_analysis.topics import Topic, notebook_topic

KERNEL = "python3"

#: Seconds a notebook cell may run (``--cell-timeout``, ``$LLR_CELL_TIMEOUT``, ``[tool.llr] cell-timeout``).
DEFAULT_CELL_TIMEOUT = 300


def cell_timeout(paths: ProjectPaths | None = None) -> float:
    """The time limit of one notebook cell, in seconds: ``$LLR_CELL_TIMEOUT`` (set by ``--cell-timeout``),
    else ``cell-timeout`` in ``[tool.llr]`` of pyproject.toml, else :data:`DEFAULT_CELL_TIMEOUT`."""
    raw = os.environ.get("LLR_CELL_TIMEOUT")
    where = "LLR_CELL_TIMEOUT"
    if not raw and paths is not None:
        raw = paths.settings().get("cell-timeout")
        where = "[tool.llr] cell-timeout"
    if raw in (None, ""):
        return float(DEFAULT_CELL_TIMEOUT)
    try:
        value = float(raw)
    except (TypeError, ValueError):
        value = -1.0
    if not value > 0:
        raise ParameterError(f"{where} must be a number of seconds above 0, got {raw!r}")
    return value


@dataclass(frozen=True)
class Run:
    notebook: Path  # source notebook
    topic: str
    title: str
    place: str | None
    output: Path  # executed notebook, relative to the stage
    parameters: dict = field(default_factory=dict)
    role: str = "topic"  # home | place-summary | topic | locality-profile (see llr_analysis.website.navigation)
    order: int = 99  # the topic's position in the navigation
    locality: tuple[str, str, str] | None = None  # (level, code, name) of a locality profile

    @property
    def page_title(self) -> str:
        """The page's title (h1)."""
        if self.locality:
            from llr_analysis.analysis.localities.targets import locality_title

            return locality_title(self.locality[0], self.locality[2])
        return self.title

    @property
    def label(self) -> str:
        if self.locality:
            return f"{self.notebook.name} for {self.locality[0]} {self.locality[1]}"
        return f"{self.notebook.name}" + (f" for {self.place}" if self.place else "")

    @property
    def downloads(self) -> Path:
        """The folder of CSV downloads the run writes beside its notebook (see Page)."""
        stem = self.output.stem if self.locality else (self.place or self.topic)
        return self.output.parent / f"{stem}-data"

    @property
    def hash_file(self) -> Path:
        return self.output.with_suffix(".hash")


#: Parameters the build sets for each run; they name the page, so they cannot be overridden.
BUILD_PARAMETERS = ("place", "level", "code")
#: The folder of the locality profile pages: ``localities/<place>/<level>-<code>.ipynb``.
LOCALITIES_FOLDER = "localities"


def declared_parameters(path: Path) -> dict[str, object]:
    """The parameters a notebook declares: ``name = default`` in its cell tagged ``parameters``."""
    import ast

    nb = nbformat.read(path, as_version=4)
    cells = [c for c in nb.cells if "parameters" in c.metadata.get("tags", [])]
    out: dict[str, object] = {}
    for cell in cells:
        for node in ast.parse(cell.source).body:
            if isinstance(node, ast.Assign) and len(node.targets) == 1 and isinstance(node.targets[0], ast.Name):
                try:
                    out[node.targets[0].id] = ast.literal_eval(node.value)
                except ValueError:
                    out[node.targets[0].id] = None
    return out


def check_parameters(parameters: dict, declared: dict[Path, dict]) -> None:
    """Refuse parameters the build owns (``place``: use ``--place``) and parameters no notebook has
    (``declared``: each notebook's :func:`declared_parameters`)."""
    owned = sorted(set(parameters) & set(BUILD_PARAMETERS))
    if owned:
        hint = "choose places with --place" if owned[0] == "place" else "every locality profile is built"
        raise ParameterError(
            f"parameter {owned[0]!r} is set by the build for each page and cannot be given with --param ({hint})"
        )
    valid = sorted({k for names in declared.values() for k in names} - set(BUILD_PARAMETERS))
    unknown = sorted(set(parameters) - set(valid))
    if unknown:
        raise ParameterError(f"unknown parameter(s) {unknown}; the notebooks of this build take: {', '.join(valid)}")


def _typed(name: str, value, default, notebook: Path):
    """A --param value (text) as the type of the notebook's default (int, float, bool or text)."""
    if not isinstance(value, str) or default is None or isinstance(default, str):
        return value
    try:
        if isinstance(default, bool):
            if value.lower() not in ("true", "false"):
                raise ValueError(value)
            return value.lower() == "true"
        return type(default)(value)
    except ValueError:
        raise ParameterError(
            f"parameter {name!r} of {notebook.name} must be {type(default).__name__} "
            f"(default {default!r}); got {value!r}"
        ) from None


def _check_choices(notebook: Path, values: dict) -> None:
    """Refuse a parameter value the notebook does not offer (``metadata.llr.choices``), before any work."""
    import json as _json

    meta = _json.loads(notebook.read_text(encoding="utf-8")).get("metadata", {}).get("llr", {})
    choices = meta.get("choices") or {}
    for name, value in values.items():
        allowed = choices.get(name)
        fold = lambda v: v.strip().lower() if isinstance(v, str) else v  # noqa: E731
        if allowed and fold(value) not in [fold(a) for a in allowed]:
            raise ParameterError(
                f"parameter {name!r} of {notebook.name} cannot be {value!r}: it takes "
                f"{', '.join(repr(a) for a in allowed)} (metadata.llr.choices of the notebook)"
            )


def plan(
    paths: ProjectPaths,
    places: list[str] | None = None,
    topics: list[str] | None = None,
    parameters: dict | None = None,
    with_profiles: bool = True,
) -> list[Run]:
    """Every (notebook, place) run of a build, and a run per locality of a ``locality-profile`` notebook.

    ``parameters`` (from ``--param``) go to the notebooks that declare them; a parameter the build
    sets itself (place, level, code) or that no notebook of the build declares is refused. The
    localities come from processed data (:func:`llr_analysis.analysis.localities.profile_targets`),
    so ``with_profiles=False`` plans the other runs before processing.
    """
    cfg = load_places()
    place_ids = [get_place(p).id for p in places] if places else list(cfg.places)
    runs = []
    sources = sorted(paths.notebooks.glob("*.ipynb"))
    if topics:
        known = {s.stem for s in sources}
        unknown = sorted(set(topics) - known)
        if unknown:
            raise ParameterError(f"unknown topic notebook(s) {unknown}; known: {sorted(known)}")
        sources = [s for s in sources if s.stem in topics]
    parameters = dict(parameters or {})
    declared = {nb: declared_parameters(nb) for nb in sources}
    check_parameters(parameters, declared)
    for nb in sources:
        topic = notebook_topic(nb)
        if not topic.inputs:
            raise ParameterError(
                f"{nb.name} declares no inputs: add the processed tables it reads to its metadata "
                'llr.inputs, e.g. "inputs": ["population/*", "geography/lsoa21"] (globs under data/processed)'
            )
        own = {k: _typed(k, v, declared[nb][k], nb) for k, v in parameters.items() if k in declared[nb]}
        _check_choices(nb, own)
        if topic.role == "locality-profile":
            if with_profiles:
                runs.extend(_profile_runs(nb, topic, own, place_ids, paths))
        elif topic.per_place:
            for p in place_ids:
                out = Path(nb.stem) / f"{p}.ipynb"
                runs.append(Run(nb, nb.stem, topic.title, p, out, {**own, "place": p}, topic.role, topic.order))
        else:
            out = Path(topic.output or f"{nb.stem}.ipynb")
            runs.append(Run(nb, nb.stem, topic.title, None, out, own, topic.role, topic.order))
    return runs


def _profile_runs(nb: Path, topic: Topic, own: dict, place_ids: list[str], paths: ProjectPaths) -> list[Run]:
    from llr_analysis.analysis.localities import load as localities_load
    from llr_analysis.analysis.localities.targets import profile_targets

    runs = []
    for t in profile_targets(localities_load.load(paths)).itertuples():
        # The targets' columns are text; itertuples() is typed as scalars, so name the type once here.
        place, slug, level, code, name = str(t.place_id), str(t.slug), str(t.level), str(t.code), str(t.name)
        if place in place_ids:
            runs.append(
                Run(
                    nb,
                    nb.stem,
                    topic.title,
                    place,
                    Path(LOCALITIES_FOLDER) / place / f"{slug}.ipynb",
                    {**own, "level": level, "code": code},
                    topic.role,
                    topic.order,
                    locality=(level, code, name),
                )
            )
    return runs


def _sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def table_digests(paths: ProjectPaths) -> dict[Path, str]:
    """sha256 of every processed table (computed once per build, shared by all runs)."""
    return {t: _sha(t) for t in sorted(paths.processed.rglob("*.parquet"))}


def run_hash(run: Run, paths: ProjectPaths, code: str | None = None, tables: dict[Path, str] | None = None) -> str:
    """Content hash of everything a run depends on: the notebook, its parameters and page title, the
    processed tables it declares (``inputs``) and the code its cells import (``code``, default
    :func:`llr_analysis.hashing.notebook_code_hash` of the notebook)."""
    tables = table_digests(paths) if tables is None else tables
    code = notebook_code_hash(run.notebook) if code is None else code
    used = sorted({t for pat in notebook_topic(run.notebook).inputs for t in paths.processed.glob(f"{pat}.parquet")})
    h = hashlib.sha256()
    h.update(_sha(run.notebook).encode())
    h.update(json.dumps(run.parameters, sort_keys=True).encode())
    h.update(front_matter(run).encode())
    for t in used:
        h.update(str(t.relative_to(paths.processed)).encode())
        h.update(tables[t].encode())
    h.update(code.encode())
    return h.hexdigest()


def is_current(run: Run, executed: Path, digest: str, log=None) -> bool:
    """True when the executed notebook was made from exactly these inputs and is intact.

    The hash file holds the inputs' digest and the sha256 of the executed notebook as written; a
    notebook truncated or changed since is reported (``log``) and re-run, never reused.
    """
    hf = executed / run.hash_file
    out = executed / run.output
    if not hf.exists() or not out.exists():
        return False
    lines = hf.read_text().split()
    if not lines or lines[0] != digest:
        return False
    if len(lines) < 2 or lines[1] != _sha(out):
        if log:
            log(f"  {run.output} changed or is corrupt since it was executed - running it again")
        return False
    return True


def front_matter(run: Run) -> str:
    """Title and subtitle of a run's page (navigation and breadcrumbs come from the site config)."""
    cfg = load_places()
    fm: dict[str, str | bool | None]
    if run.locality:
        from llr_analysis.places import get_locality_level

        place = cfg.places[str(run.place)]
        level, code, _ = run.locality
        label = get_locality_level(level).label
        fm = {
            "title": run.page_title,
            "subtitle": f"{label} in {place.name} ({code})",
            "topic": run.topic,
            "place": run.place,
        }
    elif run.place:
        place = cfg.places[run.place]
        title = f"{place.name}: summary" if run.role == "place-summary" else f"{run.title}: {place.name}"
        fm = {
            "title": title,
            "subtitle": f"{place.name} ({place.type.lower()}, {place.code})",
            "topic": run.topic,
            "place": run.place,
        }
    else:
        fm = {"title": run.title, "topic": run.topic}
        if run.role == "home":
            fm["sidebar"] = False
    # Quarto reads titles as Markdown: names from configuration are escaped so they stay text.
    fm = {
        k: html.escape(v, quote=False) if k in ("title", "subtitle") and isinstance(v, str) else v
        for k, v in fm.items()
    }
    return "---\n" + yaml.safe_dump(fm, sort_keys=False, allow_unicode=True) + "---"


def _failed_cell(source: Path, index: int) -> str:
    """Name a failed cell as the analyst sees it: its number in the source notebook and its first line.

    ``index`` counts cells of the notebook as papermill ran it, where an injected-parameters cell
    follows the ``parameters`` cell.
    """
    try:
        cells = nbformat.read(source, as_version=4).cells
    except Exception:  # noqa: BLE001 - the message is still useful without the source line
        return f"cell {index}"
    params = next((i for i, c in enumerate(cells) if "parameters" in c.metadata.get("tags", [])), None)
    src_index = index - 1 if params is not None and index > params else index
    first = (
        next((ln for ln in cells[src_index].source.splitlines() if ln.strip()), "") if src_index < len(cells) else ""
    )
    return f"cell {src_index + 1} ({first.strip()[:80]!r})"


class _KernelSession:
    """One Jupyter kernel reused for every run a worker process executes.

    Starting a kernel and importing pandas/geopandas/altair costs a few seconds; that, not the data
    work, dominated each run. Before each notebook the kernel's namespace is cleared (``%reset -f``)
    and its working directory and environment are set, so runs do not see each other's variables;
    modules stay imported. A run that fails gets a fresh kernel for the next one.
    """

    def __init__(self):
        self.owner = None  # the NotebookClient that started (and owns) the kernel
        self.cell = -1  # the index of the cell running (for a time-limit message)

    def _started(self, cell=None, cell_index: int = -1, **_):
        self.cell = cell_index

    def client(self, nb, timeout: float = DEFAULT_CELL_TIMEOUT, log: Path | None = None):
        """A client for ``nb`` on this session's kernel (started on first use; its own messages go to
        ``log``, e.g. build/kernels.log, not to the build's terminal: cell errors come back through Jupyter)."""
        from nbclient import NotebookClient

        self.cell = -1
        kw: dict[str, Any] = {  # NotebookClient's traitlets options, of mixed types
            "timeout": int(max(1, round(timeout))),
            "kernel_name": KERNEL,
            "allow_errors": False,
            "on_cell_start": self._started,
        }
        if self.owner is None:
            self.owner = NotebookClient(nb, **kw)
            start: dict = {"cleanup_kc": False}
            if log is not None:
                log.parent.mkdir(parents=True, exist_ok=True)
                start["stderr"] = open(log, "ab")  # noqa: SIM115 - the kernel writes to it while it runs
            return self.owner, start
        return NotebookClient(nb, km=self.owner.km, **kw), {}

    def close(self):
        if self.owner is not None:
            try:
                self.owner._cleanup_kernel()
            finally:
                self.owner = None


_SESSION = _KernelSession()
atexit.register(_SESSION.close)


def _setup_cell(out: Path, stage: Path, root: Path, run: Run | None = None):
    from llr_analysis.website.lifetime import KERNEL_WATCH

    env = {"LLR_STAGE": str(stage), "LLR_ROOT": str(root)}
    if run is not None:  # the tables the notebook may read (checked by read_table) and who reads them
        env["LLR_INPUTS"] = json.dumps(list(notebook_topic(run.notebook).inputs))
        env["LLR_INPUTS_OF"] = run.label
    code = (
        "%reset -f\n"
        + KERNEL_WATCH
        + "import os as _os\n"
        + f"_os.chdir({str(out.parent)!r})\n"
        + "".join(f"_os.environ[{k!r}] = {v!r}\n" for k, v in env.items())
        + "".join(f"_os.environ[{k!r}] = {os.environ[k]!r}\n" for k in ("LLR_PLACES",) if os.environ.get(k))
        + "del _os"
    )
    cell = nbformat.v4.new_code_cell(code)
    cell["id"] = "llr-setup"
    return cell


def _execute(run: Run, stage: Path, root: Path, digest: str = "") -> Path:
    """Run one notebook in this process's kernel session. Returns the executed notebook's path.

    Parameters are injected the papermill way (a cell tagged ``injected-parameters`` after the
    cell tagged ``parameters``); execution uses nbclient on the reused kernel.
    """
    from nbclient.exceptions import CellExecutionError, CellTimeoutError, DeadKernelError
    from papermill.iorw import load_notebook_node
    from papermill.parameterize import parameterize_notebook

    out = stage / run.output
    out.parent.mkdir(parents=True, exist_ok=True)
    (stage / run.hash_file).unlink(missing_ok=True)
    if (stage / run.downloads).exists():
        shutil.rmtree(stage / run.downloads)
    os.environ["LLR_STAGE"] = str(stage)
    os.environ["LLR_ROOT"] = str(root)
    try:
        nb = parameterize_notebook(load_notebook_node(str(run.notebook)), run.parameters)
    except Exception as exc:  # noqa: BLE001 - unreadable notebook, bad parameters
        raise BuildError("notebooks", f"{run.label}: {type(exc).__name__}: {exc}") from None
    nb.cells.insert(0, _setup_cell(out, stage, root, run))
    limit = cell_timeout(ProjectPaths(root))
    client, kwargs = _SESSION.client(nb, limit, log=stage.parent / "kernels.log")
    try:
        client.execute(**kwargs)
    except CellTimeoutError:
        _SESSION.close()
        raise BuildError(
            "notebooks",
            f"{run.label}: {_failed_cell(run.notebook, _SESSION.cell - 1)} did not finish within the time limit "
            f"of {limit:g} s per cell; it was stopped (raise the limit with --cell-timeout SECONDS or "
            "LLR_CELL_TIMEOUT if the cell is only slow)",
        ) from None
    except CellExecutionError as exc:
        _SESSION.close()
        failed = next(
            (i for i, c in enumerate(nb.cells) if any(o.get("output_type") == "error" for o in c.get("outputs", []))), 0
        )
        where = ""
        if any(k in str(exc.evalue) for k in ("No space left", "Read-only file system", "Disk quota")):
            where = f" (the run writes its page and CSV downloads into {out.parent} and {stage / run.downloads})"
        raise BuildError(
            "notebooks",
            f"{run.label}: {_failed_cell(run.notebook, failed - 1)} raised {exc.ename}: {exc.evalue}{where}",
        ) from None
    except (DeadKernelError, Exception) as exc:  # noqa: BLE001 - kernel died, timeout, ...
        _SESSION.close()
        raise BuildError("notebooks", f"{run.label}: {type(exc).__name__}: {exc}") from None
    for i, cell in enumerate(nb.cells):
        if any(o.get("output_type") == "execute_result" for o in cell.get("outputs", [])):
            # a value left on a cell's last line would show on the page as raw text (or as text/html,
            # which makes Quarto load jQuery from a CDN): pages show things only through Page
            raise BuildError(
                "notebooks",
                f"{run.label}: {_failed_cell(run.notebook, i - 1)} returns a value, which would be shown "
                "on the page as raw text; show it through the page (page.table, page.markdown) or end the "
                "line with ';'",
            )
    nb.cells.pop(0)  # the setup cell
    nb.cells.insert(0, nbformat.v4.new_raw_cell(front_matter(run)))
    nb.cells[0]["id"] = "front-matter"
    tmp = out.with_name(out.name + ".tmp")
    try:
        nbformat.write(nb, tmp)
        tmp.replace(out)
        if digest:
            (stage / run.hash_file).write_text(f"{digest}\n{_sha(out)}\n")
    except OSError as exc:  # disk full, read-only: the run and the path
        from llr_analysis.errors import os_error_text

        tmp.unlink(missing_ok=True)
        raise BuildError(
            "notebooks", f"{run.label}: cannot write the executed notebook: {os_error_text(exc)}"
        ) from None
    return out


def execute(
    runs: list[Run],
    stage: Path,
    root: Path,
    workers: int = 1,
    progress=None,
    paths: ProjectPaths | None = None,
    force: bool = False,
    log=None,
) -> tuple[list[Run], list[Run]]:
    """Execute runs into ``stage``, ``workers`` at a time; skip runs whose hash is unchanged.

    Returns (executed, skipped). The first failure stops the build (BuildError).
    """
    from llr_analysis.paths import project_paths

    paths = paths or project_paths(root)
    cell_timeout(paths)  # a bad time limit is refused before any run
    codes = {nb: notebook_code_hash(nb) for nb in sorted({r.notebook for r in runs})}
    tables = table_digests(paths)
    digests = {r.output: run_hash(r, paths, codes[r.notebook], tables) for r in runs}
    todo = [r for r in runs if force or not is_current(r, stage, digests[r.output], log=log)]
    skipped = [r for r in runs if r not in todo]
    if workers <= 1 or len(todo) <= 1:
        try:
            for r in todo:
                _execute(r, stage, root, digests[r.output])
                if progress:
                    progress(r)
        finally:
            _SESSION.close()
        return todo, skipped
    _run_parallel(todo, stage, root, digests, workers, progress)
    return todo, skipped


def _run_parallel(todo: list[Run], stage: Path, root: Path, digests: dict, workers: int, progress) -> None:
    """Run ``todo`` in ``workers`` processes, at most one run per worker in flight: the first failure
    (or Ctrl-C) schedules nothing more and ends the workers at once (their kernels end with them)."""
    from concurrent.futures import FIRST_COMPLETED, wait

    pool = ProcessPoolExecutor(max_workers=workers)
    queue = list(todo)
    running: dict = {}
    ok = False
    try:
        while queue or running:
            while queue and len(running) < workers:
                r = queue.pop(0)
                running[pool.submit(_execute, r, stage, root, digests[r.output])] = r
            finished, _ = wait(running, return_when=FIRST_COMPLETED)
            for fut in finished:
                r = running.pop(fut)
                exc = fut.exception()
                if isinstance(exc, OSError):
                    from llr_analysis.errors import os_error_text

                    raise BuildError("notebooks", f"{r.label}: {os_error_text(exc)}") from None
                if exc is not None:
                    raise exc
                if progress:
                    progress(r)
        ok = True
    finally:
        if ok:
            pool.shutdown(wait=True)
        else:
            _stop_pool(pool)


def _stop_pool(pool: ProcessPoolExecutor) -> None:
    """End a pool's workers now (after a failure or Ctrl-C) instead of waiting for their runs."""
    procs = list((getattr(pool, "_processes", None) or {}).values())
    pool.shutdown(wait=False, cancel_futures=True)
    for p in procs:
        with contextlib.suppress(OSError, AttributeError):
            p.kill()
    for p in procs:
        with contextlib.suppress(OSError, AssertionError, AttributeError):
            p.join(timeout=5)
