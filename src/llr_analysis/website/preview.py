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
     code (a second or two);
   * anything else (a code cell, a page of ``pages/``, the package's code): an incremental
     ``llr build``, which re-runs only the notebooks whose inputs changed and re-renders only their
     pages.

   A failed rebuild is printed and the browser keeps the last good pages.

``site/`` is replaced only by the builds, as always: a text-only preview edit is shown from
``build/stage/_site`` and the pages it touched are marked as changed in the stage's record, so the
next ``llr build`` runs those notebooks for real and renders them again.
"""

from __future__ import annotations

import contextlib
import functools
import http.server
import json
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


def render_pages(stage: Path, pages: list[str], root: Path) -> None:
    """Render ``pages`` of the staged project into its ``_site`` quickly: Quarto renders a hard-linked
    copy of the project whose render list is only these pages (a render of some pages of the whole
    project makes Quarto walk all 200+ of them), and the pages are copied into ``_site``."""
    import shutil

    from llr_analysis.website.render import OUTPUT_DIR, _output, _run, find_quarto

    copy = stage.parent / f"{stage.name}.preview-{time.monotonic_ns()}"
    try:
        _page_project(stage, copy, pages)
        _run(find_quarto(root), copy, ".")
        for page in pages:
            shutil.copyfile(copy / OUTPUT_DIR / _output(page), stage / OUTPUT_DIR / _output(page))
    finally:  # removed in the background: the browser can reload now
        threading.Thread(target=shutil.rmtree, args=(copy,), kwargs={"ignore_errors": True}).start()


def apply_text_edit(
    paths: ProjectPaths, notebook: Path, after: list[tuple[str, str]], runs, state: State | None = None, log=print
) -> list[str]:
    """Show a text-only notebook edit: restage and re-render that notebook's pages, running no code.

    The page the browser shows (``state.viewing``) is rendered first and the browser reloaded, then the
    notebook's other pages. Returns the staged pages re-rendered. The stage's render record marks them
    as changed, so the next ``llr build`` executes the notebook and renders them again.
    """
    from llr_analysis.website.build import BuildLock
    from llr_analysis.website.staging import body_markdown, staged_name, staged_page_text

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
    if not changed:
        return []
    viewing = state.viewing if state else ""
    first = [p for p in changed if str(Path(p).with_suffix(".html")) == viewing]
    with BuildLock(paths):
        manifest = stage.parent / f"{stage.name}.rendered.json"
        for rel, text in changed.items():
            (stage / rel).write_text(text, encoding="utf-8")
        if manifest.exists():  # the next build renders these pages again from the executed notebooks
            record = json.loads(manifest.read_text())
            record.update({rel: "changed-by-preview" for rel in changed})
            manifest.write_text(json.dumps(record, indent=0, sort_keys=True))
        for batch in (first, sorted(set(changed) - set(first))):
            if batch:
                render_pages(stage, batch, paths.root)
                if state is not None:
                    state.bump()
    log(f"preview: text of {notebook.name} shown ({len(changed)} page(s) re-rendered, no code run)")
    return sorted(changed)


def rebuild(paths: ProjectPaths, changed: list[Path], last: dict[Path, list], runs: list, state=None, log=print):
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
                    apply_text_edit(paths, nb, afters[nb], runs, state=state, log=log)
                    last[nb] = afters[nb]
                return runs
        except (OSError, ValueError, KeyError) as exc:
            log(f"preview: text-only update not possible ({exc}); building")
    t0 = time.perf_counter()
    report = build(paths, fetch=False, log=lambda *_: None)
    for nb in paths.notebooks.glob("*.ipynb"):
        last[nb] = _cells(nb)
    if state is not None:
        state.bump()
    log(
        f"preview: built in {time.perf_counter() - t0:.1f}s "
        f"({report.executed} notebooks executed, {report.skipped} unchanged)"
    )
    return plan(paths)


def preview(paths: ProjectPaths, port: int = 8000, build_first: bool = True, interval: float = 0.3, log=None):
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
            log(f"preview: changed {', '.join(str(f.relative_to(paths.root)) for f in changed[:5])}")
            try:
                runs = rebuild(paths, changed, last, runs, state=state, log=log)
            except Exception as exc:  # noqa: BLE001 - show it and keep serving the last good site
                state.error = str(exc)
                log(f"preview: rebuild failed, the browser keeps the last good pages:\n{exc}")
                if not str(exc):
                    traceback.print_exc()
    except KeyboardInterrupt:
        log("preview: stopped")
    finally:
        server.shutdown()


def cmd_preview(args, paths) -> int:
    preview(paths, port=args.port, build_first=not args.no_build)
    return 0


def add_parser(sub) -> None:
    """The ``preview`` subcommand (registered by :mod:`llr_analysis.cli`)."""
    p = sub.add_parser("preview", help="serve the site on localhost, rebuild what changes touch, reload the browser")
    p.add_argument("--port", type=int, default=8000, help="port on 127.0.0.1 (default 8000; 0 picks a free one)")
    p.add_argument("--no-build", action="store_true", help="serve the last build as it is, then watch")
    p.set_defaults(func=cmd_preview)
