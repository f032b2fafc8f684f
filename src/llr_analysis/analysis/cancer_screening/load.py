"""The cancer screening loader: every table the topic uses, read once (the only module of the topic
that reads files). The notebook does ``data = load(project_paths())`` and passes ``data`` on."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property

import pandas as pd

from llr_analysis.analysis.localities import load as localities_load
from llr_analysis.analysis.localities.load import LocalitiesData
from llr_analysis.analysis.localities.pcns import pcns as pcn_membership
from llr_analysis.analysis.localities.pcns import unplaced_practices
from llr_analysis.paths import ProjectPaths
from llr_analysis.process import read_table


@dataclass(frozen=True)
class CancerScreeningData:
    """The processed screening tables (:mod:`llr_analysis.process.cancer_screening`) and the localities.

    ``practice_coverage``: counts by GP practice, programme, age group and period (every practice in
    England; the ICS's practices with their place); ``area_coverage``: Fingertips values for local
    authorities, NHS areas and England; ``health_index``: the ONS Health Index screening composite by
    upper-tier authority and year; ``localities``: the shared locality tables, with the GP practices
    (PCN, status, deprivation).
    """

    practice_coverage: pd.DataFrame
    area_coverage: pd.DataFrame
    health_index: pd.DataFrame
    localities: LocalitiesData

    @property
    def practices(self) -> pd.DataFrame:
        """The ICS's GP practices (``cancer_screening/practices``): PCN, status, deprivation."""
        return self.localities.practice_table()

    @cached_property
    def pcns(self) -> pd.DataFrame:
        """The PCN membership every page uses (:func:`llr_analysis.analysis.localities.pcns.pcns`)."""
        return pcn_membership(self.practices)

    @cached_property
    def unplaced(self) -> pd.DataFrame:
        """Open practices of the ICS that the practice rule cannot place."""
        return unplaced_practices(self.practices)


def load(paths: ProjectPaths) -> CancerScreeningData:
    """Read the topic's tables from the processed data of ``paths``."""
    return CancerScreeningData(
        practice_coverage=read_table("cancer_screening/practice_coverage", paths),
        area_coverage=read_table("cancer_screening/area_coverage", paths),
        health_index=read_table("cancer_screening/health_index", paths),
        localities=localities_load.load(paths),
    )
