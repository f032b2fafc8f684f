"""Sentences of the hand-written pages that depend on the configured ICS (issue 24).

``pages/*.qmd`` name no place, code or count: they write ``{ics_name}``, ``{ics_short_name}`` and a few
``{...}`` blocks that :func:`fill` replaces at staging time from the places file (and, for the practice
rule, :func:`llr_analysis.report.cancer_screening.text.place_rule_text`).
"""

from __future__ import annotations

import re

import pandas as pd

from llr_analysis.paths import ProjectPaths
from llr_analysis.places import PART_OF_AUTHORITY_FIGURES, count_words, load_places, part_of_authority_text


def _join(items: list[str]) -> str:
    items = [i for i in items if i]
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + " and " + items[-1] if items else ""


def places_sentence() -> str:
    cfg = load_places()
    parts = []
    for p in cfg.places.values():
        own = list(p.districts) == [p.code]
        districts = "" if own else ": " + ", ".join(p.districts.values())
        parts.append(f"{p.name} ({p.type.lower()}, {p.code}{districts})")
    text = f"The {count_words(len(cfg.places), 'place')} of {cfg.ics_name} are {_join(parts)}."
    caveats = [c for c in (part_of_authority_text(cfg, pid, figures=False) for pid in cfg.places) if c]
    if caveats:  # places that are only part of an authority: which, and (once) what their figures cover
        text += " " + " ".join(caveats) + " " + PART_OF_AUTHORITY_FIGURES
    return text


def localities_sentence() -> str:
    cfg = load_places()
    by: dict[tuple, list[str]] = {}
    for p in cfg.places.values():
        by.setdefault(p.localities, []).append(p.name)
    parts = [
        f"{_join(names)} by {_join([cfg.locality_levels[lv].plural.lower() or lv for lv in levels])}"
        for levels, names in by.items()
    ]
    return "; ".join(parts) + "."


def profiles_sentence() -> str:
    cfg = load_places()
    parts = []
    for p in cfg.places.values():
        levels = [cfg.locality_levels[lv].label.lower() for lv in p.profiles]
        if levels:
            parts.append(f"every {_join(levels)} of {p.name}")
    return _join(parts) if parts else "no locality"


def counts_sentence() -> str:
    cfg = load_places()
    e = cfg.expected
    n21, n11, nd = e.get("lsoa21_in_ics"), e.get("lsoa11_in_ics"), e.get("districts_in_ics")
    if n21 is None or nd is None:
        return f"{cfg.ics_short_name} is built from its LSOAs (2021)."
    text = f"{cfg.ics_short_name} has {n21:,} LSOAs (2021) in {nd} districts."
    if n11 is not None:
        text += f" Sources still on 2011 geography (IoD2019) use its {n11:,} LSOAs (2011),"
    else:
        text += " Sources still on 2011 geography (IoD2019) use its LSOAs (2011),"
    return text


def practice_rule() -> str:
    from llr_analysis.report.cancer_screening.text import place_rule_text

    return place_rule_text().replace("**The practice place rule.** ", "")


def known_gaps_text(gaps: pd.DataFrame) -> str:
    """The Methods page's list of every known gap of the build (``quality/known_gaps_<step>``), one line per
    gap naming the area, what is missing and why; one sentence when processing recorded none."""
    from llr_analysis.report.known_gaps import gap_lines

    cfg = load_places()
    lines = gap_lines(gaps, cfg)
    if not lines:
        return f"Processing recorded no known gaps: no figure checked for completeness is missing for any area of {cfg.ics_name}."
    intro = (
        f"Processing recorded these known gaps for the areas of {cfg.ics_name}: figures that the "
        "open data used here does not give for an area. The build goes on without them, and the topic page of the "
        "place concerned says so under its summary:"
    )
    return intro + "\n\n" + "\n".join(f"- {_md(line)}" for line in lines)


_MD_SPECIAL = re.compile(r"([\\`*_{}\[\]<>#|~^$@])")


def _md(text: str) -> str:
    """Plain text for Markdown (every character Pandoc could read as markup escaped)."""
    return _MD_SPECIAL.sub(r"\\\1", text)


def _known_gaps(paths: ProjectPaths | None) -> str:
    from llr_analysis.analysis.localities.load import load_known_gaps
    from llr_analysis.paths import project_paths

    return known_gaps_text(load_known_gaps(paths or project_paths()))


BLOCKS = {
    "{places_sentence}": places_sentence,
    "{localities_sentence}": localities_sentence,
    "{profiles_sentence}": profiles_sentence,
    "{counts_sentence}": counts_sentence,
    "{practice_rule}": practice_rule,
}


def fill(text: str, paths: ProjectPaths | None = None) -> str:
    """``text`` with the ICS's names and the blocks above filled in (blocks not present cost nothing);
    ``{known_gaps}`` from the processed tables of ``paths`` (default: the project's)."""
    cfg = load_places()
    for key, make in BLOCKS.items():
        if key in text:
            text = text.replace(key, make())
    if "{known_gaps}" in text:
        text = text.replace("{known_gaps}", _known_gaps(paths))
    return text.replace("{ics_name}", cfg.ics_name).replace("{ics_short_name}", cfg.ics_short_name)
