"""Places and localities are sets of LSOAs; counts come from the real lookups."""

from __future__ import annotations

import pytest

from llr_analysis.analysis import geography
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
    p = processed_project
    counts = {pl: len(geography.lsoas(pl, paths=p)) for pl in ("leicester", "leicestershire", "rutland")}
    assert counts == {"leicester": 200, "leicestershire": 408, "rutland": 26}
    assert len(geography.lsoas(paths=p)) == 634
    counts11 = {
        pl: len(geography.lsoas(pl, vintage=2011, paths=p)) for pl in ("leicester", "leicestershire", "rutland")
    }
    assert sum(counts11.values()) == 611 and counts11["leicester"] == 192


def test_localities(processed_project):
    p = processed_project
    d = geography.localities("leicestershire", "district", paths=p)
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
    assert len(geography.localities("leicester", "msoa", paths=p)) == 38
    assert len(geography.localities("rutland", "msoa", paths=p)) == 5
    assert len(geography.lsoas("leicestershire", "district", "E07000133", paths=p)) == 30
    wards = geography.localities("leicester", "ward", paths=p)
    assert wards["n_lsoas"].sum() == 200


def test_unknown_locality_is_a_clear_error(processed_project):
    with pytest.raises(ParameterError, match="no LSOAs found for district 'E07000999'"):
        geography.lsoas("leicestershire", "district", "E07000999", paths=processed_project)
    with pytest.raises(ParameterError, match="unknown locality level 'county'"):
        geography.lsoas("leicestershire", "county", "x", paths=processed_project)
