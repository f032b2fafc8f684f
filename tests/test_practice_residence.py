"""The practice place rule's last step (issue 24): where most of a practice's registered patients live, from NHS
England's "Patients Registered at a GP Practice" by LSOA (online only; synthetic files in the official layout),
and the registry's ``optional`` flag that lets a mirror without that file skip it."""

from __future__ import annotations

import json
import zipfile

import pandas as pd
import pytest

from llr_analysis.errors import DataValidationError, FetchError
from llr_analysis.fetch import sources
from llr_analysis.process import gp_practices as gp
from test_sources import make_dataset, project  # noqa: F401 - the project fixture

HEADER = "PUBLICATION,EXTRACT_DATE,PRACTICE_CODE,PRACTICE_NAME,LSOA_CODE,SEX,NUMBER_OF_PATIENTS\n"


def patients_csv(tmp_path, rows: list[tuple[str, str, str | int]], date: str = "01OCT2021", name="lsoa-all.csv"):
    text = HEADER + "".join(f"GP_PRAC_PAT_LIST,{date},{p},PRACTICE {p},{lsoa},ALL,{n}\n" for p, lsoa, n in rows)
    f = tmp_path / name
    f.write_text(text)
    return f


#: Two places' LSOAs, 2011 and 2021 codes: E01000003 was split into E01035001 / E01035002 in 2021.
LSOA11 = pd.DataFrame(
    {"lsoa11_code": ["E01000001", "E01000002", "E01000003"], "place_id": ["derby", "derbyshire", "derbyshire"]}
)
LSOA21 = pd.DataFrame(
    {
        "lsoa21_code": ["E01000001", "E01000002", "E01035001", "E01035002"],
        "place_id": ["derby", "derbyshire", "derbyshire", "derby"],
    }
)
ORDER = ["derby", "derbyshire"]


# ------------------------------------------------------------------------------------------- reader


def test_reader_keeps_the_counts_and_leaves_out_no2011(tmp_path):
    f = patients_csv(tmp_path, [("C81001", "E01000001", 120), ("C81001", "NO2011", 7), ("C81002", "W01000005", 3)])
    got = gp.read_patients_lsoa(f)
    assert got.to_dict("records") == [
        {"practice_code": "C81001", "lsoa_code": "E01000001", "patients": 120, "extract": "October 2021"},
        {"practice_code": "C81002", "lsoa_code": "W01000005", "patients": 3, "extract": "October 2021"},
    ]


def test_reader_a_count_that_is_not_a_number_names_file_column_and_line(tmp_path):
    f = patients_csv(tmp_path, [("C81001", "E01000001", 120), ("C81001", "E01000002", "12a")])
    with pytest.raises(DataValidationError) as e:
        gp.read_patients_lsoa(f)
    assert str(e.value).startswith("lsoa-all.csv: column 'NUMBER_OF_PATIENTS': line 3: area C81001:")
    assert "'12a'" in str(e.value)


def test_reader_refuses_a_code_that_is_no_lsoa_and_a_second_extract(tmp_path):
    f = patients_csv(tmp_path, [("C81001", "E01000001", 1), ("C81001", "LE15 6NT", 2)])
    with pytest.raises(DataValidationError, match=r"column 'LSOA_CODE': line 3: not an LSOA code"):
        gp.read_patients_lsoa(f)
    g = tmp_path / "two.csv"
    g.write_text(
        HEADER
        + "GP_PRAC_PAT_LIST,01OCT2021,C81001,A,E01000001,ALL,1\nGP_PRAC_PAT_LIST,01NOV2021,C81001,A,E01000002,ALL,1\n"
    )
    with pytest.raises(DataValidationError, match=r"column 'EXTRACT_DATE': 2 extract dates in one file"):
        gp.read_patients_lsoa(g)
    h = tmp_path / "male.csv"
    h.write_text(HEADER + "GP_PRAC_PAT_LIST,01OCT2021,C81001,A,E01000001,MALE,1\n")
    with pytest.raises(DataValidationError, match=r"column 'SEX': line 2: SEX is not ALL"):
        gp.read_patients_lsoa(h)


# -------------------------------------------------------------------------------- majority place


def test_majority_place_with_outside_patients_on_lsoa_2011(tmp_path):
    f = patients_csv(
        tmp_path,
        [
            # C81001: 60 in derby, 30 + 10 in derbyshire (E01000003 is a 2011 code), 100 outside the ICS
            ("C81001", "E01000001", 60),
            ("C81001", "E01000002", 30),
            ("C81001", "E01000003", 10),
            ("C81001", "E01099999", 100),
            ("C81001", "NO2011", 50),
            # C81002: a tie (5 and 5) goes to the place listed first
            ("C81002", "E01000002", 5),
            ("C81002", "E01000001", 5),
            # C81003: nobody in the ICS -> no row
            ("C81003", "E01099999", 40),
        ],
    )
    got = gp.resident_places(gp.read_patients_lsoa(f), LSOA11, LSOA21, ORDER, "Derby and Derbyshire")
    assert list(got["practice_code"]) == ["C81001", "C81002"]
    a, b = got.iloc[0], got.iloc[1]
    assert a["lsoa_vintage"] == "LSOA 2011"  # E01000003 is only a 2011 code
    assert (a["place_id"], a["patients"], a["patients_in_ics"], a["patients_in_place"]) == ("derby", 200, 100, 60)
    assert a["share"] == pytest.approx(60.0) and a["outside_share"] == pytest.approx(50.0)
    assert a["place_basis"] == (
        "where most of its registered patients living in Derby and Derbyshire live (NHS England, October 2021; "
        "60% of them)"
    )
    assert (b["place_id"], b["share"]) == ("derby", 50.0)
    assert gp.resident_places(gp.read_patients_lsoa(f), LSOA11, LSOA21, ORDER[::-1], "D")["place_id"].tolist() == [
        "derby",
        "derbyshire",
    ]  # the tie follows the places file's order


def test_majority_place_on_lsoa_2021_codes(tmp_path):
    # E01035002 is a 2021 code (in derby); on 2011 codes it would be outside the ICS
    f = patients_csv(tmp_path, [("C81001", "E01035002", 40), ("C81001", "E01000002", 30), ("C81001", "E01035001", 5)])
    got = gp.resident_places(gp.read_patients_lsoa(f), LSOA11, LSOA21, ORDER, "D")
    assert got[["place_id", "patients_in_ics", "patients_in_place", "lsoa_vintage"]].values.tolist() == [
        ["derby", 75, 40, "LSOA 2021"]
    ]


def test_no_file_gives_an_empty_valid_table():
    empty = pd.DataFrame(columns=["practice_code", "lsoa_code", "patients", "extract"])
    got = gp.resident_places(empty, LSOA11, LSOA21, ORDER, "D")
    assert got.empty and list(got.columns) == list(gp.RESIDENCE_SCHEMA.columns)
    gp.validate(got, gp.RESIDENCE_SCHEMA, "none")


# ------------------------------------------------------------------------------------- rule order

#: Derby-shaped: one sub-ICB location over two places, one PCN listed.
RULE = {"sub_icbs": {"15M": None}, "pcns": {"U11111": "derbyshire"}, "postcode_districts": {}, "rest": {}}
HOME = ("derby", "where most of its registered patients living in Derby and Derbyshire live (NHS England, x; 60%)")


def test_a_listed_pcn_beats_where_the_patients_live():
    assert gp.assign_place("15M", "U11111", "DE1 1AA", RULE, HOME) == (
        "derbyshire",
        "CCG 15M covers more than one place; PCN U11111 is listed for it",
    )


def test_a_practice_with_no_listing_goes_where_most_of_its_patients_live():
    place, basis = gp.assign_place("15M", "U22222", "DE1 1AA", RULE, HOME)
    assert place == "derby"
    assert basis == f"CCG 15M covers more than one place and no listing decides; {HOME[1]}"
    assert gp.assign_place("15M", None, None, RULE, HOME)[0] == "derby"


def test_without_the_file_the_practice_stays_not_placed():
    for home in (None, (None, None)):
        assert gp.assign_place("15M", "U22222", None, RULE, home) == (
            None,
            "not placed: CCG 15M covers more than one place and PCN U22222 is not listed",
        )


def test_rest_and_a_sub_icb_in_one_place_beat_where_the_patients_live():
    with_rest = {**RULE, "rest": {"15M": "derbyshire"}}
    assert gp.assign_place("15M", "U22222", None, with_rest, HOME)[0] == "derbyshire"
    assert gp.assign_place("15M", None, None, {"sub_icbs": {"15M": "derbyshire"}}, HOME)[0] == "derbyshire"
    assert gp.assign_place("04C", None, None, RULE, HOME) == (None, "not in this ICS")


def test_practice_places_reads_the_residence_columns(monkeypatch):
    from llr_analysis.analysis.localities import pcns

    monkeypatch.setattr(gp, "practice_rule", lambda: RULE)
    practices = pd.DataFrame(
        {
            "practice_code": ["C81001", "C81002", "C81003"],
            "practice_name": ["A", "B", "C"],
            "current_ccg_code": ["15M"] * 3,
            "pcn_code": ["U11111", "U22222", "U22222"],
            "pcn_name": ["P1", "P2", "P2"],
            "postcode": ["DE1 1AA"] * 3,
            "status": ["active"] * 3,
            "resident_place_id": ["derby", "derby", None],
            "resident_basis": [HOME[1], HOME[1], None],
        }
    )
    placed = pcns.practice_places(practices)
    assert dict(zip(placed["practice_code"], placed["place_id"], strict=True)) == {
        "C81001": "derbyshire",
        "C81002": "derby",
    }
    unplaced = pcns.unplaced_practices(practices)
    assert unplaced["practice_code"].tolist() == ["C81003"]
    # a practice table without the columns (built before this step) places nobody by residence
    assert pcns.practice_places(practices.drop(columns=["resident_place_id", "resident_basis"]))[
        "practice_code"
    ].tolist() == ["C81001"]


def test_a_fingertips_pcn_the_rule_cannot_place_takes_its_practices_place():
    from llr_analysis.analysis.cancer_screening.fingertips import _pcn_place

    not_placed = gp.assign_place("15M", "U22222", None, RULE)
    assert _pcn_place(not_placed, "U22222", {"U22222": "derby"}) == "derby"
    assert _pcn_place(not_placed, "U22222", None) is None
    assert _pcn_place((None, gp.NOT_IN_ICS), "U22222", {"U22222": "derby"}) is None


# ------------------------------------------------------------------------------- optional dataset


def test_an_optional_dataset_absent_from_the_mirror_is_skipped_and_a_required_one_fails(project, tmp_path, monkeypatch):  # noqa: F811
    mirror = tmp_path / "mirror"
    (mirror / "lookups").mkdir(parents=True)
    (mirror / "lookups" / "toy.csv").write_text("A,B\n1,2\n")
    toy = make_dataset(project.root)
    online = make_dataset(
        project.root, id="online", mirror_path="gp/online.csv", filename="online.csv", topic="gp", optional=True
    )
    monkeypatch.setattr(sources, "registry", lambda: {"toy": toy, "online": online})
    lines: list[str] = []
    results = sources.fetch(project, mirror=mirror, log=lines.append)
    assert [(r.dataset_id, r.status) for r in results] == [("toy", "new"), ("online", "skipped")]
    assert lines == ["fetch online: not in the mirror: skipped (online only; https://example.org/toy)"]
    assert list(json.loads(project.lock_file.read_text())["datasets"]) == ["toy"]
    assert not (project.raw / "gp").exists()
    # the same dataset without the flag is an error, and nothing is written
    required = make_dataset(project.root, id="online", mirror_path="gp/online.csv", filename="online.csv", topic="gp")
    monkeypatch.setattr(sources, "registry", lambda: {"toy": toy, "online": required})
    with pytest.raises(FetchError, match="online: gp/online.csv is not in the mirror folder"):
        sources.fetch(project, mirror=mirror)


def test_an_optional_file_saved_by_hand_is_used_and_recorded(project, tmp_path, monkeypatch):  # noqa: F811
    mirror = tmp_path / "mirror"
    mirror.mkdir()
    online = make_dataset(
        project.root, id="online", mirror_path="gp/online.csv", filename="online.csv", topic="gp", optional=True
    )
    monkeypatch.setattr(sources, "registry", lambda: {"online": online})
    (project.raw / "gp").mkdir(parents=True)
    (project.raw / "gp" / "online.csv").write_text("A,B\n1,2\n")
    [r] = sources.fetch(project, mirror=mirror)
    assert r.status == "new"
    entry = json.loads(project.lock_file.read_text())["datasets"]["online"]
    assert entry["origin"] == "data/raw" and entry["sha256"] == sources.sha256_of(project.raw / "gp" / "online.csv")
    assert sources.fetch(project, mirror=mirror)[0].status == "unchanged"
    (project.raw / "gp" / "online.csv").unlink()  # deleted again: skipped, and the lock forgets it
    assert sources.fetch(project, mirror=mirror)[0].status == "skipped"
    assert json.loads(project.lock_file.read_text())["datasets"] == {}


def test_online_the_csv_is_taken_from_nhs_englands_zip(project, tmp_path):  # noqa: F811
    """The registered dataset's own extract rule on a zip in the official layout (a file:// download)."""
    reg = sources.registry()["gp_registered_patients_lsoa"]
    assert reg.optional and reg.extract == {"zip_member": "gp-reg-pat-prac-lsoa-all.csv"} and reg.format == "csv"
    body = HEADER + "GP_PRAC_PAT_LIST,01OCT2021,C81001,A,E01000001,ALL,12\n"
    z = tmp_path / "gp-reg-pat-prac-lsoa-male-female-october-21.zip"
    with zipfile.ZipFile(z, "w") as zf:
        zf.writestr("gp-reg-pat-prac-lsoa-all.csv", body)
        zf.writestr("gp-reg-pat-prac-lsoa-male.csv", body.replace(",ALL,", ",MALE,"))
    ds = sources.Dataset(**{**reg.__dict__, "download_url": z.as_uri()})
    lock = sources.read_lock(project)
    r = sources.fetch_one(ds, project, lock, mirror=None)
    assert r.status == "new" and r.path.read_text() == body
    assert gp.read_patients_lsoa(r.path)["patients"].tolist() == [12]


# ------------------------------------------------------------------------------------------ the step


def test_the_step_reads_the_file_when_there_and_gives_no_rows_without_it(project):  # noqa: F811
    """The registered step on a project whose geography tables hold three LSOAs of LLR's places file."""
    from llr_analysis import process

    process.ordered_steps(["gp_practices"])
    st = process.STEPS["gp_practices"]
    assert st.optional_inputs == ("gp_registered_patients_lsoa",) and st.inputs == () and "geography" in st.after
    geo = project.processed / "geography"
    geo.mkdir(parents=True)
    pd.DataFrame({"lsoa11_code": ["E01025000", "E01013300"], "place_id": ["leicester", "rutland"]}).to_parquet(
        geo / "lsoa11.parquet"
    )
    pd.DataFrame({"lsoa21_code": ["E01025000", "E01013300"], "place_id": ["leicester", "rutland"]}).to_parquet(
        geo / "lsoa21.parquet"
    )
    empty = st.func(project)[gp.RESIDENCE_TABLE]
    assert empty.empty
    before = process.step_hash(st, project, {})
    f = project.raw / "gp_practices" / "gp-reg-pat-prac-lsoa-all.csv"
    f.parent.mkdir(parents=True)
    patients_csv(f.parent, [("C82001", "E01013300", 9), ("C82001", "E01025000", 4)], name=f.name)
    assert process.step_hash(st, project, {}) != before  # the file's arrival reruns the step
    got = st.func(project)[gp.RESIDENCE_TABLE]
    assert got[["practice_code", "place_id", "patients_in_place", "patients_in_ics"]].values.tolist() == [
        ["C82001", "rutland", 9, 13]
    ]
