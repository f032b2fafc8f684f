"""Population analysis for a place and its localities (the population notebook's logic).

Reads the processed tables of :mod:`llr_analysis.process.population`: ONS mid-year LSOA
estimates (mid-2019, mid-2020; persons by single year of age 0..89 and 90+), on LSOA 2011
as published and mapped to LSOA 2021 for localities, England by single year of age, and
district totals (mid-2019, mid-2020, Census 2021 with sex).

Measures (one function each; counts are indexed by single year of age, 90 = 90 and over):

* :func:`age_band` / :func:`band_counts` - five-year age bands 0-4 ... 85-89 and 90+;
* :func:`count_aged` / :func:`percent_aged` - people in an age range, and their share of all ages;
* :func:`old_age_dependency_ratio` - people aged 65+ per 1,000 aged 16-64;
* :func:`percent_change` - change between two counts.

Shares of a population estimate are descriptive, not samples, so no confidence intervals
are given (as in ONS and OHID population profiles).
"""

from __future__ import annotations

from typing import cast

import numpy as np
import pandas as pd

from llr_analysis.errors import ParameterError
from llr_analysis.places import get_locality_level, get_place, load_places
from llr_analysis.process import read_table
from llr_analysis.process.population import TOP_AGE, YEARS
from llr_analysis.stats.benchmark import NOT_TESTED

__all__ = [
    "BAND_LABELS",
    "BROAD_GROUPS",
    "TOP_AGE",
    "YEARS",
    "age_band",
    "age_profile",
    "band_counts",
    "census_comparison",
    "change_table",
    "check_year",
    "count_aged",
    "district_totals",
    "england_by_age",
    "locality_by_age",
    "lsoa11_map_frame",
    "mapping_summary",
    "old_age_dependency_ratio",
    "percent_aged",
    "percent_change",
    "place_by_age",
    "resolve_locality_level",
    "structure",
    "structure_table",
    "tidy_change",
    "tidy_structure",
    "wide_change",
]

BAND_WIDTH = 5
#: Five-year age bands, youngest first; the last is open (90 and over).
BAND_LABELS = [f"{lo}-{lo + BAND_WIDTH - 1}" for lo in range(0, TOP_AGE, BAND_WIDTH)] + [f"{TOP_AGE}+"]
#: Broad age groups: label -> (youngest, oldest) with ``None`` for "and over".
BROAD_GROUPS = {"0-15": (0, 15), "16-64": (16, 64), "65+": (65, None), "85+": (85, None)}

#: Locality level -> (singular, plural) for sentences.
LEVEL_NOUNS = {
    "district": ("district", "districts"),
    "msoa": ("MSOA", "MSOAs"),
    "ward": ("ward", "wards"),
    "lsoa": ("LSOA", "LSOAs"),
}
#: Percentage changes of groups smaller than this at the start are not shown in page tables
#: (a handful of people moves them by tens of per cent); downloads keep them with their counts.
SMALL_BASE = 100


# ------------------------------------------------------------------------------ parameters


def check_year(year) -> int:
    """The estimate year as an int (2019 or 2020: the mid-year LSOA estimates available)."""
    try:
        y = int(str(year).strip().lower().removeprefix("mid-"))
    except ValueError:
        y = None
    if y not in YEARS:
        raise ParameterError(f"unknown year {year!r}; LSOA population estimates are available for {list(YEARS)}")
    return y


def resolve_locality_level(place: str, level: str = "auto") -> str:
    """The locality level to show. ``auto``: districts where the place has several, otherwise MSOAs (2021)."""
    if str(level).strip().lower() == "auto":
        return "district" if len(get_place(place).districts) > 1 else "msoa"
    return get_locality_level(level).id


# -------------------------------------------------------------------------------- measures


def age_band(age, width: int = BAND_WIDTH, top: int = TOP_AGE):
    """The band label of a single year of age: ``age_band(67) == "65-69"``, ``age_band(93) == "90+"``.

    Bands are ``width`` years wide from 0; ages at or above ``top`` fall in the open band
    ``"<top>+"``. Accepts an int or a Series of ints (negative ages are an error).
    """
    if isinstance(age, pd.Series):
        if (age < 0).any():
            raise ValueError(f"negative age: {int(age[age < 0].iloc[0])}")
        lo = (age.clip(upper=top) // width) * width
        return pd.Series(
            np.where(age >= top, f"{top}+", lo.astype(str) + "-" + (lo + width - 1).astype(str)), index=age.index
        )
    age = int(age)
    if age < 0:
        raise ValueError(f"negative age: {age}")
    if age >= top:
        return f"{top}+"
    lo = age // width * width
    return f"{lo}-{lo + width - 1}"


def band_counts(pop_by_age: pd.Series) -> pd.Series:
    """Sum counts by single year of age (the index) into the five-year :data:`BAND_LABELS`, in order."""
    bands = age_band(pd.Series(pop_by_age.index.astype(int), index=pop_by_age.index))
    return pop_by_age.groupby(bands).sum().reindex(BAND_LABELS, fill_value=0)


def count_aged(pop_by_age: pd.Series, youngest: int, oldest: int | None = None) -> float:
    """People aged ``youngest`` to ``oldest`` inclusive (``None`` = and over)."""
    ages = pop_by_age.index.astype(int)
    mask = (ages >= youngest) & ((ages <= oldest) if oldest is not None else True)
    return float(pop_by_age[mask].sum())


def percent_aged(pop_by_age: pd.Series, youngest: int, oldest: int | None = None) -> float:
    """Percentage of all ages who are aged ``youngest`` to ``oldest`` (NaN for an empty population)."""
    total = float(pop_by_age.sum())
    return 100 * count_aged(pop_by_age, youngest, oldest) / total if total > 0 else float("nan")


def old_age_dependency_ratio(pop_by_age: pd.Series) -> float:
    """People aged 65 and over per 1,000 people aged 16 to 64.

    The fixed-age form of the old-age dependency ratio (OADR). ONS's headline OADR counts
    people of State Pension age and over per 1,000 aged 16 to State Pension age (ONS,
    "Living longer and old-age dependency - what does the future hold?", 24 June 2019);
    State Pension age moved from 65 to 66 in 2018-2020, so a fixed age of 65 keeps years and
    places comparable. NaN when nobody is aged 16-64.
    """
    working = count_aged(pop_by_age, 16, 64)
    return 1000 * count_aged(pop_by_age, 65) / working if working > 0 else float("nan")


def percent_change(before, after):
    """Percentage change from ``before`` to ``after``: 100 x (after - before) / before.

    Works on numbers or aligned Series; NaN where ``before`` is zero or missing.
    """
    if np.ndim(before) == 0 and np.ndim(after) == 0:
        bf, af = float(before), float(after)
        return 100 * (af - bf) / bf if bf != 0 and not np.isnan(bf) else float("nan")
    b = pd.to_numeric(pd.Series(before), errors="coerce").astype(float)
    a = pd.to_numeric(pd.Series(after), errors="coerce").astype(float)
    return (100 * (a - b) / b.where(b != 0)).astype(float)


def structure(pop_by_age: pd.Series) -> pd.Series:
    """Population, the broad age-group counts and shares, and the old-age dependency ratio."""
    out = {"population": float(pop_by_age.sum())}
    for label, (lo, hi) in BROAD_GROUPS.items():
        key = label.replace("-", "_").replace("+", "_plus")
        out[f"count_{key}"] = count_aged(pop_by_age, lo, hi)
        out[f"pct_{key}"] = percent_aged(pop_by_age, lo, hi)
    out["oadr"] = old_age_dependency_ratio(pop_by_age)
    return pd.Series(out)


# ---------------------------------------------------------------------------- data access


def _by_age(df: pd.DataFrame) -> pd.Series:
    return df.groupby("age")["population"].sum().reindex(range(TOP_AGE + 1), fill_value=0)


def place_by_age(year: int, place: str | None = None, paths=None) -> pd.Series:
    """Population by single year of age of a place (``None`` = LLR): the published LSOA (2011) estimates summed."""
    year = check_year(year)
    t = read_table("population/lsoa11_age", paths)
    t = t[t["year"] == year]
    if place is not None:
        t = t[t["lad_code"].isin(get_place(place).district_codes)]
    return _by_age(t)


def england_by_age(year: int, paths=None) -> pd.Series:
    """England's population by single year of age (all LSOA estimates summed)."""
    year = check_year(year)
    t = read_table("population/england_age", paths)
    return _by_age(t[t["year"] == year])


def locality_by_age(year: int, place: str, level: str, paths=None) -> pd.DataFrame:
    """Long table (locality_code, locality_name, age, population) for the localities of ``level`` in ``place``.

    Built from the LSOA (2021) estimates (LSOA 2011 mapped as described in
    :mod:`llr_analysis.process.population`), so populations may hold fractions of a person.
    """
    year = check_year(year)
    lv = get_locality_level(level)
    t = read_table("population/lsoa21_age", paths)
    t = t[t["year"] == year]
    geo = read_table("geography/lsoa21", paths)
    geo = geo[geo["place_id"] == get_place(place).id][["lsoa21_code", lv.code_column, lv.name_column]]
    df = t.merge(geo, on="lsoa21_code", how="inner").rename(
        columns={lv.code_column: "locality_code", lv.name_column: "locality_name"}
    )
    # as_index=False: the sum is a DataFrame (pandas-stubs type it as a Series)
    sums = cast(pd.DataFrame, df.groupby(["locality_code", "locality_name", "age"], as_index=False)["population"].sum())
    return sums.sort_values(["locality_name", "age"]).reset_index(drop=True)


# ------------------------------------------------------------------------------ summaries


def structure_table(year: int, place: str, level: str, paths=None) -> pd.DataFrame:
    """Age structure of the place, LLR and England, then of each locality (by name).

    Columns: area_code, area_name, area_type (locality | place | LLR | England), population,
    share (locality: % of the place; place: % of LLR), pct_0_15, pct_16_64, pct_65_plus,
    pct_85_plus, count_65_plus, count_85_plus, oadr (65+ per 1,000 aged 16-64).
    """
    cfg = load_places()
    p = get_place(place)
    loc = locality_by_age(year, place, level, paths)
    rows = []
    for (code, name), g in loc.groupby(["locality_code", "locality_name"], sort=False):
        rows.append(
            {
                "area_code": code,
                "area_name": name,
                "area_type": "locality",
                **structure(g.set_index("age")["population"]),
            }
        )
    place_age = place_by_age(year, place, paths)
    llr_age = place_by_age(year, None, paths)
    rows.append({"area_code": p.code, "area_name": p.name, "area_type": "place", **structure(place_age)})
    rows.append({"area_code": cfg.llr_code, "area_name": cfg.llr_short_name, "area_type": "ICB", **structure(llr_age)})
    rows.append(
        {
            "area_code": cfg.england_code,
            "area_name": "England",
            "area_type": "England",
            **structure(england_by_age(year, paths)),
        }
    )
    out = pd.DataFrame(rows[-3:] + rows[:-3])  # place, LLR, England, then localities by name
    out.insert(4, "share", np.nan)
    is_loc = out["area_type"] == "locality"
    out.loc[is_loc, "share"] = 100 * out.loc[is_loc, "population"] / float(place_age.sum())
    out.loc[out["area_type"] == "place", "share"] = 100 * float(place_age.sum()) / float(llr_age.sum())
    out.loc[out["area_type"] == "ICB", "share"] = 100.0
    return out


def age_profile(year: int, place: str, paths=None) -> pd.DataFrame:
    """Percentage of each area's population in each five-year band: the place, LLR and England.

    Columns: area_code, area_name, band, band_order (0 = youngest), count, denominator, percent.
    """
    cfg = load_places()
    p = get_place(place)
    parts = []
    for code, name, by_age in (
        (p.code, p.name, place_by_age(year, place, paths)),
        (cfg.llr_code, cfg.llr_short_name, place_by_age(year, None, paths)),
        (cfg.england_code, "England", england_by_age(year, paths)),
    ):
        b = band_counts(by_age)
        parts.append(
            pd.DataFrame(
                {
                    "area_code": code,
                    "area_name": name,
                    "band": b.index,
                    "band_order": range(len(b)),
                    "count": b.to_numpy(float),
                    "denominator": float(by_age.sum()),
                    "percent": 100 * b.to_numpy(float) / float(by_age.sum()),
                }
            )
        )
    return pd.concat(parts, ignore_index=True)


def change_table(place: str, level: str, start: int = YEARS[0], end: int = YEARS[-1], paths=None) -> pd.DataFrame:
    """Change from mid-``start`` to mid-``end`` in all ages, 65+ and 85+, by locality, place, LLR and England.

    One row per area and measure: area_code, area_name, area_type, measure (All ages |
    Aged 65+ | Aged 85+), count_start, count_end, change, pct_change.
    """
    s = structure_table(start, place, level, paths)
    e = structure_table(end, place, level, paths)
    keys = ["area_code", "area_name", "area_type"]
    m = s.merge(e, on=keys, suffixes=("_start", "_end"), how="left", sort=False)
    rows = []
    for label, col in (("All ages", "population"), ("Aged 65+", "count_65_plus"), ("Aged 85+", "count_85_plus")):
        part = m[keys].copy()
        part["measure"] = label
        part["count_start"] = m[f"{col}_start"]
        part["count_end"] = m[f"{col}_end"]
        part["change"] = part["count_end"] - part["count_start"]
        part["pct_change"] = percent_change(part["count_start"], part["count_end"])
        rows.append(part)
    out = pd.concat(rows, ignore_index=True)
    out["period"] = f"mid-{start} to mid-{end}"
    return out


def lsoa11_map_frame(year: int, place: str, paths=None):
    """LSOA (2011) polygons of the place with population, people aged 65+ and their percentage."""
    year = check_year(year)
    t = read_table("population/lsoa11_age", paths)
    t = t[(t["year"] == year) & t["lad_code"].isin(get_place(place).district_codes)]
    g = t.groupby("lsoa11_code")
    df = pd.DataFrame(
        {
            "population": g["population"].sum(),
            "aged_65_plus": t[t["age"] >= 65].groupby("lsoa11_code")["population"].sum(),
        }
    ).fillna(0)
    df["pct_65_plus"] = 100 * df["aged_65_plus"] / df["population"]
    df = df.reset_index()
    geo = read_table("geography/lsoa11", paths)[["lsoa11_code", "lsoa11_name", "lad_name"]]
    shapes = read_table("geography/lsoa11_boundaries", paths)
    return shapes.merge(geo, on="lsoa11_code").merge(df, on="lsoa11_code").reset_index(drop=True)


def district_totals(place: str, paths=None) -> pd.DataFrame:
    """Published totals for the place, LLR, England and the place's districts: mid-2019, mid-2020, Census 2021.

    Columns: area_code, area_name, area_type, period, source_id, persons, female, male
    (female/male only for Census 2021; missing for the estimates, which have no sex split).
    """
    cfg = load_places()
    p = get_place(place)
    t = read_table("population/lad_totals", paths)
    lads = t[t["area_code"].isin(cfg.all_district_codes)]

    def total(rows, code, name, kind):
        g = rows.groupby(["period", "source_id"], sort=False)[["persons", "female", "male"]].sum(min_count=1)
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


def mapping_summary(place: str, paths=None) -> dict:
    """How the place's LSOAs (2011) map to 2021: counts of unchanged, split and merged LSOAs."""
    m = read_table("population/lsoa11_lsoa21_weights", paths)
    geo11 = read_table("geography/lsoa11", paths)
    m = m[m["lsoa11_code"].isin(geo11.loc[geo11["place_id"] == get_place(place).id, "lsoa11_code"])]
    m = m.drop_duplicates(["lsoa11_code", "lsoa21_code"])
    split, merged = m[m["change"] == "S"], m[m["change"] == "M"]
    return {
        "lsoa11": m["lsoa11_code"].nunique(),
        "lsoa21": m["lsoa21_code"].nunique(),
        "unchanged": int((m["change"] == "U").sum()),
        "split_from": split["lsoa11_code"].nunique(),
        "split_into": split["lsoa21_code"].nunique(),
        "merged_from": merged["lsoa11_code"].nunique(),
        "merged_into": merged["lsoa21_code"].nunique(),
        "equal_shares": int(m["weight_basis"].str.startswith("equal").sum()),
    }


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


def wide_change(change: pd.DataFrame, small_base: int = SMALL_BASE) -> pd.DataFrame:
    """:func:`change_table` for display: one row per area, the end count and % change of each measure,
    with the % change left blank (missing) where the group had fewer than ``small_base`` people at the start."""
    end = change["period"].iloc[0].split("mid-")[-1]
    out = pd.DataFrame({"Area": list(dict.fromkeys(change["area_name"]))})
    for measure, short in (("All ages", "all ages"), ("Aged 65+", "65+"), ("Aged 85+", "85+")):
        m = change[change["measure"] == measure].set_index("area_name").reindex(out["Area"])
        pct = m["pct_change"].where(m["count_start"] >= small_base).round(1) + 0.0
        out[f"{measure}, mid-{end}"] = m["count_end"].round().astype("Int64").to_numpy()
        out[f"% change, {short}"] = pct.to_numpy()
    return out


#: The population series for totals ("how many people live here") on every page: ONS mid-2022 LSOA
#: estimates (based on Census 2021), as published with the English Indices of Deprivation 2025. It is
#: the most recent count in the data, exists for every LSOA 2021 (so wards, districts, places and LLR
#: add up), and is the denominator of the deprivation figures, so an area has one total everywhere.
#: The mid-2020 estimates (2011-Census-based) are used only where single years of age are needed.
TOTALS_PERIOD = "mid-2022"
TOTALS_SOURCE = "ONS mid-2022 small-area estimates (based on Census 2021), as published with IoD2025"


def latest_totals(lsoa21_codes=None, paths=None) -> float:
    """The mid-2022 population of a set of LSOAs 2021 (None: every LLR LSOA); NaN when any is missing
    (never a partial total)."""
    den = read_table("deprivation/iod_population", paths)
    den = den[den["edition"] == "IoD2025"]
    geo = read_table("geography/lsoa21", paths)
    codes = pd.Index(geo["lsoa21_code"] if lsoa21_codes is None else lsoa21_codes)
    vals = den.set_index("lsoa_code")["population"].reindex(codes)
    return float(vals.sum()) if len(vals) and vals.notna().all() else float("nan")


def headlines(paths=None, year: int = YEARS[-1]) -> pd.DataFrame:
    """Headline figures for the overview page (:mod:`llr_analysis.analysis.overview`): population, % aged 65+
    and % aged 85+ for LLR and each place, with England's value.

    The total is the most recent count (:data:`TOTALS_PERIOD`, :data:`TOTALS_SOURCE`; England's is not
    in the data offline, so it is left blank rather than taken from another period); the shares by age
    come from the mid-``year`` estimates, the latest with single years of age here, each labelled with
    its period. Not compared with England: a population estimate is not a sample, so there is no
    confidence interval to compare, and a larger or smaller share of older people is neither better
    nor worse.
    """
    cfg = load_places()
    eng = england_by_age(year, paths)
    geo = read_table("geography/lsoa21", paths)
    areas: list[tuple[str, str, pd.Series, str | None, str | None]] = [
        (cfg.ics_id, cfg.ics_name, place_by_age(year, None, paths), None, None)
    ]
    areas += [
        (p.id, p.name, place_by_age(year, p.id, paths), f"population/{p.id}.ipynb", p.id) for p in cfg.places.values()
    ]
    rows = []

    def row(area_id, name, href, indicator, period, value, england, unit, note):
        rows.append(
            {
                "topic": "population",
                "indicator": indicator,
                "area_id": area_id,
                "area_name": name,
                "period": period,
                "value": value,
                "lower_95": np.nan,
                "upper_95": np.nan,
                "unit": unit,
                "england_value": england,
                "comparison": NOT_TESTED,
                "note": note,
                "href": href,
            }
        )

    for area_id, name, by_age, href, place_id in areas:
        codes = geo["lsoa21_code"] if place_id is None else geo.loc[geo["place_id"] == place_id, "lsoa21_code"]
        row(
            area_id,
            name,
            href,
            "Population (all ages)",
            TOTALS_PERIOD,
            latest_totals(codes, paths),
            np.nan,
            "people",
            TOTALS_SOURCE + "; the most recent count here",
        )
        for indicator, value, england in (
            ("% aged 65 and over", percent_aged(by_age, 65), percent_aged(eng, 65)),
            ("% aged 85 and over", percent_aged(by_age, 85), percent_aged(eng, 85)),
        ):
            row(
                area_id,
                name,
                href,
                indicator,
                f"mid-{year}",
                value,
                england,
                "%",
                "ONS mid-year estimate (2011-Census-based series), the latest by single year of age here",
            )
    return pd.DataFrame(rows)


# ------------------------------------------------------------------------------ downloads

#: Indicators of :func:`structure_table` in the tidy download: (label, value column, count column, denominator).
STRUCTURE_INDICATORS = [
    ("Population (all ages)", "population", "population", None),
    ("% aged 0-15", "pct_0_15", "count_0_15", "population"),
    ("% aged 16-64", "pct_16_64", "count_16_64", "population"),
    ("% aged 65+", "pct_65_plus", "count_65_plus", "population"),
    ("% aged 85+", "pct_85_plus", "count_85_plus", "population"),
    ("Old-age dependency ratio (65+ per 1,000 aged 16-64)", "oadr", "count_65_plus", "count_16_64"),
]


def tidy_structure(st: pd.DataFrame, period: str, source_id: str) -> pd.DataFrame:
    """:func:`structure_table` as one row per area and indicator (indicator, area_code, area_name,
    period, value, count, denominator, area_type, source_id)."""
    parts = []
    for label, value, count, denom in STRUCTURE_INDICATORS:
        parts.append(
            pd.DataFrame(
                {
                    "indicator": label,
                    "area_code": st["area_code"],
                    "area_name": st["area_name"],
                    "period": period,
                    "value": st[value],
                    "count": st[count],
                    "denominator": st[denom] if denom else np.nan,
                    "area_type": st["area_type"],
                    "source_id": source_id,
                }
            )
        )
    return pd.concat(parts, ignore_index=True)


def tidy_change(ch: pd.DataFrame, source_id: str) -> pd.DataFrame:
    """:func:`change_table` as a tidy download: value = % change, count = change in people,
    denominator = the count at the start."""
    return pd.DataFrame(
        {
            "indicator": "% change, " + ch["measure"],
            "area_code": ch["area_code"],
            "area_name": ch["area_name"],
            "period": ch["period"],
            "value": ch["pct_change"],
            "count": ch["change"],
            "denominator": ch["count_start"],
            "count_start": ch["count_start"],
            "count_end": ch["count_end"],
            "area_type": ch["area_type"],
            "source_id": source_id,
        }
    )


# --------------------------------------------------------------------------------- charts
