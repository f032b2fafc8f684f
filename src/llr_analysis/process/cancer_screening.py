"""Cancer screening: practice coverage, the practice -> PCN -> place lookup, Fingertips
extracts and the ONS Health Index screening composite.

Sources, read by their publishers' column names:

* PHE cervical screening coverage by GP practice, 31 Dec 2017 (``cervical_coverage_gp_2017_12``):
  the BBC's R export of the PHE workbook, so headers are R-mangled (``Organisation.Code``,
  ``Eligible25to49``, ``No..of.women.screened.in.previous.42.months``, ...). Suppressed cells
  (``<under 6>``, ``<Suppressed>``) become missing, never zero: a practice with either count
  suppressed is kept with ``suppressed = True`` and left out of every sum.
* ODS epraccur (Dec 2022, no header row; columns per the ODS epraccur specification):
  name, premises postcode, open/close dates, status and current commissioner (sub-ICB).
* ODS ePCN (Jan 2023), sheet "PCN Core Partner Details": practice -> PCN relationships with
  start and end dates (so practices that left or closed keep their last PCN).
* NHS Digital practice mapping (Jan 2022) and QOF 2020-21 mapping: PCNs of practices that
  ePCN does not list.
* Registered-population-weighted IMD 2019 by practice and by PCN (third-party, Blackwell).
* ONS Health Index (beta) inputs, UTLA 2015-2018: ``can_screen`` ("Cancer screening", %).
* Fingertips extracts in ``data/raw/cancer_screening/fingertips/`` when they were fetched
  (:func:`llr_analysis.fetch.fingertips.fetch_fingertips`); none offline, which is not an error.
"""

from __future__ import annotations

import re

import pandas as pd
import pandera.pandas as pa

from llr_analysis import settings
from llr_analysis.errors import DataValidationError
from llr_analysis.fetch.sources import raw_path
from llr_analysis.places import load_places, place_id_check
from llr_analysis.process import checks, fingertips, plausibility, read_table, step
from llr_analysis.process.checks import bounds, checks_only, complete, not_above, not_greater, unique_rows, validate
from llr_analysis.process.gp_practices import (
    NOT_IN_ICS,
    PCN_CODE,
    PRACTICES_SCHEMA,
    RESIDENCE_TABLE,
    assign_place,
    ccg_code_from_name,
    practice_rule,
    read_epcn,
    read_epraccur,
    read_gp_mapping_2022,
    read_qof_mapping,
    residences,
)
from llr_analysis.validate import (
    PRACTICE_CODE,
    UTLA_CODE,
    code_column,
    example_row,
    read_csv,
    select_columns,
    to_number,
)

PRACTICE_COVERAGE_SCHEMA = pa.DataFrameSchema(
    {
        "source_id": pa.Column(str),
        "file": pa.Column(str, nullable=True),
        "programme": pa.Column(str, pa.Check.isin(["cervical", "breast", "bowel"])),
        "age_group": pa.Column(str),
        "period": pa.Column(str),
        "period_label": pa.Column(str),
        "period_sort": pa.Column(float),
        "indicator": pa.Column(str),
        "practice_code": code_column(PRACTICE_CODE),
        "practice_name": pa.Column(str, nullable=True),
        "ccg_code": pa.Column(str, nullable=True),
        "ccg_name": pa.Column(str, nullable=True),
        "in_llr": pa.Column(bool),
        "place_id": pa.Column(str, place_id_check(), nullable=True),
        "place_basis": pa.Column(str),
        "numerator": pa.Column(float, pa.Check.ge(0), nullable=True),
        "denominator": pa.Column(float, pa.Check.ge(0), nullable=True),
        "suppressed": pa.Column(bool),
        "suppression_note": pa.Column(str, nullable=True),
    },
    strict=True,
    unique=["source_id", "programme", "age_group", "period", "practice_code"],
    checks=[
        pa.Check(
            lambda d: ~d["suppressed"] | d["numerator"].isna() | d["denominator"].isna(),
            name="suppressed rows have a missing count",
        ),
        pa.Check(lambda d: d["in_llr"] == d["place_id"].notna(), name="every row of the ICS has a place"),
        bounds("numerator", 0, None, "a count"),
        bounds("denominator", 0, None, "a count"),
        not_above("numerator", "denominator"),
    ],
)


HEALTH_INDEX_SCHEMA = pa.DataFrameSchema(
    {
        "year": pa.Column(int),
        "area_code": code_column(UTLA_CODE),
        "area_name": pa.Column(str),
        "value": pa.Column(float, pa.Check.in_range(0, 100)),
        "rank": pa.Column(int, pa.Check.ge(1)),
        "areas": pa.Column(int),
        "source_id": pa.Column(str),
    },
    unique=["year", "area_code"],
    checks=[
        bounds("value", *plausibility.PERCENT, "a percentage (Health Index cancer screening)"),
        bounds("rank", 1, None, "a rank"),
        not_above("rank", "areas"),
        *complete(("value",), areas="ics_utlas"),
    ],
)

checks.register("cancer_screening/practice_coverage", PRACTICE_COVERAGE_SCHEMA)
checks.register("cancer_screening/practices", PRACTICES_SCHEMA)
checks.register("cancer_screening/health_index", HEALTH_INDEX_SCHEMA)
#: Fingertips' screening rows of the areas (rows as read were checked by the same checks, naming their line).
checks.register("cancer_screening/area_coverage", checks_only(fingertips.SCREENING_CHECKS))


# ------------------------------------------------------------------------------ place rule


# ------------------------------------------------------------------------------ readers


#: A raw file's screened count never above its eligible count.
NUMERATOR_NOT_GREATER = checks_only([not_greater("numerator", "denominator")])


def read_cervical_2017(path, cfg: dict) -> pd.DataFrame:
    """The Dec 2017 workbook -> one row per practice and age group (all of England)."""
    raw = read_csv(path, dtype=str, keep_default_na=False, encoding="utf-8-sig")
    c17 = cfg["cervical_2017"]
    base = select_columns(
        raw, {"Organisation.Code": "practice_code", "Organisation": "practice_name", "CCG": "ccg_name"}, path
    )
    base["practice_code"] = base["practice_code"].str.strip()
    base["practice_name"] = base["practice_name"].str.strip()
    base["ccg_name"] = base["ccg_name"].str.strip()
    validate(
        base,
        checks_only(
            [
                unique_rows(["practice_code"]),
                checks.expected_count(cfg["expected"]["england_practices_2017"], "practice rows", where="in England"),
            ]
        ),
        path,
    )
    parts = []
    for age, cols in c17["columns"].items():
        sel = select_columns(
            raw,
            {cols["denominator"]: "denominator", cols["numerator"]: "numerator", cols["suppression"]: "suppression"},
            path,
        )
        part = base.copy()
        for c, src in (("denominator", cols["denominator"]), ("numerator", cols["numerator"])):
            # "<Suppressed>" is PHE's second marker beside "<under 6>"; both mean "not published".
            text = sel[c].str.replace(r"^\s*<\s*suppressed\s*>\s*$", "*", regex=True, flags=re.IGNORECASE)
            part[c], _ = to_number(text, path, src, area=base["practice_code"])
        note = sel["suppression"].str.strip()
        part["suppressed"] = part["numerator"].isna() | part["denominator"].isna()
        flagged = note.str.lower().str.startswith("suppress")
        mismatch = flagged != part["suppressed"]
        if mismatch.any():
            raise DataValidationError(
                path,
                "suppression flag disagrees with the counts",
                column=cols["suppression"],
                example=example_row(raw, mismatch),
            )
        part["suppression_note"] = note.where(flagged, None)
        validate(part, NUMERATOR_NOT_GREATER, path)
        part["age_group"] = age
        parts.append(part)
    out = pd.concat(parts, ignore_index=True)
    out["source_id"] = "cervical_coverage_gp_2017_12"
    out["file"] = pd.NA
    out["programme"] = "cervical"
    out["period"] = str(c17["period"])
    out["period_label"] = str(c17["period_label"])
    out["period_sort"] = float(str(c17["period"]).replace("-", ""))
    out["indicator"] = [
        f"Cervical screening coverage, {cfg['programmes']['cervical']['age_groups'][a]['label'].lower()}"
        f" ({cfg['programmes']['cervical']['age_groups'][a]['interval']})"
        for a in out["age_group"]
    ]
    out["ccg_code"] = out["ccg_name"].map(ccg_code_from_name)
    return out


def read_imd(path, code_col: str) -> pd.DataFrame:
    raw = read_csv(path, dtype=str, keep_default_na=False, encoding="utf-8-sig")
    out = select_columns(raw, {code_col: "code", "imd_score": "imd_score", "imd_decile": "imd_decile"}, path)
    out["code"] = out["code"].str.strip()
    out["imd_score"], _ = to_number(out["imd_score"], path, "imd_score", allow_suppressed=False, area=out["code"])
    out["imd_decile"], _ = to_number(out["imd_decile"], path, "imd_decile", allow_suppressed=False, area=out["code"])
    validate(out, checks_only([unique_rows(["code"])]), path)
    return out


def read_health_index(paths) -> pd.DataFrame:
    """``can_screen`` from the four UTLA input files, with each area's national rank (1 = highest)."""
    meta_path = raw_path("health_index_metadata", paths)
    meta = select_columns(read_csv(meta_path, dtype=str), {"code": "code", "label": "label"}, meta_path)
    hit = meta[meta["code"].str.strip() == "can_screen"]
    if hit.empty or "screen" not in hit["label"].iloc[0].lower():
        raise DataValidationError(
            meta_path, "indicator can_screen ('Cancer screening') is not described", column="code"
        )
    parts = []
    for year in (2015, 2016, 2017, 2018):
        ds = f"health_index_utla_{year}"
        f = raw_path(ds, paths)
        d = select_columns(
            read_csv(f, dtype=str, keep_default_na=False),
            {"Area code": "area_code", "Area name": "area_name", "can_screen": "value"},
            f,
        )
        d["value"], _ = to_number(d["value"], f, "can_screen", allow_suppressed=False, area=d["area_code"])
        d = d.dropna(subset=["value"]).copy()
        d["year"] = year
        d["rank"] = d["value"].rank(ascending=False, method="min").astype(int)
        d["areas"] = len(d)
        d["source_id"] = ds
        parts.append(validate(d[list(HEALTH_INDEX_SCHEMA.columns)], HEALTH_INDEX_SCHEMA, f))
    return pd.concat(parts, ignore_index=True)


# ------------------------------------------------------------------------------ lookup


def build_practice_lookup(
    codes: set[str],
    epr: pd.DataFrame,
    epcn: pd.DataFrame,
    m22: pd.DataFrame,
    qof: pd.DataFrame,
    imd: pd.DataFrame,
    pcn_imd: pd.DataFrame,
    residence: pd.DataFrame | None = None,
) -> pd.DataFrame:
    """One row per practice of the ICS: current details, PCN (and how it was found), deprivation, and the
    place where most of its registered patients live (``residence``:
    :func:`llr_analysis.process.gp_practices.resident_places`; missing without it).

    PCN, in order of preference: the practice's current relationship in ePCN (Jan 2023); its
    most recent ended ePCN relationship (a practice that closed or left keeps the PCN it was
    last in); the NHS Digital practice mapping (Jan 2022); the QOF 2020-21 mapping. Practices
    with none of these (closed before PCNs formed in 2019, or outside PCN arrangements) keep
    no PCN and are listed on the page.
    """
    df = pd.DataFrame({"practice_code": sorted(codes)})
    df = df.merge(epr, on="practice_code", how="left")
    for src in (m22, qof):  # names and postcodes of practices epraccur lacks
        df = df.merge(
            src[["practice_code", "practice_name"] + (["postcode"] if "postcode" in src else [])].rename(
                columns={"practice_name": "_n", "postcode": "_p"}
            ),
            on="practice_code",
            how="left",
        )
        df["practice_name"] = df["practice_name"].fillna(df.pop("_n"))
        if "_p" in df:
            df["postcode"] = df["postcode"].fillna(df.pop("_p"))

    rel = epcn[epcn["practice_code"].isin(codes)].copy()
    current = rel[rel["end_date"].isna()].sort_values("start_date").drop_duplicates("practice_code", keep="last")
    ended = rel[rel["end_date"].notna()].sort_values("end_date").drop_duplicates("practice_code", keep="last")
    df["pcn_code"], df["pcn_name"], df["pcn_basis"] = pd.NA, pd.NA, "no PCN found"

    def fill(src: pd.DataFrame, basis):
        s = src.set_index("practice_code")
        todo = df["pcn_code"].isna() & df["practice_code"].isin(s.index)
        df.loc[todo, "pcn_code"] = df.loc[todo, "practice_code"].map(s["pcn_code"])
        df.loc[todo, "pcn_name"] = df.loc[todo, "practice_code"].map(s["pcn_name"])
        df.loc[todo, "pcn_basis"] = [basis(s.loc[c]) for c in df.loc[todo, "practice_code"]]

    fill(current, lambda r: "ODS ePCN Jan 2023 (current)")
    fill(ended, lambda r: f"ODS ePCN Jan 2023 (last PCN, left {r['end_date']})")
    fill(m22[m22["pcn_code"].str.match(PCN_CODE)], lambda r: "NHS Digital practice mapping Jan 2022")
    fill(qof[qof["pcn_code"].str.match(PCN_CODE)], lambda r: "QOF 2020-21 mapping")
    # One spelling per PCN (ePCN's upper-case names).
    names = (
        pd.concat(
            [epcn[["pcn_code", "pcn_name"]], m22[["pcn_code", "pcn_name"]].assign(pcn_name=m22["pcn_name"].str.upper())]
        )
        .drop_duplicates("pcn_code")
        .set_index("pcn_code")["pcn_name"]
    )
    df["pcn_name"] = df["pcn_code"].map(names).fillna(df["pcn_name"])

    i = imd.set_index("code")
    df["imd_score"] = df["practice_code"].map(i["imd_score"])
    df["imd_decile"] = df["practice_code"].map(i["imd_decile"])
    p = pcn_imd.set_index("code")
    df["pcn_imd_score"] = df["pcn_code"].map(p["imd_score"])
    df["pcn_imd_decile"] = df["pcn_code"].map(p["imd_decile"])
    r = residence if residence is not None else pd.DataFrame(columns=["practice_code", "place_id", "place_basis"])
    r = r.set_index("practice_code")
    df["resident_place_id"] = df["practice_code"].map(r["place_id"])
    df["resident_basis"] = df["practice_code"].map(r["place_basis"])
    for c in (
        "practice_name",
        "postcode",
        "status",
        "open_date",
        "close_date",
        "current_ccg_code",
        "prescribing_setting",
        "pcn_code",
        "pcn_name",
        "pcn_basis",
        "resident_place_id",
        "resident_basis",
    ):
        df[c] = df[c].astype(object).where(df[c].notna(), None)
    for c in ("imd_score", "imd_decile", "pcn_imd_score", "pcn_imd_decile"):
        df[c] = pd.to_numeric(df[c], errors="coerce").astype(float)
    return df[list(PRACTICES_SCHEMA.columns)]


def _fingertips_practice_rows(ft: pd.DataFrame, cfg: dict) -> pd.DataFrame:
    """Fingertips GP practice rows in the practice-coverage layout (ccg from the parent sub-ICB)."""
    g = ft[ft["area_level"] == "gp_practice"].copy()
    if g.empty:
        return pd.DataFrame()
    ons = practice_rule().get("ons_codes", {})
    out = pd.DataFrame(
        {
            "source_id": "fingertips",
            "file": g["file"],
            "programme": g["programme"],
            "age_group": g["age_group"],
            "period": g["period"],
            "period_label": g["period"],
            "period_sort": g["period_sort"].astype(float),
            "indicator": g["indicator_name"] + " (Fingertips " + g["indicator_id"].astype(int).astype(str) + ")",
            "practice_code": g["area_code"],
            "practice_name": g["area_name"],
            "ccg_code": g["parent_code"].map(ons),
            "ccg_name": pd.NA,
            "_parent_is_sub_icb": g["parent_code"].fillna("").str.match(r"^E38\d{6}$"),
            "numerator": g["count"],
            "denominator": g["denominator"],
        }
    )
    out["suppressed"] = out["numerator"].isna() | out["denominator"].isna()
    notes = g["value_note"].replace("", "count not published")
    out["suppression_note"] = notes.where(out["suppressed"].to_numpy(), None)
    return out


# ------------------------------------------------------------------------------ the step


@step(
    "cancer_screening",
    inputs=[
        "cervical_coverage_gp_2017_12",
        "gp_practice_mapping_2022_01",
        "qof_mapping_2020_21",
        "ods_epcn_2023_01",
        "ods_epraccur_2022_12",
        "practice_imd2019_derived",
        "pcn_imd2019_derived",
        "health_index_utla_2015",
        "health_index_utla_2016",
        "health_index_utla_2017",
        "health_index_utla_2018",
        "health_index_metadata",
    ],
    outputs=[
        "cancer_screening/practice_coverage",
        "cancer_screening/practices",
        "cancer_screening/area_coverage",
        "cancer_screening/health_index",
    ],
    raw_folders=["cancer_screening/fingertips"],
    after=["gp_practices"],
)
def build_screening(paths) -> dict[str, pd.DataFrame]:
    cfg = settings.cancer_screening()
    rule = practice_rule()
    llr_ccgs = set(rule["sub_icbs"])

    f17 = raw_path("cervical_coverage_gp_2017_12", paths)
    cov = read_cervical_2017(f17, cfg)
    in_ccgs = checks.expected_count(
        rule.get("practices_2017"),
        f"practices in the CCGs of {load_places().ics_short_name} (Dec 2017)",
        of=lambda d: d.loc[d["ccg_code"].notna(), "practice_code"].nunique(),
    )
    validate(cov, checks_only([in_ccgs]), f17)

    # Fingertips extracts, if any were fetched (none offline).
    ft = fingertips.read_fetched(paths.raw / cfg["fingertips"]["raw_folder"], cfg)
    ftp = _fingertips_practice_rows(ft, cfg)
    if len(ftp):
        cov = pd.concat([cov, ftp], ignore_index=True)

    epr_path = raw_path("ods_epraccur_2022_12", paths)
    epr = read_epraccur(epr_path)
    epcn = read_epcn(raw_path("ods_epcn_2023_01", paths))
    m22 = read_gp_mapping_2022(raw_path("gp_practice_mapping_2022_01", paths))
    qof = read_qof_mapping(raw_path("qof_mapping_2020_21", paths))
    imd = read_imd(raw_path("practice_imd2019_derived", paths), "practice_code")
    pcn_imd = read_imd(raw_path("pcn_imd2019_derived", paths), "pcn_code")

    # PCNs named in the places file must exist (a stale code would silently move its practices).
    for code, place in rule.get("pcns", {}).items():
        if not epcn["pcn_code"].eq(code).any():
            raise DataValidationError(
                raw_path("ods_epcn_2023_01", paths),
                f"{load_places().source} practices.pcns names PCN {code} (for {place}), but ePCN has no such PCN",
                column="PCN Code",
            )

    # Every practice that is, or was, in the ICS by any source.
    codes = set(cov.loc[cov["ccg_code"].notna(), "practice_code"])
    codes |= set(epr.loc[epr["current_ccg_code"].isin(llr_ccgs) & epr["prescribing_setting"].eq("4"), "practice_code"])
    codes |= set(m22.loc[m22["ccg_code"].isin(llr_ccgs), "practice_code"])
    codes |= set(qof.loc[qof["ccg_code"].isin(llr_ccgs), "practice_code"])
    llr_pcns = set(epcn.loc[epcn["practice_code"].isin(codes), "pcn_code"])
    codes |= set(epcn.loc[epcn["pcn_code"].isin(llr_pcns), "practice_code"])
    residence = read_table(RESIDENCE_TABLE, paths)  # empty unless NHS England's patients-by-LSOA file was fetched
    lookup = build_practice_lookup(codes, epr, epcn, m22, qof, imd, pcn_imd, residence)
    lookup = validate(lookup, PRACTICES_SCHEMA, epr_path)

    # A source row without a CCG (Fingertips rows whose parent is not one of the ICS's sub-ICBs) takes the
    # practice's current commissioner only if the practice is one of the ICS's practices. The Dec 2017 workbook
    # names each practice's CCG of the time, read by the places file's CCG names; a places file with none (one
    # `llr configure` wrote: it knows today's sub-ICB locations only) gives its rows the current commissioner too.
    cur = lookup.set_index("practice_code")["current_ccg_code"]
    dated = cov["source_id"].eq("cervical_coverage_gp_2017_12") & bool(rule.get("names"))
    no_ccg = cov["ccg_code"].isna() & ~dated
    if "_parent_is_sub_icb" in cov:
        no_ccg &= ~cov.pop("_parent_is_sub_icb").fillna(False).astype(bool)
    cov.loc[no_ccg, "ccg_code"] = cov.loc[no_ccg, "practice_code"].map(cur).where(lambda s: s.isin(llr_ccgs))
    lk = lookup.set_index("practice_code")
    home = dict(zip(lookup["practice_code"], residences(lookup), strict=True))
    places = [
        assign_place(c, lk["pcn_code"].get(p), lk["postcode"].get(p), rule, home.get(p))
        if pd.notna(c)
        else (None, NOT_IN_ICS)
        for c, p in zip(cov["ccg_code"], cov["practice_code"], strict=True)
    ]
    cov["place_id"] = [p for p, _ in places]
    cov["place_basis"] = [b for _, b in places]
    cov["in_llr"] = cov["place_id"].notna()  # placed in a place of the ICS (see place_basis for the rest)
    for c in ("file", "practice_name", "ccg_code", "ccg_name", "place_id", "suppression_note"):
        cov[c] = cov[c].astype(object).where(cov[c].notna(), None)
    cov = (
        cov[list(PRACTICE_COVERAGE_SCHEMA.columns)]
        .sort_values(["programme", "period_sort", "age_group", "practice_code"])
        .reset_index(drop=True)
    )
    cov = validate(cov, PRACTICE_COVERAGE_SCHEMA, f17)

    area = ft[ft["area_level"] != "gp_practice"].reset_index(drop=True)
    hi = read_health_index(paths)
    return {
        "cancer_screening/practice_coverage": cov,
        "cancer_screening/practices": lookup,
        "cancer_screening/area_coverage": area,
        "cancer_screening/health_index": hi,
        "quality/known_gaps_cancer_screening": health_index_gaps(hi, [p.code for p in load_places().places.values()]),
    }


def health_index_gaps(hi: pd.DataFrame, place_codes: list[str]) -> pd.DataFrame:
    """A known gap for each place with no row in a year of the ONS Health Index inputs (they hold the upper-tier
    authorities of their time, with the smallest joined to a neighbour: no row for such an area, or for an
    authority made since)."""
    rows = []
    for code in place_codes:
        years = sorted(set(hi["year"]) - set(hi.loc[hi["area_code"] == code, "year"]))
        if years:
            held = int(hi.loc[hi["year"] == years[-1], "area_code"].nunique())
            reason = (
                f"the ONS Health Index (beta) inputs have no row for this area in {_years(years)} (they hold {held} "
                "upper-tier authorities of England, on the boundaries of their time)"
            )
            rows.append(checks.gap("cancer_screening/health_index", code, reason))
    return pd.DataFrame(rows, columns=checks.GAP_COLUMNS)


def _years(years: list[int]) -> str:
    """Years in words: "2018", "2015 to 2018", or "2015, 2017"."""
    if len(years) == 1:
        return str(years[0])
    if years == list(range(years[0], years[-1] + 1)):
        return f"{years[0]} to {years[-1]}"
    return ", ".join(map(str, years))
