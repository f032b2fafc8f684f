"""Known gaps on a topic page (issue 24, item 4): grouped by figure, and after the page's summary.

A stakeholder reads the summary first; the gaps follow in one sentence naming each missing figure once,
with the lines per area and dataset folded away (:mod:`llr_analysis.report.known_gaps`).
"""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd
import pytest
from bs4 import BeautifulSoup

from llr_analysis.places import load_places
from llr_analysis.process import checks
from llr_analysis.report.known_gaps import gap_lines, gap_summary

NOTEBOOKS = Path(__file__).resolve().parents[1] / "notebooks"
SII = "life_expectancy/sii"
F7 = "deprivation/iod_population"


pytestmark = pytest.mark.usefixtures("default_places")  # the packaged places file (conftest)


def gaps(*rows) -> pd.DataFrame:
    return pd.DataFrame(list(rows), columns=checks.GAP_COLUMNS)


def test_two_gaps_of_one_figure_for_one_area_are_one_summary_item_and_one_line():
    cfg = load_places()
    place = next(iter(cfg.places))  # the first place of the places file: its code, whatever it is
    code = cfg.places[place].code
    two = gaps(
        (SII, code, "value", "extract_a", 16, "extract A has no value for this area."),
        (SII, code, "value", "extract_b", 12, "extract B leaves it blank"),
    )
    assert gap_summary(two, cfg, place) == ["slope index of inequality in life expectancy"]
    name = cfg.places[place].name
    assert gap_lines(two, cfg, place=place) == [
        f"{name}: the slope index of inequality in life expectancy is missing in 2 datasets: 16 values, because "
        "extract A has no value for this area; 12 values, because extract B leaves it blank."
    ]
    # the same reason in two datasets is said once, with the values added up
    same = gaps(
        (SII, code, "value", "extract_a", 16, "no value published"),
        (SII, code, "value", "extract_b", 12, "no value published."),
    )
    assert gap_lines(same, cfg, place=place) == [
        f"{name}: the slope index of inequality in life expectancy is missing (28 values), because no value published."
    ]
    # two reasons within one dataset (two of its columns): no count of datasets
    one = gaps(
        (SII, code, "value", "extract_a", 16, "no value published"),
        (SII, code, "lower_ci", "extract_a", 4, "no interval published"),
    )
    assert gap_lines(one, cfg, place=place) == [
        f"{name}: the slope index of inequality in life expectancy is missing: 4 values, because no interval "
        "published; 16 values, because no value published."
    ]


def test_the_summary_names_each_figure_once_in_order_and_the_districts_concerned():
    cfg = load_places()
    county = next(k for k, p in cfg.places.items() if len(p.districts) > 1)  # a place with districts
    p = cfg.places[county]
    first, second = list(p.districts.items())[:2]
    recorded = gaps(
        (SII, p.code, "value", "a", 3, "not published"),
        ("life_expectancy/le_la", first[0], "areas", "", 0, "the file predates the code"),
        ("life_expectancy/le_la", second[0], "areas", "", 0, "the file predates the code"),
        (SII, p.code, "value", "b", 2, "left blank"),
    )
    assert gap_summary(recorded, cfg, county) == [
        "slope index of inequality in life expectancy",
        f"life expectancy by local authority (for {first[1]} and {second[1]})",
    ]
    assert len(gap_lines(recorded, cfg, place=county)) == 3  # the place's SII, then each district's line
    # the place and a district lacking one figure: both named
    both = gaps((SII, p.code, "value", "a", 3, "x"), (SII, first[0], "value", "a", 1, "x"))
    assert gap_summary(both, cfg, county) == [
        f"slope index of inequality in life expectancy (for {p.name} and {first[1]})"
    ]
    # the four denominators lacking for one reason: one figure, in plural words
    four = gaps(*[(F7, p.code, c, "IoD2025", 5, f"File 7 has no '{c}'") for c in ("population", "working_age")])
    assert gap_summary(four, cfg, county) == ["IoD2025 population denominators of its small areas"]
    assert gap_lines(four, cfg, place=county)[0].startswith(
        f"{p.name}: the IoD2025 population denominators of its small areas (total and working age) are missing "
        "(5 values each), because File 7 has no 'population' and 'working_age'"
    )


#: Each topic notebook's call that writes its summary ("In summary." or, for screening, what the page holds).
SUMMARY_CALLS = {
    "population": "page.markdown(text.summary_text(",
    "deprivation": "sections.summary(page, d)",
    "life_expectancy": "le_ft.summary_section(page, data, place, measure)",
    "cancer_screening": "scr_sections.availability_section(page, data)",
}


@pytest.mark.parametrize("topic", SUMMARY_CALLS)
def test_the_note_comes_after_the_summary_and_before_the_first_section(topic):
    """In every topic notebook the known-gaps note is written after the summary, before the first heading."""
    cells = json.loads((NOTEBOOKS / f"{topic}.ipynb").read_text())["cells"]
    # the notebook's code and headings as one sequence of lines, in page order
    lines = [
        (c["cell_type"], line) for c in cells for line in "".join(c["source"]).splitlines() if c["cell_type"] != "raw"
    ]
    calls = [i for i, (kind, line) in enumerate(lines) if kind == "code" and line.startswith("known_gaps_note(")]
    summary = [i for i, (kind, line) in enumerate(lines) if kind == "code" and SUMMARY_CALLS[topic] in line]
    first_heading = next(i for i, (kind, line) in enumerate(lines) if kind == "markdown" and line.startswith("## "))
    assert len(calls) == 1 and len(summary) == 1, (calls, summary)
    assert summary[0] < calls[0] < first_heading


def _order(html: str) -> tuple[int, int, int]:
    """Where, in document order, the page's 'In summary.' paragraph, the known-gaps note and its first
    section heading are (indexes among the main content's elements)."""
    main = BeautifulSoup(html, "lxml").find("main")
    elements = main.find_all(True)
    where = {id(e): i for i, e in enumerate(elements)}
    summary = next(p for p in main.find_all("p") if p.get_text().startswith("In summary."))
    note = main.find("p", class_="known-gaps-summary")
    heading = main.find("h2")
    return where[id(summary)], where[id(note)], where[id(heading)]


def test_on_the_built_page_the_note_follows_the_summary_and_names_the_gap_once(built_site):
    """Rutland's life expectancy page (the gaps LLR's processing records: two extracts of the SII)."""
    site, _ = built_site
    html = (site / "life_expectancy" / "rutland.html").read_text()
    summary, note, heading = _order(html)
    assert summary < note < heading
    soup = BeautifulSoup(html, "lxml")
    assert (
        soup.find("p", class_="known-gaps-summary")
        .get_text(" ", strip=True)
        .startswith(
            "Some figures on this page cannot be made for Rutland from the open data used: the slope index of "
            "inequality in life expectancy. See every known gap"
        )
    )
    details = soup.find("details", class_="known-gaps-details")
    assert details is not None and not details.has_attr("open")  # folded by default
    (line,) = details.find_all("li")
    assert line.get_text().startswith(
        "Rutland: the slope index of inequality in life expectancy is missing in 2 datasets"
    )
