"""Figures a publisher leaves out for a few areas become named known gaps; a file missing more still fails.

Seen when processing every English ICB offline (issue 24): the City of London and the Isles of Scilly are
blank in ONS's local-area life expectancy, some upper-tier authorities have no rows in ONS's healthy life
expectancy file, and ONS's 2009-13 MSOA release gives a few MSOAs for one sex only.
"""

from __future__ import annotations

import pandas as pd
import pandera.pandas as pa
import pytest

from llr_analysis.errors import DataValidationError
from llr_analysis.places import load_places
from llr_analysis.process import checks
from llr_analysis.process.life_expectancy_local import one_sex_msoa_gaps

pytestmark = pytest.mark.usefixtures("default_places")  # the packaged places file (conftest)


def _schema(reason="not published"):
    return pa.DataFrameSchema(checks=checks.complete(("value",), known_gaps=((checks.WHOLLY_BLANK, "s1", reason),)))


def _rows(first_place_values, series="s1"):
    cfg = load_places()
    a, b = [p.code for p in cfg.places.values()][:2]
    values = [*first_place_values, 80.0, 81.0]
    return pd.DataFrame(
        {
            "area_code": [a] * len(first_place_values) + [b, b],
            "series": series,
            "period": [f"p{i}" for i in range(len(first_place_values))] + ["p0", "p1"],
            "value": values,
        }
    ), a


def test_an_area_blank_in_every_row_of_a_series_is_a_recorded_gap():
    df, area = _rows([None, None, None])
    checks.validate(df, _schema(), "le.xlsx")
    gaps = checks.known_gaps("life_expectancy/le_la", df, _schema("ONS does not publish it"))
    assert gaps[["area_code", "series", "rows", "reason"]].to_dict("records") == [
        {"area_code": area, "series": "s1", "rows": 3, "reason": "ONS does not publish it"}
    ]


def test_an_area_blank_in_some_rows_only_still_fails_naming_the_area():
    df, area = _rows([None, 79.0, None])
    with pytest.raises(DataValidationError, match="2 figures missing for areas of the ICS") as e:
        checks.validate(df, _schema(), "le.xlsx")
    assert e.value.area == area


def test_wholly_blank_in_another_series_is_not_covered():
    df, area = _rows([None, None], series="s2")
    with pytest.raises(DataValidationError, match="figures missing") as e:
        checks.validate(df, _schema(), "le.xlsx")
    assert e.value.area == area


ENGLAND_UTLAS = {f"E06{i:06d}" for i in range(1, 41)}  # 40 areas of England of one kind


def test_a_file_lacking_a_few_of_englands_areas_records_each_as_a_gap():
    have = sorted(ENGLAND_UTLAS - {"E06000007", "E06000009"})  # 38 of 40: 95%
    df = pd.DataFrame({"area_code": ["E92000001", *have]})
    gaps: list[dict] = []
    checks.require_areas(
        df, ["E92000001", "E06000007", "E06000008", "E06000009"], "hle.csv", "areacd", "upper-tier authorities",
        gaps=gaps, table="life_expectancy/hle", england=ENGLAND_UTLAS,
    )  # fmt: skip
    assert [g["area_code"] for g in gaps] == ["E06000007", "E06000009"]
    assert (
        gaps[0]["reason"] == "hle.csv has no rows for this area, though it covers 95% of England's areas of this kind"
    )


def test_a_file_lacking_more_of_englands_areas_is_an_error():
    have = sorted(ENGLAND_UTLAS)[:37]  # 92.5%: truncated, or another geography
    df = pd.DataFrame({"area_code": ["E92000001", *have]})
    with pytest.raises(DataValidationError, match="1 upper-tier authorities missing") as e:
        checks.require_areas(
            df, ["E92000001", "E06000040"], "hle.csv", "areacd", "upper-tier authorities",
            gaps=[], table="life_expectancy/hle", england=ENGLAND_UTLAS,
        )  # fmt: skip
    assert e.value.column == "areacd" and e.value.area == "E06000040"


def test_england_missing_is_always_an_error():
    df = pd.DataFrame({"area_code": sorted(ENGLAND_UTLAS)})
    with pytest.raises(DataValidationError, match="E92000001"):
        checks.require_areas(
            df, ["E92000001", "E06000001"], "hle.csv", "areacd", "areas", gaps=[], england=ENGLAND_UTLAS
        )


def _msoas(n, one_sex):
    rows = []
    for i in range(n):
        code = f"E020{i:05d}"
        for sex in ("Male", "Female"):
            if code in one_sex and sex != one_sex[code]:
                continue
            rows.append({"msoa11_code": code, "msoa11_name": f"Town {i:03d}", "lad_code": "E07000129", "sex": sex})
    return pd.DataFrame(rows)


def test_an_msoa_given_for_one_sex_only_is_a_gap_naming_it():
    gaps = one_sex_msoa_gaps(_msoas(40, {"E02000003": "Female"}), "hlereferencetable2.xls")
    assert [(g["area_code"], g["table"]) for g in gaps] == [("E07000129", "life_expectancy/msoa11")]
    assert gaps[0]["reason"] == (
        "ONS's 2009-13 small-area release has no figures for males in Town 003 (E02000003), only for females"
    )


def test_many_msoas_with_one_sex_is_a_truncated_sheet():
    one = {f"E020{i:05d}": "Male" for i in range(3)}  # 3 of 40 > 5%
    with pytest.raises(DataValidationError, match="3 of the 40 MSOAs of the ICS have figures for one sex only"):
        one_sex_msoa_gaps(_msoas(40, one), "hlereferencetable2.xls")
