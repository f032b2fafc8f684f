"""What notebooks publish through Page: escaping, CSV layout, disclosure control."""

from __future__ import annotations

import altair as alt
import pandas as pd
import pytest

from llr_analysis.report import page as page_mod
from llr_analysis.report.page import DOWNLOAD_COLUMNS, Page, apply_disclosure_control, tidy_download

EVIL = '<script>alert("x")</script> & Sons'


@pytest.fixture
def built_page(tmp_path, monkeypatch):
    stage = tmp_path / "stage"
    (stage / "topic").mkdir(parents=True)
    monkeypatch.setenv("LLR_STAGE", str(stage))
    monkeypatch.chdir(stage / "topic")
    shown: list[str] = []
    monkeypatch.setattr(page_mod, "_html", shown.append)
    return Page("topic", "leicester"), shown, stage / "topic"


def test_table_escapes_names_and_has_caption_and_csv(built_page):
    page, shown, here = built_page
    df = pd.DataFrame({"area_name": [EVIL], "value": [1.25]})
    page.table(df, "areas", caption=f"Areas {EVIL}")
    out = shown[0]
    assert "<script>" not in out
    assert "Areas &lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt; &amp; Sons" in out  # caption and label
    assert "<caption>Areas &lt;script&gt;" in out
    assert 'href="leicester-data/areas.csv"' in out
    assert pd.read_csv(here / "leicester-data" / "areas.csv")["area_name"][0] == EVIL


def test_chart_is_offline_escaped_and_has_text_alternative(built_page):
    page, shown, _ = built_page
    data = pd.DataFrame({"area": [EVIL, "Leicester"], "value": [1, 2], "unused": [7, 8]})
    chart = alt.Chart(data).mark_bar().encode(x="value:Q", y="area:N")
    page.chart(chart, "bars", title="Value by area", description=f"Bars for {EVIL}", data=data)
    page.chart(chart, "bars2", title="Again", description="Second chart", data=data)
    first, second = shown
    assert first.startswith(
        '<script src="../assets/vega-bundle.js"></script><script src="../assets/llr-charts.js"></script>'
    )
    assert "vega-bundle.js" not in second  # the library is loaded once per page
    # the only executable scripts are the two local files; spec and data are JSON blocks
    assert first.count("<script>") == 0 and first.count('<script type="application/json"') == 2
    # data cannot close the script element
    assert "\\u003cscript>alert" in first and EVIL not in first
    assert 'role="img" tabindex="0" aria-label="Value by area. Bars for &lt;script&gt;' in first
    assert 'src="http' not in first and "cdn" not in first
    # the data both charts use is written once; the column no chart reads is dropped
    assert 'data-llr-dataset="' not in second
    specs = page_mod.chart_specs(first + second)
    assert set(specs) == {"chart-bars", "chart-bars2"}
    (values,) = specs["chart-bars2"]["datasets"].values()
    assert values == [{"area": EVIL, "value": 1}, {"area": "Leicester", "value": 2}]


def test_outputs_are_markdown_raw_html_blocks(tmp_path, monkeypatch):
    """Quarto adds require.js and jQuery from a CDN to pages with text/html outputs: none are made."""
    displayed = []
    monkeypatch.setenv("LLR_STAGE", str(tmp_path))
    monkeypatch.setattr(page_mod, "_display", displayed.append)
    page_mod._html("<p>x ```` y</p>")
    (out,) = displayed
    bundle = out._repr_markdown_()
    text = bundle[0] if isinstance(bundle, tuple) else bundle
    assert text == "`````{=html}\n<p>x ```` y</p>\n`````\n"
    assert not hasattr(out, "_repr_html_") or out._repr_html_() is None


def test_note_is_an_escaped_quarto_callout(tmp_path, monkeypatch):
    displayed = []
    monkeypatch.setenv("LLR_STAGE", str(tmp_path))
    monkeypatch.chdir(tmp_path)
    monkeypatch.setattr(page_mod, "_display", displayed.append)
    Page("topic", "leicester").note(f"Missing for {EVIL}", kind="warning", title="Data *missing*", collapse=True)
    text = displayed[0].data
    assert text.startswith('::: {.callout-warning collapse="true"}\n## Data \\*missing\\*\n')
    assert "<p>Missing for &lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt; &amp; Sons</p>" in text
    with pytest.raises(ValueError, match="callout kind"):
        Page("topic", "leicester").note("x", kind="red")


def test_compact_datasets_rounds_and_hoists_inline_data():
    spec = {
        "hconcat": [
            {
                "data": {"values": [{"a": 1.23456789, "b": float("nan")}]},
                "mark": "bar",
                "encoding": {"x": {"field": "a"}, "y": {"field": "b"}},
            },
            {"data": {"values": [{"a": 1.23456789, "b": float("nan")}]}, "mark": "bar"},
        ]
    }
    datasets = page_mod.compact_datasets(spec)
    assert list(datasets.values()) == [[{"a": 1.23457, "b": None}]]  # one dataset for both panels
    assert spec["hconcat"][0]["data"] == spec["hconcat"][1]["data"] == {"name": next(iter(datasets))}


def test_tidy_download_layout():
    df = tidy_download(
        pd.DataFrame({"area_code": ["E06000016"], "value": [3.5], "extra": [1]}), indicator="Thing", period="2025"
    )
    assert list(df.columns) == DOWNLOAD_COLUMNS + ["extra"]
    assert df.loc[0, "indicator"] == "Thing" and pd.isna(df.loc[0, "lower_95"])


def test_disclosure_control_blanks_small_counts_and_the_page_says_so(built_page, monkeypatch):
    monkeypatch.setenv("LLR_DISCLOSURE_THRESHOLD", "5")
    df = pd.DataFrame(
        {"area_code": ["A", "B", "C"], "count": [3, 12, 4], "value": [30.0, 40.0, 50.0], "denominator": [10, 30, 8]}
    )
    out, n = apply_disclosure_control(df)
    assert n == 2
    assert out["count"].tolist()[1] == 12 and pd.isna(out["count"][0]) and pd.isna(out["value"][2])
    page, shown, here = built_page
    page.table(df, "small", caption="Small numbers")
    assert "2 rows with counts below 5 are suppressed" in shown[0]
    saved = pd.read_csv(here / "leicester-data" / "small.csv")
    assert saved["count"].isna().sum() == 2


def test_disclosure_control_off_by_default(monkeypatch):
    monkeypatch.delenv("LLR_DISCLOSURE_THRESHOLD", raising=False)
    df = pd.DataFrame({"count": [1, 2]})
    out, n = apply_disclosure_control(df)
    assert n == 0 and out["count"].tolist() == [1, 2]


def test_vega_aria_is_off_for_every_mark_including_overlays(built_page):
    """The figure carries the text alternative; no Vega mark may add an unlabeled role="img"."""
    page, shown, _ = built_page
    df = pd.DataFrame({"year": [1, 2], "v": [3.0, 4.0]})
    line = alt.Chart(df).mark_line(point=True).encode(x="year:O", y="v:Q")
    layered = alt.layer(alt.Chart(df).mark_bar().encode(x="year:O", y="v:Q"), line).facet(column="year:O")
    page.chart(layered, "layered", title="t", description="d", data=df)
    spec = page_mod.chart_specs(shown[0])["chart-layered"]
    marks = []

    def walk(node):
        if isinstance(node, dict):
            if "mark" in node:
                marks.append(node["mark"])
            for k, v in node.items():
                if k not in ("data", "datasets"):
                    walk(v)
        elif isinstance(node, list):
            for v in node:
                walk(v)

    walk(spec)
    assert len(marks) == 2 and all(m["aria"] is False for m in marks)
    assert marks[1]["point"] == {"aria": False}
    assert spec["config"]["aria"] is False


def test_downloads_are_tidy():
    df = pd.DataFrame(
        {
            "value": [61.123456, 70.0],
            "count": [1077.0, None],
            "denominator": [1691.0, 1490.0],
            "population": [1234.5, 10.0],
            "comparison": ["Better", "comparator"],
        }
    )
    out = page_mod.tidy_csv(df)
    assert out["value"].tolist() == [61.1235, 70.0]
    assert str(out["count"].dtype) == "Int64" and out["count"].tolist()[0] == 1077 and pd.isna(out["count"][1])
    assert out["denominator"].tolist() == [1691, 1490]
    assert out["population"].tolist() == [1234, 10]  # people estimated by mapping: whole people
    assert out["comparison"].tolist() == ["better", "not compared"]
    assert set(out["comparison"]) <= page_mod.COMPARISON_VOCABULARY
    with pytest.raises(ValueError, match=r"repeated column names \['value'\]"):
        page_mod.tidy_csv(pd.DataFrame([[1, 2]], columns=["value", "value"]), "gap")


def test_a_data_dictionary_is_written_beside_the_downloads(built_page):
    page, _, here = built_page
    df = pd.DataFrame(
        {
            "area_code": ["E06000017"],
            "value": [37.9],
            "count": [15.0],
            "period": ["2020"],
            "source_id": ["sape_lsoa11_mid2020"],
            "extra": ["x"],
        }
    )
    page.write_csv(df, "a")
    page.write_csv(df.drop(columns="extra"), "b")
    d = pd.read_csv(here / "leicester-data" / "data-dictionary.csv")
    assert list(d.groupby("file", sort=False).size().items()) == [("a.csv", 6), ("b.csv", 5), ("(every file)", 1)]
    assert d.iloc[-1]["column"] == "(text cells)" and "single quote (')" in d.iloc[-1]["meaning"]
    row = d[(d.file == "a.csv") & (d.column == "count")].iloc[0]
    assert row["type"] == "whole number" and row["meaning"].startswith("the numerator")
    assert row["sources"] == "sape_lsoa11_mid2020" and "Open Government Licence" in row["licences"]
    assert str(row["periods"]) == "2020"


def test_formula_like_names_are_neutralised_in_downloads(built_page):
    """OWASP CSV injection: a ward or practice name from a source that starts with =, +, -, @, a tab or a
    carriage return is written with a single quote in front; numbers (negative ones too) are unchanged."""
    import csv

    from llr_analysis.report.csv_safety import FORMULA_START

    page, _, here = built_page
    names = [
        '=HYPERLINK("http://evil.example","Abbey")',
        "+44 Surgery",
        "-2+3",
        "@SUM(A1:A9)",
        "\tTabbed PCN",
        "\rReturn ward",
        "St Mary's = fine",
        "Abbey",
    ]
    df = pd.DataFrame(
        {
            "area_name": names,
            "value": [-1.5, 2.0, -0.25, 3.0, 4.0, 5.0, 6.0, 7.0],
            "count": [-3.0, 1.0, 2.0, 3.0, 4.0, 5.0, 6.0, 7.0],
            "note": ["-", "", None, "a", "b", "c", "d", "e"],
        }
    )
    page.write_csv(df, "names")
    with open(here / "leicester-data" / "names.csv", newline="", encoding="utf-8") as f:
        rows = list(csv.DictReader(f))
    assert [r["area_name"] for r in rows] == [
        '\'=HYPERLINK("http://evil.example","Abbey")',
        "'+44 Surgery",
        "'-2+3",
        "'@SUM(A1:A9)",
        "'\tTabbed PCN",
        "'\nReturn ward",  # quoted, so the row stays whole
        "St Mary's = fine",
        "Abbey",
    ]
    assert [r["value"] for r in rows[:3]] == ["-1.5", "2.0", "-0.25"]  # numbers stay numbers
    assert rows[0]["count"] == "-3" and rows[0]["note"] == "'-"
    # nothing a spreadsheet would run is left at the start of any cell
    with open(here / "leicester-data" / "names.csv", newline="", encoding="utf-8") as f:
        cells = [c for row in csv.reader(f) for c in row]
    numeric = {"-1.5", "-0.25", "-3"}
    assert not [c for c in cells if c.startswith(FORMULA_START) and c not in numeric]


def test_tabset_is_one_quarto_panel_tabset_block(tmp_path, monkeypatch):
    """Tab contents are collected into one Markdown output (a tabset cannot span notebook outputs)."""
    displayed = []
    monkeypatch.setenv("LLR_STAGE", str(tmp_path))
    monkeypatch.chdir(tmp_path)
    monkeypatch.setattr(page_mod, "_display", displayed.append)
    page = page_mod.Page("population", "leicester")
    with page.tabset() as tabs:
        with tabs.tab("Wards"):
            page.table(pd.DataFrame({"ward": ["Abbey <b>"], "people": [1]}), "wards", caption="Wards")
            page.note("Best fit", title="How wards are built")
        with tabs.tab("MSOAs"):
            page.markdown("MSOA text & more")
    assert len(displayed) == 1
    text = displayed[0].data
    assert text.startswith("::: {.panel-tabset}\n") and text.rstrip().endswith(":::")
    assert (
        text.index("### Wards")
        < text.index("Abbey &lt;b&gt;")
        < text.index("### MSOAs")
        < text.index("MSOA text &amp; more")
    )
    # the callout's title is an attribute: a heading inside the tabset would start a new tab
    assert '.callout-note title="How wards are built"' in text and "## How" not in text
    assert tabs.titles == ["Wards", "MSOAs"]
    assert (tmp_path / "leicester-data" / "wards.csv").exists()
    with pytest.raises(RuntimeError, match="nested"), page.tabset(), page.tabset():
        pass


def test_data_dictionary_names_the_licence_of_api_data():
    from llr_analysis.report.page import dictionary_rows

    rows = dictionary_rows(pd.DataFrame({"value": [1.0], "source_id": ["fingertips; iod2019_file7"]}), "x.csv")
    assert rows[0]["licences"] == "Open Government Licence v3.0"
    assert rows[0]["sources"] == "fingertips; iod2019_file7"
