"""A small client for the OHID Fingertips API (https://fingertips.phe.org.uk/api), plain HTTP.

Data come from the ``all_data`` CSV endpoint, one request per indicator and area type::

    {base}/all_data/csv/by_indicator_id?indicator_ids=22001&child_area_type_id=502&parent_area_type_id=15

(the call ``fingertips_py.get_data_by_indicator_ids`` makes; ``fingertipsR::fingertips_data``
reads the same CSV). Each response is saved unchanged as
``data/raw/cancer_screening/fingertips/<recorded name>`` (see :func:`recorded_filename`) and
recorded in the lock ``data/sources.lock.json`` under ``fingertips/<recorded name>`` with the
URL, sha256, size and retrieval time, like the registered datasets.

``base_url`` may also be a local folder or a ``file://`` URL holding responses saved under their
recorded names (tests use this; so can a machine without internet that was handed the files).

Which indicators and area types are requested is configuration (``config/cancer_screening.yml``,
section ``fingertips``). Nothing here is needed for an offline build: the screening processing
step reads whatever this module saved, and the page says which programmes have no data.
"""

from __future__ import annotations

import io
import re
import tempfile
import urllib.parse
import urllib.request
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from llr_analysis.errors import DataValidationError, FetchError
from llr_analysis.paths import ProjectPaths
from llr_analysis.places import load_places

DEFAULT_BASE_URL = "https://fingertips.phe.org.uk/api"
USER_AGENT = "llr-analysis (+https://github.com/) python-urllib"
ENGLAND_CODE = load_places().england_code  # places.yml

#: Columns every all_data CSV must have (Fingertips' own header names).
REQUIRED_COLUMNS = [
    "Indicator ID",
    "Indicator Name",
    "Area Code",
    "Area Name",
    "Area Type",
    "Sex",
    "Age",
    "Category Type",
    "Category",
    "Time period",
    "Value",
    "Lower CI 95.0 limit",
    "Upper CI 95.0 limit",
    "Count",
    "Denominator",
    "Value note",
]
#: Columns used when present.
OPTIONAL_COLUMNS = ["Parent Code", "Parent Name", "Lower CI 99.8 limit", "Upper CI 99.8 limit", "Time period Sortable"]

#: Area code patterns by area level (used to keep a file's child areas and the England row).
AREA_CODE_PATTERNS = {
    "england": r"^E92000001$",
    "gp_practice": r"^[A-Z]\d{5}$",
    "pcn": r"^U\d{5}$",
    "sub_icb": r"^E38\d{6}$",
    "icb": r"^E54\d{6}$",
    "utla": r"^E(06|08|09|10|11)\d{6}$",
    "utla_2021": r"^E(06|08|09|10|11)\d{6}$",
}


@dataclass(frozen=True)
class Request:
    """One all_data request: an indicator at one child area type, under one parent area type."""

    indicator_id: int
    child_area_type_id: int
    parent_area_type_id: int
    level: str  # the child area level's name in the config, e.g. "gp_practice"

    @property
    def query(self) -> str:
        return "all_data/csv/by_indicator_id?" + urllib.parse.urlencode(
            {
                "indicator_ids": self.indicator_id,
                "child_area_type_id": self.child_area_type_id,
                "parent_area_type_id": self.parent_area_type_id,
            }
        )

    @property
    def filename(self) -> str:
        return recorded_filename(self.indicator_id, self.child_area_type_id, self.parent_area_type_id)


def recorded_filename(indicator_id: int, child_area_type_id: int, parent_area_type_id: int) -> str:
    """File name of a saved response, e.g. ``all_data_i22001_c502_p15.csv``."""
    return f"all_data_i{int(indicator_id)}_c{int(child_area_type_id)}_p{int(parent_area_type_id)}.csv"


_RECORDED = re.compile(r"^all_data_i(\d+)_c(\d+)_p(\d+)\.csv$")


def parse_recorded_filename(name: str) -> tuple[int, int, int] | None:
    m = _RECORDED.match(name)
    return (int(m.group(1)), int(m.group(2)), int(m.group(3))) if m else None


def planned_requests(config: dict | None = None) -> list[Request]:
    """Every request the configuration asks for (indicator x area type)."""
    if config is None:
        from llr_analysis import settings

        config = settings.cancer_screening()
    ft = config["fingertips"]
    types = ft["area_types"]
    parents = ft["parent_area_type"]
    out = []
    for ind in ft["indicators"]:
        for level in ind["area_types"]:
            if level not in types:
                raise FetchError(
                    f"config/cancer_screening.yml: indicator {ind['id']} names area type {level!r}, "
                    f"which is not in fingertips.area_types {sorted(types)}"
                )
            parent = parents.get(level, "england") if isinstance(parents, dict) else parents
            out.append(Request(int(ind["id"]), int(types[level]), int(types[parent]), level))
    return out


# ------------------------------------------------------------------------------ transport


def is_local(base_url: str) -> bool:
    return not str(base_url).lower().startswith(("http://", "https://"))


def _local_folder(base_url: str) -> Path:
    text = str(base_url)
    if text.lower().startswith("file://"):
        text = urllib.request.url2pathname(urllib.parse.urlparse(text).path)
    return Path(text)


def request_url(base_url: str, request: Request) -> str:
    """The URL a request is read from: the API URL, or the recorded file in a local folder."""
    if is_local(base_url):
        return (_local_folder(base_url) / request.filename).resolve().as_uri()
    return f"{str(base_url).rstrip('/')}/{request.query}"


def get(base_url: str, request: Request, timeout: float = 300) -> bytes:
    """The body of one response (bytes). A clear FetchError when it cannot be had."""
    if is_local(base_url):
        path = _local_folder(base_url) / request.filename
        if not path.exists():
            raise FetchError(
                f"Fingertips response {request.filename} (indicator {request.indicator_id}, "
                f"area type {request.child_area_type_id}) is not in {path.parent}"
            )
        return path.read_bytes()
    url = request_url(base_url, request)
    req = urllib.request.Request(url, headers={"User-Agent": USER_AGENT, "Accept": "text/csv"})
    try:
        with urllib.request.urlopen(req, timeout=timeout) as resp:
            return resp.read()
    except Exception as exc:
        raise FetchError(f"could not download {url}: {exc}") from exc


def check_response(body: bytes, source: str) -> None:
    """Reject what is not an all_data CSV: empty, an HTML/JSON error page, or missing columns."""
    if not body.strip():
        raise FetchError(f"{source}: the response is empty (0 bytes)")
    head = body[:512].lstrip(b"\xef\xbb\xbf").lstrip().lower()
    if head.startswith((b"<!doctype html", b"<html", b"{", b"[")):
        raise FetchError(
            f"{source}: an HTML or JSON page came back where the all_data CSV was expected "
            "(an error page, or the API changed?)"
        )
    header = io.StringIO(body.decode("utf-8-sig", errors="replace")).readline()
    cols = [c.strip().strip('"') for c in header.split(",")]
    missing = [c for c in REQUIRED_COLUMNS if c not in cols]
    if missing:
        raise FetchError(
            f"{source}: not a Fingertips all_data CSV; missing columns {missing} (header starts {cols[:6]})"
        )


# --------------------------------------------------------------------------------- fetching


@dataclass
class FingertipsFetch:
    request: Request
    path: Path
    sha256: str
    rows: int
    status: str  # "new", "updated", "unchanged"
    changes: list[str]


def fetch_fingertips(
    paths: ProjectPaths,
    base_url: str | None = None,
    requests: list[Request] | None = None,
    *,
    config: dict | None = None,
    log=print,
) -> list[FingertipsFetch]:
    """Download the configured Fingertips extracts into data/raw and record them in the lock.

    ``base_url`` defaults to the configured API (``fingertips.base_url``); a local folder or
    ``file://`` URL of recorded responses works the same way. Fingertips revises its data, so
    every call fetches afresh and reports what changed (rows, columns, checksum) against the
    copy already in data/raw. All-or-nothing: if any request fails, the error names it and
    nothing is saved in data/raw or recorded in the lock (responses wait in a hidden staging
    folder until every request succeeded).
    """
    from llr_analysis.fetch import sources

    if config is None:
        from llr_analysis import settings

        config = settings.cancer_screening()
    ft = config["fingertips"]
    base_url = base_url or ft.get("base_url") or DEFAULT_BASE_URL
    requests = planned_requests(config) if requests is None else requests
    folder = paths.raw / ft["raw_folder"]
    folder.mkdir(parents=True, exist_ok=True)
    lock = sources.read_lock(paths)
    sources.clean_staging(paths)
    results = []
    # All-or-nothing: every response is fetched and checked into a hidden staging folder first;
    # only when all succeeded are they moved into place and the lock rewritten. A failure leaves
    # data/raw and the lock exactly as they were.
    with tempfile.TemporaryDirectory(dir=folder, prefix=sources.STAGING_PREFIX) as tmpdir:
        staged = []
        for req in requests:
            source = request_url(base_url, req)
            body = get(base_url, req)
            check_response(body, source)
            try:
                from llr_analysis.validate import _decode_or_fail

                _decode_or_fail(Path(source), body, "utf-8-sig")
            except DataValidationError as exc:
                raise FetchError(f"{source}: {exc.problem} (line {exc.line}) - nothing was saved") from None
            target = folder / req.filename
            tmp = Path(tmpdir) / req.filename
            tmp.write_bytes(body)
            digest = sources.sha256_of(tmp)
            key = f"fingertips/{req.filename}"
            old = lock["datasets"].get(key)
            changes = sources.compare_versions(target if target.exists() else None, tmp)
            if old and old["sha256"] != digest:
                changes.insert(0, f"sha256 {old['sha256'][:12]}… -> {digest[:12]}…")
            status = "new" if not old else ("updated" if old["sha256"] != digest else "unchanged")
            if old and status == "unchanged" and target.exists() and sources.sha256_of(target) != digest:
                status = "restored"  # the copy in data/raw had been changed; the lock's version is back
            rows = sources.describe_table(tmp).get("rows", 0)
            staged.append((tmp, target))
            if status not in ("unchanged", "restored") or not old:
                lock["datasets"][key] = {
                    "file": f"data/raw/{ft['raw_folder']}/{req.filename}",
                    "url": source if not is_local(base_url) else f"{DEFAULT_BASE_URL}/{req.query}",
                    "download_url": source,
                    "origin": "download" if not is_local(base_url) else "local copy",
                    "sha256": digest,
                    "bytes": len(body),
                    "retrieved": datetime.now(UTC).replace(microsecond=0).isoformat(),
                    "licence": ft.get("licence", "Open Government Licence v3.0"),
                    "vintage": "as retrieved",
                    "publisher": ft.get("publisher", "OHID Fingertips"),
                }
            results.append(FingertipsFetch(req, target, digest, rows, status, [] if status == "unchanged" else changes))
        for tmp, target in staged:
            tmp.replace(target)
    for r in results:
        log(f"fingertips {r.request.filename}: {r.rows} rows ({r.status})")
    sources.write_lock(paths, lock)
    return results
