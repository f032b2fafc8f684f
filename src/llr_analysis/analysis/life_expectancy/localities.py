"""Life expectancy by the localities of a place: districts, wards, MSOAs and primary care networks (PCNs).

What the sources allow, and how each level is built (the page says the same in words):

* **Districts**: OHID Fingertips 90366 publishes life expectancy at birth for each district (latest
  period, no confidence intervals in the extract; OHID's own comparison with England).
* **Wards**: no ward life expectancy is published. The small-area figures are ONS's 2009-13 estimates
  for MSOAs (2011). A ward is linked to the MSOAs (2011) its residents live in: each LSOA 2021 of the
  ward (best fit, see ``geography/lsoa21``) is traced to its LSOA 2011 (ONS lookup; an LSOA 2021 made
  from several 2011 LSOAs shares its residents equally between them) and so to an MSOA 2011, weighted
  by the LSOA 2021's residents (latest mid-year estimate). Each ward's table row gives the MSOAs that
  hold its residents and the range of their life expectancies: MSOA figures, never a ward figure.
* **MSOAs**: the 2009-13 MSOA (2011) figures themselves (:func:`.small_areas.msoa_le`).
* **PCNs**: OHID's GP-practice life expectancy (Fingertips 650, modelled from the MSOAs its patients
  live in; no confidence intervals in the file). A PCN is summarised by the median and range of its
  practices' figures (not a life expectancy of its patients, which is not published). Practices that
  are closed or have no PCN are listed apart.
"""

from __future__ import annotations

from typing import cast

import numpy as np
import pandas as pd

from llr_analysis.analysis.life_expectancy.load import LifeExpectancyData
from llr_analysis.analysis.life_expectancy.places import SEXES, gap_to_england, latest_values, le_series
from llr_analysis.analysis.localities import pcns as localities
from llr_analysis.analysis.localities import targets
from llr_analysis.places import get_place, load_places

MSOA_PERIOD = "2009-13"


def gp_practice_le(gp_practice: pd.DataFrame) -> pd.DataFrame:
    """GP-practice life expectancy (Fingertips 650) for practices in the configured ICB, every year in the file."""
    gp = gp_practice[gp_practice["icb_name"] == load_places().llr_name]  # the ICB, named as in places.yml
    return gp.dropna(subset=["value"]).reset_index(drop=True)


def lsoa21_residents(population: pd.DataFrame) -> pd.DataFrame:
    """Residents of each ICS LSOA 2021 in the latest year of the population table: lsoa21_code, residents, year."""
    pop = population
    year = int(pop["year"].max())
    # as_index=False: the sum is a DataFrame (pandas-stubs type it as a Series)
    pop = cast(pd.DataFrame, pop[pop["year"] == year].groupby("lsoa21_code", as_index=False)["population"].sum())
    return pop.rename(columns={"population": "residents"}).assign(year=year)


def ward_msoa_overlap(data: LifeExpectancyData, place: str) -> pd.DataFrame:
    """For each ward of the place, the MSOAs (2011) its residents live in and their share of the ward.

    Columns ward_code, ward_name, msoa11_code, residents, share (0-1, summing to 1 per ward),
    residents_year. Built LSOA 2021 -> LSOA 2011 -> MSOA 2011 (see the module notes).
    """
    the_place = get_place(place)
    geo = data.localities.lsoa21
    geo = geo[geo["place_id"] == the_place.id][["lsoa21_code", "ward_code", "ward_name"]]
    look = data.lsoa11_lsoa21[["lsoa11_code", "lsoa21_code"]].drop_duplicates()
    look["parts"] = look.groupby("lsoa21_code")["lsoa11_code"].transform("size")
    msoa = data.lsoa11[["lsoa11_code", "msoa11_code"]]
    pop = lsoa21_residents(data.population_lsoa21)
    d = geo.merge(pop, on="lsoa21_code", how="left").merge(look, on="lsoa21_code", how="left")
    d = d.merge(msoa, on="lsoa11_code", how="left")
    d["residents"] = d["residents"] / d["parts"]
    # as_index=False: the sum is a DataFrame (pandas-stubs type it as a Series)
    out = cast(pd.DataFrame, d.groupby(["ward_code", "ward_name", "msoa11_code"], as_index=False)["residents"].sum())
    out["share"] = out["residents"] / out.groupby("ward_code")["residents"].transform("sum")
    out["residents_year"] = int(pop["year"].iloc[0])
    return out.sort_values(["ward_name", "share"], ascending=[True, False]).reset_index(drop=True)


def msoa_le_all(msoa11: pd.DataFrame, place: str) -> pd.DataFrame:
    """MSOA (2011) life expectancy 2009-13 of the place, both sexes: msoa11_code, msoa11_hcl_name, sex, le, CI."""
    m = msoa11[msoa11["place_id"] == get_place(place).id]
    return m[["msoa11_code", "msoa11_hcl_name", "lad_code", "lad_name", "sex", "le", "le_lower_95", "le_upper_95"]]


def ward_le_long(data: LifeExpectancyData, place: str) -> pd.DataFrame:
    """Every ward of the place with each MSOA (2011) holding its residents and that MSOA's life expectancy.

    One row per ward, MSOA and sex: ward_code, ward_name, msoa11_code, msoa11_hcl_name, share, sex, le,
    le_lower_95, le_upper_95. A ward with no MSOA figure keeps a row with NaN (never dropped).
    """
    ov = ward_msoa_overlap(data, place)
    m = msoa_le_all(data.msoa11, place)
    out = ov.merge(m.drop(columns=["lad_code", "lad_name"]), on="msoa11_code", how="left")
    missing = out["sex"].isna()
    if missing.any():  # an MSOA with no published figure: one row per sex, values missing
        gone = out[missing].drop(columns="sex")
        out = pd.concat([out[~missing], *(gone.assign(sex=s) for s in SEXES)], ignore_index=True)
    return out.sort_values(["ward_name", "sex", "share"], ascending=[True, True, False]).reset_index(drop=True)


def ward_summary(data: LifeExpectancyData, place: str) -> pd.DataFrame:
    """One row per ward of the place: how many MSOAs (2011) hold its residents, the MSOA holding most of them
    (and its share), and for each sex the lowest and highest life expectancy (2009-13) of those MSOAs.

    Columns ward_code, ward_name, n_msoas, main_msoa, main_share, and male_low, male_high, female_low,
    female_high. MSOAs holding under 5% of a ward's residents are counted but not used for the range.
    """
    long = ward_le_long(data, place)
    wards = targets.locality_list(data.localities, place, "ward")[["locality_code", "locality_name"]]
    rows = []
    for w in wards.itertuples():
        g = long[long["ward_code"] == w.locality_code]
        main = g.sort_values("share", ascending=False).iloc[0] if len(g) else None
        row = {
            "ward_code": w.locality_code,
            "ward_name": w.locality_name,
            "n_msoas": int(g["msoa11_code"].nunique()),
            "main_msoa": main["msoa11_hcl_name"] if main is not None else None,
            "main_share": float(main["share"]) if main is not None else np.nan,
        }
        for sex in SEXES:
            v = g[(g["sex"] == sex) & (g["share"] >= 0.05)]["le"].dropna()
            row[f"{sex.lower()}_low"] = float(v.min()) if len(v) else np.nan
            row[f"{sex.lower()}_high"] = float(v.max()) if len(v) else np.nan
        rows.append(row)
    return pd.DataFrame(rows)


def district_le(data: LifeExpectancyData, place: str) -> pd.DataFrame:
    """Latest published life expectancy at birth of the place's districts (Fingertips 90366), by sex, with
    England's value, the gap and OHID's comparison; plus the range of the district's MSOAs (2011) in 2009-13.

    Empty when the place is a single district (a unitary authority).
    """
    df = gap_to_england(le_series(data.le_la, place, "birth"))
    d = latest_values(df[(df["role"] == "district") & (df["series"] == "fingertips_90366")])
    if d.empty:
        return d
    m = msoa_le_all(data.msoa11, place)
    rng = m.groupby(["lad_code", "sex"])["le"].agg(msoa_low="min", msoa_high="max", n_msoas="size").reset_index()
    d = d.merge(rng.rename(columns={"lad_code": "area_code"}), on=["area_code", "sex"], how="left")
    return d.sort_values(["area_name", "sex"]).reset_index(drop=True)


def practice_le(data: LifeExpectancyData, place: str) -> pd.DataFrame:
    """GP-practice life expectancy (latest year in the file) for the practices of the place's PCNs and the
    place's other practices, with PCN, status and place.

    Columns practice_code, practice_name, pcn_code, pcn_name (shown form), status, place_id, year,
    imd_quintile, Male, Female, and ``group``: "pcn" (an open practice of one of the place's PCNs) or
    "apart" (the place's practices that are closed or have no PCN on record; a practice missing from the
    practice list is apart on every page). A practice of the place in a PCN based in another place is
    shown with that PCN on the other place's page. Empty if the file is absent.
    """
    gp = gp_practice_le(data.gp_practice)
    if gp.empty:
        return pd.DataFrame()
    year = int(gp["year"].max())
    gp = gp[gp["year"] == year]
    wide = gp.pivot_table(index=["practice_code", "imd_quintile"], columns="sex", values="value").reset_index()
    wide.columns.name = None
    pp = localities.practice_places(data.localities.practice_table())[
        ["practice_code", "practice_name", "pcn_code", "pcn_name", "status", "place_id"]
    ]
    d = wide.merge(pp, on="practice_code", how="left")
    mine = set(targets.locality_list(data.localities, place, "pcn")["locality_code"])
    the_place = get_place(place).id
    in_pcn = d["pcn_code"].isin(mine) & d["status"].eq("active")
    apart = (d["place_id"].eq(the_place) | d["place_id"].isna()) & (d["pcn_code"].isna() | d["status"].ne("active"))
    d["group"] = np.where(in_pcn, "pcn", np.where(apart, "apart", "other"))
    d = d[d["group"] != "other"].copy()
    d["pcn_name"] = d["pcn_name"].map(lambda n: localities.pcn_name(n) if isinstance(n, str) else None)
    d["year"] = year
    for sex in SEXES:
        if sex not in d:
            d[sex] = np.nan
    return d.sort_values(["group", "pcn_name", "practice_name"], ascending=[False, True, True]).reset_index(drop=True)


def pcn_le(practices: pd.DataFrame) -> pd.DataFrame:
    """Each PCN's practices summarised (from :func:`practice_le`, open practices only): number of practices
    with a figure, and for each sex the median, lowest and highest practice life expectancy. Sorted by the
    median for males, lowest first."""
    p = practices[practices["group"] == "pcn"]
    rows = []
    for (code, name), g in p.groupby(["pcn_code", "pcn_name"]):
        has = g[list(SEXES)].notna().any(axis=1)
        row = {
            "pcn_code": code,
            "pcn_name": name,
            "practices": int(has.sum()),  # practices with a figure (the ones the median uses)
            "practices_missing": int((~has).sum()),  # open practices without one
        }
        for sex in SEXES:
            v = g[sex].dropna()
            row[f"{sex.lower()}_median"] = float(v.median()) if len(v) else np.nan
            row[f"{sex.lower()}_low"] = float(v.min()) if len(v) else np.nan
            row[f"{sex.lower()}_high"] = float(v.max()) if len(v) else np.nan
        rows.append(row)
    columns = ["pcn_code", "pcn_name", "practices", "practices_missing"] + [
        f"{sex.lower()}_{k}" for sex in SEXES for k in ("median", "low", "high")
    ]
    out = pd.DataFrame(rows, columns=columns)
    if out.empty:
        return out
    return out.sort_values(["male_median", "pcn_name"], na_position="last").reset_index(drop=True)
