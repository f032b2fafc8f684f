"""Faults and operator errors of the runner (issue 25 items 6-9, issue 20 item 9, issue 21 item 1).

Cache keys that follow the code; fail fast; time limits on cells and Quarto; workers, kernels and
Quarto that end with the build; one lock for every writing command, taken over from a build that is
gone; commands outside a project; operator options refused before any work.
"""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import nbformat
import pytest

from llr_analysis import hashing
from llr_analysis.cli import main
from llr_analysis.errors import BuildError, LLRError, ParameterError
from llr_analysis.paths import NoProjectError, ProjectPaths, find_root
from llr_analysis.website.build import BuildLock
from llr_analysis.website.notebooks import Run, _execute, cell_timeout, execute, plan, run_hash

REPO = Path(__file__).resolve().parents[1]
NOTEBOOKS = sorted((REPO / "notebooks").glob("*.ipynb"))
PY = sys.executable


# ------------------------------------------------------------------------------ cache keys that follow the code
def _package_copy(tmp_path: Path) -> Path:
    """A copy of the package to edit (hashing reads the source, it does not import it)."""
    dest = tmp_path / "llr_analysis"
    shutil.copytree(hashing.PACKAGE, dest, ignore=shutil.ignore_patterns("__pycache__"))
    return dest


#: A topic package in the target shape (RESTRUCTURE.md): a loader, the overview's ``headlines`` module, pure
#: figures, and locality tables only the topic's report uses; a report package of sections and charts.
TOY_TOPIC = {
    "analysis/toyt/__init__.py": '"""A toy topic."""\n',
    "analysis/toyt/load.py": (
        "from llr_analysis.process import read_table\n\n\n"
        "def load(paths):\n    return read_table('toyt/scores', paths)\n"
    ),
    "analysis/toyt/figures.py": "def headline_rows(df):\n    return df\n",
    "analysis/toyt/headlines.py": (
        "from llr_analysis.analysis.toyt.figures import headline_rows\n"
        "from llr_analysis.analysis.toyt.load import load\n\n\n"
        "def headlines(paths):\n    return headline_rows(load(paths))\n"
    ),
    "analysis/toyt/localities.py": "def by_ward(df):\n    return df\n",
    "report/toyt/__init__.py": '"""The toy topic\'s page."""\n',
    "report/toyt/charts.py": "def bars(df):\n    return df\n",
    "report/templates/toyt/wards.html": "<p>{{ ward }}</p>\n",
    "report/toyt/sections.py": (
        "from llr_analysis.analysis.toyt.localities import by_ward\n"
        "from llr_analysis.report.toyt.charts import bars\n\n\n"
        "def wards_section(page, data):\n    page.chart(bars(by_ward(data)))\n"
    ),
}

TOY_NOTEBOOK = (
    "from llr_analysis.analysis.toyt.load import load\n"
    "from llr_analysis.paths import project_paths\n"
    "from llr_analysis.report.page import Page\n"
    "from llr_analysis.report.toyt.sections import wards_section\n"
    "data = load(project_paths())\n"
    "wards_section(Page('toyt', place), data)\n"
)


def _with_toy_topic(tmp_path: Path) -> tuple[Path, list[Path]]:
    """A package copy with the toy topic packages, and the notebooks with the toy topic's."""
    package = _package_copy(tmp_path)
    for rel, text in TOY_TOPIC.items():
        (package / rel).parent.mkdir(parents=True, exist_ok=True)
        (package / rel).write_text(text)
    nb = nbformat.v4.new_notebook()
    nb.metadata["llr"] = {"title": "Toy", "inputs": ["toyt/*"]}
    nb.cells = [nbformat.v4.new_code_cell('place = "rutland"'), nbformat.v4.new_code_cell(TOY_NOTEBOOK)]
    (tmp_path / "notebooks").mkdir()
    nbformat.write(nb, tmp_path / "notebooks" / "toyt.ipynb")
    return package, [*NOTEBOOKS, tmp_path / "notebooks" / "toyt.ipynb"]


def _keys(monkeypatch, package: Path, notebooks: list[Path]) -> dict[str, str]:
    # the parsed modules stay cached (keyed by module name and mtime): a copy keeps the files' mtimes and
    # content, and an edited or new file has a new mtime
    monkeypatch.setattr(hashing, "PACKAGE", package)
    return {nb.stem: hashing.notebook_code_hash(nb) for nb in notebooks}


def _changes(monkeypatch, package: Path, notebooks: list[Path], edits: list[str]) -> list[list[str]]:
    """For each file of ``edits`` in turn, the notebooks whose code key the edit changes."""
    keys = _keys(monkeypatch, package, notebooks)
    out = []
    for rel in edits:
        target = package / rel
        target.write_text(target.read_text() + "\n# an analyst's comment\n")
        new = _keys(monkeypatch, package, notebooks)
        out.append(sorted(k for k in keys if keys[k] != new[k]))
        keys = new
    return out


def test_the_overview_imports_each_topic_packages_headlines_module_and_what_it_imports(tmp_path, monkeypatch):
    package, _ = _with_toy_topic(tmp_path)
    monkeypatch.setattr(hashing, "PACKAGE", package)
    mods = hashing.notebook_modules(REPO / "notebooks" / "overview.ipynb")
    toy = {m for m in mods if ".toyt" in m}
    assert toy == {
        "llr_analysis.analysis.toyt",
        "llr_analysis.analysis.toyt.headlines",
        "llr_analysis.analysis.toyt.load",
        "llr_analysis.analysis.toyt.figures",
    }


def test_editing_a_module_only_a_topics_report_imports_reruns_only_that_topic(tmp_path, monkeypatch):
    """Issue 21 item 1: the topic's page re-runs; the overview, the place summaries and population do not."""
    package, notebooks = _with_toy_topic(tmp_path)
    edits = [
        "report/toyt/charts.py",
        "report/toyt/sections.py",
        "analysis/toyt/localities.py",
        "report/templates/toyt/wards.html",  # the topic's own templates count for its pages only
    ]
    assert _changes(monkeypatch, package, notebooks, edits) == [["toyt"]] * 4
    # a shared template counts for every page that renders templates
    assert set(_changes(monkeypatch, package, notebooks, ["report/templates/period.html"])[0]) >= {
        "overview",
        "population",
        "toyt",
    }


def test_editing_what_a_topics_headlines_import_reruns_the_overview_never_another_topic(tmp_path, monkeypatch):
    package, notebooks = _with_toy_topic(tmp_path)
    others = {"population", "deprivation", "life_expectancy", "cancer_screening"}
    figures, load = _changes(monkeypatch, package, notebooks, ["analysis/toyt/figures.py", "analysis/toyt/load.py"])
    assert {"overview", "summary"} <= set(figures) and not set(figures) & (others | {"toyt"})
    assert {"overview", "summary", "toyt"} <= set(load) and not set(load) & others


def test_editing_a_cancer_screening_module_reruns_no_population_deprivation_or_overview_page(tmp_path, monkeypatch):
    """Issue 21 "done when": after editing one cancer-screening module, no population, deprivation or
    life expectancy page re-runs; nor the overview and place summaries unless the module is one the
    topic's headlines import."""
    package = _package_copy(tmp_path)
    others = {"population", "deprivation", "life_expectancy"}
    report = sorted(str(f.relative_to(package)) for f in (package / "report" / "cancer_screening").glob("*.py"))
    analysis = sorted(str(f.relative_to(package)) for f in (package / "analysis" / "cancer_screening").glob("*.py"))
    assert len(report) >= 5 and len(analysis) >= 5
    for rel, changed in zip(report, _changes(monkeypatch, package, NOTEBOOKS, report), strict=True):
        assert "cancer_screening" in changed or rel.endswith("__init__.py"), rel
        assert not set(changed) & (others | {"overview", "summary"}), (rel, changed)
    for rel, changed in zip(analysis, _changes(monkeypatch, package, NOTEBOOKS, analysis), strict=True):
        assert not set(changed) & others, (rel, changed)


def test_editing_a_population_report_module_reruns_only_the_population_pages(tmp_path, monkeypatch):
    package = _package_copy(tmp_path)
    # each module of the population report package: an edit re-runs the population pages only
    targets = sorted(package.glob("report/population/*.py"))
    assert targets
    edits = [str(t.relative_to(package)) for t in targets]
    assert _changes(monkeypatch, package, NOTEBOOKS, edits) == [["population"]] * len(edits)


def test_a_module_only_a_function_that_never_runs_would_import_does_not_count():
    src = textwrap.dedent(
        """
        import importlib
        from llr_analysis import places

        def used():
            return importlib.import_module(f"llr_analysis.report.{places.x}")

        def unused():
            from llr_analysis.analysis import cancer_screening
        """
    )
    units = hashing.units_of(src, "llr_analysis.fake")
    assert units[""].names == {"llr_analysis", "llr_analysis.places"}
    assert units["used"].patterns == {"llr_analysis.report.*"}
    assert "llr_analysis.analysis.cancer_screening" in units["unused"].names


def test_dynamic_imports_by_name_are_followed():
    names, prefixes = hashing.imports_in(
        'import importlib\nm = importlib.import_module("llr_analysis.report.population")\n'
        'n = __import__("llr_analysis.stats.proportions")\nTARGET = "llr_analysis.analysis.localities.areas:areas"\n'
    )
    assert {
        "llr_analysis.report.population",
        "llr_analysis.stats.proportions",
        "llr_analysis.analysis.localities.areas",
    } <= (names)
    assert prefixes == set()


def test_the_overview_follows_its_import_of_every_topic_headlines_module():
    mods = hashing.notebook_modules(REPO / "notebooks" / "overview.ipynb")
    headlines = sorted(hashing.matching(hashing.all_modules(), ["llr_analysis.analysis.*.headlines"]))
    assert set(headlines) <= mods
    # it does not import the topic pages' report code, nor the topics' other analysis modules
    assert not any(m.startswith(("llr_analysis.report.population", "llr_analysis.report.deprivation")) for m in mods)
    assert "llr_analysis.analysis.population.localities" not in mods


def test_an_f_string_import_stands_for_the_modules_that_fit_it():
    _, patterns = hashing.imports_in(
        'import importlib\nm = importlib.import_module(f"llr_analysis.analysis.{topic.id}.headlines")\n'
    )
    assert patterns == {"llr_analysis.analysis.*.headlines"}
    modules = [
        "llr_analysis.analysis.population",
        "llr_analysis.analysis.population.headlines",
        "llr_analysis.analysis.population.localities",
        "llr_analysis.analysis.headlines",
        "llr_analysis.report.population.headlines",
    ]
    assert hashing.matching(modules, patterns) == ["llr_analysis.analysis.population.headlines"]
    # a computed part at the end stands for every module below the literal start
    assert hashing.matching(modules, ["llr_analysis.analysis.*"]) == modules[:4]


def test_a_processing_step_key_covers_its_module_and_imports_only():
    from llr_analysis import process

    process.ordered_steps()
    closure = hashing.import_closure([process.STEPS["population"].func.__module__])
    assert "llr_analysis.process.population" in closure
    assert "llr_analysis.process.cancer_screening" not in closure  # discovery of siblings is not a dependency
    assert not any(m.startswith(("llr_analysis.analysis", "llr_analysis.report")) for m in closure)


def test_every_notebook_declares_its_inputs():
    for nb in NOTEBOOKS:
        meta = json.loads(nb.read_text())["metadata"]["llr"]
        assert meta.get("inputs"), f"{nb.name} declares no inputs"


def test_a_notebook_without_inputs_is_refused_before_any_work(tmp_path):
    (tmp_path / "notebooks").mkdir()
    nb = nbformat.v4.new_notebook()
    nb.metadata["llr"] = {"title": "No inputs", "per_place": False}
    nbformat.write(nb, tmp_path / "notebooks" / "bare.ipynb")
    with pytest.raises(ParameterError, match="bare.ipynb declares no inputs: add the processed tables"):
        plan(ProjectPaths(tmp_path))


def test_reading_an_undeclared_table_names_the_notebook_and_the_table(monkeypatch, tmp_path):
    from llr_analysis.process import read_table

    monkeypatch.setenv("LLR_INPUTS", json.dumps(["population/*"]))
    monkeypatch.setenv("LLR_INPUTS_OF", "population.ipynb for rutland")
    with pytest.raises(LLRError) as info:
        read_table("deprivation/iod_lsoa", ProjectPaths(tmp_path))
    assert str(info.value).startswith(
        "population.ipynb for rutland reads the processed table 'deprivation/iod_lsoa', which its metadata "
        "llr.inputs does not declare (population/*)"
    )
    with pytest.raises(LLRError, match="is missing"):  # a declared table goes on to be read
        read_table("population/lsoa21_age", ProjectPaths(tmp_path))


def test_a_run_key_covers_only_the_declared_tables(tmp_path):
    paths = ProjectPaths(tmp_path)
    (tmp_path / "notebooks").mkdir()
    nb = nbformat.v4.new_notebook()
    nb.metadata["llr"] = {"title": "T", "per_place": False, "inputs": ["a/*"]}
    nbformat.write(nb, tmp_path / "notebooks" / "t.ipynb")
    run = Run(tmp_path / "notebooks" / "t.ipynb", "t", "T", None, Path("t.ipynb"))
    for t in ("a/x", "b/y"):
        (paths.processed / t).parent.mkdir(parents=True, exist_ok=True)
        (paths.processed / f"{t}.parquet").write_bytes(b"1")
    first = run_hash(run, paths, "code")
    (paths.processed / "b" / "y.parquet").write_bytes(b"2")
    assert run_hash(run, paths, "code") == first
    (paths.processed / "a" / "x.parquet").write_bytes(b"2")
    assert run_hash(run, paths, "code") != first


# ------------------------------------------------------------------------------ parameters refused before work
def test_impossible_parameter_values_are_refused_before_any_work():
    with pytest.raises(ParameterError, match="parameter 'edition' of deprivation.ipynb cannot be 'IoD2031'"):
        plan(ProjectPaths(REPO), parameters={"edition": "IoD2031"}, with_profiles=False)
    with pytest.raises(
        ParameterError, match="parameter 'year' of population.ipynb cannot be 1066: it takes 2019, 2020"
    ):
        plan(ProjectPaths(REPO), parameters={"year": "1066"}, with_profiles=False)
    runs = plan(ProjectPaths(REPO), parameters={"sex": "female"}, with_profiles=False)  # case does not matter
    assert {r.parameters.get("sex") for r in runs if r.topic == "life_expectancy"} == {"female"}


@pytest.mark.parametrize("value", ["0", "-2", "two"])
def test_workers_below_one_are_refused(value, capsys):
    with pytest.raises(SystemExit) as info:
        main(["build", "--workers", value])
    assert info.value.code == 2
    assert "--workers: must be" in capsys.readouterr().err


def test_cell_timeout_is_configurable_and_checked(monkeypatch, tmp_path):
    monkeypatch.delenv("LLR_CELL_TIMEOUT", raising=False)
    assert cell_timeout(ProjectPaths(tmp_path)) == 300
    (tmp_path / "pyproject.toml").write_text("[tool.llr]\ncell-timeout = 42\n")
    assert cell_timeout(ProjectPaths(tmp_path)) == 42
    monkeypatch.setenv("LLR_CELL_TIMEOUT", "7.5")
    assert cell_timeout(ProjectPaths(tmp_path)) == 7.5
    monkeypatch.setenv("LLR_CELL_TIMEOUT", "0")
    with pytest.raises(ParameterError, match="LLR_CELL_TIMEOUT must be a number of seconds above 0, got '0'"):
        cell_timeout(ProjectPaths(tmp_path))


def test_a_wrong_llr_quarto_is_an_error_not_ignored(tmp_path, monkeypatch):
    from llr_analysis.website.render import RenderError, find_quarto

    fake = tmp_path / "quarto"
    fake.write_text("#!/bin/sh\necho 1.4.550\n")
    fake.chmod(0o755)
    monkeypatch.setenv("LLR_QUARTO", str(fake))
    with pytest.raises(
        RenderError, match=r"Quarto 1.7.x not found: LLR_QUARTO=.*quarto is version 1.4.550; point LLR_QUARTO"
    ):
        find_quarto(REPO)
    monkeypatch.setenv("LLR_QUARTO", str(tmp_path / "missing"))
    with pytest.raises(RenderError, match="is not an executable Quarto"):
        find_quarto(REPO)


def test_places_option_sets_llr_places_for_the_command_and_its_kernels(tmp_path, monkeypatch, capsys):
    monkeypatch.setenv("LLR_PLACES", "")  # recorded, so that the value main() sets is undone after the test
    monkeypatch.delenv("LLR_PLACES")
    places = tmp_path / "places.yml"
    shutil.copyfile(REPO / "src" / "llr_analysis" / "config" / "places.yml", places)
    monkeypatch.setenv("LLR_ROOT", str(tmp_path / "not-a-project"))
    assert main(["process", "--places", str(places)]) == 1  # refused (no project), but the option was read
    assert os.environ["LLR_PLACES"] == str(places.resolve())
    capsys.readouterr()
    assert main(["process", "--places", str(tmp_path / "nope.yml")]) == 1
    assert capsys.readouterr().err == f"llr process: error: --places {tmp_path / 'nope.yml'}: no such file\n"


# ------------------------------------------------------------------------------ outside a project
def test_outside_a_project_every_command_refuses_and_writes_nothing(tmp_path, monkeypatch, capsys):
    monkeypatch.delenv("LLR_ROOT", raising=False)
    monkeypatch.chdir(tmp_path)
    with pytest.raises(NoProjectError):
        find_root()
    for argv in (["fetch"], ["fetch-fingertips"], ["process"], ["notebooks"], ["render"], ["build"], ["check"]):
        assert main(argv) == 1, argv
        assert "error: no project found here" in capsys.readouterr().err
    assert list(tmp_path.iterdir()) == []


# ------------------------------------------------------------------------------ one lock for every writing command
def test_every_writing_command_is_refused_while_a_build_runs(tmp_path, monkeypatch, capsys):
    root = tmp_path / "proj"
    root.mkdir()
    for f in ("pyproject.toml", "_quarto.yml"):
        shutil.copyfile(REPO / f, root / f)
    shutil.copytree(REPO / "notebooks", root / "notebooks")
    monkeypatch.delenv("LLR_ROOT", raising=False)
    with BuildLock(ProjectPaths(root), "build"):
        for argv in (["fetch"], ["fetch-fingertips"], ["process"], ["notebooks"], ["render"], ["build"]):
            assert main(["--root", str(root), *argv]) == 1, argv
            err = capsys.readouterr().err
            assert "another build or command is running" in err and "llr build" in err, err
    assert not (root / "data").exists()  # nothing was written


def _hold_lock_then_get_killed(root: Path, with_child: bool) -> subprocess.Popen:
    """A build (a child python) that takes the lock, forks a worker as ProcessPoolExecutor does, and waits."""
    code = textwrap.dedent(
        f"""
        import os, sys, time
        from llr_analysis.paths import ProjectPaths
        from llr_analysis.website.build import BuildLock
        from pathlib import Path
        lock = BuildLock(ProjectPaths(Path({str(root)!r})), "build").__enter__()
        if {with_child!r}:
            from concurrent.futures import ProcessPoolExecutor
            pool = ProcessPoolExecutor(1)
            pool.submit(time.sleep, 600)
            time.sleep(1)
        print("ready", flush=True)
        time.sleep(600)
        """
    )
    proc = subprocess.Popen([PY, "-c", code], stdout=subprocess.PIPE, text=True)
    assert proc.stdout is not None and proc.stdout.readline().strip() == "ready"
    return proc


def test_a_killed_build_leaves_no_worker_holding_the_lock_and_the_next_takes_over(tmp_path):
    proc = _hold_lock_then_get_killed(tmp_path, with_child=True)
    children = subprocess.run(["pgrep", "-P", str(proc.pid)], capture_output=True, text=True).stdout.split()
    assert children, "the build forked no worker"
    proc.send_signal(signal.SIGKILL)
    proc.wait()
    said = []
    t0 = time.monotonic()
    with BuildLock(ProjectPaths(tmp_path), "build", log=said.append):
        pass
    assert time.monotonic() - t0 < 10
    assert said and said[0].startswith("lock: taking over build/.lock from a command that ended without releasing it")
    assert f"pid {proc.pid}" in said[0]
    time.sleep(0.5)
    for pid in children:  # the worker died with its parent
        assert not Path(f"/proc/{pid}").exists() or "Z" in Path(f"/proc/{pid}/stat").read_text().split()[2]


# ------------------------------------------------------------------------------ notebooks: time limit, fail fast
def _toy_notebook(folder: Path, name: str, body: str) -> Path:
    nb = nbformat.v4.new_notebook()
    params = nbformat.v4.new_code_cell('place = "rutland"')
    params.metadata["tags"] = ["parameters"]
    nb.cells = [params, nbformat.v4.new_code_cell(body)]
    nb.metadata["llr"] = {"title": name, "per_place": True, "inputs": ["population/*"]}
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    path = folder / f"{name}.ipynb"
    nbformat.write(nb, path)
    return path


@pytest.mark.slow  # waits for a 15 s cell time limit on a Jupyter kernel
def test_a_cell_that_never_ends_stops_at_the_time_limit_naming_notebook_place_and_cell(tmp_path, monkeypatch):
    nb = _toy_notebook(tmp_path, "endless", "import time\nwhile True:\n    time.sleep(0.1)")
    run = Run(nb, "endless", "Endless", "rutland", Path("endless/rutland.ipynb"), {"place": "rutland"})
    # 15 s: the setup cells (imports) must finish within the limit on a busy machine too
    monkeypatch.setenv("LLR_CELL_TIMEOUT", "15")
    t0 = time.monotonic()
    with pytest.raises(BuildError) as info:
        execute([run], tmp_path / "out", REPO, workers=1, paths=ProjectPaths(REPO))
    assert time.monotonic() - t0 < 120
    msg = str(info.value)
    assert msg.startswith(
        "build failed at step 'notebooks': endless.ipynb for rutland: cell 2 ('import time') did not finish"
    )
    assert "time limit of 15 s per cell" in msg and "--cell-timeout" in msg
    assert not (tmp_path / "out" / run.output).exists()


@pytest.mark.slow  # runs notebooks on a Jupyter kernel
def test_the_first_failed_run_stops_the_others(tmp_path, monkeypatch):
    """With two workers, a run that fails at once ends the build: the slow runs queued after it never start."""
    bad = _toy_notebook(tmp_path, "bad", "raise OSError(28, 'No space left on device', '/full/disk/file')")
    slow = _toy_notebook(tmp_path, "slow", "import time\ntime.sleep(2)")
    runs = [Run(bad, "bad", "Bad", "rutland", Path("bad/rutland.ipynb"), {"place": "rutland"})] + [
        Run(slow, "slow", "Slow", p, Path(f"slow/{p}-{i}.ipynb"), {"place": p})
        for i in range(2)
        for p in ("leicester", "leicestershire", "rutland")
    ]
    t0 = time.monotonic()
    with pytest.raises(BuildError) as info:
        execute(runs, tmp_path / "out", REPO, workers=2, paths=ProjectPaths(REPO))
    took = time.monotonic() - t0
    assert "bad.ipynb for rutland: cell 2" in str(info.value)
    assert "No space left on device: '/full/disk/file'" in str(info.value)
    done = list((tmp_path / "out" / "slow").glob("*.ipynb")) if (tmp_path / "out" / "slow").exists() else []
    assert len(done) <= 1, "runs were scheduled after the failure"
    assert took < 60


@pytest.mark.slow  # runs notebooks on a Jupyter kernel
def test_an_unwritable_output_names_the_run_and_the_path(tmp_path, monkeypatch):
    nb = _toy_notebook(tmp_path, "fine", "x = 1")
    run = Run(nb, "fine", "Fine", "rutland", Path("fine/rutland.ipynb"), {"place": "rutland"})
    out = tmp_path / "out"

    def full(*_a, **_k):
        raise OSError(28, "No space left on device", str(out / "fine" / "rutland.ipynb.tmp"))

    monkeypatch.setattr(nbformat, "write", full)
    with pytest.raises(BuildError) as info:
        try:
            _execute(run, out, REPO)
        finally:
            from llr_analysis.website.notebooks import _SESSION

            _SESSION.close()
    assert str(info.value) == (
        f"build failed at step 'notebooks': fine.ipynb for rutland: cannot write the executed notebook: "
        f"{out}/fine/rutland.ipynb.tmp: No space left on device (the disk is full: free some space, then build again)"
    )


# ------------------------------------------------------------------------------ Quarto: time limit, process group
def test_quarto_render_has_a_time_limit_and_its_processes_end_with_it(tmp_path, monkeypatch):
    from llr_analysis.website import render as render_mod

    pidfile = tmp_path / "child.pid"
    fake = tmp_path / "quarto"
    fake.write_text(f"#!/bin/sh\nsleep 600 &\necho $! > {pidfile}\nwait\n")
    fake.chmod(0o755)
    monkeypatch.setenv("LLR_RENDER_TIMEOUT", "2")
    t0 = time.monotonic()
    with pytest.raises(render_mod.RenderError, match="quarto render did not finish within 2 s and was stopped"):
        render_mod._run(fake, tmp_path, ".")
    assert time.monotonic() - t0 < 30
    child = int(pidfile.read_text())
    time.sleep(0.3)
    assert not Path(f"/proc/{child}").exists() or "Z" in Path(f"/proc/{child}/stat").read_text().split()[2]


# ------------------------------------------------------------------------------ Ctrl-C and SIGKILL of a real command
def _toy_project(tmp_path: Path) -> Path:
    root = tmp_path / "proj"
    (root / "notebooks").mkdir(parents=True)
    (root / "pyproject.toml").write_text("[tool.llr]\n")
    (root / "_quarto.yml").write_text("project:\n  type: website\n")
    _toy_notebook(root / "notebooks", "slow", "import time\ntime.sleep(120)")
    return root


def _descendants(pid: int) -> set[int]:
    """Processes whose parent chain reaches ``pid``, and kernels started in their own session by them."""
    out: set[int] = set()
    frontier = {pid}
    while frontier:
        found = set()
        for stat in Path("/proc").glob("[0-9]*/stat"):
            try:
                fields = stat.read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue
            if int(fields[1]) in frontier:
                found.add(int(stat.parent.name))
        frontier = found - out
        out |= found
    return out


def _alive(pids: set[int]) -> set[int]:
    left = set()
    for p in pids:
        try:
            state = Path(f"/proc/{p}/stat").read_text().rsplit(")", 1)[1].split()[0]
        except OSError:
            continue
        if state != "Z":
            left.add(p)
    return left


def _cmdline(pid: int) -> str:
    try:
        return Path(f"/proc/{pid}/cmdline").read_text(errors="replace")
    except OSError:
        return ""


def _start_notebooks(root: Path) -> tuple[subprocess.Popen, set[int]]:
    env = {**os.environ, "LLR_CELL_TIMEOUT": "300"}
    env.pop("LLR_ROOT", None)
    code = (
        "import signal, sys; signal.signal(signal.SIGINT, signal.default_int_handler); "  # as a terminal's foreground job
        "from llr_analysis.cli import main; sys.exit(main(sys.argv[1:]))"
    )
    proc = subprocess.Popen(
        [PY, "-c", code, "--root", str(root), "notebooks", "--workers", "2"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=env,
        start_new_session=True,
    )
    deadline = time.monotonic() + 90
    kids: set[int] = set()
    while time.monotonic() < deadline:  # two workers, each with a kernel running the endless cell
        kids = _descendants(proc.pid)
        kernels = [p for p in kids if "ipykernel" in _cmdline(p)]
        if len(kernels) >= 2:
            time.sleep(3)  # the cells are running
            return proc, _descendants(proc.pid)
        time.sleep(0.5)
    proc.kill()
    pytest.fail(f"the notebooks did not start: {proc.communicate()}")


@pytest.mark.slow
def test_ctrl_c_prints_one_line_and_stops_workers_and_kernels(tmp_path):
    proc, kids = _start_notebooks(_toy_project(tmp_path))
    os.killpg(proc.pid, signal.SIGINT)  # Ctrl-C goes to the terminal's foreground process group
    _out, err = proc.communicate(timeout=30)
    assert proc.returncode == 130
    assert err.strip().splitlines()[-1] == "llr notebooks: interrupted (Ctrl-C): stopped; site/ was not changed"
    assert "Traceback" not in err
    time.sleep(1.5)
    assert not _alive(kids), "workers or kernels outlived the command"


@pytest.mark.slow
def test_a_killed_command_leaves_no_worker_or_kernel_and_the_next_takes_the_lock(tmp_path):
    root = _toy_project(tmp_path)
    proc, kids = _start_notebooks(root)
    proc.kill()
    proc.communicate()
    time.sleep(1.5)
    assert not _alive(kids), "workers or kernels outlived the killed command"
    said: list[str] = []
    with BuildLock(ProjectPaths(root), "build", log=said.append):
        pass
    assert said and "that process is gone" in said[0]


def test_a_places_file_reaches_the_kernels_and_the_cache_keys(tmp_path, monkeypatch):
    from llr_analysis.website.notebooks import _setup_cell

    places = tmp_path / "places.yml"
    packaged = (REPO / "src" / "llr_analysis" / "config" / "places.yml").read_text()
    places.write_text(packaged)
    monkeypatch.delenv("LLR_PLACES", raising=False)
    key = hashing.notebook_code_hash(REPO / "notebooks" / "population.ipynb")
    monkeypatch.setenv("LLR_PLACES", str(places))
    run = Run(REPO / "notebooks" / "population.ipynb", "population", "P", "rutland", Path("population/rutland.ipynb"))
    code = _setup_cell(tmp_path / "out" / "x.ipynb", tmp_path, REPO, run).source
    assert f"_os.environ['LLR_PLACES'] = {str(places)!r}" in code
    assert "_os.environ['LLR_INPUTS'] = " in code and "population/*" in code
    with_file = hashing.notebook_code_hash(REPO / "notebooks" / "population.ipynb")
    assert with_file != key
    places.write_text(packaged + "# another version of the file\n")
    assert hashing.notebook_code_hash(REPO / "notebooks" / "population.ipynb") not in (key, with_file)


def test_a_template_edit_changes_the_key_of_the_notebooks_that_render_templates(tmp_path, monkeypatch):
    """Page templates are code: editing one re-runs the notebooks whose modules render templates."""
    template = hashing.PACKAGE / "report" / "templates" / "period.html"
    original = template.read_bytes()
    overview = REPO / "notebooks" / "overview.ipynb"
    assert "llr_analysis.report.templating" in hashing.notebook_modules(overview)
    before = hashing.notebook_code_hash(overview)
    try:
        template.write_bytes(original + b"\n{# edited #}\n")
        assert hashing.notebook_code_hash(overview) != before
    finally:
        template.write_bytes(original)
    assert hashing.notebook_code_hash(overview) == before
