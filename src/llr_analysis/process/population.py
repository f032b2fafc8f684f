"""Population: ONS small-area and district estimates by single year of age, and Census 2021.

Sources (all in ``config/sources.yml``), read by the publishers' column names:

* ``sape_lsoa11_mid2019`` / ``sape_lsoa11_mid2020``: ONS Lower layer Super Output Area
  mid-year population estimates (SAPE22DT2, SAPE23DT2), persons by single year of age
  0..89 and 90+, every LSOA (2011) in England. No sex split.
* ``mye2_lad21_mid2020``: ONS mid-2020 estimates on 2021 local authority geography (MYE2
  Persons), the published district totals the LSOA estimates are constrained to.
* ``census2021_ts009_lad_totals``: Census 2021 TS009, usual residents by sex, district totals
  (the offline copy has no single-year-of-age columns).

Checks: every age column 0..89 and 90+ is present; counts are whole, non-negative numbers
(population estimates are never suppressed, so any text is an error); each LSOA's "All Ages"
equals the sum of its ages; the LSOA file covers the 32,844 LSOAs (2011) of England, with
those of the ICS; for mid-2020 the LSOA estimates summed to each of the ICS's districts equal the
published MYE2 district figures age by age, and the England totals agree; Census persons
equal female plus male.

LSOA 2011 -> 2021. Localities are defined on 2021 geography, so the estimates are also
mapped to LSOA 2021 through the ONS exact-fit lookup (CHGIND): unchanged LSOAs (U) carry
over; merged LSOAs (M) are summed; a split LSOA 2011 (S) is shared among its 2021 parts in
proportion to their mid-2022 populations published with IoD2025 (MHCLG File 7
denominators), separately for ages 0-15, 16-59 and 60+ so each part keeps its own age mix.
Shares sum to one, so district, place and ICS totals are unchanged by the mapping. Where a
part has no denominator the split is equal (recorded in ``weight_basis``). Redrawn LSOAs (X)
are shared like splits, among the 2021 LSOAs they overlap, by those LSOAs' mid-2022 populations:
approximate (the people in each overlap are not published), so recorded as a known gap of the districts.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pandera.pandas as pa

from llr_analysis.errors import DataValidationError
from llr_analysis.fetch.sources import raw_path
from llr_analysis.places import load_places
from llr_analysis.process import checks, plausibility, read_table, step
from llr_analysis.process.boundary_changes import best_fit_gaps, moved_lsoas, redrawn_gaps, split_weights, to_lsoa21
from llr_analysis.process.checks import bounds, checks_only, complete, expected_count, not_above, unique_rows, validate
from llr_analysis.validate import (
    LAD_CODE,
    LSOA_CODE,
    code_column,
    example_row,
    first_bad,
    read_csv,
    select_columns,
    to_number,
)

#: Oldest single year in the files: age 90 stands for "90 and over".
TOP_AGE = 90
#: The publisher's age headers, in order (ONS SAPE and MYE2 layouts).
AGE_HEADERS = [str(a) for a in range(TOP_AGE)] + [f"{TOP_AGE}+"]
ENGLAND_LSOA11 = 32844

#: LSOA estimate files: year, and the local authority columns on the newest boundaries in each file.
SAPE = {
    2019: {
        "dataset": "sape_lsoa11_mid2019",
        "la_code": "LA Code (2020 boundaries)",
        "la_name": "LA name (2020 boundaries)",
    },
    2020: {
        "dataset": "sape_lsoa11_mid2020",
        "la_code": "LA Code (2021 boundaries)",
        "la_name": "LA name (2021 boundaries)",
        "older_la_code": "LA Code (2018 boundaries)",
    },
}
YEARS = tuple(SAPE)

CENSUS_COLUMNS = {
    "geography code": "area_code",
    "Sex: All persons; Age: Total; measures: Value": "persons",
    "Sex: Female; Age: Total; measures: Value": "female",
    "Sex: Male; Age: Total; measures: Value": "male",
}

LSOA_AGE_SCHEMA = pa.DataFrameSchema(
    {
        "year": pa.Column(int, pa.Check.isin(list(YEARS))),
        "lsoa11_code": code_column(LSOA_CODE),
        "lad_code": code_column(LAD_CODE),
        "age": pa.Column(int, pa.Check.in_range(0, TOP_AGE)),
        "population": pa.Column("int64", pa.Check.ge(0)),
    },
    unique=["year", "lsoa11_code", "age"],
    strict=True,
    checks=[bounds("population", 0, None, "a population"), bounds("age", *plausibility.AGE, "an age")],
)

LSOA21_AGE_SCHEMA = pa.DataFrameSchema(
    {
        "year": pa.Column(int, pa.Check.isin(list(YEARS))),
        "lsoa21_code": code_column(LSOA_CODE),
        "age": pa.Column(int, pa.Check.in_range(0, TOP_AGE)),
        "population": pa.Column(float, pa.Check.ge(0)),
    },
    unique=["year", "lsoa21_code", "age"],
    strict=True,
    checks=[bounds("population", 0, None, "a population"), bounds("age", *plausibility.AGE, "an age")],
)

checks.register("population/lsoa11_age", LSOA_AGE_SCHEMA)
checks.register("population/lsoa21_age", LSOA21_AGE_SCHEMA)
checks.register(
    "population/england_age",
    checks_only([bounds("population", 0, None, "a population"), bounds("age", *plausibility.AGE, "an age")]),
)
checks.register(
    "population/lad_totals",
    checks_only(
        [
            bounds("persons", 0, None, "a population"),
            not_above("female", "persons"),
            not_above("male", "persons"),
            *complete(
                ("persons",),
                areas="ics_lads",
                known_gaps=(
                    (
                        checks.PARTIAL_DISTRICTS,
                        "",
                        "Census 2021 TS009 is published by district; this district lies partly in another ICB, so "
                        "its Census 2021 total (for the whole district) is left blank beside the estimates of its "
                        "LSOAs inside this ICB",
                    ),
                ),
            ),
        ]
    ),
)
checks.register("population/lsoa11_lsoa21_weights", checks_only([bounds("weight", 0, 1, "a share")]))


def read_single_year_of_age(path, id_columns: dict[str, str], total_column: str) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Read a persons-by-single-year-of-age file (ONS SAPE or MYE2 layout).

    Returns ``(ids, ages)``: the renamed id columns, and a frame of int64 counts with columns
    0..90 (90 = 90 and over). Raises :class:`DataValidationError` (file, column, example row)
    when an age column is missing, a count is missing, suppressed, fractional or negative,
    or a row's total differs from the sum of its ages.
    """
    # Ids as text; counts parsed by pandas (fast) and re-checked by to_number, which also
    # catches any text in a count column (it then arrives as strings).
    raw = read_csv(path, dtype={c: str for c in id_columns}, encoding="utf-8-sig", low_memory=False)
    if raw.empty:
        raise DataValidationError(path, "the file has a header but no data rows")
    ids = select_columns(raw, id_columns, path)
    sel = select_columns(raw, {h: h for h in AGE_HEADERS + [total_column]}, path)
    numbers = {}
    for h in AGE_HEADERS + [total_column]:
        values, _ = to_number(sel[h], path, h, allow_suppressed=False, area=ids.iloc[:, 0])
        frame = pd.concat([ids, sel[[h]]], axis=1)
        for problem, mask in (
            ("missing counts", values.isna()),
            ("negative counts", values < 0),
            ("counts that are not whole numbers", values.notna() & (values % 1 != 0)),
        ):
            if mask.any():
                raise DataValidationError(
                    path, f"{int(mask.sum())} {problem}", column=h, example=example_row(frame, mask)
                )
        numbers[h] = values.astype("int64")
    ages = pd.DataFrame({a: numbers[h] for a, h in enumerate(AGE_HEADERS)})
    total = numbers[total_column]
    bad = ages.sum(axis=1) != total
    if bad.any():
        frame = pd.concat([ids, total.rename(total_column), ages.sum(axis=1).rename("sum of ages")], axis=1)
        raise DataValidationError(
            path,
            f"{int(bad.sum())} rows where {total_column!r} is not the sum of ages 0..{TOP_AGE - 1} and {TOP_AGE}+",
            column=total_column,
            example=example_row(frame, bad),
        )
    return ids, ages


def _long(ids: pd.DataFrame, ages: pd.DataFrame, id_cols: list[str]) -> pd.DataFrame:
    wide = pd.concat([ids[id_cols].reset_index(drop=True), ages.reset_index(drop=True)], axis=1)
    out = wide.melt(id_vars=id_cols, var_name="age", value_name="population")
    out["age"] = out["age"].astype(int)
    out["population"] = out["population"].astype("int64")
    return out


def read_sape(path, year: int) -> tuple[pd.DataFrame, pd.DataFrame]:
    """One ONS LSOA (2011) estimates file -> (ids: lsoa11_code, lsoa11_name, lad_code, lad_name; ages)."""
    spec = SAPE[year]
    ids, ages = read_single_year_of_age(
        path,
        {
            "LSOA Code": "lsoa11_code",
            "LSOA Name": "lsoa11_name",
            spec["la_code"]: "lad_code",
            spec["la_name"]: "lad_name",
        },
        "All Ages",
    )
    validate(
        ids,
        pa.DataFrameSchema(
            {"lsoa11_code": code_column(LSOA_CODE), "lad_code": code_column(LAD_CODE)},
            checks=[unique_rows(["lsoa11_code"])],
        ),
        path,
    )
    if len(ids) != ENGLAND_LSOA11:
        raise DataValidationError(
            path, f"expected the {ENGLAND_LSOA11:,} LSOAs (2011) of England, found {len(ids):,}", column="LSOA Code"
        )
    return ids, ages


def read_mye2(path) -> pd.DataFrame:
    """ONS MYE2 persons by single year of age for local authorities -> long (area_code, area_name, age, population)."""
    ids, ages = read_single_year_of_age(path, {"Code": "area_code", "Name": "area_name"}, "All ages")
    validate(
        ids,
        pa.DataFrameSchema({"area_code": code_column(r"^[EWSN]\d{8}$")}, checks=[unique_rows(["area_code"])]),
        path,
    )
    return _long(ids, ages, ["area_code", "area_name"])


def read_census_sex_totals(path) -> pd.DataFrame:
    """Census 2021 TS009 district totals by sex (Nomis bulk column names): area_code, persons, female, male."""
    raw = read_csv(path, dtype=str, encoding="utf-8-sig")
    df = select_columns(raw, CENSUS_COLUMNS, path)
    header = {v: k for k, v in CENSUS_COLUMNS.items()}
    for c in ("persons", "female", "male"):
        df[c], _ = to_number(df[c], path, header[c], allow_suppressed=False, area=df["area_code"])
        bad = df[c].isna() | (df[c] < 0)
        if bad.any():
            raise DataValidationError(
                path,
                f"{int(bad.sum())} missing or negative counts",
                column=header[c],
                **first_bad(df, bad, "area_code"),
            )
        df[c] = df[c].astype("int64")
    validate(
        df,
        pa.DataFrameSchema({"area_code": code_column(r"^[EW]0[6-9]\d{6}$")}, checks=[unique_rows(["area_code"])]),
        path,
    )
    bad = df["persons"] != df["female"] + df["male"]
    if bad.any():
        raise DataValidationError(
            path,
            f"{int(bad.sum())} rows where all persons is not female + male",
            column="Sex: All persons; Age: Total; measures: Value",
            example=example_row(df, bad),
        )
    return df


@step(
    "population",
    inputs=["sape_lsoa11_mid2019", "sape_lsoa11_mid2020", "mye2_lad21_mid2020", "census2021_ts009_lad_totals"],
    after=["geography", "deprivation"],
    outputs=[
        "population/lsoa11_age",
        "population/lsoa21_age",
        "population/lsoa11_lsoa21_weights",
        "population/england_age",
        "population/lad_totals",
    ],
)
def build_population(paths) -> dict[str, pd.DataFrame]:
    cfg = load_places()
    llr_lads = cfg.all_district_codes
    geo11 = read_table("geography/lsoa11", paths)
    geo21 = read_table("geography/lsoa21", paths)
    current = set(read_table("geography/lad_utla", paths)["lad_code"])

    lsoa_parts, england_parts, totals = [], [], []
    for year, spec in SAPE.items():
        f = raw_path(spec["dataset"], paths)
        ids, ages = read_sape(f, year)
        ids["lad_code"] = _configured_districts(ids, geo11, cfg, current)
        in_llr = ids["lsoa11_code"].isin(geo11["lsoa11_code"])
        absent = sorted(set(geo11["lsoa11_code"]) - set(ids["lsoa11_code"]))
        if absent:
            raise DataValidationError(
                f,
                f"{len(absent)} LSOAs (2011) of the ICS have no row: {', '.join(absent[:5])}"
                + (" …" if len(absent) > 5 else ""),
                column="LSOA Code",
                area=absent[0],
            )
        in_ics = expected_count(
            cfg.expected["lsoa11_in_ics"],
            "LSOAs (2011)",
            of=lambda d: int(d["lsoa11_code"].isin(geo11["lsoa11_code"]).sum()),
        )
        validate(ids, checks_only([in_ics]), f)
        wrong_lad = in_llr & ~ids["lad_code"].isin(llr_lads)
        if wrong_lad.any():
            raise DataValidationError(
                f,
                f"{int(wrong_lad.sum())} LSOAs of the ICS are assigned to a district outside it",
                column=spec["la_code"],
                example=example_row(ids, wrong_lad),
            )
        long = _long(ids[in_llr], ages[in_llr], ["lsoa11_code", "lad_code"])
        long.insert(0, "year", year)
        lsoa_parts.append(long)
        eng = ages.sum()
        england_parts.append(
            pd.DataFrame(
                {
                    "year": year,
                    "area_code": cfg.england_code,
                    "area_name": "England",
                    "age": eng.index.astype(int),
                    "population": eng.to_numpy("int64"),
                }
            )
        )
        by_lad = long.groupby("lad_code")["population"].sum()
        period = f"mid-{year}"
        totals.append(
            pd.DataFrame(
                {
                    "area_code": by_lad.index,
                    "period": period,
                    "source_id": spec["dataset"],
                    "persons": by_lad.to_numpy("int64"),
                }
            )
        )
        totals.append(
            pd.DataFrame(
                {
                    "area_code": [cfg.england_code],
                    "period": period,
                    "source_id": spec["dataset"],
                    "persons": [int(eng.sum())],
                }
            )
        )
    lsoa11_age = validate(pd.concat(lsoa_parts, ignore_index=True), LSOA_AGE_SCHEMA, "population/lsoa11_age")
    england_age = pd.concat(england_parts, ignore_index=True)

    # District sums equal the published district totals (mid-2020 MYE2), age by age.
    fm = raw_path("mye2_lad21_mid2020", paths)
    mye = _newer_codes(read_mye2(fm), ["area_code", "age"], cfg)
    sape20 = lsoa11_age[lsoa11_age["year"] == 2020].groupby(["lad_code", "age"])["population"].sum()
    pub = mye[mye["area_code"].isin(llr_lads)].set_index(["area_code", "age"])["population"]
    pub.index.names = ["lad_code", "age"]
    if len(pub) != len(llr_lads) * (TOP_AGE + 1):
        raise DataValidationError(
            fm,
            "the configured districts are not all in the file",
            column="Code",
            example=sorted(set(llr_lads) - set(mye["area_code"]))[:1],
        )
    # a district partly in another ICB has only its LSOAs inside this one: its published total is for the
    # whole district, so the check is on whole districts
    partial = set(cfg.partial_district_codes)
    pub = pub[~pub.index.get_level_values("lad_code").isin(partial)]
    # a district whose boundary was redrawn through an LSOA (2011) is only a best fit of LSOAs: checked
    # on its total, within the people of the LSOAs that changed district, and the difference recorded
    f20 = raw_path(SAPE[2020]["dataset"], paths)
    redrawn = moved_lsoas(f20, SAPE[2020], current)
    gaps = best_fit_gaps(sape20, pub, redrawn, lsoa11_age[lsoa11_age["year"] == 2020], fm)
    pub = pub[~pub.index.get_level_values("lad_code").isin(set(gaps["area_code"]))]
    diff = sape20.reindex(pub.index) != pub
    if diff.any():
        lad, age = diff[diff].index[0]
        raise DataValidationError(
            fm,
            f"{int(diff.sum())} district/age counts differ from the sum of the LSOA estimates (sape_lsoa11_mid2020)",
            column=AGE_HEADERS[age],
            example=f"{lad} age {AGE_HEADERS[age]}: district file {pub[(lad, age)]}, LSOA sum {sape20.get((lad, age))}",
        )
    eng_mye = int(mye.loc[mye["area_code"].str.startswith("E"), "population"].sum())
    eng_sape = int(england_age.loc[england_age["year"] == 2020, "population"].sum())
    if eng_mye != eng_sape:
        raise DataValidationError(
            fm, f"England total {eng_mye:,} differs from the LSOA estimates' {eng_sape:,}", column="All ages"
        )

    fc = raw_path("census2021_ts009_lad_totals", paths)
    census = _newer_codes(read_census_sex_totals(fc), ["area_code"], cfg)
    missing = sorted(set(llr_lads) - set(census["area_code"]))
    if missing:
        raise DataValidationError(
            fc, f"{len(missing)} configured districts are missing", column="geography code", example=missing[0]
        )
    eng_census = census[census["area_code"].str.startswith("E")][["persons", "female", "male"]].sum()
    census = pd.concat(
        [
            census[census["area_code"].isin(llr_lads)],
            pd.DataFrame([{"area_code": cfg.england_code, **eng_census.to_dict()}]),
        ],
        ignore_index=True,
    )
    # a district partly in another ICB: the estimates are sums of its LSOAs inside this ICB, the census
    # total (by district) is for the whole district; it is left blank (missing), a known gap (schema above)
    blank = census["area_code"].isin(cfg.partial_district_codes)
    if blank.any():
        census[["persons", "female", "male"]] = census[["persons", "female", "male"]].astype("Int64")
        census.loc[blank, ["persons", "female", "male"]] = pd.NA
    census["period"] = "Census 2021"
    census["source_id"] = "census2021_ts009_lad_totals"
    lad_totals = pd.concat(totals + [census], ignore_index=True)
    names = {**cfg.district_names, cfg.england_code: "England"}
    lad_totals["area_name"] = lad_totals["area_code"].map(names)
    for c in ("female", "male"):
        lad_totals[c] = lad_totals[c].astype("Int64")  # estimates have no sex split: missing, not zero
    lad_totals = lad_totals[["area_code", "area_name", "period", "source_id", "persons", "female", "male"]]

    # LSOA 2011 -> 2021.
    mapping = read_table("geography/lsoa11_lsoa21", paths)
    pop = read_table("deprivation/iod_population", paths)
    pop = pop[(pop["edition"] == "IoD2025") & pop["lsoa_code"].isin(geo21["lsoa21_code"])]
    denominators = pop.rename(columns={"lsoa_code": "lsoa21_code"})
    for c in ("population", "children_0_15", "older_60_plus"):
        if c not in denominators:
            denominators[c] = np.nan
    weights = split_weights(mapping[mapping["lsoa11_code"].isin(geo11["lsoa11_code"])], denominators)
    lsoa21_age = validate(to_lsoa21(lsoa11_age, weights), LSOA21_AGE_SCHEMA, "population/lsoa21_age")
    got = set(lsoa21_age["lsoa21_code"])
    if got != set(geo21["lsoa21_code"]):
        missing = sorted(set(geo21["lsoa21_code"]) - got)
        raise DataValidationError(
            "population/lsoa21_age",
            f"{len(missing)} LSOAs (2021) of the ICS have no population: {', '.join(missing[:5])}",
            column="lsoa21_code",
            area=missing[0],
        )
    # The mapping moves people between LSOAs, never in or out of a district.
    lad21 = geo21.set_index("lsoa21_code")["lad_code"]
    a = (
        lsoa21_age.assign(lad_code=lsoa21_age["lsoa21_code"].map(lad21))
        .groupby(["year", "lad_code"])["population"]
        .sum()
    )
    b = lsoa11_age.groupby(["year", "lad_code"])["population"].sum()
    # an LSOA (2011) whose LSOA (2021) is assigned to another district (best fit, at a district boundary
    # redrawn since) moves people between those districts: they are checked together, with the ICS total
    lad11 = lsoa11_age.drop_duplicates("lsoa11_code").set_index("lsoa11_code")["lad_code"]
    pairs = weights.assign(lad11=weights["lsoa11_code"].map(lad11), lad21=weights["lsoa21_code"].map(lad21))
    crossing = pairs[pairs["lad11"] != pairs["lad21"]]
    if len(crossing):
        moved = set(crossing["lad11"]) | set(crossing["lad21"])
        a = a.groupby([a.index.get_level_values("year"), a.index.get_level_values("lad_code").isin(moved)]).sum()
        b = b.groupby([b.index.get_level_values("year"), b.index.get_level_values("lad_code").isin(moved)]).sum()
    if not np.allclose(a.reindex(b.index), b, rtol=0, atol=1e-6):
        raise DataValidationError(
            "population/lsoa21_age", "district totals changed when mapping LSOA 2011 -> 2021", column="population"
        )
    return {
        "population/lsoa11_age": lsoa11_age,
        "population/lsoa21_age": lsoa21_age,
        "population/lsoa11_lsoa21_weights": weights,
        "population/england_age": england_age,
        "population/lad_totals": lad_totals,
        "quality/known_gaps_population": pd.concat([gaps, redrawn_gaps(weights, lad21)], ignore_index=True),
    }


def _configured_districts(ids: pd.DataFrame, geo11: pd.DataFrame, cfg, current: set) -> pd.Series:
    """The district of each LSOA (2011) row as the places file names it: a code newer than the file's
    vintage is reached through the places file's ``lad22_codes``; a retired code (not a current district:
    e.g. a LAD 2019 code of an authority merged since) through the LSOA's district in ``geo11``."""
    codes = ids["lad_code"].map(lambda c: cfg.lad22_to_district.get(c, c))
    retired = ~codes.isin(current) & ids["lsoa11_code"].isin(geo11["lsoa11_code"])
    if retired.any():
        codes = codes.where(~retired, ids["lsoa11_code"].map(geo11.set_index("lsoa11_code")["lad_code"]))
    return codes


def _newer_codes(df: pd.DataFrame, keys: list[str], cfg) -> pd.DataFrame:
    """District rows of a file on LAD 2021/2022 codes summed to the places file's districts whose code is
    newer (``lad22_codes``); unchanged when the places file has none."""
    older = cfg.lad22_to_district
    if not older or not df["area_code"].isin(list(older)).any():
        return df
    df = df.assign(area_code=df["area_code"].map(lambda c: older.get(c, c)))
    names = df.drop_duplicates("area_code").set_index("area_code").get("area_name")
    out = df.groupby(keys, as_index=False, sort=False).sum(numeric_only=True)
    if names is not None:
        out["area_name"] = out["area_code"].map(names)
    return out[list(df.columns)]
