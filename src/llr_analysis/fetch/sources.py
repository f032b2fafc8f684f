"""The sources registry and the fetch step.

Every dataset is declared once in ``config/sources.yml``. :func:`fetch` puts each one in
``data/raw/<topic>/<filename>``: copied from a mirror folder when one is configured
(``--mirror``, ``$LLR_MIRROR`` or ``[tool.llr] mirror``), downloaded from its direct URL
otherwise. Every file fetched is recorded in the committed lock ``data/sources.lock.json``
(url, sha256, bytes, retrieved time, licence), in the spirit of owid/etl snapshot metadata.
A file whose sha256 differs from the lock is an error unless ``refresh=True``; a refresh
reports what changed (checksum, rows, columns) before the lock is rewritten.
"""

from __future__ import annotations

import csv
import hashlib
import json
import re
import shutil
import tempfile
import urllib.request
import zipfile
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import Annotated, Literal

from pydantic import ConfigDict, Field, StringConstraints, ValidationError, field_validator

from llr_analysis.configfile import Strict, describe, load_yaml
from llr_analysis.errors import ConfigError, FetchError
from llr_analysis.paths import ProjectPaths

LOCK_VERSION = 1
USER_AGENT = "llr-analysis (+https://github.com/) python-urllib"


@dataclass(frozen=True)
class Dataset:
    id: str
    title: str
    publisher: str
    topic: str
    vintage: str
    licence: str
    url: str
    mirror_path: str
    filename: str
    format: str
    layout: str = ""
    geography: str = ""
    coverage: str = ""
    download_url: str | None = None
    extract: dict = field(default_factory=dict)
    derived_from: str = ""
    status: str = "official"
    #: online only: a mirror without it skips it (see the header of config/sources.yml)
    optional: bool = False

    def raw_path(self, paths: ProjectPaths) -> Path:
        return paths.raw / self.topic / self.filename

    @property
    def relative_raw_path(self) -> str:
        return f"{self.topic}/{self.filename}"


DATASET_FIELDS = {f.name for f in Dataset.__dataclass_fields__.values()} - {"id"}
REQUIRED_FIELDS = {
    n
    for n, f in Dataset.__dataclass_fields__.items()
    if n != "id" and f.default is f.default_factory is __import__("dataclasses").MISSING
}
EXTRACT_KEYS = {"zip_member", "sheet", "header_row"}


def parse_registry(text: str, where: str = "config/sources.yml") -> dict[str, Dataset]:
    """The datasets declared in a sources.yml text; one clear :class:`ConfigError` for anything wrong."""
    doc = load_yaml(text, where)  # a key given twice (a dataset pasted twice) is refused here
    if not isinstance(doc, dict) or not isinstance(doc.get("datasets"), dict):
        raise ConfigError(f"{where}: expected a top-level 'datasets:' mapping of dataset id -> fields")
    unknown_top = sorted(set(doc) - {"datasets"})
    if unknown_top:
        raise ConfigError(f"{where}: unknown top-level key {unknown_top[0]!r}; the file has only 'datasets:'")
    out = {}
    for i, d in doc["datasets"].items():
        if not isinstance(d, dict):
            raise ConfigError(f"{where}: dataset {i!r} must be a mapping of fields, not {type(d).__name__}")
        unknown = sorted(set(d) - DATASET_FIELDS)
        if unknown:
            near = __import__("difflib").get_close_matches(str(unknown[0]), sorted(DATASET_FIELDS), n=1)
            hint = f" (did you mean {near[0]!r}?)" if near else ""
            raise ConfigError(
                f"{where}: dataset {i!r} has an unknown key {unknown[0]!r}{hint}; "
                f"valid keys: {', '.join(sorted(DATASET_FIELDS))}"
            )
        missing = sorted(k for k in REQUIRED_FIELDS if d.get(k) in (None, ""))
        if missing:
            raise ConfigError(f"{where}: dataset {i!r} lacks the required key {missing[0]!r}")
        extract = d.get("extract") or {}
        if not isinstance(extract, dict) or set(extract) - EXTRACT_KEYS:
            bad = sorted(set(extract) - EXTRACT_KEYS) if isinstance(extract, dict) else [extract]
            raise ConfigError(
                f"{where}: dataset {i!r}: unknown extract key {bad[0]!r}; valid: {', '.join(sorted(EXTRACT_KEYS))}"
            )
        try:
            _DatasetModel.model_validate(d)
        except ValidationError as exc:
            raise ConfigError(
                describe(exc, where, _DatasetModel).replace(" key '", f" key 'datasets.{i}.", 1)
            ) from None
        out[i] = Dataset(id=i, **{k: v for k, v in d.items() if v is not None or k == "download_url"})
    return out


_PLAIN_NAME = r"^[^/\\]+$"


class _Extract(Strict):
    zip_member: str | None = None
    sheet: str | None = None
    header_row: Annotated[int, Field(ge=1)] | None = None


class _DatasetModel(Strict):
    """The types and allowed values of a dataset's keys (names and presence are checked above)."""

    model_config = ConfigDict(extra="forbid", coerce_numbers_to_str=True)
    title: str
    publisher: str
    topic: Annotated[str, StringConstraints(pattern=r"^[a-z][a-z0-9_]*$")]
    vintage: str
    licence: str
    url: str
    mirror_path: str
    filename: Annotated[str, StringConstraints(pattern=_PLAIN_NAME)]
    format: Literal["csv", "xlsx", "xls", "geojson", "json", "zip"]
    layout: str = ""
    geography: str = ""
    coverage: str = ""
    download_url: Annotated[str, StringConstraints(pattern=r"^(https?|file)://")] | None = None
    extract: _Extract | None = None
    derived_from: str = ""
    status: str | None = None
    optional: bool = False

    @field_validator("mirror_path")
    @classmethod
    def _inside_the_mirror(cls, v: str) -> str:
        if v.startswith(("/", "\\")) or ".." in v.replace("\\", "/").split("/"):
            raise ValueError("must be a path inside the mirror folder (relative, without '..')")
        return v


@lru_cache(maxsize=1)
def registry() -> dict[str, Dataset]:
    """All datasets declared in ``config/sources.yml``, by id."""
    text = resources.files("llr_analysis.config").joinpath("sources.yml").read_text()
    return parse_registry(text)


def get_dataset(dataset_id: str) -> Dataset:
    reg = registry()
    if dataset_id not in reg:
        raise FetchError(f"unknown dataset {dataset_id!r}: it is not declared in config/sources.yml")
    return reg[dataset_id]


def raw_path(dataset_id: str, paths: ProjectPaths) -> Path:
    """Where the raw file of ``dataset_id`` lives; a clear error if it was never fetched."""
    ds = get_dataset(dataset_id)
    p = ds.raw_path(paths)
    if not p.exists():
        raise FetchError(f"{ds.relative_raw_path} (dataset {dataset_id}) is not in {paths.raw}: run `llr fetch` first")
    return p


# --------------------------------------------------------------------------------------- lock


def read_lock(paths: ProjectPaths) -> dict:
    """The lock (``data/sources.lock.json``); a missing lock is empty, a corrupt one a clear ConfigError."""
    f = paths.lock_file
    if not f.exists():
        return {"version": LOCK_VERSION, "datasets": {}}
    fix = (
        "restore it with `git checkout -- data/sources.lock.json` (or delete it and run `llr fetch`, "
        "which records every file afresh)"
    )
    try:
        lock = json.loads(f.read_text(encoding="utf-8"))
    except UnicodeDecodeError:
        raise ConfigError(f"{f.name}: the lock is not UTF-8 text (corrupt?); {fix}") from None
    except json.JSONDecodeError as exc:
        raise ConfigError(
            f"{f.name}: the lock is not valid JSON (line {exc.lineno}, column {exc.colno}: "
            f"{exc.msg}; truncated or edited by hand?); {fix}"
        ) from None
    if not isinstance(lock, dict) or not isinstance(lock.get("datasets"), dict):
        raise ConfigError(f"{f.name}: the lock has no 'datasets' mapping (not a sources lock?); {fix}")
    for key, entry in lock["datasets"].items():
        if not isinstance(entry, dict) or not re.fullmatch(r"[0-9a-f]{64}", str(entry.get("sha256", ""))):
            raise ConfigError(f"{f.name}: the entry {key!r} has no valid sha256 checksum; {fix}")
    return lock


def write_lock(paths: ProjectPaths, lock: dict) -> None:
    lock = {"version": LOCK_VERSION, "datasets": dict(sorted(lock["datasets"].items()))}
    paths.lock_file.parent.mkdir(parents=True, exist_ok=True)
    tmp = paths.lock_file.with_suffix(".tmp")
    tmp.write_text(json.dumps(lock, indent=2, ensure_ascii=False) + "\n")
    tmp.replace(paths.lock_file)


def sha256_of(path: Path) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for chunk in iter(lambda: f.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


# ------------------------------------------------------------------------------ content checks


def check_content(path: Path, ds: Dataset, origin: str | None = None) -> None:
    """Reject what is obviously not the expected file: empty, an HTML page, a truncated archive or
    workbook, a CSV whose last line is incomplete or whose rows are ragged, JSON cut off."""
    source = origin or ds.download_url or ds.url
    size = path.stat().st_size
    if size == 0:
        raise FetchError(f"{ds.relative_raw_path}: the fetched file is empty (0 bytes) — nothing was written")
    head = path.read_bytes()[:512].lstrip(b"\xef\xbb\xbf").lstrip().lower()
    if head.startswith((b"<!doctype html", b"<html")) or (b"<html" in head and ds.format != "html"):
        raise FetchError(
            f"{ds.relative_raw_path}: an HTML page was fetched where a {ds.format.upper()} file was expected "
            f"(an error or proxy page?) from {ds.download_url or ds.url} — nothing was written"
        )
    if ds.format in ("xlsx", "zip") and not zipfile.is_zipfile(path):
        raise FetchError(f"{ds.relative_raw_path}: not a valid {ds.format} (zip) archive — truncated download?")
    if ds.format == "xls" and not path.read_bytes()[:8] == bytes.fromhex("d0cf11e0a1b11ae1"):
        raise FetchError(f"{ds.relative_raw_path}: not a valid .xls workbook — truncated download?")
    if ds.format == "xls" and size % 512:
        # an OLE2 compound file is whole 512-byte sectors; anything else was cut off
        raise FetchError(
            f"{ds.relative_raw_path}: the .xls workbook from {source} is cut off ({size} bytes, not whole "
            "512-byte sectors) — truncated download? Nothing was saved"
        )
    if ds.format == "csv":
        check_csv_complete(path.read_bytes(), f"{ds.relative_raw_path} (dataset {ds.id}, from {source})")
    if ds.format in ("json", "geojson"):
        try:
            json.loads(path.read_bytes().decode("utf-8-sig", errors="replace"))
        except json.JSONDecodeError as exc:
            raise FetchError(
                f"{ds.relative_raw_path} (dataset {ds.id}, from {source}): line {exc.lineno}: not complete JSON "
                f"({exc.msg}, column {exc.colno}; cut off?) — nothing was saved over data/raw"
            ) from None


def check_csv_complete(body: bytes, source: str) -> None:
    """A CSV download or response whose last line is incomplete, or whose rows do not all have the
    header's number of fields, is refused (a :class:`FetchError` naming ``source`` and the line)."""
    from llr_analysis.validate import csv_structure_problem

    found = csv_structure_problem(body.decode("utf-8-sig", errors="replace"))
    if found is not None:
        problem, line = found
        raise FetchError(f"{source}: line {line}: {problem} — nothing was saved over data/raw")


# ------------------------------------------------------------------------------ change report

PERIOD_COLUMN = re.compile(r"^(period|time ?period|year|date|financial year|time)$", re.IGNORECASE)


def describe_table(path: Path) -> dict:
    """Row count, header and periods (values of a period/year column) of a CSV, for refresh reports;
    empty for other formats."""
    if path.suffix.lower() != ".csv":
        return {}
    with open(path, newline="", encoding="utf-8-sig", errors="replace") as f:
        reader = csv.reader(f)
        header = next(reader, [])
        period_cols = [i for i, c in enumerate(header) if PERIOD_COLUMN.match(c.strip())]
        periods: set[str] = set()
        rows = 0
        for row in reader:
            rows += 1
            for i in period_cols:
                if i < len(row):
                    periods.add(row[i])
    return {"rows": rows, "columns": header, "periods": periods}


def compare_versions(old: Path | None, new: Path) -> list[str]:
    """What changed between two versions of a raw file, in words."""
    if old is None or not old.exists():
        return ["new file"]
    changes = []
    a, b = describe_table(old), describe_table(new)
    if a and b:
        if a["rows"] != b["rows"]:
            changes.append(f"rows {a['rows']} -> {b['rows']}")
        added = [c for c in b["columns"] if c not in a["columns"]]
        removed = [c for c in a["columns"] if c not in b["columns"]]
        if added:
            changes.append(f"columns added: {added}")
        if removed:
            changes.append(f"columns removed: {removed}")
        new_periods = sorted(b["periods"] - a["periods"])
        gone_periods = sorted(a["periods"] - b["periods"])
        if new_periods:
            changes.append(f"new periods: {new_periods}")
        if gone_periods:
            changes.append(f"periods no longer present: {gone_periods}")
    return changes


# ---------------------------------------------------------------------------------- fetching


@dataclass
class FetchResult:
    dataset_id: str
    path: Path
    sha256: str
    status: str  # "unchanged", "new", "updated"
    origin: str  # "mirror" or the URL downloaded from
    changes: list[str] = field(default_factory=list)


def _download(url: str, dest: Path, timeout: float = 120) -> None:
    """Download ``url`` (http(s) or file://) to ``dest``."""
    req = urllib.request.Request(url, headers={"User-Agent": USER_AGENT})
    try:
        with urllib.request.urlopen(req, timeout=timeout) as resp, open(dest, "wb") as out:
            shutil.copyfileobj(resp, out)
    except Exception as exc:
        raise FetchError(f"could not download {url}: {exc}") from exc


def _apply_extract(download: Path, ds: Dataset, dest: Path) -> None:
    """Turn an official download into the expected file (zip member, workbook sheet -> CSV)."""
    src = download
    member = ds.extract.get("zip_member")
    if member:
        if not zipfile.is_zipfile(src):
            raise FetchError(f"{ds.id}: expected a zip archive from {ds.download_url}")
        with zipfile.ZipFile(src) as z:
            names = [n for n in z.namelist() if n.endswith(member)]
            if not names:
                raise FetchError(f"{ds.id}: {member!r} is not in the downloaded archive ({z.namelist()[:10]})")
            extracted = dest.with_suffix(".member")
            extracted.write_bytes(z.read(names[0]))
            src = extracted
    sheet = ds.extract.get("sheet")
    if sheet:
        import pandas as pd

        header = int(ds.extract.get("header_row", 1)) - 1
        df = pd.read_excel(src, sheet_name=sheet, header=header)
        df.to_csv(dest, index=False)
    else:
        shutil.copyfile(src, dest)


STAGING_PREFIX = ".fetch-"


def check_mirror(mirror: Path | None) -> None:
    """A mirror folder that was named (``--mirror``, ``$LLR_MIRROR``) but is not there is reported as
    that, not as a missing file."""
    if mirror is not None and not Path(mirror).is_dir():
        what = "is a file, not a folder" if Path(mirror).exists() else "does not exist"
        raise FetchError(
            f"the mirror folder {mirror} {what} (given by --mirror or $LLR_MIRROR): give the folder that "
            "holds MANIFEST.csv, or unset LLR_MIRROR to download from the publishers — nothing was fetched"
        )


def fetch_one(
    ds: Dataset,
    paths: ProjectPaths,
    lock: dict,
    *,
    mirror: Path | None,
    refresh: bool = False,
    staged: list[tuple[Path, Path]] | None = None,
) -> FetchResult:
    """Fetch one dataset into data/raw and record it in ``lock`` (in memory).

    The file is written to a hidden temporary file beside its target and renamed into place only
    when every check passed. With ``staged`` (a list), the checked file is left under a hidden
    staging name and ``(staging file, target)`` appended, for :func:`fetch` to rename once every
    dataset of the run has succeeded.
    """
    target = ds.raw_path(paths)
    locked = lock["datasets"].get(ds.id)

    # Fast path: the file is here and matches the lock. A mirror is always compared with the
    # lock (hashing a local file is cheap), so a changed mirror file is caught as drift; a
    # download is repeated only on refresh.
    if not refresh and locked and target.exists() and sha256_of(target) == locked["sha256"]:
        if mirror is None:
            return FetchResult(ds.id, target, locked["sha256"], "unchanged", "data/raw")
        src = mirror / ds.mirror_path
        if src.exists() and sha256_of(src) == locked["sha256"]:
            return FetchResult(ds.id, target, locked["sha256"], "unchanged", "mirror")

    check_mirror(mirror)
    if mirror is not None and ds.optional and not (mirror / ds.mirror_path).exists() and not target.exists():
        # online only (see config/sources.yml): nothing to copy, nothing recorded, the build goes on
        changes = [f"not in the mirror: skipped (online only; {ds.url})"]
        if lock["datasets"].pop(ds.id, None) is not None:  # a file saved by hand earlier, since deleted
            changes.append("its lock entry was removed (the file is no longer in data/raw)")
        return FetchResult(ds.id, target, "", "skipped", "none", changes)
    target.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(dir=target.parent, prefix=STAGING_PREFIX) as tmpdir:
        tmp = Path(tmpdir) / ds.filename
        if mirror is not None:
            src = mirror / ds.mirror_path
            if not src.exists() and ds.optional:
                src, origin = target, "data/raw"  # an online-only file saved by hand: used and recorded
            elif not src.exists():
                raise FetchError(f"{ds.id}: {ds.mirror_path} is not in the mirror folder {mirror}")
            else:
                origin = "mirror"
            shutil.copyfile(src, tmp)
        else:
            if not ds.download_url:
                raise FetchError(
                    f"{ds.id}: no direct download link is known for {ds.title!r}. Download it by hand from "
                    f"{ds.url} and save it as data/raw/{ds.relative_raw_path}, or set LLR_MIRROR to a mirror folder."
                )
            dl = Path(tmpdir) / "download"
            _download(ds.download_url, dl)
            if ds.extract:
                _apply_extract(dl, ds, tmp)
            else:
                dl.replace(tmp)
            origin = ds.download_url
        check_content(tmp, ds, str(src) if mirror is not None else ds.download_url)
        digest = sha256_of(tmp)

        if locked and locked["sha256"] != digest and not refresh:
            raise FetchError(
                f"{ds.relative_raw_path}: checksum drift — the fetched file has sha256 {digest[:12]}… but "
                f"data/sources.lock.json records {locked['sha256'][:12]}… (retrieved {locked.get('retrieved')}). "
                "If the publisher released a new version, run `llr fetch --refresh` to review and accept it."
            )
        changes = compare_versions(target if target.exists() else None, tmp) if (refresh or not locked) else []
        if locked and locked["sha256"] != digest:
            changes.insert(0, f"sha256 {locked['sha256'][:12]}… -> {digest[:12]}…")
        size = tmp.stat().st_size
        if staged is None:
            tmp.replace(target)
        else:
            pending = target.parent / f"{STAGING_PREFIX}{ds.filename}.{digest[:12]}"
            tmp.replace(pending)
            staged.append((pending, target))

    status = "new" if not locked else ("updated" if locked["sha256"] != digest else "unchanged")
    if status == "unchanged" and locked.get("file") != f"data/raw/{ds.relative_raw_path}":
        locked["file"] = f"data/raw/{ds.relative_raw_path}"  # the registry renamed the file
        status = "moved"
    if status not in ("unchanged", "moved") or not locked:
        lock["datasets"][ds.id] = {
            "file": f"data/raw/{ds.relative_raw_path}",
            "url": ds.url,
            "download_url": ds.download_url,
            "origin": origin if origin in ("mirror", "data/raw") else "download",
            "sha256": digest,
            "bytes": size,
            "retrieved": datetime.now(UTC).replace(microsecond=0).isoformat(),
            "licence": ds.licence,
            "vintage": ds.vintage,
            "publisher": ds.publisher,
        }
    return FetchResult(ds.id, target, digest, status, origin, changes)


def fetch(
    paths: ProjectPaths,
    dataset_ids: Iterable[str] | None = None,
    *,
    mirror: Path | None = None,
    refresh: bool = False,
    use_configured_mirror: bool = True,
    log=None,
) -> list[FetchResult]:
    """Fetch datasets (all registered ones by default) and update the lock.

    An ``optional`` (online-only) dataset the mirror lacks is skipped (``log`` is told), with nothing
    in the lock; every other dataset missing from the mirror is an error.

    All-or-nothing: every file is fetched and checked into a hidden staging file first; only when
    every dataset succeeded are they renamed into data/raw and the lock rewritten. If any dataset
    fails, the error names it, the staged files are removed and data/raw and the lock are as they
    were.
    """
    reg = registry()
    ids = list(dataset_ids) if dataset_ids is not None else list(reg)
    if mirror is None and use_configured_mirror:
        mirror = paths.mirror()
    check_mirror(mirror)
    lock = read_lock(paths)
    datasets = [get_dataset(i) for i in ids]
    clean_staging(paths)
    results: list[FetchResult] = []
    staged: list[tuple[Path, Path]] = []
    try:
        for ds in datasets:
            results.append(fetch_one(ds, paths, lock, mirror=mirror, refresh=refresh, staged=staged))
    except BaseException:
        for pending, _ in staged:  # nothing of a failed fetch reaches data/raw
            pending.unlink(missing_ok=True)
        raise
    for pending, target in staged:
        pending.replace(target)
    for r in results:
        if r.status == "skipped" and log is not None:
            log(f"fetch {r.dataset_id}: {'; '.join(r.changes)}")
    dropped = any(r.status == "skipped" and len(r.changes) > 1 for r in results)
    if dropped or any(r.status not in ("unchanged", "skipped") for r in results) or not paths.lock_file.exists():
        write_lock(paths, lock)
    return results


def clean_staging(paths: ProjectPaths) -> list[Path]:
    """Remove what an interrupted fetch left in data/raw (hidden ``.fetch-*`` files and folders)."""
    removed = []
    if paths.raw.exists():
        for p in sorted(paths.raw.rglob(f"{STAGING_PREFIX}*"), reverse=True):
            if p.is_dir():
                shutil.rmtree(p, ignore_errors=True)
            else:
                p.unlink(missing_ok=True)
            removed.append(p)
    return removed
