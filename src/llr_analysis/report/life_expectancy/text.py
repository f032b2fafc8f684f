"""Sentences of the life expectancy pages: the summary, the place's own gap to England (each place its own,
never another place's), healthy life expectancy, MSOAs and the slope index of inequality. Pure: they take
the loaded tables (:class:`~llr_analysis.analysis.life_expectancy.load.LifeExpectancyData`) or frames."""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from llr_analysis.analysis.life_expectancy.load import LifeExpectancyData
from llr_analysis.analysis.life_expectancy.places import (
    LE_SERIES,
    MEASURES,
    SERIES_SHORT,
    SEXES,
    check_measure,
    check_sex,
    gap_to_england,
    hle_series,
    latest_values,
    le_series,
    place_gap,
    poor_health_years,
    sii_series,
    versus,
)
from llr_analysis.analysis.life_expectancy.small_areas import MIN_MSOAS_FOR_GRADIENT, msoa_counts
from llr_analysis.places import get_place, load_places
from llr_analysis.process.life_expectancy import SERIES
from llr_analysis.report.words import at_extreme


def by_key(df: pd.DataFrame, key: str) -> dict[str, dict[str, Any]]:
    """The rows of ``df`` as plain dicts keyed by the (unique) values of column ``key``, e.g.
    ``by_key(latest, "sex")["Male"]["value"]``."""
    return {str(k): {str(c): v for c, v in row.items()} for k, row in df.set_index(key).to_dict("index").items()}


def _gap_words(gap: float) -> str:
    """'2.2 years below England' / '0.4 years above England' / 'the same as England' (1 dp)."""
    r = round(float(gap), 1)
    if r == 0:
        return "the same as England"
    return f"{abs(r):.1f} years {'below' if r < 0 else 'above'} England"


def _gap_direction(gap: float) -> str:
    r = round(float(gap), 1)
    return "the same as England" if r == 0 else f"{abs(r):.1f} years {'below' if r < 0 else 'above'}"


def place_gap_text(data: LifeExpectancyData, place: str) -> str:
    """The place's own gap to England at birth, in its newest series (or why it has none there).

    From :func:`llr_analysis.analysis.life_expectancy.places.place_gap`: the latest period, and how the gap
    moved since the first period of the same series (gaps are never compared across series).
    """
    p = get_place(place)
    g = place_gap(data.le_la, place)
    newest = LE_SERIES[-1]
    head = f"**{p.name}'s gap to England.** "
    usable = [s for s in reversed(LE_SERIES) if {"Male", "Female"} <= set(g.get(s, {}))]
    if not usable:
        return head + f"No life expectancy at birth is published for {p.name} as a whole in these sources."
    series = usable[0]
    m, f = g[series]["Male"], g[series]["Female"]
    text = head
    if series != newest:
        text += (
            f"{SERIES_SHORT[newest]} has no figure for {p.name} as a whole (it is published for districts and "
            f"unitary authorities, not counties), so its own latest figure is older ({SERIES_SHORT[series]}). "
        )
    text += (
        f"In {m['latest']['period']}, life expectancy at birth in {p.name} was "
        f"{m['latest']['value']:.1f} years for males and {f['latest']['value']:.1f} years for females, against "
        f"{m['latest']['england_value']:.1f} and {f['latest']['england_value']:.1f} years in England: "
        f"{_gap_words(m['latest']['gap'])} for males and {_gap_words(f['latest']['gap'])} for females "
        f"({SERIES_SHORT[series]})."
    )
    if m["first"]["period"] != m["latest"]["period"]:
        text += (
            f" In {m['first']['period']}, the first period of that series, it was "
            f"{_gap_direction(m['first']['gap'])} for males and {_gap_direction(f['first']['gap'])} for females."
        )
    if series != newest:
        text += " Its districts' own latest figures are in the summary above and the gap chart below."
    return text


def _were(n: int) -> str:
    return f"{n} {'was' if n == 1 else 'were'}"


def no_figure_text(what: str, name: str) -> str:
    """A section's words when the sources give the place no figure at all (a recorded known gap)."""
    return (
        f"The sources used give no {what} for {name}, so none is shown here; the note on missing figures on this "
        "page and the Methods page say why."
    )


def place_summary_text(data: LifeExpectancyData, place: str, measure: str = "birth") -> str:
    """Latest life expectancy of the place (or its districts, where the place has no figure) against England;
    when neither has one, that, in plain words."""
    measure = check_measure(measure)
    p = get_place(place)
    df = gap_to_england(le_series(data.le_la, place, measure))
    latest = latest_values(df)
    label = MEASURES[measure]
    if not latest["role"].isin(["place", "district"]).any():
        return f"**In summary.** {no_figure_text(label, p.name)}"
    own = latest[latest["area_code"] == p.code]
    newest_series = max((s for s in LE_SERIES if s in set(latest["series"])), key=LE_SERIES.index)
    newest = latest[latest["series"] == newest_series]
    own_new = own[own["series"] == newest_series]
    parts = []
    if len(own_new) == 2:
        r = by_key(own_new, "sex")
        parts.append(
            f"**In summary.** In {r['Male']['period']}, {label} in {p.name} was {r['Male']['value']:.1f} "
            f"years for males and {r['Female']['value']:.1f} years for females: "
            f"{_gap_words(r['Male']['gap'])} for males and {_gap_words(r['Female']['gap'])} for females "
            f"({SERIES_SHORT[newest_series]})."
        )
        if own_new["ohid_comparison"].notna().sum() == 2:
            parts.append(
                f"OHID's published comparison with England: {r['Male']['ohid_comparison'].lower()} "
                f"for males, {r['Female']['ohid_comparison'].lower()} for females."
            )
    else:
        old = by_key(own, "sex") if len(own) == 2 else None
        if old is not None:
            parts.append(
                f"**In summary.** {p.name}'s latest published {label} is for {old['Male']['period']} "
                f"({SERIES_SHORT[old['Male']['series']]}): {old['Male']['value']:.1f} years for males and "
                f"{old['Female']['value']:.1f} years for females, {_gap_words(old['Male']['gap'])} and "
                f"{_gap_words(old['Female']['gap'])}."
            )
        dist = newest[newest["role"] == "district"]
        if len(dist):
            period = dist["period"].iloc[0]
            bits = []
            for sex in SEXES:
                d = dist[dist["sex"] == sex].sort_values("value")
                (lo, lo_names), (hi, hi_names) = (at_extreme(d, "value", "area_name", lowest=b) for b in (True, False))
                bits.append(
                    f"{sex.lower()}s from {lo:.1f} years in {lo_names} to "
                    f"{hi:.1f} in {hi_names} (England {d['england_value'].iloc[0]:.1f})"
                )
            parts.append(
                f"No county figure is published after that in these sources; in {period} its "
                f"{len(dist) // 2} districts ranged: {'; '.join(bits)}."
            )
    return " ".join(parts)


def _republished_hle(data: LifeExpectancyData, code: str) -> str:
    """The place's latest healthy life expectancy in OHID's Fingertips 90362 (which republishes the ONS figures)
    beside England's, without a comparison (the extract has no intervals); "" when it has none for both sexes."""
    ft = data.hle[(data.hle["series"] == "fingertips_90362") & data.hle["value"].notna()]
    own = ft[ft["area_code"] == code]
    if own.empty:
        return ""
    per = own.sort_values("period_start")["period"].iloc[-1]
    at = ft[ft["period"] == per].set_index(["area_code", "sex"])["value"]
    eng = load_places().england_code
    keys = [(code, "Male"), (code, "Female"), (eng, "Male"), (eng, "Female")]
    if not all(k in at.index for k in keys):
        return ""
    m, f, em, ef = (float(at[k]) for k in keys)
    return (
        f"OHID's Fingertips indicator 90362, which republishes the ONS figures, gives {per}: {m:.1f} years for "
        f"males and {f:.1f} for females, against {em:.1f} and {ef:.1f} in England; its extract has no confidence "
        "intervals, so no comparison with England is made. "
    )


def hle_text(data: LifeExpectancyData, place: str) -> str:
    """Latest healthy life expectancy with 95% CIs, compared with England, and years not in good health."""
    p = get_place(place)
    h = hle_series(data.hle, place)
    earlier = h[(h["area_code"] == p.code) & h["value"].notna()]
    h = h[(h["series"] == "ons_els_2026") & (h["area_code"] == p.code)]
    if h.empty:  # a recorded known gap: the ONS file has no rows for the place
        last = earlier.sort_values("period_start")["period"].iloc[-1]
        return (
            f"ONS's February 2026 release of healthy life expectancy has no figure for {p.name} (see the note on "
            f"missing figures). {_republished_hle(data, p.code)}The chart below shows the figures OHID published "
            f"earlier, to {last}."
        )
    latest_rows = h[h["period_start"] == h["period_start"].max()]
    latest = by_key(latest_rows, "sex")
    per = latest_rows["period"].iloc[0]
    ph = poor_health_years(data.hle, data.le_la, place)
    own = ph[ph["area_code"] == p.code]
    ph_rows = own[own["period_start"] == own["period_start"].max()]
    ph_latest = by_key(ph_rows, "sex")
    s = (
        f"In {per}, healthy life expectancy at birth in {p.name} was {latest['Male']['value']:.1f} years for "
        f"males (95% CI {latest['Male']['lower_95']:.1f} to {latest['Male']['upper_95']:.1f}) and "
        f"{latest['Female']['value']:.1f} years for females ({latest['Female']['lower_95']:.1f} to "
        f"{latest['Female']['upper_95']:.1f}), against {latest['Male']['england_value']:.1f} and "
        f"{latest['Female']['england_value']:.1f} in England: {versus(latest['Male']['comparison'])} "
        f"for males and {versus(latest['Female']['comparison'], short=True)} for females "
        f"(95% confidence intervals)."
    )
    if len(ph_latest) == 2:
        pp = ph_rows["period"].iloc[0]
        s += (
            f" In {pp}, males in {p.name} could expect {ph_latest['Male']['poor_health_years']:.1f} years and "
            f"females {ph_latest['Female']['poor_health_years']:.1f} years of life not in good health "
            f"(life expectancy from {SERIES.get(ph_rows['le_series'].iloc[0], ph_rows['le_series'].iloc[0])} "
            f"minus healthy life expectancy from the ONS Feb 2026 release: two releases, so the difference is "
            f"approximate"
            + ("" if pp == per else f"; {pp} is the latest period with a published life expectancy for {p.name}")
            + ")."
        )
    return s


def msoa_text(m: pd.DataFrame, fit: dict, place: str, sex: str) -> str:
    """Spread of MSOA life expectancy within the place, CI comparisons and the IMD gradient."""
    p = get_place(place)
    sex = check_sex(sex)
    d = m.dropna(subset=["le"]).sort_values("le")
    (lo, lo_names), (hi, hi_names) = (at_extreme(d, "le", "msoa11_hcl_name", lowest=b) for b in (True, False))
    c = by_key(msoa_counts(m), "comparison")
    s = (
        f"Across the {len(m)} MSOAs (2011) in {p.name}, {sex.lower()} life expectancy at birth in 2009-13 ranged "
        f"from {lo:.1f} years in {lo_names} to {hi:.1f} years in {hi_names}, "
        f"a difference of {d['le'].max() - d['le'].min():.1f} years. {_were(c['worse']['vs_england'])} significantly "
        f"below England ({m['england_le'].iloc[0]:.1f} years) and {c['better']['vs_england']} significantly "
        f"above; compared with {p.name} as a whole ({m['place_le'].iloc[0]:.1f} years), "
        f"{_were(c['worse']['vs_place'])} below and {c['better']['vs_place']} above (95% confidence "
        f"intervals)."
    )
    if fit["n"] >= MIN_MSOAS_FOR_GRADIENT and not np.isnan(fit["slope"]):
        s += (
            f" Across these MSOAs, life expectancy changed by {10 * fit['slope']:+.1f} years for every 10 points "
            f"of IMD 2019 score (95% CI {10 * fit['lower_95']:+.1f} to {10 * fit['upper_95']:+.1f}; "
            f"R² {fit['r2']:.2f}; a negative value means shorter lives in more deprived MSOAs)."
        )
    else:
        s += (
            f" With {fit['n']} MSOAs, {p.name} has too few for a reliable line through life expectancy and "
            f"deprivation (at least {MIN_MSOAS_FOR_GRADIENT} are needed here), so none is drawn."
        )
    return s


def sii_text(data: LifeExpectancyData, place: str) -> str:
    """Latest slope index of inequality for the place (or its districts) and England."""
    p = get_place(place)
    s = sii_series(data.sii, place)
    cur = s[s["series"] == "fingertips_92901"]
    latest_period = cur.sort_values("period_start", kind="stable")["period"].iloc[-1]
    cur = cur[cur["period"] == latest_period]
    eng = cur[cur["role"] == "England"].set_index("sex")["value"]
    own = cur[cur["area_code"] == p.code].set_index("sex")["value"]
    eng_words = f"England {eng['Male']:.1f} and {eng['Female']:.1f}"
    if len(own) == 2 and own.notna().all():
        return (
            f"The slope index of inequality, the modelled gap in life expectancy at birth between the most and "
            f"least deprived ends of {p.name}, was {own['Male']:.1f} years for males and {own['Female']:.1f} "
            f"years for females in {latest_period} ({eng_words})."
        )
    if len(own) == 2:
        return (
            f"The slope index of inequality is not published for {p.name} (OHID does not calculate it for "
            f"areas this small); for comparison, {eng_words} years in {latest_period}."
        )
    dist = cur[cur["role"] == "district"].dropna(subset=["value"])
    bits = []
    for sex in SEXES:
        d = dist[dist["sex"] == sex].sort_values("value")
        if len(d):
            (lo, lo_names), (hi, hi_names) = (at_extreme(d, "value", "area_name", lowest=b) for b in (True, False))
            bits.append(f"{sex.lower()}s from {lo:.1f} years in {lo_names} to {hi:.1f} in {hi_names}")
    return (
        f"The slope index of inequality (the modelled gap in life expectancy between the most and least deprived "
        f"ends of an area) is published for {p.name}'s districts in {latest_period}: {'; '.join(bits)} "
        f"({eng_words} years)."
    )


def hle_agreement_text(agree: dict, place: str) -> str:
    """How OHID's Fingertips HLE agrees with the ONS figures (:func:`hle_fingertips_agreement`); '' if no overlap."""
    if not agree["n"]:
        return ""
    p = get_place(place)
    who = " and ".join(p.name if c == p.code else "England" for c in agree["areas"])
    return (
        f"OHID's Fingertips publishes the same ONS release (indicator 90362): for {who}, its {agree['n']} values "
        + (
            "are identical to the ONS figures used here."
            if agree["max_abs_difference"] == 0
            else f"differ from the ONS figures used here by at most {agree['max_abs_difference']:.1f} years."
        )
    )
