"""Load the life expectancy tables once (the edge: the only module of the topic that reads files).

:func:`load` reads every processed table the life expectancy pages and headlines use into a
:class:`LifeExpectancyData`; the functions of :mod:`.places`, :mod:`.small_areas`, :mod:`.localities`,
:mod:`.fingertips`, :mod:`.periods` and :mod:`.headlines` take their tables from it. The notebook's
metadata ``llr.inputs`` lists exactly :data:`TABLES` (plus the locality tables of
:func:`llr_analysis.analysis.localities.load.load`).
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from llr_analysis.analysis.localities import load as localities_load
from llr_analysis.analysis.localities.load import LocalitiesData
from llr_analysis.errors import LLRError
from llr_analysis.paths import ProjectPaths
from llr_analysis.process import read_table

#: The OHID Fingertips API table (life expectancy at birth with 95% CIs, indicator 90366): made by a
#: processing step added after some projects were processed, and empty when nothing was fetched.
FINGERTIPS_TABLE = "life_expectancy/fingertips_le"
#: Its columns when the table is absent (an empty frame: the page keeps its other sources).
FINGERTIPS_COLUMNS = ["indicator_id", "area_code", "area_level", "sex", "period", "period_sort", "value"]

#: The processed tables :func:`load` reads (field of :class:`LifeExpectancyData` -> table).
TABLES = {
    "le_la": "life_expectancy/le_la",
    "hle": "life_expectancy/hle",
    "sii": "life_expectancy/sii",
    "msoa11": "life_expectancy/msoa11",
    "areas_2009_13": "life_expectancy/areas_2009_13",
    "msoa11_boundaries": "life_expectancy/msoa11_boundaries",
    "gp_practice": "life_expectancy/gp_practice",
    "iod_lsoa": "deprivation/iod_lsoa",
    "iod_population": "deprivation/iod_population",
    "lsoa11": "geography/lsoa11",
    "lsoa11_lsoa21": "geography/lsoa11_lsoa21",
    "population_lsoa21": "population/lsoa21_age",
}


@dataclass(frozen=True)
class LifeExpectancyData:
    """The tables behind the life expectancy pages.

    ``le_la``: local-authority life expectancy (ONS 2019 edition and the Fingertips 90366 extract);
    ``hle``: healthy life expectancy; ``sii``: slope index of inequality; ``msoa11`` and
    ``areas_2009_13``: ONS's 2009-13 small-area figures and their place/England comparators;
    ``msoa11_boundaries``: the MSOA (2011) outlines; ``gp_practice``: GP-practice life expectancy
    (Fingertips 650; empty when the file is the other dataset); ``fingertips_le``: the Fingertips API
    table (empty when not fetched); ``iod_lsoa``, ``iod_population``, ``lsoa11``: IMD 2019 by LSOA
    2011, its populations and the LSOA -> MSOA 2011 lookup; ``lsoa11_lsoa21`` and
    ``population_lsoa21``: the LSOA 2011 -> 2021 lookup and residents by LSOA 2021 (wards to MSOAs);
    ``localities``: the shared locality tables (with the ward outlines).
    """

    le_la: pd.DataFrame
    hle: pd.DataFrame
    sii: pd.DataFrame
    msoa11: pd.DataFrame
    areas_2009_13: pd.DataFrame
    msoa11_boundaries: pd.DataFrame
    gp_practice: pd.DataFrame
    fingertips_le: pd.DataFrame
    iod_lsoa: pd.DataFrame
    iod_population: pd.DataFrame
    lsoa11: pd.DataFrame
    lsoa11_lsoa21: pd.DataFrame
    population_lsoa21: pd.DataFrame
    localities: LocalitiesData


def load_fingertips(paths: ProjectPaths) -> pd.DataFrame:
    """The processed 90366 table, or an empty frame when it was not made."""
    try:
        return read_table(FINGERTIPS_TABLE, paths)
    except LLRError:  # the table is made by a step added after some projects were processed
        return pd.DataFrame(columns=FINGERTIPS_COLUMNS)


def load(paths: ProjectPaths) -> LifeExpectancyData:
    """Read every table of :data:`TABLES`, the Fingertips API table and the locality tables, once."""
    tables = {field: read_table(table, paths) for field, table in TABLES.items()}
    return LifeExpectancyData(
        **tables,
        fingertips_le=load_fingertips(paths),
        localities=localities_load.load(paths, outline_levels=["ward"]),
    )
