"""The build cannot be raced, half-published or misled by its parameters (issue 14, items 5, 7, 8, 9)."""

from __future__ import annotations

from pathlib import Path

import nbformat
import pytest

from llr_analysis.errors import BuildError, ParameterError
from llr_analysis.paths import ProjectPaths
from llr_analysis.website import build as build_mod
from llr_analysis.website.build import BuildLock, publish, recover
from llr_analysis.website.navigation import quarto_config
from llr_analysis.website.notebooks import Run, front_matter, is_current, plan

REPO = Path(__file__).resolve().parents[1]
EVIL = '<script>alert("x")</script> & Sons'


# ------------------------------------------------------------------------------ parameters
def test_the_place_cannot_be_overridden_from_the_command_line():
    with pytest.raises(ParameterError, match="'place' is set by the build for each page"):
        plan(ProjectPaths(REPO), parameters={"place": "rutland"})


def test_unknown_parameters_are_refused_with_the_valid_ones():
    with pytest.raises(ParameterError) as info:
        plan(ProjectPaths(REPO), parameters={"editon": "IoD2019"})
    msg = str(info.value)
    assert "unknown parameter(s) ['editon']" in msg and "edition" in msg and "locality_level" in msg


def test_parameters_go_only_to_notebooks_that_declare_them_with_their_type():
    runs = plan(ProjectPaths(REPO), parameters={"edition": "IoD2019", "year": "2019"}, with_profiles=False)
    by = {(r.topic, r.place): r.parameters for r in runs}
    assert by[("deprivation", "rutland")] == {"edition": "IoD2019", "place": "rutland"}
    assert by[("population", "leicester")] == {"year": 2019, "place": "leicester"}  # int, as its default
    assert by[("summary", "leicester")] == {"place": "leicester"}
    with pytest.raises(ParameterError, match="'year' of population.ipynb must be int"):
        plan(ProjectPaths(REPO), parameters={"year": "twenty"}, with_profiles=False)


# ------------------------------------------------------------------------------ one build at a time
def test_a_second_build_in_the_same_folder_is_refused(tmp_path):
    paths = ProjectPaths(tmp_path)
    with (
        BuildLock(paths),
        pytest.raises(BuildError, match="another build or command is running .* \\(pid \\d+"),
        BuildLock(paths),
    ):
        pass
    with BuildLock(paths):  # released when the first ended
        pass


# ------------------------------------------------------------------------------ publishing
def _site(folder: Path, text: str) -> Path:
    folder.mkdir(parents=True)
    (folder / "index.html").write_text(text)
    return folder


def test_publish_swaps_the_site_and_keeps_its_readme(tmp_path):
    site = _site(tmp_path / "site", "old")
    (site / "README.md").write_text("tracked in git")
    new = _site(tmp_path / "build" / "site.new", "new")
    publish(new, site)
    assert (site / "index.html").read_text() == "new"
    assert (site / "README.md").read_text() == "tracked in git"
    assert not new.exists() and not (tmp_path / "site.old").exists()


def test_publish_is_one_atomic_exchange_on_linux(tmp_path):
    a = _site(tmp_path / "a", "A")
    b = _site(tmp_path / "b", "B")
    assert build_mod._exchange(a, b) is True
    assert (a / "index.html").read_text() == "B" and (b / "index.html").read_text() == "A"


def test_an_unwritable_site_is_one_clear_error_and_nothing_changes(tmp_path, monkeypatch):
    site = _site(tmp_path / "site", "old")
    new = _site(tmp_path / "build" / "site.new", "new")

    def refuse(*_):
        raise PermissionError(13, "Permission denied", str(site))

    monkeypatch.setattr(build_mod, "_exchange", refuse)
    with pytest.raises(BuildError, match="step 'publish': cannot replace .*site: Permission denied"):
        publish(new, site)
    assert (site / "index.html").read_text() == "old"


def test_the_next_build_recovers_an_interrupted_publish(tmp_path):
    paths = ProjectPaths(tmp_path)
    _site(tmp_path / "site.old", "old")  # killed between moving the old site aside and the new in
    _site(tmp_path / "build" / "site.new", "half")  # and a half-written new site
    done = recover(paths)
    assert (paths.site / "index.html").read_text() == "old"
    assert not (tmp_path / "build" / "site.new").exists() and len(done) == 2


# ------------------------------------------------------------------------------ caches verified by content
def test_a_corrupt_executed_notebook_is_run_again(tmp_path):
    run = Run(Path("nb.ipynb"), "topic", "Topic", "rutland", Path("topic/rutland.ipynb"))
    out = tmp_path / run.output
    out.parent.mkdir(parents=True)
    nbformat.write(nbformat.v4.new_notebook(), out)
    import hashlib

    (tmp_path / run.hash_file).write_text(f"abc\n{hashlib.sha256(out.read_bytes()).hexdigest()}\n")
    assert is_current(run, tmp_path, "abc")
    assert not is_current(run, tmp_path, "other inputs")
    out.write_bytes(out.read_bytes()[:20])  # truncated
    said = []
    assert not is_current(run, tmp_path, "abc", log=said.append)
    assert said == ["  topic/rutland.ipynb changed or is corrupt since it was executed - running it again"]


# ------------------------------------------------------------------------------ escaping
def test_names_from_configuration_are_escaped_in_titles_and_navigation(monkeypatch, tmp_path):
    from llr_analysis.places import load_places
    from llr_analysis.website import navigation, notebooks

    cfg = load_places()
    evil_place = type(cfg.places["rutland"])(**{**cfg.places["rutland"].__dict__, "name": EVIL})
    fake = type(cfg)(**{**cfg.__dict__, "places": {**cfg.places, "rutland": evil_place}})
    monkeypatch.setattr(notebooks, "load_places", lambda: fake)
    monkeypatch.setattr(navigation, "load_places", lambda: fake)
    run = Run(Path("nb.ipynb"), "deprivation", "Deprivation", "rutland", Path("deprivation/rutland.ipynb"))
    fm = front_matter(run)
    assert "<script>" not in fm and "&lt;script&gt;" in fm and "&amp; Sons" in fm
    nav = quarto_config({}, [run], {}, tmp_path)
    assert nav["website"]["navbar"]["left"][0]["menu"][0]["text"].startswith("&lt;script&gt;")
    assert nav["website"]["sidebar"][0]["title"].startswith("&lt;script&gt;")


def test_narrative_markdown_cannot_carry_html(tmp_path, monkeypatch):
    from llr_analysis.report import page as page_mod

    shown = []
    monkeypatch.setenv("LLR_STAGE", str(tmp_path))
    monkeypatch.chdir(tmp_path)
    monkeypatch.setattr(page_mod, "_display", shown.append)
    page_mod.Page("topic", "rutland").markdown(f"**Highest** in {EVIL}")
    assert shown[0].data == '**Highest** in &lt;script&gt;alert("x")&lt;/script&gt; &amp; Sons'


def test_a_profiles_level_and_code_cannot_be_overridden():
    with pytest.raises(ParameterError, match="'code' is set by the build for each page .*every locality profile"):
        plan(ProjectPaths(REPO), parameters={"code": "E05010458"}, with_profiles=False)
