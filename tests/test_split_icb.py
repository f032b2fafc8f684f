"""Authorities split between ICBs and codes newer than a dataset's vintage (issue 24, item 4).

An ICB is selected by its LSOAs (2021) in the LSOA -> sub-ICB -> ICB lookup, not by whole districts;
a district partly in another ICB brings only its LSOAs inside this one. Unit tests use small synthetic
frames; the mirror test selects a real split ICB's LSOAs from the ONS lookups.
"""

from __future__ import annotations

from types import SimpleNamespace

import pandas as pd
import pytest

from llr_analysis.errors import ConfigError, DataValidationError
from llr_analysis.places import load_places, part_of_authority_text
from llr_analysis.process.geography import lad22_to_configured, select_icb_lsoas, whole_districts
from llr_analysis.process.population import _configured_districts, _newer_codes

# two districts: D1 (3 LSOAs) wholly in ICB E54000901, D2 (4 LSOAs) split 2 / 2 with E54000902
WARDS = pd.DataFrame(
    {
        "lsoa21_code": [f"E0100000{i}" for i in range(1, 8)] + ["E01000099"],
        "lad_code": ["E07000901"] * 3 + ["E07000902"] * 4 + ["E07000903"],
        "lad_name": ["One"] * 3 + ["Two"] * 4 + ["Three"],
    }
)
ICB = pd.DataFrame(
    {
        "lsoa21_code": [f"E0100000{i}" for i in range(1, 8)] + ["E01000099"],
        "icb_code": ["E54000901"] * 5 + ["E54000902"] * 3,
    }
)


def cfg(code="E54000901", districts=("E07000901", "E07000902")):
    return SimpleNamespace(ics_code=code, source="places.yml", all_district_codes=list(districts))


def test_an_icb_takes_its_lsoas_not_whole_districts():
    out = select_icb_lsoas(WARDS, ICB, cfg(), "wards.csv", "icb.csv")
    assert list(out["lsoa21_code"]) == ["E01000001", "E01000002", "E01000003", "E01000004", "E01000005"]
    assert out.groupby("lad_code").size().to_dict() == {"E07000901": 3, "E07000902": 2}
    assert whole_districts(WARDS, out) == {"E07000901"}


def test_an_icb_code_in_no_row_of_the_lookup_blames_the_places_file():
    with pytest.raises(ConfigError) as e:
        select_icb_lsoas(WARDS, ICB, cfg("E54000999"), "wards.csv", "data/icb.csv")
    assert str(e.value) == (
        "places.yml: key 'ics.code': E54000999 matches no ICB of icb.csv (column ICB24CD); "
        "correct the code in the places file"
    )


def test_an_lsoa_of_the_icb_in_no_configured_district_is_named():
    with pytest.raises(ConfigError) as e:
        select_icb_lsoas(WARDS, ICB, cfg(districts=("E07000901",)), "wards.csv", "icb.csv")
    assert "2 LSOAs (2021) of the ICB E54000901 lie in districts no place lists" in str(e.value)
    assert "first: E01000004 in E07000902 Two, wards.csv" in str(e.value)


def test_an_lsoa_of_the_icb_missing_from_the_ward_lookup_is_named():
    with pytest.raises(DataValidationError) as e:
        select_icb_lsoas(WARDS[WARDS["lsoa21_code"] != "E01000002"], ICB, cfg(), "wards.csv", "icb.csv")
    assert e.value.area == "E01000002" and e.value.column == "LSOA21CD"
    assert "1 LSOAs (2021) of the ICB have no row (they are in E54000901 in icb.csv): E01000002" in str(e.value)


PLACES = """
england: {code: E92000001, name: England}
ics: {id: test, code: E54000901, name: Test ICS, short_name: Test}
places:
  shire:
    code: E10000901
    name: Shire
    type: County
    districts: {E07000901: One, E07000902: Two}
    part_of_authority: true
    lsoas_in_icb: 5 of 9
    partial_districts: {E07000902: 2 of 4}
  newtown:
    code: E06000965
    name: Newtown
    type: Unitary authority
    districts: {E06000965: Newtown}
    lad22_codes:
      E06000965: {E07000961: Old A, E07000962: Old B}
locality_levels:
  ward: {label: Ward, plural: Wards, code_column: ward_code, name_column: ward_name}
default_locality_level: ward
expected: {}
"""


@pytest.fixture
def places(tmp_path):
    f = tmp_path / "places.yml"
    f.write_text(PLACES)
    load_places.cache_clear()
    yield load_places(f)
    load_places.cache_clear()


def test_the_places_file_gives_partial_districts_and_older_codes(places):
    assert places.partial_district_codes == ["E07000902"]
    assert places.lad22_to_district == {"E07000961": "E06000965", "E07000962": "E06000965"}
    got = lad22_to_configured(pd.Series(["E07000961", "E07000962", "E07000901"]), places)
    assert list(got) == ["E06000965", "E06000965", "E07000901"]


def test_rows_on_older_codes_are_summed_to_the_newer_district(places):
    census = pd.DataFrame(
        {"area_code": ["E07000961", "E07000962", "E07000901"], "persons": [10, 15, 7], "female": [6, 8, 3]}
    )
    out = _newer_codes(census, ["area_code"], places)
    assert out.set_index("area_code")["persons"].to_dict() == {"E06000965": 25, "E07000901": 7}
    assert out.set_index("area_code")["female"].to_dict() == {"E06000965": 14, "E07000901": 3}


def test_a_retired_district_code_is_mapped_through_the_lsoa(places):
    ids = pd.DataFrame(
        {"lsoa11_code": ["E01100001", "E01100002", "E01100003"], "lad_code": ["E07000150", "E07000961", "E07000901"]}
    )
    geo11 = pd.DataFrame({"lsoa11_code": ["E01100001", "E01100002", "E01100003"], "lad_code": ["E06000961"] * 3})
    current = {"E06000965", "E06000961", "E07000901"}
    got = _configured_districts(ids, geo11, places, current)
    # E07000150 is no current district: the LSOA's; E07000961 is an older code of E06000965; E07000901 stays
    assert list(got) == ["E06000961", "E06000965", "E07000901"]


def test_a_part_of_an_authority_is_said_in_plain_words(places):
    text = part_of_authority_text(places, "shire")
    assert text.startswith(
        "Shire here means the part of Shire inside Test ICS (5 of its 9 small areas, LSOAs 2021); the rest "
        "is in another ICB. Two lies partly in another ICB."
    )
    assert "are for the whole authority" in text
    assert part_of_authority_text(places, "newtown") == ""


def test_a_split_icb_selects_its_lsoas_from_the_ons_lookups(mirror, tmp_path):
    """Frimley (E54000034): 455 LSOAs (2021) in the ICB lookup; Hart, Guildford, Runnymede, Surrey Heath
    and Waverley are split with other ICBs, so selecting whole districts would take more."""
    from llr_analysis import configure as cf
    from llr_analysis.paths import project_paths
    from llr_analysis.validate import read_csv

    root = tmp_path / "proj"
    root.mkdir()
    (root / "pyproject.toml").write_text("[project]\nname='x'\n")
    lk = cf.load_lookups(cf.locate_lookups(project_paths(root), mirror))
    doc = cf.configure_icb(lk, "E54000034")
    f = tmp_path / "frimley.yml"
    cf.write_places(doc, f)
    load_places.cache_clear()
    try:
        c = load_places(f)
        icb = read_csv(mirror / "lookups/LSOA21_SICBL24_ICB24_EN_LU.csv", dtype=str)
        icb = icb.rename(columns={"LSOA21CD": "lsoa21_code", "ICB24CD": "icb_code"})
        wards = lk.wards
        out = select_icb_lsoas(wards, icb, c, "wards.csv", "icb.csv")
        assert len(out) == 455 == c.expected["lsoa21_in_ics"]
        assert int((icb["icb_code"] == "E54000034").sum()) == 455
        by = out.groupby("lad_code").size()
        assert by[["E07000089", "E07000209", "E07000212", "E07000214", "E07000216"]].tolist() == [45, 13, 6, 47, 29]
        assert sorted(c.partial_district_codes) == ["E07000089", "E07000209", "E07000212", "E07000214", "E07000216"]
        whole = wards[wards["lad_code"].isin(c.all_district_codes)]
        assert len(whole) > 455  # what selecting whole districts took
        assert whole_districts(wards, out) == set(c.all_district_codes) - set(c.partial_district_codes)
    finally:
        load_places.cache_clear()


def test_a_file_older_than_an_areas_code_records_a_named_gap_not_a_failure():
    from llr_analysis.process.checks import require_areas

    # an old-vintage file: it has a retired district (E07000150) and lacks the newer unitary E06000961
    old = pd.DataFrame({"area_code": ["E92000001", "E07000150", "E07000901"]})
    gaps: list[dict] = []
    current = {"E06000961", "E07000901"}
    require_areas(old, ["E92000001", "E06000961", "E07000901"], "le.xlsx", "Area Codes", "areas", current, gaps, "t")
    assert [(g["table"], g["area_code"]) for g in gaps] == [("t", "E06000961")]
    assert gaps[0]["reason"].startswith(
        "le.xlsx predates this area's code (it has areas since retired, e.g. E07000150)"
    )
    # a file with no retired code that lacks an area: an error naming the file, column and area
    with pytest.raises(DataValidationError) as e:
        require_areas(old.iloc[[0, 2]], ["E06000961"], "le.xlsx", "Area Codes", "areas", current, [], "t")
    assert e.value.area == "E06000961" and e.value.column == "Area Codes"


def test_no_census_sentence_for_a_place_whose_census_total_is_blank(places, monkeypatch, tmp_path):
    from llr_analysis.report.population.text import census_text

    monkeypatch.setenv("LLR_PLACES", str(tmp_path / "places.yml"))
    table = pd.DataFrame(
        {
            "Area": ["Shire"],
            "Census 2021": pd.array([pd.NA], dtype="Int64"),
            "Census vs mid-2020 estimate (%)": [float("nan")],
            "% female (Census 2021)": [float("nan")],
        }
    )
    assert census_text(table, "shire") == (
        "Census 2021 is published by district, and part of Shire's districts lies in another ICB, so no "
        "Census 2021 total is shown for Shire (see the note at the top of this page)."
    )
