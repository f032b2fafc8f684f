"""Charts, sentences and page sections for the cancer screening pages.

The numbers come from :mod:`llr_analysis.analysis.cancer_screening`; everything here turns them into what a
page shows (Altair charts, narrative sentences, display tables, sections written through
:class:`llr_analysis.report.page.Page`).
"""

from __future__ import annotations

import math

import pandas as pd

from llr_analysis import settings
from llr_analysis.analysis.cancer_screening import (
    age_group_label,
    area_table,
    availability,
    deprivation_association,
    funnel,
    funnel_target,
    la_table,
    la_trend,
    local_authority_rows,
    period_label,
    practice_rows,
    programme_label,
    resolve_period,
    standard,
    standard_band,
)
from llr_analysis.places import get_place, load_places
from llr_analysis.report.cancer_screening_charts import (
    coverage_chart,
    deprivation_chart,
    fmt_ci,
    fmt_pct,
    funnel_chart,
    short_age,
    trend_chart,
)
from llr_analysis.report.words import at_extreme

COMPARISON_WORDS = {
    "better": "significantly higher than (better than)",
    "worse": "significantly lower than (worse than)",
    "similar": "not significantly different from",
    "not compared": "not compared with",
}


def age_narrative(
    table: pd.DataFrame,
    pts: pd.DataFrame,
    programme: str,
    age_group: str,
    place_name: str,
    target_name: str,
    assoc: dict,
) -> str:
    """One paragraph of computed narrative for a programme and age group in a place."""
    s = standard(programme)
    ag = age_group_label(programme, age_group)
    interval = (
        settings.cancer_screening()["programmes"][programme]
        .get("age_groups", {})
        .get(age_group, {})
        .get("interval", "")
    )
    p = table[table["level"] == "place"].iloc[0]
    e = table[table["level"] == "england"].iloc[0]
    llr = table[table["level"] == "llr"].iloc[0]
    if pd.isna(p["value"]):
        return f"**{ag}.** No practice in {place_name} has published counts for this period."
    text = (
        f"**{ag}.** In {place_name}, {fmt_pct(p['value'])} (95% CI {fmt_ci(p['lower_95'], p['upper_95'])}) "
        f"{('were ' + interval) if interval else 'were covered'}, {COMPARISON_WORDS.get(p['comparison'], '')} "
        f"England ({fmt_pct(e['value'])}); {load_places().llr_short_name} as a whole: {fmt_pct(llr['value'])}. "
    )
    band = standard_band(p["value"], programme)  # judged on the value as shown (1 dp), as every table
    if band == "meets achievable":
        text += f"This meets the achievable standard of {s['achievable']}%. "
    elif band == "meets acceptable only":
        text += (
            f"This meets the acceptable threshold ({s['acceptable']}%) but not the achievable "
            f"{s['achievable']}%: about {p['screens_to_achievable']:,.0f} more people screened would have "
            "been needed to reach it. "
        )
    else:
        text += (
            f"This is {p['gap_acceptable_pp']:.1f} percentage points below the acceptable threshold "
            f"({s['acceptable']}%); reaching the achievable {s['achievable']}% would have needed about "
            f"{p['screens_to_achievable']:,.0f} more people screened. "
        )
    pcns = table[table["level"] == "pcn"].dropna(subset=["value"])  # never the practices with no PCN
    if len(pcns) > 1:
        (lo, lo_names), (hi, hi_names) = (at_extreme(pcns, "value", "area_name", lowest=b) for b in (True, False))
        text += (
            f"Across the {len(pcns)} PCNs listed under {place_name}, coverage ranged from {fmt_pct(lo)} "
            f"({lo_names}) to {fmt_pct(hi)} ({hi_names}). "
        )
    shown = pts[pts["funnel_position"] != "not compared"]
    if len(shown) == 1:
        only = shown.iloc[0]
        text += (
            f"The one practice with published counts had coverage of {fmt_pct(only['value'])} "
            f"({only['funnel_position']} control limits around {target_name}'s value). "
        )
    elif len(shown):
        below = int(pts["funnel_position"].eq("below 99.8%").sum())
        above = int(pts["funnel_position"].eq("above 99.8%").sum())
        text += (
            f"Of the {len(shown)} practices with published counts, coverage ranged from "
            f"{fmt_pct(shown['value'].min())} to {fmt_pct(shown['value'].max())}; {below} "
            f"{'was' if below == 1 else 'were'} below and {above} above the 99.8% control limits around "
            f"{target_name}'s value. "
        )
    n_supp = int((pts["funnel_position"] == "not compared").sum())
    if n_supp:
        text += f"{n_supp} practice{'s' if n_supp != 1 else ''} had suppressed counts and {'are' if n_supp != 1 else 'is'} left out. "
    if assoc["n"] >= 5 and not pd.isna(assoc["rho"]):
        if assoc["p_value"] < 0.05:
            direction = "lower" if assoc["rho"] < 0 else "higher"
            text += (
                f"Coverage was {direction} in practices serving more deprived populations "
                f"(across {assoc['n']} practices)."
            )
        else:
            text += f"Across {assoc['n']} practices there was no clear link between practice coverage and deprivation."
    return text


def association_note(assocs: dict[str, dict], programme: str) -> str:
    """For analysts: the rank correlations behind the sentences on coverage and deprivation."""
    parts = [
        f"{age_group_label(programme, ag)}: Spearman rank correlation {a['rho']:.2f} (p = {a['p_value']:.2f}, "
        f"{a['n']} practices)"
        for ag, a in assocs.items()
        if a["n"] >= 5 and not pd.isna(a["rho"])
    ]
    if not parts:
        return ""
    return (
        "Coverage and deprivation are compared by Spearman's rank correlation between practice coverage and "
        "the practice's IMD 2019 score (negative = lower coverage where more deprived; 'clear' means p < 0.05): "
        + "; ".join(parts)
        + "."
    )


def older_words(period_text: str) -> str:
    """' (older data: more than three years old)' for a period that ended more than three years ago, else ''."""
    from llr_analysis.report.words import is_older_data

    return " (older data: more than three years old)" if is_older_data(period_text) else ""


#: Rows of the area table for practices that no PCN of the place counts (shown apart, never among the PCNs).
APART_LEVELS = ("no_pcn", "closed", "pcn_elsewhere")


def no_pcn_rows(table: pd.DataFrame) -> pd.DataFrame:
    """The area table without its rows of practices shown apart (no PCN, closed, in another place's PCN)."""
    return table[~table["level"].isin(APART_LEVELS)]


def missing_data_message(programme: str) -> str:
    """What the page tells a reader when a programme has no data: plain words (how to get it is in
    :data:`FETCH_FINGERTIPS_NOTE`, for analysts)."""
    return (
        f"{programme_label(programme)}: no figures on this site yet. Breast, bowel and recent cervical screening "
        "coverage are published by OHID (Fingertips), which could not be reached when this site was made."
    )


#: For analysts (a folded note): how the Fingertips figures are fetched.
FETCH_FINGERTIPS_NOTE = (
    "Breast, bowel and recent cervical screening come from the OHID Fingertips API, which needs internet "
    "access: run `llr fetch-fingertips` and then `llr process cancer_screening`, then build the site again. "
    "The build does not fail without them."
)


def pcn_display_name(name) -> str:
    """'LEICESTER CITY & UNIVERSITY PCN' -> 'Leicester City & University PCN'."""
    if name is None or name is pd.NA or (isinstance(name, float) and math.isnan(name)):
        return "no PCN on record"
    return str(name).title().replace("Pcn", "PCN")


def wide_by_age(df: pd.DataFrame, keys: list[str], values: dict[str, str], key_labels: dict[str, str]) -> pd.DataFrame:
    """A display table with one row per ``keys`` and, for each age group, the ``values`` columns
    side by side (headed "25–49 coverage (%)", ...). ``ci`` is made from lower_95/upper_95."""
    d = df.copy()
    if "ci" in values:
        d["ci"] = [fmt_ci(lo, hi).replace("%", "") for lo, hi in zip(d["lower_95"], d["upper_95"], strict=True)]
    ages = list(dict.fromkeys(d["age_group"]))
    order = list(dict.fromkeys(map(tuple, d[keys].astype(str).to_numpy())))
    out = d.drop_duplicates(subset=keys)[keys].copy()
    out["_k"] = list(map(tuple, out[keys].astype(str).to_numpy()))
    for ag in ages:
        g = d[d["age_group"] == ag].copy()
        g["_k"] = list(map(tuple, g[keys].astype(str).to_numpy()))
        g = g.drop_duplicates("_k").set_index("_k")
        for col, label in values.items():
            head = f"{short_age(ag)} {label}" if len(ages) > 1 else label[:1].upper() + label[1:]
            vals = out["_k"].map(g[col])
            if col in (
                "screens_to_acceptable",
                "screens_to_achievable",
                "denominator",
                "count",
                "numerator",
                "practices",
                "practices_missing",
            ):
                vals = pd.to_numeric(vals, errors="coerce").astype("Int64")
            out[head] = vals
    out = out.set_index("_k").loc[order].reset_index(drop=True)
    for k in keys:
        if k in ("practices", "practices_all", "imd_decile"):
            out[k] = pd.to_numeric(out[k], errors="coerce").astype("Int64")
    return out.rename(columns=key_labels)


def render_programme(
    page,
    place: str,
    programme: str,
    period: str = "latest",
    funnel_against: str = "england",
    shown: list[str] | None = None,
    paths=None,
) -> dict:
    """Everything the page shows for one programme in one place (the notebook calls this once
    per programme). Returns the tables it computed (for tests and for the page summary)."""
    from llr_analysis.report.page import tidy_download

    if shown is not None and programme not in shown:
        page.markdown(
            f"*Not shown on this page (programme parameter). {programme_label(programme)} can be "
            "shown by running the notebook with `programme=all`.*"
        )
        return {}
    the_place = get_place(place)
    avail = availability(paths)
    label = programme_label(programme)
    std = standard(programme)
    out: dict = {}
    gp_period = (
        resolve_period(avail, programme, period, level="gp_practice")
        if len(avail[(avail["programme"] == programme) & (avail["level"] == "gp_practice")])
        else None
    )
    la_period = (
        resolve_period(avail, programme, period, level="local_authority")
        if len(avail[(avail["programme"] == programme) & (avail["level"] == "local_authority")])
        else None
    )
    if gp_period is None and la_period is None:
        page.note(missing_data_message(programme), kind="warning")
        page.note(FETCH_FINGERTIPS_NOTE, title="For analysts", collapse=True)
        return out

    if gp_period is not None:
        plabel = period_label(avail, programme, gp_period)
        ages = sorted(
            avail[
                (avail["programme"] == programme) & (avail["period"] == gp_period) & (avail["level"] == "gp_practice")
            ]["age_group"].unique()
        )
        tables, texts, srcs = [], [], set()
        for ag in ages:
            rows = practice_rows(programme, gp_period, ag, paths)
            srcs |= set(rows["source_id"].dropna())
            t = area_table(rows, place, programme, gp_period, ag, paths)
            target, target_name = funnel_target(rows, t, funnel_against)
            here = rows[rows["place_id"] == the_place.id]
            pts, limits = funnel(here, target)
            assoc = deprivation_association(pts["value"], pts["imd_score"])
            texts.append(age_narrative(t, pts, programme, ag, the_place.name, target_name, assoc))
            t["age_label"] = age_group_label(programme, ag)
            tables.append(t)
            pts["age_label"] = age_group_label(programme, ag)
            out[ag] = {"table": t, "points": pts, "limits": limits, "assoc": assoc, "target": target}
        table = pd.concat(tables, ignore_index=True)
        source_id = ", ".join(sorted(srcs))
        page.markdown(
            f"**{label}, {plabel}{older_words(plabel)}** (GP practice data, summed to PCN, place and "
            f"{load_places().llr_short_name}; registered patients).\n\n" + "\n\n".join(texts)
        )
        analysts = association_note({ag: out[ag]["assoc"] for ag in ages}, programme)
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
        import altair as alt

        charts, fdl = [], []
        for ag in ages:
            o = out[ag]
            tname = "England" if funnel_against == "england" else load_places().llr_short_name
            charts.append(funnel_chart(o["points"], o["limits"], tname, age_group_label(programme, ag)))
            fdl.append(o["points"])  # each practice's place against the funnel: column funnel_position
        fdl = pd.concat(fdl, ignore_index=True)
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
        charts = [deprivation_chart(out[ag]["points"], age_group_label(programme, ag)) for ag in ages]
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
        out["table"], out["period_label"] = table, plabel
    else:
        gp_ids = [
            " or ".join(str(x) for x in [i["id"], *i.get("alternatives", [])])  # 94063 or 91339
            for i in settings.cancer_screening()["fingertips"]["indicators"]
            if i["programme"] == programme and "gp_practice" in i["area_types"]
        ]
        page.note(
            f"{label}: no GP practice figures on this site yet, so PCN and practice figures cannot be shown.",
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

    from llr_analysis.report.cancer_screening_fingertips import render_nhs_areas

    nhs = render_nhs_areas(page, place, programme, paths)  # Fingertips' PCN, sub-ICB, ICB figures: online only
    if nhs is not None:
        out["nhs_areas"] = nhs
    if la_period is not None:
        la = local_authority_rows(programme, la_period, paths=paths)
        if len(la):
            out["local_authority"] = render_local_authority(page, place, programme, la_period, la, paths)
    return out


def render_local_authority(page, place: str, programme: str, period: str, la: pd.DataFrame, paths=None) -> pd.DataFrame:
    """The Fingertips local authority (resident population) part of a programme's section."""
    from llr_analysis.report.page import tidy_download

    the_place = get_place(place)
    label, std = programme_label(programme), standard(programme)
    t = la_table(la, place, programme)
    texts = []
    for ag, g in t.groupby("age_group", sort=False):
        p, e = g[g["level"] == "place"], g[g["level"] == "england"]
        if p.empty or pd.isna(p["value"].iloc[0]):
            texts.append(f"**{age_group_label(programme, ag)}.** Fingertips has no value for {the_place.name}.")
            continue
        p = p.iloc[0]
        ev = fmt_pct(e["value"].iloc[0]) if len(e) else "–"
        texts.append(
            f"**{age_group_label(programme, ag)}.** {fmt_pct(p['value'])} (95% CI "
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
    trend = la_trend(programme, place, paths)
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
