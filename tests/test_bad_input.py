"""The bad-input catalogue: each case gives a clear error naming file/column/row and publishes nothing.

Fetch-level cases (empty file, HTML page, truncated workbook, checksum drift) are in test_sources.py;
loader cases on the IoD File 7 layout (missing/renamed column, malformed code) in test_process.py.
"""

from __future__ import annotations

import re
import shutil

import nbformat
import pandas as pd
import pandera.pandas as pa
import pytest

from llr_analysis import validate as v
from llr_analysis.errors import BuildError, DataValidationError, ParameterError
from llr_analysis.process import checks


def test_duplicate_area_rows(tmp_path):
    df = pd.DataFrame({"area_code": ["E06000016", "E06000017", "E06000016"], "count": [1, 2, 3]})
    with pytest.raises(DataValidationError) as e:
        checks.validate(df, checks.checks_only([checks.unique_rows(["area_code"])]), tmp_path / "coverage.csv")
    assert "coverage.csv" in str(e.value) and "duplicate" in str(e.value) and "E06000016" in str(e.value)


def test_numerator_greater_than_denominator(tmp_path):
    df = pd.DataFrame({"practice": ["C82001", "C82002"], "screened": [50, 120], "eligible": [100, 100]})
    with pytest.raises(
        DataValidationError,
        match=r"coverage.csv: column 'screened': area C82002: 1 rows have screened greater "
        r"than eligible; e.g. data row 2: .*C82002",
    ):
        checks.validate(df, checks.checks_only([checks.not_greater("screened", "eligible")]), tmp_path / "coverage.csv")


def test_negative_count(tmp_path):
    df = pd.DataFrame({"area_code": ["E06000016", "E06000017"], "deaths": [12, -3]})
    with pytest.raises(
        DataValidationError,
        match=r"deaths.csv: column 'deaths': area E06000017: 1 implausible values: -3 is outside 0..inf for a count",
    ):
        checks.validate(df, checks.checks_only([checks.bounds("deaths", 0, None, "a count")]), tmp_path / "deaths.csv")


@pytest.mark.parametrize("marker", ["<6", "*", "<under 6>", "..", "c", "x", ":"])
def test_suppressed_text_is_missing_and_counted_never_zero(marker):
    s = pd.Series(["12", marker, "1204", None])
    values, n_suppressed = v.to_number(s, "coverage.csv", "screened")
    assert n_suppressed == 1
    assert pd.isna(values[1]) and values[1] != 0
    assert values[0] == 12 and values[2] == 1204 and pd.isna(values[3])


def test_other_text_in_a_numeric_column_is_an_error():
    with pytest.raises(
        DataValidationError,
        match=r"column 'screened': 1 values are not numbers in the publisher's "
        r"format; e.g. value 'twelve' is text",
    ):
        v.to_number(pd.Series(["12", "twelve"]), "coverage.csv", "screened")


FT_HEADER = (
    "Indicator ID,Indicator Name,Parent Code,Parent Name,Area Code,Area Name,Area Type,Sex,Age,"
    "Category Type,Category,Time period,Value,Lower CI 95.0 limit,Upper CI 95.0 limit,"
    "Lower CI 99.8 limit,Upper CI 99.8 limit,Count,Denominator,Value note,Recent Trend,"
    "Compared to England value or percentiles,Compared to percentiles,Time period Sortable,"
    "New data,Compared to goal,Time period range\n"
)


def ft_row(
    code="E06000016", value="60.97561", count="25000", denominator="41000", lo="60.5", hi="61.4", name="Leicester"
):
    return (
        f"22001,Cancer screening coverage: breast cancer,E12000004,East Midlands region,{code},{name},"
        f"UAs (from Apr 2021),Female,53-70 yrs,,,2024,{value},{lo},{hi},,,{count},{denominator},,,,,"
        "20240000,,,1y\n"
    )


def write_ft(folder, *rows):
    f = folder / "all_data_i22001_c502_p15.csv"
    f.write_text(FT_HEADER + ft_row("E92000001", "70.0", "7000", "10000", "69.9", "70.1", "England") + "".join(rows))
    return f


def read_ft(folder):
    from llr_analysis import settings
    from llr_analysis.process import fingertips

    return fingertips.read_fetched(folder, settings.cancer_screening())


@pytest.mark.parametrize(
    "cell, why",
    [
        ("1,204", "has a thousands separator"),
        ("61.0%", "carries a unit (%)"),
        ("61.0 approx", "is text, not a number"),
        ("1.2.3", "has more than one decimal point"),
        ("nan", "is not a value"),
    ],
)
def test_out_of_format_number_names_file_column_line_and_area(tmp_path, cell, why):
    """A Fingertips value in another format: file, column, the file's own line (header = line 1) and area."""
    f = write_ft(tmp_path, ft_row(), ft_row("E06000017", value=f'"{cell}"' if "," in cell else cell, name="Rutland"))
    with pytest.raises(DataValidationError) as e:
        read_ft(tmp_path)
    err = e.value
    assert (err.file, err.column, err.line, err.area) == (str(f), "Value", 4, "E06000017")
    assert str(err).startswith(
        "all_data_i22001_c502_p15.csv: column 'Value': line 4: area E06000017: "
        "1 values are not numbers in the publisher's format"
    )
    assert repr(cell) in str(err) and why in str(err)


def test_thousands_separators_only_where_the_publisher_uses_them():
    values, _ = v.to_number(pd.Series(["29,199", "12", "1,204.5"]), "f.csv", "n", thousands=True)
    assert values.tolist() == [29199, 12, 1204.5]
    with pytest.raises(DataValidationError, match="thousands separator"):
        v.to_number(pd.Series(["29,199"]), "f.csv", "n")
    with pytest.raises(DataValidationError, match="'2,91' is text"):  # not a grouping even with thousands=True
        v.to_number(pd.Series(["2,91"]), "f.csv", "n", thousands=True)


def test_suppressed_values_are_counted_in_fingertips(tmp_path):
    write_ft(
        tmp_path, ft_row(), ft_row("E06000017", value="", count="*", denominator="41", lo="", hi="", name="Rutland")
    )
    ft = read_ft(tmp_path).set_index("area_code")
    assert pd.isna(ft.loc["E06000017", "count"]) and ft.loc["E06000016", "count"] == 25000


def test_line_numbers_count_the_header_blank_lines_and_quoted_newlines(tmp_path):
    f = tmp_path / "t.csv"
    f.write_text('code,name,value\nE06000016,"Leicester\nCity",1\n\nE06000017,Rutland,abc\n')
    df = v.read_csv(f, dtype=str)
    assert df.index.name == "line" and df.index.tolist() == [2, 5]
    with pytest.raises(DataValidationError) as e:
        v.to_number(df["value"], f, "value", area=df["code"])
    assert (e.value.line, e.value.area) == (5, "E06000017")


def test_non_utf8_csv_is_called_that_with_its_line(tmp_path):
    f = tmp_path / "names.csv"
    f.write_bytes(
        "code,name\nE06000016,Leicester\nE06000017,Rutland\nE07000129,Blaby \u2013 Glen\n".encode("utf-8")
        + "E07000130,Charnwood \u2013 Loughborough\n".encode("cp1252")
    )
    with pytest.raises(DataValidationError) as e:
        v.read_csv(f, dtype=str)
    assert e.value.line == 5 and "names.csv: line 5: the file is not UTF-8 (byte 0x96" in str(e.value)


def test_duplicated_code_is_blamed_on_its_own_file_with_lines(tmp_path):
    f = tmp_path / "coverage.csv"
    f.write_text("area_code,count\nE06000016,1\nE06000017,2\nE06000016,3\n")
    df = v.read_csv(f, dtype=str)
    with pytest.raises(DataValidationError) as e:
        checks.validate(df, checks.checks_only([checks.unique_rows(["area_code"])]), f)
    assert "coverage.csv: column 'area_code': line 4: area E06000016" in str(e.value)
    assert "'E06000016' is on lines 2, 4" in str(e.value)


def test_padded_area_code_is_blamed_on_its_own_file(tmp_path):
    f = write_ft(tmp_path, ft_row(), ft_row(" E06000017", name="Rutland"))
    with pytest.raises(DataValidationError) as e:
        read_ft(tmp_path)
    assert (e.value.file, e.value.column, e.value.line, e.value.area) == (str(f), "Area Code", 4, "E06000017")
    assert "leading or trailing spaces" in str(e.value)


def test_duplicated_area_in_a_fingertips_response_names_the_lines(tmp_path):
    write_ft(tmp_path, ft_row(), ft_row())
    with pytest.raises(
        DataValidationError,
        match=r"all_data_i22001_c502_p15.csv: column 'area_code': line 4: "
        r"area E06000016: .*is on lines 3, 4",
    ):
        read_ft(tmp_path)


def test_empty_file(tmp_path):
    f = tmp_path / "empty.csv"
    f.write_text("")
    with pytest.raises(DataValidationError, match="empty.csv: the file is empty"):
        v.read_csv(f)


def test_header_only_file(tmp_path):
    f = tmp_path / "header.csv"
    f.write_text("LSOA21CD,LAD24CD\n")
    with pytest.raises(DataValidationError, match="header but no data rows"):
        v.read_csv(f)


def test_html_page_instead_of_csv(tmp_path):
    f = tmp_path / "lookup.csv"
    f.write_text("<!DOCTYPE html>\n<html><body>Service unavailable</body></html>\n")
    with pytest.raises(DataValidationError, match="HTML page"):
        v.read_csv(f)


def test_truncated_csv(tmp_path):
    """A download cut off mid-row: the last line has no line end and lacks its last field."""
    f = tmp_path / "lookup.csv"
    f.write_text("LSOA21CD,LSOA21NM,LAD24CD\nE01000001,City of London 001A,E09000001\nE01000002,City of Lon")
    with pytest.raises(
        DataValidationError,
        match=r"^lookup.csv: line 3: the last line is incomplete: it has no line end, with 2 of the header's 3 "
        r"fields \(the file or response was cut off mid-row\?\)$",
    ):
        v.read_csv(f, dtype=str)


def test_truncated_inside_the_last_field_is_still_refused(tmp_path):
    """Cut inside the last value ('9.5' of '9.55'): the fields are all there, but the line has no end."""
    f = tmp_path / "le.csv"
    f.write_text("area_code,value\nE06000016,77.1\nE06000017,9.5")
    with pytest.raises(DataValidationError, match=r"^le.csv: line 3: the last line is incomplete"):
        v.read_csv(f, dtype=str)


def test_a_row_with_missing_cells_is_still_found_by_the_completeness_check(tmp_path):
    """A complete file whose row lacks values (blank cells) is read; the step's completeness check names it."""
    f = tmp_path / "lookup.csv"
    f.write_text("LSOA21CD,LSOA21NM,LAD24CD\nE01000001,City of London 001A,E09000001\nE01000002,City of Lon,\n")
    df = v.read_csv(f, dtype=str)
    with pytest.raises(
        DataValidationError,
        match=r"lookup.csv: column 'LAD24CD': line 3: area E01000002: 1 rows have no value \(truncated",
    ):
        checks.validate(df, pa.DataFrameSchema({c: pa.Column(str) for c in ("LSOA21CD", "LAD24CD")}), f)


@pytest.mark.parametrize(
    "text, line, problem",
    [
        ("a,b,c\n1,2,3\n4,5\n6,7,8\n", 3, "the row has 2 fields where the header has 3"),
        ("a,b,c\n1,2,3\n4,5,6,7\n", 3, "the row has 4 fields where the header has 3"),
        ('a,b,c\n"x\ny",2,3\n"q,r",5\n', 4, "the row has 2 fields where the header has 3"),
        ('a,b,c\n1,2,3\n4,5,"six\n7,8,9\n', 3, "a quoted field that starts on this line is never closed"),
        ("a,b,c\r\n1,2,3\r\n4,5,6\r\n7,8,9,10\r\n", 4, "the row has 4 fields where the header has 3"),
    ],
)
def test_ragged_rows_name_the_files_own_line(tmp_path, text, line, problem):
    """A row with more or fewer fields than the header (quoted fields and CRLF line ends counted right)."""
    f = tmp_path / "ragged.csv"
    f.write_bytes(text.encode())
    with pytest.raises(DataValidationError, match=rf"^ragged.csv: line {line}: {re.escape(problem)}") as e:
        v.read_csv(f, dtype=str)
    assert e.value.line == line


def test_truncated_iod_file_fails_processing(tmp_path):
    from llr_analysis.process.deprivation import read_file7
    from test_process import file7

    df = file7(
        [
            {"code": "E01000001", "score": 40.5, "rank": 12, "decile": 1},
            {"code": "E01000002", "score": 5.0, "rank": 20, "decile": 1},
        ]
    )
    text = df.to_csv(index=False)
    f = tmp_path / "File_7.csv"
    f.write_text(text[: text.rfind("\n", 0, len(text) - 1) + 60])  # cut the last row short
    with pytest.raises(DataValidationError, match="File_7.csv"):
        read_file7(f, "IoD2025")


def test_unknown_place_or_locality_parameter(processed_project):
    from llr_analysis.website.notebooks import plan

    with pytest.raises(ParameterError, match="unknown place 'coventry'"):
        plan(processed_project, places=["coventry"])
    with pytest.raises(ParameterError, match="unknown topic notebook"):
        plan(processed_project, topics=["weather"])


def _snapshot(site):
    return {str(p.relative_to(site)): p.read_bytes() for p in sorted(site.rglob("*")) if p.is_file()}


def test_failing_notebook_leaves_the_site_byte_identical(built_site):
    """A cell that raises stops the build naming notebook, place and cell; site/ is untouched."""
    from llr_analysis.website.build import build

    site, _ = built_site
    paths_root = site.parent
    from llr_analysis.paths import project_paths

    paths = project_paths(paths_root)
    before = _snapshot(site)
    bad = paths.notebooks / "zz_broken.ipynb"
    nb = nbformat.v4.new_notebook()
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    nb.metadata["llr"] = {"title": "Broken", "inputs": ["population/*"]}  # every notebook declares its inputs
    params = nbformat.v4.new_code_cell('place = "leicester"')
    params.metadata["tags"] = ["parameters"]
    nb.cells = [
        params,
        nbformat.v4.new_code_cell("x = 1"),
        nbformat.v4.new_code_cell("raise ValueError(f'no data for {place}')"),
    ]
    nbformat.write(nb, bad)
    try:
        with pytest.raises(BuildError) as e:
            build(paths, fetch=False, places=["rutland"], workers=1, log=lambda *_: None)
        msg = str(e.value)
        assert "step 'notebooks'" in msg and "zz_broken.ipynb for rutland" in msg
        assert (
            "cell 3 (\"raise ValueError(f'no data for {place}')\")" in msg and "ValueError: no data for rutland" in msg
        )
    finally:
        bad.unlink()
    assert _snapshot(site) == before


def test_unknown_place_in_a_notebook_fails_the_run(built_site):
    """Running a topic notebook with a bad place parameter fails in its parameter check."""
    from llr_analysis.website.notebooks import Run, _execute

    site, _ = built_site
    from llr_analysis.paths import project_paths

    paths = project_paths(site.parent)
    nb = paths.notebooks / "deprivation.ipynb"
    run = Run(
        nb, "deprivation", "Deprivation", None, __import__("pathlib").Path("deprivation/x.ipynb"), {"place": "coventry"}
    )
    stage = site.parent / "build" / "badparam"
    with pytest.raises(BuildError, match=r"deprivation.ipynb: cell \d+ .*ParameterError: unknown place 'coventry'"):
        _execute(run, stage, paths.root)
    shutil.rmtree(stage, ignore_errors=True)


@pytest.mark.slow  # runs notebooks on a Jupyter kernel
def test_a_cell_that_returns_a_value_fails_the_run(tmp_path):
    """A value left on a cell's last line would show on the page as raw text: the run stops, naming the cell."""
    import nbformat

    from llr_analysis.paths import project_paths
    from llr_analysis.website.notebooks import _SESSION, Run, _execute

    nb = nbformat.v4.new_notebook()
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    params = nbformat.v4.new_code_cell('place = "rutland"')
    params.metadata["tags"] = ["parameters"]
    nb.cells = [params, nbformat.v4.new_code_cell("x = 1"), nbformat.v4.new_code_cell("['a sentence']")]
    src = tmp_path / "leaky.ipynb"
    nbformat.write(nb, src)
    run = Run(src, "leaky", "Leaky", "rutland", __import__("pathlib").Path("leaky/rutland.ipynb"), {"place": "rutland"})
    try:
        with pytest.raises(
            BuildError, match=r"leaky.ipynb for rutland: cell 3 \(\"\['a sentence'\]\"\) returns a value"
        ):
            _execute(run, tmp_path / "stage", project_paths(tmp_path).root)
    finally:
        _SESSION.close()  # the kernel this test started must not serve later tests (their environment differs)
    assert not (tmp_path / "stage" / "leaky" / "rutland.ipynb").exists()


# ------------------------------------------------ messages that point to the right place (issue 25 item 9)


def test_practice_life_expectancy_error_names_the_files_own_line_and_the_publishers_column(mirror, tmp_path):
    """The hostile run's case: a value at file line 5700 was reported as 'data row 43685' (the row of the
    reshaped table: 37,986 male rows + 5,699) under a column the publisher does not have."""
    from llr_analysis.process.life_expectancy_local import read_gp_practice

    lines = (mirror / "life_expectancy/heec_gp_practice_le/life_expectancy.csv").read_text().splitlines(True)
    practice, female = lines[5699].split(",")[0].strip('"'), lines[5699].rsplit(",", 2)[1]
    lines[5699] = lines[5699].replace(f",{female},", ",181.07,")  # Life_Expectancy_Female of file line 5700
    f = tmp_path / "life_expectancy.csv"
    f.write_text("".join(lines))
    with pytest.raises(DataValidationError) as e:
        read_gp_practice(f)
    err = e.value
    assert (err.column, err.line, err.area) == ("Life_Expectancy_Female", 5700, practice)
    assert str(err).startswith(
        f"life_expectancy.csv: column 'Life_Expectancy_Female': line 5700: area {practice}: "
        "1 practice life expectancies outside 55-100 years"
    )
    assert "data row" not in str(err)


def test_a_bad_hle_value_names_the_publishers_column(tmp_path):
    from llr_analysis.process.life_expectancy import read_ons_els_hle

    f = tmp_path / "healthy-life-expectancy.csv"
    f.write_text(
        "areacd,areanm,geography,indicator,period,observation,measure,unit,lci_95,uci_95,status,notes\n"
        "E06000016,Leicester,UA,Male healthy life expectancy,2020-01-01/P3Y,58.1,Years,yrs,56.0,60.2,,\n"
        "E06000017,Rutland,UA,Male healthy life expectancy,2020-01-01/P3Y,61.5,Years,yrs,59.0,64.0x,,\n"
    )
    with pytest.raises(DataValidationError) as e:
        read_ons_els_hle(f)
    assert str(e.value).startswith("healthy-life-expectancy.csv: column 'uci_95': line 3: area E06000017: ")


def test_a_missing_lsoa_is_named(mirror, tmp_path):
    """An LSOA missing from the best-fit lookup: the message names it (not only '633 of 634')."""
    from llr_analysis.fetch import sources
    from llr_analysis.paths import project_paths
    from llr_analysis.process.geography import build_geography

    root = tmp_path / "proj"
    root.mkdir()
    (root / "pyproject.toml").write_text("[project]\nname='x'\n")
    paths = project_paths(root)
    sources.fetch(paths, ["lsoa21_wd24_lad24_lookup", "lsoa21_icb24_lookup"], mirror=mirror)
    f = sources.raw_path("lsoa21_wd24_lad24_lookup", paths)
    lines = f.read_text().splitlines(True)
    gone = next(i for i, line in enumerate(lines) if ",E06000017," in line or line.rstrip().endswith(",Rutland"))
    code = lines[gone].split(",")[0].strip('"')
    f.write_text("".join(lines[:gone] + lines[gone + 1 :]))
    with pytest.raises(DataValidationError) as e:
        build_geography(paths)
    assert e.value.area == code and e.value.column == "LSOA21CD"
    assert str(e.value).startswith(
        f"LSOA21_WD24_LAD24_EW_LU.csv: column 'LSOA21CD': area {code}: 1 LSOAs (2021) of the ICB have no row "
        f"(they are in E54000015 in LSOA21_SICBL24_ICB24_EN_LU.csv): {code}"
    )


def test_a_decile_that_disagrees_with_its_rank_names_the_publishers_column_and_line(tmp_path):
    from llr_analysis.process.deprivation import read_file7
    from test_process import file7

    df = file7(
        [
            {"code": "E01000001", "score": 40.5, "rank": 12, "decile": 1},
            {"code": "E01000002", "score": 5.25, "rank": 30000, "decile": 3},  # rank 30000 is decile 9
        ]
    )
    f = tmp_path / "File_7.csv"
    df.to_csv(f, index=False)
    with pytest.raises(DataValidationError) as e:
        read_file7(f, "IoD2025")
    assert (e.value.line, e.value.area) == (3, "E01000002")
    assert e.value.column.endswith("Decile (where 1 is most deprived 10% of LSOAs)")
    assert "1 deciles disagree with their national rank" in str(e.value)
