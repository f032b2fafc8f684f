"""Small wording helpers shared by the report modules.

:func:`at_extreme` names *every* area at the lowest or highest value as shown (a tie is judged at the
precision the sentence prints, so two districts both shown as 83.8 years are both named).
"""

from __future__ import annotations

import pandas as pd


def join_names(names: list[str]) -> str:
    """'A', 'A and B', 'A, B and C'."""
    names = [str(n) for n in names]
    if len(names) <= 1:
        return "".join(names)
    return ", ".join(names[:-1]) + " and " + names[-1]


def at_extreme(df: pd.DataFrame, value: str, name: str, lowest: bool, decimals: int = 1) -> tuple[float, str]:
    """The lowest (or highest) value of ``df[value]`` and every name at it, as shown to ``decimals``.

    >>> d = pd.DataFrame({"v": [83.8, 83.84, 85.0], "n": ["Oadby and Wigston", "North West Leicestershire", "X"]})
    >>> at_extreme(d, "v", "n", lowest=True)
    (83.8, 'North West Leicestershire and Oadby and Wigston')
    """
    d = df.dropna(subset=[value])
    shown = d[value].round(decimals)
    best = shown.min() if lowest else shown.max()
    hits = sorted(set(d.loc[shown == best, name].astype(str)))
    return float(best), join_names(hits)
