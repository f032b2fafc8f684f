"""The key messages: three to five sentences that open the overview and each place summary.

In words, from the figures of :func:`llr_analysis.analysis.overview.key_messages.key_messages`. Every
figure comes with its period and its comparison; a period that ended more than three years ago says
"older data" (:func:`~llr_analysis.report.words.is_older_data`).
"""

from __future__ import annotations

import re
from datetime import date

import pandas as pd

from llr_analysis.places import load_places
from llr_analysis.report.figures import times_in_words
from llr_analysis.report.templating import render
from llr_analysis.report.words import is_older_data


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


def _versus_ten(value: float) -> str:
    """A share of LSOAs against England's 10% (by definition of a decile)."""
    if round(value, 1) == 10.0:
        return "the same as England's 10%"
    if value / 10 >= 1.5:
        return f"{times_in_words(value / 10)} England's 10%"
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
    """' <place> is not in this comparison: it has no figure for 2023-25, its latest is for 2016-18; in 2023-25
    its 7 districts ranged from 80.1 (<district>) to 81.6 years (<district>) for men and ...'."""
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
    """'59.9% of women aged 25 to 49 in <place> were screened, below the 75% minimum standard and
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
                f"{lead['area_name']} is the {'more' if len(load_places().places) == 2 else 'most'} deprived of the "
                f"{load_places().place_count_words}: {_pct(lead['value'])} of its "
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
