"""``llr build``: fetch -> process -> notebooks -> render -> check -> publish.

Everything is written into ``build/`` first. ``site/`` is replaced only when every step
succeeded (an atomic rename), so a failed build leaves the previous site untouched and
exits non-zero naming the step and what failed in it.
"""

from __future__ import annotations

import os
import shutil
import time
from dataclasses import dataclass, field
from pathlib import Path

from . import process, sources
from .check import check_site
from .errors import BuildError, LLRError
from .notebooks import execute, plan
from .paths import ProjectPaths
from .render import render_site
from .sitepages import sources_page


@dataclass
class BuildReport:
    timings: dict[str, float] = field(default_factory=dict)
    pages: list[Path] = field(default_factory=list)
    engine: str = ""
    executed: int = 0
    skipped: int = 0
    site: Path | None = None


def _progress(runs, log):
    """A progress bar while notebooks run (tqdm on a terminal, one line per run otherwise)."""
    import sys
    if sys.stderr.isatty():
        from tqdm import tqdm
        bar = tqdm(total=len(runs), desc="notebooks", unit="run", leave=False)
        return lambda run: (bar.update(1), bar.set_postfix_str(run.label))
    return lambda run: log(f"  executed {run.label}")


def vega_bundle(paths: ProjectPaths) -> Path:
    """The one Vega/Vega-Lite/Vega-Embed script the site loads (cached under build/)."""
    import altair as alt
    import vl_convert as vlc
    version = ".".join(alt.SCHEMA_VERSION.lstrip("v").split(".")[:2])
    cached = paths.build / "cache" / f"vega-bundle-vl{version}-vlc{vlc.__version__}.js"
    if not cached.exists():
        cached.parent.mkdir(parents=True, exist_ok=True)
        tmp = cached.with_suffix(".tmp")
        tmp.write_text(vlc.javascript_bundle(vl_version=version))
        tmp.replace(cached)
    return cached


def assemble_stage(paths: ProjectPaths, runs=()) -> Path:
    """A fresh Quarto project in build/stage: _quarto.yml, hand-written pages, generated pages, assets,
    and the executed notebooks (with their CSV downloads) of ``runs``."""
    stage = paths.stage
    if stage.exists():
        shutil.rmtree(stage)
    stage.mkdir(parents=True)
    shutil.copyfile(paths.quarto_yml, stage / "_quarto.yml")
    if paths.pages.exists():
        for f in paths.pages.rglob("*"):
            if f.is_file():
                dest = stage / f.relative_to(paths.pages)
                dest.parent.mkdir(parents=True, exist_ok=True)
                shutil.copyfile(f, dest)
    (stage / "sources.qmd").write_text(sources_page(paths))
    (stage / "assets").mkdir(exist_ok=True)
    shutil.copyfile(vega_bundle(paths), stage / "assets" / "vega-bundle.js")
    for run in runs:
        dest = stage / run.output
        dest.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(paths.executed / run.output, dest)
        if (paths.executed / run.downloads).exists():
            shutil.copytree(paths.executed / run.downloads, stage / run.downloads)
    return stage


def prune_navbar(stage: Path) -> list[str]:
    """Drop navbar entries whose page is not in the stage (for partial builds: --place/--topic)."""
    import yaml
    yml = stage / "_quarto.yml"
    cfg = yaml.safe_load(yml.read_text())
    dropped: list[str] = []

    def keep(item) -> bool:
        if "menu" in item:
            item["menu"] = [m for m in item["menu"] if keep(m)]
            return bool(item["menu"])
        href = item.get("href")
        if href and not href.startswith(("http:", "https:")) and not (stage / href).exists():
            dropped.append(href)
            return False
        return True

    nav = cfg.get("website", {}).get("navbar", {})
    for side in ("left", "right"):
        if side in nav:
            nav[side] = [i for i in nav[side] if keep(i)]
    yml.write_text(yaml.safe_dump(cfg, sort_keys=False, allow_unicode=True))
    return dropped


def stage_hash(stage: Path, engine: str) -> str:
    """Hash of every file in the stage (and the renderer), to skip re-rendering an unchanged site."""
    import hashlib
    from .notebooks import code_hash
    h = hashlib.sha256(f"{engine}:{code_hash()}".encode())
    for f in sorted(stage.rglob("*")):
        if f.is_file():
            h.update(str(f.relative_to(stage)).encode())
            h.update(hashlib.sha256(f.read_bytes()).digest())
    return h.hexdigest()


def publish(new_site: Path, site: Path) -> None:
    """Swap ``new_site`` into place as ``site`` (the old one is removed only after the swap)."""
    old = site.with_name(site.name + ".old")
    if old.exists():
        shutil.rmtree(old)
    if site.exists():
        # keep a README that documents the folder in git
        readme = site / "README.md"
        if readme.exists() and not (new_site / "README.md").exists():
            shutil.copyfile(readme, new_site / "README.md")
        site.rename(old)
    new_site.rename(site)
    if old.exists():
        shutil.rmtree(old)


def build(paths: ProjectPaths, *, mirror: Path | None = None, fetch: bool = True, places=None, topics=None,
          workers: int | None = None, engine: str = "auto", force: bool = False, parameters: dict | None = None,
          log=print) -> BuildReport:
    report = BuildReport()
    os.environ["LLR_ROOT"] = str(paths.root)

    def timed(step: str, fn):
        t0 = time.perf_counter()
        try:
            result = fn()
        except BuildError:
            raise
        except LLRError as exc:
            raise BuildError(step, str(exc)) from exc
        report.timings[step] = time.perf_counter() - t0
        log(f"{step}: done in {report.timings[step]:.1f}s")
        return result

    if fetch:
        timed("fetch", lambda: sources.fetch(paths, mirror=mirror))
    timed("process", lambda: process.run(paths, log=log, force=force))
    runs = plan(paths, places=places, topics=topics, parameters=parameters)
    workers = workers or os.cpu_count() or 1
    done, skipped = timed("notebooks", lambda: execute(runs, paths.executed, paths.root, workers=workers,
                                                       paths=paths, force=force, progress=_progress(runs, log)))
    report.executed, report.skipped = len(done), len(skipped)
    stage = timed("stage", lambda: assemble_stage(paths, runs))
    if places or topics:
        dropped = prune_navbar(stage)
        if dropped:
            log(f"partial build: {len(dropped)} pages not built are left out of the navigation")
    # Nothing to render when the stage is exactly what the published site was rendered from.
    partial = bool(places or topics)
    target = paths.build / "site-partial" if partial else paths.site
    stamp = paths.build / f"{target.name}.stage-hash"
    digest = stage_hash(stage, engine)
    if not force and stamp.exists() and stamp.read_text().strip() == digest and (target / "index.html").exists():
        report.site = target
        log(f"render: {target} is up to date (stage unchanged)")
        return report
    new_site = paths.build / "site.new"
    if new_site.exists():
        shutil.rmtree(new_site)
    result = timed("render", lambda: render_site(stage, new_site, engine=engine))
    report.engine, report.pages = result.engine, result.pages

    def run_check():
        problems = check_site(new_site)
        if partial:  # pages outside a partial build are missing by design
            for p in [p for p in problems if p.kind == "broken link"]:
                log(f"warning (partial build): {p}")
            problems = [p for p in problems if p.kind != "broken link"]
        if problems:
            raise BuildError("check", f"{len(problems)} problem(s); first: {problems[0]}")
    timed("check", run_check)
    # A partial build (--place/--topic) never replaces the full site: it goes to build/site-partial.
    report.site = paths.build / "site-partial" if partial else paths.site
    timed("publish", lambda: publish(new_site, report.site))
    stamp.write_text(digest + "\n")
    if partial:
        log(f"partial build published to {report.site} (site/ is only replaced by a full build)")
    return report
