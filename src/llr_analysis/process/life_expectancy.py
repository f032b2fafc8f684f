"""Life expectancy: local-authority trends, healthy life expectancy, inequality, MSOAs, GP practices.

Every source is read by its publisher's own layout and kept apart: each row of every table
says which ``series`` it comes from, so two series that overlap and disagree are never
spliced silently (see :data:`SERIES`).

Sources (all registered in config/sources.yml):

* ``le_ons_la_2001_2018`` - ONS "Life expectancy at birth and at age 65 by local areas in the
  UK", Dec 2019 edition: four sheets (birth/65 x males/females), header row "Area Codes, Area
  Names, , , 2001-2003 ... 2016-2018"; names sit in column B, C or D by level. No intervals.
* ``le_lad_fingertips_2015_2025`` - OHID Fingertips 90366 (life expectancy at birth),
  districts/UAs + England, as reshaped by Trafford Data Lab (value to 1 dp, no intervals,
  OHID's own "compared_to_England" judgement kept). No county rows.
* ``hle_ons_els`` - ONS Explore Local Statistics healthy life expectancy (Feb 2026 release,
  interim modelled-prevalence method), counties/UAs + England, with 95% intervals.
* ``hle_utla_fingertips_2009_2018`` / ``hle_lad_fingertips_2015_2024`` - Fingertips 90362
  extracts: the 2020 extract (earlier ONS method) and the current one.
* ``sii_utla_fingertips_2010_2017`` / ``sii_lad_fingertips_2015_2024`` - Fingertips 92901
  slope index of inequality in life expectancy (no intervals in the extracts).
* ``le_hle_msoa_2009_13`` / ``le_dfle_msoa_2009_13`` - ONS LE with HLE / DFLE at birth for
  MSOAs (2011) in England, 2009-13, with 95% intervals; also upper-tier and England rows.
* ``le_gp_practice_heec`` - Fingertips 650 (MSOA-based practice life expectancy) by GP
  practice with IMD quintile and ICB, as reshaped by the Health Equity Evidence Centre.
* ``msoa11_boundaries`` and ``msoa11_names`` - MSOA 2011 boundaries and readable names.

Periods are written "2016-18" everywhere, with ``period_start`` and ``period_end`` years.
"""

from __future__ import annotations

import re

import numpy as np
import pandas as pd
import pandera.pandas as pa

from llr_analysis.errors import DataValidationError
from llr_analysis.fetch.sources import raw_path
from llr_analysis.places import load_places, place_id_check
from llr_analysis.process import checks, plausibility, read_table, step
from llr_analysis.process.checks import bounds, checks_only, complete, is_, not_above, validate, within_interval
from llr_analysis.process.geography import read_boundaries, require_boundaries
from llr_analysis.process.life_expectancy_local import (
    _header_row,
    _read_excel,
    msoa_2009_13,
    read_gp_practice_if_present,
)
from llr_analysis.validate import (
    MSOA_CODE,
    code_column,
    example_row,
    read_csv,
    select_columns,
    to_number,
)

#: Every series, with the words the page uses for it.
SERIES = {
    "ons_la_2019": "ONS local-area life expectancy, Dec 2019 edition (2001-03 to 2016-18)",
    "fingertips_90366": "OHID Fingertips 90366, later ONS figures (2015-17 onwards, 1 dp)",
    "ons_els_2026": "ONS healthy life expectancy, Feb 2026 release (interim method, with 95% CIs)",
    "fingertips_90362_2020": "OHID Fingertips 90362 as extracted in 2020 (earlier ONS method)",
    "fingertips_90362": "OHID Fingertips 90362, current (same ONS release as the Feb 2026 figures)",
    "fingertips_92901_2020": "OHID Fingertips 92901 counties/UAs, as extracted in 2020 (2010-12 to 2015-17)",
    "fingertips_92901": "OHID Fingertips 92901 districts/UAs, current (2015-17 onwards)",
    "ons_msoa_2015": "ONS small-area LE, HLE and DFLE, 2009-13 (2015 release)",
    "fingertips_650": "OHID Fingertips 650 (GP practice, MSOA-based), via HEEC",
}

SEX_LABELS = {"male": "Male", "males": "Male", "female": "Female", "females": "Female"}


def _area_period_columns(**overrides) -> dict:
    """Columns every local-authority series table shares (area, 3-year period, sex, series, source)."""
    cols = {
        "area_code": pa.Column(str, pa.Check.str_matches(r"^E\d{8}$")),
        "area_name": pa.Column(str),
        "period": pa.Column(str, pa.Check.str_matches(r"^\d{4}-\d{2}$")),
        "period_start": pa.Column(int),
        "period_end": pa.Column(int),
        "sex": pa.Column(str, pa.Check.isin(["Male", "Female"])),
        "series": pa.Column(str, pa.Check.isin(list(SERIES))),
        "source_id": pa.Column(str),
    }
    return cols | overrides


LE_SCHEMA = pa.DataFrameSchema(
    _area_period_columns(
        period_start=pa.Column(int, pa.Check.in_range(2000, 2030)),
        period_end=pa.Column(int, pa.Check.in_range(2002, 2030)),
        age=pa.Column(str, pa.Check.isin(["birth", "65"])),
        value=pa.Column(float, nullable=True),
        lower_95=pa.Column(float, nullable=True),
        upper_95=pa.Column(float, nullable=True),
        ohid_comparison=pa.Column(str, nullable=True),
    ),
    checks=[
        bounds("value", *plausibility.LE_BIRTH, "life expectancy at birth (years)", is_("age", "birth")),
        bounds("value", *plausibility.LE_65, "life expectancy at 65 (years)", is_("age", "65")),
        within_interval("value", "lower_95", "upper_95"),
        # an area the publisher gives no figure at all (too few deaths): recorded, never silently
        *complete(
            ("value",),
            known_gaps=(
                (
                    checks.WHOLLY_BLANK,
                    "ons_la_2019",
                    "ONS does not calculate life expectancy for this area in its local-area release (too few "
                    "deaths and people, says the file's note)",
                ),
                (
                    checks.WHOLLY_BLANK,
                    "fingertips_90366",
                    "OHID Fingertips 90366 publishes no life expectancy for this area (every value is blank in "
                    "the extract)",
                ),
            ),
        ),
        # narrower: the range of England's local areas
        bounds("value", 60, 95, "life expectancy at birth in a local area (years)", is_("age", "birth")),
        bounds("value", 10, 35, "life expectancy at 65 in a local area (years)", is_("age", "65")),
    ],
    unique=["area_code", "period", "sex", "age", "series"],
)

HLE_SCHEMA = pa.DataFrameSchema(
    _area_period_columns(
        value=pa.Column(float, pa.Check.in_range(40, 85), nullable=True),
        lower_95=pa.Column(float, nullable=True),
        upper_95=pa.Column(float, nullable=True),
        ohid_comparison=pa.Column(str, nullable=True),
    ),
    checks=[
        bounds("value", *plausibility.HLE_BIRTH, "healthy life expectancy at birth (years)"),
        within_interval("value", "lower_95", "upper_95"),
        *complete(
            ("value",),
            known_gaps=tuple(
                (
                    checks.WHOLLY_BLANK,
                    series,
                    f"OHID Fingertips 90362 ({extract}) publishes no healthy life expectancy for this area (every "
                    "value is blank)",
                )
                for series, extract in (("fingertips_90362_2020", "2020 extract"), ("fingertips_90362", "current"))
            ),
        ),
        # stricter than within_interval: a value missing beside a given interval fails too
        pa.Check(
            lambda d: d["lower_95"].isna() | ((d["lower_95"] <= d["value"]) & (d["value"] <= d["upper_95"])),
            name="value within its 95% interval",
        ),
    ],
    unique=["area_code", "period", "sex", "series"],
)

SII_SCHEMA = pa.DataFrameSchema(
    _area_period_columns(
        value=pa.Column(float, pa.Check.in_range(-15, 30), nullable=True),
    ),
    checks=[
        bounds("value", *plausibility.SII, "a slope index of inequality in life expectancy (years)"),
        # the slope index of inequality is not published for some areas (blank in the extract): recorded
        # for whichever area of the ICS has the blank ("*": any area), never silently
        *complete(
            ("value",),
            known_gaps=(
                (
                    "*",
                    "fingertips_92901",
                    "OHID Fingertips 92901 publishes no slope index of inequality for this area (the value is "
                    "blank in the extract)",
                ),
                (
                    "*",
                    "fingertips_92901_2020",
                    "OHID Fingertips 92901 (2020 extract) publishes no slope index of inequality for this area "
                    "(the value is blank)",
                ),
            ),
        ),
    ],
    unique=["area_code", "period", "sex", "series"],
)

#: Plausibility of LE, HLE and DFLE 2009-13 (MSOAs, and the upper-tier and England rows).
LE_HLE_DFLE_CHECKS = [
    bounds("le", *plausibility.LE_BIRTH, "life expectancy at birth (years)"),
    bounds("hle", *plausibility.HLE_BIRTH, "healthy life expectancy at birth (years)"),
    bounds("dfle", *plausibility.HLE_BIRTH, "disability-free life expectancy at birth (years)"),
    within_interval("le", "le_lower_95", "le_upper_95"),
    within_interval("hle", "hle_lower_95", "hle_upper_95"),
    within_interval("dfle", "dfle_lower_95", "dfle_upper_95"),
    not_above("hle", "le"),
    not_above("dfle", "le"),
]

MSOA_SCHEMA = pa.DataFrameSchema(
    {
        "msoa11_code": code_column(MSOA_CODE),
        "msoa11_name": pa.Column(str),
        "msoa11_hcl_name": pa.Column(str),
        "lad_code": pa.Column(str),
        "lad_name": pa.Column(str),
        "place_id": pa.Column(str, place_id_check()),
        "sex": pa.Column(str, pa.Check.isin(["Male", "Female"])),
        **{
            f"{m}{s}": pa.Column(float, pa.Check.in_range(30, 100), nullable=True)
            for m in ("le", "hle", "dfle")
            for s in ("", "_lower_95", "_upper_95")
        },
    },
    checks=[
        *LE_HLE_DFLE_CHECKS,
        # stricter than LE_HLE_DFLE_CHECKS: a missing LE beside a given interval or HLE fails too
        pa.Check(
            lambda d: d["le"].isna() | ((d["le_lower_95"] <= d["le"]) & (d["le"] <= d["le_upper_95"])),
            name="LE within its 95% interval",
        ),
        pa.Check(lambda d: d["hle"].isna() | (d["hle"] <= d["le"]), name="HLE not above LE"),
    ],
    unique=["msoa11_code", "sex"],
)

checks.register("life_expectancy/le_la", LE_SCHEMA)
checks.register("life_expectancy/hle", HLE_SCHEMA)
checks.register("life_expectancy/sii", SII_SCHEMA)
checks.register("life_expectancy/msoa11", MSOA_SCHEMA)
checks.register(
    "life_expectancy/areas_2009_13",
    checks_only([*LE_HLE_DFLE_CHECKS, *complete(("le", "hle", "dfle"), areas="ics_utlas")]),
)
checks.register(
    "life_expectancy/gp_practice",
    checks_only(
        [
            bounds("value", *plausibility.LE_BIRTH, "life expectancy at birth (years)"),
            bounds("imd_quintile", 1, 5, "an IMD quintile"),
        ]
    ),
)


# ------------------------------------------------------------------------------ helpers


def period_label(start: int, end: int) -> str:
    """ "2016-18" for a period from 2016 to 2018."""
    return f"{start}-{end % 100:02d}"


def parse_period(text: str, file, column: str) -> tuple[int, int]:
    """Start and end years of a 3-year period written "2001-2003", "2015 - 17", "2009-11" or
    "2011-01-01/P3Y" (ISO 8601 start/duration, as ONS Explore Local Statistics writes it)."""
    s = str(text).strip()
    m = re.fullmatch(r"(\d{4})-01-01/P(\d+)Y", s)
    if m:
        start = int(m.group(1))
        return start, start + int(m.group(2)) - 1
    m = re.fullmatch(r"(\d{4})\s*-\s*(\d{2}|\d{4})", s)
    if not m:
        raise DataValidationError(
            file, f"period {s!r} is not in a known form (e.g. '2016-2018', '2016 - 18')", column=column
        )
    start, end = int(m.group(1)), m.group(2)
    end = int(end) if len(end) == 4 else (start // 100) * 100 + int(end)
    if end < start:
        end += 100
    return start, end


def _add_periods(df: pd.DataFrame, file, column: str = "period") -> pd.DataFrame:
    cache = {p: parse_period(p, file, column) for p in df[column].dropna().unique()}
    df["period_start"] = df[column].map(lambda p: cache[p][0]).astype(int)
    df["period_end"] = df[column].map(lambda p: cache[p][1]).astype(int)
    df["period"] = [period_label(s, e) for s, e in zip(df["period_start"], df["period_end"], strict=True)]
    return df


def _sex(s: pd.Series, file, column: str) -> pd.Series:
    out = s.astype("string").str.strip().str.lower().map(SEX_LABELS)
    bad = out.isna()
    if bad.any():
        raise DataValidationError(
            file,
            f"{int(bad.sum())} rows have an unknown sex",
            column=column,
            example=example_row(s.to_frame(column), bad),
        )
    return out.astype(str)


# ------------------------------------------------------------------------------ readers

ONS_LA_SHEETS = {
    "LE at birth - Males": ("birth", "Male"),
    "LE at birth - Females": ("birth", "Female"),
    "LE at age 65 - Males": ("65", "Male"),
    "LE at age 65 - Females": ("65", "Female"),
}


def read_ons_la(path) -> pd.DataFrame:
    """ONS LE at birth and at 65 by local area, 2001-03 to 2016-18 (Dec 2019 workbook)."""
    parts = []
    for sheet, (age, sex) in ONS_LA_SHEETS.items():
        raw = _read_excel(path, sheet)
        h = _header_row(raw, "Area Codes", path, sheet)
        header = [f"blank{i}" if pd.isna(c) else str(c).strip() for i, c in enumerate(raw.iloc[h])]
        body = raw.iloc[h + 1 :].copy()
        body.columns = header
        if "Area Names" not in header:
            select_columns(body, {"Area Names": "x"}, path)  # raises the clear error
        periods = [c for c in header if re.fullmatch(r"\d{4}-\d{4}", c)]
        if len(periods) < 2:
            raise DataValidationError(
                path, f"sheet {sheet!r}: no period columns like '2016-2018' in the header", column="2016-2018"
            )
        # Area names sit in column B, C or D depending on the level (country, county, district).
        name_cols = header[header.index("Area Names") : header.index("Area Names") + 3]
        body = body[body["Area Codes"].astype("string").str.strip().str.fullmatch(r"[EKNSW]\d{8}", na=False)]
        names = body[name_cols].bfill(axis=1).iloc[:, 0].astype("string").str.strip()
        # Country and region names are in capitals ("ENGLAND", "EAST MIDLANDS").
        names = names.map(lambda n: n.title().replace(" And ", " and ") if isinstance(n, str) and n.isupper() else n)
        wide = pd.DataFrame({"area_code": body["Area Codes"].astype(str).str.strip(), "area_name": names})
        for p in periods:
            wide[p], _ = to_number(body[p], path, p, area=wide["area_code"])
        long = wide.melt(id_vars=["area_code", "area_name"], var_name="period", value_name="value")
        long["age"], long["sex"] = age, sex
        parts.append(long)
    df = pd.concat(parts, ignore_index=True)
    df = df[df["area_code"].str.startswith("E")].copy()
    df = _add_periods(df, path)
    df["lower_95"] = np.nan
    df["upper_95"] = np.nan
    df["series"], df["source_id"], df["ohid_comparison"] = "ons_la_2019", "le_ons_la_2001_2018", None
    return df


def _check_single_indicator(df: pd.DataFrame, indicator: str, path) -> None:
    """An extract must hold one indicator only (a wrong file or a changed layout otherwise)."""
    wrong = df["indicator"] != indicator
    if wrong.any():
        raise DataValidationError(
            path, f"expected only the indicator {indicator!r}", column="indicator", example=example_row(df, wrong)
        )


def _read_trafford_themes(path, indicator: str) -> pd.DataFrame:
    """A Trafford Data Lab 'trafford_themes' extract of a Fingertips indicator (one sex per row)."""
    raw = read_csv(path, dtype=str, keep_default_na=False, encoding="utf-8-sig")
    df = select_columns(
        raw,
        {
            "area_code": "area_code",
            "area_name": "area_name",
            "area_type": "area_type",
            "period": "period",
            "indicator": "indicator",
            "value": "value",
            "compared_to_England": "ohid_comparison",
            "inequality": "sex",
        },
        path,
    )
    _check_single_indicator(df, indicator, path)
    df["value"], _ = to_number(df["value"], path, "value", area=df["area_code"])
    df["sex"] = _sex(df["sex"], path, "inequality")
    df = _add_periods(df, path)
    return df.drop(columns=["indicator", "area_type"])


def read_fingertips_le(path) -> pd.DataFrame:
    """Fingertips 90366 life expectancy at birth (Trafford Data Lab extract)."""
    df = _read_trafford_themes(path, "Life expectancy at birth")
    df["age"], df["lower_95"], df["upper_95"] = "birth", np.nan, np.nan
    df["series"], df["source_id"] = "fingertips_90366", "le_lad_fingertips_2015_2025"
    return df


def read_ons_els_hle(path) -> pd.DataFrame:
    """ONS Explore Local Statistics healthy life expectancy (observation with lci_95/uci_95)."""
    raw = read_csv(path, dtype=str, keep_default_na=False, encoding="utf-8-sig")
    df = select_columns(
        raw,
        {
            "areacd": "area_code",
            "areanm": "area_name",
            "indicator": "indicator",
            "period": "period",
            "observation": "value",
            "lci_95": "lower_95",
            "uci_95": "upper_95",
        },
        path,
    )
    sex = df["indicator"].str.extract(r"^(Male|Female) healthy life expectancy$")[0]
    if sex.isna().any():
        raise DataValidationError(
            path,
            "indicator is not 'Male/Female healthy life expectancy'",
            column="indicator",
            example=example_row(df, sex.isna()),
        )
    df["sex"] = sex.astype(str)
    for c, header in (("value", "observation"), ("lower_95", "lci_95"), ("upper_95", "uci_95")):
        df[c], _ = to_number(df[c], path, header, area=df["area_code"])
    df = df[df["area_code"].str.startswith("E")].copy()
    df = _add_periods(df, path)
    df["series"], df["source_id"], df["ohid_comparison"] = "ons_els_2026", "hle_ons_els", None
    return df.drop(columns="indicator")


def _read_trafford_dashboard(path, indicator: str) -> pd.DataFrame:
    """A Trafford Data Lab 'dashboard' extract (2020): sex in 'group', OHID judgement in 'significance'."""
    raw = read_csv(path, dtype=str, keep_default_na=False, encoding="utf-8-sig")
    df = select_columns(
        raw,
        {
            "area_code": "area_code",
            "area_name": "area_name",
            "period": "period",
            "value": "value",
            "indicator": "indicator",
            "group": "sex",
            "significance": "ohid_comparison",
        },
        path,
    )
    _check_single_indicator(df, indicator, path)
    df["value"], _ = to_number(df["value"], path, "value", area=df["area_code"])
    df["sex"] = _sex(df["sex"], path, "group")
    df = df[df["area_code"].str.startswith("E")].copy()
    return _add_periods(df, path).drop(columns="indicator")


def read_hle(els_path, old_path, lad_path) -> pd.DataFrame:
    els = read_ons_els_hle(els_path)
    old = _read_trafford_dashboard(old_path, "Healthy life expectancy at birth")
    old["series"], old["source_id"] = "fingertips_90362_2020", "hle_utla_fingertips_2009_2018"
    lad = _read_trafford_themes(lad_path, "Healthy life expectancy at birth")
    lad["series"], lad["source_id"] = "fingertips_90362", "hle_lad_fingertips_2015_2024"
    for d in (old, lad):
        d["lower_95"], d["upper_95"] = np.nan, np.nan
    return pd.concat([els, old, lad], ignore_index=True)


def read_sii(lad_path, utla_path) -> pd.DataFrame:
    lad = _read_trafford_themes(lad_path, "Inequality in life expectancy at birth")
    lad["series"], lad["source_id"] = "fingertips_92901", "sii_lad_fingertips_2015_2024"
    utla = _read_trafford_dashboard(utla_path, "Inequality in life expectancy at birth")
    utla["series"], utla["source_id"] = "fingertips_92901_2020", "sii_utla_fingertips_2010_2017"
    df = pd.concat([lad, utla], ignore_index=True)
    return df[list(SII_SCHEMA.columns)]


# ------------------------------------------------------------------------------ the step


@step(
    "life_expectancy",
    inputs=[
        "le_ons_la_2001_2018",
        "le_lad_fingertips_2015_2025",
        "hle_ons_els",
        "hle_utla_fingertips_2009_2018",
        "hle_lad_fingertips_2015_2024",
        "sii_lad_fingertips_2015_2024",
        "sii_utla_fingertips_2010_2017",
        "le_hle_msoa_2009_13",
        "le_dfle_msoa_2009_13",
        "le_gp_practice_heec",
        "msoa11_boundaries",
        "msoa11_names",
    ],
    after=["geography"],
    outputs=[
        "life_expectancy/le_la",
        "life_expectancy/hle",
        "life_expectancy/sii",
        "life_expectancy/msoa11",
        "life_expectancy/areas_2009_13",
        "life_expectancy/msoa11_boundaries",
        "life_expectancy/gp_practice",
    ],
)
def build_life_expectancy(paths) -> dict[str, pd.DataFrame]:
    cfg = load_places()
    llr_areas = sorted({cfg.england_code, *cfg.all_district_codes, *(p.code for p in cfg.places.values())})
    utlas = sorted({cfg.england_code, *(p.code for p in cfg.places.values())})
    lads = sorted({cfg.england_code, *cfg.all_district_codes})

    # Life expectancy by local authority: two series, kept apart.
    f_ons = raw_path("le_ons_la_2001_2018", paths)
    ons = read_ons_la(f_ons)
    lad_utla = read_table("geography/lad_utla", paths)
    current = set(lad_utla["lad_code"]) | set(lad_utla["utla_code"])
    gaps: list[dict] = []
    what = "areas of the ICS (districts, counties, UAs) or England"
    checks.require_areas(ons, llr_areas, f_ons, "Area Codes", what, current, gaps, "life_expectancy/le_la")
    f_ft = raw_path("le_lad_fingertips_2015_2025", paths)
    ft = read_fingertips_le(f_ft)
    checks.require_areas(
        ft, lads, f_ft, "area_code", "districts/UAs of the ICS or England", current, gaps, "life_expectancy/le_la"
    )
    le = pd.concat([ons, ft], ignore_index=True)[list(LE_SCHEMA.columns)]
    le = validate(le.reset_index(drop=True), LE_SCHEMA, f_ft)

    # Healthy life expectancy.
    f_els = raw_path("hle_ons_els", paths)
    hle = read_hle(
        f_els, raw_path("hle_utla_fingertips_2009_2018", paths), raw_path("hle_lad_fingertips_2015_2024", paths)
    )
    checks.require_areas(
        hle[hle["series"] == "ons_els_2026"],
        utlas,
        f_els,
        "areacd",
        "upper-tier authorities of the ICS or England",
        gaps=gaps,
        table="life_expectancy/hle",
        england=set(lad_utla["utla_code"]),
    )
    hle = validate(hle[list(HLE_SCHEMA.columns)].reset_index(drop=True), HLE_SCHEMA, f_els)

    # Slope index of inequality.
    f_sii = raw_path("sii_lad_fingertips_2015_2024", paths)
    sii = read_sii(f_sii, raw_path("sii_utla_fingertips_2010_2017", paths))
    checks.require_areas(
        sii[sii["series"] == "fingertips_92901"], lads, f_sii, "area_code", "districts/UAs of the ICS or England"
    )
    sii = validate(sii.reset_index(drop=True), SII_SCHEMA, f_sii)

    # MSOA (2011) LE, HLE and DFLE 2009-13, the ICS only; upper-tier and England comparators.
    f_hle = raw_path("le_hle_msoa_2009_13", paths)
    f_dfle = raw_path("le_dfle_msoa_2009_13", paths)
    geo11 = read_table("geography/lsoa11", paths)
    msoas = geo11.drop_duplicates("msoa11_code")[["msoa11_code", "msoa11_name", "lad_code", "lad_name", "place_id"]]
    fn = raw_path("msoa11_names", paths)
    names = select_columns(
        read_csv(fn, dtype=str, encoding="utf-8-sig"), {"msoa11cd": "msoa11_code", "msoa11hclnm": "msoa11_hcl_name"}, fn
    )
    msoas = msoas.merge(names, on="msoa11_code", how="left")
    msoas["msoa11_hcl_name"] = msoas["msoa11_hcl_name"].fillna(msoas["msoa11_name"])
    llr, areas, msoa_gaps = msoa_2009_13(f_hle, f_dfle, msoas)
    gaps += msoa_gaps
    msoa_llr = validate(
        llr[list(MSOA_SCHEMA.columns)].sort_values(["msoa11_code", "sex"]).reset_index(drop=True), MSOA_SCHEMA, f_hle
    )
    checks.require_areas(
        areas,
        utlas,
        f_hle,
        "UTLA Codes",
        "upper-tier authorities of the ICS or England (UTLA/Region sheets)",
        current,
        gaps,
        "life_expectancy/areas_2009_13",
    )
    areas["period"], areas["series"], areas["source_id"] = "2009-13", "ons_msoa_2015", "le_hle_msoa_2009_13"

    # MSOA 2011 boundaries (the ICS), WGS84.
    fb = raw_path("msoa11_boundaries", paths)
    # Every feature has a known MSOA 2011 code, once; CRS, lon/lat inside England, no null/empty/invalid
    # polygons (geography.read_boundaries).
    bnd = read_boundaries(fb, "MSOA11CD", codes=set(msoas["msoa11_code"]))
    bnd = bnd[["MSOA11CD", "geometry"]].rename(columns={"MSOA11CD": "msoa11_code"})
    require_boundaries(
        fb,
        "MSOA11CD",
        expected=set(msoas["msoa11_code"]),
        present=set(bnd["msoa11_code"]),
        what="MSOAs (2011) of the configured places have no boundary",
    )
    bnd = bnd[bnd["msoa11_code"].isin(msoas["msoa11_code"])].reset_index(drop=True)

    # GP practices (all England; the page uses the ICS's).
    gp = read_gp_practice_if_present(raw_path("le_gp_practice_heec", paths))

    return {
        "life_expectancy/le_la": le,
        "life_expectancy/hle": hle,
        "life_expectancy/sii": sii,
        "life_expectancy/msoa11": msoa_llr,
        "life_expectancy/areas_2009_13": areas,
        "life_expectancy/msoa11_boundaries": bnd,
        "life_expectancy/gp_practice": gp.reset_index(drop=True),
        "quality/known_gaps_life_expectancy": pd.DataFrame(gaps, columns=checks.GAP_COLUMNS),
    }
