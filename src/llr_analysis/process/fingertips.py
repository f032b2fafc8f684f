"""Reading the Fingertips all_data extracts that ``llr fetch-fingertips`` saved (see
:mod:`llr_analysis.fetch.fingertips`): by Fingertips' own column names, strictly, with the
plausibility rules checked as rows are read.

Screening extracts are read by the cancer screening step (:mod:`llr_analysis.process.cancer_screening`).
Indicators of other topics (``fingertips.other_indicators`` in ``config/cancer_screening.yml``, such
as life expectancy at birth 90366) are saved in their own raw folder and made into their own table
by a step registered here (:func:`other_indicator_steps`), e.g. ``life_expectancy/fingertips_le``:
empty, with its columns, until ``llr fetch-fingertips`` has run.
"""

from __future__ import annotations

import re
from pathlib import Path

import pandas as pd

from llr_analysis.errors import DataValidationError
from llr_analysis.fetch.fingertips import (
    AREA_CODE_PATTERNS,
    ENGLAND_CODE,
    OPTIONAL_COLUMNS,
    REQUIRED_COLUMNS,
    configured_indicators,
    name_words,
    parse_recorded_filename,
)
from llr_analysis.process import checks, plausibility, step
from llr_analysis.process.checks import bounds, matches_ratio, not_above, within_interval

#: The publisher's (Fingertips') column names of the tidy columns, for messages.
PUBLISHER_NAMES = {
    "value": "Value",
    "lower_95": "Lower CI 95.0 limit",
    "upper_95": "Upper CI 95.0 limit",
    "lower_99_8": "Lower CI 99.8 limit",
    "upper_99_8": "Upper CI 99.8 limit",
    "count": "Count",
    "denominator": "Denominator",
    "area_code": "Area Code",
    "period": "Time period",
}

#: Plausibility checks of Fingertips screening rows (as read, and in ``cancer_screening/area_coverage``):
#: percentages within 0-100, counts not negative, count <= denominator, the value inside its own
#: intervals and equal to count/denominator x 100 (publisher rounding allowed).
SCREENING_CHECKS = [
    bounds("value", *plausibility.PERCENT, "a percentage (screening coverage)"),
    bounds("lower_95", *plausibility.PERCENT, "a percentage (95% lower limit)"),
    bounds("upper_95", *plausibility.PERCENT, "a percentage (95% upper limit)"),
    bounds("lower_99_8", *plausibility.PERCENT, "a percentage (99.8% lower limit)"),
    bounds("upper_99_8", *plausibility.PERCENT, "a percentage (99.8% upper limit)"),
    bounds("count", 0, None, "a count"),
    bounds("denominator", 0, None, "a count"),
    not_above("count", "denominator"),
    within_interval("value", "lower_95", "upper_95"),
    within_interval("value", "lower_99_8", "upper_99_8"),
    matches_ratio("value", "count", "denominator", scale=100, tolerance=plausibility.RATIO_TOLERANCE),
]


def read_all_data(path: Path) -> pd.DataFrame:
    """Read one saved all_data CSV by Fingertips' column names (text; numbers parsed later)."""
    from llr_analysis.validate import read_csv

    raw = read_csv(path, dtype=str, keep_default_na=False, encoding="utf-8-sig")
    raw.columns = [str(c).strip() for c in raw.columns]
    missing = [c for c in REQUIRED_COLUMNS if c not in raw.columns]
    if missing:
        from llr_analysis.validate import select_columns

        select_columns(raw, {c: c for c in REQUIRED_COLUMNS}, path)  # raises naming the column
    for c in OPTIONAL_COLUMNS:
        if c not in raw.columns:
            raw[c] = ""
    return raw


_AGE = re.compile(r"(\d+)\s*-\s*(\d+)")


def age_group(text: str) -> str:
    """'25-49 yrs' -> '25-49'; other labels are kept as they are."""
    m = _AGE.search(str(text))
    return f"{m.group(1)}-{m.group(2)}" if m else str(text).strip()


def tidy_all_data(raw: pd.DataFrame, path: Path, indicators: dict[int, dict], level: str) -> pd.DataFrame:
    """One saved response -> tidy rows (England and the child areas of ``level``).

    Rows broken down by a category (deprivation decile, ...) are left out; so are areas of
    other types (regions, ...). Every row's indicator must be a configured one whose
    ``name_contains`` words all appear in its Indicator Name, otherwise processing stops naming
    the file, the column, the line and the area: a wrong ID in the configuration would put another
    indicator's numbers on the page. Screening rows are checked as percentages
    (:data:`SCREENING_CHECKS`); rows of other topics by :data:`OTHER_CHECKS`.
    """
    from llr_analysis.validate import example_row, first_bad, to_number

    df = raw[raw["Category Type"].str.strip().eq("") & raw["Category"].str.strip().eq("")].copy()
    if df.empty:
        return pd.DataFrame(columns=TIDY_COLUMNS)
    ids = pd.to_numeric(df["Indicator ID"].where(df["Indicator ID"].str.strip().str.fullmatch(r"\d+")), errors="coerce")
    if ids.isna().any():
        raise DataValidationError(
            path, "Indicator ID is not a number", column="Indicator ID", **first_bad(df, ids.isna(), "Area Code")
        )
    unknown = ~ids.astype(int).isin(list(indicators))
    if unknown.any():
        raise DataValidationError(
            path,
            f"indicator {int(ids[unknown].iloc[0])} is not configured in "
            "config/cancer_screening.yml (fingertips.indicators)",
            column="Indicator ID",
            example=example_row(df, unknown),
        )
    df["indicator_id"] = ids.astype(int)
    df["programme"] = df["indicator_id"].map(lambda i: indicators[i].get("programme"))
    keywords = df["indicator_id"].map(lambda i: name_words(indicators[i]))
    missing = pd.Series(
        [[w for w in kw if w not in name.lower()] for kw, name in zip(keywords, df["Indicator Name"], strict=True)],
        index=df.index,
    )
    wrong = missing.map(bool)
    if wrong.any():
        row = df[wrong].iloc[0]
        raise DataValidationError(
            path,
            f"indicator {row['Indicator ID']} is {row['Indicator Name']!r}, which does not mention "
            f"{' and '.join(repr(w) for w in missing[wrong].iloc[0])}: fix its ID in config/cancer_screening.yml",
            column="Indicator Name",
            **first_bad(df, wrong, "Area Code"),
        )
    padded = df["Area Code"].ne(df["Area Code"].str.strip()) & df["Area Code"].str.strip().ne("")
    if padded.any():
        raise DataValidationError(
            path,
            f"{int(padded.sum())} area codes have leading or trailing spaces",
            column="Area Code",
            **first_bad(df, padded, "Area Code"),
        )
    code = df["Area Code"].str.strip()
    is_england = code.eq(ENGLAND_CODE)
    is_child = code.str.match(AREA_CODE_PATTERNS.get(level, r"^$")) & ~is_england
    df = df[is_england | is_child].copy()
    df["area_level"] = ["england" if c == ENGLAND_CODE else level for c in df["Area Code"].str.strip()]
    out = pd.DataFrame(
        {
            "source_id": "fingertips",
            "file": Path(path).name,
            "indicator_id": df["indicator_id"],
            "indicator_name": df["Indicator Name"].str.strip(),
            "programme": df["programme"],
            "age_group": df["Age"].map(age_group),
            "sex": df["Sex"].str.strip(),
            "area_code": df["Area Code"].str.strip(),
            "area_name": df["Area Name"].str.strip(),
            "area_type": df["Area Type"].str.strip(),
            "area_level": df["area_level"],
            "parent_code": df["Parent Code"].str.strip(),
            "period": df["Time period"].str.strip(),
        }
    )
    sortable = pd.to_numeric(df["Time period Sortable"].str.strip(), errors="coerce")
    out["period_sort"] = sortable.fillna(
        pd.to_numeric(df["Time period"].str.extract(r"(\d{4})")[0], errors="coerce") * 10000
    )
    for src, dst in (
        ("Value", "value"),
        ("Lower CI 95.0 limit", "lower_95"),
        ("Upper CI 95.0 limit", "upper_95"),
        ("Lower CI 99.8 limit", "lower_99_8"),
        ("Upper CI 99.8 limit", "upper_99_8"),
        ("Count", "count"),
        ("Denominator", "denominator"),
    ):
        out[dst], _ = to_number(df[src], path, src, area=out["area_code"])
    out["value_note"] = df["Value note"].str.strip()
    bad = out["count"] > out["denominator"]
    if bad.any():
        raise DataValidationError(
            path,
            f"{int(bad.sum())} rows have Count greater than Denominator",
            column="Count",
            **first_bad(out, bad, "area_code"),
        )
    # One row per area, period, sex and age of an indicator in one response.
    checks.validate(
        out, checks.checks_only([checks.unique_rows(["area_code", "indicator_id", "period", "sex", "age_group"])]), path
    )
    # Percentages within 0-100, inside their intervals, matching Count/Denominator (SCREENING_CHECKS);
    # other topics' rows by their own checks (OTHER_CHECKS).
    topics = {indicators[i].get("topic", "cancer_screening") for i in out["indicator_id"].unique()}
    other = sorted(topics - {"cancer_screening"})
    if other and len(topics) > 1:
        raise DataValidationError(path, f"one file mixes screening and {other} indicators", column="Indicator ID")
    checks.validate(
        out.drop(columns="file"),
        checks.checks_only(OTHER_CHECKS[other[0]] if other else SCREENING_CHECKS),
        path,
        area_column="area_code",
        names=PUBLISHER_NAMES,
    )
    return out.reset_index(drop=True)[TIDY_COLUMNS]


TIDY_COLUMNS = [
    "source_id",
    "file",
    "indicator_id",
    "indicator_name",
    "programme",
    "age_group",
    "sex",
    "area_code",
    "area_name",
    "area_type",
    "area_level",
    "parent_code",
    "period",
    "period_sort",
    "value",
    "lower_95",
    "upper_95",
    "lower_99_8",
    "upper_99_8",
    "count",
    "denominator",
    "value_note",
]


def preferred_files(paths: list[Path], indicators: dict[int, dict]) -> list[Path]:
    """The files to read: where files of an indicator and of its alternative (91339 for 94063) are
    both saved for the same area types, only the configured indicator's (both would double the figures;
    ``fetch_fingertips`` removes the other, so this happens only with files copied in by hand)."""
    keep = []
    names = {p.name for p in paths}
    for p in paths:
        parsed = parse_recorded_filename(p.name)
        if parsed is not None:
            ind, child, parent = parsed
            primary = indicators.get(ind, {}).get("alternative_of")
            if primary is not None and f"all_data_i{primary}_c{child}_p{parent}.csv" in names:
                continue
        keep.append(p)
    return keep


def read_fetched(folder: Path, config: dict, topic: str = "cancer_screening") -> pd.DataFrame:
    """Every saved response of ``topic``'s indicators in ``folder`` as one tidy table (empty, with the
    columns, if none). Screening indicators are topic ``cancer_screening``; ``other_indicators`` name
    theirs (a folder holding every topic's files, as the recorded responses of the tests do, gives
    each topic its own).

    A file is matched to its area level by the child area type in its recorded name.
    """
    ft = config["fingertips"]
    indicators = configured_indicators(config)
    levels = {int(v): k for k, v in ft["area_types"].items()}
    parts = []
    if folder.exists():
        for path in preferred_files(sorted(folder.glob("*.csv")), indicators):
            parsed = parse_recorded_filename(path.name)
            if parsed is not None and indicators.get(parsed[0], {}).get("topic", "cancer_screening") != topic:
                continue
            if parsed is None:
                raise DataValidationError(
                    path,
                    "unexpected file in the Fingertips folder: names must be "
                    "all_data_i<indicator>_c<child type>_p<parent type>.csv "
                    "(written by `fetch_fingertips`)",
                )
            _, child, _ = parsed
            if child not in levels:
                raise DataValidationError(
                    path, f"child area type {child} is not in fingertips.area_types of config/cancer_screening.yml"
                )
            parts.append(tidy_all_data(read_all_data(path), path, indicators, levels[child]))
    if not parts:
        return pd.DataFrame({c: pd.Series(dtype="float64" if c in NUMERIC else "object") for c in TIDY_COLUMNS})
    # The same England row comes with every file of an indicator: keep it once, the GP practice
    # file's (the screening analysis takes England from the practice file it shows).
    parts.sort(key=lambda d: 0 if (d["area_level"] == "gp_practice").any() else 1)
    out = pd.concat(parts, ignore_index=True)
    return out.drop_duplicates(
        subset=["indicator_id", "area_code", "area_level", "period", "sex", "age_group"]
    ).reset_index(drop=True)


NUMERIC = {
    "indicator_id",
    "period_sort",
    "value",
    "lower_95",
    "upper_95",
    "lower_99_8",
    "upper_99_8",
    "count",
    "denominator",
}


# ------------------------------------------------------------------------- other topics' indicators

#: Plausibility checks of the rows of indicators of other topics (``topic`` in ``other_indicators``).
OTHER_CHECKS = {
    "life_expectancy": [
        bounds("value", *plausibility.LE_BIRTH, "life expectancy at birth (years)"),
        bounds("lower_95", *plausibility.LE_BIRTH, "life expectancy at birth (years), 95% lower limit"),
        bounds("upper_95", *plausibility.LE_BIRTH, "life expectancy at birth (years), 95% upper limit"),
        within_interval("value", "lower_95", "upper_95"),
        within_interval("value", "lower_99_8", "upper_99_8"),
    ],
}

#: Columns of an other topic's table (the screening columns without programme, count and denominator).
OTHER_COLUMNS = [c for c in TIDY_COLUMNS if c not in ("programme", "count", "denominator")]


def read_other_topic(folder: Path, config: dict, topic: str) -> pd.DataFrame:
    """The saved responses of an other topic's indicators as one tidy table (empty, with the columns, if none)."""
    df = read_fetched(folder, config, topic)
    return (
        df[OTHER_COLUMNS]
        .sort_values(["indicator_id", "area_level", "area_code", "period_sort", "sex"])
        .reset_index(drop=True)
    )


def other_indicator_steps(config: dict) -> list[tuple[str, str, str, str]]:
    """(step name, raw folder, table, topic) of each other topic's Fingertips table, from the config."""
    out = {}
    for ind in config["fingertips"].get("other_indicators", []):
        table = ind["table"]
        out[table] = (table.replace("/", "_"), ind["raw_folder"], table, ind["topic"])
    return sorted(out.values())


def _register_other_steps() -> None:
    from llr_analysis import settings

    for name, folder, table, topic in other_indicator_steps(settings.cancer_screening()):

        def build(paths, folder=folder, table=table, topic=topic) -> dict[str, pd.DataFrame]:
            return {table: read_other_topic(paths.raw / folder, settings.cancer_screening(), topic)}

        step(name, inputs=[], outputs=[table], raw_folders=[folder])(build)
        if topic in OTHER_CHECKS:
            checks.register(table, checks.checks_only(OTHER_CHECKS[topic]))


_register_other_steps()
