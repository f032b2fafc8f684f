"""Locality profiles (analysis/locality/, analysis/localities/, the locality notebook's runs):
which localities get a page, and that each figure is the sum or share of its real parts, compared
by the shared CI-overlap function. Tests of pure functions build small frames; the others use the
``processed_project`` fixture (the mirror) through :func:`llr_analysis.analysis.locality.load.load`."""

from __future__ import annotations

import math
from pathlib import Path

import pandas as pd
import pytest

from llr_analysis.analysis.localities import load as localities_load
from llr_analysis.analysis.localities import pcns as localities
from llr_analysis.analysis.localities import targets as locality_targets
from llr_analysis.analysis.locality import load as locality_load
from llr_analysis.analysis.locality.deprivation import DOMAINS, weighted_share
from llr_analysis.analysis.locality.figure import FIGURE_COLUMNS, estimate_share, figure_row, proportion
from llr_analysis.analysis.locality.key_figures import key_figures
from llr_analysis.analysis.locality.life_expectancy import life_expectancy_figures
from llr_analysis.analysis.locality.localities import Locality, area_sets, get_locality
from llr_analysis.analysis.locality.population import TOTALS_PERIOD, TOTALS_SOURCE, latest_total
from llr_analysis.analysis.locality.screening import screening_figures
from llr_analysis.errors import ParameterError
from llr_analysis.process import read_table
from llr_analysis.stats.benchmark import NOT_TESTED
from llr_analysis.website.notebooks import BUILD_PARAMETERS, Run, front_matter, plan
from llr_analysis.website.sitepages import locality_pages

ABBEY = "E05010458"  # Abbey ward, Leicester
ORION = "U36231"  # Orion PCN, Leicester


def test_every_ward_every_district_and_pcn_has_a_profile(processed_project):
    t = locality_targets.profile_targets(localities_load.load(processed_project))
    counts = t.groupby(["place_id", "level"]).size().to_dict()
    assert counts[("leicester", "ward")] == 21 and counts[("rutland", "ward")] == 15
    assert counts[("leicestershire", "ward")] == 138  # every county ward (issue 22)
    assert counts[("leicestershire", "district")] == 7
    assert t[t["level"] == "pcn"]["code"].nunique() == 26 == len(t[t["level"] == "pcn"])
    assert len(t) == 21 + 138 + 15 + 7 + 26 == 207 and t["slug"].is_unique
    geo = read_table("geography/lsoa21", processed_project)
    assert set(t.loc[(t["place_id"] == "rutland") & (t["level"] == "ward"), "code"]) == set(
        geo.loc[geo["place_id"] == "rutland", "ward_code"]
    )


def test_a_pcn_belongs_to_the_place_of_most_of_its_open_practices(processed_project):
    pcns = localities.pcns(localities_load.load(processed_project).practice_table()).set_index("locality_code")
    assert pcns.loc["U67590", "place_id"] == "rutland"  # Rutland Health PCN
    assert pcns.loc["U87499", "places"] == "Leicester, Leicestershire"  # G3 PCN spans two places
    practices = localities.practice_places(localities_load.load(processed_project).practice_table())
    open_ = practices[practices["pcn_code"].eq("U87499") & practices["status"].eq("active")]
    assert pcns.loc["U87499", "place_id"] == open_["place_id"].value_counts().idxmax()
    assert pcns["n_practices"].sum() == int((practices["pcn_code"].notna() & practices["status"].eq("active")).sum())


def test_unknown_locality_is_refused_with_the_valid_codes(processed_project):
    with pytest.raises(ParameterError, match=r"no locality profile for ward 'E05999999'; valid codes: E05"):
        get_locality(locality_load.load(processed_project).targets, "ward", "E05999999")
    with pytest.raises(ParameterError, match="unknown locality level"):
        get_locality(locality_load.load(processed_project).targets, "parish", ABBEY)


def test_ward_population_is_the_sum_of_its_best_fit_lsoas(processed_project):
    loc = get_locality(locality_load.load(processed_project).targets, "ward", ABBEY)
    assert (loc.title, loc.place_id) == ("Abbey ward", "leicester")
    fig = key_figures(locality_load.load(processed_project), loc).set_index("indicator")
    geo = read_table("geography/lsoa21", processed_project)
    age = read_table("population/lsoa21_age", processed_project)
    age = age[age["year"] == 2020]
    mine = age[age["lsoa21_code"].isin(geo.loc[geo["ward_code"] == ABBEY, "lsoa21_code"])]
    # the total is the most recent count, mid-2022 (IoD2025 denominators): one population per area on every page
    den = read_table("deprivation/iod_population", processed_project)
    den = den[den["edition"] == "IoD2025"].set_index("lsoa_code")["population"]
    assert fig.loc["People", "period"] == "mid-2022"
    assert fig.loc["People", "value"] == pytest.approx(
        den.reindex(geo.loc[geo["ward_code"] == ABBEY, "lsoa21_code"]).sum()
    )
    assert fig.loc["People", "place_value"] == pytest.approx(372495)
    # share aged 65+ of a population estimate: no sampling error, so no interval and no verdict
    old = fig.loc["Aged 65 and over (% of people)"]
    n65, n = mine.loc[mine["age"] >= 65, "population"].sum(), mine["population"].sum()
    assert old["value"] == pytest.approx(100 * n65 / n) and pd.isna(old["lower_95"]) and pd.isna(old["upper_95"])
    assert (old["vs_england"], old["vs_place"], old["vs_llr"]) == (NOT_TESTED,) * 3
    assert round(old["value"], 1) == 12.8 and round(old["england_value"], 1) == 18.5  # Abbey, mid-2020


def test_ward_deprivation_against_england_and_never_a_partial_england(processed_project):
    loc = get_locality(locality_load.load(processed_project).targets, "ward", ABBEY)
    fig = key_figures(locality_load.load(processed_project), loc).set_index("indicator")
    d1 = fig.loc["Small areas in England's most deprived 10% (% of LSOAs)"]
    iod = read_table("deprivation/iod_lsoa", processed_project)
    imd = iod[(iod["edition"] == "IoD2025") & (iod["index_id"] == "imd")]
    geo = read_table("geography/lsoa21", processed_project)
    abbey = imd[imd["lsoa_code"].isin(geo.loc[geo["ward_code"] == ABBEY, "lsoa21_code"])]
    assert (d1["count"], d1["denominator"]) == ((abbey["decile"] == 1).sum(), len(abbey)) == (4, 11)
    assert d1["england_value"] == pytest.approx(100 * (imd["decile"] == 1).mean()) and 9.9 < d1["england_value"] < 10.1
    # IoD2025's population denominators cover only LLR offline: England's weighted IDACI is missing,
    # never the LLR figure under England's name
    idaci = fig.loc["Children aged 0-15 in income-deprived families (IDACI, %)"]
    pop = read_table("deprivation/iod_population", processed_project)
    if pop.loc[pop["edition"] == "IoD2025", "children_0_15"].isna().any():
        assert math.isnan(idaci["england_value"])
    assert idaci["llr_value"] == pytest.approx(34.63, abs=0.01)
    # IDACI is a share of population estimates: described, never tested (Abbey 57.9%)
    assert idaci["vs_llr"] == NOT_TESTED and pd.isna(idaci["lower_95"])


def test_ward_life_expectancy_comes_from_overlapping_msoas_and_says_so(processed_project):
    loc = get_locality(locality_load.load(processed_project).targets, "ward", ABBEY)
    rows, detail, text = life_expectancy_figures(locality_load.load(processed_project), loc)
    assert rows == []  # no ward figure is presented as the ward's own
    assert "overlapping geography, not the ward itself" in text and "2009-13" in text
    assert set(detail["msoa11_code"]) == {"E02002829", "E02002834"}
    male = detail[(detail["msoa11_code"] == "E02002829") & (detail["sex"] == "Male")].iloc[0]
    assert male["le"] == pytest.approx(75.37, abs=0.01) and male["vs_england"] == "worse"


def test_pcn_profile_sums_its_practices_and_has_no_population(processed_project):
    loc = get_locality(locality_load.load(processed_project).targets, "pcn", ORION)
    assert (loc.title, loc.place_id, loc.is_area) == ("Orion PCN", "leicester", False)
    fig = key_figures(locality_load.load(processed_project), loc)
    assert not (fig["topic"] == "population").any()
    cov = read_table("cancer_screening/practice_coverage", processed_project)
    practices = read_table("cancer_screening/practices", processed_project)
    mine = cov[cov["practice_code"].isin(practices.loc[practices["pcn_code"] == ORION, "practice_code"])]
    mine = mine[(mine["age_group"] == "25-49") & ~mine["suppressed"].astype(bool)]
    row = fig[fig["indicator"] == "Cervical screening coverage, ages 25-49 (%)"].iloc[0]
    assert (row["count"], row["denominator"]) == (mine["numerator"].sum(), mine["denominator"].sum())
    assert row["value"] == pytest.approx(100 * mine["numerator"].sum() / mine["denominator"].sum())
    assert row["period"] == "31 December 2017" and row["vs_england"] == "worse"
    dep = fig[fig["topic"] == "deprivation"].iloc[0]
    assert dep["value"] == pytest.approx(practices.loc[practices["pcn_code"] == ORION, "pcn_imd_score"].iloc[0])
    assert "third-party" in dep["basis"]


def test_area_profiles_say_screening_is_by_practice(processed_project):
    loc = get_locality(locality_load.load(processed_project).targets, "district", "E07000130")
    rows, text = screening_figures(locality_load.load(processed_project), loc)
    assert rows == [] and "published for GP practices" in text


def test_the_build_plans_a_run_per_locality_with_its_parameters(processed_project):
    runs = [r for r in plan(processed_project) if r.role == "locality-profile"]
    assert len(runs) == 207
    abbey = next(r for r in runs if r.locality and r.locality[1] == ABBEY)
    assert abbey.output == Path("localities/leicester/ward-e05010458.ipynb")
    assert abbey.parameters == {"level": "ward", "code": ABBEY}
    assert abbey.downloads == Path("localities/leicester/ward-e05010458-data")
    fm = front_matter(abbey)
    assert "title: Abbey ward" in fm and "Electoral ward (2024) in Leicester (E05010458)" in fm
    assert {"level", "code"} <= set(BUILD_PARAMETERS)
    # before processing, the other runs are planned without the profiles
    assert not [r for r in plan(processed_project, with_profiles=False) if r.role == "locality-profile"]


def test_each_place_gets_an_index_of_its_profiles():
    nb = Path("notebooks/locality.ipynb")

    def run(place, level, code, name):
        return Run(
            nb,
            "locality",
            "Locality profile",
            place,
            Path(f"localities/{place}/{level}-{code.lower()}.ipynb"),
            role="locality-profile",
            locality=(level, code, name),
        )

    pages = locality_pages(
        [run("rutland", "pcn", "U67590", "Rutland Health PCN"), run("rutland", "ward", "E05012633", "Braunston <x>")]
    )
    text = pages["localities/rutland.qmd"]
    assert [p for p in pages if p.endswith(".qmd")] == ["localities/rutland.qmd"]  # and the key-figure CSVs
    assert text.index("## Wards (1)") < text.index("## Primary care networks (1)")
    # each locality links its profile: in the map and table when its key figures exist, else in a list
    # (names escaped either way)
    assert "rutland/ward-e05012633.html" in text and "rutland/pcn-u67590.html" in text
    assert "Braunston <x>" not in text


def test_key_figures_download_layout(processed_project):
    loc = get_locality(locality_load.load(processed_project).targets, "ward", "E05012632")  # Barleythorpe, Rutland
    fig = key_figures(locality_load.load(processed_project), loc)
    assert list(fig.columns) == FIGURE_COLUMNS
    assert set(fig["vs_england"]) <= {"better", "similar", "worse", "higher", "lower", "not compared", "not tested"}
    assert pd.notna(fig.loc[fig["indicator"] == "People", "value"]).all()


def test_key_messages_name_the_comparison_and_period_and_skip_a_missing_place_value(processed_project):
    from llr_analysis.report.locality.text import key_messages

    loc = get_locality(locality_load.load(processed_project).targets, "district", "E07000130")  # Charnwood
    messages = key_messages(loc, key_figures(locality_load.load(processed_project), loc))
    assert 2 <= len(messages) <= 4
    # a share of a population estimate is described, never given a verdict
    assert (
        "Aged 0-15 (% of people): 17.0%, 2.2 points below England's 19.2%, Leicestershire 17.9% "
        "(mid-2020, older data)." in messages
    )
    assert not any("lower than England" in m or "higher than England" in m for m in messages if "Aged" in m)
    le = [m for m in messages if m.startswith("Life expectancy at birth, males")]
    # OHID publishes no county figure in this extract: the sentence leaves the place out, never "–"
    assert le == ["Life expectancy at birth, males (years): 80.3 years, better than England (79.7 years) (2023-25)."]


def test_pcn_place_median_uses_the_pcns_each_place_lists(processed_project):
    """Issue 20 item 1: a PCN profile's place comparator is the median of the PCNs its place's pages
    list (one membership rule), recomputed here from those lists, not from each PCN's first practice."""
    practices = read_table("cancer_screening/practices", processed_project)
    score = practices.dropna(subset=["pcn_code"]).groupby("pcn_code")["pcn_imd_score"].first()
    expected = {}
    for place in ("leicester", "leicestershire", "rutland"):
        listed = locality_targets.locality_list(localities_load.load(processed_project), place, "pcn")["locality_code"]
        expected[place] = float(score.reindex(listed).median())
    assert round(expected["leicester"], 1) == 29.5 and round(expected["leicestershire"], 1) == 13.8
    targets = locality_targets.profile_targets(localities_load.load(processed_project))
    for place, median in expected.items():
        code = targets[(targets["level"] == "pcn") & (targets["place_id"] == place)]["code"].iloc[0]
        loc = get_locality(locality_load.load(processed_project).targets, "pcn", code)
        row = key_figures(locality_load.load(processed_project), loc).query("topic == 'deprivation'").iloc[0]
        assert row["place_value"] == pytest.approx(median)
        n = len(locality_targets.locality_list(localities_load.load(processed_project), place, "pcn"))
        assert f"{loc.place_name}: {n} PCN{'' if n == 1 else 's'} used" in row["basis"]
        assert row["vs_place"] == NOT_TESTED  # an index score, not a sample
    # LLR: every PCN once
    all_pcns = localities.pcns(localities_load.load(processed_project).practice_table())["locality_code"]
    assert row["llr_value"] == pytest.approx(float(score.reindex(all_pcns).median()))


NO_SAMPLING_ERROR = (
    "Small areas in England's most deprived 10% (% of LSOAs)",
    "Aged 0-15 (% of people)",
    "Aged 65 and over (% of people)",
    "Children aged 0-15 in income-deprived families (IDACI, %)",
    "People aged 60+ who are income deprived (IDAOPI, %)",
)


@pytest.mark.parametrize("level,code", [("ward", ABBEY), ("ward", "E05012632"), ("district", "E07000130")])
def test_no_interval_or_verdict_on_a_figure_without_sampling_error(processed_project, level, code):
    """Issue 20 item 2: counts of areas and shares of population estimates get no interval and no
    better/similar/worse; screening and life expectancy keep theirs."""
    loc = get_locality(locality_load.load(processed_project).targets, level, code)
    fig = key_figures(locality_load.load(processed_project), loc).set_index("indicator")
    for indicator in NO_SAMPLING_ERROR:
        r = fig.loc[indicator]
        assert pd.isna(r["lower_95"]) and pd.isna(r["upper_95"]), indicator
        assert {r["vs_england"], r["vs_place"], r["vs_llr"]} == {NOT_TESTED}, indicator


def test_rutland_with_no_deprived_lsoa_is_none_not_similar(processed_project):
    from llr_analysis.report.figures import plain_versus

    loc = get_locality(locality_load.load(processed_project).targets, "ward", "E05012632")  # Barleythorpe, Rutland
    r = key_figures(locality_load.load(processed_project), loc).set_index("indicator").loc[NO_SAMPLING_ERROR[0]]
    assert r["value"] == 0 and r["vs_england"] == NOT_TESTED
    assert plain_versus(0.0, 10.0, "%") == "none (England 10.0%)"
    assert plain_versus(20.0, 10.0, "%") == "twice England's 10.0%"
    assert plain_versus(12.8, 18.5, "%") == "5.7 points below England's 18.5%"


def test_pcn_screening_counts_no_closed_practice(processed_project):
    """Issue 20 item 5: a PCN's 2017 cervical totals are those of its practices that are open; a closed
    practice (Westcotes Medical Centre, Y03587, last in Millennium PCN) is shown apart, never counted."""
    practices = read_table("cancer_screening/practices", processed_project).set_index("practice_code")
    assert practices.loc["Y03587", "status"] == "closed"
    millennium = practices.loc["Y03587", "pcn_code"]
    loc = get_locality(locality_load.load(processed_project).targets, "pcn", millennium)
    cov = read_table("cancer_screening/practice_coverage", processed_project)
    open_ = practices.index[(practices["pcn_code"] == millennium) & (practices["status"] == "active")]
    mine = cov[cov["practice_code"].isin(open_) & (cov["age_group"] == "25-49") & ~cov["suppressed"].astype(bool)]
    row = key_figures(locality_load.load(processed_project), loc).query(
        "indicator == 'Cervical screening coverage, ages 25-49 (%)'"
    )
    assert (row["count"].iloc[0], row["denominator"].iloc[0]) == (mine["numerator"].sum(), mine["denominator"].sum())


def test_a_ward_has_one_total_on_every_page(processed_project):
    """Issue 20 item 6: Spinney Hills was 11,492 (mid-2020) on its profile and 12,194 (mid-2022) on the
    deprivation page; the total is now the mid-2022 count on both."""
    geo = read_table("geography/lsoa21", processed_project)
    code = geo.loc[geo["ward_name"] == "Spinney Hills", "ward_code"].iloc[0]
    loc = get_locality(locality_load.load(processed_project).targets, "ward", code)
    people = key_figures(locality_load.load(processed_project), loc).set_index("indicator").loc["People"]
    assert (people["value"], people["period"]) == (12194, "mid-2022")
    assert people["vs_england"] == NOT_TESTED
    dep = read_table("deprivation/iod_population", processed_project)
    dep = dep[(dep["edition"] == "IoD2025") & dep["lsoa_code"].isin(geo.loc[geo["ward_code"] == code, "lsoa21_code"])]
    assert dep["population"].sum() == 12194


# ------------------------------------------------------------------ pure functions, small frames


def _targets() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "level": ["ward", "ward", "pcn"],
            "code": ["E05000001", "E05000002", "U00001"],
            "name": ["North", "South", "Hill PCN"],
            "place_id": ["rutland", "rutland", "leicester"],
            "slug": ["ward-e05000001", "ward-e05000002", "pcn-u00001"],
        }
    )


def test_a_locality_is_found_by_level_and_code_in_any_case():
    loc = get_locality(_targets(), "ward", " e05000002 ")
    assert loc == Locality("ward", "E05000002", "South", "rutland")
    assert (loc.title, loc.slug, loc.is_area, loc.place_name) == ("South ward", "ward-e05000002", True, "Rutland")
    with pytest.raises(ParameterError, match=r"no locality profile for pcn 'U9'; valid codes: U00001$"):
        get_locality(_targets(), "pcn", "U9")


def test_area_sets_are_the_localitys_place_and_ics_lsoas():
    lsoa21 = pd.DataFrame(
        {
            "lsoa21_code": ["A1", "A2", "A3", "B1"],
            "ward_code": ["E05000001", "E05000001", "E05000002", "E05000009"],
            "place_id": ["rutland", "rutland", "rutland", "leicester"],
        }
    )
    sets = area_sets(lsoa21, Locality("ward", "E05000001", "North", "rutland"))
    assert sets == {"here": ["A1", "A2"], "place": ["A1", "A2", "A3"], "llr": ["A1", "A2", "A3", "B1"], "england": None}
    assert area_sets(lsoa21, Locality("pcn", "U00001", "Hill PCN", "leicester"))["here"] == []


def test_a_total_with_a_missing_area_is_missing_never_partial():
    den = pd.DataFrame(
        {"lsoa_code": ["A1", "A2", "A3"], "population": [100.0, 250.0, None], "edition": ["IoD2025"] * 3}
    )
    assert latest_total(den, ["A1", "A2"]) == 350
    assert math.isnan(latest_total(den, ["A1", "A3"])) and math.isnan(latest_total(den, ["A1", "Z9"]))
    assert math.isnan(latest_total(den, []))


def test_weighted_share_is_missing_when_any_weight_is():
    s = pd.DataFrame({"score": [0.2, 0.4], "children": [100.0, 300.0]})
    assert weighted_share(s, "score", "children") == pytest.approx((0.2 * 100 + 0.4 * 300) / 400)
    assert math.isnan(weighted_share(s.assign(children=[100.0, None]), "score", "children"))
    assert math.isnan(weighted_share(s.iloc[:0], "score", "children"))


def test_a_figure_row_compares_only_what_has_an_interval():
    share = figure_row("t", "Share", "%", "2024", estimate_share(3, 12), 10.0, 20.0, 30.0, "lower_is_better", "b", "s")
    assert (share["value"], share["lower_95"]) == (25.0, None)
    assert (share["vs_place"], share["vs_llr"], share["vs_england"]) == (NOT_TESTED,) * 3
    cov = proportion(700, 1000)  # 70.0%, Wilson 95% interval 67.09-72.76 (by hand)
    assert (round(cov["lower_95"], 1), round(cov["upper_95"], 1)) == (67.1, 72.8)
    row = figure_row("t", "Coverage", "%", "2024", cov, 60.0, 70.0, 80.0, "higher_is_better", "b", "s")
    assert (row["vs_place"], row["vs_llr"], row["vs_england"]) == ("better", "similar", "worse")
    assert list(row) == FIGURE_COLUMNS
    assert math.isnan(proportion(0, 0)["value"])


def test_the_profile_words_match_the_topic_pages():
    """The domain labels and the population total's period and source are those of the deprivation and
    population pages (kept in the locality package so that a profile does not import those topics)."""
    from llr_analysis.analysis.deprivation.domains import SHORT_LABELS
    from llr_analysis.analysis.population.totals import TOTALS_PERIOD as POP_PERIOD
    from llr_analysis.analysis.population.totals import TOTALS_SOURCE as POP_SOURCE

    assert {k: SHORT_LABELS[k] for k in DOMAINS} == DOMAINS and len(DOMAINS) == 8
    assert (TOTALS_PERIOD, TOTALS_SOURCE) == (POP_PERIOD, POP_SOURCE)


def test_figures_shared_by_the_profiles_of_a_kernel_stay_those_of_each_place(processed_project):
    """Issue 22: a place's, the ICS's and England's figures are worked out once per loaded data and
    kept per place: profiles of three places in a row each get their own place's total."""
    data = locality_load.load(processed_project)
    den = read_table("deprivation/iod_population", processed_project)
    den = den[den["edition"] == "IoD2025"].set_index("lsoa_code")["population"]
    geo = read_table("geography/lsoa21", processed_project)
    expected = {"rutland": 41225, "leicester": 372495}
    for level, code in (("ward", "E05012632"), ("ward", ABBEY), ("district", "E07000130"), ("ward", "E05012633")):
        loc = get_locality(data.targets, level, code)
        people = key_figures(data, loc).set_index("indicator").loc["People"]
        place = geo.loc[geo["place_id"] == loc.place_id, "lsoa21_code"]
        assert people["place_value"] == pytest.approx(den.reindex(place).sum())
        if loc.place_id in expected:
            assert people["place_value"] == expected[loc.place_id]
        assert people["llr_value"] == 1136660 == pytest.approx(den.reindex(geo["lsoa21_code"]).sum())
    assert key_figures(data, loc).equals(key_figures(data, loc))  # a second run of a profile: the same figures


def test_people_by_decile_is_missing_not_zero_when_a_population_is_missing(monkeypatch):
    """Another ICS's profiles (Derby) had an empty decile chart: with the mid-2022 populations missing
    the shares were 0/0 and the chart drew nothing. Missing populations give missing shares, never zero,
    and a known population gives each decile its share (deciles with nobody are 0%)."""
    from llr_analysis.analysis.locality import deprivation

    here = pd.DataFrame({"imd_decile": [1, 1, 3], "population": [100.0, 300.0, 600.0]})
    place = pd.DataFrame({"imd_decile": [2, 5], "population": [float("nan"), 50.0]})
    monkeypatch.setattr(deprivation, "subsets", lambda data, loc: {"here": here, "place": place})
    mix = deprivation.decile_mix(None, Locality("ward", "E05000001", "North", "rutland"))  # type: ignore[arg-type]
    mine = mix[mix["area"] == "North"].set_index("decile")["percent"]
    assert mine[1] == pytest.approx(40.0) and mine[3] == pytest.approx(60.0) and mine[2] == 0.0
    assert mix[mix["area"] == "Rutland"]["percent"].isna().all()
