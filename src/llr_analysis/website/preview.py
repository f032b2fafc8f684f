"""``llr preview``: the site on localhost, rebuilt as notebooks, pages and code change, the browser reloaded.

Like ``quarto preview`` for this project::

    .venv/bin/llr preview            # builds what is out of date, serves http://localhost:8000
    .venv/bin/llr preview --port 8100 --no-build

1. It brings the site up to date (an ordinary incremental ``llr build``) and serves the build's
   rendered Quarto project (``build/stage/_site``) on ``127.0.0.1``. Every HTML page it serves gets
   a small script that asks ``/__llr/version`` every half second and reloads the page when the
   version changes.
2. It watches ``notebooks/``, ``pages/`` and ``src/`` (polling, no extra package) and rebuilds only
   what a change touches:

   * a notebook whose code cells are unchanged (a text edit in its Markdown cells): its executed
     pages get the new text and only those pages are re-rendered by Quarto, without running any
     code, the page open in the browser first. A Quarto kept running for this (:class:`WarmQuarto`,
     ``quarto preview --no-serve`` of a copy of the stage) renders them one by one without Quarto's
     start-up (about 1 s of CPU a page instead of 4-5 s); more than a few pages, or if it fails, a
     Quarto of their own does (:func:`render_pages`);
   * anything else (a code cell, a page of ``pages/``, the package's code): an incremental
     ``llr build``, which re-runs only the notebooks whose inputs changed and re-renders only their
     pages.

   A failed rebuild is printed and the browser keeps the last good pages.

``site/`` is replaced only by the builds, as always: a text-only preview edit is shown from
``build/stage/_site`` and the pages it touched are marked as changed in the stage's record, so the
next ``llr build`` runs those notebooks for real and renders them again.
"""

from __future__ import annotations

import collections
import contextlib
import functools
import http.server
import json
import os
import subprocess
import threading
import time
import traceback
from pathlib import Path

from llr_analysis.paths import ProjectPaths

VERSION_PATH = "/__llr/version"
RELOAD_SCRIPT = (
    "<script>(function(){var v=null;function poll(){fetch('" + VERSION_PATH + "',{cache:'no-store'})"
    ".then(function(r){return r.text();}).then(function(t){if(v!==null&&t!==v){location.reload();}v=t;})"
    ".catch(function(){}).then(function(){setTimeout(poll,500);});}poll();})();</script>"
)
WATCHED = ("notebooks", "pages", "src")
SUFFIXES = (".ipynb", ".qmd", ".md", ".py", ".yml", ".yaml", ".css", ".js", ".html", ".svg")


class State:
    """The version the browser polls (bumped after each successful rebuild) and the last error."""

    def __init__(self):
        self.version = 0
        self.error = ""
        self.viewing = ""  # the last page the browser asked for (rendered first after a text edit)
        self.lock = threading.Lock()

    def bump(self) -> None:
        with self.lock:
            self.version += 1
            self.error = ""


def make_handler(site: Path, state: State):
    class Handler(http.server.SimpleHTTPRequestHandler):
        def log_message(self, *args):  # quiet: the terminal shows rebuilds, not requests
            pass

        def end_headers(self):
            self.send_header("Cache-Control", "no-store")
            super().end_headers()

        def do_GET(self):
            path = self.path.split("?", 1)[0].split("#", 1)[0]
            if path == VERSION_PATH:
                body = str(state.version).encode()
                self.send_response(200)
                self.send_header("Content-Type", "text/plain")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)
                return
            target = Path(self.translate_path(path))
            if target.is_dir():
                target = target / "index.html"
            if target.suffix == ".html" and target.is_file():
                state.viewing = str(target.relative_to(site))
                text = target.read_text(encoding="utf-8")
                text = (
                    text.replace("</body>", RELOAD_SCRIPT + "</body>", 1) if "</body>" in text else text + RELOAD_SCRIPT
                )
                body = text.encode("utf-8")
                self.send_response(200)
                self.send_header("Content-Type", "text/html; charset=utf-8")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)
                return
            super().do_GET()

    return functools.partial(Handler, directory=str(site))


def snapshot(paths: ProjectPaths) -> dict[Path, int]:
    """Modification times of the watched files (nanoseconds)."""
    out: dict[Path, int] = {}
    for name in WATCHED:
        folder = paths.root / name
        if folder.exists():
            for f in folder.rglob("*"):
                if f.suffix in SUFFIXES and f.is_file() and "__pycache__" not in f.parts:
                    with contextlib.suppress(OSError):  # removed while we looked
                        out[f] = f.stat().st_mtime_ns
    return out


def _cells(path: Path) -> list[tuple[str, str]]:
    nb = json.loads(path.read_text(encoding="utf-8"))
    return [
        (c["cell_type"], "".join(c["source"]) if isinstance(c["source"], list) else c["source"]) for c in nb["cells"]
    ]


def text_only_change(before: list[tuple[str, str]], after: list[tuple[str, str]]) -> bool:
    """True when only the text of Markdown cells changed (same cells, same code)."""
    if [k for k, _ in before] != [k for k, _ in after]:
        return False
    return all(b == a for b, a in zip(before, after, strict=True) if b[0] != "markdown")


def patch_markdown(executed_nb: dict, new_markdown: list[str]) -> dict:
    """The executed notebook with its Markdown cells' text replaced, in order (outputs untouched)."""
    cells = [c for c in executed_nb["cells"] if c["cell_type"] == "markdown"]
    if len(cells) != len(new_markdown):
        raise ValueError("the executed notebook's Markdown cells do not match the source's")
    for cell, text in zip(cells, new_markdown, strict=True):
        cell["source"] = text
    return executed_nb


def _page_project(stage: Path, dest: Path, pages: list[str]) -> None:
    """A hard-linked copy of the staged project's pages and assets (not its CSV downloads or map files:
    a page's raw HTML links to those, Quarto never reads them) whose render list is only ``pages``."""
    from llr_analysis.website.render import _linked_copy

    def page_or_asset(rel: Path) -> bool:
        return rel.suffix in (".md", ".qmd") or (rel.parts[0] == "assets" and not rel.name.startswith("geo-"))

    _linked_copy(stage, dest, pages, keep=page_or_asset)


class Steps:
    """Wall seconds of the named steps of one update, in order (``str`` gives "copy 0.1 s, quarto 3.9 s")."""

    def __init__(self):
        self.seconds: dict[str, float] = {}
        self._t = time.perf_counter()

    def done(self, name: str) -> None:
        now = time.perf_counter()
        self.seconds[name] = self.seconds.get(name, 0.0) + now - self._t
        self._t = now

    def __str__(self) -> str:
        return ", ".join(f"{k} {v:.1f} s" for k, v in self.seconds.items())


def render_pages(stage: Path, pages: list[str], root: Path, steps: Steps | None = None) -> None:
    """Render ``pages`` of the staged project into its ``_site`` quickly: Quarto renders a hard-linked
    copy of the project whose render list is only these pages (a render of some pages of the whole
    project makes Quarto walk all 200+ of them), and the pages are copied into ``_site``."""
    import shutil

    from llr_analysis.website.render import OUTPUT_DIR, _output, _run, find_quarto

    steps = steps or Steps()
    copy = stage.parent / f"{stage.name}.preview-{time.monotonic_ns()}"
    try:
        _page_project(stage, copy, pages)
        steps.done("copy")
        _run(find_quarto(root), copy, ".")
        steps.done("quarto")
        for page in pages:
            shutil.copyfile(copy / OUTPUT_DIR / _output(page), stage / OUTPUT_DIR / _output(page))
        steps.done("publish")
    finally:  # removed in the background: the browser can reload now
        threading.Thread(target=shutil.rmtree, args=(copy,), kwargs={"ignore_errors": True}).start()


PLACEHOLDER = "<!DOCTYPE html><html><body></body></html>\n"


def _copy_site(site: Path, dest: Path) -> None:
    """The rendered ``site`` as a warm Quarto needs it: ``quarto preview --render none`` renders at start
    the pages whose output is older than their input (all of them when there is none), and watches
    every file the others' outputs refer to, polling them every N ms for N files. So each page is a
    placeholder with its output's modification time (nothing rendered at start, nothing more to watch,
    and a placeholder is never published: only pages Quarto has rendered again are); the other files
    (``site_libs``, ``search.json``) are copied, not linked, as Quarto rewrites some in place.
    Downloads (CSV, Word) and map files are left out."""
    import shutil

    for f in site.rglob("*"):
        if not f.is_file() or f.suffix in (".csv", ".docx") or f.name.startswith("geo-"):
            continue
        target = dest / f.relative_to(site)
        target.parent.mkdir(parents=True, exist_ok=True)
        if f.suffix == ".html" and "site_libs" not in f.relative_to(site).parts:
            target.write_text(PLACEHOLDER, encoding="utf-8")
            st = f.stat()
            os.utime(target, ns=(st.st_atime_ns, st.st_mtime_ns))
        else:
            shutil.copy2(f, target)


class WarmQuarto:
    """A Quarto kept running for text edits: ``quarto preview --no-serve --render none`` of a page project
    (a hard-linked copy of the stage's pages and assets, as :func:`render_pages` makes, listing every
    staged page), which re-renders a page when its file changes. Quarto's start-up (about 4 s of CPU
    per process) is paid once, when the preview starts or after a build, not on each save: a page
    re-rendered by it costs about 1 s of CPU. The page written into the project is renamed into place
    in one step, and Quarto moves each finished page into its ``_site`` in one step too, so a page is
    taken as soon as its output changes."""

    READY = "Watching files for changes"
    SETTLE = 1.0  # seconds after an update before the next is written
    NUDGE = 3.0  # seconds after which a page whose render has not begun is written again
    MAX_PAGES = 6  # more pages at once are rendered by a Quarto of their own (a profile notebook's 207)

    def __init__(self, stage: Path, root: Path, log=print):
        self.stage = stage
        self.root = root
        self.log = log
        self.dir = stage.parent / f"{stage.name}.preview-warm"
        self.proc: subprocess.Popen | None = None
        self.watchdog: subprocess.Popen | None = None
        self.ready = threading.Event()  # Quarto watches its pages
        self.primed = threading.Event()  # and has rendered its first one
        self.failed = False
        self.output: collections.deque[str] = collections.deque(maxlen=40)  # Quarto's last lines
        self.started: collections.Counter[str] = collections.Counter()  # renders begun, by output file name
        self.last_done = 0.0
        self.last_pages: set[str] = set()  # written by the last update

    def start(self) -> None:
        """Make the page project and start Quarto (returns at once; :attr:`ready` is set when it watches)."""
        from llr_analysis.website import lifetime
        from llr_analysis.website.render import OUTPUT_DIR, _pages, find_quarto

        self.stop()
        self.ready.clear()
        self.primed.clear()
        self.failed = False
        _page_project(self.stage, self.dir, _pages(self.stage))
        _copy_site(self.stage / OUTPUT_DIR, self.dir / OUTPUT_DIR)
        env = {**os.environ, "QUARTO_LOG_LEVEL": "INFO"}
        cmd = [str(find_quarto(self.root)), "preview", ".", "--no-serve", "--no-browser", "--render", "none"]
        proc = self.proc = subprocess.Popen(
            cmd,
            cwd=self.dir,
            env=env,
            stdin=subprocess.DEVNULL,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
            **lifetime.popen_kwargs(),
        )
        self.watchdog = lifetime.watch_group(proc.pid)
        threading.Thread(target=self._read, args=(proc,), daemon=True).start()

    def _read(self, proc) -> None:
        t0 = time.perf_counter()
        for line in proc.stdout:
            self.output.append(line.rstrip())
            if line.strip().startswith("output-file:"):  # Quarto starts a page (its pandoc options)
                self.started[line.split(":", 1)[1].strip()] += 1
            if self.READY in line and not self.ready.is_set():
                self.ready.set()
                threading.Thread(target=self._prime, args=(t0,), daemon=True).start()
        if proc is self.proc:  # ended while in use: the cold path takes over
            self.failed = True
            self.ready.clear()

    def _prime(self, t0: float) -> None:
        """Have Quarto render one page (the first listed, not published) at once: its first render in
        a process costs about twice the next ones, and should not be the analyst's."""
        from llr_analysis.website.render import OUTPUT_DIR, _output, _pages

        with contextlib.suppress(OSError, IndexError):
            page = _pages(self.dir)[0]
            out = self.dir / OUTPUT_DIR / _output(page)
            before = out.stat().st_mtime_ns if out.exists() else None
            tmp = self.dir.parent / f".{self.dir.name}.prime.tmp"
            tmp.write_text((self.dir / page).read_text(encoding="utf-8") + "\n", encoding="utf-8")
            os.replace(tmp, self.dir / page)
            end = time.monotonic() + 120
            while time.monotonic() < end and not self.failed:
                if out.exists() and out.stat().st_mtime_ns != before:
                    break
                time.sleep(0.1)
            self.last_done = time.monotonic()
        self.primed.set()
        self.log(f"preview: Quarto ready for text edits ({time.perf_counter() - t0:.1f} s)")

    def usable(self, wait: float = 0.0) -> bool:
        return self.proc is not None and not self.failed and self.ready.wait(wait)

    def render(self, pages: dict[str, str], timeout: float) -> None:
        """Write the staged ``pages`` ({page: text}) into the page project and wait until Quarto has
        rendered each of them, then publish them into the stage's ``_site``.

        Give one page at a time: Quarto 1.7.34's preview renders several changed pages as a project, and
        the second such render fails ("BadResource: Bad resource ID" from its Sass cache, closed by the
        first); one page at a time it renders again and again."""
        import shutil

        from llr_analysis.website.render import OUTPUT_DIR, _output

        site = self.dir / OUTPUT_DIR

        def stamp(page: str):
            with contextlib.suppress(OSError):
                st = (site / _output(page)).stat()
                return (st.st_ino, st.st_mtime_ns, st.st_size)
            return None

        def write(page: str, text: str) -> None:
            tmp = self.dir.parent / f".{self.dir.name}.{Path(page).name}.tmp"
            tmp.write_text(text, encoding="utf-8")
            os.replace(tmp, self.dir / page)  # one step: Quarto never reads half a page

        # Quarto records a page's content as rendered once its render is over, a moment after the page
        # is out: the page saved again in that moment would be taken as rendered (and skipped). Hence a
        # pause after the last update of the same page, and a page whose render has not begun after
        # NUDGE s is written again with one more blank line at its end (the same HTML).
        self.primed.wait(30)
        if set(pages) & self.last_pages:
            time.sleep(max(0.0, self.last_done + self.SETTLE - time.monotonic()))
        before = {page: stamp(page) for page in pages}
        begun = {page: self.started[Path(_output(page)).name] for page in pages}
        for page, text in pages.items():
            write(page, text)
        nudge = time.monotonic() + self.NUDGE
        end = time.monotonic() + timeout
        waiting = set(pages)
        while waiting:
            for page in [p for p in waiting if stamp(p) not in (before[p], None)]:
                shutil.copyfile(site / _output(page), self.stage / OUTPUT_DIR / _output(page))
                waiting.discard(page)
            if not waiting:
                break
            if self.failed or time.monotonic() > end:
                raise TimeoutError(f"Quarto did not re-render {', '.join(sorted(waiting))} within {timeout:g} s")
            if time.monotonic() > nudge:
                for page in [p for p in waiting if self.started[Path(_output(p)).name] == begun[p]]:
                    write(page, pages[page] + "\n")
                nudge = end
            time.sleep(0.05)
        self.last_done = time.monotonic()
        self.last_pages = set(pages)

    def stop(self) -> None:
        import shutil

        from llr_analysis.website import lifetime

        proc, self.proc = self.proc, None
        if proc is not None:
            lifetime.kill_group(proc)
            proc.wait()
            lifetime.stop_watch(self.watchdog)
            self.watchdog = None
        shutil.rmtree(self.dir, ignore_errors=True)


def apply_text_edit(
    paths: ProjectPaths,
    notebook: Path,
    after: list[tuple[str, str]],
    runs,
    state: State | None = None,
    log=print,
    warm: WarmQuarto | None = None,
) -> list[str]:
    """Show a text-only notebook edit: restage and re-render that notebook's pages, running no code.

    The page the browser shows (``state.viewing``) is rendered first and the browser reloaded, then the
    notebook's other pages, by the running ``warm`` Quarto when there is one (else, or if it fails, by a
    Quarto of their own, :func:`render_pages`). Returns the staged pages re-rendered. The stage's render record marks them
    as changed, so the next ``llr build`` executes the notebook and renders them again.
    """
    from llr_analysis.website.build import BuildLock
    from llr_analysis.website.staging import body_markdown, staged_name, staged_page_text

    steps = Steps()
    stage = paths.stage
    mine = [r for r in runs if r.notebook.resolve() == notebook.resolve()]
    markdown = [text for kind, text in after if kind == "markdown"]
    changed: dict[str, str] = {}
    for r in mine:
        executed = paths.executed / r.output
        staged = stage / staged_name(r.output)
        if not executed.exists() or not staged.exists():
            raise FileNotFoundError(staged)
        nb = patch_markdown(json.loads(executed.read_text(encoding="utf-8")), markdown)
        front, body = body_markdown(nb)
        text = staged_page_text(r, front, body, runs)
        if staged.read_text(encoding="utf-8") != text:
            changed[staged_name(r.output)] = text
    steps.done("convert")
    if not changed:
        return []
    viewing = state.viewing if state else ""
    first = [p for p in changed if str(Path(p).with_suffix(".html")) == viewing]
    shown: list[str] = []
    with BuildLock(paths):
        manifest = stage.parent / f"{stage.name}.rendered.json"
        for rel, text in changed.items():  # a new file, not the old one rewritten: copies linked to it keep it
            tmp = stage / f"{rel}.preview-tmp"
            tmp.write_text(text, encoding="utf-8")
            os.replace(tmp, stage / rel)
        if manifest.exists():  # the next build renders these pages again from the executed notebooks
            record = json.loads(manifest.read_text())
            record.update({rel: "changed-by-preview" for rel in changed})
            manifest.write_text(json.dumps(record, indent=0, sort_keys=True))
        steps.done("stage")
        for batch in (first, sorted(set(changed) - set(first))):
            if batch:
                t0 = time.perf_counter()
                how = "cold Quarto"
                if warm is not None and warm.usable() and len(batch) <= warm.MAX_PAGES:
                    try:
                        for page in batch:  # one at a time (see WarmQuarto.render)
                            warm.render({page: changed[page]}, timeout=30)
                        how = "warm Quarto"
                        steps.done("warm quarto")
                    except TimeoutError as exc:
                        steps.done("warm quarto (timed out)")
                        last = " | ".join(line for line in list(warm.output)[-8:] if line.strip())
                        log(f"preview: {exc}; rendering them with a Quarto of their own (Quarto said: {last})")
                        warm.failed = True
                if how == "cold Quarto":
                    render_pages(stage, batch, paths.root, steps)
                if state is not None:
                    state.bump()
                shown.append(f"{len(batch)} in {time.perf_counter() - t0:.1f} s by {how}")
    log(
        f"preview: text of {notebook.name} shown ({len(changed)} page(s) re-rendered, no code run; "
        f"{' then '.join(shown)}{' (page in view first)' if first else ''}; {steps})"
    )
    return sorted(changed)


def rebuild(
    paths: ProjectPaths,
    changed: list[Path],
    last: dict[Path, list],
    runs: list,
    state=None,
    log=print,
    warm: WarmQuarto | None = None,
):
    """Rebuild what ``changed`` touches (see the module docstring); returns the runs of the build."""
    from llr_analysis.website.build import build
    from llr_analysis.website.notebooks import plan

    notebooks = [f for f in changed if f.suffix == ".ipynb" and f.parent == paths.notebooks]
    others = [f for f in changed if f not in notebooks]
    if notebooks and not others and runs:
        try:
            afters = {nb: _cells(nb) for nb in notebooks}
            if all(nb in last and text_only_change(last[nb], afters[nb]) for nb in notebooks):
                for nb in notebooks:
                    apply_text_edit(paths, nb, afters[nb], runs, state=state, log=log, warm=warm)
                    last[nb] = afters[nb]
                return runs
        except (OSError, ValueError, KeyError) as exc:
            log(f"preview: text-only update not possible ({exc}); building")
    t0 = time.perf_counter()
    if warm is not None:  # its page project holds the old stage: made again after the build
        warm.stop()
    try:
        report = build(paths, fetch=False, log=lambda *_: None)
    except Exception:
        if warm is not None:  # the stage is the last good one
            warm.start()
        raise
    for nb in paths.notebooks.glob("*.ipynb"):
        last[nb] = _cells(nb)
    if state is not None:
        state.bump()
    if warm is not None:
        warm.start()
    log(
        f"preview: built in {time.perf_counter() - t0:.1f}s "
        f"({report.executed} notebooks executed, {report.skipped} unchanged)"
    )
    return plan(paths)


def preview(
    paths: ProjectPaths,
    port: int = 8000,
    build_first: bool = True,
    interval: float = 0.2,
    log=None,
    warm_quarto: bool = True,
):
    """Serve the site and rebuild on changes until interrupted (Ctrl+C)."""
    from llr_analysis.website.build import build

    log = log or functools.partial(print, flush=True)
    if build_first:
        log("preview: bringing the site up to date (llr build)...")
        build(paths, log=lambda *_: None)
    site = paths.stage / "_site"
    if not (site / "index.html").exists():
        raise FileNotFoundError(f"{site / 'index.html'} (run llr build first)")
    state = State()
    server = http.server.ThreadingHTTPServer(("127.0.0.1", port), make_handler(site, state))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    log(f"preview: serving http://127.0.0.1:{server.server_port}/ (watching {', '.join(WATCHED)}; Ctrl+C stops)")
    from llr_analysis.website.notebooks import plan

    last = {nb: _cells(nb) for nb in paths.notebooks.glob("*.ipynb")}
    runs = plan(paths)
    seen = snapshot(paths)
    warm = WarmQuarto(paths.stage, paths.root, log=log) if warm_quarto else None
    if warm is not None:
        warm.start()
    try:
        while True:
            time.sleep(interval)
            now = snapshot(paths)
            changed = sorted(f for f in set(now) | set(seen) if now.get(f) != seen.get(f))
            if not changed:
                continue
            time.sleep(0.1)  # let an editor finish writing
            now = snapshot(paths)
            changed = sorted(f for f in set(now) | set(seen) if now.get(f) != seen.get(f))
            seen = now
            after = max((time.time_ns() - now[f]) / 1e9 for f in changed if f in now) if set(changed) & set(now) else 0
            log(
                f"preview: changed {', '.join(str(f.relative_to(paths.root)) for f in changed[:5])} "
                f"(seen {after:.1f} s after the save)"
            )
            try:
                runs = rebuild(paths, changed, last, runs, state=state, log=log, warm=warm)
            except Exception as exc:  # noqa: BLE001 - show it and keep serving the last good site
                state.error = str(exc)
                log(f"preview: rebuild failed, the browser keeps the last good pages:\n{exc}")
                if not str(exc):
                    traceback.print_exc()
    except KeyboardInterrupt:
        log("preview: stopped")
    finally:
        server.shutdown()
        if warm is not None:
            warm.stop()


def cmd_preview(args, paths) -> int:
    preview(paths, port=args.port, build_first=not args.no_build)
    return 0


def add_parser(sub) -> None:
    """The ``preview`` subcommand (registered by :mod:`llr_analysis.cli`)."""
    p = sub.add_parser("preview", help="serve the site on localhost, rebuild what changes touch, reload the browser")
    p.add_argument("--port", type=int, default=8000, help="port on 127.0.0.1 (default 8000; 0 picks a free one)")
    p.add_argument("--no-build", action="store_true", help="serve the last build as it is, then watch")
    p.set_defaults(func=cmd_preview)
