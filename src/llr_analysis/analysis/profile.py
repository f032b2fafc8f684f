"""Locality profiles: every figure of one ward, district or PCN, beside its place, LLR and England.

One profile per locality listed by :func:`llr_analysis.analysis.localities.targets.profile_targets`.
Each figure is a row of :func:`key_figures`: value and 95% interval of the locality, its place, the ICS
and England, compared by :func:`llr_analysis.stats.benchmark.compare_by_ci_overlap` (OHID's CI-overlap
test with the indicator's polarity); where no interval exists the comparison is "not compared".

Sources by level (what each profile can honestly say):

* **Wards and districts** are sets of LSOAs 2021: population (ONS mid-2020 LSOA estimates mapped
  to LSOA 2021), deprivation (IoD2025 with its mid-2022 denominators), life expectancy only from
  an *overlapping* geography (MSOA 2011, 2009-13, for wards; the district's own OHID figure for
  districts), and no cancer screening (published by GP practice, not by area).
* **PCNs** are groups of GP practices: deprivation is the registered-population-weighted IMD 2019
  of its practices (a third-party derivation), life expectancy the GP-practice estimates,
  cancer screening the practices' coverage; no registered-population source here: no population figures.

Only figures with sampling or random variation get an interval and a verdict: screening coverage
(Wilson score intervals, :func:`llr_analysis.stats.proportions.wilson_ci`) and life expectancy.
Counts of areas (the share of LSOAs in a decile) and shares of population estimates (aged 0-15, 65+,
IDACI, IDAOPI) are not samples: no interval, comparison :data:`NOT_TESTED`, described in words instead
("twice England's 10%"), as OHID Fingertips shows population shares as not compared.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import cast

import numpy as np
import pandas as pd

from llr_analysis.analysis.deprivation.domains import SHORT_LABELS
from llr_analysis.analysis.localities import load as localities_load
from llr_analysis.analysis.localities import pcns as localities
from llr_analysis.analysis.localities import targets
from llr_analysis.errors import ParameterError
from llr_analysis.places import get_locality_level, get_place, load_places
from llr_analysis.process import read_table, table_path
from llr_analysis.settings import cancer_screening_config
from llr_analysis.stats.benchmark import NOT_TESTED, compare_by_ci_overlap
from llr_analysis.stats.proportions import wilson_ci

POPULATION_YEAR = 2020
IOD_EDITION = "IoD2025"
#: The columns of a key-figure row (see :func:`key_figures`).
FIGURE_COLUMNS = [
    "topic",
    "indicator",
    "unit",
    "period",
    "value",
    "lower_95",
    "upper_95",
    "count",
    "denominator",
    "place_value",
    "llr_value",
    "england_value",
    "vs_place",
    "vs_llr",
    "vs_england",
    "polarity",
    "basis",
    "source_id",
]


@dataclass(frozen=True)
class Locality:
    level: str
    code: str
    name: str
    place_id: str

    @property
    def level_label(self) -> str:
        return get_locality_level(self.level).label

    @property
    def place_name(self) -> str:
        return get_place(self.place_id).name

    @property
    def is_area(self) -> bool:
        return get_locality_level(self.level).is_area

    @property
    def title(self) -> str:
        """The page's h1: the locality named with its kind ("Abbey ward", "Orion PCN", "Blaby district")."""
        return targets.locality_title(self.level, self.name)

    @property
    def slug(self) -> str:
        return targets.profile_slug(self.level, self.code)


def get_locality(level: str, code: str, paths=None) -> Locality:
    """The profiled locality of ``level`` with ``code`` (a ParameterError lists valid codes if unknown)."""
    lsoa21, practices = (read_table(t, paths) for t in ("geography/lsoa21", "cancer_screening/practices"))
    listed = targets.profile_targets(localities_load.LocalitiesData(lsoa21, practices))
    lv = get_locality_level(level).id
    hit = listed[(listed["level"] == lv) & (listed["code"].str.upper() == str(code).strip().upper())]
    if hit.empty:
        valid = listed.loc[listed["level"] == lv, "code"].tolist()
        raise ParameterError(
            f"no locality profile for {lv} {code!r}; valid codes: {', '.join(valid[:12])}"
            + (" …" if len(valid) > 12 else "")
        )
    r = hit.iloc[0]
    return Locality(lv, r["code"], r["name"], r["place_id"])


# ------------------------------------------------------------------------------ comparisons


def compare(value, lower, upper, comparator, polarity: str) -> str:
    """The one comparison of a profile figure with a comparator (OHID CI overlap); no CI -> not compared."""
    return str(compare_by_ci_overlap(value, lower, upper, comparator, polarity=polarity))


def figure_row(
    topic: str,
    indicator: str,
    unit: str,
    period: str,
    here: dict,
    place: float,
    llr: float,
    england: float,
    polarity: str,
    basis: str,
    source_id: str,
) -> dict:
    """One key figure: ``here`` holds value, lower_95, upper_95 (and count, denominator if a proportion)."""
    v, lo, hi = here.get("value"), here.get("lower_95"), here.get("upper_95")
    tested = here.get("tested", True)
    return {
        "topic": topic,
        "indicator": indicator,
        "unit": unit,
        "period": period,
        "value": v,
        "lower_95": lo,
        "upper_95": hi,
        "count": here.get("count"),
        "denominator": here.get("denominator"),
        "place_value": place,
        "llr_value": llr,
        "england_value": england,
        "vs_place": compare(v, lo, hi, place, polarity) if tested else NOT_TESTED,
        "vs_llr": compare(v, lo, hi, llr, polarity) if tested else NOT_TESTED,
        "vs_england": compare(v, lo, hi, england, polarity) if tested else NOT_TESTED,
        "polarity": polarity,
        "basis": basis,
        "source_id": source_id,
    }


def proportion(count: float, denominator: float) -> dict:
    """A percentage with its Wilson 95% interval (missing if the denominator is 0 or unknown)."""
    if pd.isna(count) or pd.isna(denominator) or denominator <= 0:
        return {"value": np.nan, "lower_95": np.nan, "upper_95": np.nan, "count": count, "denominator": denominator}
    v, lo, hi = wilson_ci(count, denominator)
    return {"value": float(v), "lower_95": float(lo), "upper_95": float(hi), "count": count, "denominator": denominator}


def estimate_share(count: float, denominator: float) -> dict:
    """A percentage without an interval or a verdict: a count of areas or a share of population
    estimates, which has no sampling error (:data:`NOT_TESTED`)."""
    ok = not (pd.isna(count) or pd.isna(denominator) or denominator <= 0)
    value = float(100 * count / denominator) if ok else np.nan
    return {"value": value, "count": count, "denominator": denominator, "tested": False}


# ------------------------------------------------------------------------------ area sets


def lsoa21_codes(loc: Locality, paths=None) -> list[str]:
    """The locality's LSOAs 2021 (area levels only)."""
    lv = get_locality_level(loc.level)
    geo = read_table("geography/lsoa21", paths)
    return sorted(geo.loc[geo[lv.code_column] == loc.code, "lsoa21_code"])


def _area_sets(loc: Locality, paths=None) -> dict[str, list[str] | None]:
    """LSOA 2021 codes of the locality, its place and LLR (None = all England)."""
    geo = read_table("geography/lsoa21", paths)
    return {
        "here": lsoa21_codes(loc, paths) if loc.is_area else [],
        "place": sorted(geo.loc[geo["place_id"] == loc.place_id, "lsoa21_code"]),
        "llr": sorted(geo["lsoa21_code"]),
        "england": None,
    }


# ------------------------------------------------------------------------------ population


def _population(year: int, paths=None) -> pd.DataFrame:
    t = read_table("population/lsoa21_age", paths)
    return t[t["year"] == year]


def population_by_age(loc: Locality, year: int = POPULATION_YEAR, paths=None) -> pd.DataFrame:
    """Population by single year of age of the locality, its place, LLR and England (columns)."""
    t = _population(year, paths)
    sets = _area_sets(loc, paths)
    cols = {}
    for key in ("here", "place", "llr"):
        codes = sets[key]  # only "england" is None (all of England)
        sub = t[t["lsoa21_code"].isin(cast(set, codes))]
        cols[key] = sub.groupby("age")["population"].sum()
    eng = read_table("population/england_age", paths)
    cols["england"] = eng[eng["year"] == year].groupby("age")["population"].sum()
    return pd.DataFrame(cols).fillna(0.0)


def population_figures(loc: Locality, year: int = POPULATION_YEAR, paths=None) -> list[dict]:
    """People, and the shares aged 0-15 and 65+ (not tested: estimates), beside place, LLR and England."""
    if not loc.is_area:
        return []
    from llr_analysis.analysis.population.totals import TOTALS_PERIOD, TOTALS_SOURCE, latest_totals

    by_age = population_by_age(loc, year, paths)
    period, iod_population = f"mid-{year}", read_table("deprivation/iod_population", paths)
    src = "sape_lsoa11_mid2020; lsoa11_lsoa21_lookup"
    sets = _area_sets(loc, paths)
    # the total is the most recent count (mid-2022, the deprivation pages' denominators): one
    # population per area on every page; the age shares below need single years of age (mid-2020)
    rows = [
        figure_row(
            "population",
            "People",
            "people",
            TOTALS_PERIOD,
            {"value": latest_totals(iod_population, cast(list, sets["here"])), "tested": False},
            latest_totals(iod_population, cast(list, sets["place"])),
            latest_totals(iod_population, cast(list, sets["llr"])),
            np.nan,
            "no_judgement",
            TOTALS_SOURCE + " (England's is not in this build's data)",
            "iod2025_file7_llr",
        )
    ]
    for label, lo, hi in (("Aged 0-15", 0, 15), ("Aged 65 and over", 65, None)):
        ages = by_age.loc[lo:hi] if hi is not None else by_age.loc[lo:]
        share = {k: 100 * ages[k].sum() / by_age[k].sum() for k in by_age}
        rows.append(
            figure_row(
                "population",
                f"{label} (% of people)",
                "%",
                period,
                estimate_share(ages["here"].sum(), by_age["here"].sum()),
                share["place"],
                share["llr"],
                share["england"],
                "no_judgement",
                "share of the mid-year estimate (an estimate, not a sample: no interval, not tested)",
                src,
            )
        )
    return rows


def age_profile(loc: Locality, year: int = POPULATION_YEAR, paths=None) -> pd.DataFrame:
    """% of people in each 5-year age band (90+ last): the locality, its place and England (long)."""
    by_age = population_by_age(loc, year, paths)
    band = np.minimum(by_age.index.to_numpy() // 5 * 5, 90)
    banded = by_age.groupby(band).sum()
    shares = banded / banded.sum() * 100
    names = {"here": loc.name, "place": loc.place_name, "england": "England"}
    out = shares[list(names)].rename(columns=names).reset_index(names="band_start")
    out["age_band"] = [f"{b}-{b + 4}" if b < 90 else "90+" for b in out["band_start"]]
    return out.melt(id_vars=["band_start", "age_band"], var_name="area", value_name="percent")


# ------------------------------------------------------------------------------ deprivation


_IOD_WIDE: dict[tuple, pd.DataFrame] = {}


def _iod(edition: str, paths=None) -> pd.DataFrame:
    """LSOA scores and deciles of every index, with the edition's population denominators (England).

    Kept per kernel (a build runs many profiles in one), keyed by the processed files' identity.
    """
    from llr_analysis.paths import project_paths

    files = [table_path(paths or project_paths(), t) for t in ("deprivation/iod_lsoa", "deprivation/iod_population")]
    key = (edition, *((str(f), f.stat().st_mtime_ns) for f in files if f.exists()))
    if key not in _IOD_WIDE:
        _IOD_WIDE.clear()
        _IOD_WIDE[key] = _iod_wide(edition, paths)
    return _IOD_WIDE[key]


def _iod_wide(edition: str, paths=None) -> pd.DataFrame:
    iod = read_table("deprivation/iod_lsoa", paths)
    iod = iod[iod["edition"] == edition]
    wide = iod.pivot_table(index="lsoa_code", columns="index_id", values=["score", "decile"], aggfunc="first")
    # values= a list: the columns are a MultiIndex (value, index_id), which the stubs cannot tell
    wide.columns = [f"{idx}_{what}" for what, idx in cast(pd.MultiIndex, wide.columns)]
    pop = read_table("deprivation/iod_population", paths)
    pop = pop[pop["edition"] == edition].set_index("lsoa_code")[["population", "children_0_15", "older_60_plus"]]
    return wide.join(pop, how="left")


def _iod_subset(edition: str, codes: list[str] | None, paths=None) -> pd.DataFrame:
    t = _iod(edition, paths)
    return t if codes is None else t[t.index.isin(codes)]


def weighted_share(s: pd.DataFrame, value_col: str, weight_col: str) -> float:
    """Weighted mean of ``value_col`` by ``weight_col``; NaN when any weight is unknown (never a
    mean over the part of England whose denominators happen to be present: offline, IoD2025's
    denominators cover only LLR, so England's weighted figures are missing, not LLR's)."""
    if s.empty or s[weight_col].isna().any() or s[weight_col].sum() <= 0:
        return float("nan")
    return float((s[value_col] * s[weight_col]).sum() / s[weight_col].sum())


#: The IMD and its seven domains, with the labels the deprivation page uses.
DOMAINS = {
    k: SHORT_LABELS[k]
    for k in ("imd", "income", "employment", "education", "health", "crime", "barriers", "living_environment")
}


def deprivation_figures(loc: Locality, paths=None) -> list[dict]:
    """IMD 2025 for area localities: share of LSOAs in England's most deprived 10% (Wilson CI, against
    England's 10%), population-weighted IMD score, IDACI and IDAOPI (share of children / older people
    income deprived, Wilson CI); for PCNs the third-party registered-population-weighted IMD 2019."""
    if not loc.is_area:
        return _pcn_deprivation(loc, paths)
    sets = _area_sets(loc, paths)
    subsets = {k: _iod_subset(IOD_EDITION, v, paths) for k, v in sets.items()}
    src = "iod2025_england; iod2025_file7_llr"
    rows = []
    share = {k: 100 * (s["imd_decile"] == 1).mean() for k, s in subsets.items()}
    here = subsets["here"]
    rows.append(
        figure_row(
            "deprivation",
            "Small areas in England's most deprived 10% (% of LSOAs)",
            "%",
            IOD_EDITION,
            estimate_share(int((here["imd_decile"] == 1).sum()), len(here)),
            share["place"],
            share["llr"],
            share["england"],
            "lower_is_better",
            "IMD decile of each LSOA 2021; England is 10% by definition",
            src,
        )
    )
    score = {k: weighted_share(s, "imd_score", "population") for k, s in subsets.items()}
    rows.append(
        figure_row(
            "deprivation",
            "IMD average score (population-weighted; higher = more deprived)",
            "score",
            IOD_EDITION,
            {"value": score["here"], "tested": False},
            score["place"],
            score["llr"],
            score["england"],
            "lower_is_better",
            "mean of LSOA scores weighted by mid-2022 population",
            src,
        )
    )
    for idx, weight, label in (
        ("idaci", "children_0_15", "Children aged 0-15 in income-deprived families (IDACI, %)"),
        ("idaopi", "older_60_plus", "People aged 60+ who are income deprived (IDAOPI, %)"),
    ):
        rate = {k: 100 * weighted_share(s, f"{idx}_score", weight) for k, s in subsets.items()}
        count = float((here[f"{idx}_score"] * here[weight]).sum())
        rows.append(
            figure_row(
                "deprivation",
                label,
                "%",
                IOD_EDITION,
                estimate_share(count, here[weight].sum()),
                rate["place"],
                rate["llr"],
                rate["england"],
                "lower_is_better",
                f"LSOA scores weighted by their {weight.replace('_', ' ')} (mid-2022); not tested (no sampling error)",
                src,
            )
        )
    return rows


def decile_mix(loc: Locality, paths=None) -> pd.DataFrame:
    """% of people in each national IMD decile (IoD2025): the locality and its place (long).

    England is not a row: 10% of its LSOAs are in each decile by definition, and its people by
    decile need the full denominators."""
    sets = _area_sets(loc, paths)
    names = {"here": loc.name, "place": loc.place_name}
    frames = []
    for key, name in names.items():
        s = _iod_subset(IOD_EDITION, sets[key], paths)
        pct = s.groupby("imd_decile")["population"].sum().reindex(range(1, 11), fill_value=0)
        frames.append(pd.DataFrame({"area": name, "decile": range(1, 11), "percent": (100 * pct / pct.sum()).values}))
    return pd.concat(frames, ignore_index=True)


def domain_table(loc: Locality, paths=None) -> pd.DataFrame:
    """For each IMD domain: % of the locality's LSOAs in England's most deprived 10% on that domain,
    with its place and LLR (England 10% by definition)."""
    sets = _area_sets(loc, paths)
    columns = {loc.name: "here", loc.place_name: "place", load_places().llr_short_name: "llr", "England": "england"}
    subsets = {col: _iod_subset(IOD_EDITION, sets[key], paths) for col, key in columns.items()}
    rows = []
    for idx, label in DOMAINS.items():
        rec: dict[str, str | float] = {"domain": label}
        for col, s in subsets.items():
            rec[col] = 100 * float((s[f"{idx}_decile"] == 1).mean())
        rows.append(rec)
    return pd.DataFrame(rows)


def _pcn_deprivation(loc: Locality, paths=None) -> list[dict]:
    p = localities.practice_places(read_table("cancer_screening/practices", paths))
    pcn = p[p["pcn_code"] == loc.code]
    if pcn.empty or pcn["pcn_imd_score"].isna().all():
        return []
    # Each PCN once, in the place it is listed under everywhere (localities.pcns: the place of
    # most of its open practices), never the place of whichever practice comes first.
    llr = localities.pcn_imd_scores(read_table("cancer_screening/practices", paths))
    place = llr[llr["place_id"] == loc.place_id]
    n_place, n_llr = int(place["pcn_imd_score"].notna().sum()), int(llr["pcn_imd_score"].notna().sum())
    miss_place, miss_llr = len(place) - n_place, len(llr) - n_llr
    return [
        figure_row(
            "deprivation",
            "IMD 2019 score of registered patients (registered-population-weighted; higher = more deprived)",
            "score",
            "IoD2019; registrations about January 2023",
            {"value": float(pcn["pcn_imd_score"].iloc[0]), "tested": False},
            float(place["pcn_imd_score"].median()),
            float(llr["pcn_imd_score"].median()),
            np.nan,
            "lower_is_better",
            "third-party derivation (R. Blackwell) from IMD 2019 and patients' LSOAs; place and "
            f"{load_places().llr_short_name} are the median of their PCNs ({loc.place_name}: {n_place} PCN{'' if n_place == 1 else 's'} used"
            + (f", {miss_place} without a score" if miss_place else "")
            + f"; {load_places().llr_short_name}: {n_llr} used"
            + (f", {miss_llr} without a score" if miss_llr else "")
            + ")",
            "pcn_imd2019_derived",
        )
    ]


# ------------------------------------------------------------------------------ life expectancy


def overlapping_msoa11(loc: Locality, paths=None) -> pd.DataFrame:
    """MSOAs 2011 that share LSOAs with the locality, with how many of the locality's LSOAs 2011 each holds."""
    codes21 = set(lsoa21_codes(loc, paths))
    m = read_table("geography/lsoa11_lsoa21", paths)
    l11 = read_table("geography/lsoa11", paths)
    hit = l11[l11["lsoa11_code"].isin(m.loc[m["lsoa21_code"].isin(codes21), "lsoa11_code"])]
    return hit.groupby(["msoa11_code", "msoa11_name"]).size().rename("lsoas11_shared").reset_index()


def life_expectancy_figures(loc: Locality, paths=None) -> tuple[list[dict], pd.DataFrame, str]:
    """Key figures, a detail table, and a sentence on the geography the figures come from."""
    if loc.level == "district":
        le = read_table("life_expectancy/le_la", paths)
        le = le[(le["series"] == "fingertips_90366") & (le["age"] == "birth")]
        latest = le["period_end"].max()
        le = le[le["period_end"] == latest]
        rows = []
        the_place = get_place(loc.place_id)
        for sex in ("Female", "Male"):
            s = le[le["sex"] == sex].set_index("area_code")
            if loc.code not in s.index:
                continue
            r = s.loc[loc.code]
            row = figure_row(
                "life_expectancy",
                f"Life expectancy at birth, {sex.lower()}s (years)",
                "years",
                str(r["period"]),
                {"value": float(r["value"])},
                float(s["value"].get(the_place.code, np.nan)),
                np.nan,
                float(s["value"].get(load_places().england_code, np.nan)),
                "higher_is_better",
                "OHID Fingertips 90366 for the district; comparison with England as published by OHID",
                str(r["source_id"]),
            )
            if isinstance(r.get("ohid_comparison"), str):
                row["vs_england"] = r["ohid_comparison"].strip().lower()
            rows.append(row)
        return rows, pd.DataFrame(), "These are the district's own published figures."
    if loc.level == "pcn":
        return _pcn_life_expectancy(loc, paths)
    over = overlapping_msoa11(loc, paths)
    m = read_table("life_expectancy/msoa11", paths)
    detail = over.merge(m, on=["msoa11_code"], how="inner", suffixes=("", "_le"))
    detail = detail[
        ["msoa11_code", "msoa11_name", "msoa11_hcl_name", "lsoas11_shared", "sex", "le", "le_lower_95", "le_upper_95"]
    ]
    areas = read_table("life_expectancy/areas_2009_13", paths)
    eng = areas[areas["area_code"] == load_places().england_code].set_index("sex")["le"]
    detail = detail.copy()
    detail["vs_england"] = [
        compare(r.le, r.le_lower_95, r.le_upper_95, eng.get(r.sex, np.nan), "higher_is_better")
        for r in detail.itertuples()
    ]
    n = detail["msoa11_code"].nunique()
    text = (
        f"No life expectancy is published for wards. The figures below are for the {n} middle-layer areas "
        "(MSOAs, 2011 boundaries) that share small areas with this ward, for 2009-13 — an overlapping "
        "geography, not the ward itself, and older data."
    )
    return [], detail.sort_values(["msoa11_name", "sex"]).reset_index(drop=True), text


def _pcn_life_expectancy(loc: Locality, paths=None) -> tuple[list[dict], pd.DataFrame, str]:
    gp = read_table("life_expectancy/gp_practice", paths)
    p = localities.practice_places(read_table("cancer_screening/practices", paths))
    # the PCN's open practices (2023 membership); closed practices are never counted in a PCN
    codes = p.loc[(p["pcn_code"] == loc.code) & p["status"].eq("active"), ["practice_code", "practice_name", "status"]]
    latest = int(gp["year"].max())
    here = gp[(gp["year"] == latest) & gp["practice_code"].isin(codes["practice_code"])]
    detail = here.merge(codes, on="practice_code")[["practice_code", "practice_name", "status", "sex", "value"]]
    text = (
        f"Life expectancy is estimated for each GP practice's registered patients (OHID, {latest}, no "
        "confidence intervals published in this source). No figure is published for the PCN as a whole, so "
        "its practices are listed; the range across them shows the variation within the PCN."
    )
    return [], detail.sort_values(["sex", "value"]).reset_index(drop=True), text


# ------------------------------------------------------------------------------ cancer screening


def screening_figures(loc: Locality, paths=None) -> tuple[list[dict], str]:
    """Cervical screening coverage of the PCN's practices (Wilson CI) beside place, LLR and England."""
    if loc.is_area:
        return [], (
            "Cancer screening coverage is published for GP practices (their registered patients), not for "
            f"areas such as this {loc.level_label.lower()}: see the PCN profiles and the cancer screening page."
        )
    cov = read_table("cancer_screening/practice_coverage", paths)
    rows = []
    p = localities.practice_places(read_table("cancer_screening/practices", paths))[
        ["practice_code", "pcn_code", "status"]
    ]
    members = p[(p["pcn_code"] == loc.code) & p["status"].eq("active")]["practice_code"]
    for (programme, age_group, period_label), g in cov.groupby(["programme", "age_group", "period_label"]):
        in_pcn = g[g["practice_code"].isin(members)]
        n_missing = int(in_pcn["suppressed"].astype(bool).sum())
        g = g[~g["suppressed"].astype(bool)]
        llr = g[g["place_id"].notna()]
        place = llr[llr["place_id"] == loc.place_id]
        # the PCN's open practices only (closed practices are shown apart, never counted in a PCN)
        here = llr[llr["practice_code"].isin(members)]
        if here.empty:
            continue

        def pct(x: pd.DataFrame) -> float:
            return 100 * x["numerator"].sum() / x["denominator"].sum()

        standard = cancer_screening_config().programmes[str(programme)].standard
        row = figure_row(
            "cancer_screening",
            f"{str(programme).capitalize()} screening coverage, ages {age_group} (%)",
            "%",
            str(period_label),
            proportion(here["numerator"].sum(), here["denominator"].sum()),
            pct(place),
            pct(llr),
            pct(g),
            "higher_is_better",
            f"sum of the PCN's {len(here)} open practices with counts"
            + (f" ({n_missing} with suppressed counts left out)" if n_missing else "")
            + "; closed practices not counted; 2023 PCN membership; standards "
            + f"{standard.acceptable:g}% acceptable, {standard.achievable:g}% achievable",
            str(g["source_id"].iloc[0]),
        )
        rows.append(row)
    return rows, "Coverage of the PCN's practices' registered patients, from the practices' published counts."


def key_figures(loc: Locality, paths=None) -> pd.DataFrame:
    """Every key figure of the locality (rows of :data:`FIGURE_COLUMNS`)."""
    rows = population_figures(loc, paths=paths) + deprivation_figures(loc, paths)
    rows += life_expectancy_figures(loc, paths)[0] + screening_figures(loc, paths)[0]
    return pd.DataFrame(rows, columns=FIGURE_COLUMNS)
