"""Geography: the ICS's LSOA building blocks (2021 and 2011) and boundaries.

LSOA 2021 -> ward 2024 -> district 2024 comes from the ONS best-fit lookup. MSOA 2021 comes
from the LSOA name: ONS names every LSOA "<MSOA name><letter>" (e.g. "<name> 001A" is in
MSOA "<name> 001"), so the MSOA is found by dropping the last character and matching the
House of Commons Library MSOA names file (which also gives the readable MSOA name).
LSOA 2011 keeps its own MSOA 2011 (ONS lookup) and maps to 2021 through the ONS exact-fit
LSOA11 -> LSOA21 lookup (CHGIND: U unchanged, S split, M merged, X redrawn).
"""

from __future__ import annotations

import re
from pathlib import Path

import geopandas as gpd
import pandas as pd
import pandera.pandas as pa

from llr_analysis.errors import ConfigError, DataValidationError
from llr_analysis.fetch.sources import raw_path
from llr_analysis.places import load_places, place_id_check
from llr_analysis.process import checks, step
from llr_analysis.process.checks import checks_only, expected_count, unique_rows, validate
from llr_analysis.validate import (
    LAD_CODE,
    LSOA_CODE,
    MSOA_CODE,
    UTLA_CODE,
    WARD_CODE,
    code_column,
    read_csv,
    select_columns,
)

LSOA21_SCHEMA = pa.DataFrameSchema(
    {
        "lsoa21_code": code_column(LSOA_CODE, unique=True),
        "lsoa21_name": pa.Column(str),
        "msoa21_code": code_column(MSOA_CODE),
        "msoa21_name": pa.Column(str),
        "msoa21_label": pa.Column(str),
        "ward_code": code_column(WARD_CODE),
        "ward_name": pa.Column(str),
        "lad_code": code_column(LAD_CODE),
        "lad_name": pa.Column(str),
        "place_id": pa.Column(str, place_id_check()),
        "place_name": pa.Column(str),
        "place_code": pa.Column(str),
    },
    strict=True,
)
checks.register("geography/lsoa21", LSOA21_SCHEMA)


#: Coordinate reference systems the boundary files come in: British National Grid or WGS84 lon/lat.
ALLOWED_CRS = (27700, 4326)
#: England, roughly, in lon/lat (Isles of Scilly to Lowestoft, the Lizard to Berwick).
ENGLAND_BOUNDS = {"lon": (-6.5, 2.0), "lat": (49.8, 55.9)}


def require_boundaries(path, column: str, expected: set, present: set, what: str) -> None:
    """Every expected area has a boundary, else an error naming the file, the column and the first area
    missing (``what``: e.g. "the ICS's LSOAs have no boundary")."""
    missing = expected - present
    if missing:
        first = sorted(missing)[0]
        raise DataValidationError(path, f"{len(missing)} {what}", column=column, area=first, example=first)


#: ONS code pattern of each boundary layer, by the prefix of its code property (LSOA21CD, WD22CD, ...).
CODE_PATTERNS = {
    "LSOA": LSOA_CODE,
    "MSOA": MSOA_CODE,
    "WD": WARD_CODE,
    "LAD": LAD_CODE,
    "CTYUA": UTLA_CODE,
}


def code_pattern(code_column: str) -> str | None:
    """The code pattern of a layer from its code property's name (``LSOA21CD`` -> LSOA codes)."""
    return next((p for prefix, p in CODE_PATTERNS.items() if code_column.upper().startswith(prefix)), None)


def read_boundaries(
    path, code_column: str, codes=None, *, known=None, known_from: str = "", pattern: str | None = None
) -> gpd.GeoDataFrame:
    """A boundary file, checked, as (code, geometry) in WGS84 lon/lat.

    The same checks for every layer (LSOA, MSOA, ward, district, county), each error naming the
    file, the property, the feature (its index, 1-based) and the area code: the file can be read as
    vector data; the code property exists and every feature has a code (present, not blank, not
    padded) of the layer's pattern (``pattern``, else from the property's name); codes are unique;
    with ``known`` (a set of codes, ``known_from`` saying where they come from), every feature's code
    is one of them; its coordinate reference system is EPSG:27700 or EPSG:4326; no geometry is null or
    empty, every one is a (multi)polygon and valid; and, after conversion to lon/lat, every area lies
    inside England. ``codes`` limits the result to those areas: the file is filtered by code as it is
    read (an England-wide file holds ~35,000 polygons; only the configured areas are built and checked),
    and the checks apply to the features selected.
    """
    where = None
    if codes is not None:
        wanted = sorted({str(c) for c in codes if re.fullmatch(r"[A-Z0-9]+", str(c))})
        where = f"{code_column} IN ({', '.join(repr(c) for c in wanted) or repr('')})"
    try:
        # with ``codes``, the code checks below run on every feature's properties (cheap: no geometry);
        # the geometries are then read for the selected codes only
        shapes = gpd.read_file(path, ignore_geometry=True) if where is not None else gpd.read_file(path)
    except Exception as exc:  # noqa: BLE001 - pyogrio/fiona raise many types for unreadable files
        raise DataValidationError(
            path, f"cannot be read as a boundary file (truncated or not GeoJSON?): {type(exc).__name__}: {exc}"
        ) from None
    if shapes.empty and where is None:
        raise DataValidationError(path, "the boundary file has no features")
    select_columns(shapes, {code_column: code_column}, path)  # a clear error if the code column is renamed
    shapes = shapes.reset_index(drop=True)
    shapes.index = pd.Index(range(1, len(shapes) + 1), name="feature")
    code = shapes[code_column].astype("string")

    def fail(mask, problem, column=code_column):
        first = mask[mask].index[0]
        raise DataValidationError(
            path, problem, column=column, area=str(code.loc[first]).strip(), example=f"feature {first} of {len(shapes)}"
        )

    missing = code.isna() | code.fillna("").str.strip().eq("")
    if missing.any():
        first = missing[missing].index[0]
        names = [c for c in shapes.columns if str(c).upper().endswith("NM")]
        name = shapes.loc[first, names[0]] if names else None
        named = f" (named {name!r} in {names[0]})" if isinstance(name, str) and name.strip() else ""
        raise DataValidationError(
            path,
            f"{int(missing.sum())} features have no code (property {code_column!r} missing, null or blank): "
            "every boundary must name its area",
            column=code_column,
            example=f"feature {first} of {len(shapes)}{named}",
        )
    padded = code.ne(code.str.strip())
    if padded.any():
        fail(padded, f"{int(padded.sum())} area codes have leading or trailing spaces")
    if where is not None:
        try:
            shapes = gpd.read_file(path, where=where)
        except Exception as exc:  # noqa: BLE001 - as above
            raise DataValidationError(path, f"cannot read the selected features: {type(exc).__name__}: {exc}") from None
        shapes = shapes.reset_index(drop=True)
        shapes.index = pd.Index(range(1, len(shapes) + 1), name="feature")
        code = shapes[code_column].astype("string")
    # an England and Wales (or UK) file holds other nations' codes too: the layer's pattern is checked on
    # the features selected (every feature when no ``codes`` are given)
    pattern = pattern or code_pattern(code_column)
    if pattern is not None:
        wrong = ~code.str.match(pattern).fillna(False).astype(bool)
        if wrong.any():
            fail(wrong, f"{int(wrong.sum())} area codes are not codes of this layer (expected {pattern})")
    dup = code.duplicated(keep=False)
    if dup.any():
        shapes, code = _merge_same_area(shapes, code, dup, code_column, fail)
    if known is not None:
        unknown = ~code.isin(list(known))
        if unknown.any():
            fail(
                unknown,
                f"{int(unknown.sum())} areas are not known areas{' of ' + known_from if known_from else ''} "
                "(a boundary with a wrong or outdated code?)",
            )
    if shapes.crs is None:
        raise DataValidationError(
            path,
            "the boundary file has no coordinate reference system (CRS); expected "
            "EPSG:27700 (British National Grid) or EPSG:4326 (lon/lat)",
            column="crs",
        )
    epsg = shapes.crs.to_epsg()
    if epsg not in ALLOWED_CRS:
        raise DataValidationError(
            path,
            f"unexpected coordinate reference system {shapes.crs.to_string()!r}; "
            "expected EPSG:27700 (British National Grid) or EPSG:4326 (lon/lat)",
            column="crs",
        )
    geom = shapes.geometry
    null = geom.isna()
    if null.any():
        fail(null, f"{int(null.sum())} areas have no geometry (null)", "geometry")
    empty = geom.is_empty
    if empty.any():
        fail(empty, f"{int(empty.sum())} areas have an empty geometry", "geometry")
    kind = ~geom.geom_type.isin(["Polygon", "MultiPolygon"])
    if kind.any():
        fail(kind, f"{int(kind.sum())} areas are not polygons (e.g. {geom[kind].iloc[0].geom_type})", "geometry")
    invalid = ~geom.is_valid
    if invalid.any():
        from shapely.validation import explain_validity

        first = invalid[invalid].index[0]
        fail(
            invalid,
            f"{int(invalid.sum())} areas have an invalid polygon ({explain_validity(geom.loc[first])})",
            "geometry",
        )
    wgs = shapes.to_crs(4326)
    wgs.attrs["merged"] = shapes.attrs.get("merged", [])
    b = wgs.geometry.bounds
    (x0, x1), (y0, y1) = ENGLAND_BOUNDS["lon"], ENGLAND_BOUNDS["lat"]
    outside = (b["minx"] < x0) | (b["maxx"] > x1) | (b["miny"] < y0) | (b["maxy"] > y1)
    if outside.any():
        first = outside[outside].index[0]
        r = b.loc[first]
        fail(
            outside,
            f"{int(outside.sum())} areas lie outside England (lon {x0}..{x1}, lat {y0}..{y1}) in "
            f"{shapes.crs.to_string()}: e.g. lon {r['minx']:.3f}..{r['maxx']:.3f}, lat "
            f"{r['miny']:.3f}..{r['maxy']:.3f} (wrong CRS declared, or swapped coordinates?)",
            "geometry",
        )
    out = wgs.reset_index(drop=True)
    out.attrs["merged"] = wgs.attrs["merged"]
    return out


def _merge_same_area(shapes, code, dup, code_column: str, fail):
    """Features that share a code: parts of one area when they also share its name (one publisher's file
    has a ward drawn twice, two near-identical polygons of the same code and name), merged into one
    (their union) and listed in ``shapes.attrs["merged"]`` (code, name, the features' 1-based rows); different
    names under one code are an error."""
    names = [c for c in shapes.columns if str(c).upper().endswith("NM")]
    if not names:
        fail(
            dup & code.duplicated(keep="first"),
            f"{int(code.duplicated().sum())} areas have more than one boundary (duplicate codes)",
        )
    named = shapes[names[0]].astype("string").str.strip()
    differ = named[dup].groupby(code[dup]).transform("nunique").gt(1).reindex(code.index, fill_value=False)
    if differ.any():
        fail(
            differ & code.duplicated(keep="first"),
            f"{int(code[differ].nunique())} area codes have boundaries under different names ({names[0]}): "
            "two areas cannot share a code",
        )
    merged = []
    for c, parts in shapes[dup].groupby(code[dup], sort=True):
        merged.append({"code": str(c), "name": str(named[parts.index[0]]), "features": list(parts.index)})
    first = ~code.duplicated(keep="first")
    unions = shapes[dup].geometry.groupby(code[dup]).agg(lambda g: g.union_all())
    out = shapes[first].copy()
    is_dup = out[code_column].astype("string").isin(unions.index)
    out.loc[is_dup, "geometry"] = list(unions.loc[out.loc[is_dup, code_column].astype("string")])
    out.attrs["merged"] = merged
    return out, out[code_column].astype("string")


def _name_missing_lsoas(lk: pd.DataFrame, paths, llr_lads, f) -> None:
    """Fewer of the ICS's LSOAs than expected in the best-fit lookup: name those the exact-fit LSOA 2011 -> 2021
    lookup places in the ICS's districts but this lookup lacks."""
    f11 = raw_path("lsoa11_lsoa21_lookup", paths)
    other = select_columns(read_csv(f11, dtype=str), {"LSOA21CD": "lsoa21_code", "LAD22CD": "lad_code"}, f11)
    missing = sorted(set(other.loc[other["lad_code"].isin(llr_lads), "lsoa21_code"]) - set(lk["lsoa21_code"]))
    if missing:
        raise DataValidationError(
            f,
            f"{len(missing)} LSOAs (2021) of the configured districts have no row (they are in those districts in {f11.name}): "
            + ", ".join(missing[:5])
            + (" …" if len(missing) > 5 else ""),
            column="LSOA21CD",
            area=missing[0],
        )


def check_config_codes(cfg, key: str, known: set, file, column: str) -> None:
    """Every place's code (``key`` "code") or district codes (``key`` "districts") in the places file
    matches an area of ``file``; one that does not is the places file's error (file and key), not the
    data file's."""
    for pid, place in cfg.places.items():
        pairs = [(place.code, place.name)] if key == "code" else list(place.districts.items())
        for code, name in pairs:
            if code not in known:
                where = f"places.{pid}.code" if key == "code" else f"places.{pid}.districts.{code}"
                raise ConfigError(
                    f"{cfg.source}: key {where!r}: {code} ({name}) matches no area of {Path(str(file)).name} "
                    f"(column {column}); correct the code in the places file"
                )


def select_icb_lsoas(wards: pd.DataFrame, icb: pd.DataFrame, cfg, wards_file, icb_file) -> pd.DataFrame:
    """The rows of ``wards`` (LSOA 2021 -> ward -> district) of the LSOAs inside the ICS's ICB.

    ``icb`` is the LSOA (2021) -> sub-ICB -> ICB lookup (``lsoa21_code``, ``icb_code``). An ICB is made of
    whole LSOAs, not whole districts: a district split between ICBs (the places file's
    ``partial_districts``, or a unitary place with ``part_of_authority``) contributes only its LSOAs inside
    this ICB. Errors name the file, the column and the area: the ICB code of the places file is in no row
    of the lookup; an LSOA of the ICB has no row in ``wards``; or it lies in a district no place lists.
    """
    mine = set(icb.loc[icb["icb_code"] == cfg.ics_code, "lsoa21_code"])
    if not mine:
        raise ConfigError(
            f"{cfg.source}: key 'ics.code': {cfg.ics_code} matches no ICB of {Path(str(icb_file)).name} "
            "(column ICB24CD); correct the code in the places file"
        )
    missing = sorted(mine - set(wards["lsoa21_code"]))
    if missing:
        raise DataValidationError(
            wards_file,
            f"{len(missing)} LSOAs (2021) of the ICB have no row (they are in {cfg.ics_code} in "
            f"{Path(str(icb_file)).name}): " + ", ".join(missing[:5]) + (" …" if len(missing) > 5 else ""),
            column="LSOA21CD",
            area=missing[0],
        )
    out = wards[wards["lsoa21_code"].isin(mine)].copy()
    stray = ~out["lad_code"].isin(cfg.all_district_codes)
    if stray.any():
        first = out.loc[stray].sort_values("lsoa21_code").iloc[0]
        raise ConfigError(
            f"{cfg.source}: key 'places': {int(stray.sum())} LSOAs (2021) of the ICB {cfg.ics_code} lie in districts "
            f"no place lists (first: {first['lsoa21_code']} in {first['lad_code']} {first['lad_name']}, "
            f"{Path(str(wards_file)).name}); add the district to its place"
        )
    return out


def whole_districts(wards: pd.DataFrame, selected: pd.DataFrame) -> set[str]:
    """Districts of ``selected`` with every one of their LSOAs (2021) in ``selected``."""
    inside = selected.groupby("lad_code")["lsoa21_code"].size()
    total = wards[wards["lad_code"].isin(inside.index)].groupby("lad_code")["lsoa21_code"].size()
    return {str(d) for d in inside.index if inside[d] == total[d]}


def lad22_to_configured(codes: pd.Series, cfg) -> pd.Series:
    """2022 district codes as the places file's districts: a code newer than LAD 2022 is reached through
    the places file's ``lad22_codes`` (e.g. the 2023 unitary authorities); other codes stay as they are."""
    older = cfg.lad22_to_district
    return codes.map(lambda c: older.get(c, c))


def _place_columns(df: pd.DataFrame, lad_col: str = "lad_code") -> pd.DataFrame:
    cfg = load_places()
    df["place_id"] = df[lad_col].map(cfg.district_to_place)
    df["place_name"] = df["place_id"].map({p.id: p.name for p in cfg.places.values()})
    df["place_code"] = df["place_id"].map({p.id: p.code for p in cfg.places.values()})
    return df


@step(
    "geography",
    inputs=[
        "lsoa21_wd24_lad24_lookup",
        "lsoa21_icb24_lookup",
        "msoa21_names",
        "lsoa11_lsoa21_lookup",
        "lsoa11_msoa11_lookup",
        "lad23_ctyua23_lookup",
        "lsoa21_boundaries",
        "lsoa11_boundaries",
        "msoa21_boundaries",
        "wards22_boundaries",
        "lad24_boundaries",
    ],
    outputs=[
        "geography/lsoa21",
        "geography/lsoa11",
        "geography/lsoa11_lsoa21",
        "geography/lad_utla",
        "geography/lsoa21_boundaries",
        "geography/lsoa11_boundaries",
        "geography/msoa21_boundaries",
        "geography/district_boundaries",
        "geography/ward_boundaries",
    ],
)
def build_geography(paths) -> dict[str, pd.DataFrame]:
    cfg = load_places()
    llr_lads = cfg.all_district_codes

    f = raw_path("lsoa21_wd24_lad24_lookup", paths)
    lk = select_columns(
        read_csv(f, dtype=str),
        {
            "LSOA21CD": "lsoa21_code",
            "LSOA21NM": "lsoa21_name",
            "WD24CD": "ward_code",
            "WD24NM": "ward_name",
            "LAD24CD": "lad_code",
            "LAD24NM": "lad_name",
        },
        f,
    )
    check_config_codes(cfg, "districts", set(lk["lad_code"]), f, "LAD24CD")
    validate(lk, checks_only([unique_rows(["lsoa21_code"])]), f)
    # the ICB's LSOAs, by ICB (an authority split between ICBs brings only its LSOAs inside this one)
    fi = raw_path("lsoa21_icb24_lookup", paths)
    icb = select_columns(read_csv(fi, dtype=str), {"LSOA21CD": "lsoa21_code", "ICB24CD": "icb_code"}, fi)
    all_wards = lk
    lk = select_icb_lsoas(lk, icb, cfg, f, fi)
    whole = whole_districts(all_wards, lk)
    if len(lk) < (cfg.expected["lsoa21_in_ics"] or 0):
        _name_missing_lsoas(lk, paths, sorted(whole), f)
    # Every expected area present: the numbers of the places file.
    counts = [
        expected_count(cfg.expected["lsoa21_in_ics"], "LSOAs (2021)"),
        expected_count(cfg.expected["districts_in_ics"], "districts", of=lambda d: d["lad_code"].nunique()),
        expected_count(cfg.expected["wards_in_ics"], "wards (2024)", of=lambda d: d["ward_code"].nunique()),
    ]
    validate(lk, checks_only(counts), f)

    fn = raw_path("msoa21_names", paths)
    names = select_columns(
        read_csv(fn, dtype=str, encoding="utf-8-sig"),
        {"msoa21cd": "msoa21_code", "msoa21nm": "msoa21_name", "msoa21hclnm": "msoa21_hcl_name"},
        fn,
    )
    lk["msoa21_name"] = lk["lsoa21_name"].str[:-1]
    lk = lk.merge(names, on="msoa21_name", how="left")
    unmatched = lk["msoa21_code"].isna()
    if unmatched.any():
        raise DataValidationError(
            fn,
            f"{int(unmatched.sum())} LSOA names do not match an MSOA name",
            column="msoa21nm",
            example=lk.loc[unmatched].iloc[0].to_dict(),
        )
    msoas = expected_count(cfg.expected["msoa21_in_ics"], "MSOAs (2021)", of=lambda d: d["msoa21_code"].nunique())
    validate(lk, checks_only([msoas]), fn)
    lk["msoa21_label"] = lk["msoa21_hcl_name"].fillna(lk["msoa21_name"])
    lk = _place_columns(lk)
    lsoa21 = validate(
        lk[list(LSOA21_SCHEMA.columns)].sort_values("lsoa21_code").reset_index(drop=True), LSOA21_SCHEMA, f
    )

    # LSOA 2011 and its mapping to 2021.
    f11 = raw_path("lsoa11_lsoa21_lookup", paths)
    m = select_columns(
        read_csv(f11, dtype=str),
        {
            "LSOA11CD": "lsoa11_code",
            "LSOA11NM": "lsoa11_name",
            "LSOA21CD": "lsoa21_code",
            "CHGIND": "change",
            "LAD22CD": "lad_code",
        },
        f11,
    )
    # LSOAs (2011) of the ICB's LSOAs (2021), and of its whole districts (a code newer than LAD 2022 is
    # mapped to the configured district through the places file's lad22_codes)
    m["lad_code"] = lad22_to_configured(m["lad_code"], cfg)
    m = m[m["lsoa21_code"].isin(lsoa21["lsoa21_code"]) | m["lad_code"].isin(whole)].copy()
    validate(
        m,
        pa.DataFrameSchema(
            {
                "lsoa11_code": code_column(LSOA_CODE),
                "lsoa21_code": code_column(LSOA_CODE),
                "change": pa.Column(str, pa.Check.isin(list("USMX"))),
            },
            checks=[
                expected_count(cfg.expected["lsoa11_in_ics"], "LSOAs (2011)", of=lambda d: d["lsoa11_code"].nunique())
            ],
        ),
        f11,
    )

    fm = raw_path("lsoa11_msoa11_lookup", paths)
    msoa11 = select_columns(
        read_csv(fm, dtype=str), {"LSOA11CD": "lsoa11_code", "MSOA11CD": "msoa11_code", "MSOA11NM": "msoa11_name"}, fm
    )
    lsoa11 = (
        m[["lsoa11_code", "lsoa11_name", "lad_code"]]
        .drop_duplicates("lsoa11_code")
        .merge(msoa11, on="lsoa11_code", how="left")
    )
    if lsoa11["msoa11_code"].isna().any():
        raise DataValidationError(
            fm,
            "LSOA (2011) of the configured places missing from the LSOA-MSOA lookup",
            column="LSOA11CD",
            example=lsoa11[lsoa11["msoa11_code"].isna()].iloc[0].to_dict(),
        )
    lsoa11["lad_name"] = lsoa11["lad_code"].map(cfg.district_names)
    lsoa11 = _place_columns(lsoa11).sort_values("lsoa11_code").reset_index(drop=True)

    fu = raw_path("lad23_ctyua23_lookup", paths)
    lad_utla = select_columns(
        read_csv(fu, dtype=str),
        {"LAD23CD": "lad_code", "LAD23NM": "lad_name", "CTYUA23CD": "utla_code", "CTYUA23NM": "utla_name"},
        fu,
    )
    lad_utla = lad_utla[lad_utla["lad_code"].str.startswith("E")].reset_index(drop=True)
    check_config_codes(cfg, "code", set(lad_utla["utla_code"]) | set(lad_utla["lad_code"]), fu, "CTYUA23CD")

    # Boundaries, WGS84, the configured areas only.
    fb = raw_path("lsoa21_boundaries", paths)
    b21 = read_boundaries(fb, "LSOA21CD", codes=set(lsoa21["lsoa21_code"]))[["LSOA21CD", "geometry"]].rename(
        columns={"LSOA21CD": "lsoa21_code"}
    )
    require_boundaries(
        fb,
        "LSOA21CD",
        expected=set(lsoa21["lsoa21_code"]),
        present=set(b21["lsoa21_code"]),
        what="LSOAs of the configured places have no boundary",
    )
    fb11 = raw_path("lsoa11_boundaries", paths)
    b11 = read_boundaries(fb11, "LSOA11CD", codes=set(lsoa11["lsoa11_code"]))[["LSOA11CD", "geometry"]].rename(
        columns={"LSOA11CD": "lsoa11_code"}
    )
    require_boundaries(
        fb11,
        "LSOA11CD",
        expected=set(lsoa11["lsoa11_code"]),
        present=set(b11["lsoa11_code"]),
        what="LSOAs (2011) of the configured places have no boundary",
    )
    fbm = raw_path("msoa21_boundaries", paths)
    bm = read_boundaries(fbm, "MSOA21CD", codes=set(lsoa21["msoa21_code"]))[["MSOA21CD", "geometry"]].rename(
        columns={"MSOA21CD": "msoa21_code"}
    )
    require_boundaries(
        fbm,
        "MSOA21CD",
        expected=set(lsoa21["msoa21_code"]),
        present=set(bm["msoa21_code"]),
        what="MSOAs of the configured places have no boundary",
    )
    fl = raw_path("lad24_boundaries", paths)
    bl = read_boundaries(fl, "LAD24CD", codes=llr_lads)
    bl = bl[["LAD24CD", "LAD24NM", "geometry"]].rename(columns={"LAD24CD": "lad_code", "LAD24NM": "lad_name"})
    require_boundaries(
        fl, "LAD24CD", expected=set(llr_lads), present=set(bl["lad_code"]), what="configured districts have no boundary"
    )
    bl = _place_columns(bl.reset_index(drop=True))
    wards, merged = ward_outlines(lsoa21, b21, raw_path("wards22_boundaries", paths))
    gaps = pd.DataFrame(
        [
            checks.gap(
                "geography/ward_boundaries",
                m["code"],
                f"the December 2022 ward boundary file draws this ward ({m['name']}) as {len(m['features'])} "
                f"features (rows {', '.join(map(str, m['features']))}); they are taken as one ward (only whether a "
                "ward has a published boundary is read from it)",
                column="published_boundary",
                series="wards22_boundaries",
                rows=len(m["features"]),
            )
            for m in merged
        ],
        columns=checks.GAP_COLUMNS,
    )
    return {
        "quality/known_gaps_geography": gaps,
        "geography/lsoa21": lsoa21,
        "geography/lsoa11": lsoa11,
        "geography/lsoa11_lsoa21": m[["lsoa11_code", "lsoa21_code", "change"]].reset_index(drop=True),
        "geography/lad_utla": lad_utla,
        "geography/lsoa21_boundaries": b21.reset_index(drop=True),
        "geography/lsoa11_boundaries": b11.reset_index(drop=True),
        "geography/msoa21_boundaries": bm.reset_index(drop=True),
        "geography/district_boundaries": bl,
        "geography/ward_boundaries": wards,
    }


def ward_outlines(
    lsoa21: pd.DataFrame, lsoa_shapes: gpd.GeoDataFrame, wards22_file
) -> tuple[gpd.GeoDataFrame, list[dict]]:
    """Ward (2024) outlines as the union of each ward's best-fit LSOAs (2021), with their vintage stated, and
    the published wards drawn more than once (see :func:`read_boundaries`).

    Ward figures on the site are sums of LSOAs assigned to wards by the ONS best-fit lookup (LSOA 2021
    to ward 2024), so the area a ward's figure describes is exactly the union of its LSOAs; that union
    is drawn. It follows LSOA edges, not the legal ward boundary, and the page says so. The published
    ward boundaries available (December 2022) predate the May 2023 ward changes: they are read only to
    state, for every ward code, whether a published boundary of that code exists
    (``published_boundary``: "December 2022" or "none: ward created after December 2022"). Nothing is
    matched by name and no 2022 shape stands in for a 2024 ward.
    """
    published = read_boundaries(wards22_file, "WD22CD", codes=set(lsoa21["ward_code"]))
    merged = list(published.attrs.get("merged", []))
    codes22 = set(published["WD22CD"])
    keys = ["ward_code", "ward_name", "lad_code", "lad_name", "place_id", "place_name"]
    shapes = lsoa_shapes.merge(lsoa21[["lsoa21_code", *keys]], on="lsoa21_code", how="inner")
    out = shapes.dissolve(by=keys, aggfunc={"lsoa21_code": "count"}).reset_index()
    out = out.rename(columns={"lsoa21_code": "n_lsoas"})
    out["published_boundary"] = [
        "December 2022" if c in codes22 else "none: ward created after December 2022" for c in out["ward_code"]
    ]
    return (
        gpd.GeoDataFrame(out, geometry="geometry", crs=lsoa_shapes.crs).sort_values("ward_code").reset_index(drop=True),
        merged,
    )
