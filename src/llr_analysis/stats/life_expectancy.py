"""Life expectancy from an abridged life table (Chiang II, Silcocks variance) - OHID method.

This follows ``phe_life_expectancy`` in the UKHSA/OHID R package
PHEindicatormethods, which in turn matches PHE's Life Expectancy Calculator
(Fingertips technical guidance) and ONS's method for local authorities.

Method in brief
---------------
Deaths and populations come in 20 age bands: 0, 1-4, 5-9, ..., 85-89, 90+.
For each band i starting at age x_i with width n_i:

* death rate            M_i = D_i / P_i
* fraction of the band lived by those who die in it: a_i = 0.1 for age 0, else 0.5
* probability of dying  q_i = n_i M_i / (1 + n_i M_i (1 - a_i))   (1 if n_i M_i a_i > 1;
  q = 1 for 90+)
* survivors             l_0 = 100,000; l_{i+1} = l_i (1 - q_i)
* deaths in the table   d_i = l_i - l_{i+1}   (d = l for 90+)
* person-years          L_i = n_i (l_{i+1} + a_i d_i);  L_90+ = l_90+ / M_90+
* life expectancy       e_i = T_i / l_i where T_i = L_i + L_{i+1} + ... + L_90+

Variance (Chiang, with Silcocks et al's term for the open 90+ band, which
Chiang's own method treats as having no variance):

* S_i  = q_i^2 (1 - q_i) / D_i                 (0 when d_i = 0)
* S_90+ = 4 / (D_90+ M_90+^2)
* W_i  = S_i l_i^2 ((1 - a_i) n_i + e_{i+1})^2;  W_90+ = (l_90+ / 2)^2 S_90+
* Var(e_i) = (W_i + W_{i+1} + ... + W_90+) / l_i^2
* limits   = e_i -/+ z sqrt(Var(e_i))

OHID rules (as in PHEindicatormethods): life expectancy is **not calculated**
when any age band has negative deaths, a population of zero or less, more
deaths than population, when the total population is 5,000 or less, or when
the 90+ band has no deaths (then M_90+ = 0 and L_90+ is infinite). A value is
**suppressed** (set to NaN, but its confidence limits are kept) when its 95%
confidence interval is more than 20 years wide.

Life expectancy at a later age (e.g. 65) is e at that band. It is computed by
starting the table at that band: e_x and its variance only depend on bands
from x upwards, so this gives exactly the value the full table gives at age x.

References
----------
Chiang CL. The life table and its construction. In: Introduction to
stochastic processes in biostatistics. New York: Wiley; 1968:189-214.

Newell C. Methods and models in demography. Chichester: Wiley; 1994:63-81.

Silcocks PBS, Jenner DA, Reza R. Life expectancy as a summary of mortality in
a population: statistical considerations and suitability for use by health
authorities. J Epidemiol Community Health 2001;55:38-43.

Toson B, Baker A. Life expectancy at birth: methodological options for small
populations. National Statistics Methodological Series No 33. HMSO; 2003
(the 5,000 minimum population).

Eayres DP, Williams ES. Evaluation of methodologies for small area life
expectancy estimation. J Epidemiol Community Health 2004;58:243-249.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from llr_analysis.stats.proportions import (
    _as_float_array,
    _check_confidence,
    _check_confidences,
    _confidence_label,
    _z_value,
)

__all__ = [
    "MAX_CI_WIDTH_YEARS",
    "MIN_TOTAL_POPULATION",
    "STANDARD_AGE_BANDS",
    "LifeExpectancyResult",
    "abridged_life_table",
    "life_expectancy",
    "life_expectancy_by_group",
]

#: Start ages of the 20 standard bands: 0, 1-4, 5-9, ..., 85-89, 90+.
STANDARD_AGE_BANDS: tuple[int, ...] = (0, 1) + tuple(range(5, 95, 5))

#: Life expectancy is not calculated when the total population is this or less.
MIN_TOTAL_POPULATION = 5_000

#: A value is suppressed when its 95% confidence interval is wider than this.
MAX_CI_WIDTH_YEARS = 20

_RADIX = 100_000.0  # l at the start of the table
_A_INFANT, _A_OTHER = 0.1, 0.5  # fraction of the band lived by those who die in it

SUPPRESSED_REASON = "value suppressed: 95% confidence interval is wider than 20 years"


# ---------------------------------------------------------------------------
# Result object
# ---------------------------------------------------------------------------


@dataclass(frozen=True)
class LifeExpectancyResult:
    """Life expectancy with confidence limits for one population.

    ``value`` is NaN when life expectancy was not calculated or was suppressed;
    ``reason`` then says why (it is None for a normal result). When a value is
    suppressed for a wide interval, the limits are still given, as OHID does.
    """

    value: float
    standard_error: float
    limits: dict[float, tuple[float, float]] = field(default_factory=dict)
    start_age: int = 0
    reason: str | None = None

    def lower(self, confidence: float = 0.95) -> float:
        """Lower limit at a confidence level that was requested (NaN otherwise)."""
        return self.limits.get(_check_confidence(confidence), (np.nan, np.nan))[0]

    def upper(self, confidence: float = 0.95) -> float:
        """Upper limit at a confidence level that was requested (NaN otherwise)."""
        return self.limits.get(_check_confidence(confidence), (np.nan, np.nan))[1]

    @property
    def lower95(self) -> float:
        return self.lower(0.95)

    @property
    def upper95(self) -> float:
        return self.upper(0.95)

    @property
    def lower99_8(self) -> float:
        return self.lower(0.998)

    @property
    def upper99_8(self) -> float:
        return self.upper(0.998)

    def to_dict(self) -> dict[str, Any]:
        """Flat dict: value, lower95, upper95, lower99_8, upper99_8, ..., reason."""
        out: dict[str, Any] = {"value": self.value}
        for level, (low, high) in self.limits.items():
            label = _confidence_label(level)
            out[f"lower{label}"] = low
            out[f"upper{label}"] = high
        out["standard_error"] = self.standard_error
        out["start_age"] = self.start_age
        out["reason"] = self.reason
        return out


# ---------------------------------------------------------------------------
# Public functions
# ---------------------------------------------------------------------------


def life_expectancy(
    deaths: Any, population: Any, age_bands_start: Any, *, confidence: Any = (0.95, 0.998), start_age: int = 0
) -> LifeExpectancyResult:
    """Life expectancy for one population: Chiang II abridged life table, Silcocks variance.

    Method: as ``phe_life_expectancy`` in PHEindicatormethods (Chiang 1968;
    Silcocks et al 2001 for the 90+ band; OHID not-calculated and suppression
    rules). See the module docstring for the formulas and rules.

    Parameters
    ----------
    deaths, population:
        Deaths and population (person-years) per age band, in the same order
        as ``age_bands_start``.
    age_bands_start:
        Start age of each band: 0, 1, 5, 10, ..., 90. Labels such as "1-4",
        "85 - 89" or "90+" are accepted (the first number is used). Order
        does not matter.
    confidence:
        One level or a sequence; default (0.95, 0.998).
    start_age:
        Age at which to report life expectancy (a standard band start, e.g.
        0 for life expectancy at birth, 65 for life expectancy at 65). All
        bands from this age to 90+ must be supplied; younger bands may be
        left out (if given, they count towards the total-population rule).

    Returns
    -------
    LifeExpectancyResult
        ``value``, ``lower95``, ``upper95``, ``lower99_8``, ``upper99_8``,
        ``standard_error``, ``reason`` (see :class:`LifeExpectancyResult`).

    Raises
    ------
    ValueError
        For unusable input: unequal lengths, unknown or repeated age bands,
        a start age that is not a band start, or invalid confidence levels.
        Data problems (e.g. deaths > population) do not raise; they give a
        NaN value with a ``reason``.
    """
    levels = _check_confidences(confidence)
    start_index = _start_index(start_age)
    d = np.atleast_1d(_as_float_array(deaths, "deaths"))
    p = np.atleast_1d(_as_float_array(population, "population"))
    bands = np.atleast_1d(np.asarray(age_bands_start, dtype=object))
    if not (len(d) == len(p) == len(bands)):
        raise ValueError(
            f"deaths, population and age_bands_start must have the same length; got {len(d)}, {len(p)} and {len(bands)}"
        )
    positions = _band_positions(bands)
    if len(set(positions)) != len(positions):
        repeated = sorted({_label(STANDARD_AGE_BANDS[i]) for i in positions if positions.count(i) > 1})
        raise ValueError(f"age bands appear more than once: {', '.join(repeated)}")

    wide_deaths = np.full((1, len(STANDARD_AGE_BANDS)), np.nan)
    wide_pops = np.full((1, len(STANDARD_AGE_BANDS)), np.nan)
    present = np.zeros((1, len(STANDARD_AGE_BANDS)), dtype=bool)
    wide_deaths[0, positions] = d
    wide_pops[0, positions] = p
    present[0, positions] = True

    table = _life_expectancy_wide(wide_deaths, wide_pops, present, start_index, levels)
    missing = [_label(STANDARD_AGE_BANDS[i]) for i in range(start_index, len(STANDARD_AGE_BANDS)) if not present[0, i]]
    reason = table["reason"][0]
    if missing:
        reason = f"age bands missing: {', '.join(missing)}"
    return LifeExpectancyResult(
        value=float(table["value"][0]),
        standard_error=float(table["standard_error"][0]),
        limits={level: (float(table["lower"][level][0]), float(table["upper"][level][0])) for level in levels},
        start_age=STANDARD_AGE_BANDS[start_index],
        reason=reason,
    )


def life_expectancy_by_group(
    data: pd.DataFrame,
    *,
    by: str | Sequence[str] = ("area", "sex"),
    age_col: str = "age_band",
    deaths_col: str = "deaths",
    population_col: str = "population",
    confidence: Any = (0.95, 0.998),
    start_age: int = 0,
) -> pd.DataFrame:
    """Life expectancy for every group in a tidy table (one row per group).

    Method: identical to :func:`life_expectancy` (PHEindicatormethods
    ``phe_life_expectancy`` on grouped data; Chiang 1968, Silcocks et al
    2001), computed for all groups at once with array operations.

    Parameters
    ----------
    data:
        Tidy table with one row per group and age band.
    by:
        Column(s) that identify a group, e.g. ("area", "sex"). An empty
        sequence treats the whole table as one group.
    age_col, deaths_col, population_col:
        Names of the age band, deaths and population columns. Age bands are
        start ages (0, 1, 5, ..., 90) or labels such as "1-4" / "90+".
    confidence, start_age:
        As for :func:`life_expectancy`.

    Returns
    -------
    pandas.DataFrame
        The ``by`` columns, then ``value``, ``lower95``, ``upper95``,
        ``lower99_8``, ``upper99_8`` (one pair per confidence level),
        ``standard_error``, ``start_age`` and ``reason`` (None when the value
        was calculated normally).

    Raises
    ------
    ValueError
        For missing columns, unknown age bands, or a group with the same age
        band twice.
    """
    levels = _check_confidences(confidence)
    start_index = _start_index(start_age)
    by = [by] if isinstance(by, str) else list(by)
    needed = by + [age_col, deaths_col, population_col]
    absent = [c for c in needed if c not in data.columns]
    if absent:
        raise ValueError(f"data has no column(s) {', '.join(map(repr, absent))}")

    n_bands = len(STANDARD_AGE_BANDS)
    positions = np.asarray(_band_positions(data[age_col].to_numpy(dtype=object)), dtype=int)
    group_ids = data.groupby(by, sort=True, dropna=False).ngroup().to_numpy() if by else np.zeros(len(data), dtype=int)
    n_groups = int(group_ids.max()) + 1 if len(data) else 0

    cell = group_ids * n_bands + positions
    unique_cells, counts = np.unique(cell, return_counts=True)
    if np.any(counts > 1):
        first_dup = unique_cells[counts > 1][0]
        row = int(np.flatnonzero(cell == first_dup)[0])
        raise ValueError(
            f"age band {data[age_col].iloc[row]!r} appears more than once for group "
            f"{tuple(data[by].iloc[row]) if by else '(all rows)'}"
        )

    wide_deaths = np.full((n_groups, n_bands), np.nan)
    wide_pops = np.full((n_groups, n_bands), np.nan)
    present = np.zeros((n_groups, n_bands), dtype=bool)
    wide_deaths[group_ids, positions] = _as_float_array(data[deaths_col], deaths_col)
    wide_pops[group_ids, positions] = _as_float_array(data[population_col], population_col)
    present[group_ids, positions] = True

    table = _life_expectancy_wide(wide_deaths, wide_pops, present, start_index, levels)

    first_row_of_group = pd.Series(np.arange(len(data))).groupby(group_ids).first().to_numpy()
    out = data[by].iloc[first_row_of_group].reset_index(drop=True) if by else pd.DataFrame(index=[0])
    out["value"] = table["value"]
    for level in levels:
        label = _confidence_label(level)
        out[f"lower{label}"] = table["lower"][level]
        out[f"upper{label}"] = table["upper"][level]
    out["standard_error"] = table["standard_error"]
    out["start_age"] = STANDARD_AGE_BANDS[start_index]
    out["reason"] = pd.Series(table["reason"], dtype=object)
    return out


def abridged_life_table(deaths: Any, population: Any, age_bands_start: Any) -> pd.DataFrame:
    """The full Chiang II abridged life table for one population, for inspection.

    Method: the table behind :func:`life_expectancy` (Chiang 1968; Silcocks et
    al 2001 variance; PHEindicatormethods ``phe_life_expectancy``). No
    not-calculated or suppression rules are applied here; use
    :func:`life_expectancy` for published figures.

    Returns
    -------
    pandas.DataFrame
        One row per standard age band with columns ``age_band``, ``start_age``,
        ``deaths``, ``population``, ``n`` (width), ``a``, ``M``, ``q``, ``l``,
        ``d``, ``L``, ``T``, ``e`` (life expectancy at that age) and ``se``.
    """
    d = np.atleast_1d(_as_float_array(deaths, "deaths"))
    p = np.atleast_1d(_as_float_array(population, "population"))
    positions = _band_positions(np.atleast_1d(np.asarray(age_bands_start, dtype=object)))
    if (
        sorted(positions) != list(range(len(STANDARD_AGE_BANDS)))
        or len(d) != len(positions)
        or len(p) != len(positions)
    ):
        raise ValueError(
            "abridged_life_table needs exactly one row for each of the 20 standard "
            "age bands (0, 1-4, 5-9, ..., 85-89, 90+)"
        )
    order = np.argsort(positions)
    cols = _chiang_table(d[order][None, :], p[order][None, :], 0)
    table = pd.DataFrame({k: v[0] for k, v in cols.items()})
    table.insert(0, "population", p[order])
    table.insert(0, "deaths", d[order])
    table.insert(0, "start_age", STANDARD_AGE_BANDS)
    table.insert(0, "age_band", [_label(a) for a in STANDARD_AGE_BANDS])
    return table


# ---------------------------------------------------------------------------
# The calculation (vectorised over rows = populations)
# ---------------------------------------------------------------------------


def _chiang_table(deaths: np.ndarray, pops: np.ndarray, start_index: int) -> dict[str, np.ndarray]:
    """Chiang II life table for each row of ``deaths``/``pops`` (bands start_index..90+).

    Arrays are (populations x bands). Follows PHEindicatormethods
    ``phe_life_expectancy`` line by line; no validity rules are applied.
    """
    starts = np.asarray(STANDARD_AGE_BANDS[start_index:], dtype=float)
    n_rows, n_cols = deaths.shape
    last = n_cols - 1

    width = np.append(np.diff(starts), np.nan)  # n_i; undefined for 90+
    a = np.where(starts == 0, _A_INFANT, _A_OTHER)

    with np.errstate(divide="ignore", invalid="ignore"):
        M = deaths / pops
        q = np.where(M * width * a <= 1, M * width / (1 + M * width * (1 - a)), 1.0)
        q[:, last] = 1.0  # everyone dies in 90+
        p = 1 - q

        # l (survivors to age x) is the life table's own notation
        l = _RADIX * np.cumprod(np.hstack([np.ones((n_rows, 1)), p[:, :-1]]), axis=1)  # noqa: E741
        l_next = np.hstack([l[:, 1:], np.zeros((n_rows, 1))])
        d = l - l_next
        L = width * (l_next + a * d)
        L[:, last] = l[:, last] / M[:, last]
        T = _reverse_cumsum(L)
        e = np.where(l == 0, 0.0, T / l)

        S = np.where(d == 0, 0.0, q**2 * (1 - q) / deaths)
        S[:, last] = 4 / (deaths[:, last] * M[:, last] ** 2)
        e_next = np.hstack([e[:, 1:], np.full((n_rows, 1), np.nan)])
        W = S * l**2 * ((1 - a) * width + e_next) ** 2
        W[:, last] = (l[:, last] / 2) ** 2 * S[:, last]
        se = np.sqrt(_reverse_cumsum(W) / l**2)

    return {
        "n": np.broadcast_to(width, deaths.shape),
        "a": np.broadcast_to(a, deaths.shape),
        "M": M,
        "q": q,
        "l": l,
        "d": d,
        "L": L,
        "T": T,
        "e": e,
        "se": se,
    }


def _life_expectancy_wide(
    deaths: np.ndarray, pops: np.ndarray, present: np.ndarray, start_index: int, levels: tuple[float, ...]
) -> dict[str, Any]:
    """Apply OHID's rules and the life table to (populations x 20 bands) arrays."""
    n_rows = deaths.shape[0]
    used = slice(start_index, None)
    d_used, p_used = deaths[:, used], pops[:, used]

    # Reasons for not calculating, in PHEindicatormethods' order; the first that applies wins.
    with np.errstate(invalid="ignore"):
        checks = [
            (~present[:, used].all(axis=1), "some age bands are missing"),
            (
                np.isnan(d_used).any(axis=1) | np.isnan(p_used).any(axis=1),
                "deaths or population missing for some age bands",
            ),
            ((d_used < 0).any(axis=1), "some age bands have negative deaths"),
            ((p_used <= 0).any(axis=1), "some age bands have a population of zero or less"),
            ((d_used > p_used).any(axis=1), "some age bands have more deaths than population"),
            (np.nansum(pops, axis=1) <= MIN_TOTAL_POPULATION, f"total population is {MIN_TOTAL_POPULATION:,} or less"),
            (d_used[:, -1] == 0, "no deaths in the 90+ age band"),
        ]
    reason = np.full(n_rows, None, dtype=object)
    for failed, text in reversed(checks):
        reason[failed] = text
    not_calculated = pd.notna(reason)

    table = _chiang_table(d_used, p_used, start_index)
    value = table["e"][:, 0].copy()
    se = table["se"][:, 0].copy()
    value[not_calculated] = np.nan
    se[not_calculated] = np.nan

    lower = {lv: value - _z_value(lv) * se for lv in levels}
    upper = {lv: value + _z_value(lv) * se for lv in levels}

    with np.errstate(invalid="ignore"):
        too_wide = 2 * _z_value(0.95) * se > MAX_CI_WIDTH_YEARS
    value[too_wide] = np.nan
    reason[too_wide] = SUPPRESSED_REASON
    return {"value": value, "standard_error": se, "lower": lower, "upper": upper, "reason": reason}


# ---------------------------------------------------------------------------
# Small helpers
# ---------------------------------------------------------------------------


def _reverse_cumsum(values: np.ndarray) -> np.ndarray:
    """Sum from each column to the last (T_i = L_i + ... + L_last)."""
    return np.cumsum(values[:, ::-1], axis=1)[:, ::-1]


def _band_positions(bands: Any) -> list[int]:
    """Positions (0-19) in STANDARD_AGE_BANDS of each age band start or label.

    Each distinct label is parsed once, so long tidy columns are cheap.
    """
    lookup = {age: i for i, age in enumerate(STANDARD_AGE_BANDS)}
    column = pd.Series(np.asarray(bands, dtype=object).ravel(), dtype=object)
    position_of = {}
    for band in pd.unique(column):
        age = _band_start(band)
        if age not in lookup:
            raise ValueError(
                f"unknown age band {band!r}; expected the start ages "
                f"{', '.join(map(str, STANDARD_AGE_BANDS))} (or labels like '1-4', '90+')"
            )
        position_of[band] = lookup[age]
    return column.map(position_of).astype(int).tolist()


def _band_start(band: Any) -> int | None:
    if isinstance(band, (int, np.integer)):
        return int(band)
    if isinstance(band, (float, np.floating)):
        return int(band) if float(band).is_integer() else None
    match = re.match(r"\D*(\d+)", str(band))
    return int(match.group(1)) if match else None


def _start_index(start_age: Any) -> int:
    age = _band_start(start_age)
    if age not in STANDARD_AGE_BANDS:
        raise ValueError(
            f"start_age must be the start of a standard age band "
            f"({', '.join(map(str, STANDARD_AGE_BANDS))}); got {start_age!r}"
        )
    return STANDARD_AGE_BANDS.index(age)


def _label(start: int) -> str:
    """'0', '1-4', '5-9', ..., '85-89', '90+'."""
    i = STANDARD_AGE_BANDS.index(start)
    if i == len(STANDARD_AGE_BANDS) - 1:
        return f"{start}+"
    end = STANDARD_AGE_BANDS[i + 1] - 1
    return str(start) if end == start else f"{start}-{end}"
