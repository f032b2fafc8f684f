"""``llr preview`` (website/preview.py): what counts as a text-only edit, and the server's reload script."""

from __future__ import annotations

import http.server
import threading
import urllib.request

from llr_analysis.website import preview


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
