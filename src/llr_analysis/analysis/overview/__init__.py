"""The overview and the place summaries: every topic's headline figures, and the key messages from them.

The modules: ``load`` (:class:`~llr_analysis.analysis.overview.load.OverviewData` and ``load(paths)``,
the edge that reads: it collects each topic's ``llr_analysis.analysis.<topic id>.headlines``),
``selection`` (the headlines of one page) and ``key_messages`` (the figures behind the sentences that
open the pages). This module holds the contract every topic's ``headlines`` module meets: the columns
of a headline table and the comparisons a headline may carry, with their words.
"""

from __future__ import annotations

from llr_analysis.stats.benchmark import NOT_TESTED

#: The columns of a topic's headline table (``llr_analysis.analysis.<topic id>.headlines.headlines``).
HEADLINE_COLUMNS = [
    "topic",
    "indicator",
    "area_id",
    "area_name",
    "period",
    "value",
    "lower_95",
    "upper_95",
    "unit",
    "england_value",
    "comparison",
    "note",
    "href",
]

#: The comparisons a headline may carry, with the words a table shows for each.
COMPARISON_TEXT = {
    "better": "Better than England",
    "similar": "Similar to England",
    "worse": "Worse than England",
    "higher": "Higher than England",
    "lower": "Lower than England",
    "not compared": "Not compared",
    NOT_TESTED: "Not tested (no sampling error)",
}
