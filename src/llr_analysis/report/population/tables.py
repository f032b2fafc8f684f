"""Display forms of the population tables shared by the page's sections: readable age-structure
columns, and counts of people rounded to whole people."""

from __future__ import annotations

import pandas as pd


def structure_display(st: pd.DataFrame) -> pd.DataFrame:
    """:func:`structure_table` for display: population rounded, readable column names."""
    names = {
        "area_name": "Area",
        "population": "Population",
        "share": "Share (%)",
        "pct_0_15": "% aged 0-15",
        "pct_16_64": "% aged 16-64",
        "pct_65_plus": "% aged 65+",
        "pct_85_plus": "% aged 85+",
        "oadr": "Aged 65+ per 1,000 aged 16-64",
    }
    shown = st.assign(population=st["population"].round().astype("Int64")).rename(columns=names)
    return shown[list(names.values())]


def whole_people(tidy: pd.DataFrame) -> pd.DataFrame:
    """Counts of people (and the population itself) rounded to whole people: below district level they are
    estimates of estimates, with fractions of a person where an LSOA (2011) was shared between 2021 areas."""
    out = tidy.copy()
    for c in ("count", "denominator"):
        out[c] = out[c].round()
    is_pop = out["indicator"] == "Population (all ages)"
    out.loc[is_pop, "value"] = out.loc[is_pop, "value"].round()
    return out
