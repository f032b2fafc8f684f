"""Load the locality profile's tables once (the edge: the only module of this package that reads files).

:func:`load` reads every table a profile uses, and works out once what every profile shares (the GP
practices placed by the practice rule, the PCNs' IMD scores, the IoD2025 LSOA table, the profiled
localities). A build runs many profiles in one kernel: :func:`load` keeps the last
:class:`LocalityData` per kernel, keyed by the files' identity (path, size, modification time), so each
profile run only selects its rows.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TypeVar, cast

import pandas as pd

from llr_analysis.analysis.localities import load as localities_load
from llr_analysis.analysis.localities import pcns, targets
from llr_analysis.analysis.localities.load import LocalitiesData
from llr_analysis.paths import ProjectPaths
from llr_analysis.process import read_table, table_path
from llr_analysis.settings import cancer_screening as screening_config
from llr_analysis.topics import Topic, topic_pages

#: The IoD edition of the area profiles.
IOD_EDITION = "IoD2025"

#: The outline levels a profile draws (its locator map).
OUTLINE_LEVELS = ("district", "ward")
#: The processed tables :func:`load` reads besides the shared localities' (:data:`TABLES`: all of them).
OWN_TABLES = (
    "geography/lsoa11",
    "geography/lsoa11_lsoa21",
    "population/lsoa21_age",
    "population/england_age",
    "deprivation/iod_lsoa",
    "deprivation/iod_population",
    "life_expectancy/le_la",
    "life_expectancy/msoa11",
    "life_expectancy/areas_2009_13",
    "life_expectancy/gp_practice",
    "cancer_screening/practice_coverage",
)
#: Every processed table :func:`load` reads (the locality notebook's ``llr.inputs`` lists them).
TABLES = (
    localities_load.LSOA_TABLE,
    localities_load.PRACTICES_TABLE,
    *(localities_load.OUTLINES[lv][0] for lv in OUTLINE_LEVELS),
    *OWN_TABLES,
)


@dataclass(frozen=True, eq=False)
class LocalityData:
    """The tables of every locality profile.

    ``localities`` holds the LSOAs 2021, the GP practices and the ward and district outlines (the
    shared :class:`~llr_analysis.analysis.localities.load.LocalitiesData`); ``practices`` the GP
    practices placed by the practice rule; ``pcn_imd`` every PCN once with its place and IMD 2019
    score; ``targets`` every profiled locality; ``iod`` the IoD2025 LSOA scores and deciles of every
    index with their population denominators (one row per LSOA, England);
    ``screening_standards`` each screening programme's standard (``acceptable``, ``achievable``);
    ``topics`` the site's topic pages (a profile links its place's).
    """

    localities: LocalitiesData
    practices: pd.DataFrame
    pcn_imd: pd.DataFrame
    targets: pd.DataFrame
    lsoa11: pd.DataFrame
    lsoa11_lsoa21: pd.DataFrame
    population: pd.DataFrame
    england_population: pd.DataFrame
    iod: pd.DataFrame
    iod_population: pd.DataFrame
    le_districts: pd.DataFrame
    le_msoa11: pd.DataFrame
    le_areas: pd.DataFrame
    le_practices: pd.DataFrame
    coverage: pd.DataFrame
    screening_standards: dict[str, dict[str, Any]]
    topics: tuple[Topic, ...] = ()
    #: Figures every profile of a kernel shares (a place's, the ICS's, England's), worked out once
    #: per :class:`LocalityData` by :func:`shared` (the data are never changed, so neither are they).
    memo: dict[Hashable, Any] = field(default_factory=dict, repr=False)

    @property
    def lsoa21(self) -> pd.DataFrame:
        return self.localities.lsoa21


T = TypeVar("T")


def shared(data: LocalityData, key: Hashable, compute: Callable[[], T]) -> T:
    """``compute()`` once per ``data`` and ``key``: a comparator's figure (e.g. a place's population by
    age), the same for every locality of a build. The result must not be changed by the caller."""
    if key not in data.memo:
        data.memo[key] = compute()
    return cast(T, data.memo[key])


def iod_wide(iod_lsoa: pd.DataFrame, iod_population: pd.DataFrame, edition: str = IOD_EDITION) -> pd.DataFrame:
    """LSOA scores and deciles of every index (``<index>_score``, ``<index>_decile``) with the
    edition's population denominators, one row per LSOA (index ``lsoa_code``)."""
    iod = iod_lsoa[iod_lsoa["edition"] == edition]
    wide = iod.pivot_table(index="lsoa_code", columns="index_id", values=["score", "decile"], aggfunc="first")
    # values= a list: the columns are a MultiIndex (value, index_id), which the stubs cannot tell
    wide.columns = pd.Index([f"{idx}_{what}" for what, idx in cast(pd.MultiIndex, wide.columns)])
    pop = iod_population[iod_population["edition"] == edition].set_index("lsoa_code")
    return wide.join(pop[["population", "children_0_15", "older_60_plus"]], how="left")


def build(
    localities: LocalitiesData,
    tables: dict[str, pd.DataFrame],
    screening_standards: dict[str, dict[str, Any]],
    topics: tuple[Topic, ...] = (),
) -> LocalityData:
    """A :class:`LocalityData` from the shared localities and the other tables (by processed-table
    name, as in :data:`OWN_TABLES`): works out once what every profile shares. Pure (tests build one
    from small frames)."""
    placed = pcns.practice_places(localities.practice_table())
    return LocalityData(
        localities=localities,
        practices=placed,
        pcn_imd=pcns.pcn_imd_scores(localities.practice_table()),
        targets=targets.profile_targets(localities),
        lsoa11=tables["geography/lsoa11"],
        lsoa11_lsoa21=tables["geography/lsoa11_lsoa21"],
        population=tables["population/lsoa21_age"],
        england_population=tables["population/england_age"],
        iod=iod_wide(tables["deprivation/iod_lsoa"], tables["deprivation/iod_population"]),
        iod_population=tables["deprivation/iod_population"],
        le_districts=tables["life_expectancy/le_la"],
        le_msoa11=tables["life_expectancy/msoa11"],
        le_areas=tables["life_expectancy/areas_2009_13"],
        le_practices=tables["life_expectancy/gp_practice"],
        coverage=tables["cancer_screening/practice_coverage"],
        screening_standards=screening_standards,
        topics=topics,
    )


_LOADED: dict[tuple, LocalityData] = {}


def load(paths: ProjectPaths) -> LocalityData:
    """Every table of the locality profiles, read once per kernel (while the files are unchanged)."""
    files = [table_path(paths, t) for t in TABLES]
    key = tuple((str(f), f.stat().st_size, f.stat().st_mtime_ns) if f.exists() else (str(f),) for f in files)
    if key not in _LOADED:
        shared = localities_load.load(paths, practices=True, outline_levels=OUTLINE_LEVELS)
        tables = {t: read_table(t, paths) for t in OWN_TABLES}
        standards = {name: p["standard"] for name, p in screening_config()["programmes"].items()}
        _LOADED.clear()
        _LOADED[key] = build(shared, tables, standards, tuple(topic_pages(paths)))
    return _LOADED[key]


def profiles_key_figures(files: dict[str, Path]) -> pd.DataFrame:
    """The key figures of every profile already built: ``{profile page href: its key-figures.csv}`` ->
    one long table with ``href`` (for the localities index pages; a profile not built is left out)."""
    frames = [pd.read_csv(f).assign(href=href) for href, f in files.items() if f.exists()]
    return pd.concat(frames, ignore_index=True) if frames else pd.DataFrame()
