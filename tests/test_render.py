"""Tests for llr_analysis.render: the nbconvert fallback renderer (and Quarto when installed)."""

from __future__ import annotations

import os
import stat
import sys
from pathlib import Path

import nbformat
import pytest
from bs4 import BeautifulSoup

from llr_analysis.errors import BuildError
from llr_analysis.render import (
    SITE_CSS,
    RenderError,
    RenderResult,
    local_references,
    quarto_available,
    render_site,
)

QUARTO_YML = """\
project:
  type: website
  output-dir: _site
  resources:
    - "*.csv"
    - assets/vega-bundle.js
website:
  title: "LLR Health Profiles"
  navbar:
    left:
      - href: index.qmd
        text: Home
      - text: Deprivation
        menu:
          - href: deprivation/leicester.ipynb
            text: Leicester
          - href: deprivation/rutland.ipynb
            text: Rutland
      - href: methods.qmd
        text: Methods
    right:
      - href: sources.qmd
  page-footer:
    left: "Data: [ONS](https://www.ons.gov.uk), OGL v3"
    right:
      - text: Methods
        href: methods.qmd
  search: true
format:
  html:
    lang: en-GB
    theme: cosmo
    toc: true
    css:
      - assets/extra.css
execute:
  echo: false
"""

CHART_HTML = (
    '<div id="chart-imd" class="chart"></div>\n'
    '<script src="../assets/vega-bundle.js"></script>\n'
    '<script type="text/javascript">window.vegaEmbed("#chart-imd", {"mark": "bar"});</script>'
)

METHODS_QMD = """\
---
title: Methods
subtitle: How the indicators are built
---

## Deprivation {#deprivation}

We use the *Index of Multiple Deprivation* (IMD 2019). See the [sources](sources.qmd#imd)
and the [Leicester profile](deprivation/leicester.ipynb).

| Decile | Meaning        |
|-------:|----------------|
| 1      | Most deprived  |
| 10     | Least deprived |

: IMD deciles

::: {.callout-note}
Deciles are national, not local.
:::

::: {.callout-warning title="Small numbers"}
Rates for small areas are unstable.
:::

<div class="raw-html-block">raw HTML passes through</div>

- first
- second
"""

SOURCES_QMD = """\
---
title: Sources
---

## IMD {#imd}

English indices of deprivation 2019.
"""

INDEX_QMD = """\
---
title: LLR Health Profiles
---

Welcome. Start with [Leicester](deprivation/leicester.ipynb).
"""


def _notebook(title: str, place: str) -> nbformat.NotebookNode:
    nb = nbformat.v4.new_notebook()
    front = (
        "---\n"
        f"title: \"{title}\"\n"
        "subtitle: Index of Multiple Deprivation 2019\n"
        "topic: deprivation\n"
        f"place: {place}\n"
        "breadcrumbs:\n"
        "  - {text: Home, href: index.qmd}\n"
        "  - {text: Deprivation, href: deprivation/leicester.ipynb}\n"
        f"  - {{text: {title}}}\n"
        "---\n"
    )
    code = nbformat.v4.new_code_cell(
        "import secret_module\nchart = make_chart()\nchart",
        execution_count=3,
        outputs=[
            nbformat.v4.new_output(
                "stream", name="stderr", text="FutureWarning: pandas is grumpy\n"
            ),
            nbformat.v4.new_output(
                "display_data",
                data={"text/html": CHART_HTML, "text/plain": "alt.Chart(...)"},
            ),
            nbformat.v4.new_output("stream", name="stdout", text="42 areas\n"),
        ],
    )
    table = nbformat.v4.new_code_cell(
        "table_html",
        execution_count=4,
        outputs=[
            nbformat.v4.new_output(
                "execute_result",
                data={
                    "text/html": "<table class=\"data\"><caption>Most deprived areas</caption>"
                    "<tr><th>Area</th></tr><tr><td>E01000001</td></tr></table>",
                    "text/plain": "   Area\n0  E01000001",
                },
                execution_count=4,
            )
        ],
    )
    removed = nbformat.v4.new_code_cell(
        "print('debugging')",
        metadata={"tags": ["remove-cell"]},
        outputs=[nbformat.v4.new_output("stream", name="stdout", text="REMOVED-CELL-OUTPUT\n")],
    )
    plain = nbformat.v4.new_code_cell(
        "summary",
        outputs=[
            nbformat.v4.new_output(
                "execute_result",
                data={"text/markdown": "**Bold** summary", "text/plain": "plain summary"},
                execution_count=5,
            )
        ],
    )
    own_wrap = nbformat.v4.new_code_cell(
        "page.table(frame, 'localities', caption=...)",
        outputs=[
            nbformat.v4.new_output(
                "display_data",
                data={
                    "text/html": '<div class="table-wrap" id="localities"><table class="data-table">'
                    "<caption>Localities</caption><tr><th>District</th></tr></table></div>",
                    "text/plain": "<IPython.core.display.HTML object>",
                },
            )
        ],
    )
    nb.cells = [
        nbformat.v4.new_raw_cell(front),
        nbformat.v4.new_markdown_cell("## Overview\n\nThis page describes **deprivation** in " + place + "."),
        code,
        table,
        removed,
        plain,
        nbformat.v4.new_markdown_cell("## Localities"),
        own_wrap,
    ]
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    return nb


def _make_project(root: Path) -> Path:
    project = root / "stage"
    (project / "deprivation").mkdir(parents=True)
    (project / "assets").mkdir()
    (project / "data").mkdir()
    (project / "_quarto.yml").write_text(QUARTO_YML, encoding="utf-8")
    (project / "index.qmd").write_text(INDEX_QMD, encoding="utf-8")
    (project / "methods.qmd").write_text(METHODS_QMD, encoding="utf-8")
    (project / "sources.qmd").write_text(SOURCES_QMD, encoding="utf-8")
    (project / "_draft.qmd").write_text("---\ntitle: Draft\n---\nnot rendered\n", encoding="utf-8")
    (project / "assets" / "vega-bundle.js").write_text("window.vegaEmbed = function () {};\n", encoding="utf-8")
    (project / "assets" / "extra.css").write_text(".chart { min-height: 10rem; }\n", encoding="utf-8")
    (project / "data" / "imd.csv").write_text("lsoa,decile\nE01000001,1\n", encoding="utf-8")
    nbformat.write(_notebook("Deprivation in Leicester", "leicester"), project / "deprivation" / "leicester.ipynb")
    nbformat.write(_notebook("Deprivation in Rutland", "rutland"), project / "deprivation" / "rutland.ipynb")
    return project


@pytest.fixture(scope="module")
def rendered(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path, RenderResult]:
    root = tmp_path_factory.mktemp("render")
    project = _make_project(root)
    out = root / "site"
    result = render_site(project, out, engine="nbconvert")
    return project, out, result


def _soup(out: Path, rel: str) -> BeautifulSoup:
    return BeautifulSoup((out / rel).read_text(encoding="utf-8"), "html.parser")


def test_pages_exist_at_the_right_paths(rendered):
    _, out, result = rendered
    assert result.engine == "nbconvert"
    expected = [
        Path("deprivation/leicester.html"),
        Path("deprivation/rutland.html"),
        Path("index.html"),
        Path("methods.html"),
        Path("sources.html"),
    ]
    assert result.pages == expected
    for rel in expected:
        assert (out / rel).is_file(), rel
    assert not (out / "_draft.html").exists()
    assert not list(out.rglob("*.ipynb")) and not list(out.rglob("*.qmd"))


def test_ignored_config_keys_are_reported(rendered):
    _, _, result = rendered
    assert result.ignored == ["format.html.theme", "website.search"]


def test_page_shell(rendered):
    _, out, _ = rendered
    text = (out / "deprivation/leicester.html").read_text(encoding="utf-8")
    assert text.startswith("<!doctype html>\n<html lang=\"en-GB\">")
    soup = BeautifulSoup(text, "html.parser")
    assert soup.title.string == "Deprivation in Leicester \u2013 LLR Health Profiles"
    assert soup.find("meta", attrs={"name": "viewport"})
    skip = soup.find("a", class_="skip-link")
    assert skip["href"] == "#content"
    assert soup.find("main", id="content")
    assert soup.find("header", class_="site-header").find("nav", attrs={"aria-label": "Main"})
    h1 = soup.find_all("h1")
    assert [h.get_text() for h in h1] == ["Deprivation in Leicester"]
    assert soup.find("p", class_="subtitle").get_text() == "Index of Multiple Deprivation 2019"
    assert soup.find("footer")
    assert soup.body["data-topic"] == "deprivation" and soup.body["data-place"] == "leicester"
    # the front-matter raw cell is consumed, not shown
    assert "breadcrumbs:" not in text


def test_code_input_hidden_and_outputs_kept(rendered):
    _, out, _ = rendered
    text = (out / "deprivation/leicester.html").read_text(encoding="utf-8")
    assert "import secret_module" not in text
    assert "make_chart()" not in text
    assert "In&nbsp;[" not in text and "Out[" not in text and "jp-InputPrompt" not in text
    # the chart's text/html output is kept raw (div + scripts), preferred over text/plain
    assert CHART_HTML in text
    assert "alt.Chart(...)" not in text
    # stdout kept, stderr dropped, remove-cell dropped
    assert "42 areas" in text
    assert "FutureWarning" not in text
    assert "REMOVED-CELL-OUTPUT" not in text and "debugging" not in text
    # text/markdown preferred over text/plain and rendered
    assert "<strong>Bold</strong> summary" in text and "plain summary" not in text
    # markdown cell rendered, with a heading id
    soup = BeautifulSoup(text, "html.parser")
    assert soup.find("h2", id="overview").get_text() == "Overview"
    assert soup.find("strong", string="deprivation")
    # html table output wrapped in a focusable, labelled scroll region
    wrap = soup.find("table", class_="data").parent
    assert "table-wrap" in wrap["class"] and wrap["tabindex"] == "0"
    assert wrap["aria-label"] == "Most deprived areas"


def test_ids_are_unique_and_own_table_wrappers_are_kept(rendered):
    _, out, result = rendered
    for rel in result.pages:
        soup = _soup(out, str(rel))
        ids = [el["id"] for el in soup.find_all(id=True)]
        assert len(ids) == len(set(ids)), (rel, ids)
    soup = _soup(out, "deprivation/leicester.html")
    # the heading yields to the id the output already uses
    assert soup.find("h2", string="Localities")["id"] == "localities-1"
    wrap = soup.find("div", id="localities")
    assert wrap.parent.get("role") is None and "table-wrap" not in wrap.parent["class"]


def test_no_notebook_boilerplate(rendered):
    _, out, _ = rendered
    text = (out / "deprivation/leicester.html").read_text(encoding="utf-8")
    for needle in ("require.js", "requirejs", "MathJax", "widget-state", "jupyter-widgets", "<style"):
        assert needle not in text, needle


def test_nav_links_relative_from_nested_page(rendered):
    _, out, _ = rendered
    soup = _soup(out, "deprivation/leicester.html")
    nav = soup.find("nav", attrs={"aria-label": "Main"})
    links = {a.get_text(): a["href"] for a in nav.find_all("a")}
    assert links == {
        "LLR Health Profiles": "../index.html",
        "Home": "../index.html",
        "Leicester": "leicester.html",
        "Rutland": "rutland.html",
        "Methods": "../methods.html",
        "Sources": "../sources.html",  # no text in _quarto.yml: the page's title
    }
    # the menu is a no-JavaScript <details> dropdown
    details = nav.find("details")
    assert details.summary.get_text() == "Deprivation"
    assert {a.get_text() for a in details.find_all("a")} == {"Leicester", "Rutland"}

    top = _soup(out, "methods.html").find("nav", attrs={"aria-label": "Main"})
    top_links = {a.get_text(): a["href"] for a in top.find_all("a")}
    assert top_links["Leicester"] == "deprivation/leicester.html"
    assert top_links["Home"] == "index.html"


def test_aria_current_marks_the_current_page(rendered):
    _, out, _ = rendered
    soup = _soup(out, "deprivation/leicester.html")
    nav = soup.find("nav", attrs={"aria-label": "Main"})
    current = nav.find_all(attrs={"aria-current": "page"})
    assert [a.get_text() for a in current] == ["Leicester"]
    assert "nav-section-current" in nav.find("details").parent["class"]

    methods_nav = _soup(out, "methods.html").find("nav", attrs={"aria-label": "Main"})
    assert [a.get_text() for a in methods_nav.find_all(attrs={"aria-current": "page"})] == ["Methods"]


def test_breadcrumbs(rendered):
    _, out, _ = rendered
    soup = _soup(out, "deprivation/rutland.html")
    crumbs = soup.find("nav", attrs={"aria-label": "Breadcrumb"})
    items = crumbs.find_all("li")
    assert [li.get_text() for li in items] == ["Home", "Deprivation", "Deprivation in Rutland"]
    assert items[0].a["href"] == "../index.html"
    assert items[1].a["href"] == "leicester.html"
    assert items[2].find(attrs={"aria-current": "page"}) is not None


def test_qmd_table_callout_and_links(rendered):
    _, out, _ = rendered
    soup = _soup(out, "methods.html")
    main = soup.find("main")
    main.find("nav", class_="toc").decompose()
    table = main.find("table")
    assert table is not None
    assert [th.get_text() for th in table.find_all("th")] == ["Decile", "Meaning"]
    assert table.caption.get_text() == "IMD deciles"
    assert table.parent["class"] == ["table-wrap"]
    assert "<div class=\"callout callout-note\">" in str(main)
    note = main.find("div", class_="callout-note")
    assert note.find(class_="callout-title").get_text() == "Note"
    assert "Deciles are national" in note.get_text()
    warning = main.find("div", class_="callout-warning")
    assert warning.find(class_="callout-title").get_text() == "Small numbers"
    assert main.find("h2", id="deprivation")
    hrefs = {a.get_text(): a["href"] for a in main.find_all("a")}
    assert hrefs["sources"] == "sources.html#imd"
    assert hrefs["Leicester profile"] == "deprivation/leicester.html"
    assert main.find("div", class_="raw-html-block").get_text() == "raw HTML passes through"
    assert [li.get_text() for li in main.find_all("li")] == ["first", "second"]
    assert soup.find("p", class_="subtitle").get_text() == "How the indicators are built"


def test_table_of_contents(rendered):
    _, out, _ = rendered
    toc = _soup(out, "deprivation/leicester.html").find("nav", class_="toc")
    assert toc["aria-labelledby"] == "toc-title"
    assert toc.find(id="toc-title").get_text() == "On this page"
    assert [(a.get_text(), a["href"]) for a in toc.find_all("a")] == [
        ("Overview", "#overview"),
        ("Localities", "#localities-1"),
    ]


def test_footer(rendered):
    _, out, _ = rendered
    footer = _soup(out, "deprivation/leicester.html").find("footer")
    assert "OGL v3" in footer.get_text()
    assert footer.find("a", string="Methods")["href"] == "../methods.html"


def test_resources_and_css_copied(rendered):
    project, out, _ = rendered
    assert (out / "data/imd.csv").read_text() == (project / "data/imd.csv").read_text()
    assert (out / "assets/vega-bundle.js").is_file()
    assert (out / "assets/extra.css").is_file()
    packaged = Path(__file__).resolve().parents[1] / "src/llr_analysis/assets/site.css"
    assert (out / SITE_CSS).read_bytes() == packaged.read_bytes()
    assert not (out / "_quarto.yml").exists()
    soup = _soup(out, "deprivation/leicester.html")
    sheets = [link["href"] for link in soup.find_all("link", rel="stylesheet")]
    assert sheets == ["../assets/site.css", "../assets/extra.css"]
    assert [link["href"] for link in _soup(out, "index.html").find_all("link", rel="stylesheet")] == [
        "assets/site.css",
        "assets/extra.css",
    ]


def test_no_external_urls_in_script_or_link_elements(rendered):
    _, out, result = rendered
    for rel in result.pages:
        text = (out / rel).read_text(encoding="utf-8")
        for tag, _attr, value in local_references(text):
            if tag in ("script", "link"):
                assert not value.startswith(("http://", "https://", "//")), (rel, tag, value)
        soup = BeautifulSoup(text, "html.parser")
        for el in soup.find_all(["script", "link"]):
            for attr in ("src", "href"):
                value = el.get(attr) or ""
                assert "http://" not in value and "https://" not in value, (rel, el)
    css = (out / SITE_CSS).read_text(encoding="utf-8")
    assert "http://" not in css and "https://" not in css and "@import" not in css
    assert "@font-face" not in css


def test_output_is_deterministic(rendered, tmp_path):
    project, out, result = rendered
    again = tmp_path / "again"
    render_site(project, again, engine="nbconvert")
    for rel in result.pages + [Path(SITE_CSS), Path("data/imd.csv")]:
        assert (again / rel).read_bytes() == (out / rel).read_bytes(), rel


def test_missing_navbar_page_raises(tmp_path):
    project = _make_project(tmp_path)
    cfg = project / "_quarto.yml"
    cfg.write_text(
        cfg.read_text().replace("href: deprivation/rutland.ipynb", "href: deprivation/nowhere.ipynb")
    )
    with pytest.raises(RenderError) as info:
        render_site(project, tmp_path / "site", engine="nbconvert")
    message = str(info.value)
    assert "_quarto.yml" in message
    assert "deprivation/nowhere.ipynb" in message
    assert "does not exist" in message
    assert isinstance(info.value, BuildError)


def test_missing_quarto_yml_raises(tmp_path):
    project = _make_project(tmp_path)
    (project / "_quarto.yml").unlink()
    with pytest.raises(RenderError, match="_quarto.yml"):
        render_site(project, tmp_path / "site", engine="nbconvert")


def test_unreadable_notebook_raises(tmp_path):
    project = _make_project(tmp_path)
    (project / "deprivation" / "rutland.ipynb").write_text("{not json", encoding="utf-8")
    with pytest.raises(RenderError, match=r"rutland\.ipynb"):
        render_site(project, tmp_path / "site", engine="nbconvert")


def test_render_list_and_auto_engine(tmp_path):
    project = _make_project(tmp_path)
    cfg = project / "_quarto.yml"
    cfg.write_text(
        cfg.read_text().replace(
            "  output-dir: _site\n",
            "  output-dir: _site\n  render:\n    - \"*.qmd\"\n    - \"deprivation/*.ipynb\"\n    - \"!sources.qmd\"\n",
        ).replace("      - href: sources.qmd\n", "")
    )
    result = render_site(project, tmp_path / "site", engine="auto" if not quarto_available() else "nbconvert")
    assert result.engine == "nbconvert"
    assert Path("sources.html") not in result.pages
    assert Path("methods.html") in result.pages


def test_unknown_engine_rejected(tmp_path):
    with pytest.raises(ValueError):
        render_site(tmp_path, tmp_path / "out", engine="pandoc")


FAKE_QUARTO = """\
#!{python}
import os, pathlib, sys
args = sys.argv[1:]
pathlib.Path(os.environ["FAKE_QUARTO_LOG"]).write_text("\\n".join(args + ["cwd=" + os.getcwd()]))
if os.environ.get("FAKE_QUARTO_FAIL"):
    sys.stderr.write("ERROR: YAMLException: bad indentation of a mapping entry (_quarto.yml 7:5)\\n")
    sys.exit(1)
project = pathlib.Path(args[1])
out = project / args[args.index("--output-dir") + 1]
(out / "deprivation").mkdir(parents=True)
(out / "site_libs").mkdir()
(out / "index.html").write_text("<html>index</html>")
(out / "deprivation" / "leicester.html").write_text("<html>leicester</html>")
(out / "site_libs" / "quarto.html").write_text("lib")
"""


@pytest.fixture
def fake_quarto(tmp_path, monkeypatch):
    """A stand-in `quarto` on PATH: checks how the Quarto engine calls the CLI, offline."""
    bindir = tmp_path / "bin"
    bindir.mkdir()
    script = bindir / "quarto"
    script.write_text(FAKE_QUARTO.format(python=sys.executable))
    script.chmod(script.stat().st_mode | stat.S_IXUSR | stat.S_IXGRP | stat.S_IXOTH)
    log = tmp_path / "quarto-args.txt"
    monkeypatch.setenv("PATH", f"{bindir}{os.pathsep}{os.environ.get('PATH', '')}")
    monkeypatch.setenv("FAKE_QUARTO_LOG", str(log))
    return log


def test_quarto_engine_invocation_with_a_fake_cli(tmp_path, fake_quarto):
    project = _make_project(tmp_path)
    out = tmp_path / "site"
    out.mkdir()
    (out / "README.md").write_text("kept")
    assert quarto_available()
    result = render_site(project, out)  # auto -> quarto, since `quarto` is on PATH
    assert result.engine == "quarto"
    assert result.pages == [Path("deprivation/leicester.html"), Path("index.html")]
    assert (out / "deprivation/leicester.html").read_text() == "<html>leicester</html>"
    assert (out / "site_libs/quarto.html").is_file()
    assert (out / "README.md").read_text() == "kept"  # Quarto's output-dir cleaning does not reach it
    args = fake_quarto.read_text().splitlines()
    assert args[:2] == ["render", str(project)]
    out_arg = args[args.index("--output-dir") + 1]
    assert not os.path.isabs(out_arg)  # project-relative, as `quarto render --help` documents
    assert args[-1] == f"cwd={project}"


def test_quarto_engine_failure_reports_stderr(tmp_path, fake_quarto, monkeypatch):
    monkeypatch.setenv("FAKE_QUARTO_FAIL", "1")
    project = _make_project(tmp_path)
    with pytest.raises(RenderError) as info:
        render_site(project, tmp_path / "site", engine="quarto")
    assert "quarto render failed (exit 1)" in str(info.value)
    assert "bad indentation of a mapping entry" in str(info.value)


def test_quarto_engine_requires_the_cli(tmp_path, monkeypatch):
    project = _make_project(tmp_path)
    monkeypatch.setenv("PATH", str(tmp_path / "empty-bin"))
    with pytest.raises(RenderError, match="not on PATH"):
        render_site(project, tmp_path / "site", engine="quarto")


@pytest.mark.quarto
@pytest.mark.skipif(
    not quarto_available(),
    reason="quarto CLI not on PATH (cannot be installed offline); the nbconvert renderer is tested instead",
)
def test_quarto_engine_writes_the_same_page_tree(tmp_path):
    project = _make_project(tmp_path)
    fallback = render_site(project, tmp_path / "fallback", engine="nbconvert")
    out = tmp_path / "site"
    result = render_site(project, out, engine="quarto")
    assert result.engine == "quarto"
    assert set(fallback.pages) <= set(result.pages)
    for rel in fallback.pages:
        assert (out / rel).is_file(), rel
    assert (out / "data/imd.csv").is_file()
    assert (out / "assets/vega-bundle.js").is_file()


def test_rendered_site_passes_llr_check(rendered):
    from llr_analysis.check import check_site

    _, out, _ = rendered
    assert [str(p) for p in check_site(out)] == []
