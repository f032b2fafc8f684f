"""A :class:`LifeExpectancyData` built from small frames, for tests of the pure life expectancy functions."""

from __future__ import annotations

import pandas as pd

from llr_analysis.analysis.life_expectancy.load import FINGERTIPS_COLUMNS, LifeExpectancyData
from llr_analysis.analysis.localities.load import LocalitiesData

#: Columns of life_expectancy/le_la that the Fingertips functions read (an extract with no rows).
LE_LA_COLUMNS = ["area_code", "area_name", "age", "series", "sex", "period", "period_start", "value"]


def small_data(**frames: pd.DataFrame) -> LifeExpectancyData:
    """The frames given; every other table empty (``le_la`` and ``fingertips_le`` with their columns)."""
    tables = {f: pd.DataFrame() for f in LifeExpectancyData.__dataclass_fields__ if f != "localities"}
    tables["fingertips_le"] = pd.DataFrame(columns=FINGERTIPS_COLUMNS)
    tables["le_la"] = pd.DataFrame(columns=LE_LA_COLUMNS)
    return LifeExpectancyData(**(tables | frames), localities=LocalitiesData(lsoa21=pd.DataFrame()))


def le_rows(*rows: tuple[str, str, str, str, float]) -> pd.DataFrame:
    """Rows of life_expectancy/le_la at birth for males: (area_code, area_name, series, period, value)."""
    return pd.DataFrame(
        [
            {"area_code": c, "area_name": n, "age": "birth", "series": s, "sex": "Male", "period": p}
            | {"period_start": int(p[:4]), "value": v}
            for c, n, s, p, v in rows
        ],
        columns=LE_LA_COLUMNS,
    )
