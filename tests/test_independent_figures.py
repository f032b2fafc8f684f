"""Independent recomputation of published figures from the raw files (issue 20, "the review").

Each figure is recomputed here with pandas straight from the raw files (data/raw, fetched from the mirror), by code that
shares nothing with ``llr_analysis.analysis`` or ``llr_analysis.process`` (only places.yml, the one
configuration, says which districts make a place), and compared with what the site's analysis
gives for its pages. The full table of checks, with the built site's values, is docs/figure-checks.md.
Marked ``mirror`` and ``slow`` (they need the raw-data mirror and the processed project).
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest
import yaml

REPO = Path(__file__).resolve().parents[1]
PLACES = yaml.safe_load((REPO / "src/llr_analysis/config/places.yml").read_text())["places"]
DISTRICTS = {pid: list(p["districts"]) for pid, p in PLACES.items()}

FILE7_2025 = "imd_2025/File_7_IoD2025_All_Ranks_Scores_Deciles_Population_Denominators.csv"
SAPE_2020 = "population/sape23dt2mid2020lsoasyoaestimatesunformatted__Mid-2020_Persons__England.csv"
CENSUS = "population/census2021-ts009-ltla__totals_by_sex.csv"
WARDS = "lookups/LSOA21_WD24_LAD24_EW_LU.csv"
LE = "life_expectancy/life_expectancy.csv"
CERVICAL = "cancer_screening/phe_cervical_coverage_gp_dec2017__bbc.csv"
EPCN = "gp_practices/ods_ePCN_2023-01.xlsx"
EPRACCUR = "gp_practices/ods_epraccur_2022-12.csv"
PCN_IMD = "gp_practices/derived_pcn_imd2019__blackwellrd.csv"

POP22 = "Total population: mid 2022"
DECILE = "Index of Multiple Deprivation (IMD) Decile (where 1 is most deprived 10% of LSOAs)"
SCORE = "Index of Multiple Deprivation (IMD) Score"
LAD24 = "Local Authority District code (2024)"

pytestmark = [pytest.mark.mirror, pytest.mark.slow]


# ------------------------------------------------------------------------------ independent code


def file7(mirror: Path) -> pd.DataFrame:
    d = pd.read_csv(mirror / FILE7_2025, encoding="utf-8-sig")
    d["place"] = d[LAD24].map({c: pid for pid, cs in DISTRICTS.items() for c in cs})
    return d[d["place"].notna()]


def mid2022_totals(mirror: Path) -> dict[str, float]:
    d = file7(mirror)
    out = d.groupby("place")[POP22].sum().to_dict()
    out["llr"] = float(d[POP22].sum())
    return out


def decile1(mirror: Path) -> dict[str, tuple[int, int]]:
    d = file7(mirror)
    return {pid: (int((g[DECILE] == 1).sum()), len(g)) for pid, g in d.groupby("place")}


def ward_mid2022(mirror: Path, ward_name: str, lad: str) -> float:
    lk = pd.read_csv(mirror / WARDS, encoding="utf-8-sig")
    codes = lk.loc[(lk["WD24NM"] == ward_name) & (lk["LAD24CD"] == lad), "LSOA21CD"]
    d = pd.read_csv(mirror / FILE7_2025, encoding="utf-8-sig")
    return float(d.loc[d["LSOA code (2021)"].isin(codes), POP22].sum())


def mid2020(mirror: Path) -> pd.DataFrame:
    return pd.read_csv(mirror / SAPE_2020, encoding="utf-8-sig", dtype={"LSOA Code": str})


def share_65_plus(s: pd.DataFrame) -> float:
    old = [str(a) for a in range(65, 90)] + ["90+"]
    return 100 * s[old].to_numpy().sum() / s["All Ages"].sum()


def life_expectancy(mirror: Path, code: str, sex: str, period: str = "2023 - 25") -> float:
    d = pd.read_csv(mirror / LE, encoding="utf-8-sig")
    hit = d[(d["area_code"] == code) & (d["inequality"] == sex) & (d["period"] == period)]
    hit = hit[hit["indicator"] == "Life expectancy at birth"]
    assert len(hit) == 1
    return float(hit["value"].iloc[0])


def cervical(mirror: Path) -> pd.DataFrame:
    d = pd.read_csv(mirror / CERVICAL, dtype=str, keep_default_na=False)
    out = pd.DataFrame(
        {
            "code": d["Organisation.Code"].str.strip(),
            "ccg": d["CCG"].str.strip(),
            "eligible": pd.to_numeric(d["Eligible25to49"], errors="coerce"),  # "<under 6>" etc. -> missing
            "screened": pd.to_numeric(d["No..of.women.screened.in.previous.42.months"], errors="coerce"),
        }
    )
    return out[out["code"].str.len() > 0]


def coverage(rows: pd.DataFrame) -> float:
    ok = rows["eligible"].notna() & rows["screened"].notna() & (rows["eligible"] > 0)
    return 100 * rows.loc[ok, "screened"].sum() / rows.loc[ok, "eligible"].sum()


def practices(mirror: Path) -> pd.DataFrame:
    """Every practice with its ODS status and commissioner (epraccur fields 1, 13 and 15)."""
    e = pd.read_csv(mirror / EPRACCUR, header=None, dtype=str, keep_default_na=False)
    return pd.DataFrame({"code": e[0].str.strip(), "status": e[12].str.strip(), "ccg": e[14].str.strip()})


def current_pcns(mirror: Path) -> pd.DataFrame:
    x = pd.read_excel(mirror / EPCN, sheet_name="PCN Core Partner Details", dtype=str)
    x.columns = [" ".join(str(c).split()) for c in x.columns]
    cur = x[x["Practice to PCN Relationship End Date"].isna()]
    return pd.DataFrame({"code": cur["Partner Organisation Code"].str.strip(), "pcn": cur["PCN Code"].str.strip()})


def pcn_medians(mirror: Path) -> dict[str, float]:
    """Median PCN IMD 2019 score by place, each PCN in the place of most of its open practices, placed
    by commissioner (04C Leicester, 04V Leicestershire; 03W Rutland for Rutland Health PCN U67590, else
    Leicestershire)."""
    p = practices(mirror).merge(current_pcns(mirror), on="code")
    p = p[(p["status"] == "A") & p["ccg"].isin(["04C", "04V", "03W"])]
    p["place"] = np.select(
        [p["ccg"] == "04C", p["ccg"] == "04V", p["pcn"] == "U67590"],
        ["leicester", "leicestershire", "rutland"],
        "leicestershire",
    )
    home = p.groupby("pcn")["place"].agg(lambda s: s.value_counts().sort_index().idxmax())
    score = pd.read_csv(mirror / PCN_IMD).set_index("pcn_code")["imd_score"]
    return {pid: float(score.reindex(home[home == pid].index).median()) for pid in DISTRICTS}


# ------------------------------------------------------------------------------ the checks


@pytest.fixture(scope="module")
def raw(processed_project) -> Path:
    """data/raw of the project the site is built from (fetched from the raw)."""
    return processed_project.raw


@pytest.fixture(scope="module")
def headlines(processed_project):
    from llr_analysis.analysis.overview.load import load

    h = load(processed_project).headlines
    return h.set_index(["area_id", "indicator"])


def test_population_totals(raw, headlines):
    totals = mid2022_totals(raw)
    for pid in ["llr", *DISTRICTS]:
        assert headlines.loc[(pid, "Population (all ages)"), "value"] == pytest.approx(totals[pid])
    assert round(totals["leicester"]) == 372495
    census = pd.read_csv(raw / CENSUS).set_index("geography code")
    assert census.loc[DISTRICTS["leicester"], "Sex: All persons; Age: Total; measures: Value"].sum() == 368581


def test_population_shares_and_mid_2020(raw, headlines, processed_project):
    from llr_analysis.analysis.population import ages as population
    from llr_analysis.analysis.population.load import load

    s = mid2020(raw)
    rut = s[s["LA Code (2021 boundaries)"].isin(DISTRICTS["rutland"])]
    assert headlines.loc[("rutland", "% aged 65 and over"), "value"] == pytest.approx(share_65_plus(rut))
    assert headlines.loc[("rutland", "% aged 65 and over"), "england_value"] == pytest.approx(share_65_plus(s))
    leic = s[s["LA Code (2021 boundaries)"].isin(DISTRICTS["leicester"])]["All Ages"].sum()
    st = population.structure_table(load(processed_project), 2020, "leicester", "ward").set_index("area_type")
    assert st.loc["place", "population"] == pytest.approx(leic) == 354036


def test_a_ward_total_on_its_profile(raw, processed_project):
    from llr_analysis.analysis.locality.key_figures import key_figures
    from llr_analysis.analysis.locality.load import load
    from llr_analysis.analysis.locality.localities import get_locality

    code = pd.read_csv(raw / WARDS).query("WD24NM == 'Spinney Hills'")["WD24CD"].iloc[0]
    data = load(processed_project)
    fig = key_figures(data, get_locality(data.targets, "ward", code))
    people = fig.set_index("indicator").loc["People", "value"]
    assert people == pytest.approx(ward_mid2022(raw, "Spinney Hills", DISTRICTS["leicester"][0])) == 12194


def test_deprivation_shares(raw, headlines):
    counts = decile1(raw)
    assert counts == {"leicester": (40, 200), "leicestershire": (3, 408), "rutland": (0, 26)}
    share = "LSOAs in England's most deprived 10% (IMD)"
    for pid, (k, n) in counts.items():
        assert headlines.loc[(pid, share), "value"] == pytest.approx(100 * k / n)
    d = file7(raw)
    score = "Average IMD score (population-weighted)"
    assert headlines.loc[("llr", score), "value"] == pytest.approx(np.average(d[SCORE], weights=d[POP22]))


def test_life_expectancy(raw, headlines):
    assert headlines.loc[("leicester", "Life expectancy at birth, males"), "value"] == life_expectancy(
        raw, DISTRICTS["leicester"][0], "Male"
    )
    assert headlines.loc[("rutland", "Life expectancy at birth, females"), "value"] == life_expectancy(
        raw, DISTRICTS["rutland"][0], "Female"
    )
    # the tie the county summary must name in full: both 83.8
    nwl, ow = (life_expectancy(raw, c, "Female") for c in ("E07000134", "E07000135"))
    assert nwl == ow == 83.8


def test_cervical_coverage(raw, headlines, processed_project):
    from llr_analysis.analysis.locality.key_figures import key_figures
    from llr_analysis.analysis.locality.load import load
    from llr_analysis.analysis.locality.localities import get_locality

    c = cervical(raw)
    leic = c[c["ccg"] == "NHS Leicester City CCG"]
    assert (leic["screened"].sum(), leic["eligible"].sum()) == (42595, 71127)  # suppressed rows are NaN, left out
    matches = [i for i in headlines.index if i[0] == "leicester" and str(i[1]).startswith("Cervical") and "25" in i[1]]
    assert len(matches) == 1, matches
    assert headlines.loc[matches[0], "value"] == pytest.approx(coverage(leic))
    assert headlines.loc[matches[0], "england_value"] == pytest.approx(coverage(c))
    llr = c[c["ccg"].str.contains("Leicester")]
    llr_key = ("llr", matches[0][1])
    assert headlines.loc[llr_key, "value"] == pytest.approx(coverage(llr))
    # Millennium PCN: its open practices only (never the closed Westcotes Medical Centre, Y03587)
    members = current_pcns(raw).merge(practices(raw), on="code")
    open_ = members[(members["pcn"] == "U05642") & (members["status"] == "A")]["code"]
    assert "Y03587" not in set(open_)
    data = load(processed_project)
    loc = get_locality(data.targets, "pcn", "U05642")
    row = key_figures(data, loc).set_index("indicator").loc["Cervical screening coverage, ages 25-49 (%)"]
    assert row["value"] == pytest.approx(coverage(c[c["code"].isin(open_)]))


def test_pcn_deprivation_medians(raw, processed_project):
    from llr_analysis.analysis.localities import load as localities_load
    from llr_analysis.analysis.localities import targets as locality_targets
    from llr_analysis.analysis.locality.key_figures import key_figures
    from llr_analysis.analysis.locality.load import load
    from llr_analysis.analysis.locality.localities import get_locality

    medians = pcn_medians(raw)
    assert round(medians["leicester"], 1) == 29.5 and round(medians["leicestershire"], 1) == 13.8
    targets = locality_targets.profile_targets(localities_load.load(processed_project))
    for pid, median in medians.items():
        code = targets[(targets["level"] == "pcn") & (targets["place_id"] == pid)]["code"].iloc[0]
        data = load(processed_project)
        fig = key_figures(data, get_locality(data.targets, "pcn", code))
        assert fig.query("topic == 'deprivation'")["place_value"].iloc[0] == pytest.approx(median)
