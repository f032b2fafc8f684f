"""Build-speed benchmark. Not a test: run it by hand and copy the numbers into the README.

    .venv/bin/python benchmarks/benchmark.py [--repeat 3] [--mirror DIR] [--skip-naive]
    .venv/bin/python benchmarks/benchmark.py --only preview [--repeat 3] [--from-built DIR]

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
7. preview loop       `llr preview --no-build` on the built copy: a word appended to a Markdown cell of a
                        topic notebook (``--preview-notebook``, default population), saved as Jupyter saves,
                        until the page of its first place served by the preview (HTTP GET every 0.1 s)
                        contains it; then a code cell edited (a comment added) until the preview's version
                        changes (the browser reloads after the incremental build); the notebook restored
8. naive path           the usual Quarto workflow: papermill for each notebook and place, one at a
                        time, then one `quarto render` of the project (on processed data), on the
                        pages of ``--naive-place`` (default Rutland: its topic pages, summary and
                        locality profiles, and the overview), against `llr build --place` of the
                        same pages from processed data with no executed notebooks or rendered pages

and prints the median of each over ``--repeat`` runs, the ratios to the naive path, and the peak
resident memory of the largest process in each.
"""

from __future__ import annotations

import argparse
import contextlib
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


def free_port() -> int:
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def save_notebook(path: Path, nb: dict) -> None:
    """Write ``nb`` as Jupyter saves it: nbformat's JSON (indent 1, sorted keys), written to a temporary
    file that replaces the notebook in one step (Jupyter's atomic writing)."""
    tmp = path.with_name(f".~{path.name}")
    tmp.write_text(json.dumps(nb, indent=1, sort_keys=True, ensure_ascii=False) + "\n", encoding="utf-8")
    os.replace(tmp, path)


class PreviewProcess:
    """``llr preview --no-build`` as a child process on a free port, its output collected with times."""

    def __init__(self, llr: list[str], env: dict, timeout: float = 300):
        import threading

        self.port = free_port()
        self.lines: list[tuple[float, str]] = []
        self.proc = subprocess.Popen(
            llr + ["preview", "--no-build", "--port", str(self.port)],
            env={**env, "PYTHONUNBUFFERED": "1"},
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
            start_new_session=True,
        )
        threading.Thread(target=self._read, daemon=True).start()
        self.wait_line("preview: serving", 0, timeout)

    def _read(self) -> None:
        assert self.proc.stdout is not None
        for line in self.proc.stdout:
            self.lines.append((time.perf_counter(), line.rstrip()))

    def get(self, rel: str) -> str:
        import urllib.request

        with urllib.request.urlopen(f"http://127.0.0.1:{self.port}/{rel}", timeout=10) as r:
            return r.read().decode("utf-8", "replace")

    def wait_line(self, text: str | tuple[str, ...], start: int, timeout: float) -> float:
        """The time (perf_counter) the preview printed a line containing ``text`` (or one of them), from
        line ``start`` on."""
        texts = (text,) if isinstance(text, str) else text
        end = time.perf_counter() + timeout
        while time.perf_counter() < end:
            for at, line in self.lines[start:]:
                if "rebuild failed" in line:
                    raise RuntimeError("preview: " + "\n".join(x for _, x in self.lines[start:]))
                if any(t in line for t in texts):
                    return at
            if self.proc.poll() is not None:
                raise RuntimeError(f"llr preview exited ({self.proc.returncode}): " + self.output())
            time.sleep(0.05)
        raise TimeoutError(f"no line with {text!r} within {timeout:g} s: " + self.output())

    def poll_until(self, check, timeout: float, every: float = 0.1) -> float:
        """Seconds until ``check()`` is true, asked every ``every`` s."""
        t0 = time.perf_counter()
        while not check():
            if time.perf_counter() - t0 > timeout:
                raise TimeoutError(f"not seen within {timeout:g} s: " + self.output())
            if self.proc.poll() is not None:
                raise RuntimeError(f"llr preview exited ({self.proc.returncode}): " + self.output())
            time.sleep(every)
        return time.perf_counter() - t0

    def output(self) -> str:
        return "\n".join(line for _, line in self.lines[-30:])

    def stop(self) -> None:
        """Ctrl+C, as in a terminal (the preview stops its Quarto runs); killed if it does not end."""
        import signal

        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGINT)
            try:
                self.proc.wait(timeout=60)
            except subprocess.TimeoutExpired:
                os.killpg(self.proc.pid, signal.SIGKILL)
                self.proc.wait()


def preview_loop(root: Path, env: dict, llr: list[str], notebook: str, tag: str, code: bool = True) -> dict:
    """``llr preview`` on the built project ``root``: seconds from saving a text edit in a Markdown cell
    of ``notebooks/<notebook>.ipynb`` until the preview serves its first place's page with the new word
    (``preview_text``) and until every page of the notebook is re-rendered (``preview_text_all``); with ``code``, seconds
    from saving a code-cell edit until the preview's version changes, i.e. the browser reloads after the
    incremental build (``preview_code``). The notebook is restored (and rebuilt) before the preview is stopped."""
    from llr_analysis.paths import project_paths
    from llr_analysis.website.notebooks import plan
    from llr_analysis.website.staging import staged_name

    paths = project_paths(root)
    nb_path = paths.notebooks / f"{notebook}.ipynb"
    page = str(Path(staged_name(next(r.output for r in plan(paths) if r.notebook.name == nb_path.name))))
    page = page.rsplit(".", 1)[0] + ".html"
    original = nb_path.read_text(encoding="utf-8")
    nb = json.loads(original)
    marker = f"zqbench{tag}{os.getpid()}"
    out: dict[str, float] = {}
    preview = PreviewProcess(llr, env)
    try:
        with contextlib.suppress(TimeoutError):  # an analyst opens the page, then edits
            preview.wait_line("Quarto ready", 0, 120)
        assert marker not in preview.get(page)  # the browser has the page open: the preview renders it first
        cell = next(c for c in nb["cells"] if c["cell_type"] == "markdown")
        src = "".join(cell["source"]) if isinstance(cell["source"], list) else cell["source"]
        cell["source"] = src.rstrip() + f" {marker}."
        start = len(preview.lines)
        save_notebook(nb_path, nb)
        t0 = time.perf_counter()
        out["preview_text"] = preview.poll_until(lambda: marker in preview.get(page), 120)
        out["preview_text_all"] = preview.wait_line("text of", start, 300) - t0
        if code:
            version = preview.get("__llr/version")
            cell = next(
                c for c in nb["cells"] if c["cell_type"] == "code" and "parameters" not in c["metadata"].get("tags", [])
            )
            src = "".join(cell["source"]) if isinstance(cell["source"], list) else cell["source"]
            cell["source"] = src + f"\n# benchmark edit {marker}"
            start = len(preview.lines)
            save_notebook(nb_path, nb)
            out["preview_code"] = preview.poll_until(lambda: preview.get("__llr/version") != version, 900)
            preview.wait_line("preview: built", start, 60)
        start = len(preview.lines)
        nb_path.write_text(original, encoding="utf-8")  # back to the original (a build after a code edit)
        preview.wait_line(("preview: built", "text of"), start, 900)
    finally:
        nb_path.write_text(original, encoding="utf-8")
        preview.stop()
    print("    preview said: " + " | ".join(line for _, line in preview.lines if "preview:" in line), flush=True)
    return out


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


PREVIEW_KEYS = ("preview_text", "preview_text_all", "preview_code")
LABELS = {
    "cold": "cold full build",
    "noop": "no-op rebuild",
    "one_notebook": "rebuild, one notebook changed",
    "profiles": "rebuild, profile notebook changed",
    "preview_text": "preview: text edit shown (page in view)",
    "preview_text_all": "preview: text edit, all its pages",
    "preview_code": "preview: code edit rebuilt and reloaded",
    "word": "Word documents, all remade",
    "national": "national processing (IoD + LA measures)",
    "subset_cold": "cold build of the naive path's pages",
    "naive": "naive papermill + quarto render",
}
#: The targets on an idle 2-core machine (issue 22 and the README).
TARGETS = {
    "cold": "<= 120 s",
    "noop": "<= 2 s",
    "one_notebook": "<= 10 s",
    "profiles": "<= 60 s",
    "preview_text": "<= 5 s",
    "national": "<= 10 s",
}


def print_table(med: dict[str, float], results: dict[str, list[float]]) -> None:
    for k, v in med.items():
        target = f"target {TARGETS[k]:<9}" if k in TARGETS else " " * 16
        print(f"  {LABELS[k]:<42} {v:7.1f} s   {target} (runs: {', '.join(f'{x:.1f}' for x in results[k])})")


def only_preview(args, tmp: Path, root: Path, env: dict, llr: list[str]) -> int:
    """``--only preview``: the preview loop alone, on a copy built once (or copied from ``--from-built``)."""
    if args.from_built:
        built = Path(args.from_built).resolve()
        for name in ("data", "build"):
            shutil.rmtree(root / name, ignore_errors=True)
            shutil.copytree(built / name, root / name, symlinks=True)
        subprocess.run(llr + ["build", "--no-fetch"], check=True, env=env, capture_output=True)  # up to date
    else:
        subprocess.run(llr + ["fetch"], check=True, env=env, stdout=subprocess.DEVNULL)
        t, _ = timed_subprocess(llr + ["build"], env)
        print(f"cold build of the copy: {t:.1f} s", flush=True)
    results: dict[str, list[float]] = {k: [] for k in PREVIEW_KEYS}
    loads: list[str] = []
    for i in range(args.repeat):
        loads.append(" ".join(Path("/proc/loadavg").read_text().split()[:3]))
        print(f"preview run {i + 1}/{args.repeat}, load average {loads[-1]}", flush=True)
        for k, v in preview_loop(root, env, llr, args.preview_notebook, str(i), not args.preview_text_only).items():
            results[k].append(v)
            print(f"    {LABELS[k]:<42} {v:6.2f} s", flush=True)
    med = {k: statistics.median(v) for k, v in results.items() if v}
    print(
        f"\nllr preview benchmark — {platform.node()}, {os.cpu_count()} cores, median of {args.repeat}, "
        f"notebooks/{args.preview_notebook}.ipynb; load average (1, 5, 15 min) at the start of each run: "
        + "; ".join(loads)
    )
    print_table(med, results)
    if args.json:
        Path(args.json).write_text(json.dumps({"median_s": med, "runs_s": results, "load": loads}, indent=2))
    shutil.rmtree(tmp, ignore_errors=True)
    return 0


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
    ap.add_argument("--only", choices=["preview"], help="measure only this (after one cold build of the copy)")
    ap.add_argument(
        "--from-built",
        metavar="DIR",
        help="with --only preview: copy the data and build of this built project instead of building",
    )
    ap.add_argument("--preview-notebook", default="population", help="topic notebook edited (default population)")
    ap.add_argument("--preview-text-only", action="store_true", help="do not time a code-cell edit in the preview")
    args = ap.parse_args()

    from conftest import copy_project

    tmp = Path(tempfile.mkdtemp(prefix="llr-bench-"))
    root = copy_project(tmp / "project")
    env = {**os.environ, "LLR_MIRROR": args.mirror, "LLR_ROOT": str(root)}
    llr = [str(BIN / "llr"), "--root", str(root)]
    if args.only == "preview":
        return only_preview(args, tmp, root, env, llr)
    subprocess.run(llr + ["fetch"], check=True, env=env, stdout=subprocess.DEVNULL)

    naive_places = None if args.naive_place == ["all"] else (args.naive_place or ["rutland"])
    keys = (
        "cold",
        "noop",
        "one_notebook",
        "profiles",
        *PREVIEW_KEYS,
        "word",
        "national",
        "subset_cold",
        "naive",
    )
    results: dict[str, list[float]] = {k: [] for k in keys}
    executed: dict[str, str] = {}
    peaks: dict[str, float] = {}
    topic_nb = sorted((root / "notebooks").glob("*.ipynb"))[0]
    original = topic_nb.read_text()
    profile_nb = root / "notebooks" / "locality.ipynb"
    profile_original = profile_nb.read_text()
    loads: list[float] = []
    loads_preview: list[float] = []
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
        loads_preview.append(os.getloadavg()[0])
        for k, v in preview_loop(root, env, llr, args.preview_notebook, str(i), not args.preview_text_only).items():
            results[k].append(v)
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
    print(f"  load average (1 min) at the start of each preview loop: {', '.join(f'{x:.1f}' for x in loads_preview)}")
    print_table(med, results)
    for k, text in executed.items():
        print(f"  {LABELS[k] + ':':<42} {text}")
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
                    "load_preview": loads_preview,
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
