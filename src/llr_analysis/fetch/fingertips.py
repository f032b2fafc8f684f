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
section ``fingertips``: ``indicators`` for screening coverage, ``other_indicators`` for other
topics, such as life expectancy 90366, each saved in its own ``raw_folder``). An indicator may name
``alternatives``: IDs tried in order when the first has no data for an area type (a missing or
empty response, or rows whose "Indicator Name" is not the configured one); breast screening
coverage at GP practice level is 94063, which appears to replace 91339. The file saved is named
after the ID used, :attr:`FingertipsFetch.note` and the lock entry say which, and a saved file of
the other ID for the same area types is removed (it would double the figures).

Nothing here is needed for an offline build: the processing steps read whatever this module
saved, and the page says which programmes have no data.
"""

from __future__ import annotations

import csv
import dataclasses
import io
import re
import tempfile
import urllib.parse
import urllib.request
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from llr_analysis.errors import DataValidationError, FetchError
from llr_analysis.fetch import sources
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
    "ltla": r"^E0[6-9]\d{6}$",
}


@dataclass(frozen=True)
class Request:
    """One all_data request: an indicator at one child area type, under one parent area type."""

    indicator_id: int
    child_area_type_id: int
    parent_area_type_id: int
    level: str  # the child area level's name in the config, e.g. "gp_practice"
    alternatives: tuple[int, ...] = ()  # indicator IDs tried in order when this one has no data
    raw_folder: str | None = None  # folder under data/raw (None: fingertips.raw_folder)
    name_contains: tuple[str, ...] = ()  # words every "Indicator Name" must contain (lower case)

    def using(self, indicator_id: int) -> Request:
        """The same request for another indicator ID (one of the alternatives)."""
        return dataclasses.replace(self, indicator_id=int(indicator_id), alternatives=())

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


def name_words(indicator: dict) -> tuple[str, ...]:
    """The words an indicator's "Indicator Name" must contain (``name_contains``: a word or a list)."""
    words = indicator.get("name_contains") or ()
    words = [words] if isinstance(words, str) else list(words)
    return tuple(str(w).strip().lower() for w in words if str(w).strip())


def configured_indicators(config: dict) -> dict[int, dict]:
    """Every configured indicator by ID, alternatives included (they take their indicator's settings)."""
    ft = config["fingertips"]
    out: dict[int, dict] = {}
    for ind in [*ft["indicators"], *ft.get("other_indicators", [])]:
        out[int(ind["id"])] = ind
        for alt in ind.get("alternatives") or ():
            out.setdefault(int(alt), {**ind, "id": int(alt), "alternatives": [], "alternative_of": int(ind["id"])})
    return out


def planned_requests(config: dict | None = None) -> list[Request]:
    """Every request the configuration asks for (indicator x area type), screening then other topics."""
    if config is None:
        from llr_analysis import settings

        config = settings.cancer_screening()
    ft = config["fingertips"]
    types = ft["area_types"]
    parents = ft["parent_area_type"]
    out = []
    for ind in [*ft["indicators"], *ft.get("other_indicators", [])]:
        for level in ind["area_types"]:
            if level not in types:
                raise FetchError(
                    f"config/cancer_screening.yml: indicator {ind['id']} names area type {level!r}, "
                    f"which is not in fingertips.area_types {sorted(types)}"
                )
            parent = parents.get(level, "england") if isinstance(parents, dict) else parents
            out.append(
                Request(
                    int(ind["id"]),
                    int(types[level]),
                    int(types[parent]),
                    level,
                    alternatives=tuple(int(a) for a in ind.get("alternatives") or ()),
                    raw_folder=ind.get("raw_folder"),
                    name_contains=name_words(ind),
                )
            )
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
    try:
        sources.check_csv_complete(body, f"Fingertips response {source}")
    except FetchError as exc:
        raise IncompleteResponse(str(exc)) from None


class IncompleteResponse(FetchError):
    """A response cut off mid-row or with ragged rows: an error, never a reason to try an alternative ID."""


def data_rows(body: bytes) -> list[dict[str, str]]:
    """The rows of an all_data CSV (header names stripped)."""
    reader = csv.DictReader(io.StringIO(body.decode("utf-8-sig", errors="replace")))
    return [{str(k).strip(): (v or "") for k, v in row.items() if k is not None} for row in reader]


def wrong_name(body: bytes, request: Request) -> str | None:
    """Why the response is not the configured indicator (None when every row's name has the words)."""
    if not request.name_contains:
        return None
    for line, row in enumerate(data_rows(body), start=2):
        name = row.get("Indicator Name", "").strip()
        missing = [w for w in request.name_contains if w not in name.lower()]
        if missing:
            return (
                f"column 'Indicator Name', line {line}: indicator {row.get('Indicator ID', '').strip()} is "
                f"{name!r}, which does not mention {' and '.join(repr(w) for w in missing)}"
            )
    return None


def get_usable(base_url: str, request: Request) -> tuple[Request, bytes, str]:
    """The first usable response among a request's indicator and its alternatives.

    Returns the request actually used (its indicator ID), the body and a note saying which ID was
    used when alternatives were configured ("" otherwise). Without alternatives this is
    :func:`get` then :func:`check_response`, as before. With them, an ID is passed over when its
    response is missing, not an all_data CSV, has no data rows, or names another indicator; when
    none is usable the FetchError names every ID tried and why.
    """
    if not request.alternatives:
        body = get(base_url, request)
        check_response(body, request_url(base_url, request))
        return request, body, ""
    tried = []
    for indicator_id in (request.indicator_id, *request.alternatives):
        candidate = request.using(indicator_id)
        source = request_url(base_url, candidate)
        try:
            body = get(base_url, candidate)
            check_response(body, source)
        except IncompleteResponse:
            raise
        except FetchError as exc:
            tried.append(f"{indicator_id}: {exc}")
            continue
        if not data_rows(body):
            tried.append(f"{indicator_id}: {source}: no data rows for area type {request.child_area_type_id}")
            continue
        why = wrong_name(body, candidate)
        if why:
            tried.append(f"{indicator_id}: {source}: {why}")
            continue
        others = [i for i in (request.indicator_id, *request.alternatives) if i != indicator_id]
        note = f"indicator {indicator_id} used (configured: {request.indicator_id}; alternatives {others})"
        if tried:
            note += "; passed over: " + " | ".join(tried)
        return candidate, body, note
    raise FetchError(
        f"no usable Fingertips response for {request.level} (area type {request.child_area_type_id}) among "
        f"indicators {[request.indicator_id, *request.alternatives]}: " + " | ".join(tried) + " - nothing was saved"
    )


# --------------------------------------------------------------------------------- fetching


@dataclass
class FingertipsFetch:
    request: Request  # as used: its indicator_id is the one saved (an alternative's, if one was used)
    path: Path
    sha256: str
    rows: int
    status: str  # "new", "updated", "unchanged"
    changes: list[str]
    note: str = ""  # which indicator ID was used, when the request had alternatives
    removed: list[Path] = dataclasses.field(default_factory=list)  # files of the other alternatives


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
    ``file://`` URL of recorded responses works the same way. Each response is saved in its
    indicator's ``raw_folder`` (default ``fingertips.raw_folder``); for an indicator with
    ``alternatives`` the first usable ID is saved (see :func:`get_usable`). Fingertips revises its data, so
    every call fetches afresh and reports what changed (rows, columns, checksum) against the
    copy already in data/raw. All-or-nothing: if any request fails, the error names it and
    nothing is saved in data/raw or recorded in the lock (responses wait in a hidden staging
    folder until every request succeeded).
    """
    if config is None:
        from llr_analysis import settings

        config = settings.cancer_screening()
    ft = config["fingertips"]
    base_url = base_url or ft.get("base_url") or DEFAULT_BASE_URL
    requests = planned_requests(config) if requests is None else requests
    default_folder = ft["raw_folder"]
    (paths.raw / default_folder).mkdir(parents=True, exist_ok=True)
    lock = sources.read_lock(paths)
    sources.clean_staging(paths)
    results = []
    # All-or-nothing: every response is fetched and checked into a hidden staging folder first;
    # only when all succeeded are they moved into place and the lock rewritten. A failure leaves
    # data/raw and the lock exactly as they were.
    with tempfile.TemporaryDirectory(dir=paths.raw / default_folder, prefix=sources.STAGING_PREFIX) as tmpdir:
        staged = []
        for planned in requests:
            req, body, note = get_usable(base_url, planned)
            source = request_url(base_url, req)
            try:
                from llr_analysis.validate import _decode_or_fail

                _decode_or_fail(Path(source), body, "utf-8-sig")
            except DataValidationError as exc:
                raise FetchError(f"{source}: {exc.problem} (line {exc.line}) - nothing was saved") from None
            raw_folder = req.raw_folder or default_folder
            folder = paths.raw / raw_folder
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
            if status not in ("unchanged", "restored") or not old or (old.get("note") or "") != note:
                lock["datasets"][key] = {
                    "file": f"data/raw/{raw_folder}/{req.filename}",
                    "url": source if not is_local(base_url) else f"{DEFAULT_BASE_URL}/{req.query}",
                    "download_url": source,
                    "origin": "download" if not is_local(base_url) else "local copy",
                    "sha256": digest,
                    "bytes": len(body),
                    "retrieved": datetime.now(UTC).replace(microsecond=0).isoformat(),
                    "licence": ft.get("licence", "Open Government Licence v3.0"),
                    "vintage": "as retrieved",
                    "publisher": ft.get("publisher", "OHID Fingertips"),
                    **({"note": note} if note else {}),
                }
            # The other IDs of the same indicator and area types: a copy saved earlier would double
            # the figures, so it goes (file and lock entry) when this fetch succeeds.
            superseded = [
                req.using(i)
                for i in (planned.indicator_id, *planned.alternatives)
                if i != req.indicator_id and planned.alternatives
            ]
            removed = [folder / o.filename for o in superseded if (folder / o.filename).exists()]
            for o in superseded:
                lock["datasets"].pop(f"fingertips/{o.filename}", None)
            results.append(
                FingertipsFetch(
                    req, target, digest, rows, status, [] if status == "unchanged" else changes, note, removed
                )
            )
        for tmp, target in staged:
            target.parent.mkdir(parents=True, exist_ok=True)
            tmp.replace(target)
        for r in results:
            for stale in r.removed:
                stale.unlink(missing_ok=True)
    for r in results:
        log(f"fingertips {r.request.filename}: {r.rows} rows ({r.status})" + (f"; {r.note}" if r.note else ""))
        for stale in r.removed:
            log(f"fingertips {stale.name}: removed (replaced by indicator {r.request.indicator_id})")
    sources.write_lock(paths, lock)
    return results
