"""Execute the topic notebooks with papermill: once per place, into the build stage.

Each notebook in ``notebooks/`` declares itself in its metadata (``metadata.llr``):
``title`` (the topic's name), ``per_place`` (run once per place, default true) and
``output`` (where a site-wide notebook goes, e.g. ``index.ipynb``). A per-place run writes
``<stage>/<topic>/<place>.ipynb`` with a front-matter cell (title, breadcrumbs) added at
the top for the renderer. A failing cell stops the build with the notebook, place and cell.
"""

from __future__ import annotations

import os
from concurrent.futures import ProcessPoolExecutor, as_completed
from dataclasses import dataclass, field
from pathlib import Path

import nbformat
import yaml

from .errors import BuildError, ParameterError
from .paths import ProjectPaths
from .places import get_place, load_places

KERNEL = "python3"


@dataclass(frozen=True)
class Run:
    notebook: Path               # source notebook
    topic: str
    title: str
    place: str | None
    output: Path                 # executed notebook, relative to the stage
    parameters: dict = field(default_factory=dict)

    @property
    def label(self) -> str:
        return f"{self.notebook.name}" + (f" for {self.place}" if self.place else "")


def notebook_meta(path: Path) -> dict:
    nb = nbformat.read(path, as_version=4)
    meta = dict(nb.metadata.get("llr", {}))
    meta.setdefault("title", path.stem.replace("_", " ").capitalize())
    meta.setdefault("per_place", True)
    return meta


def plan(paths: ProjectPaths, places: list[str] | None = None, topics: list[str] | None = None,
         parameters: dict | None = None) -> list[Run]:
    """Every (notebook, place) run of a build."""
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
    for nb in sources:
        meta = notebook_meta(nb)
        if meta["per_place"]:
            for p in place_ids:
                runs.append(Run(nb, nb.stem, meta["title"], p, Path(nb.stem) / f"{p}.ipynb",
                                {"place": p, **(parameters or {})}))
        else:
            runs.append(Run(nb, nb.stem, meta["title"], None, Path(meta.get("output", f"{nb.stem}.ipynb")),
                            dict(parameters or {})))
    return runs


def front_matter(run: Run) -> str:
    cfg = load_places()
    if run.place:
        place = cfg.places[run.place]
        fm = {"title": f"{run.title}: {place.name}",
              "subtitle": f"{place.name} ({place.type.lower()}, {place.code})",
              "topic": run.topic, "place": run.place,
              "breadcrumbs": [{"text": "Home", "href": "index.qmd"},
                              {"text": run.title},
                              {"text": place.name, "href": f"{run.topic}/{run.place}.ipynb"}]}
    else:
        fm = {"title": run.title, "topic": run.topic}
    return "---\n" + yaml.safe_dump(fm, sort_keys=False, allow_unicode=True) + "---"


def _execute(run: Run, stage: Path, root: Path) -> Path:
    """Run one notebook (in a worker process). Returns the executed notebook's path."""
    import papermill as pm

    out = stage / run.output
    out.parent.mkdir(parents=True, exist_ok=True)
    os.environ["LLR_STAGE"] = str(stage)
    os.environ["LLR_ROOT"] = str(root)
    try:
        pm.execute_notebook(str(run.notebook), str(out), parameters=run.parameters, kernel_name=KERNEL,
                            cwd=str(out.parent), progress_bar=False, log_output=False,
                            request_save_on_cell_execute=False)
    except pm.PapermillExecutionError as exc:
        raise BuildError("notebooks", f"{run.label}: cell {exc.cell_index} (execution count {exc.exec_count}) "
                         f"raised {exc.ename}: {exc.evalue}") from None
    except Exception as exc:  # kernel died, notebook unreadable, ...
        raise BuildError("notebooks", f"{run.label}: {type(exc).__name__}: {exc}") from None
    nb = nbformat.read(out, as_version=4)
    nb.cells.insert(0, nbformat.v4.new_raw_cell(front_matter(run)))
    nb.cells[0]["id"] = "front-matter"
    nbformat.write(nb, out)
    return out


def execute(runs: list[Run], stage: Path, root: Path, workers: int = 1, progress=None) -> list[Path]:
    """Execute runs, ``workers`` at a time. The first failure stops the build (BuildError)."""
    if workers <= 1:
        done = []
        for r in runs:
            done.append(_execute(r, stage, root))
            if progress:
                progress(r)
        return done
    done = []
    with ProcessPoolExecutor(max_workers=workers) as pool:
        futures = {pool.submit(_execute, r, stage, root): r for r in runs}
        for fut in as_completed(futures):
            try:
                done.append(fut.result())
            except BuildError:
                for f in futures:
                    f.cancel()
                raise
            if progress:
                progress(futures[fut])
    return done
