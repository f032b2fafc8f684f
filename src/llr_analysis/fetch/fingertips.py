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

Which indicators and area types are requested is configuration (``config/screening.yml``,
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

import pandas as pd

from .errors import DataValidationError, FetchError
from .paths import ProjectPaths
from .places import load_places

DEFAULT_BASE_URL = "https://fingertips.phe.org.uk/api"
USER_AGENT = "llr-analysis (+https://github.com/) python-urllib"
ENGLAND_CODE = load_places().england_code   # places.yml

#: Columns every all_data CSV must have (Fingertips' own header names).
REQUIRED_COLUMNS = [
    "Indicator ID", "Indicator Name", "Area Code", "Area Name", "Area Type", "Sex", "Age",
    "Category Type", "Category", "Time period", "Value", "Lower CI 95.0 limit", "Upper CI 95.0 limit",
    "Count", "Denominator", "Value note",
]
#: Columns used when present.
OPTIONAL_COLUMNS = ["Parent Code", "Parent Name", "Lower CI 99.8 limit", "Upper CI 99.8 limit",
                    "Time period Sortable"]

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
    level: str            # the child area level's name in the config, e.g. "gp_practice"

    @property
    def query(self) -> str:
        return ("all_data/csv/by_indicator_id?" + urllib.parse.urlencode({
            "indicator_ids": self.indicator_id, "child_area_type_id": self.child_area_type_id,
            "parent_area_type_id": self.parent_area_type_id}))

    @property
    def filename(self) -> str:
        return recorded_filename(self.indicator_id, self.child_area_type_id, self.parent_area_type_id)


def recorded_filename(indicator_id: int, child_area_type_id: int, parent_area_type_id: int) -> str:
    """File name of a saved response, e.g. ``all_data_i22001_c502_p15.csv``."""
    return f"all_data_i{int(indicator_id)}_c{int(child_area_type_id)}_p{int(parent_area_type_id)}.csv"


_RECORDED = re.compile(r"^all_data_i(\d+)_c(\d+)_p(\d+)\.csv$")


def parse_recorded_filename(name: str) -> tuple[int, int, int] | None:
    m = _RECORDED.match(name)
    return tuple(int(g) for g in m.groups()) if m else None


def planned_requests(config: dict | None = None) -> list[Request]:
    """Every request the configuration asks for (indicator x area type)."""
    if config is None:
        from .screening import load_config
        config = load_config()
    ft = config["fingertips"]
    types = ft["area_types"]
    parents = ft["parent_area_type"]
    out = []
    for ind in ft["indicators"]:
        for level in ind["area_types"]:
            if level not in types:
                raise FetchError(f"config/screening.yml: indicator {ind['id']} names area type {level!r}, "
                                 f"which is not in fingertips.area_types {sorted(types)}")
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
            raise FetchError(f"Fingertips response {request.filename} (indicator {request.indicator_id}, "
                             f"area type {request.child_area_type_id}) is not in {path.parent}")
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
        raise FetchError(f"{source}: an HTML or JSON page came back where the all_data CSV was expected "
                         "(an error page, or the API changed?)")
    header = io.StringIO(body.decode("utf-8-sig", errors="replace")).readline()
    cols = [c.strip().strip('"') for c in header.split(",")]
    missing = [c for c in REQUIRED_COLUMNS if c not in cols]
    if missing:
        raise FetchError(f"{source}: not a Fingertips all_data CSV; missing columns {missing} "
                         f"(header starts {cols[:6]})")


# --------------------------------------------------------------------------------- fetching

@dataclass
class FingertipsFetch:
    request: Request
    path: Path
    sha256: str
    rows: int
    status: str            # "new", "updated", "unchanged"
    changes: list[str]


def fetch_fingertips(paths: ProjectPaths, base_url: str | None = None, requests: list[Request] | None = None,
                     *, config: dict | None = None, log=print) -> list[FingertipsFetch]:
    """Download the configured Fingertips extracts into data/raw and record them in the lock.

    ``base_url`` defaults to the configured API (``fingertips.base_url``); a local folder or
    ``file://`` URL of recorded responses works the same way. Fingertips revises its data, so
    every call fetches afresh and reports what changed (rows, columns, checksum) against the
    copy already in data/raw. All-or-nothing: if any request fails, the error names it and
    nothing is saved in data/raw or recorded in the lock (responses wait in a hidden staging
    folder until every request succeeded).
    """
    from . import sources
    if config is None:
        from .screening import load_config
        config = load_config()
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
                from .validate import _decode_or_fail
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
                status = "restored"      # the copy in data/raw had been changed; the lock's version is back
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
            results.append(FingertipsFetch(req, target, digest, rows, status,
                                           [] if status == "unchanged" else changes))
        for tmp, target in staged:
            tmp.replace(target)
    for r in results:
        log(f"fingertips {r.request.filename}: {r.rows} rows ({r.status})")
    sources.write_lock(paths, lock)
    return results


# ---------------------------------------------------------------------------------- reading

def read_all_data(path: Path) -> pd.DataFrame:
    """Read one saved all_data CSV by Fingertips' column names (text; numbers parsed later)."""
    from .validate import read_csv
    raw = read_csv(path, dtype=str, keep_default_na=False, encoding="utf-8-sig")
    raw.columns = [str(c).strip() for c in raw.columns]
    missing = [c for c in REQUIRED_COLUMNS if c not in raw.columns]
    if missing:
        from .validate import select_columns
        select_columns(raw, {c: c for c in REQUIRED_COLUMNS}, path)  # raises naming the column
    for c in OPTIONAL_COLUMNS:
        if c not in raw.columns:
            raw[c] = ""
    return raw


_AGE = re.compile(r"(\d+)\s*-\s*(\d+)")


def age_group(text: str) -> str:
    """'25-49 yrs' -> '25-49'; other labels are kept as they are."""
    m = _AGE.search(str(text))
    return f"{m.group(1)}-{m.group(2)}" if m else str(text).strip()


def tidy_all_data(raw: pd.DataFrame, path: Path, indicators: dict[int, dict], level: str) -> pd.DataFrame:
    """One saved response -> tidy rows (England and the child areas of ``level``).

    Rows broken down by a category (deprivation decile, ...) are left out; so are areas of
    other types (regions, ...). Every row's indicator must be a configured one whose
    ``name_contains`` appears in its Indicator Name, otherwise processing stops: a wrong ID in
    the configuration would put another indicator's numbers on the page.
    """
    from . import plausibility
    from .validate import check_unique, example_row, first_bad, to_number
    df = raw[raw["Category Type"].str.strip().eq("") & raw["Category"].str.strip().eq("")].copy()
    if df.empty:
        return pd.DataFrame(columns=TIDY_COLUMNS)
    ids = pd.to_numeric(df["Indicator ID"].where(df["Indicator ID"].str.strip().str.fullmatch(r"\d+")),
                        errors="coerce")
    if ids.isna().any():
        raise DataValidationError(path, "Indicator ID is not a number", column="Indicator ID",
                                  **first_bad(df, ids.isna(), "Area Code"))
    unknown = ~ids.astype(int).isin(list(indicators))
    if unknown.any():
        raise DataValidationError(path, f"indicator {int(ids[unknown].iloc[0])} is not configured in "
                                  "config/screening.yml (fingertips.indicators)", column="Indicator ID",
                                  example=example_row(df, unknown))
    df["indicator_id"] = ids.astype(int)
    df["programme"] = df["indicator_id"].map(lambda i: indicators[i]["programme"])
    keyword = df["indicator_id"].map(lambda i: str(indicators[i].get("name_contains", "")).lower())
    wrong = [kw not in name.lower() for kw, name in zip(keyword, df["Indicator Name"])]
    wrong = pd.Series(wrong, index=df.index)
    if wrong.any():
        row = df[wrong].iloc[0]
        raise DataValidationError(
            path, f"indicator {row['Indicator ID']} is {row['Indicator Name']!r}, which does not mention "
            f"{keyword[wrong].iloc[0]!r}: fix its ID in config/screening.yml", column="Indicator Name",
            example=example_row(df, wrong))
    padded = df["Area Code"].ne(df["Area Code"].str.strip()) & df["Area Code"].str.strip().ne("")
    if padded.any():
        raise DataValidationError(path, f"{int(padded.sum())} area codes have leading or trailing spaces",
                                  column="Area Code", **first_bad(df, padded, "Area Code"))
    code = df["Area Code"].str.strip()
    is_england = code.eq(ENGLAND_CODE)
    is_child = code.str.match(AREA_CODE_PATTERNS.get(level, r"^$")) & ~is_england
    df = df[is_england | is_child].copy()
    df["area_level"] = ["england" if c == ENGLAND_CODE else level for c in df["Area Code"].str.strip()]
    out = pd.DataFrame({
        "source_id": "fingertips",
        "file": Path(path).name,
        "indicator_id": df["indicator_id"],
        "indicator_name": df["Indicator Name"].str.strip(),
        "programme": df["programme"],
        "age_group": df["Age"].map(age_group),
        "sex": df["Sex"].str.strip(),
        "area_code": df["Area Code"].str.strip(),
        "area_name": df["Area Name"].str.strip(),
        "area_type": df["Area Type"].str.strip(),
        "area_level": df["area_level"],
        "parent_code": df["Parent Code"].str.strip(),
        "period": df["Time period"].str.strip(),
    })
    sortable = pd.to_numeric(df["Time period Sortable"].str.strip(), errors="coerce")
    out["period_sort"] = sortable.fillna(pd.to_numeric(df["Time period"].str.extract(r"(\d{4})")[0],
                                                       errors="coerce") * 10000)
    for src, dst in (("Value", "value"), ("Lower CI 95.0 limit", "lower_95"), ("Upper CI 95.0 limit", "upper_95"),
                     ("Lower CI 99.8 limit", "lower_99_8"), ("Upper CI 99.8 limit", "upper_99_8"),
                     ("Count", "count"), ("Denominator", "denominator")):
        out[dst], _ = to_number(df[src], path, src, area=out["area_code"])
    out["value_note"] = df["Value note"].str.strip()
    bad = out["count"] > out["denominator"]
    if bad.any():
        raise DataValidationError(path, f"{int(bad.sum())} rows have Count greater than Denominator",
                                  column="Count", **first_bad(out, bad, "area_code"))
    # One row per area, period, sex and age of an indicator in one response.
    check_unique(out, ["area_code", "indicator_id", "period", "sex", "age_group"], path)
    # Percentages within 0-100, inside their intervals, matching Count/Denominator (plausibility.RULES).
    plausibility.check("screening/fingertips", out.drop(columns="file"), path, area_column="area_code")
    return out.reset_index(drop=True)[TIDY_COLUMNS]


TIDY_COLUMNS = ["source_id", "file", "indicator_id", "indicator_name", "programme", "age_group", "sex",
                "area_code", "area_name", "area_type", "area_level", "parent_code", "period", "period_sort",
                "value", "lower_95", "upper_95", "lower_99_8", "upper_99_8", "count", "denominator",
                "value_note"]


def read_fetched(folder: Path, config: dict) -> pd.DataFrame:
    """Every saved response in ``folder`` as one tidy table (empty, with the columns, if none).

    A file is matched to its area level by the child area type in its recorded name.
    """
    ft = config["fingertips"]
    indicators = {int(i["id"]): i for i in ft["indicators"]}
    levels = {int(v): k for k, v in ft["area_types"].items()}
    parts = []
    if folder.exists():
        for path in sorted(folder.glob("*.csv")):
            parsed = parse_recorded_filename(path.name)
            if parsed is None:
                raise DataValidationError(path, "unexpected file in the Fingertips folder: names must be "
                                          "all_data_i<indicator>_c<child type>_p<parent type>.csv "
                                          "(written by `fetch_fingertips`)")
            _, child, _ = parsed
            if child not in levels:
                raise DataValidationError(path, f"child area type {child} is not in fingertips.area_types "
                                          "of config/screening.yml")
            parts.append(tidy_all_data(read_all_data(path), path, indicators, levels[child]))
    if not parts:
        return pd.DataFrame({c: pd.Series(dtype="float64" if c in NUMERIC else "object") for c in TIDY_COLUMNS})
    out = pd.concat(parts, ignore_index=True)
    # The same England row comes with every file of an indicator: keep it once.
    return out.drop_duplicates(subset=["indicator_id", "area_code", "area_level", "period", "sex", "age_group"]
                               ).reset_index(drop=True)


NUMERIC = {"indicator_id", "period_sort", "value", "lower_95", "upper_95", "lower_99_8", "upper_99_8",
           "count", "denominator"}
