"""Configuration files: duplicate keys refused, pydantic models naming file, key and what is allowed,
another places file by $LLR_PLACES (issue 25 items 4 and 9, issue 21 item 4, issue 24 item 1)."""

from __future__ import annotations

from pathlib import Path

import pytest

from llr_analysis import places, settings
from llr_analysis.errors import ConfigError

CONFIG = Path(places.__file__).parent / "config"
PLACES = (CONFIG / "places.yml").read_text()
SCREENING = (CONFIG / "cancer_screening.yml").read_text()


@pytest.fixture(autouse=True)
def fresh_places_cache(monkeypatch):
    monkeypatch.delenv("LLR_PLACES", raising=False)
    places.load_places.cache_clear()
    yield
    places.load_places.cache_clear()


def write(tmp_path, text, name="places.yml") -> Path:
    f = tmp_path / name
    f.write_text(text)
    return f


def line_of(text: str, needle: str, start: int = 0) -> int:
    return text[: text.index(needle, start)].count("\n") + 1


def test_a_place_pasted_twice_is_refused_naming_file_lines_and_key(tmp_path):
    """Issue 25 item 4: a place pasted twice used to give a page titled with the pasted copy."""
    pasted = "  leicester:\n    code: E06000016\n    name: Pasted Leicester\n    type: Unitary authority\n"
    text = PLACES.replace("  rutland:\n", pasted + "    districts:\n      E06000016: Leicester\n  rutland:\n")
    f = write(tmp_path, text)
    with pytest.raises(ConfigError) as e:
        places.load_places(f)
    first, second = line_of(text, "  leicester:"), line_of(text, "  leicester:", text.index("Pasted") - 60)
    assert str(e.value) == (
        f"{f}: line {second}: the key 'leicester' appears twice in the same mapping (first on line {first}); "
        "YAML would silently keep only the last copy. Remove or rename one of them"
    )


def test_a_key_given_twice_inside_a_place_is_refused(tmp_path):
    text = PLACES.replace("    name: Rutland\n", "    name: Rutland\n    name: Rutland Water\n")
    with pytest.raises(ConfigError, match=r"line \d+: the key 'name' appears twice in the same mapping"):
        places.load_places(write(tmp_path, text))


@pytest.mark.parametrize(
    "old, new, message",
    [
        ("code: E06000017", "code: E6000017", r"key 'places.rutland.code': String should match pattern"),
        (
            "    localities: [ward, msoa, pcn]\n    profiles: [ward, pcn]\n",
            "    localities: [ward, msoa, pcn]\n    profils: [ward, pcn]\n",
            r"key 'places.rutland.profils': unknown key 'profils' \(did you mean 'profiles'\?\); allowed keys "
            r"here: code, counts, districts, ",
        ),
        (
            "localities: [district, ward, msoa, pcn]",
            "localities: [district, wards, msoa, pcn]",
            r"key 'places.leicestershire.localities': unknown locality level 'wards'; allowed: district, lsoa, "
            r"msoa, pcn, ward$",
        ),
        ("    basis: practice", "    basis: practise", r"key 'locality_levels.pcn.basis': Input should be 'lsoa' or"),
        (
            "      E06000017: Rutland\n",
            "      E06000017: Rutland\n      E07000133: Melton\n",
            r"key 'places.rutland.districts': district E07000133 is also listed under place 'leicestershire'",
        ),
        ("    name: Rutland\n", "", r"key 'places.rutland.name': this required key is missing"),
        ("default_locality_level: district", "default_locality_level: county", r"key 'default_locality_level'"),
        ("  code: E54000015", "  code: QK1", r"key 'ics.code': String should match pattern"),
    ],
)
def test_places_errors_name_file_key_and_what_is_allowed(tmp_path, old, new, message):
    assert old in PLACES
    f = write(tmp_path, PLACES.replace(old, new, 1))
    with pytest.raises(ConfigError, match=rf"^{f}: {message}"):
        places.load_places(f)


def test_llr_places_names_another_places_file(tmp_path, monkeypatch):
    assert places.places_file() is None and places.load_places().source == "config/places.yml"
    other = write(tmp_path, PLACES.replace("name: Rutland\n", "name: Rutland County\n"), "other.yml")
    monkeypatch.setenv("LLR_PLACES", str(other))
    assert places.places_file() == other.resolve()
    cfg = places.load_places()
    assert cfg.source == str(other.resolve()) and cfg.places["rutland"].name == "Rutland County"
    assert places.get_place("rutland").name == "Rutland County"  # every caller follows
    assert places.load_places(CONFIG / "places.yml").places["rutland"].name == "Rutland"  # an explicit path wins
    monkeypatch.setenv("LLR_PLACES", str(tmp_path / "missing.yml"))
    with pytest.raises(ConfigError, match=r"missing.yml: the places file named by \$LLR_PLACES does not exist"):
        places.load_places()


def test_the_packaged_places_keep_their_attribute_and_dict_api():
    cfg = places.load_places()
    assert list(cfg.places) == ["leicester", "leicestershire", "rutland"]
    assert cfg.places["leicestershire"].district_codes[0] == "E07000129"
    assert cfg.locality_levels["pcn"].is_area is False and cfg.expected["lsoa21_in_ics"] == 634
    assert cfg.district_to_place["E07000135"] == "leicestershire" and cfg.england_code == "E92000001"


# ------------------------------------------------------------------------------ cancer_screening.yml


@pytest.mark.parametrize(
    "old, new, message",
    [
        (
            "  bowel:\n    label: Bowel screening",
            "  breast:\n    label: Bowel screening",
            r"line \d+: the key 'breast' appears twice in the same mapping \(first on line \d+\)",
        ),
        ("      acceptable: 75\n", "      acceptable: 85\n", r"key 'programmes.cervical.standard.acceptable': 85.0 is"),
        ("      achievable: 60\n", "      achievable: 600\n", r"key 'programmes.bowel.standard.achievable': Input"),
        (
            "programme_order: [cervical, breast, bowel]",
            "programme_order: [cervical, breast, bowels]",
            r"key 'programme_order.2': 'bowels' is not a programme; allowed: bowel, breast, cervical",
        ),
        (
            "      area_types: [gp_practice]\n      note: bowel",
            "      area_types: [gp_practise]\n      note: bowel",
            r"key 'fingertips.indicators.7.area_types': indicator 92600 names area type 'gp_practise'; allowed",
        ),
        (
            "  raw_folder: cancer_screening/fingertips",
            "  raw_foldr: cancer_screening/fingertips",
            r"key 'fingertips.raw_foldr': unknown key 'raw_foldr' \(did you mean 'raw_folder'\?\)",
        ),
        ("    - id: 93725", "    - id: nine", r"key 'fingertips.indicators.5.id': Input should be a valid integer"),
    ],
)
def test_cancer_screening_errors_name_file_key_and_what_is_allowed(old, new, message):
    assert old in SCREENING
    with pytest.raises(ConfigError, match=rf"^config/cancer_screening.yml: {message}"):
        settings.load_cancer_screening(SCREENING.replace(old, new, 1))


def test_cancer_screening_keeps_its_dict_and_gains_attributes():
    cfg = settings.cancer_screening()
    assert cfg["programmes"]["bowel"]["standard"] == {
        "acceptable": 55,
        "achievable": 60,
        "source": cfg["programmes"]["bowel"]["standard"]["source"],
        "verified": cfg["programmes"]["bowel"]["standard"]["verified"],
    }
    model = settings.cancer_screening_config()
    assert model.programmes["cervical"].standard.achievable == 80
    assert [i.id for i in model.fingertips.indicators][:2] == [22001, 93560]


# ------------------------------------------------------ a places code that matches no area (issue 25 item 9)


def test_a_district_code_matching_no_area_blames_the_places_file(tmp_path, monkeypatch, mirror):
    from llr_analysis.fetch import sources
    from llr_analysis.paths import project_paths
    from llr_analysis.process.geography import build_geography

    root = tmp_path / "proj"
    root.mkdir()
    (root / "pyproject.toml").write_text("[project]\nname='x'\n")
    paths = project_paths(root)
    sources.fetch(paths, ["lsoa21_wd24_lad24_lookup", "lad23_ctyua23_lookup"], mirror=mirror)
    f = write(tmp_path, PLACES.replace("      E07000133: Melton", "      E07000999: Melton"))
    monkeypatch.setenv("LLR_PLACES", str(f))
    with pytest.raises(ConfigError) as e:
        build_geography(paths)
    assert str(e.value) == (
        f"{f.resolve()}: key 'places.leicestershire.districts.E07000999': E07000999 (Melton) matches no area of "
        "LSOA21_WD24_LAD24_EW_LU.csv (column LAD24CD); correct the code in the places file"
    )
