"""Life expectancy within the places, and the workbook helpers the life-expectancy readers share: readers of the OHID MSOA 2009-13 workbooks and of the GP-practice life expectancy file (the local-authority series are read in :mod:`llr_analysis.process.life_expectancy`)."""

from __future__ import annotations

import warnings

import pandas as pd

from llr_analysis.errors import DataValidationError
from llr_analysis.places import load_places
from llr_analysis.process.checks import NEARLY_ALL, checks_only, gap, unique_rows, validate
from llr_analysis.validate import (
    example_row,
    first_bad,
    read_csv,
    select_columns,
    to_number,
)


def _read_excel(path, sheet, **kw) -> pd.DataFrame:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # xlrd's deprecation notice for .xls
        try:
            return pd.read_excel(path, sheet_name=sheet, header=None, **kw)
        except ValueError as exc:
            if "not found" in str(exc).lower():
                raise DataValidationError(path, f"sheet {sheet!r} is missing ({exc})") from None
            raise


def _header_row(raw: pd.DataFrame, first_cell: str, file, sheet: str) -> int:
    hits = raw.index[raw[0].astype("string").str.strip() == first_cell]
    if len(hits) == 0:
        raise DataValidationError(file, f"sheet {sheet!r} has no header row starting {first_cell!r}", column=first_cell)
    return int(hits[0])


def _measure_columns(header: list, label: str, file, sheet: str) -> tuple[int, int, int]:
    """Positions of a measure's value column and the 95% limits that follow it.

    ONS's reference tables repeat the headers "Lower 95 % confidence interval" and "Upper 95 %
    confidence interval" after each measure (HLE, LE), so limits are found by position.
    """
    names = ["" if pd.isna(h) else str(h).strip() for h in header]
    if label not in names:
        near = [n for n in names if n.split(" ")[0] == label.split(" ")[0]]
        raise DataValidationError(file, f"sheet {sheet!r}: required column is missing; closest {near}", column=label)
    i = names.index(label)
    low = next((j for j in range(i + 1, len(names)) if names[j].startswith("Lower 95")), None)
    high = next((j for j in range(i + 1, len(names)) if names[j].startswith("Upper 95")), None)
    if low is None or high is None or high != low + 1 or low > i + 3:
        raise DataValidationError(
            file, f"sheet {sheet!r}: the 95% limits do not follow {label!r}", column="Lower 95 % confidence interval"
        )
    return i, low, high


def read_msoa_workbook(path, measure: str) -> tuple[pd.DataFrame, pd.DataFrame]:
    """One ONS 2009-13 small-area reference table (``measure`` "HLE" or "DFLE").

    Returns (MSOA rows, area rows). MSOA rows: code, name, sex, le and ``measure`` with their
    95% limits. Area rows: upper-tier authorities (UTLA sheets) and England (the 'England' row
    of the Region sheet, which has no code) with the same columns.
    """
    m = measure.lower()
    label = f"{measure} (years)"
    msoa_parts: list[pd.DataFrame] = []
    area_parts: list[pd.DataFrame] = []
    for sex in ("Male", "Female"):
        for level, sheet, first, _name_col in (
            ("msoa", f"MSOA_{sex.lower()}s", "MSOA Codes", "MSOA Names"),
            ("utla", f"UTLA_{sex.lower()}s", "UTLA Codes", None),
        ):
            raw = _read_excel(path, sheet)
            h = _header_row(raw, first, path, sheet)
            header = list(raw.iloc[h])
            iv, il, iu = _measure_columns(header, label, path, sheet)
            lv, ll, lu = _measure_columns(header, "LE (Years)", path, sheet)
            body = raw.iloc[h + 1 :]
            code_pat = r"E02\d{6}" if level == "msoa" else r"E\d{8}"
            body = body[body[0].astype("string").str.strip().str.fullmatch(code_pat, na=False)]
            out = pd.DataFrame(
                {
                    "code": body[0].astype(str).str.strip(),
                    "name": body[1].astype("string").str.strip().astype(str),
                    "sex": sex,
                }
            )
            for col, pos in (
                (m, iv),
                (f"{m}_lower_95", il),
                (f"{m}_upper_95", iu),
                ("le", lv),
                ("le_lower_95", ll),
                ("le_upper_95", lu),
            ):
                out[col], _ = to_number(body[pos], path, f"{sheet}: {header[pos]}", area=out["code"])
            (msoa_parts if level == "msoa" else area_parts).append(out)
        # England row of the Region sheet, in the section for this sex.
        raw = _read_excel(path, "Region")
        labels = raw[0].astype("string").str.strip().fillna("")
        sections = raw.index[labels.isin(["Males", "Females"])]
        start = next((i for i in sections if labels[i] == f"{sex}s"), None)
        region_header = next((i for i in raw.index if labels[i] in ("Regions", "Sex")), None)
        if start is None or region_header is None:
            raise DataValidationError(path, f"sheet 'Region': no '{sex}s' section or header row", column="Regions")
        later = [i for i in sections if i > start]
        rows = raw.loc[start : (later[0] if later else raw.index[-1])]
        eng = rows[rows[0].astype("string").str.strip() == "England"]
        if len(eng) != 1:
            raise DataValidationError(
                path, f"sheet 'Region': expected one England row for {sex.lower()}s, found {len(eng)}", column="Regions"
            )
        header = list(raw.iloc[region_header])
        iv, il, iu = _measure_columns(header, label, path, "Region")
        lv, ll, lu = _measure_columns(header, "LE (Years)", path, "Region")
        row = eng.iloc[0]
        area_parts.append(
            pd.DataFrame(
                [
                    {
                        "code": load_places().england_code,
                        "name": "England",
                        "sex": sex,
                        m: float(row[iv]),
                        f"{m}_lower_95": float(row[il]),
                        f"{m}_upper_95": float(row[iu]),
                        "le": float(row[lv]),
                        "le_lower_95": float(row[ll]),
                        "le_upper_95": float(row[lu]),
                    }
                ]
            )
        )
    msoa: pd.DataFrame = pd.concat(msoa_parts, ignore_index=True)
    areas = pd.concat(area_parts, ignore_index=True)
    for df, _what in ((msoa, "MSOA"), (areas, "area")):
        validate(df, checks_only([unique_rows(["code", "sex"])]), path)
    return msoa, areas


def read_gp_practice(path) -> pd.DataFrame:
    """Fingertips 650 practice life expectancy by sex (HEEC reshape: one row per practice and year)."""
    raw = read_csv(path, dtype=str, keep_default_na=False, encoding="utf-8-sig")
    df = select_columns(
        raw,
        {
            "Practice.Code": "practice_code",
            "Year": "year",
            "IMD_quintile": "imd_quintile",
            "ICB.NAME": "icb_name",
            "Life_Expectancy_Female": "Female",
            "Life_Expectancy_Male": "Male",
        },
        path,
    )
    publisher = {"year": "Year", "imd_quintile": "IMD_quintile"} | {
        s: f"Life_Expectancy_{s}" for s in ("Female", "Male")
    }
    for c in ("year", "imd_quintile", "Female", "Male"):
        df[c], _ = to_number(df[c], path, publisher[c], area=df["practice_code"])
    # Checked before the reshape, so the message names the file's own line and the publisher's column.
    for sex in ("Male", "Female"):
        bad = df[sex].notna() & ~df[sex].between(55, 100)
        if bad.any():
            raise DataValidationError(
                path,
                f"{int(bad.sum())} practice life expectancies outside 55-100 years",
                column=publisher[sex],
                **first_bad(df, bad, "practice_code"),
            )
    long = df.melt(
        id_vars=["practice_code", "year", "imd_quintile", "icb_name"],
        value_vars=["Male", "Female"],
        var_name="sex",
        value_name="value",
    )
    long["year"] = long["year"].astype("Int64")
    long["imd_quintile"] = long["imd_quintile"].astype("Int64")
    long["series"], long["source_id"] = "fingertips_650", "le_gp_practice_heec"
    return long


GP_COLUMNS = ["practice_code", "year", "imd_quintile", "icb_name", "sex", "value", "series", "source_id"]


def read_gp_practice_if_present(path) -> pd.DataFrame:
    """:func:`read_gp_practice`, or an empty table when the raw file is another dataset's.

    The registry gives ``le_gp_practice_heec`` and ``le_lad_fingertips_2015_2025`` the same raw
    file name (data/raw/life_expectancy/life_expectancy.csv), so whichever is fetched last
    overwrites the other. Until the registry gives them different file names, the practice
    table is empty when the file holds the Fingertips 90366 extract (the page says so); any
    other unexpected layout is an error as usual.
    """
    header = [
        str(c).replace("\ufeff", "").strip()
        for c in pd.read_csv(path, nrows=0, dtype=str, encoding="utf-8-sig").columns
    ]
    if "Practice.Code" not in header and {"area_code", "inequality", "compared_to_England"} <= set(header):
        return pd.DataFrame({c: pd.Series(dtype="float64" if c == "value" else "object") for c in GP_COLUMNS})
    return read_gp_practice(path)[GP_COLUMNS]


def msoa_2009_13(f_hle, f_dfle, msoas: pd.DataFrame) -> tuple[pd.DataFrame, pd.DataFrame, list[dict]]:
    """ONS's 2009-13 MSOA (2011) LE, HLE and DFLE for the ICS's ``msoas`` (msoa11_code, msoa11_name, lad_code,
    ...), and the upper-tier and England rows (area_code, area_name) of the same workbooks, with the known gaps
    of MSOAs given for one sex only (:func:`one_sex_msoa_gaps`). The two workbooks must share LE; every MSOA of
    the ICS must have a row."""
    m_hle, a_hle = read_msoa_workbook(f_hle, "HLE")
    m_dfle, a_dfle = read_msoa_workbook(f_dfle, "DFLE")
    for x, y, what in ((m_hle, m_dfle, "MSOA"), (a_hle, a_dfle, "area")):
        both = x.merge(y[["code", "sex", "le"]], on=["code", "sex"], suffixes=("", "_dfle_table"))
        differ = (both["le"] - both["le_dfle_table"]).abs() > 1e-6
        if differ.any():
            raise DataValidationError(
                f_dfle,
                f"{int(differ.sum())} {what} life expectancies differ from the HLE "
                "table (the two tables should share LE)",
                column="LE (Years)",
                example=example_row(both, differ),
            )
    msoa = (
        m_hle.drop(columns="name")
        .merge(m_dfle[["code", "sex", "dfle", "dfle_lower_95", "dfle_upper_95"]], on=["code", "sex"], how="outer")
        .rename(columns={"code": "msoa11_code"})
    )
    llr = msoas.merge(msoa, on="msoa11_code", how="left")
    missing = llr["le"].isna() & llr["sex"].isna()
    if missing.any():
        raise DataValidationError(
            f_hle,
            f"{int(missing.sum())} MSOAs (2011) of the ICS are missing from the MSOA sheets",
            column="MSOA Codes",
            example=llr.loc[missing, "msoa11_code"].iloc[0],
        )
    areas = a_hle.merge(
        a_dfle[["code", "sex", "dfle", "dfle_lower_95", "dfle_upper_95"]], on=["code", "sex"], how="left"
    ).rename(columns={"code": "area_code", "name": "area_name"})
    areas = areas[areas["area_code"].str.startswith("E")].reset_index(drop=True)
    return llr, areas, one_sex_msoa_gaps(llr, f_hle)


def one_sex_msoa_gaps(llr: pd.DataFrame, file) -> list[dict]:
    """MSOAs (2011) of the ICS that ONS's 2009-13 release gives for one sex only (it publishes no figure for
    the other, e.g. too few people of that sex): a known gap each, under the MSOA's district. ``llr``: the
    ICS's MSOAs merged with the release (msoa11_code, msoa11_name, lad_code, sex); an MSOA with neither sex
    was refused before. If fewer than :data:`~llr_analysis.process.checks.NEARLY_ALL` of the MSOAs have both
    sexes, a sheet is truncated: an error."""
    sexes = llr.dropna(subset=["sex"]).groupby("msoa11_code")["sex"].agg(set)
    one = sexes[sexes.map(len) == 1]
    if len(one) > (1 - NEARLY_ALL) * len(sexes):
        raise DataValidationError(
            file,
            f"{len(one)} of the {len(sexes)} MSOAs of the ICS have figures for one sex only (truncated sheet?)",
            column="MSOA Codes",
            example=f"{one.index[0]}: only {next(iter(one.iloc[0])).lower()}s",
        )
    rows = llr.drop_duplicates("msoa11_code").set_index("msoa11_code")
    gaps = []
    for code, have in one.items():
        name = str(rows.at[code, "msoa11_name"])
        (other,) = {"Male", "Female"} - set(have)
        reason = (
            f"ONS's 2009-13 small-area release has no figures for {other.lower()}s in {name} ({code}), only for "
            f"{next(iter(have)).lower()}s"
        )
        gaps.append(gap("life_expectancy/msoa11", str(rows.at[code, "lad_code"]), reason, "le", "ons_msoa_2015"))
    return gaps
