"""The overview and place summary pages: headline tables and links to every topic page.

Numbers come from :mod:`llr_analysis.analysis.overview`; this module turns them into HTML (every
name escaped) and downloads.
"""

from __future__ import annotations

import html
import re
from datetime import date

import pandas as pd

from llr_analysis.analysis.overview import COMPARISON_TEXT
from llr_analysis.places import load_places
from llr_analysis.process import read_table
from llr_analysis.report.charts import choropleth_categories
from llr_analysis.report.page import Page, tidy_download
from llr_analysis.stats.benchmark import COMPARISON_COLOURS
from llr_analysis.topics import Topic


def format_value(row: pd.Series) -> str:
    v = row["value"]
    if pd.isna(v):
        return "–"
    unit = row.get("unit") or ""
    if unit == "people" or unit == "rank":
        text = f"{v:,.0f}"
    elif unit == "%":
        text = f"{v:.1f}%"
    else:
        text = f"{v:,.1f}" + (f" {unit}" if unit and unit not in ("score",) else "")
    if pd.notna(row.get("lower_95")) and pd.notna(row.get("upper_95")):
        text += f" ({row['lower_95']:.1f}–{row['upper_95']:.1f})"
    return text


def comparison_chip(comparison) -> str:
    """A comparison as text plus a colour swatch (colour is never the only carrier of meaning)."""
    comp = comparison if isinstance(comparison, str) and comparison else "not compared"
    colour = COMPARISON_COLOURS.get(comp, "#C9C9C9")
    return (
        f'<span class="cmp"><span class="cmp-swatch" style="background:{colour}" aria-hidden="true"></span>'
        f"{html.escape(COMPARISON_TEXT.get(comp, comp))}</span>"
    )


#: A figure whose period ended more than this many years before the build is marked as older data.
OLDER_AFTER_YEARS = 3


def period_end_year(period) -> int | None:
    """The last calendar year a period label covers: '2023-25' -> 2025, 'mid-2020' -> 2020,
    '31 December 2017' -> 2017, '2015 to 2018' -> 2018, 'IoD2025' -> 2025; None without a year."""
    text = str(period)
    years = [int(y) for y in re.findall(r"(?<!\d)(\d{4})(?!\d)", text)]
    years += [int(a[:2] + b) for a, b in re.findall(r"(?<!\d)(\d{4})-(\d{2})(?!\d)", text)]
    return max(years) if years else None


def is_older_data(period, today: date | None = None) -> bool:
    """True when the period ended more than :data:`OLDER_AFTER_YEARS` years before ``today``."""
    end = period_end_year(period)
    return end is not None and end < (today or date.today()).year - OLDER_AFTER_YEARS


def period_cell(period, today: date | None = None) -> str:
    """A period for a table cell, with a visible "older data" label (words, not colour) when it is old."""
    text = html.escape(str(period))
    if is_older_data(period, today):
        text += ' <span class="older-data">older data</span>'
    return text


def headline_table_html(df: pd.DataFrame, caption: str, link_prefix: str = "") -> str:
    """An accessible HTML table of headlines (names escaped; links relative to the page)."""
    rows = []
    for _, r in df.iterrows():
        topic = html.escape(str(r["topic_title"]))
        if isinstance(r.get("href"), str) and r["href"]:
            href = link_prefix + r["href"].replace(".ipynb", ".html").replace(".qmd", ".html")
            topic = f'<a href="{html.escape(href)}">{topic}</a>'
        eng = (
            "–"
            if pd.isna(r.get("england_value"))
            else format_value(pd.Series({"value": r["england_value"], "unit": r.get("unit")}))
        )
        note = (
            "" if pd.isna(r.get("note")) or not r.get("note") else f"<br><small>{html.escape(str(r['note']))}</small>"
        )
        rows.append(
            f"<tr><td>{topic}</td><td>{html.escape(str(r['indicator']))}{note}</td>"
            f"<td>{period_cell(r['period'])}</td><td>{html.escape(format_value(r))}</td>"
            f"<td>{html.escape(eng)}</td><td>{comparison_chip(r.get('comparison'))}</td></tr>"
        )
    head = (
        '<tr><th scope="col">Topic</th><th scope="col">Indicator</th><th scope="col">Period</th>'
        '<th scope="col">Value (95% CI)</th><th scope="col">England</th>'
        '<th scope="col">Compared with England</th></tr>'
    )
    return (
        f'<div class="table-wrap" tabindex="0" role="region" aria-label="{html.escape(caption)}">'
        f'<table class="data-table headlines"><caption>{html.escape(caption)}</caption>'
        f"<thead>{head}</thead><tbody>{''.join(rows)}</tbody></table></div>"
    )


def headlines_download(df: pd.DataFrame) -> pd.DataFrame:
    """Headlines in the standard download layout, with GSS area codes (LLR: the ICB code)."""
    cfg = load_places()
    codes = {"llr": cfg.llr_code} | {p.id: p.code for p in cfg.places.values()}
    out = df.drop(columns=["topic_title"], errors="ignore").assign(area_code=df["area_id"].map(codes))
    return tidy_download(out)


def topic_links_table(topics: list[Topic]) -> str:
    """A table of every topic page, by place (links relative to the site's root page)."""
    places = load_places().places.values()
    cells = []
    for t in topics:
        links = " · ".join(
            f'<a href="{html.escape(t.id)}/{html.escape(p.id)}.html">{html.escape(p.name)}</a>' for p in places
        )
        cells.append(f"<tr><th scope='row'>{html.escape(t.title)}</th><td>{links}</td></tr>")
    return (
        "<table class='data-table'><caption>Every topic page, by place</caption>"
        "<thead><tr><th scope='col'>Topic</th><th scope='col'>Places</th></tr></thead>"
        f"<tbody>{''.join(cells)}</tbody></table>"
    )


def topic_links_list(topics: list[Topic], place_id: str, place_name: str) -> str:
    """A list of a place's topic pages (links relative to a page one folder down)."""
    items = [
        f'<li><a href="../{html.escape(t.id)}/{html.escape(place_id)}.html">{html.escape(t.title)} in '
        f"{html.escape(place_name)}</a></li>"
        for t in topics
    ]
    return "<ul class='topic-links'>" + "".join(items) + "</ul>"


COMPARISON_NOTE = (
    "Comparisons with England use 95% confidence intervals: *better* or *worse* means the interval "
    "lies wholly above or below England's value (allowing for which direction is good); "
    "colours are colour-blind safe and always come with the words."
)


def missing_sentence(missing: list[tuple[str, str]]) -> str:
    """The topics this build has no headlines for, with the reason ("" when none is missing)."""
    return ("**Not in this build:** " + "; ".join(f"{t}: {why}" for t, why in missing) + ".") if missing else ""


def places_map(page: Page) -> None:
    """Map of LLR's nine districts coloured by place."""
    districts = read_table("geography/district_boundaries")
    page.chart(
        choropleth_categories(districts, "place_name", "lad_name", legend_title="Place"),
        "places-map",
        title="Leicester, Leicestershire and Rutland",
        description=(
            "Map of LLR's nine districts coloured by place: Leicester (a unitary authority), the seven "
            "districts of Leicestershire county, and Rutland (a unitary authority)."
        ),
        data=tidy_download(
            districts.drop(columns="geometry").rename(columns={"lad_code": "area_code", "lad_name": "area_name"}),
            indicator="District and place",
            source_id="lad24_boundaries",
        ),
    )


def headline_sections(page: Page, headlines: pd.DataFrame, missing: list[tuple[str, str]]) -> None:
    """The overview's headline tables: LLR, then each place; the CSV of them all; what is missing."""
    from llr_analysis.analysis.overview import areas

    if headlines.empty:
        page.note("No topic has headline figures in this build.")
    for area_id, area_name in areas():
        rows = headlines[headlines["area_id"] == area_id]
        if rows.empty:
            continue
        page.markdown(f"### {area_name}")
        page.html(headline_table_html(rows, caption=f"Headline figures for {area_name}"))
    page.write_csv(headlines_download(headlines), "headlines")
    if missing:
        page.markdown(missing_sentence(missing))
    page.markdown(COMPARISON_NOTE)


def place_headlines(page: Page, headlines: pd.DataFrame, missing: list[tuple[str, str]], place_name: str) -> None:
    """A place summary's headline table (links one folder up), its CSV, and what is missing."""
    if headlines.empty:
        page.note(f"No topic has headline figures for {place_name} in this build.")
    else:
        page.html(headline_table_html(headlines, caption=f"Headline figures for {place_name}", link_prefix="../"))
        page.write_csv(headlines_download(headlines), "headlines")
    if missing:
        page.markdown(missing_sentence(missing))
