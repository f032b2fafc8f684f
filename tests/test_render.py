"""Rendering with Quarto (the one renderer): finding it, what to re-render, navigation, real renders.

The real renders use the Quarto 1.7 that `make test` installs (tools/setup-quarto.sh); a missing
Quarto is a failure here, not a skip.
"""

from __future__ import annotations

import json
import os
import re
import time
from pathlib import Path

import nbformat
import pytest
import yaml

from llr_analysis.report.page import raw_html_markdown
from llr_analysis.website import render as render_mod
from llr_analysis.website.build import render_plan
from llr_analysis.website.navigation import quarto_config
from llr_analysis.website.notebooks import Run
from llr_analysis.website.render import RenderError, find_quarto, render

REPO = Path(__file__).resolve().parents[1]


# ------------------------------------------------------------------------------------ find_quarto
def _fake_quarto(path: Path, version: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(f"#!/bin/sh\necho {version}\n")
    path.chmod(0o755)
    return path


def test_find_quarto_takes_llr_quarto_when_it_is_1_7(tmp_path, monkeypatch):
    exe = _fake_quarto(tmp_path / "q17" / "quarto", "1.7.34")
    monkeypatch.setenv("LLR_QUARTO", str(exe))
    assert find_quarto(tmp_path) == exe


def test_find_quarto_refuses_other_versions_and_says_how_to_install(tmp_path, monkeypatch):
    old = _fake_quarto(tmp_path / "q16" / "quarto", "1.6.40")
    monkeypatch.setenv("LLR_QUARTO", str(old))
    monkeypatch.setenv("PATH", str(tmp_path / "q16"))
    monkeypatch.setattr(render_mod.sys, "prefix", str(tmp_path / "no-venv"))
    with pytest.raises(RenderError) as info:
        find_quarto(tmp_path)
    msg = str(info.value)
    assert "Quarto 1.7.x not found" in msg and "1.6.40" in msg and "make quarto" in msg


def test_find_quarto_uses_the_project_local_install(tmp_path, monkeypatch):
    monkeypatch.delenv("LLR_QUARTO", raising=False)
    monkeypatch.setenv("PATH", "/nonexistent")
    monkeypatch.setattr(render_mod.sys, "prefix", str(tmp_path / "no-venv"))
    exe = _fake_quarto(tmp_path / ".tools" / "quarto" / "bin" / "quarto", "1.7.34")
    assert find_quarto(tmp_path) == exe


# ------------------------------------------------------------------------------------ render_plan
def test_render_plan_whole_site_first_time_and_on_config_change():
    now = {"_quarto.yml": "a", "index.ipynb": "b", "dep/x.ipynb": "c"}
    assert render_plan(None, now) is None
    assert render_plan({**now, "_quarto.yml": "old"}, now) is None
    assert render_plan({**now, "assets/site.css": "x"}, {**now, "assets/site.css": "y"}) is None
    assert render_plan({k: v for k, v in now.items() if k != "dep/x.ipynb"}, now) is None  # page added


def test_render_plan_changed_pages_only():
    before = {
        "_quarto.yml": "a",
        "index.ipynb": "b",
        "dep/x.ipynb": "c",
        "dep/y.ipynb": "d",
        "dep/x-data/t.csv": "e",
        "pop/x.ipynb": "f",
    }
    assert render_plan(before, before) == []
    one = {**before, "dep/x.ipynb": "C", "dep/x-data/t.csv": "E"}
    assert render_plan(before, one) == ["dep/x.ipynb"]  # a CSV download alone needs no re-render
    topic = {**before, "dep/x.ipynb": "C", "dep/y.ipynb": "D"}
    assert render_plan(before, topic) == ["dep"]  # every page of a folder: the folder
    assert render_plan(before, {**before, "index.ipynb": "B"}) == ["index.ipynb"]


# ------------------------------------------------------------------------------------ navigation
def _runs():
    nb = Path("notebooks/x.ipynb")
    runs = [Run(nb, "overview", "Overview", None, Path("index.ipynb"), role="home")]
    for place in ("leicester", "leicestershire", "rutland"):
        runs.append(Run(nb, "summary", "Summary", place, Path(f"summary/{place}.ipynb"), role="place-summary"))
        runs.append(Run(nb, "deprivation", "Deprivation", place, Path(f"deprivation/{place}.ipynb"), order=2))
        runs.append(Run(nb, "population", "Population", place, Path(f"population/{place}.ipynb"), order=1))
    return runs


def test_navigation_is_generated_from_places_and_notebook_metadata(tmp_path):
    pages = {
        tmp_path / "methods.qmd": '---\ntitle: "Methods"\norder: 1\n---\n',
        tmp_path / "sources.qmd": '---\ntitle: "Data sources"\norder: 2\n---\n',
    }
    cfg = quarto_config({"website": {"title": "T"}}, _runs(), pages, tmp_path)
    left = cfg["website"]["navbar"]["left"]
    assert [i["text"] for i in left] == ["Overview", "Places", "Population", "Deprivation"]
    assert left[0]["href"] == "index.html"
    assert [m["text"] for m in left[1]["menu"]] == ["Leicester", "Leicestershire", "Rutland"]
    assert left[3]["menu"][2] == {"text": "Rutland", "href": "deprivation/rutland.html"}
    about = cfg["website"]["navbar"]["right"][0]["menu"]
    assert [a["href"] for a in about] == ["methods.html", "sources.html"]
    sidebars = {s["id"]: s for s in cfg["website"]["sidebar"]}
    home = sidebars["rutland"]["contents"][0]  # Home at the root: breadcrumbs read Home › place › page
    assert home["section"] == "Home" and home["href"] == "index.html"
    section = home["contents"][0]
    assert section["section"] == "Rutland" and section["href"] == "summary/rutland.html"
    assert [c["href"] for c in section["contents"]] == ["population/rutland.html", "deprivation/rutland.html"]
    assert cfg["project"]["output-dir"] == "_site" and "deprivation/leicester.md" in cfg["project"]["render"]
    assert cfg["website"]["title"] == "T"


def _profiles():
    nb = Path("notebooks/locality.ipynb")
    return [
        Run(nb, "locality", "Locality profile", "rutland", Path("localities/rutland/ward-e05012633.ipynb"),
            role="locality-profile", locality=("ward", "E05012633", "Braunston & Martinsthorpe")),
        Run(nb, "locality", "Locality profile", "rutland", Path("localities/rutland/pcn-u67590.ipynb"),
            role="locality-profile", locality=("pcn", "U67590", "Rutland Health PCN")),
        Run(nb, "locality", "Locality profile", "rutland", Path("localities/rutland/ward-e05012632.ipynb"),
            role="locality-profile", locality=("ward", "E05012632", "Barleythorpe")),
    ]  # fmt: skip


def test_locality_profiles_get_a_menu_and_an_index_page_but_no_sidebar_entry_each(tmp_path):
    pages = {tmp_path / "localities/rutland.qmd": "---\ntitle: Localities of Rutland\n---\n"}
    cfg = quarto_config({}, _runs() + _profiles(), pages, tmp_path)
    left = cfg["website"]["navbar"]["left"]
    assert left[2] == {"text": "Localities", "menu": [{"text": "Rutland", "href": "localities/rutland.html"}]}
    assert cfg["website"]["navbar"]["right"] == []  # the index pages are not About pages
    section = {s["id"]: s for s in cfg["website"]["sidebar"]}["rutland"]["contents"][0]["contents"][0]
    # the place's sidebar ends with its localities index: one link, however many profiles (138 wards)
    assert section["contents"][-1] == {"text": "Localities", "href": "localities/rutland.html"}
    assert "ward-" not in yaml.safe_dump(cfg["website"]["sidebar"])
    assert "localities/rutland/pcn-u67590.md" in cfg["project"]["render"]


def test_profiles_are_staged_as_markdown_with_their_place_sidebar_and_breadcrumbs(tmp_path):
    from llr_analysis.website.staging import body_markdown, staged_name, staged_page

    nb = nbformat.v4.new_notebook()
    nb.cells = [
        nbformat.v4.new_raw_cell("---\ntitle: Barleythorpe ward\nplace: rutland\n---"),
        nbformat.v4.new_markdown_cell("## Who lives here"),
        nbformat.v4.new_code_cell("page.table(...)"),
        nbformat.v4.new_code_cell("print('hi')"),
    ]
    nb.cells[2].outputs = [
        nbformat.v4.new_output("display_data", data={"text/markdown": "```{=html}\n<table></table>\n```"})
    ]
    nb.cells[3].outputs = [nbformat.v4.new_output("stream", name="stdout", text="hi\n")]
    front, body = body_markdown(nb)
    assert front.startswith("---\ntitle: Barleythorpe ward")
    assert body == "## Who lives here\n\n```{=html}\n<table></table>\n```\n\n```\nhi\n```\n"
    run = _profiles()[2]
    executed = tmp_path / run.output
    executed.parent.mkdir(parents=True)
    nbformat.write(nb, executed)
    text = staged_page(run, executed, _runs() + _profiles()).decode()
    assert staged_name(run.output) == "localities/rutland/ward-e05012632.md"
    fm = yaml.safe_load(text.split("---")[1])
    assert fm["sidebar"] == "rutland" and fm["title"] == "Barleythorpe ward"
    crumbs = re.findall(r'<li class="breadcrumb-item[^"]*"[^>]*>(?:<a href="([^"]+)">)?([^<]+)', text)
    assert crumbs == [
        ("../../index.html", "Home"),
        ("../../summary/rutland.html", "Rutland"),
        ("../../localities/rutland.html", "Localities"),
        ("", "Barleythorpe ward"),
    ]
    assert text.endswith(body)


def test_navigation_of_a_partial_build_lists_only_its_pages(tmp_path):
    runs = [r for r in _runs() if r.place == "rutland" and r.topic == "deprivation"]
    cfg = quarto_config({}, runs, {}, tmp_path)
    left = cfg["website"]["navbar"]["left"]
    assert left == [{"text": "Deprivation", "menu": [{"text": "Rutland", "href": "deprivation/rutland.html"}]}]
    assert [s["id"] for s in cfg["website"]["sidebar"]] == ["rutland"]
    assert cfg["website"]["navbar"]["right"] == []


# ------------------------------------------------------------------------------------ real renders
def _notebook(path: Path, title: str, html_body: str) -> None:
    nb = nbformat.v4.new_notebook()
    nb.cells = [
        nbformat.v4.new_raw_cell(f'---\ntitle: "{title}"\n---'),
        nbformat.v4.new_code_cell("import secret_module\npage.html(x)"),
    ]
    nb.cells[1].outputs = [
        nbformat.v4.new_output(
            "display_data", data={"text/markdown": raw_html_markdown(html_body), "text/plain": "<Markdown>"}
        )
    ]
    path.parent.mkdir(parents=True, exist_ok=True)
    nbformat.write(nb, path)


@pytest.fixture(scope="module")
def project(tmp_path_factory):
    root = tmp_path_factory.mktemp("quarto")
    (root / "_quarto.yml").write_text(
        "project:\n  type: website\n  output-dir: _site\n"
        "execute:\n  enabled: false\n  echo: false\n"
        "website:\n  title: Test site\n  navbar:\n    left:\n      - href: index.qmd\n        text: Home\n"
        "      - href: topic/a.ipynb\n        text: A\n      - href: topic/b.ipynb\n        text: B\n"
        "format:\n  html:\n    html-math-method: plain\n    anchor-sections: false\n"
    )
    (root / "index.qmd").write_text(
        "---\ntitle: Home\n---\n\nWelcome to Leicester.\n\n::: {.callout-note}\nA note.\n:::\n"
    )
    _notebook(
        root / "topic" / "a.ipynb",
        "Page A",
        '<figure class="chart"><div id="chart-a">Rutland chart</div>'
        '<script type="application/json" data-llr-spec="chart-a">{}</script>'
        "</figure>",
    )
    _notebook(root / "topic" / "b.ipynb", "Page B", "<table class='data-table'><caption>Charnwood</caption></table>")
    result = render(root, root=REPO)
    return root, result


@pytest.mark.quarto  # a real Quarto render (slow: tests/conftest.py)
def test_quarto_renders_every_page_with_its_generator_tag(project):
    root, result = project
    assert [str(p) for p in result.pages] == ["index.html", "topic/a.html", "topic/b.html"]
    for page in result.pages:
        assert '<meta name="generator" content="quarto-1.7.' in (root / "_site" / page).read_text()


@pytest.mark.quarto  # a real Quarto render (slow: tests/conftest.py)
def test_raw_html_outputs_pass_through_without_cdn_scripts(project):
    root, _ = project
    html = (root / "_site" / "topic" / "a.html").read_text()
    assert '<div id="chart-a">Rutland chart</div>' in html
    assert '<script type="application/json" data-llr-spec="chart-a">{}</script>' in html
    assert "import secret_module" not in html  # code is hidden
    for remote in ("cdnjs", "jquery", "require.min.js", "mathjax", "jsdelivr"):
        assert remote not in html.lower(), remote
    from llr_analysis.website.check import check_site

    assert check_site(root / "_site") == []


@pytest.mark.quarto  # a real Quarto render (slow: tests/conftest.py)
def test_callouts_and_search_index(project):
    root, _ = project
    assert "callout-note" in (root / "_site" / "index.html").read_text()
    search = json.loads((root / "_site" / "search.json").read_text())
    assert any("Leicester" in entry["text"] for entry in search)


@pytest.mark.quarto  # a real Quarto render (slow: tests/conftest.py)
def test_incremental_render_touches_only_the_changed_page(project):
    root, _ = project
    site = root / "_site"
    a_before = (site / "topic" / "a.html").stat().st_mtime_ns
    time.sleep(0.05)
    _notebook(root / "topic" / "b.ipynb", "Page B", "<table class='data-table'><caption>Melton</caption></table>")
    result = render(root, ["topic/b.ipynb"], root=REPO)
    assert result.rendered == ["topic/b.ipynb"]
    assert "Melton" in (site / "topic" / "b.html").read_text()
    assert (site / "topic" / "a.html").stat().st_mtime_ns == a_before
    assert (site / "index.html").exists()
    search = json.loads((site / "search.json").read_text())
    assert {e["href"].split("#")[0] for e in search} >= {"index.html", "topic/a.html", "topic/b.html"}


@pytest.mark.quarto  # a real Quarto render (slow: tests/conftest.py)
def test_render_failure_names_the_input(tmp_path):
    (tmp_path / "_quarto.yml").write_text("project:\n  type: website\n  output-dir: _site\n")
    (tmp_path / "index.qmd").write_text("---\ntitle: [unclosed\n---\n")
    with pytest.raises(RenderError) as info:
        render(tmp_path, root=REPO)
    assert "quarto render failed" in str(info.value)


def test_missing_quarto_yml_is_an_error(tmp_path):
    with pytest.raises(RenderError, match="not a Quarto project"):
        render(tmp_path, root=REPO)


def test_quarto_found_by_the_build_is_1_7():
    exe = find_quarto(REPO)
    assert render_mod.quarto_version(exe).startswith("1.7.")
    assert os.access(exe, os.X_OK)


def test_pages_are_split_between_quarto_processes_by_size():
    from llr_analysis.website.render import _shards

    shards = _shards(
        {"life_expectancy": 900, "population": 800, "deprivation": 500, "index.ipynb": 300, "methods.qmd": 100}, 2
    )
    assert shards == [["index.ipynb", "life_expectancy", "methods.qmd"], ["deprivation", "population"]]
    assert _shards({"index.ipynb": 1}, 2) == [["index.ipynb"]]


@pytest.mark.quarto  # a real Quarto render (slow: tests/conftest.py)
def test_a_whole_render_in_two_processes_gives_every_page_and_one_search_index(tmp_path):
    import shutil as _sh

    from llr_analysis.website.render import OUTPUT_DIR

    root = tmp_path / "p"
    (root).mkdir()
    (root / "_quarto.yml").write_text(
        "project:\n  type: website\n  output-dir: _site\nexecute:\n  enabled: false\n"
        "website:\n  title: Split\n  navbar:\n    left:\n      - href: index.html\n        text: Home\n"
        "      - href: topic/a.html\n        text: A\n      - href: other/b.html\n        text: B\n"
    )
    (root / "index.qmd").write_text("---\ntitle: Home\n---\n\nHome page about Melton.\n")
    _notebook(root / "topic" / "a.ipynb", "Page A", "<p>Charnwood</p>")
    _notebook(root / "other" / "b.ipynb", "Page B", "<p>Harborough</p>")
    result = render(root, root=REPO, workers=2)
    site = root / OUTPUT_DIR
    assert [str(p) for p in result.pages] == ["index.html", "other/b.html", "topic/a.html"]
    assert sorted(result.rendered) == ["index.qmd", "other/b.ipynb", "topic/a.ipynb"]
    hrefs = {e["href"].split("#")[0] for e in json.loads((site / "search.json").read_text())}
    assert hrefs == {"index.html", "topic/a.html", "other/b.html"}
    for page in result.pages:  # each page has the site's navbar, whichever run made it, and libraries
        html = (site / page).read_text()
        assert "site_libs/quarto-nav/quarto-nav.js" in html
        prefix = "../" if "/" in str(page) else ""
        for target in ("index.html", "topic/a.html", "other/b.html"):
            assert f'href="{prefix}{target}"' in html or f'href="./{target}"' in html, (page, target)
    assert "Melton" in (site / "index.html").read_text()  # the page, not a redirect
    assert (site / "site_libs" / "quarto-search" / "quarto-search.js").exists()
    assert not (tmp_path / "p.part0").exists() and not (tmp_path / "p.part1").exists()
    _sh.rmtree(root)


def test_a_render_of_most_pages_is_a_whole_render():
    from llr_analysis.website.build import _share_of_pages

    files = {"index.ipynb": "a", "dep/x.ipynb": "b", "dep/y.ipynb": "c", "loc/l/p.ipynb": "d", "dep/x-data/a.csv": "e"}
    assert _share_of_pages(["dep"], files) == 0.5
    assert _share_of_pages(["loc"], files) == 0.25
    assert _share_of_pages(["dep", "index.ipynb"], files) == 0.75


def test_word_documents_use_quartos_pandoc_binary_behind_the_venv_link(tmp_path, monkeypatch):
    """`quarto pandoc` (Quarto's wrapper) lost part of Pandoc's output now and then: 54 of 174 ward
    documents of one build lacked a chart. The binary beside the real Quarto is found through the link
    that tools/setup-quarto.sh puts in .venv/bin."""
    from llr_analysis.website import documents, render

    real = tmp_path / ".tools" / "quarto" / "bin"
    (real / "tools" / "x86_64").mkdir(parents=True)
    (real / "quarto").write_text("#!/bin/sh\n")
    (real / "tools" / "x86_64" / "pandoc").write_text("#!/bin/sh\n")
    venv_bin = tmp_path / ".venv" / "bin"
    venv_bin.mkdir(parents=True)
    (venv_bin / "quarto").symlink_to(real / "quarto")
    monkeypatch.setattr(render, "find_quarto", lambda root=None: venv_bin / "quarto")
    assert documents.pandoc_command(tmp_path) == [str(real / "tools" / "x86_64" / "pandoc")]
    (real / "tools" / "x86_64" / "pandoc").unlink()
    assert documents.pandoc_command(tmp_path) == [str(venv_bin / "quarto"), "pandoc"]
