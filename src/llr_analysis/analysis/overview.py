"""The overview page: headline figures of every topic that has data, for each place and LLR.

Each topic module may expose ``headlines(paths=None) -> DataFrame`` with the columns in
:data:`HEADLINE_COLUMNS`. A topic without data in this build is listed as missing with the
reason, never silently left out and never filled with made-up numbers.
"""

from __future__ import annotations

import html
import importlib

import pandas as pd

from .errors import LLRError
from .places import load_places
from .stats.benchmark import COMPARISON_COLOURS

TOPICS = [  # (module, topic title, notebook stem)
    ("population", "Population", "population"),
    ("deprivation", "Deprivation", "deprivation"),
    ("life_expectancy", "Life expectancy", "life_expectancy"),
    ("screening", "Cancer screening", "cancer_screening"),
]

HEADLINE_COLUMNS = ["topic", "indicator", "area_id", "area_name", "period", "value", "lower_95", "upper_95",
                    "unit", "england_value", "comparison", "note", "href"]

COMPARISON_TEXT = {"better": "Better than England", "similar": "Similar to England", "worse": "Worse than England",
                   "higher": "Higher than England", "lower": "Lower than England",
                   "not compared": "Not compared"}


def collect_headlines(paths=None) -> tuple[pd.DataFrame, list[tuple[str, str]]]:
    """All topics' headlines, and (topic title, reason) for each topic that has none in this build."""
    frames, missing = [], []
    for module, title, _stem in TOPICS:
        try:
            mod = importlib.import_module(f"llr_analysis.{module}")
        except ModuleNotFoundError:
            missing.append((title, "this topic is not part of the build yet"))
            continue
        if not hasattr(mod, "headlines"):
            missing.append((title, "this topic does not publish headline figures yet"))
            continue
        try:
            df = mod.headlines(paths)
        except LLRError as exc:
            missing.append((title, f"no data in this build ({exc})"))
            continue
        if df is None or df.empty:
            missing.append((title, "no data in this build"))
            continue
        frames.append(df.reindex(columns=HEADLINE_COLUMNS))
    out = pd.concat(frames, ignore_index=True) if frames else pd.DataFrame(columns=HEADLINE_COLUMNS)
    return out, missing


def format_value(row: pd.Series) -> str:
    v = row["value"]
    if pd.isna(v):
        return "–"
    unit = row.get("unit") or ""
    if unit == "people":
        text = f"{v:,.0f}"
    elif unit == "rank":
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
    return (f'<span class="cmp"><span class="cmp-swatch" style="background:{colour}" aria-hidden="true"></span>'
            f'{html.escape(COMPARISON_TEXT.get(comp, comp))}</span>')


def headline_table_html(df: pd.DataFrame, caption: str, link_prefix: str = "") -> str:
    """An accessible HTML table of headlines (names escaped; links relative to the page)."""
    rows = []
    for _, r in df.iterrows():
        topic = html.escape(str(r["topic_title"]))
        if isinstance(r.get("href"), str) and r["href"]:
            href = link_prefix + r["href"].replace(".ipynb", ".html").replace(".qmd", ".html")
            topic = f'<a href="{html.escape(href)}">{topic}</a>'
        eng = "–" if pd.isna(r.get("england_value")) else format_value(
            pd.Series({"value": r["england_value"], "unit": r.get("unit")}))
        note = "" if pd.isna(r.get("note")) or not r.get("note") else f'<br><small>{html.escape(str(r["note"]))}</small>'
        rows.append(f"<tr><td>{topic}</td><td>{html.escape(str(r['indicator']))}{note}</td>"
                    f"<td>{html.escape(str(r['period']))}</td><td>{html.escape(format_value(r))}</td>"
                    f"<td>{html.escape(eng)}</td><td>{comparison_chip(r.get('comparison'))}</td></tr>")
    head = ("<tr><th scope=\"col\">Topic</th><th scope=\"col\">Indicator</th><th scope=\"col\">Period</th>"
            "<th scope=\"col\">Value (95% CI)</th><th scope=\"col\">England</th>"
            "<th scope=\"col\">Compared with England</th></tr>")
    return (f'<div class="table-wrap" tabindex="0" role="region" aria-label="{html.escape(caption)}">'
            f'<table class="data-table headlines"><caption>{html.escape(caption)}</caption>'
            f"<thead>{head}</thead><tbody>{''.join(rows)}</tbody></table></div>")


def areas() -> list[tuple[str, str]]:
    cfg = load_places()
    return [("llr", cfg.llr_name)] + [(p.id, p.name) for p in cfg.places.values()]


def topic_titles() -> dict[str, str]:
    return {m: t for m, t, _ in TOPICS} | {stem: t for _, t, stem in TOPICS}


def headlines_download(df: pd.DataFrame) -> pd.DataFrame:
    """Headlines in the standard download layout, with GSS area codes (LLR: the ICB code)."""
    from .page import tidy_download
    cfg = load_places()
    codes = {"llr": cfg.llr_code} | {p.id: p.code for p in cfg.places.values()}
    out = df.drop(columns=["topic_title"], errors="ignore").assign(area_code=df["area_id"].map(codes))
    return tidy_download(out)
