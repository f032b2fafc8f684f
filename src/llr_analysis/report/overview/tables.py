"""The overview's and the place summaries' tables of headline figures, and their downloads.

Rendered by ``templates/headline_table.html`` and ``templates/places_table.html`` (escaped).
"""

from __future__ import annotations

import pandas as pd

from llr_analysis.places import PlacesConfig
from llr_analysis.report.figures import comparison_cell_parts, format_value, period_parts
from llr_analysis.report.page import tidy_download
from llr_analysis.report.templating import render
from llr_analysis.report.words import is_older_data
from llr_analysis.stats.benchmark import COMPARISON_COLOURS, NOT_TESTED


def headline_table_html(df: pd.DataFrame, caption: str, link_prefix: str = "") -> str:
    """An accessible HTML table of headlines (``templates/headline_table.html``; links relative to the page)."""
    rows = []
    for _, r in df.iterrows():
        href = ""
        if isinstance(r.get("href"), str) and r["href"]:
            href = link_prefix + r["href"].replace(".ipynb", ".html").replace(".qmd", ".html")
        eng = (
            "–"
            if pd.isna(r.get("england_value"))
            else format_value(pd.Series({"value": r["england_value"], "unit": r.get("unit")}))
        )
        rows.append(
            {
                "topic": str(r["topic_title"]),
                "href": href,
                "indicator": str(r["indicator"]),
                "note": "" if pd.isna(r.get("note")) or not r.get("note") else str(r["note"]),
                "period": period_parts(r["period"]),
                "value": format_value(r),
                "england": eng,
                "comparison": comparison_cell_parts(
                    r.get("comparison"), r["value"], r.get("england_value"), r.get("unit") or ""
                ),
            }
        )
    return render("headline_table.html", caption=caption, rows=rows)


def headlines_download(df: pd.DataFrame, cfg: PlacesConfig) -> pd.DataFrame:
    """Headlines in the standard download layout, with GSS area codes (the ICS: its ICB code)."""
    codes = {cfg.ics_id: cfg.ics_code} | {p.id: p.code for p in cfg.places.values()}
    out = df.drop(columns=["topic_title"], errors="ignore").assign(area_code=df["area_id"].map(codes))
    return tidy_download(out)


COMPARISON_NOTE = (
    "Comparisons with England use 95% confidence intervals: *better* or *worse* means the interval "
    "lies wholly above or below England's value (allowing for which direction is good); "
    "colours are colour-blind safe and always come with the words. Figures without sampling error "
    "(shares of neighbourhoods, shares of population estimates, deprivation scores) are not tested: "
    "they are described in words, such as *twice England's 10%* (see the Methods page)."
)


def missing_sentence(missing: list[tuple[str, str]]) -> str:
    """The topics this build has no headlines for, with the reason ("" when none is missing)."""
    return ("**Not in this build:** " + "; ".join(f"{t}: {why}" for t, why in missing) + ".") if missing else ""


def _cell_value(row: pd.Series) -> str:
    """A figure for the places table: the value alone (its interval is on the topic page and in the CSV)."""
    return format_value(pd.Series({"value": row["value"], "unit": row.get("unit")}))


def places_table_html(headlines: pd.DataFrame, cfg: PlacesConfig, link_prefix: str = "") -> str:
    """One table of the headline figures with the places, the ICS and England as columns (a row per
    figure, grouped by topic): each value with its comparison with England in words, and its period
    where it differs from the row's. Rendered by ``templates/places_table.html`` (escaped)."""
    columns = [
        {"id": p.id, "name": p.name, "role": "place", "href": f"{link_prefix}summary/{p.id}.html"}
        for p in cfg.places.values()
    ]
    columns += [
        {"id": cfg.ics_id, "name": cfg.llr_short_name, "role": "ics", "href": ""},
        {"id": "england", "name": "England", "role": "england", "href": ""},
    ]
    groups = []
    for title, g in headlines.groupby("topic_title", sort=False):
        rows = []
        for indicator, r in g.groupby("indicator", sort=False):
            period = str(r["period"].astype(str).mode().iloc[0])
            cells = []
            for col in columns[:-1]:
                found = r[r["area_id"] == col["id"]]
                if found.empty:
                    cells.append(
                        {"area": col["name"], "value": "", "comparison": "", "colour": "", "period": "", "older": False}
                    )
                    continue
                x = found.iloc[0]
                given = x.get("comparison")
                comp = given if isinstance(given, str) and given and given != NOT_TESTED else ""
                cells.append(
                    {
                        "area": col["name"],
                        "value": _cell_value(x),
                        "comparison": comp,
                        "colour": COMPARISON_COLOURS.get(comp, "#C9C9C9"),
                        "period": "" if str(x["period"]) == period else str(x["period"]),
                        "older": is_older_data(x["period"]),
                    }
                )
            eng = r[(r["period"].astype(str) == period) & r["england_value"].notna()]
            cells.append(
                {
                    "area": "England",
                    "value": ""
                    if eng.empty
                    else _cell_value(pd.Series({"value": eng["england_value"].iloc[0], "unit": eng["unit"].iloc[0]})),
                    "comparison": "",
                    "colour": "",
                    "period": "",
                    "older": False,
                }
            )
            rows.append({"indicator": indicator, "period": period, "older": is_older_data(period), "cells": cells})
        groups.append({"title": title, "href": "", "rows": rows})
    caption = (
        f"Headline figures side by side: {', '.join(p.name for p in cfg.places.values())}, "
        f"{cfg.llr_short_name} (the places together) and England. Under each figure, how it compares "
        "with England (95% confidence intervals); figures without sampling error are not tested."
    )
    return render("places_table.html", caption=caption, columns=columns, groups=groups)
