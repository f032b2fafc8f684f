"""`llr configure --icb CODE`: a places file for any English ICB from the ONS lookups.

Unit tests use small synthetic lookups written in the publishers' layouts. The mirror tests check
LLR against the packaged places.yml, and Derby and Derbyshire / Nottingham and Nottinghamshire
against counts taken from the lookup CSVs with the csv module (an independent path from pandas).
"""

from __future__ import annotations

import csv
from collections import Counter
from importlib import resources
from pathlib import Path

import pytest
import yaml

from llr_analysis import configure as cf
from llr_analysis.cli import main
from llr_analysis.errors import ConfigError, DataValidationError
from llr_analysis.paths import project_paths

# ----------------------------------------------------------------------------- synthetic lookups
#
# ICB E54000001 (QA1) "Alpha, Beta and Gamma": unitary Alpha (E06000001, 2 LSOAs), county Betashire
# (E10000001): district Bee (E07000001, 2 LSOAs) whole, district Cee (E07000002) 1 of its 2 LSOAs.
# ICB E54000002 (QB2) "Delta": Cee's other LSOA, metropolitan district Dee (E08000001), London
# borough Eee (E09000001), and unitary New Town (E06000099, missing from the LAD23 lookup; in 2022
# its LSOAs were in districts E07000098 Old North and E07000099 Old South).

ICB_ROWS = [
    ("E01000001", "Alpha 001A", "E54000001", "QA1", "NHS Alpha, Beta and Gamma Integrated Care Board"),
    ("E01000002", "Alpha 001B", "E54000001", "QA1", "NHS Alpha, Beta and Gamma Integrated Care Board"),
    ("E01000003", "Bee 001A", "E54000001", "QA1", "NHS Alpha, Beta and Gamma Integrated Care Board"),
    ("E01000004", "Bee 002A", "E54000001", "QA1", "NHS Alpha, Beta and Gamma Integrated Care Board"),
    ("E01000005", "Cee 001A", "E54000001", "QA1", "NHS Alpha, Beta and Gamma Integrated Care Board"),
    ("E01000006", "Cee 001B", "E54000002", "QB2", "NHS Delta Integrated Care Board"),
    ("E01000007", "Dee 001A", "E54000002", "QB2", "NHS Delta Integrated Care Board"),
    ("E01000008", "Eee 001A", "E54000002", "QB2", "NHS Delta Integrated Care Board"),
    ("E01000009", "New Town 001A", "E54000002", "QB2", "NHS Delta Integrated Care Board"),
    ("E01000010", "New Town 002A", "E54000002", "QB2", "NHS Delta Integrated Care Board"),
]
WARD_ROWS = [  # LSOA -> ward, district
    ("E01000001", "E05000001", "Alpha North", "E06000001", "Alpha"),
    ("E01000002", "E05000002", "Alpha South", "E06000001", "Alpha"),
    ("E01000003", "E05000003", "Bee Hill", "E07000001", "Bee"),
    ("E01000004", "E05000003", "Bee Hill", "E07000001", "Bee"),
    ("E01000005", "E05000004", "Cee Vale", "E07000002", "Cee"),
    ("E01000006", "E05000005", "Cee Edge", "E07000002", "Cee"),
    ("E01000007", "E05000006", "Dee Town", "E08000001", "Dee"),
    ("E01000008", "E05000007", "Eee Green", "E09000001", "Eee"),
    ("E01000009", "E05000008", "New Town North", "E06000099", "New Town"),
    ("E01000010", "E05000009", "New Town South", "E06000099", "New Town"),
    ("W01000001", "W05000001", "Wales Ward", "W06000001", "Welsh Place"),  # not in the English ICB lookup
]
UPPER_ROWS = [
    ("E06000001", "Alpha", "E06000001", "Alpha"),
    ("E07000001", "Bee", "E10000001", "Betashire"),
    ("E07000002", "Cee", "E10000001", "Betashire"),
    ("E08000001", "Dee", "E08000001", "Dee"),
    ("E09000001", "Eee", "E09000001", "Eee"),
    ("W06000001", "Welsh Place", "W06000001", "Welsh Place"),
]
LSOA11_ROWS = [  # LSOA11, LSOA21, LAD22: E01000003 was split from one 2011 LSOA with E01000004
    ("E01100001", "E01000001", "E06000001", "Alpha"),
    ("E01100002", "E01000002", "E06000001", "Alpha"),
    ("E01100003", "E01000003", "E07000001", "Bee"),
    ("E01100003", "E01000004", "E07000001", "Bee"),
    ("E01100005", "E01000005", "E07000002", "Cee"),
    ("E01100006", "E01000006", "E07000002", "Cee"),
    ("E01100007", "E01000007", "E08000001", "Dee"),
    ("E01100008", "E01000008", "E09000001", "Eee"),
    ("E01100009", "E01000009", "E07000098", "Old North"),
    ("E01100010", "E01000010", "E07000099", "Old South"),
]


LSOA_NAMES = {r[0]: r[1] for r in ICB_ROWS}


def _write(path: Path, header: list[str], rows) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", newline="", encoding="utf-8") as fh:
        w = csv.writer(fh)
        w.writerow(header)
        w.writerows(rows)
    return path


def write_lookups(folder: Path, upper_rows=UPPER_ROWS, with_lsoa11: bool = True) -> dict[str, Path | None]:
    """The synthetic lookups in the mirror's layout (lookups/<file>), as ``locate_lookups`` returns them."""
    files: dict[str, Path | None] = {
        "icb": _write(
            folder / "lookups/LSOA21_SICBL24_ICB24_EN_LU.csv",
            ["LSOA21CD", "LSOA21NM", "SICBL24CD", "SICBL24CDH", "SICBL24NM", "ICB24CD", "ICB24CDH", "ICB24NM"],
            # one sub-ICB location per LSOA, so that each lies in one place (the practice rule can place practices)
            [
                (lsoa, nm, f"E38{i:06d}", f"{i:02d}A", "sub-ICB", icb, ods, name)
                for i, (lsoa, nm, icb, ods, name) in enumerate(ICB_ROWS, 1)
            ],
        ),
        "wards": _write(
            folder / "lookups/LSOA21_WD24_LAD24_EW_LU.csv",
            ["LSOA21CD", "LSOA21NM", "WD24CD", "WD24NM", "LAD24CD", "LAD24NM"],
            [(r[0], LSOA_NAMES.get(r[0], "Welsh Place 001A"), *r[1:]) for r in WARD_ROWS],
        ),
        "upper": _write(
            folder / "lookups/LAD23_CTYUA23_EW_LU.csv", ["LAD23CD", "LAD23NM", "CTYUA23CD", "CTYUA23NM"], upper_rows
        ),
        "lsoa11": None,
    }
    if with_lsoa11:
        files["lsoa11"] = _write(
            folder / "lookups/LSOA11_LSOA21_LAD22_EW_LU.csv",
            ["LSOA11CD", "LSOA11NM", "LSOA21CD", "LSOA21NM", "CHGIND", "LAD22CD", "LAD22NM"],
            [(a, "x", b, "y", "U", c, d) for a, b, c, d in LSOA11_ROWS],
        )
    return files


@pytest.fixture
def lookups(tmp_path) -> cf.Lookups:
    return cf.load_lookups(write_lookups(tmp_path))


def test_names_short_names_and_ids():
    assert cf.icb_display_name("NHS Derby and Derbyshire Integrated Care Board") == "Derby and Derbyshire"
    assert cf.icb_display_name("NHS Frimley ICB") == "Frimley"
    assert cf.short_name("Leicester, Leicestershire and Rutland") == "LLR"
    assert cf.short_name("Bristol, North Somerset and South Gloucestershire") == "BNSSG"
    assert cf.short_name("Derby and Derbyshire") == "Derby and Derbyshire"  # two words: the name itself
    assert cf.slug("Kingston upon Hull, City of") == "kingston_upon_hull_city_of"
    assert [cf.authority_type(c) for c in ("E06000001", "E08000001", "E09000001", "E10000001")] == [
        "Unitary authority",
        "Metropolitan district",
        "London borough",
        "County",
    ]
    with pytest.raises(ConfigError, match="E07000001 is not an upper-tier authority code"):
        cf.authority_type("E07000001")


def test_an_icb_is_found_by_its_ons_or_ods_code(lookups):
    assert cf.resolve_icb("E54000001", lookups.icb)["icb_ods_code"] == "QA1"
    assert cf.resolve_icb("qb2", lookups.icb)["icb_code"] == "E54000002"
    with pytest.raises(ConfigError) as exc:
        cf.resolve_icb("Q99", lookups.icb)
    assert str(exc.value) == (
        "unknown ICB 'Q99' (give its ONS code E54... or its ODS code), known: "
        "E54000001 (QA1) Alpha, Beta and Gamma; E54000002 (QB2) Delta"
    )


def test_places_are_the_upper_tier_authorities_with_their_districts(lookups):
    doc = cf.configure_icb(lookups, "QA1")
    assert doc["ics"] == {
        "id": "abg",
        "code": "E54000001",
        "ods_code": "QA1",
        "name": "Alpha, Beta and Gamma",
        "short_name": "ABG",
    }
    assert list(doc["places"]) == ["alpha", "betashire"]  # by name
    alpha, beta = doc["places"]["alpha"], doc["places"]["betashire"]
    assert alpha == {
        "code": "E06000001",
        "name": "Alpha",
        "type": "Unitary authority",
        "districts": {"E06000001": "Alpha"},
        "localities": ["ward", "msoa", "pcn"],
        "profiles": ["ward", "pcn"],
        "counts": {"lsoa21": 2, "wards": 2, "msoa21": 1},
    }
    assert beta["type"] == "County"
    assert beta["districts"] == {"E07000001": "Bee", "E07000002": "Cee"}
    assert beta["localities"] == ["district", "ward", "msoa", "pcn"]
    assert beta["profiles"] == ["district", "pcn"]
    # Cee lies partly in Delta: Betashire's place is its part inside this ICB
    assert beta["part_of_authority"] is True
    assert beta["lsoas_in_icb"] == "3 of 4"
    assert beta["partial_districts"] == {"E07000002": "1 of 2"}
    assert doc["expected"] == {
        "lsoa21_in_ics": 5,
        "lsoa11_in_ics": 4,  # E01100003 became E01000003 and E01000004
        "msoa21_in_ics": 4,  # LSOA names minus their letter: Alpha 001, Bee 001, Bee 002, Cee 001
        "districts_in_ics": 3,
        "wards_in_ics": 4,
        "pcns_in_ics": None,
    }
    # the parts of the packaged file that are not about the area are copied from it
    packaged = yaml.safe_load(resources.files("llr_analysis.config").joinpath("places.yml").read_text())
    assert doc["locality_levels"] == packaged["locality_levels"]
    assert doc["england"] == packaged["england"]


def test_metropolitan_and_london_types_and_a_code_missing_from_an_older_vintage(lookups):
    doc = cf.configure_icb(lookups, "E54000002")
    places = doc["places"]
    assert {p["code"]: p["type"] for p in places.values()} == {
        "E10000001": "County",
        "E08000001": "Metropolitan district",
        "E09000001": "London borough",
        "E06000099": "Unitary authority",
    }
    # a county part with one district has no district tab or profiles
    assert places["betashire"]["localities"] == ["ward", "msoa", "pcn"]
    assert places["betashire"]["lsoas_in_icb"] == "1 of 4"
    # New Town is absent from LAD23_CTYUA23 (a unitary code: its own upper tier) and from LAD 2022
    new = places["new_town"]
    assert new["not_in_lad23_ctyua23"] == ["E06000099"]
    assert new["lad22_codes"] == {"E06000099": {"E07000098": "Old North", "E07000099": "Old South"}}
    assert "lad22_codes" not in places["dee"]
    assert "part_of_authority" not in new


def test_a_district_without_an_upper_tier_is_an_error_naming_the_file(tmp_path):
    rows = [r for r in UPPER_ROWS if r[0] != "E07000001"]
    lk = cf.load_lookups(write_lookups(tmp_path, upper_rows=rows))
    with pytest.raises(DataValidationError) as exc:
        cf.configure_icb(lk, "QA1")
    msg = str(exc.value)
    assert msg.startswith("LAD23_CTYUA23_EW_LU.csv: column 'LAD23CD': area E07000001: district E07000001 (Bee")


def test_a_lookup_without_a_publisher_column_is_an_error_naming_file_and_column(tmp_path):
    files = write_lookups(tmp_path)
    text = files["icb"].read_text().replace("ICB24CDH", "ICB24CODE")
    files["icb"].write_text(text)
    with pytest.raises(DataValidationError, match=r"LSOA21_SICBL24_ICB24_EN_LU.csv: column 'ICB24CDH': required"):
        cf.load_lookups(files)


def test_without_the_lsoa11_lookup_the_counts_it_gives_are_unknown(tmp_path):
    lk = cf.load_lookups(write_lookups(tmp_path, with_lsoa11=False))
    doc = cf.configure_icb(lk, "QB2")
    assert doc["expected"]["lsoa11_in_ics"] is None
    assert "lad22_codes" not in doc["places"]["new_town"]


def test_split_authorities(lookups):
    geo = cf.lsoa_geography(lookups)
    split = cf.split_authorities(geo)
    assert split[["tier", "code"]].values.tolist() == [["district", "E07000002"], ["upper tier", "E10000001"]]
    assert split["lsoas"].tolist() == [{"E54000001": 1, "E54000002": 1}, {"E54000001": 3, "E54000002": 1}]


def test_the_file_reads_back_as_the_same_config_with_comments(lookups):
    doc = cf.configure_icb(lookups, "QA1")
    text = cf.render_places_yaml(doc)
    assert yaml.safe_load(text) == doc
    assert "    profiles: [district, pcn]   # a locality profile page for each of these (add ward for 2" in text
    assert "  # Betashire: County, 2 district(s), 3 LSOAs, 2 wards; part of the authority (3 of 4 LSOAs)" in text
    packaged = yaml.safe_load(resources.files("llr_analysis.config").joinpath("places.yml").read_text())
    assert set(doc) == set(packaged) | {"sources"}


def test_lookups_are_found_in_data_raw_or_the_mirror(tmp_path, monkeypatch):
    monkeypatch.delenv("LLR_MIRROR", raising=False)
    paths = project_paths(tmp_path / "project")
    with pytest.raises(ConfigError) as exc:
        cf.locate_lookups(paths)
    assert "run `llr fetch lsoa21_icb24_lookup lsoa21_wd24_lad24_lookup lad23_ctyua23_lookup`" in str(exc.value)
    mirror = tmp_path / "mirror"
    write_lookups(mirror)
    found = cf.locate_lookups(paths, mirror)
    assert found["icb"] == mirror / "lookups/LSOA21_SICBL24_ICB24_EN_LU.csv"
    # a fetched file (data/raw/<topic>/<file>) is preferred to the mirror's
    raw = paths.raw / "lookups" / "LSOA21_SICBL24_ICB24_EN_LU.csv"
    raw.parent.mkdir(parents=True)
    raw.write_bytes(found["icb"].read_bytes())
    assert cf.locate_lookups(paths, mirror)["icb"] == raw


def test_the_command_writes_the_file_or_names_the_known_icbs(tmp_path, capsys, monkeypatch):
    monkeypatch.delenv("LLR_MIRROR", raising=False)
    mirror = tmp_path / "mirror"
    write_lookups(mirror)
    out = tmp_path / "alpha.yml"
    root = tmp_path / "project"
    root.mkdir()
    for name in ("pyproject.toml", "_quarto.yml"):  # what makes a folder a project (paths.is_project)
        (root / name).write_text("")
    args = ["--root", str(root), "configure", "--mirror", str(mirror)]
    assert main([*args, "--icb", "QA1", "--out", str(out)]) == 0
    assert yaml.safe_load(out.read_text())["ics"]["code"] == "E54000001"
    printed = capsys.readouterr().out
    assert "Betashire E10000001 (County): 2 district(s), part of the authority (3 of 4 LSOAs)" in printed
    assert main([*args, "--icb", "E54000002"]) == 0  # no --out: the file is printed
    assert yaml.safe_load(capsys.readouterr().out)["ics"]["name"] == "Delta"
    assert main([*args, "--icb", "E54000009"]) == 1
    assert "llr configure: error: unknown ICB 'E54000009'" in capsys.readouterr().err


# ------------------------------------------------------------------------------- the real lookups


@pytest.fixture(scope="module")
def real(mirror) -> cf.Lookups:
    entries = yaml.safe_load(resources.files("llr_analysis.config").joinpath("sources.yml").read_text())["datasets"]
    files = {key: mirror / entries[ds]["mirror_path"] for key, (ds, _, _) in cf.LOOKUPS.items()}
    return cf.load_lookups(files)


@pytest.fixture(scope="module")
def by_csv(mirror):
    """The ICB and LAD of every LSOA, read with the csv module (independent of the code under test)."""
    with open(mirror / "lookups/LSOA21_SICBL24_ICB24_EN_LU.csv", newline="", encoding="utf-8") as fh:
        icb = {r["LSOA21CD"]: r["ICB24CD"] for r in csv.DictReader(fh)}
    with open(mirror / "lookups/LSOA21_WD24_LAD24_EW_LU.csv", newline="", encoding="utf-8") as fh:
        rows = [r for r in csv.DictReader(fh) if r["LSOA21CD"] in icb]
    return icb, rows


def _independent(by_csv, icb_code):
    icb, rows = by_csv
    mine = [r for r in rows if icb[r["LSOA21CD"]] == icb_code]
    return (
        len(mine),
        Counter(r["LAD24CD"] for r in mine),
        len({r["WD24CD"] for r in mine}),
        Counter(r["LAD24CD"] for r in rows),
    )


def test_llr_reproduces_the_packaged_places_file(real):
    packaged = yaml.safe_load(resources.files("llr_analysis.config").joinpath("places.yml").read_text())
    doc = cf.configure_icb(real, "E54000015")
    assert doc["ics"] == packaged["ics"]
    assert list(doc["places"]) == list(packaged["places"])
    keys = ["code", "name", "type", "districts", "localities"]
    for pid, place in packaged["places"].items():
        assert {k: doc["places"][pid][k] for k in keys} == {k: place[k] for k in keys}, pid
        # LLR's file adds ward profiles to the county (as configure's comment suggests); nothing else differs
        assert [lv for lv in place["profiles"] if lv != "ward" or place["type"] != "County"] == [
            lv for lv in doc["places"][pid]["profiles"] if lv != "ward" or place["type"] != "County"
        ], pid
    # the practice rule's sub-ICB locations: 04C and 04V lie in one place each, 03W covers two
    assert (
        doc["practices"]["sub_icbs"]
        == packaged["practices"]["sub_icbs"]
        == {
            "04C": "leicester",
            "04V": "leicestershire",
            "03W": None,
        }
    )
    assert doc["practices"]["ons_codes"] == packaged["practices"]["ons_codes"]
    assert not any("part_of_authority" in p for p in doc["places"].values())
    for key in ["lsoa21_in_ics", "lsoa11_in_ics", "msoa21_in_ics", "districts_in_ics", "wards_in_ics"]:
        assert doc["expected"][key] == packaged["expected"][key], key
    assert doc["locality_levels"] == packaged["locality_levels"]
    assert doc["default_locality_level"] == packaged["default_locality_level"]
    assert cf.configure_icb(real, "QK1")["places"] == doc["places"]
    assert {p: doc["places"][p]["counts"]["wards"] for p in doc["places"]} == {
        "leicester": 21,
        "leicestershire": 138,
        "rutland": 15,
    }  # places.yml's comment: WD24: Leicester 21, Leicestershire 138, Rutland 15


def test_derby_and_derbyshire(real, by_csv):
    n, lads, wards, lad_totals = _independent(by_csv, "E54000058")
    assert (n, wards) == (651, 176)  # counted with the csv module on the command line too
    doc = cf.configure_icb(real, "QJ2")
    assert doc["ics"] == {
        "id": "derby_and_derbyshire",
        "code": "E54000058",
        "ods_code": "QJ2",
        "name": "Derby and Derbyshire",
        "short_name": "Derby and Derbyshire",
    }
    assert list(doc["places"]) == ["derby", "derbyshire"]
    derby, shire = doc["places"]["derby"], doc["places"]["derbyshire"]
    assert (derby["code"], derby["type"], derby["districts"]) == (
        "E06000015",
        "Unitary authority",
        {"E06000015": "Derby"},
    )
    assert (shire["code"], shire["type"]) == ("E10000007", "County")
    assert list(shire["districts"]) == sorted(c for c in lads if c.startswith("E07"))
    assert shire["districts"] == {
        "E07000032": "Amber Valley",
        "E07000033": "Bolsover",
        "E07000034": "Chesterfield",
        "E07000035": "Derbyshire Dales",
        "E07000036": "Erewash",
        "E07000037": "High Peak",
        "E07000038": "North East Derbyshire",
        "E07000039": "South Derbyshire",
    }
    assert derby["counts"]["lsoa21"] == lads["E06000015"] == 152
    assert shire["counts"]["lsoa21"] == n - 152 == 499
    assert all(lads[d] == lad_totals[d] for d in lads)  # every district wholly inside the ICB
    assert not any(p.get("part_of_authority") or p.get("lad22_codes") for p in doc["places"].values())
    assert doc["expected"] == {
        "lsoa21_in_ics": 651,
        "lsoa11_in_ics": 642,
        "msoa21_in_ics": 130,
        "districts_in_ics": 9,
        "wards_in_ics": 176,
        "pcns_in_ics": None,
    }


def test_nottingham_and_nottinghamshire(real, by_csv):
    n, lads, wards, lad_totals = _independent(by_csv, "E54000060")
    assert (n, len(lads), wards) == (684, 8, 187)
    doc = cf.configure_icb(real, "E54000060")
    assert doc["ics"]["ods_code"] == "QT1"
    assert doc["ics"]["name"] == "Nottingham and Nottinghamshire"
    city, shire = doc["places"]["nottingham"], doc["places"]["nottinghamshire"]
    assert (city["code"], city["type"], city["counts"]["lsoa21"]) == ("E06000018", "Unitary authority", 179)
    assert (shire["code"], shire["type"], len(shire["districts"])) == ("E10000024", "County", 7)
    assert list(shire["districts"]) == [f"E0700017{i}" for i in range(7)]
    assert shire["counts"]["lsoa21"] == sum(lads[d] for d in shire["districts"]) == 505
    assert all(lads[d] == lad_totals[d] for d in lads)
    assert doc["expected"]["lsoa21_in_ics"] == n and doc["expected"]["wards_in_ics"] == wards


def test_authorities_split_between_icbs_in_england(real):
    split = cf.split_authorities(cf.lsoa_geography(real))
    districts = split[split["tier"] == "district"]
    upper = split[split["tier"] == "upper tier"]
    # 13 districts and 10 counties or unitary authorities, as issue 24 says
    assert districts["code"].tolist() == [
        "E06000060",  # Buckinghamshire
        "E06000063",  # Cumberland
        "E06000064",  # Westmorland and Furness
        "E06000065",  # North Yorkshire
        "E07000089",  # Hart
        "E07000099",  # North Hertfordshire
        "E07000177",  # Cherwell
        "E07000180",  # Vale of White Horse
        "E07000209",  # Guildford
        "E07000212",  # Runnymede
        "E07000214",  # Surrey Heath
        "E07000216",  # Waverley
        "E07000244",  # East Suffolk
    ]
    assert upper["name"].tolist() == [
        "Buckinghamshire",
        "Cumberland",
        "Westmorland and Furness",
        "North Yorkshire",
        "Essex",
        "Hampshire",
        "Hertfordshire",
        "Oxfordshire",
        "Suffolk",
        "Surrey",
    ]
    assert upper.set_index("name").loc["Essex", "lsoas"] == {"E54000023": 206, "E54000025": 185, "E54000026": 512}


def test_areas_newer_than_the_lad_2022_vintage_are_recorded(real):
    doc = cf.configure_icb(real, "E54000051")  # Humber and North Yorkshire
    ny = doc["places"]["north_yorkshire"]
    assert ny["part_of_authority"] is True and ny["lsoas_in_icb"] == "346 of 379"
    # its part inside this ICB was six 2022 districts; Craven went to West Yorkshire and Lancashire
    # and South Cumbria (checked with the csv module: 30 and 3 LSOAs)
    assert list(ny["lad22_codes"]["E06000065"].values()) == [
        "Hambleton",
        "Harrogate",
        "Richmondshire",
        "Ryedale",
        "Scarborough",
        "Selby",
    ]
    west = cf.configure_icb(real, "E54000054")["places"]["north_yorkshire"]
    assert west["lsoas_in_icb"] == "30 of 379"
    assert west["lad22_codes"] == {"E06000065": {"E07000163": "Craven"}}


def test_the_written_file_is_read_by_places_py(lookups, monkeypatch):
    """places.load_places() (which reads the packaged file) accepts the generated one unchanged."""
    from llr_analysis import places

    text = cf.render_places_yaml(cf.configure_icb(lookups, "QB2"))

    class Fake:
        def files(self, _package):
            return self

        def joinpath(self, _name):
            return self

        def read_text(self):
            return text

    monkeypatch.setattr(places, "resources", Fake())
    places.load_places.cache_clear()
    try:
        cfg = places.load_places()
        assert list(cfg.places) == ["betashire", "dee", "eee", "new_town"]
        assert cfg.ics_code == "E54000002" and cfg.ics_short_name == "Delta"
        assert cfg.district_to_place == {
            "E07000002": "betashire",
            "E08000001": "dee",
            "E09000001": "eee",
            "E06000099": "new_town",
        }
        assert cfg.places["betashire"].localities == ("ward", "msoa", "pcn")
        assert cfg.expected["lsoa21_in_ics"] == 5
    finally:
        places.load_places.cache_clear()
