"""The test suite's two workers: every test of the built site runs in one of them, so the site is built once.

`make test` runs `pytest -n 2 --dist loadgroup`, and tests/conftest.py puts every test that needs the processed
project or the built site (and every browser test) in one xdist group. If the grouping silently stops working
(it did with pytest 9 and pytest-xdist 3.8: the group was ignored), both workers build the whole site and the
suite takes minutes longer without failing. This runs a small suite with the real grouping hook and a stand-in
`built_site` that records which worker built it.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

CONFTEST = Path(__file__).with_name("conftest.py")

STAND_IN = f"""
import importlib.util, os
import pytest

_spec = importlib.util.spec_from_file_location("llr_conftest", {str(CONFTEST)!r})
_real = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(_real)
pytest_collection_modifyitems = _real.pytest_collection_modifyitems  # the grouping under test


def _log(line):
    with open(os.path.join(os.path.dirname(__file__), "log"), "a") as f:
        f.write(line + "\\n")


@pytest.fixture(scope="session")
def built_site():
    _log("build " + os.environ["PYTEST_XDIST_WORKER"])
    return "site"


@pytest.fixture
def record(request):
    yield
    _log("ran " + request.node.name + " " + os.environ["PYTEST_XDIST_WORKER"])
"""


@pytest.mark.slow
def test_the_site_is_built_once_and_its_tests_run_in_the_worker_that_built_it(tmp_path):
    (tmp_path / "conftest.py").write_text(STAND_IN)
    for i in range(4):
        (tmp_path / f"test_pages_{i}.py").write_text(
            f"def test_site_{i}(built_site, record): pass\n"
            + "".join(f"def test_other_{i}_{j}(record): pass\n" for j in range(5))
        )
    # a browser test reaches the site at run time (request.getfixturevalue), so the file name groups it
    (tmp_path / "test_browser.py").write_text(
        "def test_in_a_browser(request, record):\n    assert request.getfixturevalue('built_site') == 'site'\n"
    )
    run = subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-n", "2", "--dist", "loadgroup", "-p", "no:cacheprovider", "."],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert run.returncode == 0, run.stdout + run.stderr
    lines = (tmp_path / "log").read_text().splitlines()
    builds = [line.split()[1] for line in lines if line.startswith("build ")]
    ran = dict(line.split()[1:] for line in lines if line.startswith("ran "))
    assert len(builds) == 1, f"the site was built by {builds}"
    assert len(ran) == 25
    site_tests = {name for name in ran if name.startswith("test_site_")} | {"test_in_a_browser"}
    assert {ran[name] for name in site_tests} == set(builds)
    # and the grouping does not put everything in one worker: the others are shared out
    assert set(ran.values()) == {"gw0", "gw1"}
