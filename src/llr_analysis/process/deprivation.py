"""Deprivation: English Indices of Deprivation 2025 (LSOA 2021) and 2019 (LSOA 2011).

Read by MHCLG's File 7 column names. Each index (IMD, the seven domains, the IDACI/IDAOPI
supplementary indices and the sub-domains) is found by the prefix of its Score/Rank/Decile
headers, because MHCLG's headers vary in their suffix ("Score (rate)") and one 2025 header is
truncated by the publisher. Output is tidy: one row per LSOA and index, all of England, plus
the population denominators where the file has them.

IoD2025 in the offline mirror comes as two files: the official File 7 layout holding the
634 LLR rows only (with IDACI, IDAOPI and the mid-2022 denominators), and an England-wide
rebuild with the IMD, domains and sub-domains but no IDACI/IDAOPI and no denominators.
Official File 7 rows take precedence; LSOAs it lacks are filled from the England file.
Online, File 7 is the complete official file and the England file adds nothing.
"""

from __future__ import annotations

import pandas as pd
import pandera.pandas as pa

from ..errors import DataValidationError
from ..places import load_places
from ..sources import raw_path
from ..validate import LAD_CODE, LSOA_CODE, code_column, read_csv, select_columns, to_number, validate
from . import read_table, step

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
    ("idaci", "Income Deprivation Affecting Children Index (IDACI)",
     "Income Deprivation Affecting Children Index (IDACI)", False),
    ("idaopi", "Income Deprivation Affecting Older People Index (IDAOPI)",
     "Income Deprivation Affecting Older People (IDAOPI)", False),
    ("cyp", "Children and Young People sub-domain", "Children and Young People Sub-domain", False),
    ("adult_skills", "Adult Skills sub-domain", "Adult Skills Sub-domain", False),
    ("geographical_barriers", "Geographical Barriers sub-domain", "Geographical Barriers Sub-domain", False),
    ("wider_barriers", "Wider Barriers sub-domain", "Wider Barriers Sub-domain", False),
    ("indoors", "Indoors sub-domain", "Indoors Sub-domain", False),
    ("outdoors", "Outdoors sub-domain", "Outdoors Sub-domain", False),
]
INDEX_LABELS = {i: label for i, label, _, _ in INDICES}
DOMAINS = ["income", "employment", "education", "health", "crime", "barriers", "living_environment"]

EDITIONS = {
    "IoD2025": {"lsoa_vintage": 2021, "lad_vintage": 2024, "population_year": "mid-2022", "n_lsoas": 33755},
    "IoD2019": {"lsoa_vintage": 2011, "lad_vintage": 2019, "population_year": "mid-2015", "n_lsoas": 32844},
}

TIDY_SCHEMA = pa.DataFrameSchema({
    "edition": pa.Column(str),
    "lsoa_code": code_column(LSOA_CODE),
    "lad_code": code_column(LAD_CODE),
    "index_id": pa.Column(str),
    # Domain and sub-domain scores are standardised and can be negative; IMD scores and the
    # income/employment/IDACI/IDAOPI rates cannot (checked below).
    "score": pa.Column(float, nullable=False),
    "rank": pa.Column(int, pa.Check.ge(1)),
    "decile": pa.Column(int, pa.Check.in_range(1, 10)),
}, unique=["lsoa_code", "index_id"], checks=[
    pa.Check(lambda d: ~d["index_id"].isin(["imd", "income", "employment", "idaci", "idaopi"]) | (d["score"] >= 0),
             name="non-negative IMD score and income/employment rates"),
    pa.Check(lambda d: ~d["index_id"].isin(["income", "employment", "idaci", "idaopi"]) | (d["score"] <= 1),
             name="rates at most 1"),
])


def _find(columns: list[str], prefix: str, kind: str) -> str | None:
    start = f"{prefix} {kind}"
    hits = [c for c in columns if c.replace("\ufeff", "").strip().startswith(start)]
    return hits[0] if hits else None


def _population_columns(edition: str) -> dict[str, str]:
    if edition == "IoD2025":
        return {"Total population: mid 2022": "population",
                "Dependent Children aged 0-15: mid 2022": "children_0_15",
                "Older population aged 60 and over: mid 2022": "older_60_plus",
                "Working age population 18-66 (for use with Employment Deprivation Domain): mid 2022": "working_age"}
    return {"Total population: mid 2015 (excluding prisoners)": "population",
            "Dependent Children aged 0-15: mid 2015 (excluding prisoners)": "children_0_15",
            "Older population aged 60 and over: mid 2015 (excluding prisoners)": "older_60_plus",
            "Working age population 18-59/64: for use with Employment Deprivation Domain (excluding prisoners)":
                "working_age"}


def read_file7(path, edition: str) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Read one File 7-layout CSV into (tidy indices, population denominators)."""
    ed = EDITIONS[edition]
    raw = read_csv(path, dtype=str, encoding="utf-8-sig")
    lsoa_v, lad_v = ed["lsoa_vintage"], ed["lad_vintage"]
    base = select_columns(raw, {f"LSOA code ({lsoa_v})": "lsoa_code", f"LSOA name ({lsoa_v})": "lsoa_name",
                                f"Local Authority District code ({lad_v})": "lad_code",
                                f"Local Authority District name ({lad_v})": "lad_name"}, path)
    cols = list(raw.columns)
    parts = []
    for index_id, _label, prefix, required in INDICES:
        found = {k: _find(cols, prefix, k) for k in ("Score", "Rank", "Decile")}
        if not all(found.values()):
            if required:
                kind = next(k for k, v in found.items() if v is None)
                select_columns(raw, {f"{prefix} {kind}": "x"}, path)  # raises the clear error
            continue
        part = base[["lsoa_code", "lad_code"]].copy()
        for kind, col in found.items():
            part[kind.lower()], _ = to_number(raw[col], path, col, allow_suppressed=False)
        part["index_id"] = index_id
        parts.append(part)
    tidy = pd.concat(parts, ignore_index=True)
    tidy["edition"] = edition
    bad = tidy[["score", "rank", "decile"]].isna().any(axis=1)
    if bad.any():
        raise DataValidationError(path, "missing score, rank or decile", column=tidy.loc[bad, "index_id"].iloc[0],
                                  example=tidy.loc[bad].iloc[0].to_dict())
    tidy["rank"] = tidy["rank"].astype(int)
    tidy["decile"] = tidy["decile"].astype(int)

    pop_cols = {k: v for k, v in _population_columns(edition).items()
                if any(c.strip() == k for c in cols)}
    pop = base[["lsoa_code", "lsoa_name", "lad_code", "lad_name"]].copy()
    if pop_cols:
        sel = select_columns(raw, pop_cols, path)
        for c in sel.columns:
            pop[c], _ = to_number(sel[c], path, c, allow_suppressed=False)
            if (pop[c] < 0).any():
                raise DataValidationError(path, "negative population", column=c,
                                          example=pop[pop[c] < 0].iloc[0].to_dict())
    pop["edition"] = edition
    return tidy, pop


def _check_deciles(tidy: pd.DataFrame, path) -> None:
    """Every decile must agree with its national rank.

    MHCLG cuts the national ranking at floor(N * k / 10), k = 1..9 (N = number of LSOAs in
    England), so decile = 1 + the number of cut points the rank lies above.
    """
    n = tidy["edition"].map({e: v["n_lsoas"] for e, v in EDITIONS.items()})
    expected = 1 + sum((tidy["rank"] > (n * k // 10)).astype(int) for k in range(1, 10))
    bad = expected != tidy["decile"]
    if bad.any():
        raise DataValidationError(path, f"{int(bad.sum())} deciles disagree with their national rank",
                                  column="decile", example=tidy.loc[bad].iloc[0].to_dict())


@step("deprivation", inputs=["iod2025_file7_llr", "iod2025_england", "iod2019_file7"], after=["geography"],
      outputs=["deprivation/iod_lsoa", "deprivation/iod_population"])
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
        raise DataValidationError(fe, f"IoD2025 should cover all 33,755 LSOAs (2021) in England; found {len(core)}",
                                  column="LSOA code (2021)")

    f19 = raw_path("iod2019_file7", paths)
    t19, p19 = read_file7(f19, "IoD2019")
    if (t19["index_id"] == "imd").sum() != EDITIONS["IoD2019"]["n_lsoas"]:
        raise DataValidationError(f19, "IoD2019 should cover all 32,844 LSOAs (2011) in England",
                                  column="LSOA code (2011)")

    for tidy, path in ((t25, f7), (t19, f19)):
        validate(tidy, TIDY_SCHEMA, path)
        _check_deciles(tidy, path)

    # LLR coverage.
    for lsoas, tidy, path, n in ((geo21["lsoa21_code"], t25, f7, cfg.expected["lsoa21_in_llr"]),
                                 (geo11["lsoa11_code"], t19, f19, cfg.expected["lsoa11_in_llr"])):
        have = set(tidy.loc[tidy["index_id"] == "imd", "lsoa_code"])
        missing = sorted(set(lsoas) - have)
        if missing:
            raise DataValidationError(path, f"{len(missing)} of the {n} LLR LSOAs are missing",
                                      column="LSOA code", example=missing[0])
    tidy = pd.concat([t25, t19], ignore_index=True)[list(TIDY_SCHEMA.columns)]
    pop = pd.concat([p25, p19], ignore_index=True)
    return {"deprivation/iod_lsoa": tidy, "deprivation/iod_population": pop}
