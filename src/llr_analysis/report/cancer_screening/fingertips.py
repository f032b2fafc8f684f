"""The screening page's table of coverage Fingertips publishes for NHS areas: the place's primary care
networks (PCNs), its sub-ICB locations (the former CCGs) and the ICS's integrated care board (ICB), with
England. Numbers from :mod:`llr_analysis.analysis.cancer_screening.fingertips`.

These figures come only with ``llr fetch-fingertips`` (online; breast screening, indicator 94063 or 91339).
Without them :func:`render_nhs_areas` writes nothing: the programme's section already says what is missing.
"""

from __future__ import annotations

import pandas as pd

from llr_analysis.analysis.cancer_screening.fingertips import LEVEL_LABELS, former_ccg_names
from llr_analysis.analysis.cancer_screening.programmes import age_group_label, programme_label, standard
from llr_analysis.analysis.localities.pcns import pcn_name
from llr_analysis.places import get_place, load_places
from llr_analysis.report.cancer_screening.text import COMPARISON_WORDS, fmt_ci, fmt_pct, older_words
from llr_analysis.report.page import Page, tidy_download
from llr_analysis.report.words import at_extreme


def shown_names(t: pd.DataFrame) -> list[str]:
    """Area names as shown: PCNs readable ("<Name> Health PCN"), sub-ICB locations with the CCG they were."""
    ccgs = former_ccg_names()
    out = []
    for level, code, name in zip(t["level"], t["area_code"], t["area_name"], strict=True):
        if level == "pcn":
            out.append(pcn_name(name))
        elif level == "sub_icb" and code in ccgs:
            out.append(f"{name} (formerly {ccgs[code]})")
        else:
            out.append(str(name))
    return out


def nhs_display(t: pd.DataFrame) -> pd.DataFrame:
    """The table as shown: one row per area, with its period, coverage, interval and comparisons."""
    return pd.DataFrame(
        {
            "Area": shown_names(t),
            "Type": t["level"].map(LEVEL_LABELS),
            "Period": t["period"].astype(str),
            "Coverage (%)": t["value"].astype(float),
            "95% CI": [fmt_ci(lo, hi).replace("%", "") for lo, hi in zip(t["lower_95"], t["upper_95"], strict=True)],
            "vs England": t["comparison"].replace({"comparator": "–"}),
            "Against standard": t["standard_band"],
        }
    )


def nhs_text(t: pd.DataFrame, programme: str, place: str) -> str:
    """The ICB's and the place's PCNs' coverage in words, against England and the standard."""
    eng = t[t["level"] == "england"]
    ev = fmt_pct(eng["value"].iloc[0]) if len(eng) else "–"
    parts = []
    icb = t[t["level"] == "icb"]
    if len(icb):
        r = icb.iloc[0]
        parts.append(
            f"Across {load_places().llr_short_name} (the integrated care board), {fmt_pct(r['value'])} (95% CI "
            f"{fmt_ci(r['lower_95'], r['upper_95'])}) of eligible registered patients were covered in {r['period']}, "
            f"{COMPARISON_WORDS.get(r['comparison'], 'not compared with')} England ({ev}); {r['standard_band']} "
            f"(acceptable {standard(programme)['acceptable']}%, achievable {standard(programme)['achievable']}%)."
        )
    pcns = t[t["level"] == "pcn"].dropna(subset=["value"])
    where = get_place(place).name
    if len(pcns) == 1:
        r = pcns.iloc[0]
        parts.append(
            f"The one primary care network serving {where} in these figures, {pcn_name(r['area_name'])}, had "
            f"coverage of {fmt_pct(r['value'])}, {COMPARISON_WORDS.get(r['comparison'], 'not compared with')} "
            "England."
        )
    elif len(pcns):
        n = {c: int(pcns["comparison"].eq(c).sum()) for c in ("better", "similar", "worse")}
        named = pcns.assign(shown_name=pcns["area_name"].map(pcn_name))
        (lo, lo_names), (hi, hi_names) = (at_extreme(named, "value", "shown_name", lowest=b) for b in (True, False))
        parts.append(
            f"Of the {len(pcns)} primary care networks serving {where}, {n['better']} had coverage significantly "
            f"higher than England, {n['similar']} similar and {n['worse']} significantly lower; coverage ranged from "
            f"{fmt_pct(lo)} ({lo_names}) to {fmt_pct(hi)} ({hi_names})."
        )
    return " ".join(parts)


def render_nhs_areas(page: Page, t: pd.DataFrame, place: str, programme: str) -> pd.DataFrame | None:
    """Fingertips' own coverage for the NHS areas serving the place (PCNs, sub-ICB locations, the ICB) and
    England (``t``: :func:`llr_analysis.analysis.cancer_screening.fingertips.place_nhs_table`): a sentence, a
    table and a folded note for analysts. Writes nothing, and returns None, when Fingertips gave no such
    figures for the programme."""
    if t.empty:
        return None
    label, name = programme_label(programme), get_place(place).name
    periods = sorted(t["period"].astype(str).unique())
    ages = ", ".join(age_group_label(programme, a).lower() for a in dict.fromkeys(t["age_group"]))
    page.markdown(
        f"**{label}: NHS areas serving {name}, as published by OHID Fingertips** ({ages}; registered "
        f"patients; {', '.join(periods)}{older_words(periods[-1])}).\n\n" + nhs_text(t, programme, place)
    )
    page.table(
        nhs_display(t),
        f"{programme}-nhs-areas",
        caption=(
            f"{label} coverage published by OHID Fingertips for the primary care networks, sub-ICB locations and "
            f"integrated care board serving {name}, and England ({ages}; 'vs England' by 95% confidence "
            "intervals; 'against standard' judged on the coverage as shown, to 1 decimal place)"
        ),
        download=tidy_download(
            t.drop(columns="period_sort").assign(
                area_name=shown_names(t), age=t["age_group"].map(lambda a: age_group_label(programme, a))
            ),
            indicator=f"{label} coverage (%), registered patients",
            source_id="fingertips",
        ),
    )
    ids = ", ".join(str(int(i)) for i in sorted(t["indicator_id"].dropna().unique()))
    page.note(
        f"Fingertips indicator {ids} at area types 204 (PCNs), 66 (sub-ICB locations) and 221 (ICBs), each at its "
        "latest period; values and 95% confidence limits as published (not recomputed from the practices). An "
        "area is better or worse than England when its 95% interval lies entirely above or below England's value "
        "for the same indicator and period. A PCN is counted in a place by the practice rule of "
        "config/cancer_screening.yml (its sub-ICB location, and for a sub-ICB location serving two places whether "
        "the configuration lists it among that place's PCNs, `rutland_pcns`). These can differ slightly from the PCN figures above, which are summed from the practices "
        "in the data.",
        title="For analysts",
        collapse=True,
    )
    return t
