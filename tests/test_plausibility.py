"""Plausibility and completeness rules, as pandera checks in each table's schema (llr_analysis.process.checks):
bounds and consistency before anything is published."""

from __future__ import annotations

import pandas as pd
import pytest

from llr_analysis.errors import DataValidationError
from llr_analysis.process import checks, ordered_steps
from llr_analysis.process.checks import SCHEMAS, checks_only, known_gaps
from test_bad_input import ft_row, read_ft, write_ft

ordered_steps()  # every topic module registers its tables' schemas


def check(table, df, file):
    """The plausibility and completeness checks of ``table``'s registered schema, on a few of its columns."""
    rules = [c for c in SCHEMAS[table].checks if (c.statistics or {}).get("llr")]
    checks.validate(df, checks_only(rules), file)


def test_fingertips_screening_value_of_176_9_percent_fails_naming_file_column_line_area(tmp_path):
    f = write_ft(
        tmp_path, ft_row(), ft_row("E06000017", value="176.9", count="", denominator="", lo="", hi="", name="Rutland")
    )
    with pytest.raises(DataValidationError) as e:
        read_ft(tmp_path)
    err = e.value
    assert (err.file, err.column, err.line, err.area) == (str(f), "Value", 4, "E06000017")  # Fingertips' name
    assert str(err).startswith(
        "all_data_i22001_c502_p15.csv: column 'Value': line 4: area E06000017: 1 implausible "
        "values: 176.9 is outside 0..100 for a percentage (screening coverage)"
    )


def test_value_outside_its_own_interval(tmp_path):
    write_ft(tmp_path, ft_row(), ft_row("E06000017", value="60.97561", lo="62.0", hi="63.0", name="Rutland"))
    with pytest.raises(
        DataValidationError,
        match=r"line 4: area E06000017: 1 implausible values: 60.97561 is not "
        r"inside its own confidence interval 'Lower CI 95.0 limit'..'Upper CI 95.0 limit'",
    ):
        read_ft(tmp_path)


def test_value_must_match_count_over_denominator(tmp_path):
    # 25000/41000 = 60.98%, published as 66.0
    write_ft(tmp_path, ft_row(), ft_row("E06000017", value="66.0", lo="65", hi="67", name="Rutland"))
    with pytest.raises(
        DataValidationError,
        match=r"line 4: area E06000017: .*66.0 is not "
        r"'Count'/'Denominator' x100",
    ):
        read_ft(tmp_path)
    # publisher rounding (one decimal) is accepted
    write_ft(tmp_path, ft_row(), ft_row("E06000017", value="61.0", lo="60.5", hi="61.4", name="Rutland"))
    assert read_ft(tmp_path).set_index("area_code").loc["E06000017", "value"] == 61.0


def test_processed_table_gate_uses_the_row_source(tmp_path):
    """Rules on a processed table name the raw file of the row (its source_id) and the area."""
    df = pd.DataFrame(
        {
            "area_code": ["E06000016", "E06000017"],
            "age": ["birth", "65"],
            "value": [79.1, 45.0],
            "lower_95": [None, None],
            "upper_95": [None, None],
            "source_id": ["le_ons_la_2001_2018", "le_ons_la_2001_2018"],
        }
    )
    with pytest.raises(DataValidationError) as e:
        check("life_expectancy/le_la", df, "step")
    assert e.value.area == "E06000017" and e.value.column == "value"
    assert e.value.file == "data/raw/life_expectancy/" + e.value.file.rsplit("/", 1)[-1]
    assert "45.0 is outside 5..40 for life expectancy at 65 (years)" in str(e.value)
    df.loc[1, "value"] = 18.2
    check("life_expectancy/le_la", df, "step")  # plausible: no error


@pytest.mark.parametrize(
    "table, row, message",
    [
        (
            "deprivation/iod_lsoa",
            {"edition": "IoD2025", "index_id": "imd", "score": 30.0, "rank": 33756, "decile": 10},
            "33756 is outside 1..33755 for an IoD2025 rank",
        ),
        (
            "deprivation/iod_lsoa",
            {"edition": "IoD2019", "index_id": "imd", "score": 30.0, "rank": 33000, "decile": 10},
            "33000 is outside 1..32844 for an IoD2019 rank",
        ),
        (
            "deprivation/iod_lsoa",
            {"edition": "IoD2025", "index_id": "imd", "score": 30.0, "rank": 5, "decile": 11},
            "11 is outside 1..10 for a decile",
        ),
        (
            "deprivation/iod_lsoa",
            {"edition": "IoD2025", "index_id": "income", "score": 1.2, "rank": 5, "decile": 1},
            "1.2 is outside 0..1 for a rate",
        ),
        ("life_expectancy/hle", {"value": 101.0, "lower_95": None, "upper_95": None}, "outside 30..100"),
        ("life_expectancy/le_la", {"age": "birth", "value": 38.0}, "outside 40..100 for life expectancy at birth"),
        ("life_expectancy/msoa11", {"le": 80.0, "hle": 81.0}, "81.0 is greater than le"),
        ("cancer_screening/health_index", {"value": 100.5, "rank": 1, "areas": 149}, "outside 0..100"),
        ("cancer_screening/practices", {"imd_decile": 0}, "outside 1..10 for an IMD decile"),
    ],
)
def test_rules_by_table(table, row, message):
    df = pd.DataFrame([{"area_code": "E06000016", **row}])
    with pytest.raises(DataValidationError, match=message):
        check(table, df, "f.csv")


def test_missing_values_are_not_implausible():
    df = pd.DataFrame(
        {
            "area_code": ["E06000016"],
            "value": [None],
            "count": [None],
            "denominator": [None],
            "lower_95": [None],
            "upper_95": [None],
        }
    )
    check("cancer_screening/area_coverage", df, "f.csv")


def test_completeness_missing_figure_for_an_llr_area_fails_unless_known():
    df = pd.DataFrame(
        {
            "area_code": ["E06000016", "E06000017", "E92000001"],
            "series": "fingertips_92901",
            "period": "2021-23",
            "sex": "Male",
            "value": [9.1, None, 9.5],
            "source_id": "sii_lad_fingertips_2015_2024",
        }
    )
    check("life_expectancy/sii", df, "step")  # blank in the extract: allowed,
    gaps = known_gaps("life_expectancy/sii", df)  # and recorded, by area
    assert gaps[["area_code", "rows"]].values.tolist() == [["E06000017", 1]]
    assert "publishes no slope index" in gaps["reason"].iloc[0]
    df.loc[0, "value"] = None  # Leicester blank in a series with no recorded gap: not known
    df.loc[0, "series"] = "ons_other"
    with pytest.raises(DataValidationError) as e:
        check("life_expectancy/sii", df, "step")
    assert e.value.area == "E06000016" and e.value.column == "value"
    assert e.value.file.endswith(".csv") and "1 figures missing for areas of the ICS" in str(e.value)


def test_every_processed_table_with_rules_has_a_registered_schema():
    """Each table that had plausibility or completeness rules keeps them, as checks of its schema."""
    expected = {
        "cancer_screening/area_coverage": 11,
        "cancer_screening/practice_coverage": 3,
        "cancer_screening/practices": 4,
        "cancer_screening/health_index": 4,
        "deprivation/iod_lsoa": 5,
        "deprivation/iod_population": 7,
        "deprivation/la_summaries": 9,
        "life_expectancy/le_la": 6,
        "life_expectancy/hle": 3,
        "life_expectancy/sii": 2,
        "life_expectancy/msoa11": 8,
        "life_expectancy/areas_2009_13": 11,
        "life_expectancy/gp_practice": 2,
        "population/lsoa11_age": 2,
        "population/lsoa21_age": 2,
        "population/england_age": 2,
        "population/lad_totals": 4,
        "population/lsoa11_lsoa21_weights": 1,
    }
    found = {t: sum(bool((c.statistics or {}).get("llr")) for c in SCHEMAS[t].checks) for t in expected}
    assert found == expected


def test_expected_count_names_the_file_and_both_numbers():
    df = pd.DataFrame({"lsoa21_code": ["E01000001", "E01000002", "E01000003"], "lad_code": "E06000016"})
    schema = checks_only(
        [
            checks.expected_count(3, "LSOAs (2021)"),
            checks.expected_count(2, "districts", of=lambda d: d["lad_code"].nunique(), where="in the ICS"),
        ]
    )
    with pytest.raises(DataValidationError, match=r"^lookup.csv: expected 2 districts in the ICS, found 1$"):
        checks.validate(df, schema, "lookup.csv")
    checks.validate(df, checks_only([checks.expected_count(None, "wards")]), "lookup.csv")  # not given: not checked


def test_gate_checks_every_returned_table_by_its_registered_schema():
    df = pd.DataFrame(
        {
            "area_code": ["E06000016", "E92000001"],
            "persons": [372495, None],
            "female": [None, None],
            "male": [None, None],
            "source_id": "census2021_ts009_lad_totals",
        }
    )
    with pytest.raises(DataValidationError) as e:  # England's total blank: a headline would be blank
        checks.check_tables({"population/lad_totals": df, "other/table": df}, "step 'population'")
    assert (e.value.column, e.value.area) == ("persons", "E92000001")
    assert e.value.file.startswith("data/raw/") and "1 figures missing for areas of the ICS" in str(e.value)
    df.loc[1, "persons"] = 56490048
    df.loc[0, "female"] = 372496
    with pytest.raises(
        DataValidationError, match=r"area E06000016: 1 implausible values: 372496 is greater than persons"
    ):
        checks.check_tables({"population/lad_totals": df}, "step 'population'")
    df.loc[0, "female"] = 186000
    assert checks.check_tables({"population/lad_totals": df}, "step 'population'").empty  # no known gaps
