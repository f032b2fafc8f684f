"""Load the deprivation tables once (the edge: with :mod:`.headlines`, the only module of the topic
that reads files).

Edition ``IoD2025`` is on LSOA 2021, ``IoD2019`` on LSOA 2011 (see
:mod:`llr_analysis.process.deprivation`); both editions' tables are read, so one
:class:`DeprivationData` serves either.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import geopandas as gpd
import pandas as pd

from llr_analysis.analysis.localities import load as localities_load
from llr_analysis.analysis.localities.load import LocalitiesData
from llr_analysis.errors import ParameterError
from llr_analysis.paths import ProjectPaths
from llr_analysis.places import PlacesConfig, load_places
from llr_analysis.process import read_table

#: The outline levels the locality maps draw (the area levels of the page's tabs).
OUTLINE_LEVELS = ("district", "ward", "msoa")


@dataclass(frozen=True)
class DeprivationData:
    """The tables of the deprivation topic (both editions) and the places configuration.

    ``iod``: ``deprivation/iod_lsoa`` (every LSOA in England, each index); ``population``:
    ``deprivation/iod_population`` (the editions' population denominators); ``summaries``:
    ``deprivation/la_summaries`` (MHCLG summary measures of every English authority); ``lsoa11`` and
    ``lsoa11_lsoa21``: the LSOA 2011 lookup and the 2011 -> 2021 lookup; ``localities``: the shared
    locality tables (LSOA 2021 lookup, GP practices, outlines); ``lsoa_boundaries``: LSOA polygons by
    vintage (2021, 2011; empty when loaded without maps).
    """

    places: PlacesConfig
    iod: pd.DataFrame
    population: pd.DataFrame
    summaries: pd.DataFrame
    lsoa11: pd.DataFrame
    lsoa11_lsoa21: pd.DataFrame
    localities: LocalitiesData
    lsoa_boundaries: dict[int, gpd.GeoDataFrame] = field(default_factory=dict)

    @property
    def lsoa21(self) -> pd.DataFrame:
        return self.localities.lsoa21

    def lsoa_shapes(self, vintage: int) -> gpd.GeoDataFrame:
        """The LSOA polygons of ``vintage`` (2021 or 2011)."""
        if vintage not in self.lsoa_boundaries:
            raise ParameterError(f"the LSOA {vintage} boundaries were not loaded (load(paths, maps=True))")
        return self.lsoa_boundaries[vintage]


def load(paths: ProjectPaths, *, maps: bool = True) -> DeprivationData:
    """Read the topic's tables. ``maps=False`` leaves out the polygons and GP practices (the headlines
    need neither)."""
    return DeprivationData(
        places=load_places(),
        iod=read_table("deprivation/iod_lsoa", paths),
        population=read_table("deprivation/iod_population", paths),
        summaries=read_table("deprivation/la_summaries", paths),
        lsoa11=localities_load.load_lsoa11(paths),
        lsoa11_lsoa21=read_table("geography/lsoa11_lsoa21", paths),
        localities=localities_load.load(paths, practices=maps, outline_levels=OUTLINE_LEVELS if maps else ()),
        lsoa_boundaries=(
            {v: read_table(f"geography/lsoa{str(v)[2:]}_boundaries", paths) for v in (2021, 2011)} if maps else {}
        ),
    )
