"""``llr build``: fetch -> process -> notebooks -> stage -> render (Quarto) -> check -> publish.

Everything is written into ``build/`` first. ``site/`` is replaced only when every step succeeded (an
atomic rename), so a failed build leaves the previous site untouched and exits non-zero naming the step.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import time
from dataclasses import dataclass, field
from pathlib import Path

from llr_analysis import process
from llr_analysis.errors import BuildError, LLRError, os_error_text
from llr_analysis.fetch import sources
from llr_analysis.paths import ProjectPaths
from llr_analysis.website.check import check_site
from llr_analysis.website.notebooks import cell_timeout, execute, plan
from llr_analysis.website.render import RenderResult, find_quarto, render, render_timeout
from llr_analysis.website.sitepages import locality_pages, sources_page


@dataclass
class BuildReport:
    timings: dict[str, float] = field(default_factory=dict)
    pages: list[Path] = field(default_factory=list)
    executed: int = 0
    skipped: int = 0
    site: Path | None = None


def _progress(runs, log):
    """A progress bar while notebooks run (tqdm on a terminal, one line per run otherwise)."""
    import sys

    if sys.stderr.isatty():
        from tqdm import tqdm

        bar = tqdm(total=len(runs), desc="notebooks", unit="run", leave=False)
        return lambda run: (bar.update(1), bar.set_postfix_str(run.label))
    return lambda run: log(f"  executed {run.label}")


def vega_bundle(paths: ProjectPaths) -> Path:
    """The one Vega/Vega-Lite/Vega-Embed script the site loads (cached under build/)."""
    import altair as alt
    import vl_convert as vlc

    version = ".".join(alt.SCHEMA_VERSION.lstrip("v").split(".")[:2])
    # vl_convert's own stub (__init__.pyi) omits __version__, which the module has, and types
    # javascript_bundle's snippet as required, though None (the default) gives the standard bundle.
    vlc_version = vlc.__version__  # type: ignore[attr-defined]
    cached = paths.build / "cache" / f"vega-bundle-vl{version}-vlc{vlc_version}.js"
    if not cached.exists():
        cached.parent.mkdir(parents=True, exist_ok=True)
        tmp = cached.with_suffix(".tmp")
        tmp.write_text(vlc.javascript_bundle(vl_version=version))  # type: ignore[call-arg]
        tmp.replace(cached)
    return cached


def _packaged_asset(name: str) -> bytes:
    from importlib import resources

    return resources.files("llr_analysis").joinpath(f"assets/{name}").read_bytes()


def stage_files(paths: ProjectPaths, runs=(), stage: Path | None = None) -> dict[str, bytes | Path]:
    """What the Quarto project of a build holds: ``{relative path: content or file to copy}``.

    The generated ``_quarto.yml`` (navigation from places.yml and the notebooks' metadata),
    hand-written pages, the Data sources page, the site's assets and, for each run, the executed
    notebook and its CSV downloads.
    """
    import yaml

    from llr_analysis.website.config_text import fill
    from llr_analysis.website.navigation import config_yaml, quarto_config

    stage = stage or paths.stage
    files: dict[str, bytes | Path] = {}
    # hand-written pages name no place: {ics_name} etc. are filled from the places file
    for f in sorted(paths.pages.rglob("*")) if paths.pages.exists() else []:
        if f.is_file():
            files[str(f.relative_to(paths.pages))] = (
                fill(f.read_text("utf-8"), paths).encode() if f.suffix == ".qmd" else f
            )
    files["sources.qmd"] = sources_page(paths).encode()
    for rel, text in locality_pages(runs, paths).items():
        files[rel] = text.encode()
    files["assets/vega-bundle.js"] = vega_bundle(paths)
    for name in ("llr-charts.js", "site.css", "favicon.svg", "a11y.html"):
        files[f"assets/{name}"] = _packaged_asset(name)
    # pages staged as Markdown, map geometry shared by pages (website/staging.py), Word versions (documents.py)
    from llr_analysis.website.documents import word_documents
    from llr_analysis.website.staging import geometry_files, staged_name, staged_page

    for run in runs:
        files[staged_name(run.output)] = staged_page(run, paths.executed / run.output, runs)
    files.update(geometry_files(paths.executed, runs))
    files.update(word_documents(paths, runs))
    for run in runs:
        downloads = paths.executed / run.downloads
        if downloads.exists():
            for f in sorted(downloads.rglob("*")):
                if f.is_file():
                    files[str(f.relative_to(paths.executed))] = f
    base = yaml.safe_load(paths.quarto_yml.read_text(encoding="utf-8")) or {}
    qmd = {
        stage / k: (v.read_text(encoding="utf-8") if isinstance(v, Path) else v.decode())
        for k, v in files.items()
        if k.endswith(".qmd")
    }
    files["_quarto.yml"] = config_yaml(quarto_config(base, list(runs), qmd, stage)).encode()
    return files


#: Files Quarto keeps in the project between builds (its output and its index): never pruned.
_QUARTO_OWN = ("_site", ".quarto")


def assemble_stage(paths: ProjectPaths, runs=(), stage: Path | None = None) -> Path:
    """Bring the Quarto project in ``stage`` (default build/stage) up to date with this build.

    Files are written only when their content changed and files no longer part of the build are
    removed, so the renderer can tell what changed; Quarto's own ``_site`` and ``.quarto`` stay.
    """
    stage = stage or paths.stage
    stage.mkdir(parents=True, exist_ok=True)
    files = stage_files(paths, runs, stage)
    for name, content in files.items():
        data = content.read_bytes() if isinstance(content, Path) else content
        dest = stage / name
        if dest.is_file() and dest.stat().st_size == len(data) and dest.read_bytes() == data:
            continue
        dest.parent.mkdir(parents=True, exist_ok=True)
        tmp = dest.with_name(dest.name + ".tmp")
        tmp.write_bytes(data)
        tmp.replace(dest)
    for f in sorted(stage.rglob("*"), reverse=True):
        rel = f.relative_to(stage)
        if rel.parts[0] in _QUARTO_OWN:
            continue
        if f.is_file() and str(rel) not in files:
            f.unlink()
        elif f.is_dir() and not any(f.iterdir()):
            f.rmdir()
    return stage


PAGE_SUFFIXES = (".ipynb", ".qmd", ".md")


def input_digests(stage: Path) -> dict[str, str]:
    """sha256 of every file of the Quarto project (not its output or index)."""
    import hashlib

    out = {}
    for f in sorted(stage.rglob("*")):
        rel = f.relative_to(stage)
        if f.is_file() and rel.parts[0] not in _QUARTO_OWN:
            out[str(rel)] = hashlib.sha256(f.read_bytes()).hexdigest()
    return out


def render_plan(before: dict[str, str] | None, now: dict[str, str]) -> list[str] | None:
    """What to re-render: ``None`` for the whole project, else the pages (or whole folders) that changed.

    A whole render is needed the first time, when a page was added or removed, or when anything
    but a page or a CSV download changed (configuration, stylesheet, scripts, ...).
    """
    if before is None or set(before) != set(now):
        return None
    changed = [k for k in now if before[k] != now[k]]
    pages = [k for k in changed if k.endswith(PAGE_SUFFIXES)]
    others = [k for k in changed if not k.endswith(PAGE_SUFFIXES)]
    if any(not (k.endswith(".csv") and "-data/" in k) for k in others):
        return None
    targets: list[str] = []
    by_folder: dict[str, list[str]] = {}
    for k in pages:
        by_folder.setdefault(str(Path(k).parent), []).append(k)
    for folder, changed_pages in sorted(by_folder.items()):
        all_pages = [k for k in now if str(Path(k).parent) == folder and k.endswith(PAGE_SUFFIXES)]
        if folder != "." and len(changed_pages) == len(all_pages) and len(all_pages) > 1:
            targets.append(folder)
        else:
            targets.extend(sorted(changed_pages))
    return targets


def _sync_resources(stage: Path) -> None:
    """Copy what pages load or link beside them into the rendered site: the CSV download folders
    (stale files removed) and the site's scripts in assets/. A whole render copies them too (the
    ``resources`` of _quarto.yml); a render of some pages, or of the project in parts, may not."""
    site = stage / "_site"
    for folder in sorted(
        {p.parent for p in stage.rglob("*-data/*.csv") if p.relative_to(stage).parts[0] not in _QUARTO_OWN}
    ):
        dest = site / folder.relative_to(stage)
        if dest.exists():
            shutil.rmtree(dest)
        shutil.copytree(folder, dest)
    for f in sorted((stage / "assets").glob("*")):
        if f.suffix in (".js", ".svg", ".css"):
            (site / "assets").mkdir(parents=True, exist_ok=True)
            shutil.copyfile(f, site / "assets" / f.name)


def _exchange(a: Path, b: Path) -> bool:
    """Swap two paths in one atomic step (Linux renameat2 RENAME_EXCHANGE); False where unsupported."""
    import ctypes
    import ctypes.util
    import sys

    if not sys.platform.startswith("linux"):
        return False
    try:
        libc = ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6", use_errno=True)
        renameat2 = libc.renameat2
    except (OSError, AttributeError):
        return False
    at_fdcwd, rename_exchange = -100, 2
    if renameat2(at_fdcwd, os.fsencode(a), at_fdcwd, os.fsencode(b), rename_exchange) == 0:
        return True
    err = ctypes.get_errno()
    if err in (22, 38, 95):  # EINVAL, ENOSYS, EOPNOTSUPP: the file system cannot exchange
        return False
    raise OSError(err, os.strerror(err), str(b))


def publish(new_site: Path, site: Path) -> None:
    """Put ``new_site`` in place of ``site`` so that ``site`` is at every instant the old or the new site.

    Both folders are swapped in one atomic step where the system allows it (Linux), and the old
    site (then at ``new_site``) is removed after. Files tracked in git inside ``site`` (its
    README.md) are carried over. An unwritable ``site`` is one clear error.
    """
    try:
        readme = site / "README.md"
        if readme.exists() and not (new_site / "README.md").exists():
            shutil.copyfile(readme, new_site / "README.md")
        if site.exists() and _exchange(new_site, site):
            shutil.rmtree(new_site, ignore_errors=True)
            return
        old = site.with_name(site.name + ".old")
        if old.exists():
            shutil.rmtree(old)
        if site.exists():
            site.rename(old)
        new_site.rename(site)
        if old.exists():
            shutil.rmtree(old)
    except OSError as exc:
        raise BuildError(
            "publish",
            f"cannot replace {site}: {exc.strerror or exc} (is the folder writable?); the site was not changed",
        ) from None


def recover(paths: ProjectPaths) -> list[str]:
    """Repair what a build killed half-way left behind; returns what was done (for the log).

    A site moved aside (``site.old``) while ``site`` is missing is put back; half-written sites in
    ``build/`` are removed.
    """
    done = []
    for site in (paths.site, paths.build / "site-partial"):
        old = site.with_name(site.name + ".old")
        if old.exists() and not site.exists():
            old.rename(site)
            done.append(f"restored {site} from an interrupted publish")
        elif old.exists():
            shutil.rmtree(old)
    for leftover in (paths.build / "site.new", paths.build / "site-partial.new"):
        if leftover.exists():
            shutil.rmtree(leftover)
            done.append(f"removed {leftover.name} left by an interrupted build")
    return done


class BuildLock:
    """One writing command at a time in a project folder (an exclusive lock on ``build/.lock``).

    Every command that writes (fetch, fetch-fingertips, process, notebooks, render, build) takes it:
    a second one in the same folder stops at once with a message naming the running one. The lock
    belongs to the process that took it: it is released when that process ends, however it ends.
    Children never keep it (their copy is closed when they are forked, see
    :mod:`llr_analysis.website.lifetime`), and they die with the build; a lock left to orphans of a
    build that is gone is waited for a few seconds, then reported with their process ids. A lock
    taken after a build that was killed says so.
    """

    #: Seconds to wait for the processes of a build that is gone to end (they die with their parent).
    ORPHAN_WAIT = 10.0

    def __init__(self, paths: ProjectPaths, command: str = "build", log=None):
        self.path = paths.build / ".lock"
        self.command = command
        self.log = log
        self.fd: int | None = None

    @staticmethod
    def _owner(text: str) -> int | None:
        import re

        m = re.match(r"\s*pid (\d+)", text)
        return int(m.group(1)) if m else None

    @staticmethod
    def _alive(pid: int | None) -> bool:
        if pid is None:
            return True
        try:
            os.kill(pid, 0)
        except ProcessLookupError:
            return False
        except PermissionError:
            return True
        return True

    def _holders(self) -> list[int]:
        """Processes that have the lock file open (Linux /proc), for the message."""
        out: list[int] = []
        try:
            target = os.stat(self.path)
        except OSError:
            return out
        for proc in Path("/proc").glob("[0-9]*"):
            try:
                for fd in (proc / "fd").iterdir():
                    st = os.stat(fd)
                    if (st.st_dev, st.st_ino) == (target.st_dev, target.st_ino) and int(proc.name) != os.getpid():
                        out.append(int(proc.name))
                        break
            except OSError:
                continue
        return sorted(out)

    def __enter__(self):
        import fcntl

        from llr_analysis.website import lifetime

        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            fd = os.open(self.path, os.O_RDWR | os.O_CREAT | os.O_CLOEXEC, 0o644)
        except OSError as exc:
            raise BuildError(
                "start", f"cannot create the lock {self.path}: {exc.strerror or exc} (is the folder writable?)"
            ) from None
        waited = 0.0
        while True:
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except BlockingIOError:
                holder = os.pread(fd, 200, 0).decode(errors="replace").strip() or "another process"
                owner = self._owner(holder)
                if not self._alive(owner) and waited < self.ORPHAN_WAIT:
                    time.sleep(0.5)  # the owner is gone: its workers end with it
                    waited += 0.5
                    continue
                os.close(fd)
                if not self._alive(owner):
                    pids = self._holders()
                    raise BuildError(
                        "start",
                        f"the lock {self.path} of a build that is gone ({holder}) is still held by "
                        f"process(es) {', '.join(map(str, pids)) or 'unknown'}; end them (kill <pid>), then run again",
                    ) from None
                raise BuildError(
                    "start",
                    f"another build or command is running in {self.path.parent.parent} ({holder}); "
                    f"wait for it to finish, then run `llr {self.command}` again",
                ) from None
        previous = os.pread(fd, 200, 0).decode(errors="replace").strip()
        if previous and not self._alive(self._owner(previous)):
            (self.log or (lambda m: print(m, file=__import__("sys").stderr)))(
                f"lock: taking over {self.path.relative_to(self.path.parent.parent)} from a command that "
                f"ended without releasing it ({previous}; that process is gone)"
            )
        os.ftruncate(fd, 0)
        os.pwrite(
            fd, f"pid {os.getpid()}, llr {self.command}, started {time.strftime('%Y-%m-%d %H:%M:%S')}".encode(), 0
        )
        self.fd = fd
        lifetime.install(fd)
        return self

    def __exit__(self, *exc):
        import fcntl

        from llr_analysis.website import lifetime

        if self.fd is not None:
            lifetime.release(self.fd)
            with contextlib.suppress(OSError):
                os.ftruncate(self.fd, 0)  # a clean end leaves no owner to take over from
            fcntl.flock(self.fd, fcntl.LOCK_UN)
            os.close(self.fd)
            self.fd = None


def render_and_publish(
    paths: ProjectPaths,
    stage: Path,
    target: Path,
    *,
    force: bool = False,
    partial: bool = False,
    timed=None,
    log=print,
    workers: int = 1,
) -> tuple[RenderResult | None, Path]:
    """Render ``stage`` (only what changed since its last render), check, and publish to ``target``.

    Returns the render result (None when the published site was already rendered from this exact
    stage) and the published folder. ``target`` is replaced only when render and check pass.
    """
    import json

    timed = timed or (lambda step, fn: fn())
    manifest = stage.parent / f"{stage.name}.rendered.json"  # inputs of the last good render
    stamp = paths.build / f"{target.name}.stage-hash"  # ... and of the site published at target
    now = input_digests(stage)
    digest = _digest(now)
    before = json.loads(manifest.read_text()) if manifest.exists() and not force else None
    if before == now and stamp.exists() and stamp.read_text().strip() == digest and (target / "index.html").exists():
        log(f"render: {target} is up to date (nothing changed)")
        return None, target
    only = render_plan(before, now) if (stage / "_site" / "index.html").exists() else None
    if only is not None and workers > 1 and _share_of_pages(only, now) > WHOLE_RENDER_SHARE:
        only = None  # most pages changed (e.g. the profile notebook): a whole render in parallel parts is faster
    manifest.unlink(missing_ok=True)  # a render that fails half-way leaves no claim to be current

    def do_render():
        result = render(stage, only, root=paths.root, workers=workers)
        _sync_resources(stage)
        return result

    result = timed("render", do_render)
    what = "the whole site" if only is None else ", ".join(only)
    log(f"render: {what} ({len(result.pages)} pages in the site)")
    new_site = paths.build / f"{target.name}.new"
    if new_site.exists():
        shutil.rmtree(new_site)
    shutil.copytree(stage / "_site", new_site)

    def run_check():
        problems = check_site(new_site)
        if partial:  # pages outside a partial build are missing by design
            problems = [p for p in problems if p.kind != "broken link"]
        if problems:
            raise BuildError("check", f"{len(problems)} problem(s); first: {problems[0]}")

    timed("check", run_check)
    manifest.write_text(json.dumps(now, indent=0, sort_keys=True))
    timed("publish", lambda: publish(new_site, target))
    stamp.write_text(digest + "\n")
    return result, target


#: Above this share of a site's pages to re-render, one whole render split between the workers is
#: faster than Quarto re-rendering the changed folders one after another.
WHOLE_RENDER_SHARE = 0.5


def _share_of_pages(targets: list[str], files: dict[str, str]) -> float:
    """The share of the project's pages that ``targets`` (pages or folders) re-render."""
    pages = [k for k in files if k.endswith(PAGE_SUFFIXES)]
    hit = [k for k in pages if any(k == t or k.startswith(t.rstrip("/") + "/") for t in targets)]
    return len(hit) / len(pages) if pages else 0.0


def _digest(files: dict[str, str]) -> str:
    import hashlib
    import json

    return hashlib.sha256(json.dumps(files, sort_keys=True).encode()).hexdigest()


def build(
    paths: ProjectPaths,
    *,
    mirror: Path | None = None,
    fetch: bool = True,
    places=None,
    topics=None,
    workers: int | None = None,
    force: bool = False,
    parameters: dict | None = None,
    log=print,
) -> BuildReport:
    report = BuildReport()
    os.environ["LLR_ROOT"] = str(paths.root)

    def timed(step: str, fn):
        t0 = time.perf_counter()
        try:
            result = fn()
        except BuildError:
            raise
        except LLRError as exc:
            raise BuildError(step, str(exc)) from exc
        except OSError as exc:  # disk full, read-only folder, ...: the step and the path, no traceback
            raise BuildError(step, os_error_text(exc)) from None
        report.timings[step] = time.perf_counter() - t0
        log(f"{step}: done in {report.timings[step]:.1f}s")
        return result

    find_quarto(paths.root)  # fail at once, not after the notebooks, when Quarto is missing
    try:  # time limits that cannot work are refused before any work
        cell_timeout(paths)
        render_timeout()
    except BuildError:
        raise
    except LLRError as exc:
        raise BuildError("start", str(exc)) from None
    with BuildLock(paths, "build", log=log):
        for line in recover(paths):
            log(f"recovered: {line}")
        return _build(
            paths,
            report,
            timed,
            mirror=mirror,
            fetch=fetch,
            places=places,
            topics=topics,
            workers=workers,
            force=force,
            parameters=parameters,
            log=log,
        )


def _build(paths, report, timed, *, mirror, fetch, places, topics, workers, force, parameters, log) -> BuildReport:
    # bad parameters stop the build here, before any work; locality profiles are planned after
    # processing, because which localities exist is read from the processed tables
    first = plan(paths, places=places, topics=topics, parameters=parameters, with_profiles=False)
    if fetch:
        timed("fetch", lambda: sources.fetch(paths, mirror=mirror, log=log))
    workers = workers or os.cpu_count() or 1
    steps = None
    if topics:  # only the steps that make the tables these notebooks read (metadata.llr.inputs)
        from llr_analysis.topics import notebook_topic

        notebooks = {r.notebook for r in first} | {
            nb
            for nb in paths.notebooks.glob("*.ipynb")
            if nb.stem in topics and notebook_topic(nb).role == "locality-profile"
        }
        patterns = [pat for nb in notebooks for pat in (notebook_topic(nb).inputs or ("*", "*/*"))]
        steps = process.steps_for_tables(patterns)
    timed("process", lambda: process.run(paths, steps, log=log, force=force, workers=workers))
    runs = plan(paths, places=places, topics=topics, parameters=parameters)
    done, skipped = timed(
        "notebooks",
        lambda: execute(
            runs,
            paths.executed,
            paths.root,
            workers=workers,
            paths=paths,
            force=force,
            progress=_progress(runs, log),
            log=log,
        ),
    )
    report.executed, report.skipped = len(done), len(skipped)
    # A partial build (--place/--topic) has its own Quarto project and never replaces the full site:
    # it goes to build/site-partial, with navigation to the pages it built only.
    partial = bool(places or topics)
    stage = paths.build / "stage-partial" if partial else paths.stage
    target = paths.build / "site-partial" if partial else paths.site
    timed("stage", lambda: assemble_stage(paths, runs, stage))
    result, report.site = render_and_publish(
        paths, stage, target, force=force, partial=partial, timed=timed, log=log, workers=workers
    )
    if result is not None:
        report.pages = result.pages
    if partial:
        log(f"partial build published to {report.site} (site/ is only replaced by a full build)")
    return report
