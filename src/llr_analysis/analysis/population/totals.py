"""How many people: the site's totals (mid-2022), the published district totals against Census 2021,
and the place's population in each source the site uses. Pure functions.

* :func:`latest_totals`: the mid-2022 population of a set of LSOAs 2021 (the total every page gives);
* :func:`district_totals` / :func:`census_comparison`: mid-2019, mid-2020 and Census 2021 totals;
* :func:`reconciliation`: the place's population in each source, with period and use.
"""

from __future__ import annotations

from collections.abc import Iterable

import pandas as pd

from llr_analysis.analysis.population.load import PopulationData
from llr_analysis.analysis.population.measures import percent_change
from llr_analysis.places import get_place, load_places
from llr_analysis.process.population import YEARS

#: The population series for totals ("how many people live here") on every page: ONS mid-2022 LSOA
#: estimates (based on Census 2021), as published with the English Indices of Deprivation 2025. It is
#: the most recent count in the data, exists for every LSOA 2021 (so wards, districts, places and the ICS
#: add up), and is the denominator of the deprivation figures, so an area has one total everywhere.
#: The mid-2020 estimates (2011-Census-based) are used only where single years of age are needed.
TOTALS_PERIOD = "mid-2022"
TOTALS_SOURCE = "ONS mid-2022 small-area estimates (based on Census 2021), as published with IoD2025"


def latest_totals(iod_population: pd.DataFrame, lsoa21_codes: Iterable[str]) -> float:
    """The mid-2022 population of a set of LSOAs 2021, from the IoD population denominators
    (``deprivation/iod_population``); NaN when any is missing (never a partial total)."""
    den = iod_population[iod_population["edition"] == "IoD2025"]
    vals = den.set_index("lsoa_code")["population"].reindex(pd.Index(list(lsoa21_codes)))
    return float(vals.sum()) if len(vals) and vals.notna().all() else float("nan")


def place_lsoa21_codes(data: PopulationData, place: str) -> pd.Series:
    """The LSOA 2021 codes of a place."""
    geo = data.localities.lsoa21
    return geo.loc[geo["place_id"] == get_place(place).id, "lsoa21_code"]


def district_totals(data: PopulationData, place: str) -> pd.DataFrame:
    """Published totals for the place, the ICS, England and the place's districts: mid-2019, mid-2020, Census 2021.

    Columns: area_code, area_name, area_type, period, source_id, persons, female, male
    (female/male only for Census 2021; missing for the estimates, which have no sex split).
    """
    cfg = load_places()
    p = get_place(place)
    t = data.lad_totals
    lads = t[t["area_code"].isin(cfg.all_district_codes)]

    def total(rows: pd.DataFrame, code: str, name: str, kind: str) -> pd.DataFrame:
        cols = ["persons", "female", "male"]
        keys = [rows["period"], rows["source_id"]]
        g = rows.groupby(keys, sort=False)[cols].sum(min_count=1)
        # a total with some districts' figure missing (a known gap) is missing, never a partial sum
        some = rows[cols].notna().groupby(keys, sort=False).any() & rows[cols].isna().groupby(keys, sort=False).any()
        g = g.mask(some)
        return g.reset_index().assign(area_code=code, area_name=name, area_type=kind)

    out = [
        total(lads[lads["area_code"].isin(p.district_codes)], p.code, p.name, "place"),
        total(lads, cfg.llr_code, cfg.llr_short_name, "ICB"),
        t[t["area_code"] == cfg.england_code].assign(area_type="England"),
    ]
    if len(p.districts) > 1:
        out.append(t[t["area_code"].isin(p.district_codes)].assign(area_type="district"))
    cols = ["area_code", "area_name", "area_type", "period", "source_id", "persons", "female", "male"]
    return pd.concat(out, ignore_index=True)[cols]


def census_comparison(totals: pd.DataFrame, start: int = YEARS[0], end: int = YEARS[-1]) -> pd.DataFrame:
    """:func:`district_totals` as one row per area: the two estimates, Census 2021, the census's % difference
    from the mid-``end`` estimate (1 dp) and the census's % female."""
    wide = totals.pivot_table(index=["area_code", "area_name"], columns="period", values="persons", sort=False)
    census = totals[totals["period"] == "Census 2021"].set_index("area_code")
    codes = wide.index.get_level_values("area_code")
    return pd.DataFrame(
        {
            "Area": wide.index.get_level_values("area_name"),
            f"Estimate, mid-{start}": wide[f"mid-{start}"].astype("Int64").to_numpy(),
            f"Estimate, mid-{end}": wide[f"mid-{end}"].astype("Int64").to_numpy(),
            "Census 2021": wide["Census 2021"].astype("Int64").to_numpy(),
            f"Census vs mid-{end} estimate (%)": (
                percent_change(wide[f"mid-{end}"], wide["Census 2021"]).round(1) + 0.0
            ).to_numpy(),
            "% female (Census 2021)": (100 * census["female"] / census["persons"])
            .astype(float)
            .reindex(codes)
            .to_numpy(),
        }
    )


#: The sources of a place's population, in the order of the reconciliation table.
RECONCILIATION_SOURCES = [
    (
        "estimates",
        "ONS mid-year population estimates for small areas (based on the 2011 Census)",
        f"mid-{YEARS[-1]}",
        f"sape_lsoa11_mid{YEARS[-1]}",
        "Where single years of age are needed: age structure (shares aged 0-15, 65+, 85+, dependency ratio), "
        "localities' ages and the change from mid-2019, here and in the profiles",
    ),
    (
        "iod_denominators",
        "Population figures published with the English Indices of Deprivation 2025 (ONS mid-2022 estimates)",
        "mid-2022",
        "iod2025_file7_llr",
        "Totals (how many people live here) on every page: the overview, place summaries, this page's opening "
        "sentence, locality profiles; and the deprivation pages' shares and weights",
    ),
    (
        "census",
        "Census 2021 (usual residents on census day, 21 March 2021)",
        "Census 2021",
        "census2021_ts009_lad_totals",
        "This page: the census comparison and the split by sex",
    ),
]


def reconciliation(data: PopulationData, place: str) -> pd.DataFrame:
    """The place's population in each source used on the site: ``source``, ``source_key``, ``period``,
    ``population`` (whole people), ``use`` and ``source_id``, in :data:`RECONCILIATION_SOURCES` order.

    The mid-year estimate is the sum of the place's published LSOA (2011) estimates, the IoD2025
    figure the sum of its LSOAs' (2021) population denominators, the census the sum of its districts'
    usual residents.
    """
    p = get_place(place)
    t = data.lsoa11_age
    estimates = t[(t["year"] == YEARS[-1]) & t["lad_code"].isin(p.district_codes)]["population"].sum()
    den = data.iod_population
    codes = place_lsoa21_codes(data, place)
    den_population = den[(den["edition"] == "IoD2025") & den["lsoa_code"].isin(codes)]["population"]
    lads = data.lad_totals
    census_rows = lads[(lads["period"] == "Census 2021") & lads["area_code"].isin(p.district_codes)]
    values = {
        "estimates": float(estimates),
        "iod_denominators": float(den_population.sum())
        if len(den_population) == len(codes) and not den_population.isna().any()
        else float("nan"),
        "census": float(census_rows["persons"].sum()) if len(census_rows) == len(p.district_codes) else float("nan"),
    }
    source_ids = {"census": "; ".join(sorted(set(census_rows["source_id"].astype(str)))) or None}
    rows = [
        {
            "source": label,
            "source_key": key,
            "period": period,
            "population": values[key],
            "use": use,
            "source_id": source_ids.get(key) or source_id,
        }
        for key, label, period, source_id, use in RECONCILIATION_SOURCES
    ]
    out = pd.DataFrame(rows)
    out["population"] = out["population"].round().astype("Int64")
    return out
