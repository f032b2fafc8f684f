"""The deprivation page's sections (report/deprivation/): sentences and tables from tested numbers."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from llr_analysis.analysis.deprivation.domains import england_supplementary
from llr_analysis.analysis.deprivation.load import load
from llr_analysis.analysis.deprivation.place import place_deprivation, upper_tier_rank
from llr_analysis.report.deprivation import change as dep_change
from llr_analysis.report.deprivation import localities as dep_localities
from llr_analysis.report.deprivation import sections, text
from recording_page import RecordingPage


def test_movement_table_counts_the_left_out_lsoas():
    ms = pd.Series(
        {
            "lsoas_compared": 180,
            "more_deprived_decile": 20,
            "same_decile": 130,
            "less_deprived_decile": 30,
            "decile1_old": 60,
            "decile1_new": 55,
            "decile1_both": 50,
        }
    )
    t = dep_change.movement_table(ms, n_all=200)
    assert t.set_index("Measure")["LSOAs"].to_dict() == {
        "LSOAs compared (boundaries unchanged 2011-2021)": 180,
        "LSOAs left out (split, merged or redrawn)": 20,
        "Moved to a more deprived national decile": 20,
        "Stayed in the same national decile": 130,
        "Moved to a less deprived national decile": 30,
        "In the most deprived 10% in IoD2019": 60,
        "In the most deprived 10% in IoD2025": 55,
        "In the most deprived 10% in both": 50,
    }


@pytest.fixture(scope="module")
def data(processed_project):
    return load(processed_project)


@pytest.fixture(scope="module")
def leicester(data):
    return place_deprivation(data, "leicester")


def test_place_figures_and_rank(leicester):
    assert len(leicester.lsoas) == 200 and leicester.locality_level == "ward" and leicester.pop_year == "mid-2022"
    assert leicester.levels == ("ward", "msoa", "pcn") and len(leicester.localities) == 21
    # IoD2025 has population for LLR only in this build: the complete edition for population ranks is IoD2019
    assert leicester.full_edition == "IoD2019" and not leicester.ranks_available["average_score"]
    assert upper_tier_rank(leicester, "IoD2019", "average_score")[:2] == (26, 151)


def test_summary_sentence(leicester):
    sentence = text.summary_sentence(leicester)
    p = leicester.place_row
    pct = p["pct_lsoas_most_deprived_10"]
    assert sentence.startswith(
        f"**In summary.** Of the 200 LSOAs in Leicester, {round(pct * 2)} ({pct:.1f}%) "
        "are among the most deprived 10% in England"
    )
    assert "in England they are 10% and 20% by definition" in sentence
    assert "on average IMD score it was 26th most deprived of 151 in IoD2019" in sentence
    top = leicester.localities.iloc[0]
    assert sentence.endswith(
        f"The most deprived ward on population-weighted average IMD score is **{top['area_name']}** "
        f"({top['avg_imd_score']:.1f})."
    )


def test_data_notes_say_what_the_build_lacks(leicester):
    notes = text.data_notes(leicester)
    assert any(n.startswith("IoD2025 population denominators are available for LLR only on this site") for n in notes)
    assert not any("this build" in n for n in notes)
    assert any("Income Deprivation Affecting Children Index (IDACI)" in n for n in notes)


# ------------------------------------------------------------------------------ locality tabs


def _page(data, place, edition="IoD2025"):
    d = place_deprivation(data, place, edition)
    page = RecordingPage()
    dep_localities.localities_section(page, d)
    return d, page, page.tabs()


def test_leicester_tabs_every_ward_and_pcn(data):
    _, page, titles = _page(data, "leicester")
    assert titles == ["Wards", "MSOAs", "Primary care networks"]
    geo = data.lsoa21
    wards = set(geo.loc[geo["place_id"] == "leicester", "ward_code"])
    dl = page.named("localities-ward")["download"]
    assert len(dl) == 21 and set(dl["area_code"]) == wards and dl["lsoas"].sum() == 200
    assert (dl["locality_level"] == "ward").all() and (dl["period"] == "IoD2025").all()
    # most deprived first, by the population-weighted score
    assert dl["value"].is_monotonic_decreasing
    assert len(page.named("localities-msoa")["download"]) == 38
    assert "21 electoral wards (May 2024 boundaries)" in page.texts("markdown")[0]
    # one outlined map per area level, sharing the LSOA data of the page's top map
    ward_map = page.named("imd-decile-map-ward")
    assert "outlines of its 21 wards drawn over them, named on the map" in ward_map["description"]
    assert len(ward_map["data"]) == 200 and ward_map["data"]["ward_name"].notna().all()
    # the PCN tab: third-party IMD 2019, practices apart, never a PCN
    pcns = page.named("pcn-deprivation")["download"]
    assert len(pcns) == 10 and pcns["area_code"].str.match(r"^U\d{5}$").all()
    assert pcns["value"].is_monotonic_decreasing and (pcns["period"] == "IMD 2019; registrations January 2023").all()
    practices = page.named("practice-deprivation")["download"]
    assert practices["pcn_code"].isin(pcns["area_code"]).all() and len(practices) == 55
    apart = page.named("practices-apart")["download"]
    assert len(apart) == 11 and not apart["area_code"].isin(practices["area_code"]).any()
    assert "Y03587" in set(apart["area_code"])  # closed in 2022, once in Millennium PCN: apart, not in the PCN
    assert any("IMD 2019" in t and "not official statistics" in t for t in page.texts("note"))


def test_rutland_has_its_15_wards_and_leicestershire_districts_first(data):
    _, page, titles = _page(data, "rutland")
    assert titles == ["Wards", "MSOAs", "Primary care networks"]
    assert len(page.named("localities-ward")["download"]) == 15
    assert page.texts("markdown")[-1].startswith("Every GP practice listed in Rutland is open")
    _, page, titles = _page(data, "leicestershire")
    assert titles == ["Districts", "Wards", "MSOAs", "Primary care networks"]
    assert len(page.named("localities-district")["download"]) == 7
    assert len(page.named("localities-ward")["download"]) == 138
    assert "named on the map" not in page.named("imd-decile-map-ward")["description"]  # 138 wards: no labels
    apart = page.named("practices-apart")["download"]
    no_pcn = apart[apart["reason"] == "open, in no PCN"]
    assert set(no_pcn["area_code"]) == {"Y03584", "Y05412"}
    assert not apart["area_code"].isin(page.named("practice-deprivation")["download"]["area_code"]).any()


def test_iod2019_tabs_leave_out_wards(data):
    _, _, titles = _page(data, "leicester", edition="IoD2019")
    assert titles == ["MSOAs", "Primary care networks"]


def test_idaci_idaopi_with_england_computed(processed_project, data):
    from llr_analysis.process import read_table

    iod = read_table("deprivation/iod_lsoa", processed_project)
    pop = read_table("deprivation/iod_population", processed_project)
    s = iod[(iod["edition"] == "IoD2019") & (iod["index_id"] == "idaci")].merge(
        pop[pop["edition"] == "IoD2019"], on="lsoa_code"
    )
    assert len(s) == 32844
    expected = 100 * (s["score"] * s["children_0_15"]).sum() / s["children_0_15"].sum()
    eng = england_supplementary(data, "IoD2019")
    assert eng["idaci"] == pytest.approx(expected) and round(eng["idaci"], 1) == 17.1
    assert np.isnan(england_supplementary(data, "IoD2025")["idaci"])  # LLR-only denominators here
    d = place_deprivation(data, "leicester")
    t = sections.supplementary_table(d)
    assert t["area_name"].tolist()[-2:] == ["Leicester", "England (IoD2019: other edition, not comparable)"]
    assert t["edition"].tolist()[-2:] == ["IoD2025", "IoD2019"]  # labelled per row
    assert round(t.iloc[-2]["pct_income_deprived_children"], 1) == 51.4
    assert t.iloc[-1]["pct_income_deprived_children"] == pytest.approx(expected)
    page = RecordingPage()
    sections.supplementary_indices(page, d)
    assert "in IoD2019 England's were 17.1% and 14.2%" in page.texts("markdown")[0]


def test_shares_of_lsoas_are_said_as_counts_and_none():
    assert text._of_lsoas(0.0, 26) == "none"
    assert text._of_lsoas(3 / 408 * 100, 408) == "3 (0.7%)"
    assert text._of_lsoas(50.0, 2) == "1 (50.0%)"


def test_a_place_with_no_lsoa_in_the_most_deprived_tenth_says_none(data):
    """Rutland (IoD2025): none of its 26 LSOAs is in England's most deprived 10%, so none of its residents
    live in one; said in words, not "0.0%"."""
    sentence = text.summary_sentence(place_deprivation(data, "rutland", "IoD2025", "all"))
    assert sentence.startswith("**In summary.** Of the 26 LSOAs in Rutland, none is among the most deprived 10%")
    assert "None of Rutland's residents (mid-2022) live in England's most deprived 10% of LSOAs." in sentence
