"""Load the locality tables once (the edge: the only module of this package that reads files).

A topic's loader composes :func:`load`, e.g. ``PopulationData.localities``; functions in
:mod:`.areas`, :mod:`.pcns` and :mod:`.targets` then take the tables from it.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

import geopandas as gpd
import pandas as pd

from llr_analysis.errors import ParameterError
from llr_analysis.paths import ProjectPaths
from llr_analysis.process import read_table
from llr_analysis.process.checks import GAP_COLUMNS

#: The processed table holding each area level's outlines, and its code column.
OUTLINES = {
    "district": ("geography/district_boundaries", "lad_code"),
    "ward": ("geography/ward_boundaries", "ward_code"),
    "msoa": ("geography/msoa21_boundaries", "msoa21_code"),
}

#: The processed tables :func:`load` reads.
LSOA_TABLE = "geography/lsoa21"
PRACTICES_TABLE = "cancer_screening/practices"


@dataclass(frozen=True)
class LocalitiesData:
    """The tables behind every locality: LSOAs 2021 with their localities and place, the GP
    practices (with PCN; None when not loaded), and the outlines of the area levels loaded
    (level id -> GeoDataFrame with the level's code column and ``geometry``)."""

    lsoa21: pd.DataFrame
    practices: pd.DataFrame | None = None
    boundaries: dict[str, gpd.GeoDataFrame] = field(default_factory=dict)

    def practice_table(self) -> pd.DataFrame:
        if self.practices is None:
            raise ParameterError("the GP practices table was not loaded (load(paths, practices=True))")
        return self.practices

    def boundary(self, level: str) -> tuple[gpd.GeoDataFrame, str]:
        """The outlines of ``level`` and their code column."""
        if level not in OUTLINES:
            raise ParameterError(f"no outlines for locality level {level!r}; expected one of {sorted(OUTLINES)}")
        if level not in self.boundaries:
            raise ParameterError(f"the {level} outlines were not loaded (load(paths, outline_levels=[{level!r}]))")
        return self.boundaries[level], OUTLINES[level][1]


def load(paths: ProjectPaths, *, practices: bool = True, outline_levels: Iterable[str] = ()) -> LocalitiesData:
    """Read the LSOA lookup, and (when asked) the GP practices and the outlines of ``outline_levels``."""
    levels = list(outline_levels)
    unknown = [lv for lv in levels if lv not in OUTLINES]
    if unknown:
        raise ParameterError(f"no outlines for locality level {unknown[0]!r}; expected one of {sorted(OUTLINES)}")
    return LocalitiesData(
        lsoa21=read_table(LSOA_TABLE, paths),
        practices=read_table(PRACTICES_TABLE, paths) if practices else None,
        boundaries={lv: read_table(OUTLINES[lv][0], paths) for lv in levels},
    )


def load_lsoa11(paths: ProjectPaths) -> pd.DataFrame:
    """The LSOA 2011 lookup (for sources still on LSOA 2011; see :func:`.areas.lsoas`)."""
    return read_table("geography/lsoa11", paths)


#: The processed tables of the known gaps (one per processing step; see :func:`load_known_gaps`).
KNOWN_GAPS_TABLES = "quality/known_gaps_*"


def load_known_gaps(paths: ProjectPaths) -> pd.DataFrame:
    """Every known gap processing recorded (``quality/known_gaps_<step>``, one row per table, area, column
    and series: ``table``, ``area_code``, ``column``, ``series``, ``rows``, ``reason``), in one frame; empty
    when none was recorded. A notebook that calls this declares :data:`KNOWN_GAPS_TABLES` in its inputs."""
    found = sorted(paths.processed.glob(f"{KNOWN_GAPS_TABLES}.parquet"))
    frames = [read_table(f"quality/{f.stem}", paths) for f in found]
    frames = [f for f in frames if len(f)]
    if not frames:
        return pd.DataFrame(columns=GAP_COLUMNS)
    gaps = pd.concat(frames, ignore_index=True)[GAP_COLUMNS]
    return gaps.astype({"rows": "int64"}).reset_index(drop=True)
