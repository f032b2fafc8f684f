"""The ``llr`` command: fetch, process, notebooks, render, check, build.

Every command that writes takes the project's one lock (a second writing command in the same
project is refused while one runs); every command finds its project from the working directory
(or ``--root``/``$LLR_ROOT``) and, outside a project, refuses with "no project found here"
before writing anything. Ctrl-C stops a command with one line (its workers and kernels end with it).
"""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

from llr_analysis.errors import LLRError, ParameterError
from llr_analysis.paths import NoProjectError, is_project, project_paths


def _console():
    from rich.console import Console

    return Console(stderr=False, highlight=False)


def parse_params(items: list[str] | None) -> dict[str, str]:
    """``--param key=value`` options as a dict; a clear error for anything else."""
    out = {}
    for kv in items or []:
        key, sep, value = kv.partition("=")
        if not sep or not key.strip():
            raise ParameterError(f"--param must be key=value (e.g. edition=IoD2019), got {kv!r}")
        out[key.strip()] = value
    return out


def _locked(command: str, paths):
    """The project's one lock for a writing command (see :class:`llr_analysis.website.build.BuildLock`)."""
    from llr_analysis.website.build import BuildLock

    return BuildLock(paths, command)


def cmd_fetch(args, paths) -> int:
    with _locked("fetch", paths):
        return _fetch(args, paths)


def _fetch(args, paths) -> int:
    from llr_analysis.fetch import sources

    results = sources.fetch(
        paths, args.dataset or None, mirror=Path(args.mirror) if args.mirror else None, refresh=args.refresh
    )
    mirror = args.mirror or paths.mirror()
    print(f"fetched {len(results)} datasets from {'mirror ' + str(mirror) if mirror else 'canonical URLs'}")
    for r in results:
        if r.status != "unchanged" or r.changes:
            print(f"  {r.dataset_id}: {r.status}" + (f" — {'; '.join(r.changes)}" if r.changes else ""))
    print(f"lock: {paths.lock_file.relative_to(paths.root)}")
    return 0


def cmd_fetch_fingertips(args, paths) -> int:
    from llr_analysis.fetch.fingertips import fetch_fingertips

    with _locked("fetch-fingertips", paths):
        results = fetch_fingertips(paths, base_url=args.base_url)
    changed = [r for r in results if r.status != "unchanged"]
    print(
        f"fetched {len(results)} Fingertips extracts ({len(changed)} new or updated) into "
        "data/raw/cancer_screening/fingertips; next: llr process screening"
    )
    for r in changed:
        if r.changes:
            print(f"  {r.request.filename}: {r.status} — {'; '.join(r.changes)}")
    return 0


def cmd_process(args, paths) -> int:
    from llr_analysis import process

    with _locked("process", paths):
        process.run(paths, args.step or None)
    return 0


def cmd_notebooks(args, paths) -> int:
    with _locked("notebooks", paths):
        return _notebooks(args, paths)


def _notebooks(args, paths) -> int:
    from llr_analysis.website.build import assemble_stage
    from llr_analysis.website.notebooks import execute, plan

    params = parse_params(args.param)
    runs = plan(paths, places=args.place or None, topics=args.topic or None, parameters=params)
    os.environ["LLR_ROOT"] = str(paths.root)
    done, skipped = execute(runs, paths.executed, paths.root, workers=args.workers or os.cpu_count() or 1, paths=paths)
    # the stage holds every page executed so far, so a following `llr render` publishes a whole site
    everything = [r for r in plan(paths, parameters=params) if (paths.executed / r.output).exists()]
    stage = assemble_stage(paths, everything)
    print(f"executed {len(done)} notebook runs ({len(skipped)} unchanged) into {stage}")
    return 0


def cmd_render(args, paths) -> int:
    from llr_analysis.website.build import recover, render_and_publish

    with _locked("render", paths):
        for line in recover(paths):
            print(f"recovered: {line}")
        result, site = render_and_publish(paths, paths.stage, paths.site, force=args.force)
    if result is None:
        print(f"{site} is up to date")
    else:
        print(
            f"rendered {', '.join(result.rendered)} with Quarto in {result.seconds:.1f}s; "
            f"{len(result.pages)} pages published to {site}"
        )
    return 0


def cmd_check(args, paths) -> int:
    from llr_analysis.website.check import check_site

    site = Path(args.site) if args.site else paths.site
    problems = check_site(site)
    for p in problems:
        print(p, file=sys.stderr)
    if problems:
        print(f"llr check: {len(problems)} problem(s) in {site}", file=sys.stderr)
        return 1
    print(f"llr check: {site} is self-contained (no external scripts, styles or fonts; all links resolve)")
    return 0


def cmd_build(args, paths) -> int:
    from llr_analysis.website.build import build

    report = build(
        paths,
        mirror=Path(args.mirror) if args.mirror else None,
        fetch=not args.no_fetch,
        places=args.place or None,
        topics=args.topic or None,
        workers=args.workers,
        force=args.force,
        parameters=parse_params(args.param),
    )
    print(
        "timings: "
        + ", ".join(f"{k} {v:.1f}s" for k, v in report.timings.items())
        + f" (notebooks: {report.executed} executed, {report.skipped} unchanged)"
    )
    if report.pages:  # rendered in this build (empty when the published site was already current)
        print(f"site: {report.site} ({len(report.pages)} pages, rendered by Quarto)")
    else:
        print(f"site: {report.site} is up to date (nothing changed since it was published)")
    return 0


# --- llr configure (issue 24): a places file for any English ICB --------------------------------
def cmd_configure(args, paths) -> int:
    from llr_analysis.configure import configure

    if args.list:
        from llr_analysis.configure import list_icbs

        return list_icbs(paths, mirror=args.mirror)
    if not args.icb:
        raise SystemExit("llr configure: give --icb CODE (or --list)")
    return configure(paths, args.icb, out=args.out, mirror=args.mirror)


# --- end llr configure -----------------------------------------------------------------------------


def _at_least_one(text: str) -> int:
    try:
        n = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"must be a whole number of workers, got {text!r}") from None
    if n < 1:
        raise argparse.ArgumentTypeError(f"must be at least 1, got {n}")
    return n


def _seconds(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        value = -1.0
    if not value > 0:
        raise argparse.ArgumentTypeError(f"must be a number of seconds above 0, got {text!r}")
    return value


def _options(args) -> None:
    """Options that reach the processes a command starts (workers, kernels, Quarto) as environment."""
    if getattr(args, "places", None):
        places = Path(args.places).resolve()
        if not places.is_file():
            raise ParameterError(f"--places {args.places}: no such file")
        os.environ["LLR_PLACES"] = str(places)
    if getattr(args, "cell_timeout", None):
        os.environ["LLR_CELL_TIMEOUT"] = f"{args.cell_timeout:g}"
    if getattr(args, "render_timeout", None):
        os.environ["LLR_RENDER_TIMEOUT"] = f"{args.render_timeout:g}"


def _project(args):
    """The project the command works on; outside a project, a clear refusal (nothing written)."""
    paths = project_paths(args.root)
    given = args.root or os.environ.get("LLR_ROOT")
    if not is_project(paths.root):
        where = f"--root {args.root}" if args.root else "LLR_ROOT" if given else "here"
        raise NoProjectError(
            f"no project found {'at ' + str(paths.root) + ' (' + where + ')' if given else 'here'}: "
            "a project folder holds pyproject.toml and _quarto.yml; run llr inside it or give it with --root DIR"
        )
    return paths


def _add_common(p, *, places: bool = True) -> None:
    if places:
        p.add_argument(
            "--places", metavar="FILE", help="places file to use instead of config/places.yml (sets LLR_PLACES)"
        )


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="llr", description=__doc__)
    ap.add_argument("--root", help="project root (default: $LLR_ROOT or the folder holding _quarto.yml)")
    sub = ap.add_subparsers(dest="command", required=True)

    p = sub.add_parser("fetch", help="fetch raw data into data/raw and update the lock")
    p.add_argument("dataset", nargs="*", help="dataset ids (default: all in the registry)")
    p.add_argument("--mirror", help="mirror folder to copy from (default: $LLR_MIRROR or [tool.llr] mirror)")
    p.add_argument("--refresh", action="store_true", help="accept new versions: report changes and rewrite the lock")
    _add_common(p)
    p.set_defaults(func=cmd_fetch)

    p = sub.add_parser(
        "fetch-fingertips",
        help="download breast, cervical and bowel screening coverage from the OHID Fingertips API (needs internet)",
    )
    p.add_argument(
        "--base-url",
        help="API base URL, or a folder / file:// URL of saved responses (default: config/cancer_screening.yml)",
    )
    _add_common(p)
    p.set_defaults(func=cmd_fetch_fingertips)

    p = sub.add_parser("process", help="validate raw files into tidy tables in data/processed")
    p.add_argument("step", nargs="*")
    _add_common(p)
    p.set_defaults(func=cmd_process)

    for name, func, helptext in (
        ("notebooks", cmd_notebooks, "execute the notebooks per place into build/stage"),
        ("build", cmd_build, "fetch, process, execute, render and check; publish site/"),
    ):
        p = sub.add_parser(name, help=helptext)
        p.add_argument("--place", action="append", help="only this place (repeatable)")
        p.add_argument("--topic", action="append", help="only this topic notebook (repeatable)")
        p.add_argument(
            "--workers", type=_at_least_one, default=None, help="parallel notebook runs, 1 or more (default: cores)"
        )
        p.add_argument(
            "--cell-timeout",
            type=_seconds,
            metavar="SECONDS",
            help="time limit of one notebook cell (default: $LLR_CELL_TIMEOUT, [tool.llr] cell-timeout or 300)",
        )
        _add_common(p)
        p.set_defaults(func=func)
        p.add_argument("--param", action="append", help="notebook parameter key=value, e.g. edition=IoD2019")
        if name == "build":
            p.add_argument("--mirror")
            p.add_argument("--no-fetch", action="store_true", help="use data/raw as it is")
            p.add_argument("--force", action="store_true", help="rebuild everything, ignoring the caches")
            p.add_argument(
                "--render-timeout",
                type=_seconds,
                metavar="SECONDS",
                help="time limit of each Quarto render (default: $LLR_RENDER_TIMEOUT or 1800)",
            )

    p = sub.add_parser("render", help="render build/stage with Quarto (what changed), check, publish site/")
    p.add_argument("--force", action="store_true", help="render the whole site")
    p.add_argument("--render-timeout", type=_seconds, metavar="SECONDS", help="time limit of each Quarto render")
    _add_common(p)
    p.set_defaults(func=cmd_render)

    p = sub.add_parser("check", help="check the site works offline and its links resolve")
    p.add_argument("site", nargs="?")
    p.set_defaults(func=cmd_check)

    # --- llr configure (issue 24) ---
    p = sub.add_parser("configure", help="write a places file (like config/places.yml) for any English ICB")
    p.add_argument("--icb", help="the ICB's ONS code (E54000058) or ODS code (QJ2)")
    p.add_argument("--list", action="store_true", help="print every English ICB's ONS code as a JSON list")
    p.add_argument("--out", help="file to write (default: print the file)")
    p.add_argument("--mirror", help="mirror folder to read the lookups from when they are not in data/raw")
    p.set_defaults(func=cmd_configure)
    # --- end llr configure ---

    from llr_analysis.website.preview import add_parser as add_preview  # llr preview (issue 22)

    add_preview(sub)
    args = ap.parse_args(argv)
    try:
        _options(args)
        paths = None if args.command == "check" and args.site else _project(args)  # check writes nothing
        return args.func(args, paths)
    except KeyboardInterrupt:
        import signal

        signal.signal(signal.SIGINT, signal.SIG_IGN)  # a second Ctrl-C during cleanup changes nothing
        print(f"llr {args.command}: interrupted (Ctrl-C): stopped; site/ was not changed", file=sys.stderr)
        return 130
    except LLRError as exc:
        print(f"llr {args.command}: error: {exc}", file=sys.stderr)
        return 1
    except OSError as exc:  # a file or folder the command cannot read or write: one line, no traceback
        from llr_analysis.errors import os_error_text

        print(f"llr {args.command}: error: {os_error_text(exc)}", file=sys.stderr)
        return 1


if __name__ == "__main__":
    sys.exit(main())
