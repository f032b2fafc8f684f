"""Page sections of one screening programme in one place: the GP practice figures (narrative, coverage by
area, gap to the standard, funnel plots, deprivation, practice list), Fingertips' NHS areas and the
Fingertips local authority figures of residents. The numbers are computed by
:func:`llr_analysis.analysis.cancer_screening.programme.programme_figures`; everything here draws them.
"""

from __future__ import annotations

import pandas as pd

from llr_analysis.analysis.cancer_screening.areas import no_pcn_rows
from llr_analysis.analysis.cancer_screening.coverage import standard_band
from llr_analysis.analysis.cancer_screening.load import CancerScreeningData
from llr_analysis.analysis.cancer_screening.programme import (
    PracticeFigures,
    ProgrammeFigures,
    programme_figures,
)
from llr_analysis.analysis.cancer_screening.programmes import (
    age_group_label,
    gp_practice_indicator_ids,
    programme_label,
    standard,
)
from llr_analysis.places import get_place, load_places
from llr_analysis.report.cancer_screening.charts import (
    coverage_chart,
    deprivation_chart,
    funnel_chart,
    trend_chart,
)
from llr_analysis.report.cancer_screening.fingertips import render_nhs_areas
from llr_analysis.report.cancer_screening.tables import pcn_display_name, wide_by_age
from llr_analysis.report.cancer_screening.text import (
    COMPARISON_WORDS,
    FETCH_FINGERTIPS_NOTE,
    age_narrative,
    association_note,
    fmt_ci,
    fmt_pct,
    missing_data_message,
    older_words,
)
from llr_analysis.report.page import Page, tidy_download


def render_programme(
    page: Page,
    data: CancerScreeningData,
    place: str,
    programme: str,
    period: str = "latest",
    funnel_against: str = "england",
    shown: list[str] | None = None,
) -> ProgrammeFigures | None:
    """Everything the page shows for one programme in one place (the notebook calls this once
    per programme). Returns the figures it drew (for the localities section, the tests and the page
    summary); None when the programme is not shown on this page (``shown``)."""
    if shown is not None and programme not in shown:
        page.markdown(
            f"*Not shown on this page (programme parameter). {programme_label(programme)} can be "
            "shown by running the notebook with `programme=all`."
        )
        return None
    figures = programme_figures(data, place, programme, period, funnel_against)
    if not figures.has_data:
        page.note(missing_data_message(programme), kind="warning")
        page.note(FETCH_FINGERTIPS_NOTE, title="For analysts", collapse=True)
        return figures
    if figures.practice is not None:
        render_practices(page, figures.practice, place, programme, funnel_against)
    else:
        gp_ids = gp_practice_indicator_ids(programme)  # "94063 or 91339"
        page.note(
            f"{programme_label(programme)}: no GP practice figures on this site yet, so PCN and practice "
            "figures cannot be shown.",
            kind="warning",
        )
        page.note(
            f"Run `llr fetch-fingertips` with internet access to fetch Fingertips indicator {', '.join(gp_ids)}."
            if gp_ids
            else "No GP practice indicator for this programme is configured in config/cancer_screening.yml "
            "(none could be verified offline); add its Fingertips ID there and run `llr fetch-fingertips`.",
            title="For analysts",
            collapse=True,
        )
    render_nhs_areas(page, figures.nhs_areas, place, programme)  # Fingertips' PCN, sub-ICB, ICB figures: online only
    if figures.local_authority is not None and figures.la_period is not None and figures.trend is not None:
        render_local_authority(page, figures.local_authority, figures.trend, place, programme, figures.la_period)
    return figures


def render_practices(
    page: Page, figures: PracticeFigures, place: str, programme: str, funnel_against: str = "england"
) -> None:
    """The GP practice part of a programme's section: narrative, coverage by area (chart and table), gap to
    the standard, funnel plots, deprivation and the practice list."""
    import altair as alt

    the_place = get_place(place)
    label, std = programme_label(programme), standard(programme)
    plabel, source_id = figures.period_label, figures.source_id
    table = figures.table
    texts = [
        age_narrative(a.table, a.points, programme, ag, the_place.name, figures.target_name, a.assoc)
        for ag, a in figures.by_age.items()
    ]
    page.markdown(
        f"**{label}, {plabel}{older_words(plabel)}** (GP practice data, summed to PCN, place and "
        f"{load_places().llr_short_name}; registered patients).\n\n" + "\n\n".join(texts)
    )
    analysts = association_note({ag: a.assoc for ag, a in figures.by_age.items()}, programme)
    if analysts:
        page.note(analysts, title="For analysts", collapse=True)

    dl = tidy_download(
        table.rename(columns={"age_label": "age"}),
        period=plabel,
        source_id=source_id,
        indicator=f"{label} coverage (%)",
    )
    shown_areas = no_pcn_rows(table)
    page.chart(
        coverage_chart(shown_areas, programme),
        f"{programme}-coverage",
        title=f"{label} coverage, {the_place.name}, its PCNs, {load_places().llr_short_name} and England, {plabel}",
        description=(
            "Dots show coverage and lines the 95% confidence interval (Wilson). Colour gives the "
            "comparison with England (better, similar or worse by interval overlap; England itself in "
            f"black). Dashed lines mark the acceptable ({std['acceptable']}%) and achievable "
            f"({std['achievable']}%) standards. PCNs are in alphabetical order; a PCN's figure includes all "
            "of its open practices (2023 membership). Practices closed since, with no PCN on record, or in a "
            "PCN listed under another place are counted in the place but not drawn here."
        ),
        data=dl,
    )
    page.table(
        wide_by_age(
            shown_areas,
            ["area_name", "practices_all"],
            {
                "value": "coverage (%)",
                "ci": "95% CI",
                "comparison": "vs England",
                "standard_band": "against standard",
                "practices": "practices used",
                "practices_missing": "practices left out (counts suppressed)",
            },
            {"area_name": "Area", "practices_all": "Practices"},
        ),
        f"{programme}-coverage-table",
        caption=f"{label} coverage by area, {the_place.name}, {plabel}{older_words(plabel)} (PCNs in "
        "alphabetical order; 'against standard' is judged on the coverage as shown, to 1 decimal place)",
        download=dl,
    )

    # Gap to the standard.
    gap = table[table["level"].isin(["place", "pcn", "llr"])]
    page.table(
        wide_by_age(
            gap,
            ["area_name"],
            {
                "value": "coverage (%)",
                "gap_acceptable_pp": f"points below {std['acceptable']}%",
                "screens_to_acceptable": f"extra screened to reach {std['acceptable']}%",
                "screens_to_achievable": f"extra screened to reach {std['achievable']}%",
            },
            {"area_name": "Area"},
        ),
        f"{programme}-gap-to-standard",
        caption=(
            f"Gap to the {label.lower()} standard, {the_place.name}, {plabel}{older_words(plabel)}: percentage points "
            f"below the acceptable threshold ({std['acceptable']}%) and how many more people would "
            f"have needed screening to reach {std['acceptable']}% and {std['achievable']}% (0 = met)"
        ),
        download=tidy_download(
            gap.rename(columns={"age_label": "age"}),
            indicator=f"{label} coverage gap to standard",
            period=plabel,
            source_id=source_id,
        ),
    )

    # Funnel plots.
    tname = figures.target_name
    charts = [
        funnel_chart(a.points, a.limits, tname, age_group_label(programme, ag)) for ag, a in figures.by_age.items()
    ]
    fdl = figures.points  # each practice's place against the funnel: column funnel_position
    # one download of the practices' coverage and funnel position, beside the funnel and the practice list
    practice_download = tidy_download(
        fdl.rename(
            columns={
                "practice_code": "area_code",
                "practice_name": "area_name",
                "numerator": "count",
                "age_label": "age",
            }
        ),
        indicator=f"{label} coverage (%) by practice",
        period=plabel,
        source_id=source_id,
    )
    page.chart(
        alt.hconcat(*charts),
        f"{programme}-funnel",
        title=f"{label}: {the_place.name}'s practices against {tname}, {plabel}",
        description=(
            "Each dot is a practice: its coverage against the number eligible (log scale). The black "
            f"line is {tname}'s coverage; dashed lines are 95% and solid lines 99.8% control limits "
            "(OHID Wilson-score method). Dots outside the 99.8% limits differ from "
            f"{tname} by more than chance would usually explain. Practices with suppressed counts "
            "are not shown."
        ),
        data=practice_download,
    )

    # Deprivation.
    charts = [deprivation_chart(a.points, age_group_label(programme, ag)) for ag, a in figures.by_age.items()]
    page.chart(
        alt.hconcat(*charts),
        f"{programme}-deprivation",
        title=f"{label} coverage and practice deprivation, {the_place.name}, {plabel}",
        description=(
            "Each dot is a practice: coverage against the deprivation of its registered patients "
            "(IMD 2019 score weighted by where patients live; third-party derived, ~2023 "
            "registrations). The dashed line is an unweighted linear trend (drawn for 5 or more practices)."
        ),
        data=tidy_download(
            fdl[
                [
                    "practice_code",
                    "practice_name",
                    "pcn_name",
                    "age_label",
                    "value",
                    "lower_95",
                    "upper_95",
                    "numerator",
                    "denominator",
                    "imd_score",
                    "imd_decile",
                ]
            ].rename(
                columns={
                    "practice_code": "area_code",
                    "practice_name": "area_name",
                    "numerator": "count",
                    "age_label": "age",
                }
            ),
            indicator=f"{label} coverage (%) and practice IMD 2019 score",
            period=plabel,
            source_id=f"{source_id}, practice_imd2019_derived",
        ),
    )

    # Practice list.
    pt = fdl.copy()
    pt["no_pcn"] = pt["pcn_name"].isna()  # practices with no PCN last, apart from the PCNs
    pt["pcn_name"] = pt["pcn_name"].map(pcn_display_name)
    pt = pt.sort_values(["no_pcn", "pcn_name", "practice_name"])
    pt["practice_name"] = pt["practice_name"].str.title()
    page.table(
        wide_by_age(
            pt,
            ["practice_code", "practice_name", "pcn_name", "imd_decile", "status"],
            {
                "value": "coverage (%)",
                "ci": "95% CI",
                "denominator": "eligible",
                "funnel_position": f"vs {tname} (funnel)",
            },
            {
                "practice_code": "Code",
                "practice_name": "Practice",
                "pcn_name": "PCN",
                "imd_decile": "IMD decile",
                "status": "Status (ODS, Dec 2022)",
            },
        ),
        f"{programme}-practices",
        caption=(
            f"{label} coverage by GP practice, {the_place.name}, {plabel}{older_words(plabel)}, by PCN in "
            "alphabetical order, practices with no PCN on record last (– = counts suppressed by the publisher; "
            "IMD decile 1 = most deprived)"
        ),
        download=practice_download,
    )


def render_local_authority(
    page: Page, t: pd.DataFrame, trend: pd.DataFrame, place: str, programme: str, period: str
) -> pd.DataFrame:
    """The Fingertips local authority (resident population) part of a programme's section (``t``:
    :func:`~llr_analysis.analysis.cancer_screening.local_authority.la_table`; ``trend``:
    :func:`~llr_analysis.analysis.cancer_screening.local_authority.la_trend`)."""
    the_place = get_place(place)
    label, std = programme_label(programme), standard(programme)
    texts = []
    for ag, g in t.groupby("age_group", sort=False):
        here, e = g[g["level"] == "place"], g[g["level"] == "england"]
        age = age_group_label(programme, str(ag))
        if here.empty or pd.isna(here["value"].iloc[0]):
            texts.append(f"**{age}.** Fingertips has no value for {the_place.name}.")
            continue
        p = here.iloc[0].to_dict()
        ev = fmt_pct(e["value"].iloc[0]) if len(e) else "–"
        texts.append(
            f"**{age}.** {fmt_pct(p['value'])} (95% CI "
            f"{fmt_ci(p['lower_95'], p['upper_95'])}) of eligible residents of {the_place.name} were covered, "
            f"{COMPARISON_WORDS.get(p['comparison'], '')} England ({ev}); "
            f"{standard_band(p['value'], programme)} (acceptable {std['acceptable']}%, achievable "
            f"{std['achievable']}%)."
        )
    page.markdown(
        f"**{label}, {period}, residents** (Fingertips, upper-tier local authority).\n\n" + "\n\n".join(texts)
    )
    dl = tidy_download(
        t.rename(columns={"area_code": "area_code"}),
        period=period,
        source_id="fingertips",
        indicator=f"{label} coverage (%), resident population",
    )
    page.chart(
        coverage_chart(t.assign(level=t["level"]), programme),
        f"{programme}-local-authority-chart",
        title=f"{label} coverage of residents, {load_places().llr_short_name} places and England, {period}",
        description=(
            "Dots show coverage and lines the 95% confidence interval published by Fingertips; colour "
            "gives the comparison with England. Dashed lines mark the acceptable "
            f"({std['acceptable']}%) and achievable ({std['achievable']}%) standards."
        ),
        data=dl,
    )
    page.table(
        wide_by_age(
            t,
            ["area_name"],
            {"value": "coverage (%)", "ci": "95% CI", "comparison": "vs England", "standard_band": "against standard"},
            {"area_name": "Area"},
        ),
        f"{programme}-local-authority",
        caption=f"{label} coverage of resident populations (Fingertips, upper-tier local authority), {period}",
        download=dl,
    )
    if trend["period"].nunique() > 1:
        page.chart(
            trend_chart(trend),
            f"{programme}-trend",
            title=f"{label} coverage of residents over time, {the_place.name} and England",
            description=(
                "Lines show coverage in each period published by Fingertips, with the 95% "
                "confidence interval as a band."
            ),
            data=tidy_download(trend, indicator=f"{label} coverage (%), resident population", source_id="fingertips"),
        )
    return t
