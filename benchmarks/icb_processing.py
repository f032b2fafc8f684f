"""Which English ICBs process offline from the mirror, and how long each takes (issue 24).

    .venv/bin/python benchmarks/icb_processing.py [ICB ...] [--mirror DIR] [--json FILE]

For each ICB (default: every one in the ONS lookup, `llr configure --list`), in a temporary copy of the
project whose raw data was fetched once from the mirror (hard-linked, read only): `llr configure --icb CODE`,
then `llr process --places` with it. Prints one line per ICB (passed or the error's first line, seconds,
known gaps recorded) and a summary. Processing only: notebooks and Quarto are not run (`llr build --places`
does those; see the README's time per ICB).
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
BIN = Path(sys.executable).parent
sys.path.insert(0, str(REPO / "tests"))


def run(cmd: list[str], root: Path, env: dict) -> subprocess.CompletedProcess:
    return subprocess.run(cmd, cwd=root, env={**env, "LLR_ROOT": str(root)}, capture_output=True, text=True)


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("icbs", nargs="*", help="ICB codes (default: every English ICB)")
    ap.add_argument("--mirror", default=os.environ.get("LLR_MIRROR", str(REPO.parent / "shared/data/raw-mirror")))
    ap.add_argument("--json", help="also write the results to this file")
    args = ap.parse_args()

    from conftest import copy_project

    tmp = Path(tempfile.mkdtemp(prefix="llr-icbs-"))
    env = {k: v for k, v in os.environ.items() if k != "LLR_PLACES"} | {"LLR_MIRROR": args.mirror}
    llr = str(BIN / "llr")
    base = copy_project(tmp / "base")
    subprocess.run([llr, "fetch"], cwd=base, env={**env, "LLR_ROOT": str(base)}, check=True, capture_output=True)
    codes = args.icbs or json.loads(run([llr, "configure", "--list"], base, env).stdout)
    results = []
    for code in codes:
        root = copy_project(tmp / code)
        shutil.copytree(base / "data" / "raw", root / "data" / "raw", copy_function=os.link)
        places = root / f"{code}.yml"
        t0 = time.perf_counter()
        conf = run([llr, "configure", "--icb", code, "--out", str(places)], root, env)
        proc = run([llr, "process", "--places", str(places)], root, env) if conf.returncode == 0 else conf
        seconds = time.perf_counter() - t0
        out = proc.stdout + proc.stderr
        gaps = sum(1 for line in out.splitlines() if "known gap" in line)
        error = next((ln for ln in reversed(out.splitlines()) if ln.strip()), "") if proc.returncode else ""
        results.append(
            {"icb": code, "ok": proc.returncode == 0, "seconds": round(seconds, 1), "gaps": gaps, "error": error}
        )
        status = "processed" if proc.returncode == 0 else f"FAILED: {error[:300]}"
        print(f"{code}  {seconds:6.1f} s  {gaps:3d} known gaps  {status}", flush=True)
        shutil.rmtree(root, ignore_errors=True)
    ok = [r for r in results if r["ok"]]
    print(f"\n{len(ok)} of {len(results)} ICBs processed; {sum(r['seconds'] for r in results) / 60:.1f} min in all")
    if args.json:
        Path(args.json).write_text(json.dumps(results, indent=2))
    shutil.rmtree(tmp, ignore_errors=True)
    return 0 if len(ok) == len(results) else 1


if __name__ == "__main__":
    sys.exit(main())
