"""Deprivation: English Indices of Deprivation 2025 (LSOA 2021) and 2019 (LSOA 2011).

Read by MHCLG's File 7 column names. Each index (IMD, the seven domains, the IDACI/IDAOPI
supplementary indices and the sub-domains) is found by the prefix of its Score/Rank/Decile
headers, because MHCLG's headers vary in their suffix ("Score (rate)") and one 2025 header is
truncated by the publisher. Output is tidy: one row per LSOA and index, all of England, plus
the population denominators where the file has them.

IoD2025 in the offline mirror comes as two files: the official File 7 layout holding the
rows of the default places only (with IDACI, IDAOPI and the mid-2022 denominators), and an England-wide
rebuild with the IMD, domains and sub-domains but no IDACI/IDAOPI and no denominators.
Official File 7 rows take precedence; LSOAs it lacks are filled from the England file.
Online, File 7 is the complete official file and the England file adds nothing.

A second step, ``deprivation_summaries`` (:mod:`llr_analysis.process.deprivation_summaries`), computes
MHCLG's local-authority summary measures for every English district and upper-tier authority.
"""

from __future__ import annotations

import copy
from typing import Any

import numpy as np
import pandas as pd
import pandera.pandas as pa

from llr_analysis.errors import DataValidationError
from llr_analysis.fetch.sources import raw_path
from llr_analysis.places import load_places
from llr_analysis.process import checks, plausibility, read_table, step
from llr_analysis.process.checks import bounds, checks_only, is_, not_above, validate
from llr_analysis.validate import (
    LAD_CODE,
    LSOA_CODE,
    code_column,
    first_bad,
    read_csv,
    select_columns,
    to_number,
)

# (index id, label, header prefix, required)
INDICES = [
    ("imd", "Index of Multiple Deprivation", "Index of Multiple Deprivation (IMD)", True),
    ("income", "Income", "Income", True),
    ("employment", "Employment", "Employment", True),
    ("education", "Education, Skills and Training", "Education, Skills and Training", True),
    ("health", "Health Deprivation and Disability", "Health Deprivation and Disability", True),
    ("crime", "Crime", "Crime", True),
    ("barriers", "Barriers to Housing and Services", "Barriers to Housing and Services", True),
    ("living_environment", "Living Environment", "Living Environment", True),
    (
        "idaci",
        "Income Deprivation Affecting Children Index (IDACI)",
        "Income Deprivation Affecting Children Index (IDACI)",
        False,
    ),
    (
        "idaopi",
        "Income Deprivation Affecting Older People Index (IDAOPI)",
        "Income Deprivation Affecting Older People (IDAOPI)",
        False,
    ),
    ("cyp", "Children and Young People sub-domain", "Children and Young People Sub-domain", False),
    ("adult_skills", "Adult Skills sub-domain", "Adult Skills Sub-domain", False),
    ("geographical_barriers", "Geographical Barriers sub-domain", "Geographical Barriers Sub-domain", False),
    ("wider_barriers", "Wider Barriers sub-domain", "Wider Barriers Sub-domain", False),
    ("indoors", "Indoors sub-domain", "Indoors Sub-domain", False),
    ("outdoors", "Outdoors sub-domain", "Outdoors Sub-domain", False),
]
INDEX_LABELS = {i: label for i, label, _, _ in INDICES}
DOMAINS = ["income", "employment", "education", "health", "crime", "barriers", "living_environment"]

EDITIONS: dict[str, dict[str, Any]] = {
    "IoD2025": {
        "lsoa_vintage": 2021,
        "lad_vintage": 2024,
        "utla_vintage": 2023,
        "population_year": "mid-2022",
        "n_lsoas": 33755,
        "n_lads": 296,
        "n_utlas": 153,
    },
    "IoD2019": {
        "lsoa_vintage": 2011,
        "lad_vintage": 2019,
        "utla_vintage": 2019,
        "population_year": "mid-2015",
        "n_lsoas": 32844,
        "n_lads": 317,
        "n_utlas": 151,
    },
}

#: Plausibility of the IoD figures (rows as read from File 7, and the ``deprivation/iod_lsoa`` table):
#: ranks 1..number of LSOAs of the edition, deciles 1..10, IMD score 0..100, rates 0..1.
IOD_LSOA_CHECKS = [
    bounds(
        "rank",
        1,
        plausibility.IOD_LSOAS["IoD2025"],
        "an IoD2025 rank (1..number of LSOAs)",
        is_("edition", "IoD2025"),
    ),
    bounds(
        "rank",
        1,
        plausibility.IOD_LSOAS["IoD2019"],
        "an IoD2019 rank (1..number of LSOAs)",
        is_("edition", "IoD2019"),
    ),
    bounds("decile", 1, 10, "a decile"),
    bounds("score", 0, 100, "an IMD score", is_("index_id", "imd")),
    bounds("score", 0, 1, "a rate (income, employment, IDACI, IDAOPI)", is_("index_id", *plausibility.RATE_INDICES)),
]

#: Plausibility of the population denominators (rows as read, and the ``deprivation/iod_population`` table).
IOD_POPULATION_CHECKS = [
    bounds("population", 0, None, "a population"),
    bounds("children_0_15", 0, None, "a population"),
    bounds("older_60_plus", 0, None, "a population"),
    bounds("working_age", 0, None, "a population"),
    not_above("children_0_15", "population"),
    not_above("older_60_plus", "population"),
    # IoD2019's working-age denominator (18-59/64) exceeds its total population in 10 LSOAs of
    # MHCLG's published File 7 (e.g. E01005128: 2,493 of 2,452), so the rule holds for IoD2025 only.
    not_above("working_age", "population", when=is_("edition", "IoD2025")),
]

TIDY_SCHEMA = pa.DataFrameSchema(
    {
        "edition": pa.Column(str),
        "lsoa_code": code_column(LSOA_CODE),
        "lad_code": code_column(LAD_CODE),
        "index_id": pa.Column(str),
        # Domain and sub-domain scores are standardised and can be negative; IMD scores and the
        # income/employment/IDACI/IDAOPI rates cannot (checked below).
        "score": pa.Column(float, nullable=False),
        "rank": pa.Column(int, pa.Check.ge(1)),
        "decile": pa.Column(int, pa.Check.in_range(1, 10)),
    },
    unique=["lsoa_code", "index_id"],  # one edition's file
    checks=[
        # IMD score 0..100 and the rates 0..1 (so never negative), with ranks and deciles
        *IOD_LSOA_CHECKS,
    ],
)
#: The ``deprivation/iod_lsoa`` table: both editions.
IOD_LSOA_SCHEMA = copy.deepcopy(TIDY_SCHEMA)
IOD_LSOA_SCHEMA.unique = ["edition", "lsoa_code", "index_id"]
checks.register("deprivation/iod_lsoa", IOD_LSOA_SCHEMA)
checks.register("deprivation/iod_population", checks_only(IOD_POPULATION_CHECKS))


IOD_LSOA_AS_READ = checks_only(IOD_LSOA_CHECKS)
IOD_POPULATION_AS_READ = checks_only(IOD_POPULATION_CHECKS)


def _find(columns: list[str], prefix: str, kind: str) -> str | None:
    start = f"{prefix} {kind}"
    hits = [c for c in columns if c.replace("\ufeff", "").strip().startswith(start)]
    return hits[0] if hits else None


def _population_columns(edition: str) -> dict[str, str]:
    if edition == "IoD2025":
        return {
            "Total population: mid 2022": "population",
            "Dependent Children aged 0-15: mid 2022": "children_0_15",
            "Older population aged 60 and over: mid 2022": "older_60_plus",
            "Working age population 18-66 (for use with Employment Deprivation Domain): mid 2022": "working_age",
        }
    return {
        "Total population: mid 2015 (excluding prisoners)": "population",
        "Dependent Children aged 0-15: mid 2015 (excluding prisoners)": "children_0_15",
        "Older population aged 60 and over: mid 2015 (excluding prisoners)": "older_60_plus",
        "Working age population 18-59/64: for use with Employment Deprivation Domain (excluding prisoners)": "working_age",
    }


def _numbers(s: pd.Series, path, column: str, area: pd.Series | None = None) -> pd.Series:
    """Numbers of a File 7 column; suppressed markers or text are an error (via ``validate.to_number``).

    Plain numbers take a fast vectorised path; anything else (thousands separators, markers,
    text) goes through ``to_number``, which converts or raises the clear error.
    """
    fast = pd.to_numeric(s, errors="coerce")
    if not (fast.isna() & s.notna()).any():
        return fast.astype("float64")
    return to_number(s, path, column, allow_suppressed=False, area=area)[0]


def read_file7(path, edition: str) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Read one File 7-layout CSV into (tidy indices, population denominators)."""
    ed = EDITIONS[edition]
    # Numbers are parsed by the C reader (fast); a column holding any text (a suppression marker,
    # a thousands separator) stays text and goes through ``validate.to_number`` (see _numbers).
    raw = read_csv(path, encoding="utf-8-sig", low_memory=False)
    lsoa_v, lad_v = ed["lsoa_vintage"], ed["lad_vintage"]
    base = select_columns(
        raw,
        {
            f"LSOA code ({lsoa_v})": "lsoa_code",
            f"LSOA name ({lsoa_v})": "lsoa_name",
            f"Local Authority District code ({lad_v})": "lad_code",
            f"Local Authority District name ({lad_v})": "lad_name",
        },
        path,
    )
    cols = list(raw.columns)
    parts = []
    for index_id, _label, prefix, required in INDICES:
        found = {k: _find(cols, prefix, k) for k in ("Score", "Rank", "Decile")}
        if not all(found.values()):
            if required:
                kind = next(k for k, v in found.items() if v is None)
                select_columns(raw, {f"{prefix} {kind}": "x"}, path)  # raises the clear error
            continue
        columns = {k: v for k, v in found.items() if v is not None}
        part = base[["lsoa_code", "lad_code"]].copy()
        for kind, col in columns.items():
            part[kind.lower()] = _numbers(raw[col], path, col, area=base["lsoa_code"])
        for kind, col in columns.items():
            gap = part[kind.lower()].isna()
            if gap.any():  # a figure missing for an LSOA: MHCLG publish every one
                raise DataValidationError(
                    path,
                    f"{int(gap.sum())} LSOAs have no {kind.lower()} (blank cell)",
                    column=col,
                    **first_bad(part, gap, "lsoa_code"),
                )
        part["index_id"] = index_id
        part["edition"] = edition
        if "Decile" in columns and "Rank" in columns:  # here, the rows still carry the file's own lines
            _check_deciles(part, path, columns["Decile"])
        # Ranks 1..number of LSOAs, deciles 1..10, IMD score 0..100, rates 0..1 (IOD_LSOA_CHECKS).
        validate(
            part,
            IOD_LSOA_AS_READ,
            path,
            area_column="lsoa_code",
            names={k.lower(): c for k, c in columns.items()},
        )
        parts.append(part)
    tidy = pd.concat(parts, ignore_index=True)
    tidy["edition"] = edition
    bad = tidy[["score", "rank", "decile"]].isna().any(axis=1)
    if bad.any():
        raise DataValidationError(
            path,
            "missing score, rank or decile",
            column=tidy.loc[bad, "index_id"].iloc[0],
            example=tidy.loc[bad].iloc[0].to_dict(),
        )
    tidy["rank"] = tidy["rank"].astype(int)
    tidy["decile"] = tidy["decile"].astype(int)

    pop_cols = {k: v for k, v in _population_columns(edition).items() if any(c.strip() == k for c in cols)}
    pop = base[["lsoa_code", "lsoa_name", "lad_code", "lad_name"]].copy()
    if pop_cols:
        sel = select_columns(raw, pop_cols, path)
        header = {v: k for k, v in pop_cols.items()}
        for c in sel.columns:
            pop[c] = _numbers(sel[c], path, header[c], area=base["lsoa_code"])
        pop["edition"] = edition
        validate(pop, IOD_POPULATION_AS_READ, path, area_column="lsoa_code", names={v: k for k, v in pop_cols.items()})
    pop["edition"] = edition
    return tidy, pop


def _check_deciles(tidy: pd.DataFrame, path, column: str = "decile") -> None:
    """Every decile must agree with its national rank.

    MHCLG cuts the national ranking at floor(N * k / 10), k = 1..9 (N = number of LSOAs in
    England), so decile = 1 + the number of cut points the rank lies above.
    """
    edition = tidy["edition"].to_numpy()
    n = np.zeros(len(tidy), dtype="int64")
    for e, v in EDITIONS.items():
        n[edition == e] = v["n_lsoas"]
    rank = tidy["rank"].to_numpy()
    expected = 1 + np.sum([(rank > (n * k // 10)).astype(int) for k in range(1, 10)], axis=0)
    bad = pd.Series(expected != tidy["decile"].to_numpy(), index=tidy.index)
    if bad.any():
        raise DataValidationError(
            path,
            f"{int(bad.sum())} deciles disagree with their national rank",
            column=column,
            **first_bad(tidy, bad, "lsoa_code"),
        )


@step(
    "deprivation",
    inputs=["iod2025_file7_llr", "iod2025_england", "iod2019_file7"],
    after=["geography"],
    outputs=["deprivation/iod_lsoa", "deprivation/iod_population"],
)
def build_deprivation(paths) -> dict[str, pd.DataFrame]:
    cfg = load_places()
    geo21 = read_table("geography/lsoa21", paths)
    geo11 = read_table("geography/lsoa11", paths)

    f7 = raw_path("iod2025_file7_llr", paths)
    t25, p25 = read_file7(f7, "IoD2025")
    fe = raw_path("iod2025_england", paths)
    te, pe = read_file7(fe, "IoD2025")
    # Official File 7 rows take precedence; England-wide rebuild fills the LSOAs it lacks.
    te = te[~te["lsoa_code"].isin(t25["lsoa_code"])]
    pe = pe[~pe["lsoa_code"].isin(p25["lsoa_code"])]
    t25 = pd.concat([t25, te], ignore_index=True)
    p25 = pd.concat([p25, pe], ignore_index=True)
    core = t25[t25["index_id"] == "imd"]
    if len(core) != EDITIONS["IoD2025"]["n_lsoas"]:
        raise DataValidationError(
            fe, f"IoD2025 should cover all 33,755 LSOAs (2021) in England; found {len(core)}", column="LSOA code (2021)"
        )

    f19 = raw_path("iod2019_file7", paths)
    t19, p19 = read_file7(f19, "IoD2019")
    if (t19["index_id"] == "imd").sum() != EDITIONS["IoD2019"]["n_lsoas"]:
        raise DataValidationError(
            f19, "IoD2019 should cover all 32,844 LSOAs (2011) in England", column="LSOA code (2011)"
        )

    for tidy, path in ((t25, f7), (t19, f19)):
        validate(tidy, TIDY_SCHEMA, path)
        _check_deciles(tidy, path)

    # Coverage of the ICS's LSOAs.
    for lsoas, tidy, path, n in (
        (geo21["lsoa21_code"], t25, f7, cfg.expected["lsoa21_in_ics"]),
        (geo11["lsoa11_code"], t19, f19, cfg.expected["lsoa11_in_ics"]),
    ):
        have = set(tidy.loc[tidy["index_id"] == "imd", "lsoa_code"])
        missing = sorted(set(lsoas) - have)
        if missing:
            raise DataValidationError(
                path,
                f"{len(missing)} of the {n} LSOAs of {cfg.ics_short_name} are missing: {', '.join(missing[:5])}"
                + (" …" if len(missing) > 5 else ""),
                column="LSOA code (2021)" if path == f7 else "LSOA code (2011)",
                area=missing[0],
            )
    # Denominators of every LSOA of the ICS: they weight the LSOA 2011 -> 2021 split of the population
    # estimates and every area summary. IoD2019's File 7 covers England, so a gap there is an error. The
    # offline IoD2025 File 7 holds one ICS's rows only (the England-wide rebuild has scores and ranks but
    # no denominators): a place whose LSOAs it lacks is recorded as a known gap (quality/known_gaps_deprivation)
    # and the pages say which figures cannot be made, instead of failing the build.
    gaps = []
    for lsoas, pop, path in ((geo21["lsoa21_code"], p25, f7), (geo11["lsoa11_code"], p19, f19)):
        rows = pop[pop["lsoa_code"].isin(lsoas)]
        edition = pop["edition"].iloc[0]
        for col in ("population", "children_0_15", "older_60_plus", "working_age"):
            header = next(k for k, v in _population_columns(edition).items() if v == col)
            missing = sorted(set(lsoas) - set(rows["lsoa_code"])) if col == "population" else []
            blank = rows[rows[col].isna()]["lsoa_code"].tolist() if col in rows else sorted(lsoas)
            lacking = missing + blank
            if not lacking:
                continue
            if edition != "IoD2025":
                raise DataValidationError(
                    path,
                    f"{len(lacking)} LSOAs of {cfg.ics_short_name} have no denominator (the column is missing or "
                    "the cell is blank)",
                    column=header,
                    area=lacking[0],
                )
            by_place = geo21[geo21["lsoa21_code"].isin(lacking)].groupby("place_code")["lsoa21_code"].size()
            for place_code, n in by_place.items():
                reason = (
                    f"{path.name} has no '{header}' for {n} of the place's LSOAs (the offline File 7 holds one ICS's "
                    "rows; the England-wide IoD2025 file has no denominators): figures weighted by this population "
                    "cannot be made for IoD2025"
                )
                gaps.append(checks.gap("deprivation/iod_population", str(place_code), reason, col, "IoD2025", int(n)))
    tidy = pd.concat([t25, t19], ignore_index=True)[list(TIDY_SCHEMA.columns)]
    pop = pd.concat([p25, p19], ignore_index=True)
    gap_table = pd.DataFrame(gaps, columns=["table", "area_code", "column", "series", "rows", "reason"])
    return {
        "deprivation/iod_lsoa": tidy,
        "deprivation/iod_population": pop,
        "quality/known_gaps_deprivation": gap_table,
    }
