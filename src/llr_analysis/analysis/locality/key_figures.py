"""Every key figure of a locality (rows of :data:`~llr_analysis.analysis.locality.figure.FIGURE_COLUMNS`)."""

from __future__ import annotations

import pandas as pd

from llr_analysis.analysis.locality.deprivation import deprivation_figures
from llr_analysis.analysis.locality.figure import FIGURE_COLUMNS
from llr_analysis.analysis.locality.life_expectancy import life_expectancy_figures
from llr_analysis.analysis.locality.load import LocalityData
from llr_analysis.analysis.locality.localities import Locality
from llr_analysis.analysis.locality.population import population_figures
from llr_analysis.analysis.locality.screening import screening_figures


def key_figures(data: LocalityData, loc: Locality) -> pd.DataFrame:
    """Every key figure of the locality: population, deprivation, life expectancy, cancer screening."""
    rows = population_figures(data, loc) + deprivation_figures(data, loc)
    rows += (
        life_expectancy_figures(data, loc)[0] + screening_figures(data, loc)[0]
    )  # new lists: the shared rows stay as they are
    return pd.DataFrame(rows, columns=FIGURE_COLUMNS)
