"""How many pages each English ICB's site has with `llr configure`'s default levels, and what building all 42
would take at a measured cost per page (issue 24: "the README gives the time per ICB and for all 42").

    .venv/bin/python benchmarks/icb_sizes.py [--fixed S] [--per-page S] [--mirror DIR]

Pages per ICB: each place's topic pages and summary, one profile per locality of each level the place
profiles (wards from the lookup's counts, districts from the place's districts; PCN profiles are counted only
where `configure` keeps them, which needs placed practices), the overview and the site's own pages. The time
is ``fixed + per_page * pages``, with both numbers given on the command line from a measured build (the
README's Performance section); the output says it is an estimate from those two numbers.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "src"))

from llr_analysis import configure as cf  # noqa: E402
from llr_analysis.paths import project_paths  # noqa: E402

#: one page per topic notebook and place, plus the place summary
PLACE_PAGES = 5
#: the overview, the localities index and the hand-written pages (methods, sources, about, index)
SITE_PAGES = 5


def pages_of(doc: dict) -> int:
    """Pages of one ICB's site from its places file (as a dict)."""
    n = SITE_PAGES
    for place in doc["places"].values():
        n += PLACE_PAGES
        counts = place.get("counts", {})
        for level in place.get("profiles", []):
            n += {
                "ward": counts.get("wards", 0),
                "msoa": counts.get("msoa21", 0),
                "district": len(place.get("districts", {})),
            }.get(level, 0)
    return n


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--mirror", default=os.environ.get("LLR_MIRROR", str(REPO.parent / "shared/data/raw-mirror")))
    ap.add_argument("--fixed", type=float, required=True, help="seconds per ICB that do not depend on pages")
    ap.add_argument("--per-page", type=float, required=True, help="seconds per page")
    args = ap.parse_args()
    paths = project_paths(Path(tempfile.mkdtemp(prefix="llr-icbs-")))
    lookups = cf.load_lookups(cf.locate_lookups(paths, args.mirror))
    rows = []
    for code in cf.icb_list(lookups.icb)["icb_code"]:
        doc = cf.configure_icb(lookups, code)
        rows.append((code, doc["ics"]["name"], len(doc["places"]), pages_of(doc)))
    rows.sort(key=lambda r: r[3])
    total = 0.0
    for code, name, places, pages in rows:
        t = args.fixed + args.per_page * pages
        total += t
        print(f"{code}  {pages:4d} pages  {places} places  ~{t / 60:5.1f} min  {name}")
    pages = [r[3] for r in rows]
    print(
        f"\n{len(rows)} ICBs, {sum(pages)} pages (median {sorted(pages)[len(pages) // 2]}, largest {max(pages)}); "
        f"estimate at {args.fixed:.0f} s + {args.per_page:.2f} s per page: {total / 3600:.1f} h of runner time "
        f"one after another; with parallel jobs the wall time is about the largest ICB's, "
        f"~{(args.fixed + args.per_page * max(pages)) / 60:.0f} min"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
