"""``llr preview`` (website/preview.py): what counts as a text-only edit, and the server's reload script."""

from __future__ import annotations

import http.server
import threading
import time
import urllib.request
from pathlib import Path

import pytest

from llr_analysis.website import preview
from llr_analysis.website.render import render

REPO = Path(__file__).resolve().parents[1]


def test_a_markdown_edit_is_text_only_and_a_code_edit_is_not():
    before = [("markdown", "# Title"), ("code", "page = Page('x')"), ("markdown", "Some text.")]
    assert preview.text_only_change(before, [("markdown", "# Title"), before[1], ("markdown", "Other text.")])
    assert not preview.text_only_change(before, [before[0], ("code", "page = Page('y')"), before[2]])
    assert not preview.text_only_change(before, [*before, ("markdown", "A new cell")])  # cells added: build


def test_patch_markdown_replaces_text_and_keeps_outputs():
    executed = {
        "cells": [
            {"cell_type": "raw", "source": "---\ntitle: T\n---"},
            {"cell_type": "markdown", "source": "Old"},
            {"cell_type": "code", "source": "x", "outputs": [{"output_type": "display_data", "data": {}}]},
        ]
    }
    out = preview.patch_markdown(executed, ["New"])
    assert out["cells"][1]["source"] == "New"
    assert out["cells"][2]["outputs"] == [{"output_type": "display_data", "data": {}}]


def test_served_pages_poll_the_version_and_reload(tmp_path):
    (tmp_path / "index.html").write_text("<html><body><p>Hello</p></body></html>")
    (tmp_path / "data.csv").write_text("a,b\n1,2\n")
    state = preview.State()
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), preview.make_handler(tmp_path, state))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    base = f"http://127.0.0.1:{server.server_port}"
    try:
        page = urllib.request.urlopen(f"{base}/").read().decode()
        assert page.startswith("<html><body><p>Hello</p>") and preview.RELOAD_SCRIPT + "</body>" in page
        assert state.viewing == "index.html"
        assert urllib.request.urlopen(f"{base}/data.csv").read() == b"a,b\n1,2\n"  # other files as they are
        assert urllib.request.urlopen(base + preview.VERSION_PATH).read() == b"0"
        state.bump()
        assert urllib.request.urlopen(base + preview.VERSION_PATH).read() == b"1"
    finally:
        server.shutdown()


def test_steps_add_up_each_named_step(monkeypatch):
    clock = iter([10.0, 10.25, 12.0, 12.5])
    monkeypatch.setattr(preview.time, "perf_counter", lambda: next(clock))
    steps = preview.Steps()
    steps.done("copy")
    steps.done("quarto")
    steps.done("copy")
    assert steps.seconds == {"copy": 0.75, "quarto": 1.75}
    assert str(steps) == "copy 0.8 s, quarto 1.8 s"


def _warm_project(tmp_path):
    """A stage with two pages, one rendered, and a warm Quarto's page project linked to it (no process)."""
    import os

    stage = tmp_path / "stage"
    (stage / "_site" / "pop").mkdir(parents=True)
    (stage / "pop").mkdir()
    (stage / "pop" / "a.md").write_text("old a")
    (stage / "_site" / "pop" / "a.html").write_text("<p>old a</p>")
    warm = preview.WarmQuarto(stage, tmp_path)
    (warm.dir / "pop").mkdir(parents=True)
    os.link(stage / "pop" / "a.md", warm.dir / "pop" / "a.md")
    (warm.dir / "_site" / "pop").mkdir(parents=True)
    (warm.dir / "_site" / "pop" / "a.html").write_text("<p>old a</p>")
    warm.primed.set()  # as after its first render
    return stage, warm


def test_warm_quarto_publishes_a_page_once_its_output_is_replaced(tmp_path):
    import os

    stage, warm = _warm_project(tmp_path)

    def quarto():  # what Quarto does: render the changed input, move the finished page into _site
        src = warm.dir / "pop" / "a.md"
        while src.read_text() == "old a":
            time.sleep(0.01)
        tmp = warm.dir / "a.html.tmp"
        tmp.write_text(f"<p>{src.read_text()}</p>")
        os.replace(tmp, warm.dir / "_site" / "pop" / "a.html")

    threading.Thread(target=quarto, daemon=True).start()
    warm.render({"pop/a.md": "new a"}, timeout=10)
    assert (stage / "_site" / "pop" / "a.html").read_text() == "<p>new a</p>"
    assert (stage / "pop" / "a.md").read_text() == "old a"  # the link was replaced, not written through


def test_warm_quarto_times_out_when_nothing_is_rendered(tmp_path):
    stage, warm = _warm_project(tmp_path)
    t0 = time.monotonic()
    with pytest.raises(TimeoutError, match="pop/a.md"):
        warm.render({"pop/a.md": "new a"}, timeout=0.3)
    assert 0.3 <= time.monotonic() - t0 < 3
    assert (stage / "_site" / "pop" / "a.html").read_text() == "<p>old a</p>"  # the last good page stays
    assert not warm.usable()  # never started: the cold path renders


@pytest.mark.quarto  # a real Quarto kept running (slow: tests/conftest.py)
def test_warm_quarto_renders_a_saved_page_with_the_site_around_it(tmp_path):
    stage = tmp_path / "stage"
    stage.mkdir()
    (stage / "_quarto.yml").write_text(
        "project:\n  type: website\n  render: [a.md, b.md]\n"
        "website:\n  title: Site\n  navbar:\n    left: [a.md, b.md]\n"
    )
    (stage / "a.md").write_text("---\ntitle: Page A\n---\n\nFirst text.\n")
    (stage / "b.md").write_text("---\ntitle: Page B\n---\n\nOther page.\n")
    render(stage, root=REPO)
    warm = preview.WarmQuarto(stage, REPO, log=lambda *_: None)
    warm.start()
    try:
        assert warm.usable(wait=120)
        warm.render({"a.md": "---\ntitle: Page A\n---\n\nSecond *text*.\n"}, timeout=120)
        page = (stage / "_site" / "a.html").read_text()
        assert "Second <em>text</em>." in page and "First text" not in page
        assert 'href="./b.html"' in page  # the site's navigation, as a build renders it
        assert (stage / "_site" / "b.html").exists()
    finally:
        warm.stop()
    assert not warm.dir.exists() and warm.proc is None
