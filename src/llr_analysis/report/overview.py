"""The overview and place summary pages: headline tables and links to every topic page.

Numbers come from :mod:`llr_analysis.analysis.overview`; this module turns them into HTML (every
name escaped) and downloads.
"""

from __future__ import annotations

import re
from datetime import date

import pandas as pd

from llr_analysis.analysis.overview import COMPARISON_TEXT
from llr_analysis.places import load_places
from llr_analysis.process import read_table
from llr_analysis.report.charts import choropleth_categories
from llr_analysis.report.page import Page, tidy_download
from llr_analysis.report.templating import render
from llr_analysis.report.words import is_older_data
from llr_analysis.stats.benchmark import COMPARISON_COLOURS, NOT_TESTED
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


def comparison_parts(comparison) -> dict:
    """A comparison as its words and colour swatch (colour is never the only carrier of meaning)."""
    comp = comparison if isinstance(comparison, str) and comparison else "not compared"
    return {"colour": COMPARISON_COLOURS.get(comp, "#C9C9C9"), "text": COMPARISON_TEXT.get(comp, comp), "note": ""}


def comparison_chip(comparison) -> str:
    """A comparison as text plus a colour swatch (``templates/comparison.html``)."""
    return render("comparison.html", c=comparison_parts(comparison))


def plain_versus(value, comparator, unit: str, who: str = "England") -> str:
    """A figure without sampling error against a comparator, in words and without a verdict:
    "twice England's 10.0%", "none (England 10.0%)", "2.0 points above England's 18.5%",
    "about the same as England's 21.4". "" when either value is missing or the figure is a count."""
    if pd.isna(value) or pd.isna(comparator) or unit in ("people", "rank"):
        return ""
    shown = format_value(pd.Series({"value": comparator, "unit": unit}))
    if value == 0:
        return f"none ({who} {shown})"
    if round(value, 1) == round(comparator, 1):
        return f"the same as {who}'s {shown}"
    if comparator > 0 and value / comparator >= 1.5:
        return f"{_times(value / comparator)} {who}'s {shown}"
    gap = abs(value - comparator)
    what = "points" if unit == "%" else ""
    return f"{gap:.1f} {what} {'above' if value > comparator else 'below'} {who}'s {shown}".replace("  ", " ")


def comparison_cell_parts(comparison, value=None, comparator=None, unit: str = "", who: str = "England") -> dict:
    """What :func:`comparison_cell` shows: the comparison, or for a figure without sampling error the
    plain words of :func:`plain_versus` with a grey swatch and "not tested"."""
    if comparison == NOT_TESTED:
        words = plain_versus(value, comparator, unit, who)
        if words:
            return {"colour": "#C9C9C9", "text": words[0].upper() + words[1:], "note": "not tested: no sampling error"}
        return {"colour": "#C9C9C9", "text": "Not tested: no sampling error", "note": ""}
    return comparison_parts(comparison)


def comparison_cell(comparison, value=None, comparator=None, unit: str = "", who: str = "England") -> str:
    """The comparison chip, or for a figure without sampling error the plain words of
    :func:`plain_versus` (with a grey swatch and "not tested")."""
    return render("comparison.html", c=comparison_cell_parts(comparison, value, comparator, unit, who))


def period_parts(period, today: date | None = None) -> dict:
    return {"text": str(period), "older": is_older_data(period, today)}


def period_cell(period, today: date | None = None) -> str:
    """A period for a table cell, with a visible "older data" label (words, not colour) when it is old."""
    return render("period.html", p=period_parts(period, today))


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


def headlines_download(df: pd.DataFrame) -> pd.DataFrame:
    """Headlines in the standard download layout, with GSS area codes (LLR: the ICB code)."""
    cfg = load_places()
    codes = {cfg.ics_id: cfg.ics_code} | {p.id: p.code for p in cfg.places.values()}
    out = df.drop(columns=["topic_title"], errors="ignore").assign(area_code=df["area_id"].map(codes))
    return tidy_download(out)


def topic_links_table(topics: list[Topic]) -> str:
    """A table of every topic page, by place (links relative to the site's root page)."""
    places = load_places().places.values()
    rows = [
        {"title": t.title, "links": [{"href": f"{t.id}/{p.id}.html", "text": p.name} for p in places]} for t in topics
    ]
    return render("topic_links_table.html", topics=rows)


def topic_links_list(topics: list[Topic], place_id: str, place_name: str) -> str:
    """A list of a place's topic pages (links relative to a page one folder down)."""
    from llr_analysis.places import get_locality_level, get_place

    items = [{"href": f"../{t.id}/{place_id}.html", "text": f"{t.title} in {place_name}", "after": ""} for t in topics]
    profiles = get_place(place_id).profiles
    if profiles:
        kinds = " and ".join((get_locality_level(lv).plural or lv).lower() for lv in profiles)
        items.append(
            {
                "href": f"../localities/{place_id}.html",
                "text": f"Localities of {place_name}",
                "after": f"a profile of each of its {kinds}",
            }
        )
    return render("topic_links_list.html", items=items)


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


def places_map(page: Page) -> None:
    """Map of LLR's nine districts coloured by place."""
    districts = read_table("geography/district_boundaries")
    cfg = load_places()
    kinds = [
        f"the {len(p.districts)} districts of {p.name} ({p.type.lower()})"
        if len(p.districts) > 1
        else f"{p.name} ({p.type.lower()})"
        for p in cfg.places.values()
    ]
    page.chart(
        choropleth_categories(districts, "place_name", "lad_name", legend_title="Place"),
        "places-map",
        title=cfg.llr_name,
        description=(
            f"Map of {cfg.llr_short_name}'s {len(districts)} districts coloured by place: "
            + ", ".join(kinds[:-1])
            + f" and {kinds[-1]}."
        ),
        data=tidy_download(
            districts.drop(columns="geometry").rename(columns={"lad_code": "area_code", "lad_name": "area_name"}),
            indicator="District and place",
            source_id="lad24_boundaries",
        ),
    )


def _cell_value(row: pd.Series) -> str:
    """A figure for the places table: the value alone (its interval is on the topic page and in the CSV)."""
    return format_value(pd.Series({"value": row["value"], "unit": row.get("unit")}))


def places_table_html(headlines: pd.DataFrame, link_prefix: str = "") -> str:
    """One table of the headline figures with the places, the ICS and England as columns (a row per
    figure, grouped by topic): each value with its comparison with England in words, and its period
    where it differs from the row's. Rendered by ``templates/places_table.html`` (escaped)."""
    cfg = load_places()
    columns = [
        {"id": p.id, "name": p.name, "role": "place", "href": f"{link_prefix}summary/{p.id}.html"}
        for p in cfg.places.values()
    ]
    columns += [
        {"id": "llr", "name": cfg.llr_short_name, "role": "ics", "href": ""},
        {"id": "england", "name": "England", "role": "england", "href": ""},
    ]
    groups = []
    for title, g in headlines.groupby("topic_title", sort=False):
        rows = []
        for indicator, r in g.groupby("indicator", sort=False):
            period = str(r["period"].astype(str).mode().iloc[0])
            cells = []
            for col in columns[:-1]:
                x = r[r["area_id"] == col["id"]]
                if x.empty:
                    cells.append(
                        {"area": col["name"], "value": "", "comparison": "", "colour": "", "period": "", "older": False}
                    )
                    continue
                x = x.iloc[0]
                comp = x.get("comparison")
                comp = comp if isinstance(comp, str) and comp and comp != NOT_TESTED else ""
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


def ways_in_html(topics: list[Topic]) -> str:
    """Links into the place summaries, the topic pages and the localities (from the site's root page)."""
    from llr_analysis.places import get_locality_level

    cfg = load_places()
    places = [
        {"href": f"summary/{p.id}.html", "text": f"{p.name}: every topic in one page"} for p in cfg.places.values()
    ]
    topic_links = [
        {"title": t.title, "links": [{"href": f"{t.id}/{p.id}.html", "text": p.name} for p in cfg.places.values()]}
        for t in topics
    ]
    localities = [
        {
            "href": f"localities/{p.id}.html",
            "text": f"Localities of {p.name}: "
            + " and ".join((get_locality_level(lv).plural or lv).lower() for lv in p.profiles),
        }
        for p in cfg.places.values()
        if p.profiles
    ]
    return render("ways_in.html", places=places, topics=topic_links, localities=localities)


def headline_sections(page: Page, headlines: pd.DataFrame, missing: list[tuple[str, str]]) -> None:
    """The overview's one table of headline figures (places, the ICS and England side by side), the CSV
    of them all, and what is missing."""
    if headlines.empty:
        page.note("No topic has headline figures in this build.")
    else:
        page.html(places_table_html(headlines))
    link, _ = page.write_csv(headlines_download(headlines), "headlines")
    page.html(render_download(link, "Download every headline figure with its confidence interval (CSV)"))
    if missing:
        page.markdown(missing_sentence(missing))
    page.note(COMPARISON_NOTE, title="How to read the comparisons", collapse=True)


def render_download(link: str, text: str) -> str:
    return render("download_line.html", href=link, text=text)


def place_headlines(page: Page, headlines: pd.DataFrame, missing: list[tuple[str, str]], place_name: str) -> None:
    """A place summary's Word version, its headline table (links one folder up), its CSV, and what is missing."""
    page.word_link(f"this summary of {place_name}")
    if headlines.empty:
        page.note(f"No topic has headline figures for {place_name} in this build.")
    else:
        page.html(headline_table_html(headlines, caption=f"Headline figures for {place_name}", link_prefix="../"))
        page.write_csv(headlines_download(headlines), "headlines")
    if missing:
        page.markdown(missing_sentence(missing))


# ------------------------------------------------------------------------------ key messages
# Three to five sentences that open the overview and each place summary, in words, from the numbers
# of :func:`llr_analysis.analysis.overview.key_messages`. Every figure comes with its period and its
# comparison; a period that ended more than three years ago says "older data" (:func:`is_older_data`).


def period_words(period, today: date | None = None) -> str:
    """A period in plain words, marked as older data when it is: 'IoD2025' -> 'Indices of Deprivation
    2025'; '31 December 2017' -> '31 December 2017, older data'."""
    text = str(period).strip()
    m = re.fullmatch(r"IoD(\d{4})", text)
    if m:
        text = f"English Indices of Deprivation {m.group(1)}"
    return text + (", older data" if is_older_data(period, today) else "")


def _pct(v: float) -> str:
    return f"{v:.1f}%"


def _times(ratio: float) -> str:
    r = round(ratio, 1)
    return {2.0: "twice", 3.0: "three times", 4.0: "four times"}.get(r, f"{r:.1f} times")


def _versus_ten(value: float) -> str:
    """A share of LSOAs against England's 10% (by definition of a decile)."""
    if round(value, 1) == 10.0:
        return "the same as England's 10%"
    if value / 10 >= 1.5:
        return f"{_times(value / 10)} England's 10%"
    return f"{'above' if value > 10 else 'below'} England's 10%"


def _years_versus(gap: float, england: float) -> str:
    g = round(gap, 1)
    if g == 0:
        return f"the same as England's {england:.1f}"
    return f"{abs(g):.1f} years {'above' if g > 0 else 'below'} England's {england:.1f}"


_JUDGED = {
    "better": "better than England",
    "worse": "worse than England",
    "similar": "similar to England",
    "higher": "higher than England",
    "lower": "lower than England",
}


def _judgement(comparisons: list[str], who: list[str] | None = None) -> str:
    """What the statistical comparison with England says, in words (``who``: whom each comparison is of,
    named when they differ)."""
    known = [c for c in comparisons if c in _JUDGED]
    if not known:
        return "not tested statistically against England"
    if len(set(known)) == 1 and len(known) == len(comparisons):
        return f"statistically {_JUDGED[known[0]]}"
    who = who or [f"group {i + 1}" for i in range(len(comparisons))]
    return "; ".join(
        f"statistically {_JUDGED[c]} for {w}" if c in _JUDGED else f"not tested against England for {w}"
        for c, w in zip(comparisons, who, strict=True)
    )


def _sex_word(sex: str) -> str:
    return {"males": "men", "females": "women"}.get(sex, sex)


def _life_expectancy_clause(rows: list[dict], today: date | None) -> str:
    """'77.5 years for men, 2.2 years below England's 79.7, and 81.7 years for women, ... (2023-25)'."""
    periods = {str(r["period"]) for r in rows}
    parts = [
        f"{r['value']:.1f} years for {_sex_word(r['sex'])}"
        + ("" if pd.isna(r["england_value"]) else f", {_years_versus(r['gap'], r['england_value'])}")
        + ("" if len(periods) == 1 else f" ({period_words(r['period'], today)})")
        for r in rows
    ]
    text = (", and " if any("," in p for p in parts) else " and ").join(parts)
    if len(periods) == 1:
        text += f" ({period_words(rows[0]['period'], today)})"
    return text


def _lacking_sentence(x: dict, period: str) -> str:
    """' Leicestershire is not compared: its latest figure is for 2016-18; in 2023-25 its 7 districts ranged
    from 80.1 (North West Leicestershire) to 81.6 years (Harborough) for men and ...'."""
    text = (
        f" {x['area_name']} is not in this comparison: it has no figure for {period}, its latest is for {x['period']}"
    )
    parts = [
        f"from {r['low']:.1f} ({r['low_names']}) to {r['high']:.1f} years ({r['high_names']}) for {_sex_word(sex)}"
        for sex, r in x["districts"].items()
        if r
    ]
    if parts:
        n = next(r["n"] for r in x["districts"].values() if r)
        text += f"; in {period} its {n} districts ranged " + " and ".join(parts)
    return text + "."


def _band_words(band: str, acceptable: float, achievable: float) -> str:
    if band == "achievable":
        return f"meeting the {achievable:g}% standard to aim for"
    if band == "acceptable":
        return f"meeting the {acceptable:g}% minimum standard"
    return f"below the {acceptable:g}% minimum standard"


def _screening_clause(r: dict, acceptable: float, achievable: float, where: str) -> str:
    """'59.9% of women aged 25 to 49 in Leicester were screened, below the 75% minimum standard and
    statistically worse than England (68.6%)'."""
    band = _band_words(r["band"], acceptable, achievable)
    text = f"{_pct(r['value'])} of {r['who']} {where} were screened, {band}"
    if pd.isna(r["england_value"]):
        return text
    judged = _judgement([r["comparison"]])
    good = r["band"] != "below"
    opposite = (good and r["comparison"] == "worse") or (not good and r["comparison"] == "better")
    return f"{text} {'but' if opposite else 'and'} {judged} ({_pct(r['england_value'])})"


def _screening_sentence(m: dict, today: date | None, overview: bool) -> str:
    rows = m["rows"]
    where = f"across {load_places().llr_short_name}" if overview else f"in {m['area_name']}"
    period = period_words(rows[0]["period"], today)
    parts = [_screening_clause(r, m["acceptable"], m["achievable"], where) for r in rows]
    text = f"{m['label']} ({period}): " + "; ".join(parts) + "."
    if m.get("below"):
        by_who: dict[str, list[str]] = {}
        for b in m["below"]:
            by_who.setdefault(b["who"], []).append(f"{b['area_name']} ({_pct(b['value'])})")
        text += (
            " Below the minimum standard: "
            + "; ".join(f"{who} in {' and '.join(names)}" for who, names in by_who.items())
            + "."
        )
    return text


def key_message_sentences(messages: list[dict], today: date | None = None) -> list[str]:
    """The sentences of :func:`llr_analysis.analysis.overview.key_messages`' figures (one or two per message)."""
    out = []
    for m in messages:
        kind = m["kind"]
        if kind == "deprivation":
            n = m.get("n_lsoas")
            share = (
                f"None of {m['area_name']}'s {'' if pd.isna(n) else f'{n:,.0f} '}neighbourhoods are"
                if m["value"] == 0
                else f"{_pct(m['value'])} of {m['area_name']}'s neighbourhoods are"
            )
            text = (
                f"{share} among the 10% most deprived in England ({period_words(m['period'], today)})"
                + ("" if m["value"] == 0 else f", {_versus_ten(m['value'])}")
                + (", where a tenth of all neighbourhoods are by definition" if m["value"] == 0 else "")
            )
            if m.get("llr") is not None:
                text += f"; across {load_places().llr_name} it is {_pct(m['llr']['value'])}"
            out.append(text + ".")
        elif kind == "deprivation_places":
            lead = m["lead"]
            others = ", ".join(
                f"{o['area_name']} {'none' if o['value'] == 0 else _pct(o['value'])}" for o in m["others"]
            )
            text = (
                f"{lead['area_name']} is the most deprived of the three places: {_pct(lead['value'])} of its "
                f"neighbourhoods are among the 10% most deprived in England "
                f"({period_words(lead['period'], today)}), {_versus_ten(lead['value'])}"
            )
            text += f" ({others}" if others else " ("
            if m.get("llr") is not None:
                text += f"{'; ' if others else ''}{load_places().llr_short_name} as a whole {_pct(m['llr']['value'])}"
            out.append(text + ").")
        elif kind == "life_expectancy":
            rows = m["rows"]
            out.append(
                f"Life expectancy at birth in {m['area_name']} is {_life_expectancy_clause(rows, today)}: "
                f"{_judgement([r['comparison'] for r in rows], [_sex_word(r['sex']) for r in rows])}."
            )
        elif kind == "life_expectancy_places":
            low, high = m["low"], m["high"]
            out.append(
                f"Life expectancy at birth is lowest in {low['area_name']}: "
                f"{_life_expectancy_clause(low['rows'], today)}, {_judgement([r['comparison'] for r in low['rows']], [_sex_word(r['sex']) for r in low['rows']])}. "
                f"It is highest in {high['area_name']}: {_life_expectancy_clause(high['rows'], today)}, "
                f"{_judgement([r['comparison'] for r in high['rows']], [_sex_word(r['sex']) for r in high['rows']])}."
                + "".join(_lacking_sentence(x, m["period"]) for x in m.get("lacking", []))
            )
        elif kind == "screening":
            out.append(_screening_sentence(m, today, overview=m["area_name"] == load_places().llr_short_name))
        elif kind == "population":
            text = f"{m['area_name']} had {m['value']:,.0f} residents ({period_words(m['period'], today)})"
            if pd.notna(m.get("share_65")) and pd.notna(m.get("england_share_65")):
                same = str(m.get("period_65")) == str(m["period"]) or pd.isna(m.get("period_65"))
                text += (
                    f", {_pct(m['share_65'])} of them aged 65 and over against {_pct(m['england_share_65'])} in England"
                    if same
                    else f"; {_pct(m['share_65'])} of its people were aged 65 and over, against "
                    f"{_pct(m['england_share_65'])} in England ({period_words(m['period_65'], today)}, the latest "
                    "estimates by single year of age here)"
                )
            out.append(text + ".")
    return out


def key_messages_html(sentences: list[str]) -> str:
    """The key messages as a list (``templates/key_messages.html``)."""
    return render("key_messages.html", sentences=sentences)


def key_messages(
    page: Page,
    area_id: str | None = None,
    headlines: pd.DataFrame | None = None,
    paths=None,
    today: date | None = None,
) -> None:
    """The key messages of the overview (``area_id`` None) or of a place summary, written to the page
    before its headline table (the sentences are :func:`key_message_sentences`). ``headlines``: every area's, as
    :func:`llr_analysis.analysis.overview.page_headlines` gives them without an area (collected when
    not given)."""
    from llr_analysis.analysis import overview

    if headlines is None:
        headlines, _ = overview.collect_headlines(paths)
    sentences = key_message_sentences(overview.key_messages(headlines, area_id, paths), today)
    if sentences:
        page.html(key_messages_html(sentences))
    else:
        page.note("There are no figures to summarise on this site yet.")
