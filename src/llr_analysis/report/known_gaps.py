"""Known gaps in plain words: figures the open data does not give for an area (issue 24).

Processing records them (``quality/known_gaps_<step>``: table, area_code, column, series, rows, reason;
see :func:`llr_analysis.process.checks.complete` and :func:`~llr_analysis.process.checks.require_areas`)
instead of failing the build. :func:`gap_lines` words them, one line per area and figure, naming the area from
the places file; :func:`known_gaps_note` shows those of one place's topic page under its summary (one
sentence naming the figures, the lines folded away), and the Methods page lists them all (:mod:`llr_analysis.website.config_text`). Pure: the table comes from
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
    ("population/lsoa11_age", "population"): "mid-2020 population on the district's own boundary",
    ("population/lsoa21_age", "population"): "exact population of some of its small areas (LSOA 2021)",
    "life_expectancy/msoa11": "small-area (MSOA 2011) life expectancy for 2009-13",
    "cancer_screening/health_index": "ONS Health Index cancer screening composite",
    "cancer_screening": "screening coverage",
}

#: The Methods page's part listing every known gap (its heading's id).
METHODS_ANCHOR = "known-gaps"

#: The title of the note on a topic page.
NOTE_TITLE = "Missing figures"


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


def gap_lines(gaps: pd.DataFrame, cfg: PlacesConfig, topic: str | None = None, place: str | None = None) -> list[str]:
    """The recorded gaps in plain words, one line per area and figure, by area (in the places file's order).

    ``topic`` keeps the gaps of that topic's tables; ``place`` those of the place and its districts.
    Processing records gaps of the configured areas only (:func:`~llr_analysis.process.checks.complete`),
    so a code the places file does not name is from tables processed for another places file: left out.
    One figure an area lacks in several datasets (e.g. two extracts of one indicator) is one line giving
    each dataset's count and reason once.
    """
    return [_figure_line(names, item) for names, item in _figure_gaps(gaps, cfg, topic, place)]


def gap_summary(gaps: pd.DataFrame, cfg: PlacesConfig, place: str, topic: str | None = None) -> list[str]:
    """What ``place``'s topic page lacks, once per figure in the order of :func:`gap_lines`: the figure's words,
    followed by the areas concerned when they are not the place alone (``"... (for district A and district B)"``)."""
    p = cfg.places[place]
    figures: dict[str, list[str]] = {}
    for _, item in _figure_gaps(gaps, cfg, topic, place):
        areas = figures.setdefault(item.summary, [])
        name = p.name if item.code == p.code else p.districts.get(item.code, item.code)
        if name not in areas:
            areas.append(name)
    return [figure if areas == [p.name] else f"{figure} (for {_join(areas)})" for figure, areas in figures.items()]


class _FigureGap:
    """One figure one area lacks: its words (``summary`` without the list of columns), whether they are
    plural, each (rows, reason) of the gaps recorded for it and the datasets (series) they come from."""

    def __init__(self, code: str, figure: str, summary: str, plural: bool):
        self.code, self.figure, self.summary, self.plural = code, figure, summary, plural
        self.causes: list[tuple[int, str]] = []
        self.series: set[str] = set()

    def add(self, rows: int, reason: str, series: str) -> None:
        self.series.add(series)
        reason = reason.strip().rstrip(".")
        for i, (n, r) in enumerate(self.causes):
            if r == reason:  # the same reason in another dataset: said once, the values added up
                self.causes[i] = (n + rows, r)
                return
        self.causes.append((rows, reason))


def _figure_gaps(
    gaps: pd.DataFrame, cfg: PlacesConfig, topic: str | None, place: str | None
) -> list[tuple[dict[str, str], _FigureGap]]:
    """The gaps kept (see :func:`gap_lines`) as one :class:`_FigureGap` per area and figure, in order."""
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
    items: dict[tuple[str, str], _FigureGap] = {}

    def item(code: str, figure: str, summary: str, plural: bool) -> _FigureGap:
        return items.setdefault((code, figure), _FigureGap(code, figure, summary, plural))

    # several columns of a table in GROUPS lacking for one reason (bar a header) make one figure
    keys = ["area_code", "table", "series", "rows", g["reason"].map(_reason_pattern)]
    for key, group in g.groupby(keys, sort=False):
        code, table, rows = str(key[0]), str(key[1]), int(group["rows"].to_numpy()[0])
        group = _in_group_order(table, group)
        columns, reasons = [str(c) for c in group["column"]], [str(r) for r in group["reason"]]
        if table in GROUPS and len(columns) > 1:
            what, parts = GROUPS[table]
            figure = f"{what} ({_join([parts.get(c, c) for c in columns])})"
            item(code, figure, what, True).add(rows, _group_reason(reasons), str(key[2]))
        else:
            for c, r in zip(columns, reasons, strict=True):
                words = figure_words(table, c)
                item(code, words, words, False).add(rows, r, str(key[2]))
    return [(names, it) for it in items.values()]


def _values(rows: int, each: bool = False) -> str:
    return f"{rows:,} {'value' if rows == 1 else 'values'}{' each' if each else ''}"


def _figure_line(names: dict[str, str], item: _FigureGap) -> str:
    """One figure an area lacks, in words: how many values (when some rows are blank) and why, per dataset."""
    verb = "are" if item.plural else "is"
    head = f"{names[item.code]}: the {item.figure} {verb} missing"
    if len(item.causes) == 1:
        rows, reason = item.causes[0]
        count = f" ({_values(rows, item.plural)})" if rows > 0 else ""
        return f"{head}{count}, because {reason}."
    parts = [
        (f"{_values(rows, item.plural)}, because " if rows > 0 else "every value, because ") + reason
        for rows, reason in item.causes
    ]
    datasets = f" in {len(item.series)} datasets" if len(item.series) > 1 else ""
    return f"{head}{datasets}: " + "; ".join(parts) + "."


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


def _group_reason(reasons: list[str]) -> str:
    """The reason several columns of one table lack for an area, naming every header the reasons quote."""
    headers = [m.group(0) for r in reasons if (m := _QUOTED.search(r))]
    return _QUOTED.sub(_join(headers), reasons[0], count=1) if len(headers) == len(reasons) else reasons[0]


def known_gaps_note(page: Page, gaps: pd.DataFrame, place: str, topic: str | None = None) -> None:
    """Under the summary of a place's topic page: one sentence naming the figures of this topic the data
    lacks for the place or its districts, each once; the line per area and figure (which dataset, why)
    folded away beneath it; a link to every gap on the Methods page. Nothing when there is none."""
    cfg = load_places()
    topic = topic or page.topic
    figures = gap_summary(gaps, cfg, place, topic)
    if not figures:
        return
    body = render(
        "known_gaps_note.html",
        summary=(
            "Some figures on this page cannot be made for "
            f"{cfg.places[place].name} from the open data used: " + _join([f"the {f}" for f in figures]) + "."
        ),
        lines=gap_lines(gaps, cfg, topic, place),
        details_label="Which areas and datasets, and why",
        href=f"../methods.html#{METHODS_ANCHOR}",
        link_text="every known gap, by area (Methods)",
    )
    page.note_html(body, title=NOTE_TITLE)
