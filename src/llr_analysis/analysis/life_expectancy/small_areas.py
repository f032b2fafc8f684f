"""Life expectancy in small areas: ONS's 2009-13 figures for the MSOAs (2011) of a place, compared with the
place and England by their 95% confidence intervals, and their gradient with deprivation (IMD 2019).
Pure functions over :class:`~llr_analysis.analysis.life_expectancy.load.LifeExpectancyData`."""

from __future__ import annotations

from typing import cast

import numpy as np
import pandas as pd

from llr_analysis.analysis.life_expectancy.load import LifeExpectancyData
from llr_analysis.analysis.life_expectancy.places import POLARITY, check_sex
from llr_analysis.places import get_place, load_places
from llr_analysis.stats import compare_by_ci_overlap
from llr_analysis.stats.weighted import weighted_mean

#: A straight line through MSOA life expectancy and deprivation needs at least this many MSOAs.
MIN_MSOAS_FOR_GRADIENT = 10


def msoa_imd2019(iod_lsoa: pd.DataFrame, iod_population: pd.DataFrame, lsoa11: pd.DataFrame) -> pd.DataFrame:
    """IMD 2019 score of each ICS MSOA (2011): population-weighted mean of its LSOAs' scores.

    Weights are the mid-2015 populations published with IoD2019 (the usual way MSOA-level
    IMD scores are made, e.g. by the House of Commons Library). NaN if a population is missing.
    """
    iod = iod_lsoa[(iod_lsoa["edition"] == "IoD2019") & (iod_lsoa["index_id"] == "imd")][["lsoa_code", "score"]]
    pop = iod_population[iod_population["edition"] == "IoD2019"][["lsoa_code", "population"]]
    geo = lsoa11[["lsoa11_code", "msoa11_code"]].rename(columns={"lsoa11_code": "lsoa_code"})
    d = geo.merge(iod, on="lsoa_code", how="left").merge(pop, on="lsoa_code", how="left")
    rows = [
        {
            "msoa11_code": m,
            "imd_score": weighted_mean(g["score"], g["population"]),
            "population_2015": g["population"].sum(min_count=len(g)),
            "lsoas": len(g),
        }
        for m, g in d.groupby("msoa11_code")
    ]
    return pd.DataFrame(rows)


def msoa_le(data: LifeExpectancyData, place: str, sex: str) -> pd.DataFrame:
    """MSOA (2011) life expectancy at birth 2009-13 for the place, compared with the place and England.

    Each MSOA's 95% CI is compared with the place's value and with England's value (same ONS
    release, same period) by :func:`compare_by_ci_overlap` (higher is better). Adds the IMD
    2019 score (:func:`msoa_imd2019`).
    """
    sex = check_sex(sex)
    p = get_place(place)
    m = data.msoa11[(data.msoa11["place_id"] == p.id) & (data.msoa11["sex"] == sex)].copy()
    areas = data.areas_2009_13[data.areas_2009_13["sex"] == sex].set_index("area_code")
    eng = load_places().england_code
    # one value each (area_code is unique in the table): the stubs allow any scalar, None included
    m["place_le"] = float(cast(float, areas.loc[p.code, "le"]))
    m["england_le"] = float(cast(float, areas.loc[eng, "le"]))
    m["vs_place"] = compare_by_ci_overlap(m["le"], m["le_lower_95"], m["le_upper_95"], m["place_le"], polarity=POLARITY)
    m["vs_england"] = compare_by_ci_overlap(
        m["le"], m["le_lower_95"], m["le_upper_95"], m["england_le"], polarity=POLARITY
    )
    m = m.merge(msoa_imd2019(data.iod_lsoa, data.iod_population, data.lsoa11), on="msoa11_code", how="left")
    return m.sort_values("le").reset_index(drop=True)


def msoa_counts(m: pd.DataFrame) -> pd.DataFrame:
    """How many MSOAs are better / similar / worse than the place and than England."""
    order = ["better", "similar", "worse", "not compared"]
    out = pd.DataFrame(
        {
            "comparison": order,
            "vs_place": [int((m["vs_place"] == o).sum()) for o in order],
            "vs_england": [int((m["vs_england"] == o).sum()) for o in order],
        }
    )
    return out


def imd_gradient(m: pd.DataFrame) -> dict:
    """Ordinary least squares of MSOA life expectancy on IMD score: slope (years per IMD point)
    with its 95% CI, R squared and the number of MSOAs (statsmodels OLS).

    Not fitted (NaN) with fewer than :data:`MIN_MSOAS_FOR_GRADIENT` MSOAs.
    """
    import statsmodels.api as sm

    d = m.dropna(subset=["le", "imd_score"])
    if len(d) < MIN_MSOAS_FOR_GRADIENT:
        return {"n": len(d), "slope": np.nan, "lower_95": np.nan, "upper_95": np.nan, "r2": np.nan, "intercept": np.nan}
    fit = sm.OLS(d["le"].to_numpy(), sm.add_constant(d["imd_score"].to_numpy())).fit()
    low, high = fit.conf_int(0.05)[1]
    return {
        "n": len(d),
        "slope": float(fit.params[1]),
        "lower_95": float(low),
        "upper_95": float(high),
        "r2": float(fit.rsquared),
        "intercept": float(fit.params[0]),
    }
