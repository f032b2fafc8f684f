"""Loaders read publishers' layouts, reject bad input clearly, and write nothing on failure."""

from __future__ import annotations

import shutil

import pandas as pd
import pytest

from llr_analysis import process
from llr_analysis.errors import BuildError, DataValidationError
from llr_analysis.fetch import sources
from llr_analysis.process.deprivation import read_file7

HEADER_2025 = [
    "LSOA code (2021)",
    "LSOA name (2021)",
    "Local Authority District code (2024)",
    "Local Authority District name (2024)",
]
DOMAINS = [
    ("Index of Multiple Deprivation (IMD)", "Score"),
    ("Income", "Score (rate)"),
    ("Employment", "Score (rate)"),
    ("Education, Skills and Training", "Score"),
    ("Health Deprivation and Disability", "Score"),
    ("Crime", "Score"),
    ("Barriers to Housing and Services", "Score"),
    ("Living Environment", "Score"),
]


def file7(rows: list[dict]) -> pd.DataFrame:
    """A small File 7 in the official IoD2025 layout (extra columns such as sub-domains omitted)."""
    cols = list(HEADER_2025)
    for name, score in DOMAINS:
        cols += [
            f"{name} {score}",
            f"{name} Rank (where 1 is most deprived)",
            f"{name} Decile (where 1 is most deprived 10% of LSOAs)",
        ]
    cols += ["Total population: mid 2022"]
    out = []
    for r in rows:
        row = {c: 0.1 for c in cols}
        row.update(
            {
                "LSOA code (2021)": r["code"],
                "LSOA name (2021)": "Leicester 001A",
                "Local Authority District code (2024)": "E06000016",
                "Local Authority District name (2024)": "Leicester",
                "Total population: mid 2022": r.get("pop", 1500),
            }
        )
        for name, _ in DOMAINS:
            row[f"{name} Rank (where 1 is most deprived)"] = r["rank"]
            row[f"{name} Decile (where 1 is most deprived 10% of LSOAs)"] = r["decile"]
        row["Index of Multiple Deprivation (IMD) Score"] = r["score"]
        out.append(row)
    return pd.DataFrame(out, columns=cols)


def test_file7_reads_by_official_names_and_tolerates_extra_columns(tmp_path):
    df = file7(
        [
            {"code": "E01000001", "score": 40.5, "rank": 12, "decile": 1},
            {"code": "E01000002", "score": 5.25, "rank": 30000, "decile": 9},
        ]
    )
    df["Some new column"] = "x"
    f = tmp_path / "File_7.csv"
    df.to_csv(f, index=False)
    tidy, pop = read_file7(f, "IoD2025")
    imd = tidy[tidy.index_id == "imd"].set_index("lsoa_code")
    assert imd.loc["E01000001", "score"] == 40.5
    assert imd.loc["E01000002", "rank"] == 30000
    assert set(tidy.index_id) == {
        "imd",
        "income",
        "employment",
        "education",
        "health",
        "crime",
        "barriers",
        "living_environment",
    }
    assert pop.set_index("lsoa_code").loc["E01000001", "population"] == 1500


def test_file7_missing_column_names_file_and_column(tmp_path):
    df = file7([{"code": "E01000001", "score": 40.5, "rank": 12, "decile": 1}])
    df = df.drop(columns=["Crime Rank (where 1 is most deprived)"])
    f = tmp_path / "File_7.csv"
    df.to_csv(f, index=False)
    with pytest.raises(DataValidationError) as e:
        read_file7(f, "IoD2025")
    assert "File_7.csv" in str(e.value) and "Crime Rank" in str(e.value)


def test_file7_renamed_column_suggests_the_near_match(tmp_path):
    df = file7([{"code": "E01000001", "score": 40.5, "rank": 12, "decile": 1}])
    df = df.rename(columns={"LSOA code (2021)": "LSOA Code 2021"})
    f = tmp_path / "File_7.csv"
    df.to_csv(f, index=False)
    with pytest.raises(DataValidationError, match=r"column 'LSOA code \(2021\)'.*LSOA Code 2021"):
        read_file7(f, "IoD2025")


def test_malformed_code_is_reported_with_the_row(tmp_path):
    from llr_analysis.process.checks import validate
    from llr_analysis.process.deprivation import TIDY_SCHEMA

    df = file7(
        [
            {"code": "E01000001", "score": 40.5, "rank": 12, "decile": 1},
            {"code": "E1000002", "score": 5.0, "rank": 20, "decile": 1},
        ]
    )
    f = tmp_path / "File_7.csv"
    df.to_csv(f, index=False)
    tidy, _ = read_file7(f, "IoD2025")
    with pytest.raises(DataValidationError) as e:
        validate(tidy, TIDY_SCHEMA, f)
    msg = str(e.value)
    assert "File_7.csv" in msg and "column 'lsoa_code'" in msg and "E1000002" in msg


def test_failed_step_writes_nothing(processed_project, tmp_path):
    """Corrupt one raw file: processing fails naming it, and data/processed is left as it was."""
    paths = processed_project
    raw = sources.raw_path("lsoa21_wd24_lad24_lookup", paths)
    backup = tmp_path / "backup.csv"
    shutil.copyfile(raw, backup)
    table = process.table_path(paths, "geography/lsoa21")
    before = table.read_bytes()
    lock_before = paths.lock_file.read_text()
    try:
        df = pd.read_csv(raw, dtype=str)
        df.loc[df.LAD24CD == "E06000017", "LSOA21CD"] = "E0100X"  # malformed codes in Rutland
        df.to_csv(raw, index=False)
        lock = sources.read_lock(paths)  # as if accepted by a refresh
        lock["datasets"]["lsoa21_wd24_lad24_lookup"]["sha256"] = sources.sha256_of(raw)
        sources.write_lock(paths, lock)
        with pytest.raises(BuildError) as e:
            process.run(paths, ["geography"], log=lambda *_: None)
        assert "LSOA21_WD24_LAD24_EW_LU.csv" in str(e.value) and "lsoa21_code" in str(e.value)
        assert table.read_bytes() == before
    finally:
        shutil.copyfile(backup, raw)
        paths.lock_file.write_text(lock_before)


def test_a_raw_file_modified_after_fetch_fails_processing_naming_both_checksums(processed_project, tmp_path):
    """`--no-fetch` builds call process.run directly: it still verifies every raw file against the lock."""
    paths = processed_project
    raw = sources.raw_path("msoa21_names", paths)
    backup = tmp_path / "backup.csv"
    shutil.copyfile(raw, backup)
    recorded = sources.read_lock(paths)["datasets"]["msoa21_names"]["sha256"]
    try:
        raw.write_bytes(raw.read_bytes() + b"\n")
        with pytest.raises(BuildError) as e:
            process.run(paths, ["geography"], log=lambda *_: None)
        msg = str(e.value)
        assert "data/raw/lookups/" + raw.name in msg and "modified after it was fetched" in msg
        assert sources.sha256_of(raw) in msg and recorded in msg
    finally:
        shutil.copyfile(backup, raw)


def test_a_raw_file_no_fetch_recorded_is_refused(processed_project):
    paths = processed_project
    stray = paths.raw / "cancer_screening" / "fingertips" / "all_data_i22001_c502_p15.csv"
    stray.parent.mkdir(parents=True, exist_ok=True)
    stray.write_text("left by a failed fetch\n")
    try:
        with pytest.raises(
            BuildError,
            match=r"data/raw/cancer_screening/fingertips/all_data_i22001_c502_p15.csv: "
            r"not recorded in sources.lock.json",
        ):
            process.run(paths, ["cancer_screening"], log=lambda *_: None)
    finally:
        stray.unlink()


def test_a_corrupt_processed_table_is_detected_and_rebuilt(processed_project):
    paths = processed_project
    lines = []
    process.run(paths, ["geography"], log=lines.append)
    table = process.table_path(paths, "geography/lad_utla")
    good = table.read_bytes()
    table.write_bytes(good[: len(good) // 2])  # truncated
    with pytest.raises(Exception, match="corrupt or truncated"):
        process.read_table("geography/lad_utla", paths)
    lines.clear()
    process.run(paths, ["geography"], log=lines.append)
    assert any(
        "geography/lad_utla.parquet changed or is corrupt since it was written" in line and "rebuilding" in line
        for line in lines
    ), lines
    assert table.read_bytes() == good
    lines.clear()
    process.run(paths, ["geography"], log=lines.append)
    assert not any("corrupt" in line for line in lines)
