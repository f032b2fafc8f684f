"""Places and localities are sets of LSOAs; counts come from the real lookups."""

from __future__ import annotations

import pytest

from llr_analysis.analysis.localities import areas
from llr_analysis.analysis.localities import load as localities_load
from llr_analysis.errors import ParameterError
from llr_analysis.places import get_place, load_places


def test_places_config():
    cfg = load_places()
    assert [p.code for p in cfg.places.values()] == ["E06000016", "E10000018", "E06000017"]
    assert len(get_place("leicestershire").districts) == 7
    assert cfg.district_to_place["E07000135"] == "leicestershire"
    with pytest.raises(ParameterError, match="unknown place 'coventry'"):
        get_place("coventry")


def test_lsoa_counts_per_place(processed_project):
    lsoa21 = localities_load.load(processed_project, practices=False).lsoa21
    lsoa11 = localities_load.load_lsoa11(processed_project)
    counts = {pl: len(areas.lsoas(lsoa21, pl)) for pl in ("leicester", "leicestershire", "rutland")}
    assert counts == {"leicester": 200, "leicestershire": 408, "rutland": 26}
    assert len(areas.lsoas(lsoa21)) == 634
    counts11 = {pl: len(areas.lsoas(lsoa11, pl)) for pl in ("leicester", "leicestershire", "rutland")}
    assert sum(counts11.values()) == 611 and counts11["leicester"] == 192


def test_localities(processed_project):
    lsoa21 = localities_load.load(processed_project, practices=False).lsoa21
    d = areas.localities(lsoa21, "leicestershire", "district")
    assert list(d["locality_name"]) == [
        "Blaby",
        "Charnwood",
        "Harborough",
        "Hinckley and Bosworth",
        "Melton",
        "North West Leicestershire",
        "Oadby and Wigston",
    ]
    assert d.set_index("locality_name").loc["Charnwood", "n_lsoas"] == 102
    assert len(areas.localities(lsoa21, "leicester", "msoa")) == 38
    assert len(areas.localities(lsoa21, "rutland", "msoa")) == 5
    assert len(areas.lsoas(lsoa21, "leicestershire", "district", "E07000133")) == 30
    wards = areas.localities(lsoa21, "leicester", "ward")
    assert wards["n_lsoas"].sum() == 200


def test_unknown_locality_is_a_clear_error(processed_project):
    lsoa21 = localities_load.load(processed_project, practices=False).lsoa21
    with pytest.raises(ParameterError, match="no LSOAs found for district 'E07000999'"):
        areas.lsoas(lsoa21, "leicestershire", "district", "E07000999")
    with pytest.raises(ParameterError, match="unknown locality level 'county'"):
        areas.lsoas(lsoa21, "leicestershire", "county", "x")
