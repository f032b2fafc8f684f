"""The sections of the overview and of the place summaries: key messages, headline tables, downloads."""

from __future__ import annotations

from datetime import date

import pandas as pd

from llr_analysis.analysis.overview.key_messages import key_messages
from llr_analysis.analysis.overview.load import OverviewData
from llr_analysis.report.overview.key_messages import key_message_sentences, key_messages_html
from llr_analysis.report.overview.tables import (
    COMPARISON_NOTE,
    headline_table_html,
    headlines_download,
    missing_sentence,
    places_table_html,
)
from llr_analysis.report.page import Page
from llr_analysis.report.templating import render


def key_messages_section(page: Page, data: OverviewData, area_id: str | None = None, today: date | None = None) -> None:
    """The key messages of the overview (``area_id`` None) or of a place summary, written to the page
    before its headline table (the sentences are :func:`key_message_sentences`, of every area's headlines)."""
    sentences = key_message_sentences(key_messages(data, area_id), today)
    if sentences:
        page.html(key_messages_html(sentences))
    else:
        page.note("There are no figures to summarise on this site yet.")


def headline_sections(page: Page, data: OverviewData, headlines: pd.DataFrame) -> None:
    """The overview's one table of headline figures (places, the ICS and England side by side), the CSV
    of them all, and what is missing (``headlines``: the page's, from
    :func:`~llr_analysis.analysis.overview.selection.page_headlines`)."""
    if headlines.empty:
        page.note("No topic has headline figures in this build.")
    else:
        page.html(places_table_html(headlines, data.places))
    link, _ = page.write_csv(headlines_download(headlines, data.places), "headlines")
    page.html(render_download(link, "Download every headline figure with its confidence interval (CSV)"))
    if data.missing:
        page.markdown(missing_sentence(data.missing))
    page.note(COMPARISON_NOTE, title="How to read the comparisons", collapse=True)


def render_download(link: str, text: str) -> str:
    return render("download_line.html", href=link, text=text)


def place_headlines(page: Page, data: OverviewData, headlines: pd.DataFrame, place_id: str) -> None:
    """A place summary's Word version, its headline table (links one folder up), its CSV, and what is
    missing (``headlines``: the place's, from :func:`~llr_analysis.analysis.overview.selection.page_headlines`)."""
    place_name = data.places.places[place_id].name
    page.word_link(f"this summary of {place_name}")
    if headlines.empty:
        page.note(f"No topic has headline figures for {place_name} in this build.")
    else:
        page.html(headline_table_html(headlines, caption=f"Headline figures for {place_name}", link_prefix="../"))
        page.write_csv(headlines_download(headlines, data.places), "headlines")
    if data.missing:
        page.markdown(missing_sentence(data.missing))
