"""The deprivation page's sections (report/deprivation.py): sentences and tables from tested numbers."""

from __future__ import annotations

import pandas as pd
import pytest

from llr_analysis.analysis import deprivation as dep
from llr_analysis.report import deprivation as dep_report


def test_movement_table_counts_the_left_out_lsoas():
    ms = pd.Series(
        {
            "lsoas_compared": 180,
            "more_deprived_decile": 20,
            "same_decile": 130,
            "less_deprived_decile": 30,
            "decile1_old": 60,
            "decile1_new": 55,
            "decile1_both": 50,
        }
    )
    t = dep_report.movement_table(ms, n_all=200)
    assert t.set_index("Measure")["LSOAs"].to_dict() == {
        "LSOAs compared (boundaries unchanged 2011-2021)": 180,
        "LSOAs left out (split, merged or redrawn)": 20,
        "Moved to a more deprived national decile": 20,
        "Stayed in the same national decile": 130,
        "Moved to a less deprived national decile": 30,
        "In the most deprived 10% in IoD2019": 60,
        "In the most deprived 10% in IoD2025": 55,
        "In the most deprived 10% in both": 50,
    }


@pytest.fixture(scope="module")
def leicester(processed_project):
    mp = pytest.MonkeyPatch()
    mp.setenv("LLR_ROOT", str(processed_project.root))
    yield dep.place_deprivation("leicester")
    mp.undo()


def test_place_figures_and_rank(leicester, processed_project, monkeypatch):
    monkeypatch.setenv("LLR_ROOT", str(processed_project.root))
    assert len(leicester.lsoas) == 200 and leicester.noun == "district" and leicester.pop_year == "mid-2022"
    # IoD2025 has population for LLR only in this build: the complete edition for population ranks is IoD2019
    assert leicester.full_edition == "IoD2019" and not leicester.ranks_available["average_score"]
    assert dep.upper_tier_rank(leicester, "IoD2019", "average_score")[:2] == (26, 151)


def test_summary_sentence(leicester, processed_project, monkeypatch):
    monkeypatch.setenv("LLR_ROOT", str(processed_project.root))
    text = dep_report.summary_sentence(leicester)
    p = leicester.place_row
    assert text.startswith(
        f"**In summary.** Of the 200 LSOAs in Leicester, {p['pct_lsoas_most_deprived_10']:.1f}% "
        "are among the most deprived 10% in England"
    )
    assert "in England they are 10% and 20% by definition" in text
    assert "on average IMD score it was 26th most deprived of 151 in IoD2019" in text
    assert "The most deprived" not in text  # Leicester is one district: no locality to name


def test_data_notes_say_what_the_build_lacks(leicester, processed_project, monkeypatch):
    monkeypatch.setenv("LLR_ROOT", str(processed_project.root))
    notes = dep_report.data_notes(leicester)
    assert any(n.startswith("IoD2025 population denominators are available for LLR only") for n in notes)
    assert any("Income Deprivation Affecting Children Index (IDACI)" in n for n in notes)
