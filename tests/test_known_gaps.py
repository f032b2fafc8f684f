"""Known gaps in plain words: the loader, the lines per area, the topic-page note and the Methods part."""

from __future__ import annotations

import pandas as pd
import pytest

from conftest import MIRROR, needs_mirror
from llr_analysis.places import load_places
from llr_analysis.process import checks
from llr_analysis.report import page as page_mod
from llr_analysis.report.known_gaps import gap_lines, known_gaps_note

#: The reasons processing records for Rutland's blank slope index of inequality (life_expectancy.SII_SCHEMA)
SII_REASON = (
    "OHID Fingertips 92901 publishes no slope index of inequality for this area (the value is blank in the extract)"
)
SII_2020_REASON = (
    "OHID Fingertips 92901 (2020 extract) publishes no slope index of inequality for this area (the value is blank)"
)


def gaps(*rows) -> pd.DataFrame:
    return pd.DataFrame(list(rows), columns=checks.GAP_COLUMNS)


RUTLAND_SII = gaps(
    ("life_expectancy/sii", "E06000017", "value", "fingertips_92901_2020", 12, SII_2020_REASON),
    ("life_expectancy/sii", "E06000017", "value", "fingertips_92901", 16, SII_REASON),
)


pytestmark = pytest.mark.usefixtures("default_places")  # the packaged places file (conftest)


def test_the_recorded_sii_gaps_are_rutlands_in_plain_words():
    """Two extracts lacking one figure for one area: one line, each extract's count and reason once."""
    assert gap_lines(RUTLAND_SII, load_places()) == [
        "Rutland: the slope index of inequality in life expectancy is missing in 2 datasets: 16 values, because OHID "
        "Fingertips 92901 publishes no slope index of inequality for this area (the value is blank in the extract); "
        "12 values, because OHID Fingertips 92901 (2020 extract) publishes no slope index of inequality for this area "
        "(the value is blank)."
    ]
    # one extract alone: its count in brackets
    assert gap_lines(RUTLAND_SII.iloc[1:], load_places()) == [
        "Rutland: the slope index of inequality in life expectancy is missing (16 values), because OHID "
        "Fingertips 92901 publishes no slope index of inequality for this area (the value is blank in the extract)."
    ]


def test_a_district_gap_of_an_older_vintage_names_the_district_and_its_place():
    """require_areas records a file older than an area's code: the line names the district, not its code."""
    recorded: list[dict] = []
    old = pd.DataFrame({"area_code": ["E92000001", "E06000016", "E07000036"]})  # E07000036: a retired code
    checks.require_areas(
        old, ["E92000001", "E06000016", "E07000129"], "leatbirthandatage65byukla201618.xlsx", "Area Codes", "areas",
        {"E92000001", "E06000016", "E07000129"}, recorded, "life_expectancy/le_la",
    )  # fmt: skip
    lines = gap_lines(pd.DataFrame(recorded, columns=checks.GAP_COLUMNS), load_places())
    assert lines == [
        "Blaby (Leicestershire): the life expectancy by local authority is missing, because "
        "leatbirthandatage65byukla201618.xlsx predates this area's code (it has areas since retired, e.g. "
        "E07000036): the dataset's vintage lacks the area, so it has no figure here."
    ]


def test_lines_follow_the_places_file_and_keep_only_the_topic_and_place_asked_for():
    cfg = load_places()
    both = pd.concat(
        [
            RUTLAND_SII,
            gaps(
                (
                    "deprivation/iod_population",
                    "E10000018",
                    "children_0_15",
                    "IoD2025",
                    301,
                    "File_7_IoD2025.xlsx has no 'Dependent Children aged 0-15: mid 2022' for 301 of the place's LSOAs",
                )
            ),
        ],
        ignore_index=True,
    )
    lines = gap_lines(both, cfg)
    assert [line.split(":")[0] for line in lines] == ["Leicestershire", "Rutland"]
    assert lines[0] == (
        "Leicestershire: the IoD2025 population aged 0 to 15 of its small areas is missing (301 values), because "
        "File_7_IoD2025.xlsx has no 'Dependent Children aged 0-15: mid 2022' for 301 of the place's LSOAs."
    )
    assert len(gap_lines(both, cfg, topic="life_expectancy", place="rutland")) == 1
    assert gap_lines(both, cfg, topic="deprivation", place="rutland") == []
    assert gap_lines(both, cfg, topic="life_expectancy", place="leicester") == []
    assert gap_lines(both, cfg, topic="deprivation", place="leicestershire") == lines[:1]
    # a code the places file does not name (tables processed for another places file) is left out
    assert gap_lines(gaps(("life_expectancy/sii", "E06000015", "value", "", 4, SII_REASON)), cfg) == []
    assert gap_lines(gaps(), cfg) == []


def test_load_known_gaps_reads_every_step_table(tmp_path):
    from llr_analysis.analysis.localities.load import load_known_gaps
    from llr_analysis.paths import project_paths

    paths = project_paths(tmp_path)
    assert load_known_gaps(paths).empty  # nothing processed: no gaps
    (paths.processed / "quality").mkdir(parents=True)
    RUTLAND_SII.to_parquet(paths.processed / "quality/known_gaps_life_expectancy.parquet")
    gaps().to_parquet(paths.processed / "quality/known_gaps_population.parquet")
    got = load_known_gaps(paths)
    assert list(got.columns) == checks.GAP_COLUMNS
    assert got["rows"].tolist() == [12, 16] and set(got["area_code"]) == {"E06000017"}


def test_the_note_is_an_escaped_callout_linking_the_methods_part(tmp_path, monkeypatch):
    displayed = []
    monkeypatch.setenv("LLR_STAGE", str(tmp_path))
    monkeypatch.chdir(tmp_path)
    monkeypatch.setattr(page_mod, "_display", displayed.append)
    evil = gaps(("life_expectancy/sii", "E06000017", "value", "", 1, "<b>blank</b> & gone"))
    known_gaps_note(page_mod.Page("life_expectancy", "rutland"), pd.concat([RUTLAND_SII, evil]), "rutland")
    (shown,) = displayed
    text = shown.data
    assert text.startswith("::: {.callout-note}\n## Missing figures\n")
    # visible: one sentence naming the figure once (three gaps of it), and the link to the Methods part
    summary, details = text.split("<details", 1)
    assert (
        '<p class="known-gaps-summary">Some figures on this page cannot be made for Rutland from the open data '
        "used: the slope index of inequality in life expectancy. See "
        '<a href="../methods.html#known-gaps">every known gap, by area (Methods)</a>.</p>'
    ) in summary
    assert "<li>" not in summary
    # folded away: one line for the figure, each dataset's count and reason once, escaped
    assert details.count("<li>") == 1
    assert (
        "<li>Rutland: the slope index of inequality in life expectancy is missing in 3 datasets: 1 value, " in details
    )
    assert "because &lt;b&gt;blank&lt;/b&gt; &amp; gone; 16 values, because OHID Fingertips 92901 publishes" in details
    # no gap for the place or the topic: nothing shown
    known_gaps_note(page_mod.Page("life_expectancy", "leicester"), RUTLAND_SII, "leicester")
    known_gaps_note(page_mod.Page("population", "rutland"), RUTLAND_SII, "rutland")
    assert len(displayed) == 1


def test_the_methods_part_lists_every_gap_or_says_there_is_none():
    from llr_analysis.website.config_text import known_gaps_text

    assert known_gaps_text(gaps()) == (
        "Processing recorded no known gaps: no figure checked for completeness is missing for any area of "
        "Leicester, Leicestershire and Rutland."
    )
    assert known_gaps_text(RUTLAND_SII) == (
        "Processing recorded these known gaps for the areas of Leicester, Leicestershire and Rutland: figures that "
        "the open data used here does not give for an area. The build goes on without them, and the topic page of "
        "the place concerned says so under its summary:\n\n"
        "- Rutland: the slope index of inequality in life expectancy is missing in 2 datasets: 16 values, because "
        "OHID Fingertips 92901 publishes no slope index of inequality for this area (the value is blank in the "
        "extract); 12 values, because OHID Fingertips 92901 (2020 extract) publishes no slope index of inequality "
        "for this area (the value is blank)."
    )
    escaped = known_gaps_text(gaps(("population/lad_totals", "E07000129", "persons", "", 1, "a *starred* [file]")))
    assert escaped.endswith(
        "- Blaby (Leicestershire): the Census 2021 total population is missing (1 value), because a \\*starred\\* "
        "\\[file\\].",
    )


#: What processing recorded for Derby and Derbyshire (E54000058, `llr configure`), offline: the stored
#: IoD2025 File 7 has no denominators for its LSOAs (deprivation.py, 152 of Derby's and 499 of Derbyshire's).
F7 = "File_7_IoD2025_All_Ranks_Scores_Deciles_Population_Denominators.csv"
F7_TAIL = (
    " (the offline File 7 holds one ICS's rows; the England-wide IoD2025 file has no denominators): figures "
    "weighted by this population cannot be made for IoD2025"
)
HEADERS = {
    "population": "Total population: mid 2022",
    "children_0_15": "Dependent Children aged 0-15: mid 2022",
    "older_60_plus": "Older population aged 60 and over: mid 2022",
    "working_age": "Working age population 18-66 (for use with Employment Deprivation Domain): mid 2022",
}


def test_the_denominators_a_place_lacks_make_one_line_naming_every_header():
    """Four columns lacking for one reason (bar the header) read as one line, in the words' order; the
    area is the LLR place with Derby's real counts (the line depends only on the row's code and values)."""
    rows = [
        ("deprivation/iod_population", "E06000016", col, "IoD2025", 152,
         f"{F7} has no '{header}' for 152 of the place's LSOAs{F7_TAIL}")
        for col, header in sorted(HEADERS.items())
    ]  # fmt: skip
    assert gap_lines(gaps(*rows), load_places()) == [
        "Leicester: the IoD2025 population denominators of its small areas (total, aged 0 to 15, aged 60 and over "
        f"and working age) are missing (152 values each), because {F7} has no 'Total population: mid 2022', "
        "'Dependent Children aged 0-15: mid 2022', 'Older population aged 60 and over: mid 2022' and 'Working age "
        "population 18-66 (for use with Employment Deprivation Domain): mid 2022' for 152 of the place's "
        f"LSOAs{F7_TAIL}."
    ]
    # one column alone keeps its own words
    assert gap_lines(gaps(rows[0]), load_places()) == [
        "Leicester: the IoD2025 population aged 0 to 15 of its small areas is missing (152 values), because "
        f"{F7} has no 'Dependent Children aged 0-15: mid 2022' for 152 of the place's LSOAs{F7_TAIL}."
    ]


@needs_mirror
def test_another_ics_names_its_own_places(tmp_path, monkeypatch):
    """Derby and Derbyshire's places file (`llr configure`) with the gaps its processing records offline."""
    from llr_analysis import configure as cf
    from llr_analysis.paths import project_paths
    from llr_analysis.website.config_text import known_gaps_text

    out = tmp_path / "derby.yml"
    doc = cf.configure_icb(cf.load_lookups(cf.locate_lookups(project_paths(tmp_path / "p"), str(MIRROR))), "E54000058")
    cf.write_places(doc, out)
    monkeypatch.setenv("LLR_PLACES", str(out))
    load_places.cache_clear()
    recorded = gaps(
        *[
            ("deprivation/iod_population", code, col, "IoD2025", n, f"{F7} has no '{header}' for {n} of the place's LSOAs{F7_TAIL}")
            for code, n in (("E10000007", 499), ("E06000015", 152))
            for col, header in HEADERS.items()
        ]
    )  # fmt: skip
    text = known_gaps_text(recorded)
    assert text.startswith("Processing recorded these known gaps for the areas of Derby and Derbyshire: ")
    bullets = [line for line in text.splitlines() if line.startswith("- ")]
    assert [b.split(":")[0] for b in bullets] == ["- Derby", "- Derbyshire"]  # the places file's order
    assert "are missing (152 values each), because File\\_7\\_IoD2025" in bullets[0]
    assert "are missing (499 values each)" in bullets[1]
    assert gap_lines(recorded, load_places(), topic="population", place="derby") == []
    assert len(gap_lines(recorded, load_places(), topic="deprivation", place="derbyshire")) == 1
