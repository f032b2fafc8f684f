"""The life expectancy topic's headline figures for the overview and the place summaries (the overview's
contract: ``headlines(paths)`` returns the columns of ``HEADLINE_COLUMNS``). :func:`headlines` is the edge
(it loads the tables); :func:`headline_table` is pure."""

from __future__ import annotations

import numpy as np
import pandas as pd

from llr_analysis.analysis.life_expectancy.fingertips import headline as official_headline
from llr_analysis.analysis.life_expectancy.load import LifeExpectancyData, load
from llr_analysis.analysis.life_expectancy.periods import note_older_periods
from llr_analysis.analysis.life_expectancy.places import llr_latest_table
from llr_analysis.paths import ProjectPaths
from llr_analysis.places import load_places
from llr_analysis.process.life_expectancy import SERIES
from llr_analysis.stats import compare_by_ci_overlap


def headline_table(data: LifeExpectancyData) -> pd.DataFrame:
    """Headline figures for the overview page (the columns of ``HEADLINE_COLUMNS``).

    Life expectancy at birth by sex: the latest figures with 95% CIs from the Fingertips API (90366,
    online builds; compared with England by CI overlap) when they were fetched; else the latest
    period of the Fingertips extract for each place that has one, otherwise the ONS 2019 edition
    (e.g. a county, to 2016-18), labelled with its series, with OHID's published comparison
    (neither has intervals). Healthy life
    expectancy by sex (ONS Feb 2026, with 95% CIs) is compared by CI overlap.
    No ICS-wide figure is published, so none is shown.
    """
    rows: list[dict[str, object]] = []
    latest = llr_latest_table(data.le_la, "birth")
    hle_all = data.hle
    eng = load_places().england_code
    for place in load_places().places.values():
        href = f"life_expectancy/{place.id}.ipynb"
        mine = latest[latest["area_code"] == place.code]
        for sex in ("Female", "Male"):
            cand, ci = mine[mine["sex"] == sex], official_headline(data.fingertips_le, data.le_la, place.id, sex)
            if ci is not None:  # OHID 90366 from the Fingertips API (online builds): with 95% CIs
                rows.append(
                    {"indicator": f"Life expectancy at birth, {sex.lower()}s", "area_id": place.id}
                    | {"area_name": place.name, "unit": "years", "href": href, **ci}
                )
                continue
            if cand.empty:
                continue
            pick = cand[cand["series"] == "fingertips_90366"]
            r = (pick if len(pick) else cand.sort_values("period_start")).iloc[-1]
            comp = str(r["ohid_comparison"]).strip().lower() if pd.notna(r.get("ohid_comparison")) else "not compared"
            rows.append(
                {
                    "indicator": f"Life expectancy at birth, {sex.lower()}s",
                    "area_id": place.id,
                    "area_name": place.name,
                    "period": r["period"],
                    "value": r["value"],
                    "lower_95": np.nan,
                    "upper_95": np.nan,
                    "unit": "years",
                    "england_value": r["england_value"],
                    "comparison": comp if comp in ("better", "similar", "worse") else "not compared",
                    "note": SERIES.get(r["series"], r["series"])
                    + ("; OHID's published comparison" if comp in ("better", "similar", "worse") else ""),
                    "href": href,
                }
            )
        h = hle_all[(hle_all["series"] == "ons_els_2026")]
        for sex in ("Female", "Male"):
            hp = h[(h["area_code"] == place.code) & (h["sex"] == sex)].sort_values("period_start")
            if hp.empty:
                continue
            r = hp.iloc[-1]
            e = h[(h["area_code"] == eng) & (h["sex"] == sex) & (h["period"] == r["period"])]
            ev = float(e["value"].iloc[0]) if len(e) else np.nan
            rows.append(
                {
                    "indicator": f"Healthy life expectancy at birth, {sex.lower()}s",
                    "area_id": place.id,
                    "area_name": place.name,
                    "period": r["period"],
                    "value": r["value"],
                    "lower_95": r["lower_95"],
                    "upper_95": r["upper_95"],
                    "unit": "years",
                    "england_value": ev,
                    "comparison": compare_by_ci_overlap(
                        r["value"], r["lower_95"], r["upper_95"], ev, polarity="higher_is_better"
                    ),
                    "note": "ONS, Feb 2026 release (interim method)",
                    "href": href,
                }
            )
    out = pd.DataFrame(rows)
    out["topic"] = "life_expectancy"
    return note_older_periods(out, data.le_la)


def headlines(paths: ProjectPaths) -> pd.DataFrame:
    """The overview's contract: :func:`headline_table` of the loaded tables (:func:`.load.load`)."""
    return headline_table(load(paths))
