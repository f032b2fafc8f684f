"""Plausibility rules: the bounds and consistency every published figure must satisfy.

The rules are declared once, in :data:`RULES`, by processed table. Each processing step checks
the rows it reads against the rules of the table they go to (so the error can name the line of
the raw file), and :func:`llr_analysis.process.run` checks every table a step returns against
the same rules before anything is written. A figure that breaks a rule stops processing with a
:class:`~llr_analysis.errors.DataValidationError` naming the file, the column, the line (when
known) and the area code -- e.g. a Fingertips screening coverage of 176.9%.

Rule kinds:

* :class:`Bounds` -- a column within a closed range (optionally only on rows selected by ``when``);
* :class:`WithinInterval` -- lower <= value <= upper wherever all three are given;
* :class:`MatchesRatio` -- value = scale x count / denominator (within a rounding tolerance)
  wherever all three are given;
* :class:`NotAbove` -- one column never above another (count <= denominator, HLE <= LE).

Missing values are not checked here: missing is allowed (suppressed, not published) and is the
business of the completeness checks.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from llr_analysis.errors import DataValidationError


@dataclass(frozen=True)
class Bounds:
    column: str
    lo: float | None
    hi: float | None
    what: str  # e.g. "a percentage", "life expectancy at birth (years)"
    when: Callable[[pd.DataFrame], pd.Series] | None = None

    def failures(self, df: pd.DataFrame) -> tuple[pd.Series, str] | None:
        if self.column not in df:
            return None
        v = pd.to_numeric(df[self.column], errors="coerce")
        bad = pd.Series(False, index=df.index)
        if self.lo is not None:
            bad |= v < self.lo
        if self.hi is not None:
            bad |= v > self.hi
        bad |= np.isinf(v.astype("float64"))
        if self.when is not None:
            bad &= self.when(df).fillna(False).astype(bool)
        lo = "-inf" if self.lo is None else f"{self.lo:g}"
        hi = "inf" if self.hi is None else f"{self.hi:g}"
        return bad, f"outside {lo}..{hi} for {self.what}"


@dataclass(frozen=True)
class WithinInterval:
    value: str
    lower: str
    upper: str

    def failures(self, df: pd.DataFrame) -> tuple[pd.Series, str] | None:
        if not {self.value, self.lower, self.upper} <= set(df.columns):
            return None
        v, lo, hi = (pd.to_numeric(df[c], errors="coerce") for c in (self.value, self.lower, self.upper))
        given = v.notna() & lo.notna() & hi.notna()
        bad = given & ((lo > v + 1e-9) | (v > hi + 1e-9))
        return bad, f"not inside its own confidence interval {self.lower}..{self.upper}"


@dataclass(frozen=True)
class MatchesRatio:
    value: str
    count: str
    denominator: str
    scale: float = 100.0
    tolerance: float = 0.1  # absolute, in the value's unit (publisher rounding)

    def failures(self, df: pd.DataFrame) -> tuple[pd.Series, str] | None:
        if not {self.value, self.count, self.denominator} <= set(df.columns):
            return None
        v, n, d = (pd.to_numeric(df[c], errors="coerce") for c in (self.value, self.count, self.denominator))
        given = v.notna() & n.notna() & d.notna() & (d > 0)
        expected = self.scale * n / d.where(d > 0)
        bad = given & ((v - expected).abs() > self.tolerance)
        unit = "x100 " if self.scale == 100 else ""
        return bad, (f"not {self.count}/{self.denominator} {unit}(differs by more than {self.tolerance:g})")


@dataclass(frozen=True)
class NotAbove:
    column: str
    other: str
    when: Callable[[pd.DataFrame], pd.Series] | None = None

    def failures(self, df: pd.DataFrame) -> tuple[pd.Series, str] | None:
        if not {self.column, self.other} <= set(df.columns):
            return None
        a, b = (pd.to_numeric(df[c], errors="coerce") for c in (self.column, self.other))
        bad = a.notna() & b.notna() & (a > b + 1e-9)
        if self.when is not None:
            bad &= self.when(df).fillna(False).astype(bool)
        return bad, f"greater than {self.other}"


Rule = Bounds | WithinInterval | MatchesRatio | NotAbove


def _is(column: str, *values) -> Callable[[pd.DataFrame], pd.Series]:
    return lambda d: d[column].isin(values) if column in d else pd.Series(False, index=d.index)


#: Ranks and counts of LSOAs in England by IoD edition (MHCLG; also deprivation.EDITIONS).
IOD_LSOAS = {"IoD2025": 33755, "IoD2019": 32844}
RATE_INDICES = ("income", "employment", "idaci", "idaopi")

# Human limits for life expectancy: at birth 40-100 years, at 65 5-40 years; healthy and
# disability-free life expectancy at birth 30-100 (they are 50-75 in England's areas).
LE_BIRTH = (40, 100)
LE_65 = (5, 40)
HLE_BIRTH = (30, 100)
PERCENT = (0, 100)

_SCREENING_FINGERTIPS = (
    Bounds("value", *PERCENT, "a percentage (screening coverage)"),
    Bounds("lower_95", *PERCENT, "a percentage (95% lower limit)"),
    Bounds("upper_95", *PERCENT, "a percentage (95% upper limit)"),
    Bounds("lower_99_8", *PERCENT, "a percentage (99.8% lower limit)"),
    Bounds("upper_99_8", *PERCENT, "a percentage (99.8% upper limit)"),
    Bounds("count", 0, None, "a count"),
    Bounds("denominator", 0, None, "a count"),
    NotAbove("count", "denominator"),
    WithinInterval("value", "lower_95", "upper_95"),
    WithinInterval("value", "lower_99_8", "upper_99_8"),
    MatchesRatio("value", "count", "denominator", scale=100, tolerance=0.1),
)

RULES: dict[str, tuple[Rule, ...]] = {
    # ------------------------------------------------------------------ cancer screening
    "cancer_screening/area_coverage": _SCREENING_FINGERTIPS,
    "cancer_screening/fingertips": _SCREENING_FINGERTIPS,  # every Fingertips row as read
    "cancer_screening/practice_coverage": (
        Bounds("numerator", 0, None, "a count"),
        Bounds("denominator", 0, None, "a count"),
        NotAbove("numerator", "denominator"),
    ),
    "cancer_screening/practices": (
        Bounds("imd_score", 0, 100, "an IMD score"),
        Bounds("imd_decile", 1, 10, "an IMD decile"),
        Bounds("pcn_imd_score", 0, 100, "an IMD score"),
        Bounds("pcn_imd_decile", 1, 10, "an IMD decile"),
    ),
    "cancer_screening/health_index": (
        Bounds("value", *PERCENT, "a percentage (Health Index cancer screening)"),
        Bounds("rank", 1, None, "a rank"),
        NotAbove("rank", "areas"),
    ),
    # ------------------------------------------------------------------ deprivation
    "deprivation/iod_lsoa": (
        Bounds("rank", 1, IOD_LSOAS["IoD2025"], "an IoD2025 rank (1..number of LSOAs)", _is("edition", "IoD2025")),
        Bounds("rank", 1, IOD_LSOAS["IoD2019"], "an IoD2019 rank (1..number of LSOAs)", _is("edition", "IoD2019")),
        Bounds("decile", 1, 10, "a decile"),
        Bounds("score", 0, 100, "an IMD score", _is("index_id", "imd")),
        Bounds("score", 0, 1, "a rate (income, employment, IDACI, IDAOPI)", _is("index_id", *RATE_INDICES)),
    ),
    "deprivation/iod_population": (
        Bounds("population", 0, None, "a population"),
        Bounds("children_0_15", 0, None, "a population"),
        Bounds("older_60_plus", 0, None, "a population"),
        Bounds("working_age", 0, None, "a population"),
        NotAbove("children_0_15", "population"),
        NotAbove("older_60_plus", "population"),
        # IoD2019's working-age denominator (18-59/64) exceeds its total population in 10 LSOAs of
        # MHCLG's published File 7 (e.g. E01005128: 2,493 of 2,452), so the rule holds for IoD2025 only.
        NotAbove("working_age", "population", when=_is("edition", "IoD2025")),
    ),
    "deprivation/la_summaries": (
        Bounds("prop_lsoas_most_deprived_10", 0, 1, "a proportion"),
        Bounds("extent", 0, 1, "a proportion"),
        Bounds("average_rank", 1, IOD_LSOAS["IoD2025"], "an average LSOA rank"),
        Bounds("population", 0, None, "a population"),
        *(
            NotAbove(f"rank_{m}", "n_areas")
            for m in ("average_score", "average_rank", "prop_lsoas_most_deprived_10", "extent", "local_concentration")
        ),
    ),
    # ------------------------------------------------------------------ life expectancy
    "life_expectancy/le_la": (
        Bounds("value", *LE_BIRTH, "life expectancy at birth (years)", _is("age", "birth")),
        Bounds("value", *LE_65, "life expectancy at 65 (years)", _is("age", "65")),
        WithinInterval("value", "lower_95", "upper_95"),
    ),
    "life_expectancy/hle": (
        Bounds("value", *HLE_BIRTH, "healthy life expectancy at birth (years)"),
        WithinInterval("value", "lower_95", "upper_95"),
    ),
    "life_expectancy/sii": (Bounds("value", -15, 30, "a slope index of inequality in life expectancy (years)"),),
    "life_expectancy/msoa11": (
        Bounds("le", *LE_BIRTH, "life expectancy at birth (years)"),
        Bounds("hle", *HLE_BIRTH, "healthy life expectancy at birth (years)"),
        Bounds("dfle", *HLE_BIRTH, "disability-free life expectancy at birth (years)"),
        WithinInterval("le", "le_lower_95", "le_upper_95"),
        WithinInterval("hle", "hle_lower_95", "hle_upper_95"),
        WithinInterval("dfle", "dfle_lower_95", "dfle_upper_95"),
        NotAbove("hle", "le"),
        NotAbove("dfle", "le"),
    ),
    "life_expectancy/gp_practice": (
        Bounds("value", *LE_BIRTH, "life expectancy at birth (years)"),
        Bounds("imd_quintile", 1, 5, "an IMD quintile"),
    ),
    # ------------------------------------------------------------------ population
    "population/lsoa11_age": (Bounds("population", 0, None, "a population"), Bounds("age", 0, 90, "an age")),
    "population/lsoa21_age": (Bounds("population", 0, None, "a population"), Bounds("age", 0, 90, "an age")),
    "population/england_age": (Bounds("population", 0, None, "a population"), Bounds("age", 0, 90, "an age")),
    "population/lad_totals": (
        Bounds("persons", 0, None, "a population"),
        NotAbove("female", "persons"),
        NotAbove("male", "persons"),
    ),
    "population/lsoa11_lsoa21_weights": (Bounds("weight", 0, 1, "a share"),),
}
RULES["life_expectancy/areas_2009_13"] = RULES["life_expectancy/msoa11"]


def _file_of(row: pd.Series, default: str | Path) -> str:
    """The raw file a processed row came from: its ``file`` column, its registered source, or ``default``."""
    f = row.get("file")
    if isinstance(f, str) and f:
        return f
    sid = row.get("source_id")
    if isinstance(sid, str) and sid:
        from llr_analysis.fetch.sources import registry

        try:
            ds = registry().get(sid)
        except Exception:  # noqa: BLE001 - a broken registry is reported elsewhere
            ds = None
        if ds is not None:
            return f"data/raw/{ds.relative_raw_path}"
    return str(default)


def check(
    table: str,
    df: pd.DataFrame,
    file: str | Path,
    *,
    area_column: str | None = None,
    rules: tuple[Rule, ...] | None = None,
    names: dict[str, str] | None = None,
) -> None:
    """Check ``df`` against the rules of ``table``; raise naming file, column, line and area of the first failure.

    ``file`` is the raw file the rows were read from (used unless a row names its own file in a
    ``file`` or ``source_id`` column). When ``df``'s index holds line numbers (as
    :func:`llr_analysis.validate.read_csv` gives), the message names the line. ``names`` maps
    the project's column names to the publisher's, for the message.
    """
    from llr_analysis.validate import row_area, row_line

    for rule in RULES.get(table, ()) if rules is None else rules:
        found = rule.failures(df)
        if found is None:
            continue
        bad, problem = found
        if not bad.any():
            continue
        pos = int(np.flatnonzero(bad.to_numpy())[0])
        idx = df.index[pos]
        row = df.iloc[pos]
        column = str(getattr(rule, "column", None) or getattr(rule, "value", ""))
        value = row[column]
        value = value.item() if hasattr(value, "item") else value
        shown = {
            c: (row[c].item() if hasattr(row[c], "item") else row[c])
            for c in vars(rule).values()
            if isinstance(c, str) and c in row.index
        }
        line = row_line(df.index, idx)
        for a, b in (names or {}).items():
            problem = problem.replace(a, repr(b))
        raise DataValidationError(
            _file_of(row, file),
            f"{int(bad.sum())} implausible values: {value!r} is {problem}",
            column=(names or {}).get(column, column),
            line=line,
            area=row_area(row, area_column),
            example=("" if line is not None else f"data row {pos + 1}: ") + str(shown),
        )


def check_tables(tables: dict[str, pd.DataFrame], default_file: str) -> None:
    """Check every table that has rules (the gate before a step's tables are written)."""
    for name, df in tables.items():
        if name in RULES:
            check(name, df, f"{default_file} -> data/processed/{name}.parquet")


# ------------------------------------------------------------------------------ completeness


@dataclass(frozen=True)
class Complete:
    """Every row of an area of the ICS (or England) in ``table`` has ``columns`` filled in.

    ``areas`` names the set of codes that must be complete ("ics_lads": the ICS's districts/UAs and
    England; "ics_utlas": its upper-tier authorities and England; "ics_all": both).
    ``known_gaps`` maps an area code ("*": any area of the ICS) to the reason its source does not publish the figure: such
    rows are allowed, and recorded in the ``quality/known_gaps`` table, never silently blank.
    """

    table: str
    columns: tuple[str, ...]
    areas: str = "ics_all"
    area_column: str = "area_code"
    known_gaps: tuple[tuple[str, str, str], ...] = ()  # (area code, series or "", reason)


COMPLETENESS: tuple[Complete, ...] = (
    Complete("life_expectancy/le_la", ("value",)),
    Complete("life_expectancy/hle", ("value",)),
    Complete(
        "life_expectancy/sii",
        ("value",),
        # the slope index of inequality is not published for some areas (blank in the extract): recorded
        # for whichever area of the ICS has the blank ("*": any area), never silently
        known_gaps=(
            (
                "*",
                "fingertips_92901",
                "OHID Fingertips 92901 publishes no slope index of inequality for this area (the value is blank "
                "in the extract)",
            ),
            (
                "*",
                "fingertips_92901_2020",
                "OHID Fingertips 92901 (2020 extract) publishes no slope index of inequality for this area (the "
                "value is blank)",
            ),
        ),
    ),
    Complete("life_expectancy/areas_2009_13", ("le", "hle", "dfle"), areas="ics_utlas"),
    Complete("cancer_screening/health_index", ("value",), areas="ics_utlas"),
    Complete("population/lad_totals", ("persons",), areas="ics_lads"),
)


def _ics_codes(kind: str) -> set[str]:
    from llr_analysis.places import load_places

    cfg = load_places()
    lads = {cfg.england_code, *cfg.all_district_codes}
    utlas = {cfg.england_code, *(p.code for p in cfg.places.values())}
    return {"ics_lads": lads, "ics_utlas": utlas, "ics_all": lads | utlas}[kind]


def completeness_gaps(table: str, df: pd.DataFrame, file: str | Path) -> pd.DataFrame:
    """Known gaps of ``table`` (rows of the ICS's areas whose figure the source does not publish).

    Any other missing figure for an area of the ICS is a :class:`DataValidationError` naming the file,
    the column and the area.
    """
    gaps = []
    for rule in (r for r in COMPLETENESS if r.table == table):
        if rule.area_column not in df:
            continue
        llr = df[rule.area_column].isin(_ics_codes(rule.areas))
        for col in rule.columns:
            if col not in df:
                continue
            missing = llr & df[col].isna()
            known = pd.Series(False, index=df.index)
            for code, series, reason in rule.known_gaps:
                hit = missing.copy() if code == "*" else missing & df[rule.area_column].eq(code)
                if series and "series" in df:
                    hit &= df["series"].eq(series)
                known |= hit
                for area, n in df.loc[hit, rule.area_column].value_counts().sort_index().items():
                    gaps.append(
                        {
                            "table": table,
                            "area_code": str(area),
                            "column": col,
                            "series": series,
                            "rows": int(n),
                            "reason": reason,
                        }
                    )
            unknown = missing & ~known
            if unknown.any():
                pos = int(np.flatnonzero(unknown.to_numpy())[0])
                row = df.iloc[pos]
                what = {c: row[c] for c in ("series", "period", "sex", "age", "year") if c in row.index}
                raise DataValidationError(
                    _file_of(row, file),
                    f"{int(unknown.sum())} figures missing for areas of the ICS (a headline "
                    f"would be blank); e.g. {what}. If the publisher does not publish it, record the reason "
                    "in plausibility.COMPLETENESS",
                    column=col,
                    area=str(row[rule.area_column]),
                )
    return pd.DataFrame(gaps, columns=["table", "area_code", "column", "series", "rows", "reason"])


def check_complete(tables: dict[str, pd.DataFrame], default_file: str) -> pd.DataFrame:
    """:func:`completeness_gaps` for every table of a step; returns the known gaps found."""
    parts = [completeness_gaps(n, df, f"{default_file} -> data/processed/{n}.parquet") for n, df in tables.items()]
    parts = [p for p in parts if len(p)]
    return (
        pd.concat(parts, ignore_index=True)
        if parts
        else pd.DataFrame(columns=["table", "area_code", "column", "series", "rows", "reason"])
    )
