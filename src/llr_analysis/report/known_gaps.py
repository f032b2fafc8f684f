"""Known gaps in plain words: figures the open data does not give for an area (issue 24).

Processing records them (``quality/known_gaps_<step>``: table, area_code, column, series, rows, reason;
see :func:`llr_analysis.process.checks.complete` and :func:`~llr_analysis.process.checks.require_areas`)
instead of failing the build. :func:`gap_lines` words them, one line per gap, naming the area from the
places file; :func:`known_gaps_note` shows those of one place's topic page near its top, and the Methods
page lists them all (:mod:`llr_analysis.website.config_text`). Pure: the table comes from
:func:`llr_analysis.analysis.localities.load.load_known_gaps`.
"""

from __future__ import annotations

import re

import pandas as pd

from llr_analysis.places import PlacesConfig, load_places
from llr_analysis.report.page import Page
from llr_analysis.report.templating import render

#: What a recorded gap lacks, in words: by (table, column), else by table.
FIGURES: dict[tuple[str, str] | str, str] = {
    "life_expectancy/sii": "slope index of inequality in life expectancy",
    "life_expectancy/le_la": "life expectancy by local authority",
    "life_expectancy/hle": "healthy life expectancy",
    ("life_expectancy/areas_2009_13", "le"): "life expectancy for 2009-13 (ONS small-area release)",
    ("life_expectancy/areas_2009_13", "hle"): "healthy life expectancy for 2009-13 (ONS small-area release)",
    ("life_expectancy/areas_2009_13", "dfle"): "disability-free life expectancy for 2009-13 (ONS small-area release)",
    ("deprivation/iod_population", "population"): "IoD2025 total population of its small areas (the denominator)",
    ("deprivation/iod_population", "children_0_15"): "IoD2025 population aged 0 to 15 of its small areas",
    ("deprivation/iod_population", "older_60_plus"): "IoD2025 population aged 60 and over of its small areas",
    ("deprivation/iod_population", "working_age"): "IoD2025 working-age population of its small areas",
    ("population/lad_totals", "persons"): "Census 2021 total population",
    "cancer_screening": "screening coverage",
}

#: The Methods page's part listing every known gap (its heading's id).
METHODS_ANCHOR = "known-gaps"


def figure_words(table: str, column: str) -> str:
    """What the gap lacks, in words (the table and column when no words are given for them)."""
    for key in ((table, column), table, table.split("/")[0]):
        if key in FIGURES:
            return FIGURES[key]
    return f"'{column}' of {table}"


def area_names(cfg: PlacesConfig) -> dict[str, str]:
    """Area code -> name for the areas a gap can name: the places, their districts and England, in the
    places file's order (the order of :func:`gap_lines`)."""
    names: dict[str, str] = {}
    for p in cfg.places.values():
        names.setdefault(p.code, p.name)
        for code, name in p.districts.items():
            names.setdefault(code, name if name == p.name else f"{name} ({p.name})")
    names.setdefault(cfg.england_code, "England")
    return names


def place_area_codes(cfg: PlacesConfig, place: str) -> set[str]:
    """The codes whose gaps concern ``place``'s pages: the place and its districts."""
    p = cfg.places[place]
    return {p.code, *p.districts}


def gap_line(area: str, figure: str, rows: int, reason: str) -> str:
    """One gap in plain words: the area, what is missing (how many values, when some rows are blank) and why."""
    count = f" ({rows:,} {'value' if rows == 1 else 'values'})" if rows > 0 else ""
    return f"{area}: the {figure} is missing{count}, because {reason.strip().rstrip('.')}."


def gap_lines(gaps: pd.DataFrame, cfg: PlacesConfig, topic: str | None = None, place: str | None = None) -> list[str]:
    """The recorded gaps in plain words, one line each, by area (in the places file's order).

    ``topic`` keeps the gaps of that topic's tables; ``place`` those of the place and its districts.
    Processing records gaps of the configured areas only (:func:`~llr_analysis.process.checks.complete`),
    so a code the places file does not name is from tables processed for another places file: left out.
    """
    if gaps is None or gaps.empty:
        return []
    names = area_names(cfg)
    order = {code: i for i, code in enumerate(names)}
    g = gaps.copy()
    if topic is not None:
        g = g[g["table"].str.split("/").str[0] == topic]
    if place is not None:
        g = g[g["area_code"].isin(place_area_codes(cfg, place))]
    g = g[g["area_code"].isin(names)]
    g = g.assign(_order=g["area_code"].map(order)).sort_values(["_order", "table", "column", "series"], kind="stable")
    lines = []
    # one line per gap; several columns of a table in GROUPS lacking for one reason (bar a header) make one line
    keys = ["area_code", "table", "series", "rows", g["reason"].map(_reason_pattern)]
    for key, group in g.groupby(keys, sort=False):
        code, table, rows = str(key[0]), str(key[1]), int(group["rows"].to_numpy()[0])
        group = _in_group_order(table, group)
        columns, reasons = [str(c) for c in group["column"]], [str(r) for r in group["reason"]]
        if table in GROUPS and len(columns) > 1:
            lines.append(_group_line(names[code], table, columns, rows, reasons))
        else:
            lines += [
                gap_line(names[code], figure_words(table, c), rows, r) for c, r in zip(columns, reasons, strict=True)
            ]
    return lines


#: Figures recorded one column at a time that read better as one line per area: table -> (what they
#: are together, column -> its words in that list).
GROUPS: dict[str, tuple[str, dict[str, str]]] = {
    "deprivation/iod_population": (
        "IoD2025 population denominators of its small areas",
        {
            "population": "total",
            "children_0_15": "aged 0 to 15",
            "older_60_plus": "aged 60 and over",
            "working_age": "working age",
        },
    ),
}


def _in_group_order(table: str, group: pd.DataFrame) -> pd.DataFrame:
    """A table's gaps in the order of its words in :data:`GROUPS` (others after, as they come)."""
    words = list(GROUPS[table][1]) if table in GROUPS else []
    rank = group["column"].map(lambda v: words.index(v) if v in words else len(words))
    return group.assign(_rank=rank).sort_values("_rank", kind="stable").drop(columns="_rank")


_QUOTED = re.compile(r"'[^']*'")


def _reason_pattern(reason: str) -> str:
    """A reason with its quoted part (a column header) blanked: gaps whose reasons differ only there group."""
    return _QUOTED.sub("''", str(reason))


def _join(items: list[str]) -> str:
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + " and " + items[-1]


def _group_line(area: str, table: str, columns: list[str], rows: int, reasons: list[str]) -> str:
    """One line for several figures of one table an area lacks for the same reason (bar the header named)."""
    what, words = GROUPS[table]
    parts = _join([words.get(c, c) for c in columns])
    headers = [m.group(0) for r in reasons if (m := _QUOTED.search(r))]
    reason = _QUOTED.sub(_join(headers), reasons[0], count=1) if len(headers) == len(reasons) else reasons[0]
    count = f" ({rows:,} {'value' if rows == 1 else 'values'} each)" if rows > 0 else ""
    return f"{area}: the {what} ({parts}) are missing{count}, because {reason.strip().rstrip('.')}."


def known_gaps_note(page: Page, gaps: pd.DataFrame, place: str, topic: str | None = None) -> None:
    """Near the top of a place's topic page: the figures of this topic the data lacks for the place or
    its districts, in plain words, with a link to every gap on the Methods page; nothing when none."""
    cfg = load_places()
    lines = gap_lines(gaps, cfg, topic or page.topic, place)
    if not lines:
        return
    body = render(
        "known_gaps_note.html",
        intro=f"Some figures of this page cannot be made for {cfg.places[place].name} from the open data used:",
        lines=lines,
        href=f"../methods.html#{METHODS_ANCHOR}",
        link_text="Methods, known gaps by area",
    )
    page.note_html(body)
