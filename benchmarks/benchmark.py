"""Build-speed benchmark. Not a test: run it by hand and copy the numbers into the README.

    .venv/bin/python benchmarks/benchmark.py [--repeat 3] [--mirror DIR] [--skip-naive]

In one run, on a temporary copy of the project fetched from the mirror, it measures:

1. cold full build      `llr build --force` (no caches: processing, every notebook, render, check)
2. no-op rebuild        `llr build` again with nothing changed (interpreter start-up included)
3. one notebook changed `llr build` after editing one topic notebook (its three places rerun)
4. profiles changed     `llr build` after editing the locality profile notebook (only its profile pages
                        rerun: the benchmark reads the build's own count of executed notebooks)
5. Word documents      every profile's and place summary's .docx remade (website/documents.py: charts as
                        PNG by vl_convert, then Pandoc), in-process after the builds, with their count;
                        the cold build's own line for them (build/executed/word-documents.log) is shown too
6. national processing  processing the England-wide IoD files + MHCLG summary measures for every
                        English district and upper-tier authority, in-process
7. naive path           the usual Quarto workflow: papermill for each notebook and place, one at a
                        time, then one `quarto render` of the project (on processed data), on the
                        pages of ``--naive-place`` (default Rutland: its topic pages, summary and
                        locality profiles, and the overview), against `llr build --place` of the
                        same pages from processed data with no executed notebooks or rendered pages

and prints the median of each over ``--repeat`` runs, the ratios to the naive path, and the peak
resident memory of the largest process in each.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
BIN = Path(sys.executable).parent
sys.path.insert(0, str(REPO / "tests"))


#: The last build's own summary line ("... (notebooks: N executed, M unchanged)").
LAST_SUMMARY: list[str] = []


def timed_subprocess(cmd: list[str], env: dict) -> tuple[float, float]:
    """Wall time (s) and the peak RSS (MB) of the largest child process so far."""
    import re

    t0 = time.perf_counter()
    done = subprocess.run(cmd, check=True, env=env, capture_output=True, text=True)
    elapsed = time.perf_counter() - t0
    peak_mb = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    LAST_SUMMARY[:] = re.findall(r"notebooks: \d+ executed, \d+ unchanged", done.stdout + done.stderr)
    return elapsed, peak_mb


def word_documents_cost(root: Path) -> tuple[float, int]:
    """Wall time (s) to remake every Word document of the site (all stamps removed), and their number."""
    from llr_analysis.paths import project_paths
    from llr_analysis.website.documents import word_documents
    from llr_analysis.website.notebooks import plan

    paths = project_paths(root)
    for stamp in paths.executed.rglob("*.docx.hash"):
        stamp.unlink()
    t0 = time.perf_counter()
    made = word_documents(paths, plan(paths))
    return time.perf_counter() - t0, len(made)


def last_word_line(root: Path) -> str:
    """The last build's line for its Word documents ("word documents: N made, M unchanged, in T s")."""
    log = root / "build" / "executed" / "word-documents.log"
    lines = log.read_text(encoding="utf-8").splitlines() if log.exists() else []
    return lines[-1].split(" ", 2)[-1] if lines else "none made"


def national_processing(root: Path) -> float:
    """Deprivation processing for all of England plus the LA summary measures, in-process."""
    import pandas as pd

    from llr_analysis import process
    from llr_analysis.paths import project_paths
    from llr_analysis.stats.imd_measures import N_LSOAS_IOD2019, summary_measures

    paths = project_paths(root)
    t0 = time.perf_counter()
    process.run(paths, ["deprivation"], log=lambda *_: None, force=True)
    iod = pd.read_parquet(paths.processed / "deprivation" / "iod_lsoa.parquet")
    pop = pd.read_parquet(paths.processed / "deprivation" / "iod_population.parquet")
    lad_utla = pd.read_parquet(paths.processed / "geography" / "lad_utla.parquet")
    d19 = iod[iod.edition == "IoD2019"].merge(
        pop[pop.edition == "IoD2019"][["lsoa_code", "population"]], on="lsoa_code"
    )
    d19 = d19.merge(lad_utla[["lad_code", "utla_code"]], on="lad_code", how="left")
    for _index_id, g in d19.groupby("index_id"):
        for level in ("lad_code", "utla_code"):
            summary_measures(
                g,
                level,
                score_col="score",
                rank_col="rank",
                population_col="population",
                n_lsoas_national=N_LSOAS_IOD2019,
            )
    return time.perf_counter() - t0


def naive(root: Path, env: dict, out: Path, places: list[str] | None = None) -> float:
    """The usual Quarto workflow: papermill for every notebook and place (a fresh kernel each), one at a
    time, then one `quarto render` of the project (the same pages, configuration and assets as the
    build's, the executed notebooks staged as .ipynb)."""
    import yaml

    from llr_analysis.paths import project_paths
    from llr_analysis.website.build import stage_files
    from llr_analysis.website.notebooks import plan
    from llr_analysis.website.render import find_quarto
    from llr_analysis.website.staging import staged_name

    paths = project_paths(root)
    runs = plan(paths, places=places)
    quarto = find_quarto(REPO)
    out.mkdir(parents=True, exist_ok=True)
    run_env = {**env, "LLR_STAGE": str(out)}
    t0 = time.perf_counter()
    for r in runs:
        dest = out / r.output
        dest.parent.mkdir(parents=True, exist_ok=True)
        params = [a for k, v in r.parameters.items() for a in ("-p", k, str(v))]
        subprocess.run(
            [
                str(BIN / "papermill"),
                str(r.notebook),
                str(dest),
                *params,
                "--cwd",
                str(dest.parent),
                "--no-progress-bar",
            ],
            check=True,
            env=run_env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
    # the same Quarto project as the build's (configuration, pages, assets), then one render
    built = {staged_name(r.output) for r in runs}
    for rel, content in stage_files(paths, runs, out).items():
        if rel in built or rel.startswith("assets/geo-") or "-data/" in rel:
            continue  # the naive run's own pages, map files and downloads are in `out` already
        (out / rel).parent.mkdir(parents=True, exist_ok=True)
        (out / rel).write_bytes(content.read_bytes() if isinstance(content, Path) else content)
    cfg = yaml.safe_load((out / "_quarto.yml").read_text(encoding="utf-8"))
    cfg["project"]["render"] = sorted(str(r.output) for r in runs) + [
        p for p in cfg["project"]["render"] if p not in built
    ]
    (out / "_quarto.yml").write_text(yaml.safe_dump(cfg, sort_keys=False, allow_unicode=True), encoding="utf-8")
    subprocess.run(
        [str(quarto), "render", str(out)], check=True, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
    )
    return time.perf_counter() - t0


def subset_cold(root: Path, env: dict, llr: list[str], places: list[str]) -> float:
    """`llr build --place ...` from processed data with no executed notebooks and no rendered pages
    (the build's side of the naive comparison: the same pages)."""
    for name in ("executed", "stage-partial", "stage-partial.rendered.json", "site-partial", "site-partial.stage-hash"):
        target = root / "build" / name
        if target.is_dir():
            shutil.rmtree(target)
        elif target.exists():
            target.unlink()
    cmd = llr + ["build", "--no-fetch"] + [a for p in places for a in ("--place", p)]
    t, _ = timed_subprocess(cmd, env)
    return t


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--mirror", default=os.environ.get("LLR_MIRROR", str(REPO.parent / "shared/data/raw-mirror")))
    ap.add_argument("--skip-naive", action="store_true")
    ap.add_argument(
        "--naive-place",
        action="append",
        help="compare with the naive path on these places only (their topic pages, summary and locality "
        "profiles, plus the overview); default: rutland. 'all' compares the whole site",
    )
    ap.add_argument("--json", help="also write the results to this file")
    args = ap.parse_args()

    from conftest import copy_project

    tmp = Path(tempfile.mkdtemp(prefix="llr-bench-"))
    root = copy_project(tmp / "project")
    env = {**os.environ, "LLR_MIRROR": args.mirror, "LLR_ROOT": str(root)}
    llr = [str(BIN / "llr"), "--root", str(root)]
    subprocess.run(llr + ["fetch"], check=True, env=env, stdout=subprocess.DEVNULL)

    naive_places = None if args.naive_place == ["all"] else (args.naive_place or ["rutland"])
    keys = ("cold", "noop", "one_notebook", "profiles", "word", "national", "subset_cold", "naive")
    results: dict[str, list[float]] = {k: [] for k in keys}
    executed: dict[str, str] = {}
    peaks: dict[str, float] = {}
    topic_nb = sorted((root / "notebooks").glob("*.ipynb"))[0]
    original = topic_nb.read_text()
    profile_nb = root / "notebooks" / "locality.ipynb"
    profile_original = profile_nb.read_text()
    loads: list[str] = []
    pages = documents = 0
    for i in range(args.repeat):
        print(f"run {i + 1}/{args.repeat}", flush=True)
        loads.append(os.getloadavg()[0])
        shutil.rmtree(root / "build", ignore_errors=True)
        shutil.rmtree(root / "data" / "processed", ignore_errors=True)
        t, peaks["cold"] = timed_subprocess(llr + ["build", "--force"], env)
        results["cold"].append(t)
        executed["cold"] = last_word_line(root)
        pages = sum(1 for p in (root / "site").rglob("*.html") if "site_libs" not in p.parts)
        t, peaks["noop"] = timed_subprocess(llr + ["build"], env)
        results["noop"].append(t)
        nb = json.loads(original)
        nb["cells"].append(
            {"cell_type": "markdown", "id": f"bench-{i}", "metadata": {}, "source": f"Benchmark edit {i}."}
        )
        topic_nb.write_text(json.dumps(nb, indent=1))
        t, peaks["one_notebook"] = timed_subprocess(llr + ["build"], env)
        results["one_notebook"].append(t)
        topic_nb.write_text(original)
        executed["one_notebook"] = " ".join(LAST_SUMMARY)
        subprocess.run(llr + ["build"], check=True, env=env, capture_output=True)  # back to the original
        nb = json.loads(profile_original)
        nb["cells"].append(
            {"cell_type": "markdown", "id": f"bench-p{i}", "metadata": {}, "source": f"Benchmark edit {i}."}
        )
        profile_nb.write_text(json.dumps(nb, indent=1))
        t, peaks["profiles"] = timed_subprocess(llr + ["build"], env)
        results["profiles"].append(t)
        executed["profiles"] = " ".join(LAST_SUMMARY)
        profile_nb.write_text(profile_original)
        subprocess.run(llr + ["build"], check=True, env=env, capture_output=True)  # back to the original
        t, documents = word_documents_cost(root)
        results["word"].append(t)
        results["national"].append(national_processing(root))
        if not args.skip_naive:
            results["subset_cold"].append(subset_cold(root, env, llr, naive_places or []))
            out = tmp / f"naive-{i}"
            results["naive"].append(naive(root, env, out, naive_places))
            peaks["naive"] = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
            shutil.rmtree(out, ignore_errors=True)

    med = {k: statistics.median(v) for k, v in results.items() if v}
    print(
        f"\nllr-analysis build benchmark — {platform.node()}, {os.cpu_count()} cores, "
        f"Python {platform.python_version()}, median of {args.repeat}; load average (1 min) at the start "
        f"of each run: {', '.join(f'{x:.1f}' for x in loads)}; {pages} pages"
    )
    labels = {
        "cold": "cold full build",
        "noop": "no-op rebuild",
        "one_notebook": "rebuild, one notebook changed",
        "profiles": "rebuild, profile notebook changed",
        "word": "Word documents, all remade",
        "national": "national processing (IoD + LA measures)",
        "subset_cold": "cold build of the naive path's pages",
        "naive": "naive papermill + quarto render",
    }
    for k, v in med.items():
        print(f"  {labels[k]:<42} {v:7.1f} s   (runs: {', '.join(f'{x:.1f}' for x in results[k])})")
    for k, text in executed.items():
        print(f"  {labels[k] + ':':<42} {text}")
    if "word" in med and documents:
        print(f"  Word documents: {documents}, {med['word'] / documents:.2f} s each (cold build's own line above)")
    if pages:
        print(f"  cold build per page:                      {med['cold'] / pages:.2f} s")
    if "naive" in med:
        what = "the whole site" if naive_places is None else f"places {', '.join(naive_places)} (+ overview)"
        print(f"  speed-up, cold build vs naive, on {what}: {med['naive'] / med['subset_cold']:.1f}x")
    print(f"  peak memory of the largest process:       {max(peaks.values()):.0f} MB")
    if args.json:
        Path(args.json).write_text(
            json.dumps(
                {
                    "median_s": med,
                    "runs_s": results,
                    "peak_mb": peaks,
                    "load": loads,
                    "pages": pages,
                    "documents": documents,
                },
                indent=2,
            )
        )
    shutil.rmtree(tmp, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
