"""Reading publishers' files by their own column names, and validating what was read.

Every failure raises :class:`~llr_analysis.errors.DataValidationError` naming the file, the
column and an example row. Schemas are pandera ``DataFrameSchema`` objects; :func:`validate`
turns pandera's failure cases into that one clear message.
"""

from __future__ import annotations

import difflib
import re
from pathlib import Path
from typing import Mapping

import numpy as np
import pandas as pd
import pandera.pandas as pa

from .errors import DataValidationError

# Area code patterns (ONS GSS codes).
LSOA_CODE = r"^E01\d{6}$"
MSOA_CODE = r"^E02\d{6}$"
WARD_CODE = r"^[EW]05\d{6}$"
LAD_CODE = r"^E0[6-9]\d{6}$"           # unitary (E06), non-metropolitan district (E07), met (E08), London (E09)
UTLA_CODE = r"^E(0[6-9]|10|11|13)\d{6}$"
PRACTICE_CODE = r"^[A-Z]\d{5}$"

# Text that publishers put in numeric cells for suppressed or unavailable values.
SUPPRESSED = re.compile(r"^\s*(<\s*\d+|<\s*under\s*\d+\s*>?|<\s*suppressed\s*>|\*|\.\.|:|x|c|-|n/?a|na|null|suppressed)\s*$",
                        re.IGNORECASE)


def example_row(df: pd.DataFrame, mask: pd.Series, max_cols: int = 6) -> str:
    """The first offending row, as a short dict with its 1-based data row number."""
    idx = mask[mask].index[0]
    pos = df.index.get_loc(idx)
    row = df.loc[idx]
    shown = {k: (row[k].item() if hasattr(row[k], "item") else row[k]) for k in list(df.columns)[:max_cols]}
    return f"data row {pos + 1}: {shown}"


def read_csv(path: str | Path, **kwargs) -> pd.DataFrame:
    """``pandas.read_csv`` with errors that name the file: empty, unparseable or truncated input."""
    try:
        df = pd.read_csv(path, **kwargs)
    except pd.errors.EmptyDataError:
        raise DataValidationError(path, "the file is empty") from None
    except (pd.errors.ParserError, UnicodeDecodeError) as exc:
        raise DataValidationError(path, f"the file cannot be read as CSV (truncated or not a CSV?): {exc}") from None
    if df.empty:
        raise DataValidationError(path, "the file has a header but no data rows")
    head = " ".join(map(str, df.columns[:3])).lower()
    if "<html" in head or "<!doctype" in head:
        raise DataValidationError(path, "the file is an HTML page, not a CSV (an error or proxy page?)")
    return df


def check_complete_rows(df: pd.DataFrame, columns: list[str], file: str | Path) -> None:
    """Rows with a required value missing (e.g. the last row of a truncated file) are an error."""
    bad = df[columns].isna().any(axis=1)
    if bad.any():
        col = next(c for c in columns if df.loc[bad, c].isna().any())
        raise DataValidationError(file, f"{int(bad.sum())} rows have no value (truncated file?)", column=col,
                                  example=example_row(df, bad))


def check_non_negative(df: pd.DataFrame, columns: list[str], file: str | Path) -> None:
    for c in columns:
        bad = df[c] < 0
        if bad.any():
            raise DataValidationError(file, f"{int(bad.sum())} negative counts", column=c,
                                      example=example_row(df, bad))


def select_columns(df: pd.DataFrame, columns: Mapping[str, str], file: str | Path) -> pd.DataFrame:
    """Pick the publisher's columns and rename them to the project's names.

    ``columns`` maps publisher column name -> project name. Extra columns are tolerated;
    a missing column is an error that lists near matches (a renamed column is the usual cause).
    Leading/trailing spaces and a byte-order mark in headers are ignored.
    """
    cleaned = {str(c).replace("\ufeff", "").strip(): c for c in df.columns}
    missing = [c for c in columns if c.strip() not in cleaned]
    if missing:
        col = missing[0]
        near = difflib.get_close_matches(col.strip(), list(cleaned), n=3, cutoff=0.6)
        hint = f" Did it get renamed? Closest headers: {near}" if near else ""
        raise DataValidationError(
            file, f"required column is missing ({len(missing)} missing in all).{hint}", column=col)
    out = df[[cleaned[c.strip()] for c in columns]].copy()
    out.columns = list(columns.values())
    return out


def to_number(s: pd.Series, file: str | Path, column: str, *, allow_suppressed: bool = True
              ) -> tuple[pd.Series, int]:
    """Convert a column to numbers. Suppressed markers ("<6", "*", "<under 6>", "..") become NaN.

    Returns the numeric series and how many values were suppressed. A suppressed value is
    missing, never zero. Any other text is an error naming the column and an example.
    Thousands separators ("29,199") are accepted.
    """
    if pd.api.types.is_numeric_dtype(s):
        return s.astype("float64"), 0
    text = s.astype("string").str.strip()
    blank = text.isna() | (text == "")
    suppressed = text.fillna("").str.match(SUPPRESSED) & ~blank
    if suppressed.any() and not allow_suppressed:
        raise DataValidationError(file, "suppressed values are not expected here", column=column,
                                  example=example_row(s.to_frame(column), suppressed))
    cleaned = text.where(~suppressed).str.replace(",", "", regex=False)
    nums = pd.to_numeric(cleaned, errors="coerce")
    bad = nums.isna() & ~blank & ~suppressed
    if bad.any():
        frame = s.to_frame(column)
        raise DataValidationError(file, f"{int(bad.sum())} values are not numbers", column=column,
                                  example=example_row(frame, bad))
    return nums.astype("float64"), int(suppressed.sum())


def validate(df: pd.DataFrame, schema: pa.DataFrameSchema, file: str | Path) -> pd.DataFrame:
    """Validate ``df`` against a pandera schema; re-raise the first failure as a clear error."""
    try:
        return schema.validate(df, lazy=True)
    except pa.errors.SchemaErrors as exc:
        fc = exc.failure_cases
        first = fc.iloc[0]
        column = first.get("column")
        check = first.get("check")
        n = len(fc)
        idx = first.get("index")
        example = None
        if idx is not None and not (isinstance(idx, float) and np.isnan(idx)) and idx in df.index:
            mask = pd.Series(df.index == idx, index=df.index)
            example = example_row(df, mask)
        elif first.get("failure_case") is not None:
            example = f"value {first.get('failure_case')!r}"
        raise DataValidationError(file, f"failed check {check} ({n} failure(s))",
                                  column=None if column is None or pd.isna(column) else str(column),
                                  example=example) from None


def check_unique(df: pd.DataFrame, columns: list[str], file: str | Path) -> None:
    dup = df.duplicated(subset=columns, keep=False)
    if dup.any():
        raise DataValidationError(file, f"{int(dup.sum())} rows share the same {columns} (duplicate areas)",
                                  column=columns[0], example=example_row(df, dup))


def check_not_greater(df: pd.DataFrame, numerator: str, denominator: str, file: str | Path) -> None:
    bad = df[numerator] > df[denominator]
    if bad.any():
        raise DataValidationError(file, f"{int(bad.sum())} rows have {numerator} greater than {denominator}",
                                  column=numerator, example=example_row(df, bad))


def check_count(found: int, expected: int, what: str, file: str | Path, where: str = "in LLR") -> None:
    """An expected number of rows or areas (e.g. 634 LSOAs in LLR); ``where`` completes the sentence."""
    if found != expected:
        raise DataValidationError(file, f"expected {expected} {what}{' ' + where if where else ''}, found {found}")


def code_column(pattern: str, **kw) -> pa.Column:
    return pa.Column(str, pa.Check.str_matches(pattern), **kw)
