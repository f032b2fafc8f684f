"""Pages generated from the project's own records: the data sources page (registry + lock)."""

from __future__ import annotations

from .paths import ProjectPaths
from .sources import read_lock, registry


def _cell(text) -> str:
    return str(text if text is not None else "").replace("|", "\\|").replace("\n", " ")


def sources_page(paths: ProjectPaths) -> str:
    """Quarto markdown for the Data sources page: every registered dataset and what was fetched."""
    lock = read_lock(paths)["datasets"]
    lines = [
        "---", 'title: "Data sources"', "---", "",
        "Every figure on this site is computed from the files below. Each was fetched by `llr fetch`, "
        "which records its checksum (sha256) and retrieval time in `data/sources.lock.json`, so any "
        "figure can be traced to the exact file it came from. Datasets not marked as fetched were not "
        "available to this build.", "",
        "| Dataset | Publisher | Vintage | Licence | Canonical URL | Retrieved | sha256 |",
        "|---|---|---|---|---|---|---|",
    ]
    for ds_id, ds in sorted(registry().items(), key=lambda kv: (kv[1].topic, kv[0])):
        entry = lock.get(ds_id)
        url = ds.url if ds.url.startswith("http") else ""
        link = f"[{_cell(ds.url[:60])}{'…' if len(ds.url) > 60 else ''}]({url})" if url else _cell(ds.url)
        retrieved = entry["retrieved"] if entry else "not fetched"
        sha = f"`{entry['sha256'][:16]}…`" if entry else ""
        lines.append(f"| **{_cell(ds.title)}** (`{ds_id}`) | {_cell(ds.publisher)} | {_cell(ds.vintage)} | "
                     f"{_cell(ds.licence)} | {link} | {retrieved} | {sha} |")
    lines += ["", "Files marked *derived* or *third-party* in the title are not official statistics; the "
              "Methods page says where each is used and why."]
    return "\n".join(lines) + "\n"
