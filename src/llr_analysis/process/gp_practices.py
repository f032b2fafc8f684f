"""GP practices, their primary care networks and their place: readers of the NHS Digital practice file (epraccur), the ePCN workbook and the practice-PCN mappings, and the rule that assigns a practice to a place of the ICS (the places file's ``practices:``)."""

from __future__ import annotations

import math
import re

import pandas as pd
import pandera.pandas as pa

from llr_analysis.errors import DataValidationError
from llr_analysis.places import load_places, place_id_check
from llr_analysis.process import checks, step
from llr_analysis.process.checks import bounds, checks_only, not_above, unique_rows, validate
from llr_analysis.validate import (
    PRACTICE_CODE,
    code_column,
    example_row,
    read_csv,
    row_line,
    select_columns,
    to_number,
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
        # where most of its registered patients living in the ICS live (NHS England, online only; else missing)
        "resident_place_id": pa.Column(str, place_id_check(), nullable=True),
        "resident_basis": pa.Column(str, nullable=True),
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


def assign_place(
    ccg_code, pcn_code=None, postcode=None, rule: dict | None = None, residence: tuple | None = None
) -> tuple[str | None, str]:
    """The place of a practice and the basis of the decision, by one rule for every ICS.

    ``rule`` is the places file's ``practices:`` (default: the places file in use). A practice belongs to
    the ICS when its CCG / sub-ICB location (``ccg_code``, ODS) is one of ``sub_icbs``. Every choice the
    places file makes comes first:

    1. a sub-ICB location that lies in one place gives that place;
    2. for one that covers more than one place, the practice's PCN, when ``pcns`` names it;
    3. with no PCN, its premises postcode district, when ``postcode_districts`` names it (approximate:
       postcode districts do not follow authority boundaries);
    4. otherwise the place ``rest`` names for the sub-ICB location's other practices;
    5. otherwise the place where most of its registered patients living in the ICS live, when NHS England's
       patients-by-LSOA file was fetched: ``residence`` is ``(place_id, basis)`` from
       :func:`resident_places` (None, or a missing place, when it was not);
    6. otherwise the practice is not placed (``place_id`` None, basis starting "not placed"): pages
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
    place, basis = _listed_place(code, pcn_code, postcode, rule)
    if place is None and residence is not None and not _blank(residence[0]):
        return str(residence[0]), f"CCG {code} covers more than one place and no listing decides; {residence[1]}"
    return place, basis


def _listed_place(code: str | None, pcn_code, postcode, rule: dict) -> tuple[str | None, str]:
    """Steps 2 to 4 and 6 of :func:`assign_place` (what the places file lists) for a sub-ICB location that
    covers more than one place."""
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


# ------------------------------------------------------------------ where a practice's registered patients live

#: NHS England's "Patients Registered at a GP Practice" by LSOA (sources registry id; online only).
PATIENTS_DATASET = "gp_registered_patients_lsoa"
#: The table of :func:`resident_places`.
RESIDENCE_TABLE = "gp_practices/resident_place"
#: NHS England's code for registered patients with no valid LSOA ("NO2011"; left out of every count).
NO_LSOA = r"^NO\d{4}$"
#: An area code of the GSS form (LSOA of England ``E01``, of Wales ``W01``, ...).
GSS_CODE = r"^[A-Z]\d{8}$"
#: Publisher column -> project column of the ``-all`` member of the zip.
PATIENTS_COLUMNS = {
    "PUBLICATION": "publication",
    "EXTRACT_DATE": "extract_date",
    "PRACTICE_CODE": "practice_code",
    "PRACTICE_NAME": "practice_name",
    "LSOA_CODE": "lsoa_code",
    "SEX": "sex",
    "NUMBER_OF_PATIENTS": "patients",
}

RESIDENCE_SCHEMA = pa.DataFrameSchema(
    {
        "practice_code": code_column(PRACTICE_CODE, unique=True),
        "place_id": pa.Column(str, place_id_check()),
        "patients": pa.Column("int64", pa.Check.ge(0)),
        "patients_in_ics": pa.Column("int64", pa.Check.ge(1)),
        "patients_in_place": pa.Column("int64", pa.Check.ge(1)),
        "share": pa.Column(float, pa.Check.in_range(0, 100)),
        "outside_share": pa.Column(float, pa.Check.in_range(0, 100)),
        "lsoa_vintage": pa.Column(str, pa.Check.isin(["LSOA 2011", "LSOA 2021"])),
        "extract": pa.Column(str),
        "place_basis": pa.Column(str),
    },
    strict=True,
    checks=[not_above("patients_in_place", "patients_in_ics"), not_above("patients_in_ics", "patients")],
)
checks.register(RESIDENCE_TABLE, RESIDENCE_SCHEMA)


def _extract_label(text: str) -> str:
    """NHS England's EXTRACT_DATE ("01OCT2021", "2021-10-01", ...) as "October 2021"; the text as given
    when it is in none of these forms."""
    for fmt in ("%d%b%Y", "%Y-%m-%d", "%d/%m/%Y", "%Y%m%d", "%d-%b-%Y", "%d %b %Y"):
        try:
            return pd.to_datetime(text, format=fmt).strftime("%B %Y")
        except (ValueError, TypeError):
            continue
    return text


def read_patients_lsoa(path) -> pd.DataFrame:
    """The ``-all`` member of NHS England's "Patients Registered at a GP Practice" by LSOA zip, by its official
    columns: one row per practice and LSOA of residence (``practice_code``, ``lsoa_code``, ``patients``) with the
    extract's month (``extract``). Rows of patients with no valid LSOA (``NO2011``) are left out. A count that
    is not a whole number, a code that is not an LSOA code, a SEX other than ALL or more than one extract date
    in the file is a :class:`DataValidationError` naming the file, column and line."""
    raw = read_csv(path, dtype=str, keep_default_na=False, encoding="utf-8-sig")
    out = select_columns(raw, PATIENTS_COLUMNS, path)
    for c in out.columns:
        out[c] = out[c].str.strip()
    bad = ~out["sex"].str.upper().eq("ALL")
    if bad.any():
        raise DataValidationError(
            path,
            "SEX is not ALL: expected the all-persons member gp-reg-pat-prac-lsoa-all.csv of the zip",
            column="SEX",
            **_first(out, bad),
        )
    bad = ~out["practice_code"].str.match(PRACTICE_CODE)
    if bad.any():
        raise DataValidationError(path, "not a GP practice code", column="PRACTICE_CODE", **_first(out, bad))
    none = out["lsoa_code"].str.upper().str.match(NO_LSOA)
    bad = ~none & ~out["lsoa_code"].str.match(GSS_CODE)
    if bad.any():
        raise DataValidationError(
            path,
            "not an LSOA code (nor NHS England's NO2011 for no valid LSOA)",
            column="LSOA_CODE",
            **_first(out, bad),
        )
    out["patients"], _ = to_number(
        out["patients"], path, "NUMBER_OF_PATIENTS", allow_suppressed=False, area=out["practice_code"]
    )
    bad = out["patients"].isna() | (out["patients"] < 0) | (out["patients"] % 1 != 0)
    if bad.any():
        raise DataValidationError(
            path, "not a count of patients (a whole number, 0 or more)", column="NUMBER_OF_PATIENTS", **_first(out, bad)
        )
    dates = out["extract_date"].unique()
    if len(dates) != 1:
        raise DataValidationError(
            path,
            f"{len(dates)} extract dates in one file ({', '.join(map(str, dates[:3]))}): expected one extract",
            column="EXTRACT_DATE",
        )
    out = out[~none].copy()
    validate(out, checks_only([unique_rows(["practice_code", "lsoa_code"])]), path)
    out["patients"] = out["patients"].astype("int64")
    out["extract"] = _extract_label(str(dates[0]))
    return out[["practice_code", "lsoa_code", "patients", "extract"]].reset_index(drop=True)


def _first(df: pd.DataFrame, mask: pd.Series) -> dict:
    """``line`` and ``example`` of a DataValidationError for the first row of ``mask``."""
    pos = int(mask.to_numpy(bool).argmax())
    return {"line": row_line(df.index, df.index[pos]), "example": example_row(df, mask)}


def resident_places(
    patients: pd.DataFrame, lsoa11: pd.DataFrame, lsoa21: pd.DataFrame, order: list[str], ics_name: str
) -> pd.DataFrame:
    """Per practice with registered patients living in the ICS, the place where most of them live.

    ``patients``: :func:`read_patients_lsoa`; ``lsoa11`` / ``lsoa21``: the ICS's LSOAs (2011: ``lsoa11_code``,
    2021: ``lsoa21_code``) with ``place_id``. The file's LSOA vintage is the one more of its codes match (LSOA
    2011 in NHS England's releases up to 2023, LSOA 2021 later; 2021 on a tie, when both give the same places).
    Patients in LSOAs outside the ICS count as outside it: the place is the one with the most of the patients
    living in the ICS (``share`` = its % of them); a tie goes to the place listed first in the places file
    (``order``). ``outside_share`` is the % of the practice's patients (with a valid LSOA) living outside the
    ICS. Columns :data:`RESIDENCE_SCHEMA`; no rows when no patient lives in the ICS.
    """
    empty = pd.DataFrame({c: pd.Series(dtype=str) for c in RESIDENCE_SCHEMA.columns}).astype(
        {
            "patients": "int64",
            "patients_in_ics": "int64",
            "patients_in_place": "int64",
            "share": float,
            "outside_share": float,
        }
    )
    if patients.empty:
        return empty
    codes = set(patients["lsoa_code"])
    m11 = lsoa11.set_index("lsoa11_code")["place_id"]
    m21 = lsoa21.set_index("lsoa21_code")["place_id"]
    n11, n21 = len(codes & set(m11.index)), len(codes & set(m21.index))
    vintage, lookup = ("LSOA 2011", m11) if n11 > n21 else ("LSOA 2021", m21)
    p = patients.assign(place_id=patients["lsoa_code"].map(lookup))
    total = p.groupby("practice_code")["patients"].sum()
    inside = p.dropna(subset=["place_id"]).groupby(["practice_code", "place_id"])["patients"].sum().reset_index()
    inside = inside[inside["patients"] > 0]
    if inside.empty:
        return empty
    rank = {pid: i for i, pid in enumerate(order)}
    inside["_order"] = inside["place_id"].map(rank)
    in_ics = inside.groupby("practice_code")["patients"].sum()
    best = inside.sort_values(["practice_code", "patients", "_order"], ascending=[True, False, True]).drop_duplicates(
        "practice_code"
    )
    out = pd.DataFrame(
        {
            "practice_code": best["practice_code"].to_numpy(),
            "place_id": best["place_id"].to_numpy(),
            "patients": best["practice_code"].map(total).astype("int64").to_numpy(),
            "patients_in_ics": best["practice_code"].map(in_ics).astype("int64").to_numpy(),
            "patients_in_place": best["patients"].astype("int64").to_numpy(),
        }
    )
    out["share"] = 100 * out["patients_in_place"] / out["patients_in_ics"]
    out["outside_share"] = 100 * (out["patients"] - out["patients_in_ics"]) / out["patients"]
    out["lsoa_vintage"] = vintage
    out["extract"] = str(patients["extract"].iloc[0])
    out["place_basis"] = [
        f"where most of its registered patients living in {ics_name} live (NHS England, {e}; {s:.0f}% of them)"
        for e, s in zip(out["extract"], out["share"], strict=True)
    ]
    return out[list(RESIDENCE_SCHEMA.columns)].sort_values("practice_code").reset_index(drop=True)


@step(
    "gp_practices",
    inputs=[],
    optional_inputs=[PATIENTS_DATASET],
    outputs=[RESIDENCE_TABLE],
    after=["geography"],
)
def build_resident_places(paths) -> dict[str, pd.DataFrame]:
    """:func:`resident_places` from NHS England's patients-by-LSOA file when it was fetched (online only);
    no rows when it was not, which is not an error (the rule then stops before this step)."""
    from llr_analysis.fetch.sources import get_dataset
    from llr_analysis.process import read_table

    cfg = load_places()
    f = get_dataset(PATIENTS_DATASET).raw_path(paths)
    pats = (
        read_patients_lsoa(f)
        if f.exists()
        else pd.DataFrame(columns=["practice_code", "lsoa_code", "patients", "extract"])
    )
    geo11 = read_table("geography/lsoa11", paths)
    geo21 = read_table("geography/lsoa21", paths)
    table = resident_places(pats, geo11, geo21, list(cfg.places), cfg.ics_short_name)
    return {RESIDENCE_TABLE: validate(table, RESIDENCE_SCHEMA, f)}


def residences(practices: pd.DataFrame) -> list[tuple | None]:
    """``residence`` of :func:`assign_place` for each row of a practice table (``resident_place_id`` and
    ``resident_basis``, from :data:`RESIDENCE_TABLE`); None for every row of a table without them."""
    if "resident_place_id" not in practices:
        return [None] * len(practices)
    return [
        None if _blank(pl) else (pl, b)
        for pl, b in zip(practices["resident_place_id"], practices["resident_basis"], strict=True)
    ]
