"""GP practices, their primary care networks and their place: readers of the NHS Digital practice file (epraccur), the ePCN workbook and the practice-PCN mappings, and the rule that assigns a practice to a place of the ICS (the places file's ``practices:``)."""

from __future__ import annotations

import math
import re

import pandas as pd
import pandera.pandas as pa

from llr_analysis.errors import DataValidationError
from llr_analysis.places import load_places
from llr_analysis.process.checks import bounds, checks_only, unique_rows, validate
from llr_analysis.validate import (
    PRACTICE_CODE,
    code_column,
    example_row,
    read_csv,
    select_columns,
)

#: ODS epraccur columns (the file has no header row), from the ODS "GP practices" file
#: specification: 27 fields.
EPRACCUR_COLUMNS = [
    "Organisation Code",
    "Name",
    "National Grouping",
    "High Level Health Geography",
    "Address Line 1",
    "Address Line 2",
    "Address Line 3",
    "Address Line 4",
    "Address Line 5",
    "Postcode",
    "Open Date",
    "Close Date",
    "Status Code",
    "Organisation Sub-Type Code",
    "Commissioner",
    "Join Provider/Purchaser Date",
    "Left Provider/Purchaser Date",
    "Contact Telephone Number",
    "Null 1",
    "Null 2",
    "Null 3",
    "Amended Record Indicator",
    "Null 4",
    "Provider/Purchaser",
    "Null 5",
    "Prescribing Setting",
    "Null 6",
]


STATUS = {"A": "active", "C": "closed", "D": "dormant", "P": "proposed"}


PCN_CODE = r"^U\d{5}$"


PRACTICES_SCHEMA = pa.DataFrameSchema(
    {
        "practice_code": code_column(PRACTICE_CODE, unique=True),
        "practice_name": pa.Column(str, nullable=True),
        "postcode": pa.Column(str, nullable=True),
        "status": pa.Column(str, nullable=True),
        "open_date": pa.Column(str, nullable=True),
        "close_date": pa.Column(str, nullable=True),
        "current_ccg_code": pa.Column(str, nullable=True),
        "prescribing_setting": pa.Column(str, nullable=True),
        "pcn_code": pa.Column(str, pa.Check.str_matches(PCN_CODE), nullable=True),
        "pcn_name": pa.Column(str, nullable=True),
        "pcn_basis": pa.Column(str),
        "imd_score": pa.Column(float, nullable=True),
        "imd_decile": pa.Column(float, pa.Check.in_range(1, 10), nullable=True),
        "pcn_imd_score": pa.Column(float, nullable=True),
        "pcn_imd_decile": pa.Column(float, pa.Check.in_range(1, 10), nullable=True),
    },
    strict=True,
    checks=[
        bounds("imd_score", 0, 100, "an IMD score"),
        bounds("imd_decile", 1, 10, "an IMD decile"),
        bounds("pcn_imd_score", 0, 100, "an IMD score"),
        bounds("pcn_imd_decile", 1, 10, "an IMD decile"),
    ],
)


#: One row per practice in a practice file.
UNIQUE_PRACTICE = checks_only([unique_rows(["practice_code"])])


def postcode_district(postcode) -> str | None:
    """'AB12 3CD' -> 'AB12' (the outward code); None when missing."""
    if postcode is None or (isinstance(postcode, float) and math.isnan(postcode)) or postcode is pd.NA:
        return None
    text = str(postcode).strip().upper()
    if not text:
        return None
    return text.split()[0] if " " in text else text[:-3]


def practice_rule() -> dict:
    """The practice -> place rule of the ICS in use (the places file's ``practices:``)."""
    return load_places().practices


def _blank(v) -> bool:
    return v is None or v is pd.NA or (isinstance(v, float) and math.isnan(v)) or not str(v).strip()


#: ``place_basis`` of a practice that is not one of the ICS's
NOT_IN_ICS = "not in this ICS"
#: ``place_basis`` prefix of a practice of the ICS that the rule cannot place
NOT_PLACED = "not placed"


def assign_place(ccg_code, pcn_code=None, postcode=None, rule: dict | None = None) -> tuple[str | None, str]:
    """The place of a practice and the basis of the decision, by one rule for every ICS.

    ``rule`` is the places file's ``practices:`` (default: the places file in use). A practice belongs to
    the ICS when its CCG / sub-ICB location (``ccg_code``, ODS) is one of ``sub_icbs``:

    1. a sub-ICB location that lies in one place gives that place;
    2. for one that covers more than one place, the practice's PCN, when ``pcns`` names it;
    3. with no PCN, its premises postcode district, when ``postcode_districts`` names it (approximate:
       postcode districts do not follow authority boundaries);
    4. otherwise the place ``rest`` names for the sub-ICB location's other practices;
    5. otherwise the practice is not placed (``place_id`` None, basis starting "not placed"): pages
       list such practices.

    Returns ``(None, NOT_IN_ICS)`` for a practice of another ICS.
    """
    rule = rule if rule is not None else practice_rule()
    code = None if _blank(ccg_code) else str(ccg_code).strip()
    subs = rule.get("sub_icbs", {})
    if code not in subs:
        return None, NOT_IN_ICS
    if subs[code] is not None:
        return subs[code], f"CCG {code}"
    pcns = rule.get("pcns", {})
    rest = rule.get("rest", {}).get(code)
    if not _blank(pcn_code):
        pcn = str(pcn_code).strip()
        if pcn in pcns:
            return pcns[pcn], f"CCG {code} covers more than one place; PCN {pcn} is listed for it"
        if rest:
            return rest, f"CCG {code} covers more than one place; PCN {pcn} is not listed, so the rest of the CCG"
        return None, f"{NOT_PLACED}: CCG {code} covers more than one place and PCN {pcn} is not listed"
    district = postcode_district(postcode)
    listed = rule.get("postcode_districts", {})
    if district in listed:
        return listed[district], f"CCG {code}, no PCN; premises postcode district {district} (approximate)"
    if rest:
        return rest, (
            f"CCG {code}, no PCN; premises postcode district {district} is not listed (approximate)"
            if district
            else f"CCG {code}, no PCN or postcode (approximate)"
        )
    return None, f"{NOT_PLACED}: CCG {code} covers more than one place and the practice has no PCN"


def sub_icb_places(code: str, rule: dict | None = None) -> list[str]:
    """The places a CCG / sub-ICB location of the ICS serves: its place, or for one that covers more than
    one place the places its practices can be given (``pcns``, ``postcode_districts``, ``rest``), else every place."""
    rule = rule if rule is not None else practice_rule()
    place = rule.get("sub_icbs", {}).get(code)
    if place is not None:
        return [place]
    named = {*rule.get("pcns", {}).values(), *rule.get("postcode_districts", {}).values()}
    if rule.get("rest", {}).get(code):
        named.add(rule["rest"][code])
    order = list(load_places().places)
    return [p for p in order if p in named] or order


def ccg_code_from_name(name) -> str | None:
    """ODS code of a CCG of the ICS from its name as written in a source (None for other CCGs)."""
    names = practice_rule().get("names", {})
    key = None if name is None or name is pd.NA else str(name).strip()
    return names.get(key)


def _date(s: pd.Series) -> pd.Series:
    """'20200630' -> '2020-06-30'; blanks stay missing."""
    t = s.astype("string").str.strip()
    ok = t.str.fullmatch(r"\d{8}").fillna(False)
    return (t.str[:4] + "-" + t.str[4:6] + "-" + t.str[6:8]).where(ok, pd.NA)


def _clean_headers(df: pd.DataFrame) -> pd.DataFrame:
    df.columns = [re.sub(r"\s+", " ", str(c)).strip() for c in df.columns]
    return df


def read_epraccur(path) -> pd.DataFrame:
    """ODS epraccur (no header row) by the ODS column specification."""
    raw = read_csv(path, header=None, dtype=str, keep_default_na=False, encoding="utf-8-sig")
    if raw.shape[1] != len(EPRACCUR_COLUMNS):
        raise DataValidationError(
            path,
            f"expected the {len(EPRACCUR_COLUMNS)} epraccur columns of the ODS "
            f"specification (no header row), found {raw.shape[1]}",
        )
    raw.columns = EPRACCUR_COLUMNS
    out = select_columns(
        raw,
        {
            "Organisation Code": "practice_code",
            "Name": "practice_name",
            "Postcode": "postcode",
            "Open Date": "open_date",
            "Close Date": "close_date",
            "Status Code": "status",
            "Commissioner": "current_ccg_code",
            "Prescribing Setting": "prescribing_setting",
        },
        path,
    )
    for c in out.columns:
        out[c] = out[c].str.strip()
    bad = ~out["practice_code"].str.match(r"^[A-Z0-9]{3,8}$")
    if bad.any() or out["practice_code"].eq("Organisation Code").any():
        raise DataValidationError(
            path,
            "Organisation Code values are not ODS codes (is there a header row?)",
            column="Organisation Code",
            example=example_row(out, bad | out["practice_code"].eq("Organisation Code")),
        )
    validate(out, UNIQUE_PRACTICE, path)
    out["open_date"], out["close_date"] = _date(out["open_date"]), _date(out["close_date"])
    unknown = ~out["status"].isin(list(STATUS))
    if unknown.any():
        raise DataValidationError(path, "unknown Status Code", column="Status Code", example=example_row(out, unknown))
    out["status"] = out["status"].map(STATUS)
    return out.replace({"": pd.NA})


def read_epcn(path) -> pd.DataFrame:
    """ODS ePCN 'PCN Core Partner Details': practice -> PCN relationships with dates."""
    raw = _clean_headers(pd.read_excel(path, sheet_name="PCN Core Partner Details", dtype=str))
    out = select_columns(
        raw,
        {
            "Partner Organisation Code": "practice_code",
            "PCN Code": "pcn_code",
            "PCN Name": "pcn_name",
            "Practice to PCN Relationship Start Date": "start_date",
            "Practice to PCN Relationship End Date": "end_date",
        },
        path,
    )
    for c in out.columns:
        out[c] = out[c].astype("string").str.strip()
    bad = ~out["pcn_code"].str.match(PCN_CODE).fillna(False)
    if bad.any():
        raise DataValidationError(
            path, "PCN Code is not a PCN code (U + 5 digits)", column="PCN Code", example=example_row(out, bad)
        )
    out["start_date"], out["end_date"] = _date(out["start_date"]), _date(out["end_date"])
    check_one_current_pcn(out, path)
    return out


def check_one_current_pcn(epcn: pd.DataFrame, path) -> None:
    """A practice belongs to one PCN at a time: two current relationships (no end date) to different
    PCNs is an error naming the file, its lines (spreadsheet rows: the header is line 1) and the
    practice. The same relationship listed twice is harmless and allowed. Ended relationships are
    history (a practice that moved keeps them) and are not checked here."""
    current = epcn[epcn["end_date"].isna()]
    n = current.groupby("practice_code")["pcn_code"].nunique()
    bad = n[n > 1]
    if bad.empty:
        return
    code = str(bad.index[0])
    rows = current[current["practice_code"] == code]
    lines = [int(i) + 2 for i in rows.index]
    listed = ", ".join(
        f"{c} {nm} (line {ln})" for c, nm, ln in zip(rows["pcn_code"], rows["pcn_name"], lines, strict=True)
    )
    more = f"; {len(bad) - 1} more practice(s) likewise: {', '.join(map(str, bad.index[1:6]))}" if len(bad) > 1 else ""
    raise DataValidationError(
        path,
        f"practice {code} is listed under {int(bad.iloc[0])} PCNs at once, with no end date: {listed}. A practice "
        "belongs to one PCN; correct the file (give the old relationship its end date)" + more,
        column="Partner Organisation Code",
        line=lines[1],
        area=code,
    )


def read_gp_mapping_2022(path) -> pd.DataFrame:
    raw = read_csv(path, dtype=str, keep_default_na=False, encoding="utf-8-sig")
    out = select_columns(
        raw,
        {
            "PRACTICE_CODE": "practice_code",
            "PRACTICE_NAME": "practice_name",
            "PRACTICE_POSTCODE": "postcode",
            "PCN_CODE": "pcn_code",
            "PCN_NAME": "pcn_name",
            "CCG_CODE": "ccg_code",
        },
        path,
    )
    for c in out.columns:
        out[c] = out[c].str.strip()
    validate(out, UNIQUE_PRACTICE, path)
    return out


def read_qof_mapping(path) -> pd.DataFrame:
    raw = read_csv(path, dtype=str, keep_default_na=False, encoding="utf-8-sig")
    out = select_columns(
        raw,
        {
            "PRACTICE_CODE": "practice_code",
            "PRACTICE_NAME": "practice_name",
            "PCN_ODS_CODE": "pcn_code",
            "PCN_NAME": "pcn_name",
            "CCG_ODS_CODE": "ccg_code",
        },
        path,
    )
    for c in out.columns:
        out[c] = out[c].str.strip()
    validate(out, UNIQUE_PRACTICE, path)
    return out
