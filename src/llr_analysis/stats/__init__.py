"""Public-health statistics following OHID (formerly PHE) methods.

One statistic per module, each mirroring a function in the UKHSA/OHID R package
PHEindicatormethods and tested against its published reference values:

* :mod:`.proportions` - :func:`wilson_ci` (Wilson score interval; ``phe_proportion``)
* :mod:`.rates` - :func:`byar_ci`, :func:`exact_poisson_ci` (crude rates; ``phe_rate``)
* :mod:`.life_expectancy` - :func:`life_expectancy`, :func:`life_expectancy_by_group`,
  :func:`abridged_life_table` (Chiang II / Silcocks; ``phe_life_expectancy``)
* :mod:`.benchmark` - :func:`compare_by_ci_overlap` and :data:`COMPARISON_COLOURS`
  (Fingertips "compared with benchmark")
* :mod:`.funnel` - :func:`proportion_funnel_limits`, :func:`funnel_position`
  (``calculate_funnel_limits`` / ``assign_funnel_significance``)
"""

from llr_analysis.stats.benchmark import COMPARISON_COLOURS, FINGERTIPS_RAG_COLOURS, compare_by_ci_overlap
from llr_analysis.stats.funnel import funnel_position, proportion_funnel_limits
from llr_analysis.stats.life_expectancy import (
    LifeExpectancyResult,
    abridged_life_table,
    life_expectancy,
    life_expectancy_by_group,
)
from llr_analysis.stats.proportions import wilson_ci
from llr_analysis.stats.rates import byar_ci, exact_poisson_ci

__all__ = [
    "COMPARISON_COLOURS",
    "FINGERTIPS_RAG_COLOURS",
    "LifeExpectancyResult",
    "abridged_life_table",
    "byar_ci",
    "compare_by_ci_overlap",
    "exact_poisson_ci",
    "funnel_position",
    "life_expectancy",
    "life_expectancy_by_group",
    "proportion_funnel_limits",
    "wilson_ci",
]
