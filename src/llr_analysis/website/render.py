"""Render the staged Quarto project with the Quarto CLI, the site's one renderer.

Which ``quarto`` runs (:func:`find_quarto`), first found of:

1. ``$LLR_QUARTO`` (a path to the executable);
2. ``.tools/quarto/bin/quarto`` in the project (what ``make quarto`` installs from
   ``../shared/tools/quarto`` on machines without internet);
3. ``quarto`` beside the running Python (``pip install quarto-cli==1.7.34`` in the virtualenv);
4. ``quarto`` on ``PATH``.

It must be Quarto 1.7 (the version the site is built and tested with); anything else is an
error that says how to install it.

:func:`render` renders the whole project, or only some of its inputs (``quarto render <input>``
for each changed page, or for a folder when all of its pages changed), into the project's
``_site`` folder, which is kept between builds so that an incremental render updates it in place
(Quarto keeps its search index in ``.quarto/``).
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from llr_analysis.errors import BuildError

#: The Quarto release series the site is built with (``make quarto`` installs 1.7.34).
QUARTO_SERIES = "1.7"
QUARTO_VERSION = "1.7.34"
OUTPUT_DIR = "_site"


class RenderError(BuildError):
    """Rendering failed; ``file`` names the file (project, page) at fault."""

    def __init__(self, file: str | Path, problem: str):
        self.file = str(file)
        self.problem = problem
        super().__init__("render", f"{self.file}: {problem}")

    def __reduce__(self):
        return (type(self), (self.file, self.problem))


@dataclass
class RenderResult:
    """What a render did: the HTML pages of the site (relative to its folder) and the inputs rendered."""

    pages: list[Path]
    rendered: list[str] = field(default_factory=list)  # ["."] for the whole project
    seconds: float = 0.0


def _candidates(root: Path | None) -> list[Path]:
    found = []
    if os.environ.get("LLR_QUARTO"):
        found.append(Path(os.environ["LLR_QUARTO"]))
    if root is not None:
        found.append(root / ".tools" / "quarto" / "bin" / "quarto")
    found.append(Path(sys.prefix) / "bin" / "quarto")
    on_path = shutil.which("quarto")
    if on_path:
        found.append(Path(on_path))
    return found


def quarto_version(exe: Path) -> str:
    try:
        proc = subprocess.run([str(exe), "--version"], capture_output=True, text=True, timeout=120, check=False)
    except OSError:
        return ""
    return proc.stdout.strip().splitlines()[-1] if proc.returncode == 0 and proc.stdout.strip() else ""


def find_quarto(root: Path | None = None) -> Path:
    """The Quarto 1.7 executable to use (see the module docstring), or a RenderError saying how to get one."""
    seen = []
    if os.environ.get("LLR_QUARTO"):  # chosen on purpose: used, or an error, never passed over
        exe = Path(os.environ["LLR_QUARTO"])
        version = quarto_version(exe) if exe.is_file() and os.access(exe, os.X_OK) else ""
        if not version.startswith(QUARTO_SERIES + "."):
            known = version[:1].isdigit()
            what = f"is version {version}" if known else "is not an executable Quarto (no version number)"
            raise RenderError(
                "quarto",
                f"Quarto {QUARTO_SERIES}.x not found: LLR_QUARTO={exe} {what}; point LLR_QUARTO to a Quarto "
                f"{QUARTO_SERIES} executable, or unset it to use the one `make quarto` installs ({QUARTO_VERSION})",
            )
        return Path(os.path.abspath(exe))
    for exe in _candidates(root):
        if exe.is_file() and os.access(exe, os.X_OK):
            version = quarto_version(exe)
            if version.startswith(QUARTO_SERIES + "."):
                return Path(os.path.abspath(exe))
            seen.append(f"{exe} is version {version or 'unknown'}")
    detail = ("; ".join(seen) + ". ") if seen else ""
    raise RenderError(
        "quarto",
        f"Quarto {QUARTO_SERIES}.x not found. {detail}Run `make quarto` (installs Quarto "
        f"{QUARTO_VERSION} from ../shared/tools/quarto when present, otherwise "
        f"`pip install quarto-cli=={QUARTO_VERSION}`), or set LLR_QUARTO to a Quarto {QUARTO_SERIES} "
        "executable.",
    )


def _run(quarto: Path, project: Path, target: str) -> None:
    cmd = [str(quarto), "render", target, "--no-clean"] if target != "." else [str(quarto), "render", "."]
    env = {**os.environ, "QUARTO_LOG_LEVEL": os.environ.get("QUARTO_LOG_LEVEL", "WARNING")}
    proc = _run_limited(cmd, project, env, " ".join(cmd))
    if proc.returncode != 0:
        detail = (proc.stderr or proc.stdout or "").strip()
        if len(detail) > 6000:
            detail = "...\n" + detail[-6000:]
        raise RenderError(project / target, f"quarto render failed (exit {proc.returncode}): {' '.join(cmd)}\n{detail}")


#: Seconds one ``quarto render`` may take ($LLR_RENDER_TIMEOUT, ``llr build --render-timeout``).
DEFAULT_RENDER_TIMEOUT = 1800


def render_timeout() -> float:
    """The time limit of one ``quarto render``, in seconds ($LLR_RENDER_TIMEOUT, default 1800)."""
    raw = os.environ.get("LLR_RENDER_TIMEOUT") or str(DEFAULT_RENDER_TIMEOUT)
    try:
        limit = float(raw)
    except ValueError:
        limit = -1.0
    if not limit > 0:
        raise RenderError("LLR_RENDER_TIMEOUT", f"must be a number of seconds above 0, got {raw!r}")
    return limit


def _run_limited(cmd: list[str], project: Path, env: dict, what: str) -> subprocess.CompletedProcess:
    """Run Quarto in a process group of its own that dies with the build (see
    :mod:`llr_analysis.website.lifetime`), ended as a whole after the time limit or on Ctrl-C."""
    from llr_analysis.website import lifetime

    limit = render_timeout()
    proc = subprocess.Popen(
        cmd, cwd=project, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, **lifetime.popen_kwargs()
    )
    watchdog = lifetime.watch_group(proc.pid)
    try:
        out, err = proc.communicate(timeout=limit)
    except subprocess.TimeoutExpired:
        lifetime.kill_group(proc)
        proc.communicate()
        raise RenderError(
            project,
            f"quarto render did not finish within {limit:g} s and was stopped ({what}); raise the limit with "
            "--render-timeout SECONDS or LLR_RENDER_TIMEOUT if the site is only large",
        ) from None
    except BaseException:  # Ctrl-C, or the build stopping: Quarto and its children end too
        lifetime.kill_group(proc)
        proc.wait()
        raise
    finally:
        lifetime.stop_watch(watchdog)
    return subprocess.CompletedProcess(cmd, proc.returncode, out, err)


PAGE_SUFFIXES = (".ipynb", ".qmd", ".md")
_QUARTO_OWN = (OUTPUT_DIR, ".quarto")


def _pages(project: Path) -> list[str]:
    """The pages Quarto renders in ``project`` (its ``project.render`` list)."""
    import yaml

    cfg = yaml.safe_load((project / "_quarto.yml").read_text(encoding="utf-8")) or {}
    listed = (cfg.get("project") or {}).get("render")
    if listed:
        return [str(p) for p in listed]
    return sorted(
        str(f.relative_to(project))
        for f in project.rglob("*")
        if f.suffix in PAGE_SUFFIXES
        and f.relative_to(project).parts[0] not in _QUARTO_OWN
        and not f.name.startswith("_")
    )


def _shards(sizes: dict[str, int], n: int) -> list[list[str]]:
    """Pages in ``n`` groups of about equal work (largest first, each to the lightest group)."""
    groups: list[list[str]] = [[] for _ in range(n)]
    load = [0] * n
    for name, size in sorted(sizes.items(), key=lambda kv: (-kv[1], kv[0])):
        i = load.index(min(load))
        groups[i].append(name)
        load[i] += size
    return [sorted(g) for g in groups if g]


def _linked_copy(project: Path, dest: Path, pages: list[str], keep: Callable[[Path], bool] | None = None) -> None:
    """A copy of the project's inputs (hard links: instant, no extra space) without Quarto's output,
    whose ``_quarto.yml`` renders only ``pages``; ``keep(relative path)`` may leave more files out."""
    import yaml

    if dest.exists():
        shutil.rmtree(dest)
    for f in project.rglob("*"):
        rel = f.relative_to(project)
        if rel.parts[0] in _QUARTO_OWN or not f.is_file() or str(rel) == "_quarto.yml":
            continue
        if keep is not None and not keep(rel):
            continue
        (dest / rel).parent.mkdir(parents=True, exist_ok=True)
        try:
            os.link(f, dest / rel)
        except OSError:
            shutil.copyfile(f, dest / rel)
    cfg = yaml.safe_load((project / "_quarto.yml").read_text(encoding="utf-8")) or {}
    cfg.setdefault("project", {})["render"] = pages
    (dest / "_quarto.yml").write_text(yaml.safe_dump(cfg, sort_keys=False, allow_unicode=True), encoding="utf-8")


def _output(page: str) -> str:
    return page.rsplit(".", 1)[0] + ".html"


def _merge_sites(parts: list[tuple[Path, list[str]]], site: Path) -> None:
    """One site from sites rendered in parts: each part's own pages, everything else once, and the
    union of the search indexes."""
    import json

    site.mkdir(parents=True)
    entries: list[dict] = []  # search.json entries of the pages each part owns
    for part_site, pages in parts:
        own = {_output(p) for p in pages}
        index = part_site / "search.json"
        if index.exists():
            entries.extend(
                e for e in json.loads(index.read_text(encoding="utf-8")) if e.get("href", "").split("#")[0] in own
            )
        for f in part_site.rglob("*"):
            rel = f.relative_to(part_site)
            dest = site / rel
            if not f.is_file() or str(rel) == "search.json":
                continue
            if str(rel) in own or not dest.exists():  # a part's redirect index.html never replaces the page
                dest.parent.mkdir(parents=True, exist_ok=True)
                shutil.copyfile(f, dest)
    (site / "search.json").write_text(json.dumps(entries, indent=2, ensure_ascii=False), encoding="utf-8")


def _render_whole(quarto: Path, project: Path, workers: int) -> list[str]:
    """Render every page. With ``workers`` > 1 the pages are split between that many Quarto runs at
    once, each in its own hard-linked copy of the project that renders only its share, and the
    outputs merged. Quarto converts one page at a time, so one run keeps one core busy; the site's
    navigation links to output addresses (.html), so every page's links hold whichever run made it."""
    pages = _pages(project)
    shards = _shards({p: (project / p).stat().st_size + 200_000 for p in pages}, workers) if workers > 1 else []
    if len(shards) < 2:
        _run(quarto, project, ".")
        return ["."]
    from concurrent.futures import ThreadPoolExecutor

    copies = [project.parent / f"{project.name}.part{i}" for i in range(len(shards))]
    try:
        for copy, share in zip(copies, shards, strict=True):
            _linked_copy(project, copy, share)
        with ThreadPoolExecutor(max_workers=len(shards)) as pool:
            for fut in [pool.submit(_run, quarto, copy, ".") for copy in copies]:
                fut.result()
        _merge_sites(
            [(copy / OUTPUT_DIR, share) for copy, share in zip(copies, shards, strict=True)], project / OUTPUT_DIR
        )
    finally:
        for copy in copies:
            shutil.rmtree(copy, ignore_errors=True)
    return pages


def render(project: Path, only: list[str] | None = None, *, root: Path | None = None, workers: int = 1) -> RenderResult:
    """Render the Quarto project ``project`` into ``project/_site``.

    ``only`` lists inputs (pages or folders, relative to ``project``) to re-render into the
    existing ``_site``; ``None`` renders the whole project from scratch, in ``workers`` Quarto
    processes at once.
    """
    project = Path(project).resolve()
    if not (project / "_quarto.yml").is_file():
        raise RenderError(project / "_quarto.yml", "missing: not a Quarto project")
    quarto = find_quarto(root)
    t0 = time.perf_counter()
    if only is None:
        if (project / OUTPUT_DIR).exists():
            shutil.rmtree(project / OUTPUT_DIR)
        targets = _render_whole(quarto, project, workers)
    else:
        targets = list(only)
        for target in targets:
            _run(quarto, project, target)
    site = project / OUTPUT_DIR
    pages = sorted(p.relative_to(site) for p in site.rglob("*.html") if "site_libs" not in p.parts)
    if not pages:
        raise RenderError(project, "quarto render produced no HTML pages")
    return RenderResult(pages=pages, rendered=targets, seconds=time.perf_counter() - t0)
