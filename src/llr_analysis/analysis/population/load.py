"""Load the population tables once (the edge: the only module of this package that reads files).

:func:`load` reads every processed table the population page and the overview's population headlines
need into a :class:`PopulationData`; every other module of :mod:`llr_analysis.analysis.population` and
:mod:`llr_analysis.report.population` takes it (or DataFrames from it) and reads nothing.
"""

from __future__ import annotations

from dataclasses import dataclass

import geopandas as gpd
import pandas as pd

from llr_analysis.analysis.localities import load as localities_load
from llr_analysis.analysis.localities.load import LocalitiesData
from llr_analysis.paths import ProjectPaths
from llr_analysis.process import read_table


@dataclass(frozen=True)
class PopulationData:
    """The processed tables behind the population figures (see :mod:`llr_analysis.process.population`)."""

    #: population/lsoa11_age: year, lsoa11_code, lad_code, age (0..90, 90 = 90+), population (as published)
    lsoa11_age: pd.DataFrame
    #: population/lsoa21_age: the same mapped to LSOA 2021 (fractions of a person where an LSOA was split)
    lsoa21_age: pd.DataFrame
    #: population/england_age: England by single year of age
    england_age: pd.DataFrame
    #: population/lad_totals: district, place and England totals (mid-2019, mid-2020, Census 2021 with sex)
    lad_totals: pd.DataFrame
    #: population/lsoa11_lsoa21_weights: how each LSOA 2011 maps to 2021 (U/S/M) and the split weights
    weights: pd.DataFrame
    #: deprivation/iod_population: the IoD population denominators (mid-2022 for IoD2025: the site's totals)
    iod_population: pd.DataFrame
    #: geography/lsoa11: the LSOA 2011 lookup (names, district, place)
    lsoa11: pd.DataFrame
    #: geography/lsoa11_lsoa21: the LSOA 2011 -> 2021 lookup
    lsoa11_lsoa21: pd.DataFrame
    #: geography/lsoa11_boundaries: LSOA 2011 polygons (the older people map)
    lsoa11_boundaries: gpd.GeoDataFrame
    #: the shared locality tables: LSOAs 2021 with their localities, and the outlines of every area level
    localities: LocalitiesData


def load(paths: ProjectPaths) -> PopulationData:
    """Read the population tables, the LSOA lookups and outlines, and the IoD2025 denominators."""
    return PopulationData(
        lsoa11_age=read_table("population/lsoa11_age", paths),
        lsoa21_age=read_table("population/lsoa21_age", paths),
        england_age=read_table("population/england_age", paths),
        lad_totals=read_table("population/lad_totals", paths),
        weights=read_table("population/lsoa11_lsoa21_weights", paths),
        iod_population=read_table("deprivation/iod_population", paths),
        lsoa11=read_table("geography/lsoa11", paths),
        lsoa11_lsoa21=read_table("geography/lsoa11_lsoa21", paths),
        lsoa11_boundaries=read_table("geography/lsoa11_boundaries", paths),
        localities=localities_load.load(paths, practices=False, outline_levels=list(localities_load.OUTLINES)),
    )
