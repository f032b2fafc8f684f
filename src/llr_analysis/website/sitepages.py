"""Pages generated from the project's own records: the data sources page (registry + lock)."""

from __future__ import annotations

import html

from llr_analysis.fetch.sources import read_lock, registry
from llr_analysis.paths import ProjectPaths


def _cell(text) -> str:
    """Registry text for a Markdown table cell: escaped, so it is text and never HTML."""
    text = html.escape(str(text if text is not None else ""), quote=False)
    return text.replace("|", "\\|").replace("\n", " ")


def sources_page(paths: ProjectPaths) -> str:
    """Quarto markdown for the Data sources page: every registered dataset and what was fetched."""
    lock = read_lock(paths)["datasets"]
    lines = [
        "---",
        'title: "Data sources"',
        "---",
        "",
        "Every figure on this site is computed from the files below. Each was fetched by `llr fetch`, "
        "which records its checksum (sha256) and retrieval time in `data/sources.lock.json`, so any "
        "figure can be traced to the exact file it came from. Datasets not marked as fetched were not "
        "available when the site was built.",
        "",
        "| Dataset | Status | Publisher | Vintage | Licence | Canonical URL | Retrieved | sha256 |",
        "|---|---|---|---|---|---|---|---|",
    ]
    for ds_id, ds in sorted(registry().items(), key=lambda kv: (kv[1].topic, kv[0])):
        entry = lock.get(ds_id)
        url = ds.url if ds.url.startswith("http") else ""
        link = f"[{_cell(ds.url[:60])}{'…' if len(ds.url) > 60 else ''}]({url})" if url else _cell(ds.url)
        retrieved = entry["retrieved"] if entry else ("not fetched (online only)" if ds.optional else "not fetched")
        sha = f"`{entry['sha256'][:16]}…`" if entry else ""
        lines.append(
            f"| **{_cell(ds.title)}** (`{ds_id}`) | {_cell(ds.status)} | {_cell(ds.publisher)} | "
            f"{_cell(ds.vintage)} | {_cell(ds.licence)} | {link} | {retrieved} | {sha} |"
        )
    # API extracts fetched on demand (e.g. `llr fetch-fingertips`) are in the lock under their file names.
    for key, entry in sorted(lock.items()):
        if key in registry():
            continue
        url = entry.get("url") or ""
        link = f"[{_cell(url[:60])}…]({url})" if url.startswith("http") else _cell(url)
        lines.append(
            f"| **{_cell(key)}** (API extract) | official | {_cell(entry.get('publisher'))} | "
            f"{_cell(entry.get('vintage'))} | {_cell(entry.get('licence'))} | {link} | "
            f"{entry.get('retrieved', '')} | `{entry.get('sha256', '')[:16]}…` |"
        )
    lines += [
        "",
        "**Status** says when a file is not the publisher's own official release: a third-party "
        "extract, derived data or beta statistics. Offline builds copy files from a mirror whose "
        "provenance is recorded file by file in its PROVENANCE.md; online builds download the "
        "canonical files.",
    ]
    return "\n".join(lines) + "\n"


def locality_pages(runs, paths: ProjectPaths | None = None) -> dict[str, str]:
    """The index of each place's locality profiles, ``{"localities/<place>.qmd": text}`` (and the CSV of
    each level's key figures, ``{"localities/<place>-data/<level>-key-figures.csv": text}``).

    One page per place with profiles in the build: for each level (in places.yml order) a map of its
    localities (each a link to its profile; not for PCNs, which have no boundary), one sortable table
    of every locality's key figures read from the profiles' own downloads, with a rank and a CSV, and
    the list of profiles, so the Localities menu and search reach every profile.
    """
    from llr_analysis.analysis.localities import areas
    from llr_analysis.analysis.localities import load as localities_load
    from llr_analysis.analysis.locality.load import profiles_key_figures
    from llr_analysis.paths import project_paths
    from llr_analysis.places import get_locality_level, load_places
    from llr_analysis.report.csv_safety import neutralise_formulas
    from llr_analysis.report.locality import index as locality_index

    paths = paths or project_paths()
    cfg = load_places()
    by_place: dict[str, list] = {}
    for r in runs:
        if r.locality:
            by_place.setdefault(r.place, []).append(r)
    out = {}
    for place_id, place_runs in by_place.items():
        place = cfg.places[place_id]
        lines = [
            "---",
            f'title: "Localities of {_cell(place.name)}"',
            "---",
            "",
            f"A profile page for each locality of {_cell(place.name)}: population, deprivation, life expectancy "
            f"and cancer screening where a source covers it, each figure beside the place, {_cell(cfg.ics_short_name)} "
            "and England. Below, for each kind of locality: a map (select an area to open its profile), one table "
            "of key figures to sort and rank (each name opens its profile). To go straight to one, type its name in the "
            "search box at the top of any page.",
            "",
        ]
        levels = [lv for lv in place.profiles if any(r.locality[0] == lv for r in place_runs)]
        if len(levels) > 1:
            lines += [
                " · ".join(f"[{_cell(get_locality_level(lv).plural)}](#{lv})" for lv in levels),
                "",
            ]
        for level in place.profiles:
            level_runs = sorted((r for r in place_runs if r.locality[0] == level), key=lambda r: r.locality[2])
            if not level_runs:
                continue
            plural = get_locality_level(level).plural or level
            lines += [f"## {_cell(plural)} ({len(level_runs)}) {{#{level}}}", ""]
            files = {
                f"{place_id}/{r.output.stem}.html": paths.executed / r.downloads / "key-figures.csv" for r in level_runs
            }
            long = profiles_key_figures(files)
            wide, cols = locality_index.wide_table(long)
            blocks = []
            if level in localities_load.OUTLINES and not wide.empty:
                try:
                    loc_data = localities_load.load(paths, practices=False, outline_levels=[level])
                    shapes = areas.outlines(loc_data, place_id, level)
                except Exception:  # noqa: BLE001 - no outlines in this build: the table and list still inform
                    shapes = None
                if shapes is not None and len(shapes):
                    blocks.append(locality_index.map_svg(shapes, wide, plural, place.name))
            if not wide.empty:
                csv = f"localities/{place_id}-data/{level}-key-figures.csv"
                blocks.append(
                    locality_index.table_html(wide, cols, plural, place.name, csv.removeprefix("localities/"))
                )
                out[csv] = neutralise_formulas(long.drop(columns="href")).to_csv(index=False)
            if blocks:
                lines += ["```{=html}", *blocks, "```", ""]
            if wide.empty:  # no figures to tabulate: the profiles as a list
                lines += [f"- [{_cell(r.page_title)}]({place_id}/{r.output.stem}.html)" for r in level_runs]
                lines.append("")
        out[f"localities/{place_id}.qmd"] = "\n".join(lines)
    return out
