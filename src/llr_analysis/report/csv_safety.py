"""CSV downloads that are safe to open in a spreadsheet (OWASP "CSV injection").

Names from the sources (wards, practices, PCNs) reach the downloads; one that begins with a formula
character would run as a formula in Excel or LibreOffice. :func:`neutralise_formulas` makes such cells
text; :data:`FORMULA_NOTE` is the data dictionary's row that says so.
"""

from __future__ import annotations

import pandas as pd

#: First characters that make a spreadsheet read a cell as a formula (OWASP "CSV injection").
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def neutralise_formulas(df: pd.DataFrame) -> pd.DataFrame:
    """Text cells (and column names) that begin with ``=``, ``+``, ``-``, ``@``, a tab or a carriage return
    get a single quote in front (OWASP), so Excel or LibreOffice show them as text instead of running
    them as formulas; a carriage return inside a text cell becomes a line feed (which the writer quotes).
    Numbers stored as numbers, negative ones included, are left as they are."""

    def risky(v) -> bool:
        return isinstance(v, str) and (v.startswith(FORMULA_START) or "\r" in v)

    def safe(v):
        if not risky(v):
            return v
        v = "'" + v if v.startswith(FORMULA_START) else v
        # a carriage return inside a cell would not be quoted by the CSV writer and split the row
        return v.replace("\r\n", "\n").replace("\r", "\n")

    out = df.copy()
    for c in out.columns:
        col = out[c]
        if (pd.api.types.is_object_dtype(col) or pd.api.types.is_string_dtype(col)) and col.map(risky).any():
            out[c] = col.map(safe)
    out.columns = [safe(c) for c in out.columns]
    return out


#: The dictionary's last row: how text that looks like a formula is written in every download.
FORMULA_NOTE = {
    "file": "(every file)",
    "column": "(text cells)",
    "meaning": "text that begins with =, +, -, @, a tab or a carriage return (e.g. a name from a source) "
    "is written with a single quote (') in front, so that spreadsheets show it as text and do not run "
    "it as a formula; numbers are written as they are",
    "type": "text",
    "sources": "as each file",
    "licences": "as each file",
    "periods": "as each file",
}
