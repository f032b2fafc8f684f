"""Word (.docx) versions of the locality profiles and place summaries, for committee papers.

Each is made from the page's executed notebook by Quarto's own Pandoc: the page body (Markdown with
its HTML tables, as staged for the site) becomes HTML, every chart becomes a PNG drawn offline by
``vl_convert`` from the chart's own Vega-Lite spec (maps with their shared shapes), then Pandoc writes
the .docx (headings, paragraphs, tables, figures with their captions). A document is remade only when
its executed notebook changed (``<page>.docx.hash``), so a build pays only for the pages it re-ran.
"""

from __future__ import annotations

import hashlib
import html
import os
import re
import subprocess
import tempfile
import threading
import time
from pathlib import Path

from llr_analysis.errors import BuildError

#: Page roles that get a Word version.
ROLES = ("place-summary", "locality-profile")
#: Bump to remake every document (a change in how they are made).
VERSION = "2"
_FIGURE = re.compile(r'<figure class="chart"[^>]*>.*?</figure>', re.S)
_DIV_ID = re.compile(r'<div id="([^"]+)" class="vega-chart"')
_CAPTION = re.compile(r"<figcaption[^>]*>(.*?)</figcaption>", re.S)


def pandoc_command(root: Path | None = None) -> list[str]:
    """Quarto's bundled Pandoc binary, found beside Quarto (its link in .venv/bin followed to the real
    folder); ``quarto pandoc`` only when there is none (that wrapper lost part of Pandoc's output now
    and then, so a chart or a section went missing from some documents: 54 of 174 in one build)."""
    from llr_analysis.website.render import find_quarto

    quarto = find_quarto(root)
    for folder in dict.fromkeys([quarto.parent, quarto.resolve().parent]):
        for arch in ("x86_64", "aarch64"):
            exe = folder / "tools" / arch / "pandoc"
            if exe.is_file():
                return [str(exe)]
    return [str(quarto), "pandoc"]


#: vl_convert is called by one thread at a time (two documents are made at once; its JavaScript engine
#: is shared by the threads of the process).
_VL_CONVERT = threading.Lock()
_PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"


def _chart_png(spec: dict, out: Path) -> None:
    import vl_convert as vlc

    with _VL_CONVERT:
        png = vlc.vegalite_to_png(spec, scale=2)
    if not png.startswith(_PNG_SIGNATURE):
        raise ValueError(f"the chart's PNG is not an image ({len(png)} bytes)")
    out.write_bytes(png)


def page_html(body_html: str, folder: Path, workdir: Path, specs: dict[str, dict] | None = None) -> str:
    """The page's HTML with each chart replaced by its PNG (in ``workdir``) and its caption, and no scripts.

    ``specs``: the charts (:func:`~llr_analysis.report.page.chart_specs`) read from the staged page itself;
    Pandoc's Markdown reader may rewrite text inside the JSON blocks of its HTML output, so read them before."""
    from llr_analysis.report.page import chart_specs

    specs = chart_specs(body_html, folder) if specs is None else specs

    def figure(m: re.Match) -> str:
        block = m.group(0)
        div = _DIV_ID.search(block)
        cap = _CAPTION.search(block)
        caption = cap.group(1) if cap else ""
        if not div or div.group(1) not in specs:
            return f"<p>{caption}</p>"
        png = workdir / f"{div.group(1)}.png"
        try:
            _chart_png(specs[div.group(1)], png)
        except Exception as exc:  # noqa: BLE001 - a chart that cannot be drawn is named, the rest goes on
            return f"<p>[Chart not drawn: {html.escape(str(exc)[:80])}]</p><p>{caption}</p>"
        return f'<figure><img src="{png.name}" alt="{html.escape(re.sub("<[^>]+>", "", caption))}" style="width:6in"><figcaption>{caption}</figcaption></figure>'

    text = _FIGURE.sub(figure, body_html)
    text = re.sub(r"<script\b.*?</script>", "", text, flags=re.S)
    text = re.sub(r'<p class="(?:download-line|llr-docx-link)".*?</p>', "", text, flags=re.S)
    return text


def make_docx(title: str, body_markdown: str, folder: Path, target: Path, pandoc: list[str]) -> None:
    """Write ``target`` (.docx) from a staged page body (Markdown with raw HTML) whose page is in ``folder``."""
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        # the Markdown goes in a file, not on standard input: `quarto pandoc` (Quarto's wrapper, used when
        # its Pandoc binary is not beside it) passed long input on only in part, now and then, so a chart
        # or section went missing from some documents (54 of 174 ward documents in one build)
        (work / "page.md").write_text(body_markdown, encoding="utf-8")
        step1 = subprocess.run(
            [*pandoc, "-f", "markdown", "-t", "html5", "--wrap=none", str(work / "page.md")],
            capture_output=True,
            text=True,
            check=True,
        )
        from llr_analysis.report.page import chart_specs

        doc = page_html(step1.stdout, folder, work, specs=chart_specs(body_markdown, folder))
        src = work / "page.html"
        src.write_text(
            f"<!DOCTYPE html><html lang='en-GB'><head><meta charset='utf-8'><title>{html.escape(title)}</title>"
            f"</head><body>{doc}</body></html>",
            encoding="utf-8",
        )
        tmp_out = work / "page.docx"
        subprocess.run(
            [*pandoc, "-f", "html", "-t", "docx", "--resource-path", str(work), "-o", str(tmp_out), str(src)],
            capture_output=True,
            text=True,
            check=True,
            cwd=work,
        )
        target.parent.mkdir(parents=True, exist_ok=True)
        os.replace(tmp_out, target)


def word_documents(paths, runs, log=lambda *_: None) -> dict[str, Path]:
    """``{staged path: .docx file}`` for every place summary and locality profile of the build, made
    (or remade, when the page changed) beside its executed notebook. Logs the time it took."""
    from llr_analysis.website.staging import _cached_body

    chosen = [r for r in runs if r.role in ROLES and (paths.executed / r.output).exists()]
    if not chosen:
        return {}
    pandoc = pandoc_command(paths.root)
    out: dict[str, Path] = {}
    made, started = 0, time.perf_counter()
    todo = []
    for run in chosen:
        executed = paths.executed / run.output
        target = executed.with_suffix(".docx")
        stamp = executed.with_suffix(".docx.hash")
        key = hashlib.sha256(executed.read_bytes() + VERSION.encode()).hexdigest()
        if not (target.exists() and stamp.exists() and stamp.read_text() == key):
            todo.append((run, executed, target, stamp, key))
        out[str(Path(run.output).with_suffix(".docx"))] = target

    def one(item) -> None:
        run, executed, target, stamp, key = item
        try:
            _, body = _cached_body(executed)
            make_docx(run.page_title, body, executed.parent, target, pandoc)
        except (OSError, ValueError, subprocess.CalledProcessError) as exc:  # a message, not a traceback
            detail = getattr(exc, "stderr", None) or exc
            raise BuildError(
                "stage", f"the Word version of {run.label} could not be made ({target}): {detail}"
            ) from None
        stamp.write_text(key)

    # Pandoc runs as its own process: two documents at a time keep both cores busy
    from concurrent.futures import ThreadPoolExecutor

    with ThreadPoolExecutor(max_workers=max(1, min(2, os.cpu_count() or 1))) as pool:
        for _ in pool.map(one, todo):
            made += 1
    if made:
        line = f"word documents: {made} made, {len(chosen) - made} unchanged, in {time.perf_counter() - started:.1f}s"
        log(line)
        with (paths.executed / "word-documents.log").open("a", encoding="utf-8") as f:  # the cost, build by build
            f.write(f"{time.strftime('%Y-%m-%d %H:%M:%S')} {line}\n")
    return out
