"""Reading publishers' files by their own column names, strictly.

Every failure raises :class:`~llr_analysis.errors.DataValidationError` naming the file, the
column, the file's own line and the area, with an example row. What is read is then validated by
pandera schemas (column patterns built with :func:`code_column`); running a schema and wording its
failures is :func:`llr_analysis.process.checks.validate`, the one validation mechanism.
"""

from __future__ import annotations

import csv
import difflib
import io
import re
from collections.abc import Mapping
from pathlib import Path

import numpy as np
import pandas as pd
import pandera.pandas as pa

from llr_analysis.errors import DataValidationError

# Area code patterns (ONS GSS codes).
LSOA_CODE = r"^E01\d{6}$"
MSOA_CODE = r"^E02\d{6}$"
WARD_CODE = r"^[EW]05\d{6}$"
LAD_CODE = r"^E0[6-9]\d{6}$"  # unitary (E06), non-metropolitan district (E07), met (E08), London (E09)
UTLA_CODE = r"^E(0[6-9]|10|11|13)\d{6}$"
PRACTICE_CODE = r"^[A-Z]\d{5}$"

# Text that publishers put in numeric cells for suppressed or unavailable values.
SUPPRESSED = re.compile(
    r"^\s*(<\s*\d+|<\s*under\s*\d+\s*>?|<\s*suppressed\s*>|\*|\.\.|:|x|c|-|n/?a|na|null|suppressed)\s*$", re.IGNORECASE
)


#: Column names that hold a row's area (or practice) code, in order of preference, for messages.
AREA_COLUMNS = (
    "area_code",
    "Area Code",
    "Area code",
    "areacd",
    "code",
    "lsoa_code",
    "lsoa21_code",
    "lsoa11_code",
    "LSOA21CD",
    "LSOA11CD",
    "LSOA code (2021)",
    "LSOA code (2011)",
    "LSOA Code",
    "msoa11_code",
    "msoa21_code",
    "MSOA21CD",
    "MSOA11CD",
    "practice_code",
    "Organisation Code",
    "Organisation.Code",
    "Practice.Code",
    "PRACTICE_CODE",
    "lad_code",
    "LAD24CD",
    "LAD23CD",
    "Code",
    "geography code",
    "pcn_code",
)
_ANY_CODE = re.compile(r"^\s*([EWSNK]\d{8}|[A-Z]\d{5}|U\d{5})\s*$")


def row_line(index, label) -> int | None:
    """The file's own line number of a row, when the frame's index holds them (see :func:`read_csv`)."""
    if getattr(index, "name", None) == "line":
        try:
            return int(label)
        except (TypeError, ValueError):
            return None
    return None


def row_area(row: pd.Series | Mapping, area_column: str | None = None) -> str | None:
    """The area code of a row (named column first, then a known code column, then any code-like value)."""
    keys = [area_column] if area_column else []
    keys += [c for c in AREA_COLUMNS if c not in keys]
    for k in keys:
        if k in row and isinstance(row[k], str) and row[k].strip():
            return row[k].strip()
    for v in row.values() if isinstance(row, Mapping) else row.tolist():
        if isinstance(v, str) and _ANY_CODE.match(v):
            return v.strip()
    return None


def example_row(df: pd.DataFrame, mask: pd.Series, max_cols: int = 6) -> str:
    """The first offending row, as a short dict with its line in the file (or its 1-based data row number)."""
    pos = (
        int(np.flatnonzero(mask.reindex(df.index).fillna(False).to_numpy(bool))[0])
        if mask.index.is_unique
        else int(np.flatnonzero(mask.to_numpy(bool))[0])
    )
    row = df.iloc[pos]
    shown = {k: (row[k].item() if hasattr(row[k], "item") else row[k]) for k in list(df.columns)[:max_cols]}
    line = row_line(df.index, df.index[pos])
    return f"{'line ' + str(line) if line is not None else f'data row {pos + 1}'}: {shown}"


def first_bad(df: pd.DataFrame, mask: pd.Series, area_column: str | None = None) -> dict:
    """``line``, ``area`` and ``example`` keyword arguments of a DataValidationError for the first bad row."""
    pos = (
        int(np.flatnonzero(mask.reindex(df.index).fillna(False).to_numpy(bool))[0])
        if mask.index.is_unique
        else int(np.flatnonzero(mask.to_numpy(bool))[0])
    )
    row = df.iloc[pos]
    return {
        "line": row_line(df.index, df.index[pos]),
        "area": row_area(row, area_column),
        "example": example_row(df, mask),
    }


def _decode_or_fail(path: Path, data: bytes, encoding: str) -> str:
    """The file's text; a clear error naming the line when it is not in ``encoding`` (UTF-8)."""
    try:
        return data.decode(encoding)
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        col = exc.start - (data.rfind(b"\n", 0, exc.start) + 1) + 1
        bad = data[exc.start : exc.start + 1].hex()
        raise DataValidationError(
            path,
            f"the file is not UTF-8 (byte 0x{bad} at character {col} cannot be decoded; saved as "
            "Latin-1/Windows-1252 by a spreadsheet?). Re-save it as UTF-8 or fetch it again",
            line=line,
        ) from None


def record_lines(text: str, header_rows: int) -> list[int] | None:
    """The line (1-based, header counted) on which each data record of a CSV text starts.

    Blank lines are skipped, as pandas does; quoted fields may span lines.
    """
    if '"' not in text and "\n\n" not in text.replace("\r\n", "\n").replace("\r", "\n"):
        n = text.count("\n") + (0 if text.endswith("\n") else 1)
        return list(range(header_rows + 1, n + 1))
    starts, prev = [], 0
    reader = csv.reader(io.StringIO(text, newline=""))
    try:
        for row in reader:
            if row:
                starts.append(prev + 1)
            prev = reader.line_num
    except csv.Error:
        return None
    return starts[header_rows:]


_QUOTED = re.compile(r'"[^"]*"')


def csv_structure_problem(text: str, delimiter: str = ",") -> tuple[str, int] | None:
    """Why a CSV text is not complete and rectangular, and the file's own line where it shows; None if it is.

    A file (or API response) cut off mid-row shows as a last line with no line end, an unclosed
    quote, or a last row with fewer fields than the header; a stray or missing separator as a row
    whose number of fields differs from the header's. Blank lines are ignored (pandas skips them).
    """
    if not text:
        return None
    n_lines = text.count("\n") + (0 if text.endswith("\n") else 1)
    width: int | None = None  # fields in the first row with content
    ragged: list[tuple[int, int]] = []  # (line, fields) of the rows whose width differs
    # Fast path: with quoted fields taken out (when none spans lines), a line's fields are its separators + 1.
    plain = _QUOTED.sub("", text) if '"' in text else text
    if '"' not in plain and plain.count("\n") == text.count("\n") and "\r" not in plain.replace("\r\n", "\n"):
        raw = np.frombuffer(plain.encode("utf-8"), dtype=np.uint8)
        ends = np.flatnonzero(raw == 10)
        if len(raw) and raw[-1] != 10:
            ends = np.append(ends, len(raw))
        seps = np.flatnonzero(raw == ord(delimiter))
        starts = np.concatenate([[0], ends[:-1] + 1])
        fields = np.searchsorted(seps, ends) - np.searchsorted(seps, starts) + 1
        cr = np.concatenate([raw, [0]])
        length = ends - starts - (cr[np.maximum(ends - 1, 0)] == 13)
        content = np.flatnonzero(length > 0)
        if not len(content):
            return None
        width = int(fields[content[0]])
        bad = content[fields[content] != width]
        ragged = [(int(i) + 1, int(fields[i])) for i in bad[:1000]]
        if len(bad) > 1000:
            ragged += [(int(bad[-1]) + 1, int(fields[bad[-1]]))] * (len(bad) - 1000)
        return _structure_verdict(text, n_lines, width, ragged)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, strict=True)
    prev = 0
    try:
        for row in reader:
            start = prev + 1
            prev = reader.line_num
            if not row:
                continue
            if width is None:
                width = len(row)
            elif len(row) != width:
                ragged.append((start, len(row)))
    except csv.Error as exc:
        if "unexpected end of data" in str(exc):
            return ("a quoted field that starts on this line is never closed (the file was cut off mid-row?)", prev + 1)
        return (f"the line cannot be read as CSV ({exc}: a stray quote?)", reader.line_num)
    return _structure_verdict(text, n_lines, width, ragged)


def _structure_verdict(
    text: str, n_lines: int, width: int | None, ragged: list[tuple[int, int]]
) -> tuple[str, int] | None:
    if not text.endswith(("\n", "\r")):
        last = ragged[-1] if ragged and ragged[-1][0] >= n_lines else None
        fields = f", with {last[1]} of the header's {width} fields" if last else ""
        return (
            f"the last line is incomplete: it has no line end{fields} (the file or response was cut off mid-row?)",
            n_lines,
        )
    if ragged:
        line, k = ragged[0]
        more = f" ({len(ragged)} rows in all)" if len(ragged) > 1 else ""
        return (
            f"the row has {k} field{'' if k == 1 else 's'} where the header has {width}{more} (a ragged row: a line cut short, "
            "or a stray or missing separator)",
            line,
        )
    return None


def read_csv(path: str | Path, **kwargs) -> pd.DataFrame:
    """``pandas.read_csv`` with errors that name the file: empty, not UTF-8, unparseable or truncated input.

    The index of the result holds each row's line number in the file (header counted, as a text
    editor or spreadsheet shows it), named ``line``, so every later error can cite it.
    """
    path = Path(path)
    encoding = str(kwargs.get("encoding") or "utf-8").lower().replace("_", "-")
    text = None
    if encoding in ("utf-8", "utf8", "utf-8-sig", "utf8-sig") and path.exists():
        data = path.read_bytes()
        if not data.strip():
            raise DataValidationError(path, "the file is empty")
        text = _decode_or_fail(path, data, "utf-8-sig")
        if text.lstrip()[:15].lower().startswith(("<!doctype", "<html")):
            raise DataValidationError(path, "the file is an HTML page, not a CSV (an error or proxy page?)")
        sep = kwargs.get("sep", kwargs.get("delimiter", ","))
        structural = not any(k in kwargs for k in ("skiprows", "nrows", "skipfooter", "comment"))
        if structural and isinstance(sep, str) and len(sep) == 1:
            found = csv_structure_problem(text, sep)
            if found is not None:
                raise DataValidationError(path, found[0], line=found[1])
    try:
        df = pd.read_csv(path, **kwargs)
    except pd.errors.EmptyDataError:
        raise DataValidationError(path, "the file is empty") from None
    except UnicodeDecodeError as exc:
        raise DataValidationError(path, f"the file is not in the expected encoding {encoding} ({exc})") from None
    except pd.errors.ParserError as exc:
        raise DataValidationError(path, f"the file cannot be read as CSV (truncated or not a CSV?): {exc}") from None
    if df.empty:
        raise DataValidationError(path, "the file has a header but no data rows")
    head = " ".join(map(str, df.columns[:3])).lower()
    if "<html" in head or "<!doctype" in head:
        raise DataValidationError(path, "the file is an HTML page, not a CSV (an error or proxy page?)")
    plain = not any(k in kwargs for k in ("skiprows", "nrows", "skipfooter", "comment", "index_col", "chunksize"))
    header = kwargs.get("header", "infer")
    header_rows = 0 if header is None else (1 if header in ("infer", 0) else None)
    if text is not None and plain and header_rows is not None and kwargs.get("skip_blank_lines", True):
        lines = record_lines(text, header_rows)
        if lines is not None and len(lines) == len(df):
            df.index = pd.Index(lines, name="line")
    return df


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
            file, f"required column is missing ({len(missing)} missing in all).{hint}", column=col
        )
    out = df[[cleaned[c.strip()] for c in columns]].copy()
    out.columns = list(columns.values())
    return out


#: A number as publishers write it in a CSV: optional sign, digits, optional decimals, optional exponent.
PLAIN_NUMBER = re.compile(r"^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$")
#: The same with thousands separators ("29,199"), for publishers whose files use them.
GROUPED_NUMBER = re.compile(r"^[+-]?(\d{1,3}(,\d{3})+|\d+)(\.\d+)?$")


def why_not_a_number(text: str) -> str:
    """Why a cell is not a number in the publisher's format, in words."""
    t = text.strip()
    if GROUPED_NUMBER.match(t):
        return "has a thousands separator, which this file does not use"
    if re.match(r"^[+-]?[\d.,]+\s*(%|per ?cent|years?|yrs)$", t, re.IGNORECASE):
        return "carries a unit (" + re.sub(r"^[+-]?[\d.,]+\s*", "", t) + ")"
    if re.match(r"^[+-]?\d*\.\d*\.[\d.]*$", t):
        return "has more than one decimal point"
    if t.lower() in ("nan", "inf", "-inf", "+inf", "infinity", "none", "#n/a", "#value!", "#div/0!", "#ref!"):
        return "is not a value (a spreadsheet error or a program's placeholder)"
    return "is text, not a number"


def to_number(
    s: pd.Series,
    file: str | Path,
    column: str,
    *,
    allow_suppressed: bool = True,
    thousands: bool = False,
    area: pd.Series | None = None,
) -> tuple[pd.Series, int]:
    """Convert a column to numbers, strictly in the publisher's own format.

    Suppressed markers ("<6", "*", "<under 6>", "..") become NaN: missing, never zero, and counted
    (the second value returned). Blank cells stay missing. Anything else that is not a plain
    number -- a thousands separator (unless ``thousands=True`` because the publisher writes them),
    a unit ("45%"), stray text, "1.2.3" -- is a :class:`DataValidationError` naming the file, the
    column, the line in the file and the row's area code (from ``area``, aligned with ``s``).
    """
    if pd.api.types.is_numeric_dtype(s):
        return s.astype("float64"), 0
    text = s.astype("string").str.strip()
    blank = text.isna() | (text == "")
    filled = text.fillna("")
    suppressed = filled.str.match(SUPPRESSED) & ~blank
    ok = filled.str.match(PLAIN_NUMBER)
    if thousands:
        ok |= filled.str.match(GROUPED_NUMBER)

    def fail(mask: pd.Series, problem: str, explain: bool):
        idx = mask[mask].index[0]
        code = None
        if area is not None and idx in area.index:
            a = area.loc[idx]
            a = a.iloc[0] if isinstance(a, pd.Series) else a
            code = None if pd.isna(a) else (str(a).strip() or None)
        value = text.loc[idx]
        value = value.iloc[0] if isinstance(value, pd.Series) else value
        raise DataValidationError(
            file,
            problem,
            column=column,
            line=row_line(s.index, idx),
            area=code,
            example=f"value {value!r}" + (f" {why_not_a_number(value)}" if explain else ""),
        )

    if suppressed.any() and not allow_suppressed:
        fail(suppressed, f"{int(suppressed.sum())} suppressed values, which are not expected here", False)
    bad = ~ok & ~blank & ~suppressed
    if bad.any():
        fail(bad, f"{int(bad.sum())} values are not numbers in the publisher's format", True)
    cleaned = filled.where(ok, None)
    if thousands:
        cleaned = cleaned.str.replace(",", "", regex=False)
    nums = pd.to_numeric(cleaned, errors="coerce")
    return nums.astype("float64"), int(suppressed.sum())


def code_column(pattern: str, **kw) -> pa.Column:
    return pa.Column(str, pa.Check.str_matches(pattern), **kw)
