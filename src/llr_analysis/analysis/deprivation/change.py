"""Change between IoD editions: national decile movement of the LSOAs whose boundaries did not change
between 2011 and 2021 (the one comparison between IoD2019 and IoD2025 the page makes)."""

from __future__ import annotations

import numpy as np
import pandas as pd

from llr_analysis.analysis.deprivation.load import DeprivationData
from llr_analysis.places import get_place


def decile_movement(old: pd.DataFrame, new: pd.DataFrame, lookup: pd.DataFrame) -> pd.DataFrame:
    """National decile movement between two editions, for LSOAs whose boundaries did not change.

    ``old``: IoD2019 rows (``lsoa_code`` = LSOA 2011, ``rank``, ``decile``); ``new``: IoD2025
    rows (``lsoa_code`` = LSOA 2021, ...); ``lookup``: the ONS LSOA 2011 -> 2021 exact-fit lookup
    (``lsoa11_code``, ``lsoa21_code``, ``change``). Only LSOAs whose change indicator is "U"
    (unchanged) and that map one-to-one are kept: a split ("S"), merged ("M") or redrawn ("X")
    LSOA is a different area in the two editions and is left out.

    ``decile_change`` = new decile - old decile: negative = moved into a more deprived national
    decile, positive = into a less deprived one. Deciles are relative to the rest of England in
    each edition, so this is movement *relative to England*, not a change in absolute
    deprivation.
    """
    lk = lookup[["lsoa11_code", "lsoa21_code", "change"]]
    n11 = lk.groupby("lsoa11_code")["lsoa21_code"].transform("size")
    n21 = lk.groupby("lsoa21_code")["lsoa11_code"].transform("size")
    u = lk[(lk["change"] == "U") & (n11 == 1) & (n21 == 1)]
    o = old[["lsoa_code", "rank", "decile"]].rename(
        columns={"lsoa_code": "lsoa11_code", "rank": "rank_old", "decile": "decile_old"}
    )
    n = new[["lsoa_code", "rank", "decile"]].rename(
        columns={"lsoa_code": "lsoa21_code", "rank": "rank_new", "decile": "decile_new"}
    )
    m = u.drop(columns="change").merge(o, on="lsoa11_code").merge(n, on="lsoa21_code")
    m["decile_change"] = (m["decile_new"] - m["decile_old"]).astype(int)
    m["direction"] = np.select(
        [m["decile_change"] < 0, m["decile_change"] > 0],
        ["more deprived decile", "less deprived decile"],
        default="same decile",
    )
    return m.sort_values("lsoa21_code").reset_index(drop=True)


def valid_change(data: DeprivationData, place: str | None = None, index_id: str = "imd") -> tuple[pd.DataFrame, int]:
    """:func:`decile_movement` IoD2019 -> IoD2025 for the place's (or the whole ICS's) LSOAs, with names.

    Returns the movement table (with ``lsoa_name``, ``msoa_name``) and the number of the place's
    LSOAs (2021) in all, so the page can say how many were left out.
    """
    iod = data.iod[data.iod["index_id"] == index_id]
    geo = data.lsoa21
    if place is not None:
        geo = geo[geo["place_id"] == get_place(place).id]
    lookup = data.lsoa11_lsoa21
    lookup = lookup[lookup["lsoa21_code"].isin(geo["lsoa21_code"])]
    m = decile_movement(iod[iod["edition"] == "IoD2019"], iod[iod["edition"] == "IoD2025"], lookup)
    m = m.merge(geo[["lsoa21_code", "lsoa21_name", "msoa21_label"]], on="lsoa21_code", how="left").rename(
        columns={"lsoa21_name": "lsoa_name", "msoa21_label": "msoa_name"}
    )
    return m, len(geo)


def movement_summary(m: pd.DataFrame) -> pd.Series:
    """Counts from :func:`decile_movement`: compared LSOAs; more deprived / same / less deprived decile;
    in decile 1 in the old edition, in the new one, in both."""
    return pd.Series(
        {
            "lsoas_compared": len(m),
            "more_deprived_decile": int((m["decile_change"] < 0).sum()),
            "same_decile": int((m["decile_change"] == 0).sum()),
            "less_deprived_decile": int((m["decile_change"] > 0).sum()),
            "decile1_old": int((m["decile_old"] == 1).sum()),
            "decile1_new": int((m["decile_new"] == 1).sum()),
            "decile1_both": int(((m["decile_old"] == 1) & (m["decile_new"] == 1)).sum()),
        }
    )


def movement_distribution(m: pd.DataFrame) -> pd.DataFrame:
    """Number and % of compared LSOAs by change in national decile (every step from the lowest to the highest)."""
    lo, hi = (min(-1, int(m["decile_change"].min())), max(1, int(m["decile_change"].max()))) if len(m) else (-1, 1)
    counts = m["decile_change"].value_counts().reindex(range(lo, hi + 1), fill_value=0)
    out = counts.rename("lsoas").rename_axis("decile_change").reset_index()
    out["percent"] = 100 * out["lsoas"] / max(len(m), 1)
    out["label"] = [
        f"{c:+d} (more deprived)" if c < 0 else f"{c:+d} (less deprived)" if c > 0 else "0 (same decile)"
        for c in out["decile_change"]
    ]
    return out
