"""The sources registry, fetch from a mirror or a URL, and the lock."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from llr_analysis.errors import ConfigError, FetchError
from llr_analysis.fetch import sources
from llr_analysis.fetch.sources import Dataset
from llr_analysis.paths import project_paths


def make_dataset(tmp_path: Path, **kw) -> Dataset:
    base = dict(
        id="toy",
        title="Toy table",
        publisher="ONS",
        topic="lookups",
        vintage="2024",
        licence="Open Government Licence v3.0",
        url="https://example.org/toy",
        mirror_path="lookups/toy.csv",
        filename="toy.csv",
        format="csv",
    )
    base.update(kw)
    return Dataset(**base)


@pytest.fixture
def project(tmp_path):
    root = tmp_path / "proj"
    root.mkdir()
    (root / "pyproject.toml").write_text("[project]\nname='x'\n")
    (root / "_quarto.yml").write_text("project: {type: website}\n")
    return project_paths(root)


@pytest.fixture
def toy_mirror(tmp_path):
    m = tmp_path / "mirror" / "lookups"
    m.mkdir(parents=True)
    (m / "toy.csv").write_text("LSOA21CD,LAD24CD\nE01000001,E06000016\nE01000002,E06000016\n")
    return tmp_path / "mirror"


def test_registry_declares_every_dataset_once_with_provenance():
    reg = sources.registry()
    assert len(reg) >= 40
    for ds in reg.values():
        assert ds.url and ds.licence and ds.publisher and ds.vintage and ds.filename
        assert ds.mirror_path and ds.filename.rsplit(".", 1)[-1] == ds.mirror_path.rsplit(".", 1)[-1]
    # the foundation's datasets are declared
    for i in ("iod2025_file7_llr", "iod2019_file7", "lsoa21_wd24_lad24_lookup", "lsoa21_boundaries"):
        assert i in reg


def test_fetch_from_mirror_copies_and_locks(project, toy_mirror):
    ds = make_dataset(project.root)
    lock = sources.read_lock(project)
    r = sources.fetch_one(ds, project, lock, mirror=toy_mirror)
    assert r.status == "new"
    assert (project.raw / "lookups" / "toy.csv").read_text().startswith("LSOA21CD")
    entry = lock["datasets"]["toy"]
    assert entry["sha256"] == sources.sha256_of(toy_mirror / "lookups" / "toy.csv")
    assert entry["bytes"] == (toy_mirror / "lookups" / "toy.csv").stat().st_size
    assert entry["url"] == "https://example.org/toy" and entry["licence"].startswith("Open Government")
    assert entry["retrieved"].endswith("+00:00")
    # a second fetch is a no-op
    again = sources.fetch_one(ds, project, lock, mirror=toy_mirror)
    assert again.status == "unchanged"


def test_checksum_drift_is_an_error_unless_refreshing(project, toy_mirror):
    ds = make_dataset(project.root)
    lock = sources.read_lock(project)
    sources.fetch_one(ds, project, lock, mirror=toy_mirror)
    before = (project.raw / "lookups" / "toy.csv").read_bytes()
    (toy_mirror / "lookups" / "toy.csv").write_text("LSOA21CD,LAD24CD,EXTRA\nE01000001,E06000016,1\n")
    with pytest.raises(FetchError, match="checksum drift"):
        sources.fetch_one(ds, project, lock, mirror=toy_mirror, refresh=False)
    assert (project.raw / "lookups" / "toy.csv").read_bytes() == before  # nothing written
    r = sources.fetch_one(ds, project, lock, mirror=toy_mirror, refresh=True)
    assert r.status == "updated"
    assert any("rows 2 -> 1" in c for c in r.changes)
    assert any("columns added: ['EXTRA']" in c for c in r.changes)


def test_download_path_works_from_a_local_folder(project, tmp_path):
    """Without a mirror, fetch downloads from download_url (file:// works like https://)."""
    src = tmp_path / "published.csv"
    src.write_text("LSOA21CD,LAD24CD\nE01000001,E06000016\n")
    ds = make_dataset(project.root, download_url=src.as_uri())
    lock = sources.read_lock(project)
    r = sources.fetch_one(ds, project, lock, mirror=None)
    assert r.status == "new" and r.origin == src.as_uri()
    assert lock["datasets"]["toy"]["origin"] == "download"


def test_no_download_link_says_where_to_get_the_file(project):
    ds = make_dataset(project.root, download_url=None)
    with pytest.raises(FetchError, match="Download it by hand from https://example.org/toy"):
        sources.fetch_one(ds, project, sources.read_lock(project), mirror=None)


@pytest.mark.parametrize(
    "content, message",
    [
        (b"", "empty"),
        (b"<!DOCTYPE html><html><body>Proxy error</body></html>", "HTML page"),
    ],
)
def test_bad_downloads_are_rejected(project, tmp_path, content, message):
    src = tmp_path / "bad.csv"
    src.write_bytes(content)
    ds = make_dataset(project.root, download_url=src.as_uri())
    with pytest.raises(FetchError, match=message):
        sources.fetch_one(ds, project, sources.read_lock(project), mirror=None)
    assert not (project.raw / "lookups" / "toy.csv").exists()


def test_truncated_workbook_is_rejected(project, tmp_path):
    src = tmp_path / "book.xlsx"
    src.write_bytes(b"PK\x03\x04 truncated")
    ds = make_dataset(
        project.root, download_url=src.as_uri(), filename="book.xlsx", format="xlsx", mirror_path="lookups/book.xlsx"
    )
    with pytest.raises(FetchError, match="truncated"):
        sources.fetch_one(ds, project, sources.read_lock(project), mirror=None)


def test_lock_file_is_sorted_json(project, toy_mirror):
    ds = make_dataset(project.root)
    lock = sources.read_lock(project)
    sources.fetch_one(ds, project, lock, mirror=toy_mirror)
    sources.write_lock(project, lock)
    data = json.loads(project.lock_file.read_text())
    assert data["version"] == 1 and list(data["datasets"]) == ["toy"]


def test_committed_lock_matches_the_mirror(mirror):
    """The lock in git records the mirror's files: a clean clone's fetch passes the drift check."""
    from conftest import REPO

    lock = json.loads((REPO / "data" / "sources.lock.json").read_text())["datasets"]
    reg = sources.registry()
    assert set(lock) == {i for i, ds in reg.items() if not ds.optional}  # online-only datasets: not in the mirror
    for ds_id, entry in lock.items():
        assert entry["sha256"] == sources.sha256_of(mirror / reg[ds_id].mirror_path), ds_id


def test_refresh_reports_a_new_vintage(project, tmp_path):
    """A publisher releases a new vintage: new period, more rows, a column added and one removed."""
    old = "Area Code,Period,Value,Note\nE06000016,2021-23,79.1,a\nE06000017,2021-23,83.0,b\n"
    new = (
        "Area Code,Period,Value,Lower CI\nE06000016,2021-23,79.1,78.8\nE06000017,2021-23,83.0,82.1\n"
        "E06000016,2022-24,79.4,79.0\nE06000017,2022-24,83.2,82.5\n"
    )
    src = tmp_path / "le.csv"
    src.write_text(old)
    ds = make_dataset(project.root, download_url=src.as_uri())
    lock = sources.read_lock(project)
    sources.fetch_one(ds, project, lock, mirror=None)
    first = lock["datasets"]["toy"]["sha256"]
    src.write_text(new)
    # without --refresh the download is not repeated (the local file matches the lock) ...
    assert sources.fetch_one(ds, project, lock, mirror=None).status == "unchanged"
    # ... with --refresh it is, and the report says what changed
    r = sources.fetch_one(ds, project, lock, mirror=None, refresh=True)
    assert r.status == "updated"
    assert r.changes[0].startswith(f"sha256 {first[:12]}")
    assert "rows 2 -> 4" in r.changes
    assert "columns added: ['Lower CI']" in r.changes and "columns removed: ['Note']" in r.changes
    assert "new periods: ['2022-24']" in r.changes
    assert lock["datasets"]["toy"]["sha256"] == sources.sha256_of(src)


def test_no_two_datasets_share_a_raw_file():
    paths = [ds.relative_raw_path for ds in sources.registry().values()]
    dupes = {p for p in paths if paths.count(p) > 1}
    assert not dupes, f"datasets would overwrite each other in data/raw: {dupes}"


# ------------------------------------------------------------------ provenance and clear messages


def test_failed_fetch_leaves_nothing_behind(project, toy_mirror, monkeypatch):
    """Two datasets; the second fails: the first is not left in data/raw and the lock is not written."""
    good = make_dataset(project.root)
    bad = make_dataset(project.root, id="bad", mirror_path="lookups/missing.csv", filename="bad.csv")
    monkeypatch.setattr(sources, "registry", lambda: {"toy": good, "bad": bad})
    with pytest.raises(FetchError, match="bad: lookups/missing.csv is not in the mirror folder"):
        sources.fetch(project, ["toy", "bad"], mirror=toy_mirror)
    assert not project.lock_file.exists()
    assert not any(p.is_file() for p in project.raw.rglob("*")), list(project.raw.rglob("*"))
    # the same with a file already there: it keeps its old, locked content
    sources.fetch(project, ["toy"], mirror=toy_mirror)
    before = (project.raw / "lookups" / "toy.csv").read_bytes()
    lock_before = project.lock_file.read_text()
    (toy_mirror / "lookups" / "toy.csv").write_text("LSOA21CD,LAD24CD\nE01000009,E06000017\n")
    with pytest.raises(FetchError):
        sources.fetch(project, ["toy", "bad"], mirror=toy_mirror, refresh=True)
    assert (project.raw / "lookups" / "toy.csv").read_bytes() == before
    assert project.lock_file.read_text() == lock_before
    assert sorted(p.name for p in project.raw.rglob("*")) == ["lookups", "toy.csv"]


def test_failed_fingertips_fetch_leaves_nothing_behind(project, tmp_path):
    from llr_analysis.fetch import fingertips

    recorded = Path(__file__).parent / "data" / "fingertips"
    folder = tmp_path / "responses"
    folder.mkdir()
    reqs = fingertips.planned_requests()[:2]
    (folder / reqs[0].filename).write_bytes((recorded / reqs[0].filename).read_bytes())
    (folder / reqs[1].filename).write_text("<html>Service unavailable</html>")  # second request fails
    with pytest.raises(FetchError, match="HTML or JSON page"):
        fingertips.fetch_fingertips(project, base_url=str(folder), requests=reqs, log=lambda *_: None)
    saved = project.raw / "cancer_screening" / "fingertips"
    assert [p for p in saved.rglob("*")] == [] and not project.lock_file.exists()


def test_unknown_key_in_sources_yml_is_one_clear_error():
    text = (
        "datasets:\n  toy:\n    title: Toy\n    publisher: ONS\n    topic: lookups\n    vintage: '2024'\n"
        "    licence: OGL\n    url: https://example.org\n    mirror_path: lookups/toy.csv\n"
        "    filename: toy.csv\n    format: csv\n    licnce: OGL\n"
    )
    with pytest.raises(ConfigError) as e:
        sources.parse_registry(text)
    assert str(e.value).startswith(
        "config/sources.yml: dataset 'toy' has an unknown key 'licnce' (did you mean 'licence'?); valid keys: "
    )
    with pytest.raises(ConfigError, match=r"config/sources.yml: not valid YAML \(line 3, column 1\)"):
        sources.parse_registry("datasets:\n  toy: [unclosed\n")
    with pytest.raises(ConfigError, match="dataset 'toy' lacks the required key 'url'"):
        sources.parse_registry(text.replace("    url: https://example.org\n", "").replace("    licnce: OGL\n", ""))


@pytest.mark.parametrize(
    "content, message",
    [
        ('{"version": 1, "datasets": {"toy": {"sha256": "ab', "not valid JSON (line 1, column"),
        ("[]", "no 'datasets' mapping"),
        ('{"version": 1, "datasets": {"toy": {"sha256": "xyz"}}}', "the entry 'toy' has no valid sha256"),
    ],
)
def test_corrupt_lock_is_one_clear_error(project, content, message):
    project.lock_file.parent.mkdir(parents=True, exist_ok=True)
    project.lock_file.write_text(content)
    with pytest.raises(ConfigError) as e:
        sources.read_lock(project)
    assert str(e.value).startswith("sources.lock.json: ") and message in str(e.value)
    assert "git checkout -- data/sources.lock.json" in str(e.value)


# ------------------------------------------------------------- downloads cut off (issue 25 item 1)


@pytest.mark.parametrize(
    "content, line, problem",
    [
        ("LSOA21CD,LAD24CD\nE01000001,E06000016\nE01000002,E0600", 3, "the last line is incomplete"),
        ("LSOA21CD,LAD24CD\nE01000001,E06000016\nE01000002\n", 3, "the row has 1 field where the header has 2"),
        ("LSOA21CD,LAD24CD\nE01000001,E06000016,x\nE01000002,E06000016\n", 2, "the row has 3 fields"),
    ],
)
def test_a_cut_off_or_ragged_mirror_file_is_refused_and_the_good_copy_stays(
    project, toy_mirror, content, line, problem
):
    """A mirror copy (or download) cut off mid-row or with ragged rows is refused on refresh, naming the
    dataset, the source and the line; the good copy in data/raw and the lock are unchanged."""
    ds = make_dataset(project.root)
    lock = sources.read_lock(project)
    sources.fetch_one(ds, project, lock, mirror=toy_mirror)
    sources.write_lock(project, lock)
    target = project.raw / "lookups" / "toy.csv"
    good, locked = target.read_bytes(), project.lock_file.read_bytes()
    (toy_mirror / "lookups" / "toy.csv").write_text(content)
    with pytest.raises(FetchError) as e:
        sources.fetch_one(ds, project, sources.read_lock(project), mirror=toy_mirror, refresh=True)
    msg = str(e.value)
    assert msg.startswith(f"lookups/toy.csv (dataset toy, from {toy_mirror / 'lookups' / 'toy.csv'}): line {line}: ")
    assert problem in msg and msg.endswith("nothing was saved over data/raw")
    assert target.read_bytes() == good and project.lock_file.read_bytes() == locked
    assert not [p for p in target.parent.iterdir() if p.name.startswith(".fetch-")]


def test_geojson_cut_off_and_xls_not_whole_sectors_are_refused(project, tmp_path):
    m = tmp_path / "m" / "boundaries"
    m.mkdir(parents=True)
    (m / "b.geojson").write_text('{"type": "FeatureCollection", "features": [{"type": "Feature", "prop')
    ds = make_dataset(project.root, mirror_path="boundaries/b.geojson", filename="b.geojson", format="geojson")
    with pytest.raises(
        FetchError,
        match=r"b.geojson \(dataset toy, from .*\): line 1: not complete JSON \(Unterminated string starting at, column",
    ):
        sources.fetch_one(ds, project, sources.read_lock(project), mirror=tmp_path / "m")
    (m / "w.xls").write_bytes(bytes.fromhex("d0cf11e0a1b11ae1") + b"\0" * 1000)
    ds = make_dataset(project.root, mirror_path="boundaries/w.xls", filename="w.xls", format="xls")
    with pytest.raises(FetchError, match=r"is cut off \(1008 bytes, not whole 512-byte sectors\)"):
        sources.fetch_one(ds, project, sources.read_lock(project), mirror=tmp_path / "m")
    assert not (project.raw / "lookups").exists() or not list((project.raw / "lookups").iterdir())


def test_a_missing_mirror_folder_is_reported_as_a_missing_folder(project, tmp_path):
    with pytest.raises(FetchError) as e:
        sources.fetch(project, ["lsoa21_wd24_lad24_lookup"], mirror=tmp_path / "no-such-mirror")
    assert str(e.value).startswith(f"the mirror folder {tmp_path / 'no-such-mirror'} does not exist (given by --mirror")
    assert "nothing was fetched" in str(e.value) and not project.raw.exists()


def test_every_mirror_csv_passes_the_structure_check(mirror):
    """The real files are complete and rectangular (the check refuses nothing good)."""
    from llr_analysis.validate import csv_structure_problem

    for ds in sources.registry().values():
        if ds.format == "csv" and (mirror / ds.mirror_path).exists():
            text = (mirror / ds.mirror_path).read_bytes().decode("utf-8-sig", errors="replace")
            assert csv_structure_problem(text) is None, ds.id


# ---------------------------------------------------------------- sources.yml (issue 25 item 4)


def test_a_dataset_pasted_twice_in_sources_yml_is_refused_with_both_lines():
    text = (
        "datasets:\n  toy:\n    title: Toy\n    publisher: ONS\n    topic: lookups\n    vintage: '2024'\n"
        "    licence: OGL\n    url: https://example.org\n    mirror_path: lookups/toy.csv\n"
        "    filename: toy.csv\n    format: csv\n"
    )
    twice = text + text.removeprefix("datasets:\n").replace("title: Toy", "title: Pasted")
    with pytest.raises(ConfigError) as e:
        sources.parse_registry(twice)
    assert str(e.value).startswith(
        "config/sources.yml: line 12: the key 'toy' appears twice in the same mapping (first on line 2)"
    )
    with pytest.raises(ConfigError, match=r"key 'datasets.toy.format': Input should be 'csv', 'xlsx', 'xls'"):
        sources.parse_registry(text.replace("format: csv", "format: cvs"))
    with pytest.raises(ConfigError, match=r"key 'datasets.toy.filename': String should match pattern"):
        sources.parse_registry(text.replace("filename: toy.csv", "filename: ../../etc/toy.csv"))
    with pytest.raises(ConfigError, match=r"key 'datasets.toy.mirror_path': must be a path inside the mirror"):
        sources.parse_registry(text.replace("mirror_path: lookups/toy.csv", "mirror_path: ../x/toy.csv"))
