"""The headlines one page shows: of some topics, of one area or every area, with each topic's title."""

from __future__ import annotations

import pandas as pd

from llr_analysis.analysis.overview.load import OverviewData


def page_headlines(data: OverviewData, topics: str = "all", area_id: str | None = None) -> pd.DataFrame:
    """Headlines for a page: of the topics named (``"all"`` or a comma-separated list of topic ids), of
    one area (``area_id``) or all, with each topic's title (``topic_title``)."""
    headlines = data.headlines
    if topics != "all":
        wanted = {t.strip() for t in topics.split(",")}
        headlines = headlines[headlines["topic"].isin(wanted)]
    if area_id is not None:
        headlines = headlines[headlines["area_id"] == area_id]
    headlines = headlines.copy()
    titles = {t.id: t.title for t in data.topics}
    headlines["topic_title"] = headlines["topic"].map(titles).fillna(headlines["topic"])
    return headlines
