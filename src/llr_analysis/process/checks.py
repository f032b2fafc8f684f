"""The one validation mechanism: pandera schemas whose checks carry the project's error messages.

Every processed table has one :class:`pandera.DataFrameSchema`, declared next to the step that makes
it and registered with :func:`register`: its columns, types and uniqueness, and its plausibility and
completeness rules, made with the check builders below (:func:`bounds`, :func:`within_interval`,
:func:`matches_ratio`, :func:`not_above`, :func:`not_greater`, :func:`unique_rows`,
:func:`expected_count`, :func:`complete`). The limits those rules use are configured in
:mod:`llr_analysis.process.plausibility`.

:func:`validate` runs a schema on a frame and turns pandera's first failure into a
:class:`~llr_analysis.errors.DataValidationError` naming the file (the row's own raw file when the
row says which), the column (the publisher's name when ``names`` gives it), the file's own line (when
the frame's index holds lines, as :func:`llr_analysis.validate.read_csv` gives), the area and an
example row. A step validates what it reads against the schema (or its checks) with the raw file;
:func:`llr_analysis.process.run` validates every table a step returns against its registered schema
before anything is written, and records the known gaps of :func:`complete` checks
(:func:`known_gaps`).

Missing values are never implausible: missing is allowed (suppressed, not published) unless a
column is declared not nullable or a :func:`complete` check asks for the figure.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import pandera.pandas as pa

from llr_analysis.errors import DataValidationError
from llr_analysis.validate import example_row, first_bad, row_area, row_line

#: The registered schema of each processed table (by table name, e.g. ``life_expectancy/le_la``).
SCHEMAS: dict[str, pa.DataFrameSchema] = {}

Selector = Callable[[pd.DataFrame], pd.Series]


def register(table: str, schema: pa.DataFrameSchema) -> pa.DataFrameSchema:
    """Register ``schema`` as the schema of the processed table ``table`` (checked before it is written)."""
    SCHEMAS[table] = schema
    return schema


def checks_only(schema: pa.DataFrameSchema | Iterable[pa.Check]) -> pa.DataFrameSchema:
    """A schema with only the frame-wide checks of ``schema`` (or the given checks): rows as read from
    a raw file, before the table's other columns exist."""
    checks = schema.checks if isinstance(schema, pa.DataFrameSchema) else list(schema)
    return pa.DataFrameSchema(checks=list(checks))


# ------------------------------------------------------------------------------ check builders


def _num(df: pd.DataFrame, column: str) -> pd.Series:
    return pd.to_numeric(df[column], errors="coerce").astype("float64")


def _ok(df: pd.DataFrame) -> pd.Series:
    return pd.Series(True, index=df.index)


def _check(fn: Callable[[pd.DataFrame], Any], name: str, **meta) -> pa.Check:
    """A frame-wide check: ``fn`` gives True for a good row; ``meta`` says how to word a failure."""
    return pa.Check(fn, name=name, error=meta.get("problem", name), ignore_na=False, statistics={"llr": meta})


def is_(column: str, *values) -> Selector:
    """Rows whose ``column`` is one of ``values`` (for a rule that holds on some rows only)."""
    return lambda d: d[column].isin(values) if column in d else pd.Series(False, index=d.index)


def bounds(column: str, lo: float | None, hi: float | None, what: str, when: Selector | None = None) -> pa.Check:
    """``column`` within lo..hi (either may be None) for ``what``, e.g. "a percentage"; only on ``when`` rows."""

    def fn(d: pd.DataFrame) -> pd.Series:
        if column not in d:
            return _ok(d)
        v = _num(d, column)
        bad = pd.Series(np.isinf(v.to_numpy()), index=d.index)
        if lo is not None:
            bad |= v < lo
        if hi is not None:
            bad |= v > hi
        if when is not None:
            bad &= when(d).fillna(False).astype(bool)
        return ~bad

    low = "-inf" if lo is None else f"{lo:g}"
    high = "inf" if hi is None else f"{hi:g}"
    return _check(
        fn,
        f"{column} in {low}..{high}",
        kind="plausible",
        column=column,
        shown=(column,),
        problem=f"outside {low}..{high} for {what}",
    )


def within_interval(value: str, lower: str, upper: str) -> pa.Check:
    """lower <= value <= upper wherever all three are given."""

    def fn(d: pd.DataFrame) -> pd.Series:
        if not {value, lower, upper} <= set(d.columns):
            return _ok(d)
        v, lo, hi = (_num(d, c) for c in (value, lower, upper))
        given = v.notna() & lo.notna() & hi.notna()
        return ~(given & ((lo > v + 1e-9) | (v > hi + 1e-9)))

    return _check(
        fn,
        f"{value} within {lower}..{upper}",
        kind="plausible",
        column=value,
        shown=(value, lower, upper),
        problem=f"not inside its own confidence interval {lower}..{upper}",
    )


def matches_ratio(value: str, count: str, denominator: str, scale: float = 100.0, tolerance: float = 0.1) -> pa.Check:
    """value = scale x count / denominator within ``tolerance`` (publisher rounding) wherever all three are given."""

    def fn(d: pd.DataFrame) -> pd.Series:
        if not {value, count, denominator} <= set(d.columns):
            return _ok(d)
        v, n, den = (_num(d, c) for c in (value, count, denominator))
        given = v.notna() & n.notna() & den.notna() & (den > 0)
        expected = scale * n / den.where(den > 0)
        return ~(given & ((v - expected).abs() > tolerance))

    unit = "x100 " if scale == 100 else ""
    return _check(
        fn,
        f"{value} = {count}/{denominator}",
        kind="plausible",
        column=value,
        shown=(value, count, denominator),
        problem=f"not {count}/{denominator} {unit}(differs by more than {tolerance:g})",
    )


def not_above(column: str, other: str, when: Selector | None = None) -> pa.Check:
    """``column`` never above ``other`` where both are given (HLE <= LE, a rank <= the number of areas)."""

    def fn(d: pd.DataFrame) -> pd.Series:
        if not {column, other} <= set(d.columns):
            return _ok(d)
        a, b = _num(d, column), _num(d, other)
        bad = a.notna() & b.notna() & (a > b + 1e-9)
        if when is not None:
            bad &= when(d).fillna(False).astype(bool)
        return ~bad

    return _check(
        fn,
        f"{column} <= {other}",
        kind="plausible",
        column=column,
        shown=(column, other),
        problem=f"greater than {other}",
    )


def not_greater(numerator: str, denominator: str) -> pa.Check:
    """A count never above its denominator (a raw file's rows: screened <= eligible)."""

    def fn(d: pd.DataFrame) -> pd.Series:
        return ~(d[numerator] > d[denominator]).fillna(False).astype(bool)

    return _check(
        fn,
        f"{numerator} <= {denominator}",
        kind="not_greater",
        column=numerator,
        problem=f"rows have {numerator} greater than {denominator}",
    )


def unique_rows(columns: list[str]) -> pa.Check:
    """No two rows for the same ``columns`` (duplicate areas); the error names the lines of the first pair."""

    def fn(d: pd.DataFrame) -> pd.Series:
        return ~d.duplicated(subset=columns, keep=False)

    return _check(fn, f"unique {columns}", kind="unique", columns=list(columns))


def expected_count(
    expected: int | None, what: str, of: Callable[[pd.DataFrame], int] = len, where: str = "in the configured areas"
) -> pa.Check:
    """An expected number of rows or areas (e.g. the number of LSOAs (2021) in the ICS), as the places file gives it;
    ``where`` completes the sentence. ``expected`` None (the places file does not give it) checks nothing."""

    def fn(d: pd.DataFrame) -> bool:
        return expected is None or int(of(d)) == expected

    return _check(fn, f"{expected} {what}", kind="count", expected=expected, what=what, of=of, where=where)


def complete(
    columns: tuple[str, ...],
    areas: str = "ics_all",
    area_column: str = "area_code",
    known_gaps: tuple[tuple[str, str, str], ...] = (),
) -> list[pa.Check]:
    """Every row of an area of the ICS (or England) has ``columns`` filled in (a suppressed value is
    missing, never zero, and a missing headline figure is an error).

    ``areas`` names the codes that must be complete ("ics_lads": the ICS's districts/UAs and England;
    "ics_utlas": its upper-tier authorities and England; "ics_all": both). ``known_gaps`` gives
    (area code, series or "", reason) of figures the source does not publish; the area code may be "*"
    (any area of the ICS), :data:`PARTIAL_DISTRICTS` or :data:`WHOLLY_BLANK` (an area every figure of
    whose series is blank: a figure blank in some rows only still fails). Such rows pass, and
    :func:`known_gaps` records them in ``quality/known_gaps``.
    """

    def one(col: str) -> pa.Check:
        def fn(d: pd.DataFrame) -> pd.Series:
            if area_column not in d or col not in d:
                return _ok(d)
            missing = _missing_in_ics(d, col, areas, area_column)
            for _, hit in _known(d, missing, area_column, known_gaps, col):
                missing &= ~hit
            return ~missing

        return _check(
            fn,
            f"{col} complete for the ICS",
            kind="complete",
            column=col,
            areas=areas,
            area_column=area_column,
            known_gaps=known_gaps,
        )

    return [one(c) for c in columns]


def _ics_codes(kind: str) -> set[str]:
    from llr_analysis.places import load_places

    cfg = load_places()
    lads = {cfg.england_code, *cfg.all_district_codes}
    utlas = {cfg.england_code, *(p.code for p in cfg.places.values())}
    return {"ics_lads": lads, "ics_utlas": utlas, "ics_all": lads | utlas}[kind]


def _missing_in_ics(d: pd.DataFrame, col: str, areas: str, area_column: str) -> pd.Series:
    return d[area_column].isin(_ics_codes(areas)) & d[col].isna()


#: a known gap's area code meaning "any district of the ICS that lies partly in another ICB"
PARTIAL_DISTRICTS = "partial districts"


#: a known gap's area code meaning "any area of the ICS whose every figure of the series is blank in the source":
#: the publisher does not publish for the area (e.g. too few deaths); a figure blank in some rows only is an error
WHOLLY_BLANK = "areas left wholly blank"


def _wholly_blank(d: pd.DataFrame, missing: pd.Series, area_column: str, col: str) -> pd.Series:
    """Rows of an area (within a series, when the frame has one) whose every ``col`` value is blank."""
    keys = [d[area_column]] + ([d["series"]] if "series" in d else [])
    blank = d[col].isna().groupby(keys).transform("all")
    return missing & blank.astype(bool)


def _partial_districts() -> set[str]:
    from llr_analysis.places import load_places

    return set(load_places().partial_district_codes)


def _known(
    d: pd.DataFrame, missing: pd.Series, area_column: str, gaps, col: str
) -> list[tuple[tuple[str, str, str], pd.Series]]:
    out = []
    for gap in gaps:
        code, series, _ = gap
        if code == "*":
            hit = missing.copy()
        elif code == WHOLLY_BLANK:
            hit = _wholly_blank(d, missing, area_column, col)
        elif code == PARTIAL_DISTRICTS:
            hit = missing & d[area_column].isin(_partial_districts())
        else:
            hit = missing & d[area_column].eq(code)
        if series and "series" in d:
            hit &= d["series"].eq(series)
        out.append((gap, hit))
    return out


GAP_COLUMNS = ["table", "area_code", "column", "series", "rows", "reason"]


def gap(table: str, area_code: str, reason: str, column: str = "value", series: str = "", rows: int = 0) -> dict:
    """One known gap (a row of ``quality/known_gaps``, :data:`GAP_COLUMNS`): ``rows`` blank rows of ``column``
    of ``table`` for the area (0: the source has no row for it), and why."""
    return {
        "table": table,
        "area_code": str(area_code),
        "column": column,
        "series": series,
        "rows": int(rows),
        "reason": reason,
    }


def known_gaps(table: str, df: pd.DataFrame, schema: pa.DataFrameSchema | None = None) -> pd.DataFrame:
    """The known gaps of ``table`` (rows of the ICS's areas whose figure the source does not publish), by
    area, from the :func:`complete` checks of its schema (registered, unless given)."""
    schema = schema if schema is not None else SCHEMAS.get(table)
    rows = []
    for check in schema.checks if schema is not None else ():
        meta = (check.statistics or {}).get("llr", {})
        if meta.get("kind") != "complete" or meta["area_column"] not in df or meta["column"] not in df:
            continue
        missing = _missing_in_ics(df, meta["column"], meta["areas"], meta["area_column"])
        for (_, series, reason), hit in _known(df, missing, meta["area_column"], meta["known_gaps"], meta["column"]):
            for area, n in df.loc[hit, meta["area_column"]].value_counts().sort_index().items():
                rows.append(gap(table, str(area), reason, meta["column"], series, int(n)))
    return pd.DataFrame(rows, columns=GAP_COLUMNS)


# ------------------------------------------------------------------------------ running a schema


def _file_of(row: pd.Series, default: str | Path) -> str:
    """The raw file a row came from: its ``file`` column, its registered source, or ``default``."""
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


def _plain(v: Any) -> Any:
    return v.item() if hasattr(v, "item") else v


def validate(
    df: pd.DataFrame,
    schema: pa.DataFrameSchema,
    file: str | Path,
    *,
    area_column: str | None = None,
    names: dict[str, str] | None = None,
) -> pd.DataFrame:
    """Run ``schema`` on ``df``; the first failure is a DataValidationError naming file, column, line and area.

    ``file`` is the raw file the rows were read from (a plausibility or completeness failure names
    the row's own file instead when it has a ``file`` or ``source_id`` column). ``names`` maps the project's column names to the publisher's, for the
    message. Returns the validated frame.
    """
    try:
        return schema.validate(df)
    except pa.errors.SchemaError as exc:
        raise _error(df, exc, file, area_column, names or {}, schema) from None


def _error(
    df: pd.DataFrame,
    exc: pa.errors.SchemaError,
    file: str | Path,
    area_column: str | None,
    names: dict[str, str],
    schema: pa.DataFrameSchema | None = None,
) -> DataValidationError:
    check = exc.check if isinstance(exc.check, pa.Check) else None
    meta = ((check.statistics or {}).get("llr") if check is not None else None) or {}
    kind = meta.get("kind")
    if kind == "count":
        found = int(meta["of"](df))
        where = f" {meta['where']}" if meta["where"] else ""
        return DataValidationError(file, f"expected {meta['expected']} {meta['what']}{where}, found {found}")
    out = exc.check_output
    if isinstance(out, pd.DataFrame):
        out = out.all(axis=1)
    bad = None
    if isinstance(out, pd.Series) and len(out) == len(df):
        bad = pd.Series(~out.fillna(False).astype(bool).to_numpy(), index=df.index)
    fc = exc.failure_cases
    if bad is None and isinstance(fc, pd.DataFrame) and "index" in fc and fc["index"].notna().any():
        bad = pd.Series(df.index.isin(fc["index"].dropna()), index=df.index)  # null or duplicate cells
    reason = exc.reason_code
    column = exc.column_name if isinstance(exc.column_name, str) else None
    if reason == pa.errors.SchemaErrorReason.DUPLICATES and schema is not None and schema.unique:
        return _duplicate_error(df, list(schema.unique), file)
    if reason == pa.errors.SchemaErrorReason.SERIES_CONTAINS_DUPLICATES and column is not None:
        return _duplicate_error(df, [column], file)
    if bad is None or not bad.any():  # a failure without rows (a missing column, a wrong type)
        detail = str(exc.args[0]).splitlines()[0] if exc.args else str(reason)
        return DataValidationError(file, detail, column=names.get(column, column) if column else None)
    n = int(bad.sum())
    pos = int(np.flatnonzero(bad.to_numpy())[0])
    row = df.iloc[pos]
    line = row_line(df.index, df.index[pos])
    if kind == "plausible":
        column = meta["column"]
        shown = {c: _plain(row[c]) for c in meta["shown"] if c in row.index}
        problem = meta["problem"]
        for a, b in names.items():
            problem = problem.replace(a, repr(b))
        return DataValidationError(
            _file_of(row, file),
            f"{n} implausible values: {_plain(row[column])!r} is {problem}",
            column=names.get(column, column),
            line=line,
            area=row_area(row, area_column),
            example=("" if line is not None else f"data row {pos + 1}: ") + str(shown),
        )
    if kind == "complete":
        what = {c: _plain(row[c]) for c in ("series", "period", "sex", "age", "year") if c in row.index}
        return DataValidationError(
            _file_of(row, file),
            f"{n} figures missing for areas of the ICS (a headline would be blank); e.g. {what}. If the "
            "publisher does not publish it, record the reason in the table's checks.complete(known_gaps=...)",
            column=meta["column"],
            area=str(row[meta["area_column"]]),
        )
    if kind == "unique":
        return _duplicate_error(df, meta["columns"], file)
    if kind == "not_greater":
        column = meta["column"]
        return DataValidationError(
            file, f"{n} {meta['problem']}", column=names.get(column, column), **first_bad(df, bad, area_column)
        )
    if reason == pa.errors.SchemaErrorReason.SERIES_CONTAINS_NULLS:
        problem = f"{n} rows have no value (truncated file?)"
    else:
        problem = f"failed check {check.error or check.name if check is not None else reason} ({n} failure(s))"
    column = names.get(column, column) if column is not None else None
    return DataValidationError(file, problem, column=column, **first_bad(df, bad, area_column))


def _duplicate_error(df: pd.DataFrame, columns: list[str], file: str | Path) -> DataValidationError:
    """Rows sharing ``columns``: the error names the key, the lines of the first pair and the area."""
    dup = df.duplicated(subset=columns, keep=False)
    first = df.duplicated(subset=columns, keep="first")
    second = first[first].index[0]
    key = tuple(df.loc[[second], columns].iloc[0])
    same = dup & (df[columns].apply(tuple, axis=1) == key)
    lines = [row_line(df.index, i) for i in same[same].index]
    where = f"lines {', '.join(map(str, lines[:5]))}" if None not in lines else f"{int(same.sum())} rows"
    value = key[0] if len(key) == 1 else key
    return DataValidationError(
        file,
        f"{int(dup.sum())} rows share the same {columns} (duplicate areas): {value!r} is on {where}",
        column=columns[0],
        line=lines[1],
        area=str(key[0]),
        example=example_row(df, same),
    )


def check_tables(tables: dict[str, pd.DataFrame], default_file: str) -> pd.DataFrame:
    """The gate before a step's tables are written: every table with a registered schema is validated
    (a row's own raw file named, else ``default_file -> data/processed/<table>.parquet``); returns the
    known gaps found (:func:`known_gaps`)."""
    parts = []
    for name, df in tables.items():
        schema = SCHEMAS.get(name)
        if schema is None:
            continue
        validate(df, schema, f"{default_file} -> data/processed/{name}.parquet")
        gaps = known_gaps(name, df, schema)
        if len(gaps):
            parts.append(gaps)
    return pd.concat(parts, ignore_index=True) if parts else pd.DataFrame(columns=GAP_COLUMNS)


#: the share of England's areas a file must cover for a few missing ones to be the publisher's gaps, not a
#: truncated file (:func:`require_areas`)
NEARLY_ALL = 0.95


def require_areas(
    df: pd.DataFrame,
    codes: list[str],
    file,
    column: str,
    what: str,
    current: set[str] | None = None,
    gaps: list[dict] | None = None,
    table: str = "",
    england: set[str] | None = None,
) -> None:
    """Every area of ``codes`` has rows, else an error naming the file, the column and the areas.

    With ``current`` (today's district and county codes) and ``gaps``: a file of an older vintage (it holds
    district or county codes retired since) that lacks an area whose code is newer is not an error; the
    gap is appended to ``gaps`` (dataset and vintage lack the area), and the page has no figure for it.

    With ``england`` (every area of England of the kind ``codes`` lists) and ``gaps``: a file covering at
    least :data:`NEARLY_ALL` of them that has no rows for a few areas (never England itself) is taken as
    the publisher's omission: each is appended to ``gaps``. A file covering fewer is more likely truncated
    or of another geography: an error, as before.
    """
    missing = sorted(set(codes) - set(df["area_code"]))
    if missing and england and gaps is not None:
        covered = len(england & set(df["area_code"])) / len(england)
        unpublished = [c for c in missing if c in england] if covered >= NEARLY_ALL else []
        for code in unpublished:
            reason = f"{Path(str(file)).name} has no rows for this area, though it covers {covered:.0%} of England's "
            gaps.append(gap(table, code, reason + "areas of this kind"))
        missing = [c for c in missing if c not in unpublished]
    if missing and current is not None and gaps is not None:
        retired = sorted(
            {c for c in df["area_code"].astype(str) if re.match(r"^E(0[6-9]|10)\d{6}$", c) and c not in current}
        )
        newer = [c for c in missing if c in current] if retired else []
        for code in newer:
            reason = (
                f"{Path(str(file)).name} predates this area's code (it has areas since retired, e.g. {retired[0]}): "
                "the dataset's vintage lacks the area, so it has no figure here"
            )
            gaps.append(gap(table, code, reason))
        missing = [c for c in missing if c not in newer]
    if missing:
        raise DataValidationError(
            file,
            f"{len(missing)} {what} missing (the file no longer covers these areas?): {', '.join(missing[:5])}"
            + (" …" if len(missing) > 5 else ""),
            column=column,
            area=missing[0],
        )
