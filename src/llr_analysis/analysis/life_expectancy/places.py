"""Life expectancy for a place, its districts and England: the place-level tables. Pure functions over
the processed tables of :mod:`llr_analysis.process.life_expectancy` (loaded by :mod:`.load`). Every row keeps the
``series`` it comes from; gaps to England are always taken within one series (a place's ONS
2019-edition value against England's ONS 2019-edition value, a Fingertips value against
England's Fingertips value), so a revision between series never shows up as a change in a gap.

What the sources allow (and what the page says when they do not):

* life expectancy by local authority has **no confidence intervals** in either series, so the
  comparison with England shown for it is OHID's own published judgement (Fingertips), not
  recomputed here; healthy life expectancy (ONS, 95% CIs) and MSOA life expectancy (ONS, 95%
  CIs) are compared here with :func:`llr_analysis.stats.compare_by_ci_overlap`;
* only males and females are published (no persons figure);
* life expectancy at 65 is in the ONS 2019 edition only (to 2016-18);
* the Fingertips 90366 extract has districts and unitary authorities but **no county
  rows**: for 2017-19 onwards a county is shown through its districts only;
* there is no ICS-wide life expectancy in these sources, and no deaths by age to compute one.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from llr_analysis.errors import ParameterError
from llr_analysis.places import get_place, load_places
from llr_analysis.process.life_expectancy import SERIES
from llr_analysis.stats import compare_by_ci_overlap

SEXES = ("Male", "Female")
MEASURES = {"birth": "life expectancy at birth", "65": "life expectancy at age 65"}
#: Series of local-authority life expectancy, oldest first.
LE_SERIES = ("ons_la_2019", "fingertips_90366")
HLE_SERIES = ("ons_els_2026", "fingertips_90362_2020")
SII_SERIES = ("fingertips_92901_2020", "fingertips_92901")
POLARITY = "higher_is_better"  # life expectancy: higher is better
#: Short names of the series for sentences.
SERIES_SHORT = {
    "ons_la_2019": "ONS, Dec 2019 edition",
    "fingertips_90366": "OHID Fingertips 90366",
    "ons_els_2026": "ONS, Feb 2026 release",
    "fingertips_90362_2020": "Fingertips 90362, 2020 extract",
    "fingertips_92901": "OHID Fingertips 92901",
    "fingertips_92901_2020": "Fingertips 92901, 2020 extract",
}


# ------------------------------------------------------------------------------ parameters


def check_sex(sex: str) -> str:
    """'Male' or 'Female'. Persons is refused: no source here publishes a persons figure."""
    key = str(sex).strip().lower()
    for s in SEXES:
        if key in (s.lower(), s.lower() + "s"):
            return s
    if key in ("persons", "person", "all", "both"):
        raise ParameterError(
            "sex 'Persons' is not available: ONS and OHID publish local life expectancy for males "
            "and females separately only; choose 'Male' or 'Female'"
        )
    raise ParameterError(f"unknown sex {sex!r}; expected 'Male' or 'Female'")


def check_measure(measure: str) -> str:
    """'birth' (life expectancy at birth) or '65' (at age 65)."""
    key = str(measure).strip().lower().replace("at ", "").replace("age ", "")
    if key in MEASURES:
        return key
    raise ParameterError(f"unknown measure {measure!r}; expected one of {sorted(MEASURES)}")


# ------------------------------------------------------------------------------ areas


def area_roles(place: str) -> pd.DataFrame:
    """The areas shown for a place: the place, its districts (if it has several) and England.

    Names come from config/places.yml, not from the files (whose spellings differ).
    """
    p = get_place(place)
    cfg = load_places()
    rows = [{"area_code": p.code, "area_name": p.name, "role": "place"}]
    rows += [{"area_code": c, "area_name": n, "role": "district"} for c, n in p.districts.items() if c != p.code]
    rows.append({"area_code": cfg.england_code, "area_name": "England", "role": "England"})
    return pd.DataFrame(rows)


def _llr_areas() -> pd.DataFrame:
    cfg = load_places()
    rows: list[dict[str, str | None]] = []
    for p in cfg.places.values():
        rows.append({"area_code": p.code, "area_name": p.name, "area_type": p.type, "place_id": p.id})
        rows += [
            {"area_code": c, "area_name": n, "area_type": "District", "place_id": p.id}
            for c, n in p.districts.items()
            if c != p.code
        ]
    rows.append({"area_code": cfg.england_code, "area_name": "England", "area_type": "Country", "place_id": None})
    return pd.DataFrame(rows)


def _with_roles(df: pd.DataFrame, roles: pd.DataFrame) -> pd.DataFrame:
    out = df.drop(columns=[c for c in ("area_name",) if c in df]).merge(roles, on="area_code", how="inner")
    out["series_label"] = out["series"].map(SERIES)
    return out.sort_values(["role", "area_name", "sex", "period_start", "series"]).reset_index(drop=True)


# ------------------------------------------------------------------------------ LE by local authority


def le_series(le_la: pd.DataFrame, place: str, measure: str = "birth") -> pd.DataFrame:
    """Life expectancy (``measure``) for the place, its districts and England, both series.

    One row per area, sex, period and series, with the area's ``role`` and OHID's published
    comparison with England where the series has one (Fingertips only).
    """
    measure = check_measure(measure)
    le = le_la[(le_la["age"] == measure) & le_la["series"].isin(LE_SERIES)]
    return _with_roles(le, area_roles(place))


def gap_to_england(df: pd.DataFrame) -> pd.DataFrame:
    """Each area's difference from England, within the same series, period, sex and age.

    ``gap`` = area minus England (negative = shorter lives than England). Rows whose series
    has no England value for the period are left out.
    """
    eng_code = load_places().england_code
    keys = ["series", "period", "sex"] + (["age"] if "age" in df else [])
    eng = df[df["area_code"] == eng_code][keys + ["value"]].rename(columns={"value": "england_value"})
    out = df[df["area_code"] != eng_code].merge(eng, on=keys, how="inner")
    out["gap"] = out["value"] - out["england_value"]
    return out


def latest_values(df: pd.DataFrame) -> pd.DataFrame:
    """For each area, sex and series, the row of the latest period with a value."""
    d = df.dropna(subset=["value"]).sort_values("period_start")
    return d.groupby(["area_code", "sex", "series"], as_index=False).tail(1).reset_index(drop=True)


def llr_latest_table(le_la: pd.DataFrame, measure: str = "birth") -> pd.DataFrame:
    """Latest life expectancy for every area of the ICS and England, per series: value and gap to England.

    Tidy rows (area, sex, series, period, value, england_value, gap, ohid_comparison). The
    county appears only where a series has it (ONS 2019 edition, to 2016-18).
    """
    measure = check_measure(measure)
    le = le_la[(le_la["age"] == measure) & le_la["series"].isin(LE_SERIES)]
    areas = _llr_areas()
    le = le.drop(columns="area_name").merge(areas, on="area_code", how="inner")
    gaps = gap_to_england(le)
    latest = latest_values(gaps)
    latest["series_label"] = latest["series"].map(SERIES)
    order = {c: i for i, c in enumerate(areas["area_code"])}
    latest["order"] = latest["area_code"].map(order)
    return latest.sort_values(["series", "order", "sex"]).drop(columns="order").reset_index(drop=True)


def series_break(le_la: pd.DataFrame, place: str, measure: str = "birth") -> pd.DataFrame:
    """Where the two LE series overlap (2015-17, 2016-18): both values and their difference."""
    df = le_series(le_la, place, measure)
    w = df.pivot_table(
        index=["area_code", "area_name", "role", "sex", "period"], columns="series", values="value"
    ).reset_index()
    if not set(LE_SERIES) <= set(w.columns):
        return pd.DataFrame(columns=["area_code", "area_name", "role", "sex", "period", *LE_SERIES, "difference"])
    w = w.dropna(subset=list(LE_SERIES))
    w["difference"] = w["fingertips_90366"] - w["ons_la_2019"]
    w.columns.name = None
    return w.reset_index(drop=True)


def place_gap(le_la: pd.DataFrame, place: str) -> dict:
    """The place's own gap to England in life expectancy at birth, latest and earliest period of each series.

    Returns ``{series: {sex: {"first": row, "latest": row}}}`` where each row has period,
    value, england_value and gap; a series that has no figure for the place as a whole (OHID
    publishes 90366 for districts and unitary authorities, not counties) is absent.
    """
    le = le_la[(le_la["age"] == "birth") & le_la["series"].isin(LE_SERIES)]
    cfg = load_places()
    code = get_place(place).code
    gaps = gap_to_england(le[le["area_code"].isin([code, cfg.england_code])])
    gaps = gaps[gaps["area_code"] == code].dropna(subset=["gap"]).sort_values("period_start")
    out: dict = {}
    for (series, sex), g in gaps.groupby(["series", "sex"]):
        out.setdefault(series, {})[sex] = {"first": g.iloc[0].to_dict(), "latest": g.iloc[-1].to_dict()}
    return out


# ------------------------------------------------------------------------------ healthy life expectancy


def hle_series(hle_table: pd.DataFrame, place: str) -> pd.DataFrame:
    """Healthy life expectancy at birth for the place and England.

    The ONS Feb 2026 series has 95% CIs: each value is compared with England's value for the
    same period and sex by CI overlap (:func:`compare_by_ci_overlap`, higher is better). The
    earlier-method Fingertips series (2009-11 to 2016-18) is kept as a separate series with
    OHID's own published comparison.
    """
    hle = hle_table[hle_table["series"].isin(HLE_SERIES)]
    roles = area_roles(place)
    roles = roles[roles["role"] != "district"]  # HLE is published for upper-tier areas only
    df = _with_roles(hle, roles)
    eng = df[df["role"] == "England"][["series", "period", "sex", "value"]].rename(columns={"value": "england_value"})
    df = df.merge(eng, on=["series", "period", "sex"], how="left")
    df["comparison"] = compare_by_ci_overlap(
        df["value"], df["lower_95"], df["upper_95"], df["england_value"], polarity=POLARITY
    )
    df.loc[df["role"] == "England", "comparison"] = None
    old = df["series"] == "fingertips_90362_2020"
    df.loc[old, "comparison"] = df.loc[old, "ohid_comparison"].str.lower()
    return df


def hle_fingertips_agreement(hle_table: pd.DataFrame, place: str) -> dict:
    """How far OHID's current Fingertips HLE (90362) is from the ONS Feb 2026 figures, for the place
    and England: the number of values both publish and the largest absolute difference (years)."""
    codes = [get_place(place).code, load_places().england_code]
    hle = hle_table[hle_table["area_code"].isin(codes)]
    a = hle[hle["series"] == "ons_els_2026"]
    b = hle[hle["series"] == "fingertips_90362"]
    both = a.merge(b, on=["area_code", "period", "sex"], suffixes=("", "_ft")).dropna(subset=["value", "value_ft"])
    return {
        "n": len(both),
        "max_abs_difference": float((both["value"] - both["value_ft"]).abs().max()) if len(both) else np.nan,
        "areas": sorted(both["area_code"].unique()),
    }


def versus(comparison: str, short: bool = False) -> str:
    """A comparison as words: "better than England", "similar to England", "not compared with England"."""
    phrase = {
        "better": "better than England",
        "worse": "worse than England",
        "similar": "similar to England",
        "higher": "higher than England",
        "lower": "lower than England",
    }.get(str(comparison), "not compared with England")
    return phrase.split(" ")[0] if short and phrase.split(" ")[0] != "not" else phrase


def poor_health_years(hle_table: pd.DataFrame, le_la: pd.DataFrame, place: str) -> pd.DataFrame:
    """Years lived not in good health: life expectancy minus healthy life expectancy (ONS, at birth).

    HLE is the ONS Feb 2026 series. LE is taken from the Fingertips series where it has the
    area and period (later ONS figures), otherwise from the ONS 2019 edition; ``le_series``
    says which. No CI is given (the LE series have none).
    """
    hle = hle_table[hle_table["series"] == "ons_els_2026"]
    roles = area_roles(place)
    roles = roles[roles["role"] != "district"]
    hle = hle.merge(roles[["area_code"]], on="area_code")
    le = le_la[(le_la["age"] == "birth") & le_la["series"].isin(LE_SERIES)].dropna(subset=["value"])
    rank = {"fingertips_90366": 0, "ons_la_2019": 1}
    le = (
        le.assign(rank=le["series"].map(rank))
        .sort_values("rank")
        .drop_duplicates(["area_code", "period", "sex"])[["area_code", "period", "sex", "value", "series"]]
        .rename(columns={"value": "le", "series": "le_series"})
    )
    out = hle.merge(le, on=["area_code", "period", "sex"], how="inner").rename(
        columns={"value": "hle", "lower_95": "hle_lower_95", "upper_95": "hle_upper_95", "series": "hle_series"}
    )
    out = out.drop(columns=["area_name"]).merge(roles, on="area_code")
    out["poor_health_years"] = out["le"] - out["hle"]
    out["pct_life_in_good_health"] = 100 * out["hle"] / out["le"]
    return out.sort_values(["role", "sex", "period_start"]).reset_index(drop=True)


# ------------------------------------------------------------------------------ inequality


def sii_series(sii: pd.DataFrame, place: str) -> pd.DataFrame:
    """Slope index of inequality in life expectancy at birth (years), place, districts and England."""
    return _with_roles(sii[sii["series"].isin(SII_SERIES)], area_roles(place))


def districts_without_sii(sii: pd.DataFrame) -> list[str]:
    """Districts of :func:`sii_series` with no published slope index of inequality in any period."""
    shown = set(sii.dropna(subset=["value"])["area_name"])
    return sorted(set(sii.loc[sii["value"].isna() & (sii["role"] == "district"), "area_name"]) - shown)


def hle_series_overlap(hle: pd.DataFrame) -> dict:
    """The first and last period of each HLE series of :func:`hle_series` and the largest difference
    (years) between the ONS Feb 2026 and earlier-method values where both cover an area, period and sex."""
    new, old = (hle[hle["series"] == s] for s in HLE_SERIES)
    both = new.merge(old, on=["area_code", "period", "sex"], suffixes=("", "_old"))
    return {
        "new_first": new["period"].min(),
        "new_last": new["period"].max(),
        "old_first": old["period"].min(),
        "old_last": old["period"].max(),
        "max_abs_difference": float((both["value"] - both["value_old"]).abs().max()),
    }


def latest_poor_health(ph: pd.DataFrame, place: str) -> pd.DataFrame:
    """The rows of :func:`poor_health_years` for the latest period in which the place has a value."""
    return ph[ph["period_start"] == ph.loc[ph["area_code"] == get_place(place).code, "period_start"].max()]


# ------------------------------------------------------------------------------ tables


def poor_health_table(ph: pd.DataFrame, place: str) -> pd.DataFrame:
    """The place's LE, HLE (95% CI) and years not in good health by sex and period, with England's."""
    p = get_place(place)
    own = ph[ph["area_code"] == p.code]
    eng = ph[ph["role"] == "England"][["sex", "period", "poor_health_years"]].rename(
        columns={"poor_health_years": "england_poor_health_years"}
    )
    t = own.merge(eng, on=["sex", "period"], how="left").sort_values(["sex", "period_start"], ascending=[False, True])
    return pd.DataFrame(
        {
            "Sex": t["sex"],
            "Period": t["period"],
            "Life expectancy": t["le"],
            "Healthy life expectancy": t["hle"],
            "HLE 95% CI": t["hle_lower_95"].map("{:.1f}".format) + " to " + t["hle_upper_95"].map("{:.1f}".format),
            "Years not in good health": t["poor_health_years"],
            "England: years not in good health": t["england_poor_health_years"],
            "% of life in good health": t["pct_life_in_good_health"],
            "Life expectancy from": t["le_series"].map(SERIES_SHORT),
        }
    ).reset_index(drop=True)
