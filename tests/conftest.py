"""Shared fixtures: the raw-data mirror, and a project copy built from it once per session."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
MIRROR = Path(os.environ.get("LLR_MIRROR", REPO.parent / "shared" / "data" / "raw-mirror")).resolve()
HAVE_MIRROR = (MIRROR / "MANIFEST.csv").exists()
needs_mirror = pytest.mark.skipif(not HAVE_MIRROR, reason=f"raw-data mirror not found at {MIRROR} (set LLR_MIRROR)")

PROJECT_FILES = ["_quarto.yml", "pyproject.toml", "data/sources.lock.json"]
PROJECT_DIRS = ["notebooks", "pages"]


def copy_project(dest: Path) -> Path:
    """A copy of the project's sources (not data or site) in ``dest``, to build into."""
    dest.mkdir(parents=True, exist_ok=True)
    for f in PROJECT_FILES:
        if (REPO / f).exists():
            (dest / f).parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(REPO / f, dest / f)
    for d in PROJECT_DIRS:
        shutil.copytree(REPO / d, dest / d)
    return dest


@pytest.fixture
def default_places(monkeypatch):
    """The packaged places file (LLR), whatever LLR_PLACES says, with load_places' cache cleared before and after."""
    from llr_analysis.places import load_places

    monkeypatch.delenv("LLR_PLACES", raising=False)
    load_places.cache_clear()
    yield
    load_places.cache_clear()


@pytest.fixture(scope="session")
def mirror() -> Path:
    if not HAVE_MIRROR:
        pytest.skip(f"raw-data mirror not found at {MIRROR} (set LLR_MIRROR)")
    return MIRROR


@pytest.fixture(scope="session")
def processed_project(tmp_path_factory, mirror):
    """A project copy with every dataset fetched from the mirror and processed."""
    from llr_analysis import process
    from llr_analysis.fetch import sources
    from llr_analysis.paths import project_paths

    root = copy_project(tmp_path_factory.mktemp("project"))
    paths = project_paths(root)
    sources.fetch(paths, mirror=mirror)
    process.run(paths, log=lambda *_: None)
    return paths


@pytest.fixture(scope="session")
def built_site(processed_project):
    """The whole site built for the three places from the mirror and rendered by Quarto."""
    from llr_analysis.website.build import build

    old = os.environ.get("LLR_ROOT")
    try:
        report = build(processed_project, fetch=False, workers=2, log=lambda *_: None)
    finally:
        if old is None:
            os.environ.pop("LLR_ROOT", None)
        else:
            os.environ["LLR_ROOT"] = old
    return processed_project.site, report


@pytest.fixture(scope="session")
def site_url(built_site):
    """The built site served on a loopback port (Quarto's pages load their scripts as modules and
    read search.json, which browsers allow over http only, not from file:// addresses)."""
    import functools
    import http.server
    import threading

    site, _ = built_site
    http.server.SimpleHTTPRequestHandler.log_message = lambda *a, **k: None
    handler = functools.partial(http.server.SimpleHTTPRequestHandler, directory=str(site))
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}/"
    httpd.shutdown()


# Markers follow the fixtures a test needs (directly or through other fixtures), so that
# `pytest -m "not mirror and not slow and not browser"` (make check) runs exactly the tests that need
# neither the raw-data mirror nor a whole-site build nor a browser, nor take more than a few seconds:
# a test marked `quarto` (a real Quarto render, 5-20 s each) is slow too, and tests that wait for a
# Jupyter kernel are marked `slow` where they are defined.
MIRROR_FIXTURES = {"mirror", "processed_project", "built_site", "site_url"}
SLOW_FIXTURES = {"processed_project", "built_site", "site_url"}
BROWSER_FIXTURES = {"site_url"}
BROWSER_FILES = {"test_browser.py"}
# With pytest-xdist (`make test` runs `pytest -n 2 --dist loadgroup`), every test of the processed
# project or the built site runs in one worker, so the session fixtures build them once, not once per
# worker; the other worker runs the rest meanwhile.
SITE_GROUP = "site"


@pytest.hookimpl(tryfirst=True)  # before pytest's own -m deselection (and xdist's grouping) sees the items
def pytest_collection_modifyitems(config, items):
    for item in items:
        used = set(getattr(item, "fixturenames", ()))
        if used & MIRROR_FIXTURES:
            item.add_marker(pytest.mark.mirror)
        if used & SLOW_FIXTURES or item.get_closest_marker("quarto"):
            item.add_marker(pytest.mark.slow)
        # the browser tests reach the built site through `server`, which asks for `built_site` at run time
        # (request.getfixturevalue): not in `fixturenames`, so name their file, or a second worker builds a
        # second whole site for them
        if used & SLOW_FIXTURES or item.path.name in BROWSER_FILES:
            item.add_marker(pytest.mark.xdist_group(SITE_GROUP))
        if used & BROWSER_FIXTURES or item.path.name in BROWSER_FILES:
            item.add_marker(pytest.mark.browser)
