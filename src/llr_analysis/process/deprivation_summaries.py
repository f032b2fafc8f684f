"""Deprivation: MHCLG's local-authority summary measures, step ``deprivation_summaries``.

For every English district and upper-tier authority, both IoD editions, for the IMD, the seven domains,
IDACI and IDAOPI (table ``deprivation/la_summaries``), computed from the tidy LSOA table of step
``deprivation`` (:mod:`llr_analysis.process.deprivation`) by :mod:`llr_analysis.stats.imd_measures`.
"""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pandas as pd
import pandera.pandas as pa

from llr_analysis.errors import DataValidationError
from llr_analysis.fetch.sources import raw_path
from llr_analysis.process import checks, plausibility, read_table, step
from llr_analysis.process.checks import bounds, not_above, validate
from llr_analysis.process.deprivation import EDITIONS
from llr_analysis.stats.imd_measures import MEASURES, rank_areas, summary_measures
from llr_analysis.validate import (
    UTLA_CODE,
    code_column,
)

#: Population denominator of each index's area summaries. MHCLG weight the Employment domain by
#: the working-age population, IDACI by dependent children aged 0-15, IDAOPI by people aged 60
#: and over, and the IMD and the other domains by the total population (IoD2019 Research report,
#: Appendix A; Technical report, Appendix N). With these denominators the recomputed ranks of
#: average score reproduce the published IoD2019 File 10 ranks (tests/test_deprivation.py);
#: with the total population for IDACI they do not.
SUMMARY_DENOMINATORS = {
    "imd": "population",
    "income": "population",
    "employment": "working_age",
    "education": "population",
    "health": "population",
    "crime": "population",
    "barriers": "population",
    "living_environment": "population",
    "idaci": "children_0_15",
    "idaopi": "older_60_plus",
}

#: Two-tier counties of April 2019 whose districts have since been abolished, with their 2019
#: districts (ONS codes). Every other 2019 district still exists and belongs to the same county
#: or is itself a unitary, metropolitan or London authority, so its 2019 upper tier is read from
#: the ONS April 2023 LAD -> county/UA lookup. Successors: Buckinghamshire UA E06000060 (April
#: 2020); North and West Northamptonshire E06000061/62 (April 2021); Cumberland, Westmorland and
#: Furness E06000063/64, North Yorkshire E06000065 and Somerset E06000066 (April 2023).
COUNTIES_2019 = {
    "E10000002": ("Buckinghamshire", ("E07000004", "E07000005", "E07000006", "E07000007")),
    "E10000021": (
        "Northamptonshire",
        ("E07000150", "E07000151", "E07000152", "E07000153", "E07000154", "E07000155", "E07000156"),
    ),
    "E10000006": ("Cumbria", ("E07000026", "E07000027", "E07000028", "E07000029", "E07000030", "E07000031")),
    "E10000023": (
        "North Yorkshire",
        ("E07000163", "E07000164", "E07000165", "E07000166", "E07000167", "E07000168", "E07000169"),
    ),
    "E10000027": ("Somerset", ("E07000187", "E07000188", "E07000189", "E07000246")),
}

AREA_LEVELS = {"district": ("lad_code", "lad_name", "n_lads"), "upper_tier": ("utla_code", "utla_name", "n_utlas")}

SUMMARY_SCHEMA = pa.DataFrameSchema(
    {
        "edition": pa.Column(str, pa.Check.isin(list(EDITIONS))),
        "area_level": pa.Column(str, pa.Check.isin(list(AREA_LEVELS))),
        "area_code": code_column(UTLA_CODE),
        "area_name": pa.Column(str),
        "geography": pa.Column(str),
        "index_id": pa.Column(str, pa.Check.isin(list(SUMMARY_DENOMINATORS))),
        "denominator": pa.Column(str),
        "n_lsoas": pa.Column(int, pa.Check.ge(1)),
        "population": pa.Column(float, pa.Check.ge(0), nullable=True),
        "average_score": pa.Column(float, nullable=True),
        "average_rank": pa.Column(float, pa.Check.ge(1), nullable=True),
        "prop_lsoas_most_deprived_10": pa.Column(float, pa.Check.in_range(0, 1)),
        "extent": pa.Column(float, pa.Check.in_range(0, 1), nullable=True),
        "local_concentration": pa.Column(float, pa.Check.ge(1), nullable=True),
        **{f"rank_{m}": pa.Column("Int64", pa.Check.ge(1), nullable=True) for m in MEASURES},
        "n_areas": pa.Column(int),
    },
    unique=["edition", "area_level", "area_code", "index_id"],
    checks=[
        bounds("prop_lsoas_most_deprived_10", 0, 1, "a proportion"),
        bounds("extent", 0, 1, "a proportion"),
        bounds("average_rank", 1, plausibility.IOD_LSOAS["IoD2025"], "an average LSOA rank"),
        bounds("population", 0, None, "a population"),
        *(not_above(f"rank_{m}", "n_areas") for m in MEASURES),  # ranks at most the number of areas
    ],
)
checks.register("deprivation/la_summaries", SUMMARY_SCHEMA)


def _geography_label(edition: str, level: str) -> str:
    ed = EDITIONS[edition]
    if level == "district":
        return f"Local authority districts ({ed['lad_vintage']} boundaries)"
    if edition == "IoD2019":
        return "Counties and unitary authorities (2019 county structure)"
    return f"Counties and unitary authorities (April {ed['utla_vintage']})"


def upper_tier(lads: pd.DataFrame, lad_utla: pd.DataFrame, edition: str, file) -> pd.DataFrame:
    """Each district's upper-tier authority (county or unitary) in the edition's own structure.

    ``lads``: ``lad_code``, ``lad_name`` of the edition's districts (IoD2019: 2019 districts;
    IoD2025: 2024 districts). ``lad_utla``: the ONS April 2023 LAD -> county/UA lookup
    (``geography/lad_utla``). For IoD2019 the 28 districts abolished since 2019 are given their
    2019 county from :data:`COUNTIES_2019`; any other district missing from the 2023 lookup is an
    error (``file`` names the lookup). Returns ``lad_code, lad_name, utla_code, utla_name``.
    """
    m = lads.merge(lad_utla[["lad_code", "utla_code", "utla_name"]], on="lad_code", how="left")
    if edition == "IoD2019":
        code = {d: c for c, (_, ds) in COUNTIES_2019.items() for d in ds}
        name = {d: n for n, ds in COUNTIES_2019.values() for d in ds}
        listed = m["lad_code"].isin(list(code))
        stale = listed & m["utla_code"].notna()
        if stale.any():
            raise DataValidationError(
                file,
                "a district listed as abolished since 2019 is still in the 2023 lookup",
                column="LAD23CD",
                example=m.loc[stale].iloc[0].to_dict(),
            )
        m.loc[listed, "utla_code"] = m.loc[listed, "lad_code"].map(code)
        m.loc[listed, "utla_name"] = m.loc[listed, "lad_code"].map(name)
    missing = m["utla_code"].isna()
    if missing.any():
        raise DataValidationError(
            file,
            f"{int(missing.sum())} {edition} districts have no county or unitary authority in the lookup",
            column="LAD23CD",
            example=m.loc[missing].iloc[0].to_dict(),
        )
    return m


def check_counties_2019(boundaries_file) -> None:
    """The 2019 county codes in :data:`COUNTIES_2019` must name the same counties in the ONS
    Counties and Unitary Authorities (May 2021) file wherever they are in it (Cumbria, North
    Yorkshire and Somerset were still counties then)."""
    props = [f["properties"] for f in json.loads(Path(boundaries_file).read_text(encoding="utf-8"))["features"]]
    names = {p["CTYUA21CD"]: p["CTYUA21NM"] for p in props}
    for code, (name, _) in COUNTIES_2019.items():
        if code in names and names[code] != name:
            raise DataValidationError(
                boundaries_file, f"county {code} is {names[code]!r}, not {name!r}", column="CTYUA21NM"
            )
    for code in ("E10000006", "E10000023", "E10000027"):
        if code not in names:
            raise DataValidationError(
                boundaries_file, f"county {code} ({COUNTIES_2019[code][0]}) is missing", column="CTYUA21CD"
            )


def la_summaries(tidy: pd.DataFrame, pop: pd.DataFrame, lad_utla: pd.DataFrame, lookup_file) -> pd.DataFrame:
    """MHCLG's five summary measures for every English district and upper-tier authority.

    One row per edition, area level (``district``, ``upper_tier``), area and index (IMD, the
    seven domains, IDACI, IDAOPI), computed by :func:`llr_analysis.stats.imd_measures.summary_measures`
    from the LSOA scores and national ranks with the denominator of
    :data:`SUMMARY_DENOMINATORS`; areas are ranked among themselves, separately for each index,
    by :func:`llr_analysis.stats.imd_measures.rank_areas`. Only areas whose every LSOA is in the data
    are kept (IoD2025 IDACI/IDAOPI offline: the default places' areas only).

    A rank is **national** or missing: it is given only when every LSOA in England and every
    area of that level has a value. So for IoD2025 offline, where population denominators
    exist for some LSOAs only, the population-weighted measures have values for those
    areas but no ranks, and the proportion of LSOAs in the most deprived 10% (which needs no
    population) is ranked among all districts / upper-tier authorities. ``n_areas`` is the
    number of areas of that level in England.

    Vectorised: one :func:`summary_measures` call per edition and area level, with every index
    stacked (the group is the index and the area together), so all of England takes seconds.
    """
    frames = []
    for edition, ed in EDITIONS.items():
        p = pop[pop["edition"] == edition]
        areas = upper_tier(p[["lad_code", "lad_name"]].drop_duplicates("lad_code"), lad_utla, edition, lookup_file)
        for code_col, _, n_key in AREA_LEVELS.values():
            if areas[code_col].nunique() != ed[n_key]:
                raise DataValidationError(
                    lookup_file,
                    f"{edition}: expected {ed[n_key]} areas in {code_col}, found {areas[code_col].nunique()}",
                    column="CTYUA23CD",
                )
        lsoas = p.drop(columns=["lad_name", "lsoa_name", "edition"]).merge(areas, on="lad_code", how="left")
        n_national = int(ed["n_lsoas"])
        x = tidy.loc[
            (tidy["edition"] == edition) & tidy["index_id"].isin(list(SUMMARY_DENOMINATORS)),
            ["lsoa_code", "index_id", "score", "rank"],
        ].merge(lsoas, on="lsoa_code", how="left")
        denominator = x["index_id"].map(SUMMARY_DENOMINATORS)
        x["weight"] = np.nan
        for col in set(SUMMARY_DENOMINATORS.values()):
            use = (denominator == col).to_numpy()
            x.loc[use, "weight"] = x.loc[use, col]
        index_codes, index_ids = pd.factorize(x["index_id"])
        lsoas_per_index = pd.Series(np.bincount(index_codes), index=np.asarray(index_ids))
        for level, (code_col, name_col, n_key) in AREA_LEVELS.items():
            # Group by one integer per (index, area): grouping by text is several times slower.
            area_codes, area_ids = pd.factorize(x[code_col])
            if (area_codes < 0).any():
                raise DataValidationError(
                    lookup_file,
                    f"{edition}: LSOAs without a {level} area",
                    column=code_col,
                    example=x.loc[area_codes < 0].iloc[0].to_dict(),
                )
            x["_group"] = index_codes * len(area_ids) + area_codes
            out = summary_measures(
                x, "_group", score_col="score", rank_col="rank", population_col="weight", n_lsoas_national=n_national
            ).drop(columns=[f"rank_{m}" for m in MEASURES])
            g = out.index.to_numpy()
            out.insert(0, "index_id", np.asarray(index_ids)[g // len(area_ids)])
            out.insert(1, "area_code", np.asarray(area_ids)[g % len(area_ids)])
            expected = lsoas.groupby(code_col).size()
            out = out[out["n_lsoas"].to_numpy() == expected.reindex(out["area_code"]).to_numpy()]
            by_index = out.groupby("index_id", sort=False)
            national = (out["index_id"].map(lsoas_per_index) == n_national) & (
                by_index["area_code"].transform("size") == ed[n_key]
            )
            for m in MEASURES:
                ranked = national & by_index[m].transform(lambda v: v.notna().all())
                out[f"rank_{m}"] = by_index[m].transform(rank_areas).astype("Int64").where(ranked, pd.NA)
            out.insert(0, "edition", edition)
            out.insert(1, "area_level", level)
            out.insert(
                3, "area_name", out["area_code"].map(areas.drop_duplicates(code_col).set_index(code_col)[name_col])
            )
            out.insert(4, "geography", _geography_label(edition, level))
            out["denominator"] = out["index_id"].map(SUMMARY_DENOMINATORS)
            out["n_areas"] = ed[n_key]
            frames.append(out)
    df = pd.concat(frames, ignore_index=True)
    df["population"] = df["population"].astype("float64")
    order = {i: k for k, i in enumerate(SUMMARY_DENOMINATORS)}
    df = df.sort_values(
        ["edition", "area_level", "index_id", "area_code"], key=lambda c: c.map(order) if c.name == "index_id" else c
    ).reset_index(drop=True)
    return validate(df[list(SUMMARY_SCHEMA.columns)], SUMMARY_SCHEMA, lookup_file)


@step(
    "deprivation_summaries",
    inputs=["lad23_ctyua23_lookup", "ctyua21_boundaries"],
    after=["deprivation", "geography"],
    outputs=["deprivation/la_summaries"],
)
def build_la_summaries(paths) -> dict[str, pd.DataFrame]:
    check_counties_2019(raw_path("ctyua21_boundaries", paths))
    tidy = read_table("deprivation/iod_lsoa", paths)
    pop = read_table("deprivation/iod_population", paths)
    lad_utla = read_table("geography/lad_utla", paths)
    return {"deprivation/la_summaries": la_summaries(tidy, pop, lad_utla, raw_path("lad23_ctyua23_lookup", paths))}
