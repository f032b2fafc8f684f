"""The site's colour language, written once: every chart and map takes its colours from here.

Roles, the same on every page (the Methods page says so in words):

* the locality in focus (a profile's ward, district or PCN): :data:`FOCUS`, a strong reddish purple;
* each place: its own fixed colour (:func:`place_colour`, in ``places.yml`` order), whichever page shows it;
* the integrated care system (the places together): :data:`ICS`, dark grey, a solid line;
* England: :data:`ENGLAND`, black, a dashed line (:data:`ENGLAND_DASH`);
* other localities drawn for context (locator maps): :data:`CONTEXT`, light grey;
* any other series (e.g. a place's districts): :data:`SERIES`, in the order the chart lists them.

Legends list the series in that order: focus, place(s), other series, ICS, England
(:func:`series_scale`). No colour scale follows the alphabet: every nominal scale built here has an
explicit domain and range. Comparison colours (better / similar / worse ...) stay
:data:`llr_analysis.stats.benchmark.COMPARISON_COLOURS`, always with words; deprivation deciles stay
:data:`llr_analysis.report.charts.DECILE_COLOURS`. All colours are from the Okabe-Ito and Paul Tol
colour-blind-safe palettes, chosen to stay apart from the comparison colours.
"""

from __future__ import annotations

import altair as alt

#: The locality in focus (Paul Tol "bright" purple): never a comparison colour.
FOCUS = "#AA3377"
#: The places, in places.yml order (Paul Tol "muted": green, indigo, olive, teal, cyan): none is a
#: comparison colour (the Okabe-Ito blue of "better" is not a place).
PLACE_PALETTE = ["#117733", "#332288", "#999933", "#44AA99", "#88CCEE"]
#: The integrated care system (all places together).
ICS = "#666666"
#: England.
ENGLAND = "#000000"
#: England's line style (dashes); places and localities are solid lines.
ENGLAND_DASH = [4, 3]
ICS_DASH = [1, 0]
SOLID = [1, 0]
#: Localities shown only for context (locator maps, "other" areas).
CONTEXT = "#e0e0e0"
#: Other series (e.g. districts), in the chart's order; none is a role or comparison colour.
SERIES = ["#E69F00", "#56B4E9", "#CC79A7", "#F0E442", "#882255", "#DDCC77", "#AA4499", "#999999"]


#: Plain names of the colours, for chart descriptions ("<place> is the green line").
COLOUR_NAMES = {
    FOCUS: "purple",
    "#117733": "green",
    "#332288": "indigo",
    "#999933": "olive",
    "#44AA99": "teal",
    "#88CCEE": "light blue",
    ICS: "dark grey",
    ENGLAND: "black",
}


def colour_name(colour: str) -> str:
    """The plain name of one of the site's colours (the hex code when it has none)."""
    return COLOUR_NAMES.get(colour, colour)


def place_colours() -> dict[str, str]:
    """Place name (from places.yml) -> its fixed colour."""
    from llr_analysis.places import load_places

    return dict(zip((p.name for p in load_places().places.values()), PLACE_PALETTE, strict=False))


def place_colour(place: str) -> str:
    """The fixed colour of a place, by its id or its name (places.yml)."""
    from llr_analysis.places import load_places

    for i, p in enumerate(load_places().places.values()):
        if place in (p.id, p.name):
            return PLACE_PALETTE[i % len(PLACE_PALETTE)]
    raise KeyError(f"{place!r} is not a place in places.yml")


def _ics_names() -> set[str]:
    from llr_analysis.places import load_places

    cfg = load_places()
    return {cfg.llr_short_name, cfg.llr_name}


def series_colours(names: list[str], focus: str | None = None) -> dict[str, str]:
    """Each series name -> its colour, in legend order (focus, places, others, ICS, England).

    ``focus`` names the locality in focus; places, the ICS and "England" are recognised by name
    (places.yml); the other series take :data:`SERIES` in order of their names, so that a district has
    the same colour on every chart that shows the same districts.
    """
    places = place_colours()
    ics = _ics_names()
    names = list(dict.fromkeys(names))
    ordered = (
        [n for n in names if n == focus]
        + [n for n in places if n in names and n != focus]
        + sorted(n for n in names if n != focus and n not in places and n not in ics and n != "England")
        + [n for n in names if n in ics]
        + [n for n in names if n == "England"]
    )
    out: dict[str, str] = {}
    others = 0
    for n in ordered:
        if n == focus:
            out[n] = FOCUS
        elif n in places:
            out[n] = places[n]
        elif n in ics:
            out[n] = ICS
        elif n == "England":
            out[n] = ENGLAND
        else:
            out[n] = SERIES[others % len(SERIES)]
            others += 1
    return out


def series_dashes(names: list[str], focus: str | None = None) -> dict[str, list[int]]:
    """Each series name -> its line style (England dashed, everything else solid), in legend order."""
    return {n: (ENGLAND_DASH if n == "England" else SOLID) for n in series_colours(names, focus)}


def series_scale(names: list[str], focus: str | None = None) -> alt.Scale:
    """A colour scale with an explicit domain (legend order) and range for ``names``."""
    colours = series_colours(names, focus)
    return alt.Scale(domain=list(colours), range=list(colours.values()))


def dash_scale(names: list[str], focus: str | None = None) -> alt.Scale:
    """A stroke-dash scale (England dashed) with the same domain and order as :func:`series_scale`."""
    dashes = series_dashes(names, focus)
    return alt.Scale(domain=list(dashes), range=list(dashes.values()))


def focus_colours(focus: str, other: str = "other") -> dict[str, str]:
    """A locator map's two categories: the locality in focus and the rest."""
    return {focus: FOCUS, other: CONTEXT}
