"""The population page's sentences and sections (report/population/) and the census comparison
(analysis/population/totals.py): hand-made inputs with hand-written expected text, and the real pages'
sections written through a recording page (the ``processed_project`` fixture, slow)."""

from __future__ import annotations

import pandas as pd
import pytest

from llr_analysis.analysis.population import ages
from llr_analysis.analysis.population import change as pop_change
from llr_analysis.analysis.population import localities as pop_loc
from llr_analysis.analysis.population import totals as pop_totals
from llr_analysis.analysis.population.load import PopulationData, load
from llr_analysis.places import get_place
from llr_analysis.report.population import localities as loc_report
from llr_analysis.report.population import sections
from llr_analysis.report.population import text as pop_text
from llr_analysis.report.population.tables import structure_display
from recording_page import RecordingPage


def structure_frame(localities):
    """A :func:`structure_table` of Leicestershire with the given localities (name, population, pct_65_plus)."""
    rows = [
        ("E10000018", "Leicestershire", "place", 700000.4, 49.5, 18.0, 60.0, 22.04, 2.96, 370.4),
        ("E54000015", "LLR", "ICB", 1100000.0, 100.0, 19.0, 63.0, 18.0, 2.5, 290.0),
        ("E92000001", "England", "England", 56000000.0, float("nan"), 19.2, 62.3, 18.5, 2.45, 296.6),
    ]
    rows += [
        (f"E0{i}", n, "locality", p, 10.0, 18.0, 60.0, p65, 3.0, 300.0) for i, (n, p, p65) in enumerate(localities)
    ]
    cols = ["area_code", "area_name", "area_type", "population", "share"]
    cols += ["pct_0_15", "pct_16_64", "pct_65_plus", "pct_85_plus", "oadr"]
    return pd.DataFrame(rows, columns=cols)


def change_frame():
    rows = []
    for area_type, pcts in (("place", (0.55, 2.04, -0.3)), ("England", (0.4, 1.23, 0.0))):
        for measure, pct in zip(("All ages", "Aged 65+", "Aged 85+"), pcts, strict=True):
            rows.append({"area_type": area_type, "measure": measure, "pct_change": pct, "change": 3812.6})
    return pd.DataFrame(rows)


def test_rise_words():
    assert pop_text.rise(1.25) == "rose by 1.2%"  # Python rounds half to even on the binary value
    assert pop_text.rise(-0.34) == "fell by 0.3%"
    assert pop_text.rise(0.0) == "did not change"


def test_summary_text_by_hand():
    st = structure_frame([("Blaby", 100000.0, 21.5), ("Melton", 51000.0, 25.04), ("Oadby", 57000.0, 19.96)])
    text = pop_text.summary_text(st, change_frame(), "leicestershire", "district", 2020)
    assert text == (
        "**In summary.** In mid-2020 an estimated **700,000** people lived in Leicestershire (49.5% of LLR's "
        "1,100,000). **22.0%** were aged 65 and over (LLR 18.0%, England 18.5%) and 3.0% were aged 85 and over "
        "(LLR 2.5%, England 2.5%); 18.0% were children aged 0–15 (England 19.2%). There were 370 people aged 65+ "
        "for every 1,000 aged 16–64 (England 297). Between mid-2019 and mid-2020 the population rose by 0.6% "
        "(+3,813 people), the number aged 65+ rose by 2.0% and the number aged 85+ fell by 0.3% (England: +1.2% "
        "and +0.0%). Of the 3 districts, **Melton** has the highest share aged 65+ (25.0%) and **Oadby** the "
        "lowest (20.0%)."
    )


def test_summary_text_with_one_locality_names_none():
    st = structure_frame([("Rutland", 40000.0, 26.0)])
    text = pop_text.summary_text(st, change_frame(), "rutland", "msoa", 2019)
    assert text.startswith("**In summary.** In mid-2019 an estimated **700,000** people lived in Rutland ")
    assert text.endswith("(England: +1.2% and +0.0%). ")


def test_census_comparison_and_text_by_hand():
    totals = pd.DataFrame(
        {
            "area_code": ["E06000017"] * 3 + ["E92000001"] * 3,
            "area_name": ["Rutland"] * 3 + ["England"] * 3,
            "period": ["mid-2019", "mid-2020", "Census 2021"] * 2,
            "persons": [40000.0, 40500.0, 41000.0, 100.0, 200.0, 150.0],
            "female": [None, None, 20000.0, None, None, 75.0],
        }
    )
    table = pop_totals.census_comparison(totals)
    assert list(table.columns) == [
        "Area",
        "Estimate, mid-2019",
        "Estimate, mid-2020",
        "Census 2021",
        "Census vs mid-2020 estimate (%)",
        "% female (Census 2021)",
    ]
    assert table["Area"].tolist() == ["Rutland", "England"]
    assert table["Census 2021"].tolist() == [41000, 150]
    assert table["Census vs mid-2020 estimate (%)"].tolist() == [1.2, -25.0]  # 500/40500 = 1.23%
    assert table["% female (Census 2021)"].tolist() == pytest.approx([100 * 20000 / 41000, 50.0])
    assert pop_text.census_text(table, "rutland").startswith(
        "Census 2021 (21 March 2021) counted **41,000** usual residents in Rutland, 1.2% more "
        "than the mid-2020 estimate; 48.8% were female. The difference is mostly a correction"
    )


def test_mapping_text_mentions_merges_only_when_there_are_some():
    m = {"lsoa11": 23, "unchanged": 20, "split_from": 3, "split_into": 7, "merged_from": 0, "merged_into": 0}
    text = pop_text.mapping_text(m, "rutland")
    assert "In Rutland, 20 of the 23 LSOAs (2011) are unchanged in 2021, 3 were split into 7 LSOAs (2021). " in text
    text = pop_text.mapping_text({**m, "merged_from": 4, "merged_into": 2}, "rutland")
    assert "3 were split into 7 LSOAs (2021) and 4 were merged into 2. Following the ONS" in text


def test_structure_display_rounds_and_renames():
    shown = structure_display(structure_frame([("Blaby", 100000.6, 21.5)]))
    assert shown.columns[0] == "Area" and shown.columns[-1] == "Aged 65+ per 1,000 aged 16-64"
    assert shown["Population"].tolist() == [700000, 1100000, 56000000, 100001]


# ------------------------------------------------------------------------------ real data


@pytest.fixture(scope="module")
def pop_data(processed_project) -> PopulationData:
    """The population tables of the processed mirror data, loaded once (the notebook's edge)."""
    return load(processed_project)


@pytest.mark.parametrize("place", ["leicester", "rutland"])
def test_sections_write_the_page_in_order(pop_data, place):
    levels = pop_loc.tab_levels(place)
    level = pop_loc.first_area_level(levels)
    assert levels == ["ward", "msoa", "pcn"] and level == "ward"
    st = ages.structure_table(pop_data, 2020, place, level)
    change = pop_change.change_table(pop_data, place, level)
    page = RecordingPage()
    loc_report.localities_section(page, pop_data, place, 2020, levels, st)
    sections.age_structure_section(page, pop_data, st, place, level, 2020)
    sections.change_section(page, change, place, level)
    sections.older_people_map_section(page, pop_data, place, 2020, level=level)
    sections.district_totals_section(page, pop_data, place)
    assert page.tabs() == ["Wards", "MSOAs", "Primary care networks"]
    names = [n for k, n, _ in page.outputs if k in ("chart", "table")]
    assert names == [
        "locality-population",
        "locality-population-ward",
        "locality-population-msoa",
        "age-profile",
        "age-structure",
        "change",
        "change-table",
        "pct-65-plus-map",
        "district-totals",
    ]
    loc = page.named("locality-population")["data"]
    assert loc["value"].sum() == pytest.approx(st.set_index("area_type").loc["place", "population"])
    change_data = page.named("change")["data"]
    n_localities = (st["area_type"] == "locality").sum()
    assert (n_localities > 12) == (change_data["area_name"].nunique() == 3)  # Leicester's 21 wards left out
    assert "no source of registered patients" in " ".join(page.texts("note"))  # the PCN tab says what is missing
    assert set(page.named("age-structure")["frame"]["Area"]) == {get_place(place).name, "LLR", "England"}


def test_every_ward_in_the_ward_tab_download(processed_project, pop_data):
    from llr_analysis.process import read_table

    geo = read_table("geography/lsoa21", processed_project)
    raw = read_table("population/lsoa21_age", processed_project)
    raw = raw[raw["year"] == 2020].merge(geo, on="lsoa21_code")
    for place, n in (("leicester", 21), ("rutland", 15), ("leicestershire", 138)):
        page = RecordingPage()
        loc_report.localities_section(page, pop_data, place, 2020, ["ward"])
        dl = page.named("locality-population-ward")["download"]
        total = dl[dl["indicator"] == "Population (all ages)"]
        wards = set(geo.loc[geo["place_id"] == place, "ward_code"])
        assert len(total) == n and set(total["area_code"]) == wards and (dl["locality_level"] == "ward").all()
        by_ward = raw[raw["place_id"] == place].groupby("ward_code")["population"].sum().round()
        assert total.set_index("area_code")["value"].to_dict() == by_ward.to_dict()  # whole people
        assert (total["count"] == total["count"].round()).all()


def test_reconciliation_table_equals_the_processed_tables(processed_project, pop_data):
    from llr_analysis.process import read_table

    page = RecordingPage()
    sections.reconciliation_section(page, pop_data, "leicester")
    t = pop_totals.reconciliation(pop_data, "leicester")
    lsoa11 = read_table("population/lsoa11_age", processed_project)
    est = lsoa11[(lsoa11["year"] == 2020) & (lsoa11["lad_code"] == "E06000016")]["population"].sum()
    den = read_table("deprivation/iod_population", processed_project)
    den = den[(den["edition"] == "IoD2025") & (den["lad_code"] == "E06000016")]["population"].sum()
    lads = read_table("population/lad_totals", processed_project)
    census = lads[(lads["period"] == "Census 2021") & (lads["area_code"] == "E06000016")]["persons"].sum()
    assert t["population"].tolist() == [est, den, census] == [354036, 372495, 368581]
    assert t["period"].tolist() == ["mid-2020", "mid-2022", "Census 2021"]
    shown = page.named("population-sources")["frame"]
    assert shown["Population of Leicester"].tolist() == [354036, 372495, 368581]
    assert (shown["Older data"] == "older data: more than three years old").all()  # all ended before 2023
    dl = page.named("population-sources")["download"]
    assert dl["value"].tolist() == [354036, 372495, 368581] and (dl["area_code"] == "E06000016").all()
    text = page.texts("markdown")[0]
    assert "354,036 is the ONS estimate for mid-2020" in text and "372,495 is the ONS estimate for mid-2022" in text


def test_tab_levels_checks_the_level():
    from llr_analysis.errors import ParameterError

    assert pop_loc.tab_levels("leicestershire") == ["district", "ward", "msoa", "pcn"]
    assert pop_loc.tab_levels("rutland", "msoa") == ["msoa"]
    with pytest.raises(ParameterError, match="Leicester has no 'district' tab"):
        pop_loc.tab_levels("leicester", "district")
    with pytest.raises(ParameterError):
        pop_loc.first_area_level(["pcn"])


def test_rutland_real_sentences(pop_data):
    page = RecordingPage()
    sections.older_people_map_section(page, pop_data, "rutland", 2020)
    sections.district_totals_section(page, pop_data, "rutland")
    assert page.named("pct-65-plus-map")["description"].endswith("which ranges from 15.6% to 37.9% (Rutland 005C).")
    assert page.named("pct-65-plus-map")["description"].startswith("Map of the 23 LSOAs (2011 boundaries")
    assert page.outputs[-1][2]["text"].startswith(
        "Census 2021 (21 March 2021) counted **41,051** usual residents in Rutland, 1.4% more than the mid-2020 "
        "estimate; 48.7% were female."
    )


def test_the_page_leads_with_the_most_recent_total(pop_data):
    """Issue 20 item 6: the population page opens with the mid-2022 total every page uses, Census 2021
    beside it; the mid-2020 estimates follow only for ages."""
    text = pop_text.totals_text(pop_data, "leicester")
    assert text.startswith("**How many people.** In mid-2022, the most recent estimate, **372,495** people")
    assert "Census 2021 counted 368,581 in March 2021" in text
