"""``llr configure``: a places file (the schema of ``config/places.yml``) for any English ICB.

Everything comes from the official ONS lookups the project already fetches (``config/sources.yml``):

- ``LSOA21_SICBL24_ICB24_EN_LU.csv``: which LSOAs (2021) make up each integrated care board (ICB);
- ``LSOA21_WD24_LAD24_EW_LU.csv``: each LSOA's ward and district (best fit, 2024);
- ``LAD23_CTYUA23_EW_LU.csv``: each district's upper-tier authority (county or unitary, 2023);
- ``LSOA11_LSOA21_LAD22_EW_LU.csv`` (optional): LSOAs 2011 and the 2022 district codes, to count
  LSOAs (2011) and to record areas whose code is newer than the LAD 2022 vintage of older data.

The ICB's places are its upper-tier authorities (unitary authorities, metropolitan districts,
London boroughs, counties), each with its districts; an authority split between ICBs becomes the
part inside the ICB, built from its LSOAs, and the file says so (``part_of_authority``).

Layout: one loader (:func:`load_lookups`, the only function that reads files), pure functions
(DataFrames in, dict out: :func:`configure_icb`), and the YAML text at the edge
(:func:`render_places_yaml`, :func:`write_places`). This module is a foundation module (it imports
no stage), so it reads ``config/sources.yml`` itself to find the files, in ``data/raw`` or a mirror.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from importlib import resources
from pathlib import Path

import pandas as pd
import yaml

from llr_analysis.errors import ConfigError, DataValidationError
from llr_analysis.paths import ProjectPaths
from llr_analysis.validate import read_csv, select_columns

#: key -> (dataset id in config/sources.yml, publisher column -> our name, required?)
LOOKUPS: dict[str, tuple[str, dict[str, str], bool]] = {
    "icb": (
        "lsoa21_icb24_lookup",
        {
            "LSOA21CD": "lsoa21_code",
            "SICBL24CD": "sicbl_code",
            "SICBL24CDH": "sicbl_ods_code",
            "ICB24CD": "icb_code",
            "ICB24CDH": "icb_ods_code",
            "ICB24NM": "icb_name",
        },
        True,
    ),
    "wards": (
        "lsoa21_wd24_lad24_lookup",
        {
            "LSOA21CD": "lsoa21_code",
            "LSOA21NM": "lsoa21_name",
            "WD24CD": "ward_code",
            "WD24NM": "ward_name",
            "LAD24CD": "lad_code",
            "LAD24NM": "lad_name",
        },
        True,
    ),
    "upper": (
        "lad23_ctyua23_lookup",
        {"LAD23CD": "lad_code", "LAD23NM": "lad_name", "CTYUA23CD": "utla_code", "CTYUA23NM": "utla_name"},
        True,
    ),
    "lsoa11": (
        "lsoa11_lsoa21_lookup",
        {"LSOA11CD": "lsoa11_code", "LSOA21CD": "lsoa21_code", "LAD22CD": "lad22_code", "LAD22NM": "lad22_name"},
        False,
    ),
}

#: upper-tier authority type by the prefix of its GSS code
AUTHORITY_TYPES = {
    "E06": "Unitary authority",
    "E08": "Metropolitan district",
    "E09": "London borough",
    "E10": "County",
}

#: topic-page tabs and profile levels by authority kind, as the default places.yml has them
LOCALITIES = {"county": ["district", "ward", "msoa", "pcn"], "single": ["ward", "msoa", "pcn"]}
PROFILES = {"county": ["district", "pcn"], "single": ["ward", "pcn"]}

SMALL_WORDS = {"and", "of", "the", "upon", "on", "in"}


# ------------------------------------------------------------------------------------- loader


@dataclass(frozen=True)
class Lookups:
    icb: pd.DataFrame
    wards: pd.DataFrame
    upper: pd.DataFrame
    lsoa11: pd.DataFrame | None
    #: the packaged places.yml, as parsed YAML (england and locality_levels are copied from it)
    template: dict
    #: dataset id -> file it was read from (named in comments and errors)
    files: dict[str, str]


def _registry_entries() -> dict[str, dict]:
    doc = yaml.safe_load(resources.files("llr_analysis.config").joinpath("sources.yml").read_text())
    return doc["datasets"]


def locate_lookups(paths: ProjectPaths, mirror: str | Path | None = None) -> dict[str, Path | None]:
    """Where each lookup is: ``data/raw/<topic>/<file>`` when fetched, else the mirror's copy.

    A required lookup found in neither place is a :class:`ConfigError` naming the command to run.
    """
    entries = _registry_entries()
    mirror_dir = paths.mirror(mirror)
    found: dict[str, Path | None] = {}
    missing = []
    for key, (dataset_id, _, required) in LOOKUPS.items():
        ds = entries[dataset_id]
        raw = paths.raw / ds["topic"] / ds["filename"]
        mirrored = mirror_dir / ds["mirror_path"] if mirror_dir else None
        if raw.exists():
            found[key] = raw
        elif mirrored is not None and mirrored.exists():
            found[key] = mirrored
        else:
            found[key] = None
            if required:
                missing.append((dataset_id, ds["topic"] + "/" + ds["filename"]))
    if missing:
        ids = " ".join(d for d, _ in missing)
        where = f" or in the mirror {mirror_dir}" if mirror_dir else ""
        raise ConfigError(
            f"the lookups {', '.join(f for _, f in missing)} are not in {paths.raw}{where}: run "
            f"`llr fetch {ids}` (or give --mirror DIR)"
        )
    return found


def load_lookups(files: dict[str, Path | None]) -> Lookups:
    """Read the lookups (publisher column names checked; errors name the file and column)."""
    frames: dict[str, pd.DataFrame | None] = {}
    for key, (_, columns, _) in LOOKUPS.items():
        f = files.get(key)
        frames[key] = None if f is None else select_columns(read_csv(f, dtype=str), columns, f)
    template = yaml.safe_load(resources.files("llr_analysis.config").joinpath("places.yml").read_text())
    return Lookups(
        icb=_required(frames, "icb"),
        wards=_required(frames, "wards"),
        upper=_required(frames, "upper"),
        lsoa11=frames["lsoa11"],
        template=template,
        files={LOOKUPS[k][0]: Path(f).name for k, f in files.items() if f is not None},
    )


def _required(frames: dict[str, pd.DataFrame | None], key: str) -> pd.DataFrame:
    """A required lookup's frame (:func:`locate_lookups` has already refused to go on without it)."""
    frame = frames[key]
    if frame is None:
        dataset_id = LOOKUPS[key][0]
        raise ConfigError(f"the lookup {dataset_id} is required: run `llr fetch {dataset_id}` (or give --mirror DIR)")
    return frame


# ---------------------------------------------------------------------------- pure functions


def icb_list(icb: pd.DataFrame) -> pd.DataFrame:
    """One row per ICB: ``icb_code``, ``icb_ods_code``, ``icb_name``, ``lsoas``, sorted by code."""
    return (
        icb.groupby(["icb_code", "icb_ods_code", "icb_name"], as_index=False)
        .agg(lsoas=("lsoa21_code", "size"))
        .sort_values("icb_code")
        .reset_index(drop=True)
    )


def icb_display_name(name: str) -> str:
    """``NHS Derby and Derbyshire Integrated Care Board`` -> ``Derby and Derbyshire``."""
    out = re.sub(r"^NHS\s+", "", str(name).strip())
    out = re.sub(r"\s+(Integrated Care Board|ICB)$", "", out)
    return out.strip()


def short_name(name: str) -> str:
    """Initials for names of three or more words (e.g. ``BNSSG``), else the name itself."""
    words = [w for w in re.split(r"[\s,]+", name) if w and w.lower() not in SMALL_WORDS]
    return "".join(w[0].upper() for w in words) if len(words) >= 3 else name


def slug(name: str) -> str:
    """``Bath and North East Somerset`` -> ``bath_and_north_east_somerset`` (an id for pages and files)."""
    return re.sub(r"[^a-z0-9]+", "_", str(name).lower()).strip("_")


def resolve_icb(code: str, icb: pd.DataFrame) -> pd.Series:
    """The ICB named by its ONS code (``E54000058``) or ODS code (``QJ2``); ConfigError otherwise."""
    icbs = icb_list(icb)
    key = str(code).strip().upper()
    hit = icbs[(icbs["icb_code"].str.upper() == key) | (icbs["icb_ods_code"].str.upper() == key)]
    if hit.empty:
        known = "; ".join(
            f"{r.icb_code} ({r.icb_ods_code}) {icb_display_name(str(r.icb_name))}" for r in icbs.itertuples()
        )
        raise ConfigError(f"unknown ICB {code!r} (give its ONS code E54... or its ODS code), known: {known}")
    return hit.iloc[0]


def authority_type(code: str) -> str:
    kind = AUTHORITY_TYPES.get(str(code)[:3])
    if kind is None:
        raise ConfigError(
            f"{code} is not an upper-tier authority code: expected a code starting "
            f"{', '.join(AUTHORITY_TYPES)} ({', '.join(AUTHORITY_TYPES.values())})"
        )
    return kind


def lsoa_geography(lk: Lookups) -> pd.DataFrame:
    """Every English LSOA 2021 with its ward, district, upper-tier authority and ICB.

    The district's upper tier comes from LAD23_CTYUA23; a district the 2023 lookup lacks is its own
    upper tier when its code is a unitary one (E06/E08/E09), and ``utla_vintage_gap`` names the gap.
    """
    geo = lk.wards.merge(lk.icb, on="lsoa21_code", how="inner")
    upper = lk.upper.drop_duplicates("lad_code")[["lad_code", "utla_code", "utla_name"]]
    geo = geo.merge(upper, on="lad_code", how="left")
    gap = geo["utla_code"].isna()
    geo["utla_vintage_gap"] = gap
    own = gap & geo["lad_code"].str[:3].isin(["E06", "E08", "E09"])
    geo.loc[own, "utla_code"] = geo.loc[own, "lad_code"]
    geo.loc[own, "utla_name"] = geo.loc[own, "lad_name"]
    if geo["utla_code"].isna().any():
        bad = geo[geo["utla_code"].isna()].iloc[0]
        raise DataValidationError(
            lk.files.get(LOOKUPS["upper"][0], "LAD23_CTYUA23_EW_LU.csv"),
            f"district {bad['lad_code']} ({bad['lad_name']}, LAD 2024) has no county or unitary authority in the "
            "2023 lookup, and its code is not a unitary one",
            column="LAD23CD",
            area=bad["lad_code"],
        )
    return geo


def split_authorities(geo: pd.DataFrame) -> pd.DataFrame:
    """Districts and upper-tier authorities whose LSOAs lie in more than one ICB.

    Columns: ``tier`` (district / upper tier), ``code``, ``name``, ``icbs`` (codes, sorted),
    ``lsoas`` ({icb: LSOA count}).
    """
    rows = []
    for tier, code, name in (("district", "lad_code", "lad_name"), ("upper tier", "utla_code", "utla_name")):
        for (c, n), g in geo.groupby([code, name]):
            counts = g["icb_code"].value_counts().sort_index()
            if len(counts) > 1:
                rows.append({"tier": tier, "code": c, "name": n, "icbs": list(counts.index), "lsoas": counts.to_dict()})
    return pd.DataFrame(rows, columns=["tier", "code", "name", "icbs", "lsoas"])


def _part(n_in: int, n_all: int) -> str:
    return f"{n_in} of {n_all}"


def _older_codes(areas: dict[str, set[str]], lsoa11: pd.DataFrame | None) -> dict[str, dict[str, str]]:
    """For each area code (-> its LSOAs 2021) absent from the LAD 2022 vintage: the 2022 districts of its LSOAs."""
    if lsoa11 is None:
        return {}
    lad22 = set(lsoa11["lad22_code"])
    out: dict[str, dict[str, str]] = {}
    for code, lsoas in areas.items():
        if code not in lad22:
            was = lsoa11.loc[lsoa11["lsoa21_code"].isin(lsoas), ["lad22_code", "lad22_name"]].drop_duplicates()
            out[code] = dict(sorted(was.itertuples(index=False)))
    return out


def configure_icb(lk: Lookups, icb_code: str) -> dict:
    """The places configuration of one ICB (a dict in the schema of config/places.yml, plus notes)."""
    icb = resolve_icb(icb_code, lk.icb)
    geo = lsoa_geography(lk)
    mine = geo[geo["icb_code"] == icb["icb_code"]]
    lsoas_by_lad = geo.groupby("lad_code")["lsoa21_code"].size()
    lsoas_by_utla = geo.groupby("utla_code")["lsoa21_code"].size()
    gaps = sorted(mine.loc[mine["utla_vintage_gap"], "lad_code"].unique())

    places: dict[str, dict] = {}
    for (ucode, uname), g in sorted(mine.groupby(["utla_code", "utla_name"]), key=lambda kv: kv[0][1]):
        kind = authority_type(ucode)
        county = kind == "County"
        districts = dict(sorted(g[["lad_code", "lad_name"]].drop_duplicates().itertuples(index=False)))
        d_in = g.groupby("lad_code")["lsoa21_code"].size()
        partial_districts = {  # a unitary place's one district is the place itself: said once, above
            d: _part(int(d_in[d]), int(lsoas_by_lad[d])) for d in districts if d_in[d] < lsoas_by_lad[d] and d != ucode
        }
        # a district tab only when a county part has more than one district
        levels = LOCALITIES["county"] if county and len(districts) > 1 else LOCALITIES["single"]
        profiles = PROFILES["county"] if county and len(districts) > 1 else PROFILES["single"]
        place = {
            "code": ucode,
            "name": uname,
            "type": kind,
            "districts": districts,
            "localities": list(levels),
            "profiles": list(profiles),
        }
        if len(g) < lsoas_by_utla[ucode]:
            place["part_of_authority"] = True
            place["lsoas_in_icb"] = _part(len(g), int(lsoas_by_utla[ucode]))
        if partial_districts:
            place["partial_districts"] = partial_districts
        areas = {d: set(g.loc[g["lad_code"] == d, "lsoa21_code"]) for d in districts} if county else {}
        older = _older_codes(areas or {ucode: set(g["lsoa21_code"])}, lk.lsoa11)
        if older:
            place["lad22_codes"] = older
        no_upper = [d for d in districts if d in gaps]
        if no_upper:
            place["not_in_lad23_ctyua23"] = no_upper
        place["counts"] = {
            "lsoa21": len(g),
            "wards": int(g["ward_code"].nunique()),
            "msoa21": int(g["lsoa21_name"].str[:-1].nunique()),
        }
        pid = slug(uname)
        if pid in places:
            raise ConfigError(f"two places of {icb['icb_code']} would have the id {pid!r}")
        places[pid] = place

    # GP practices: a sub-ICB location whose LSOAs lie in one place gives its practices that place; one
    # that covers more than one place is null (its practices are not placed unless the file is edited).
    pid_of = {p["code"]: pid for pid, p in places.items()}
    subs: dict[str, str | None] = {}
    ons_codes: dict[str, str] = {}
    if "sicbl_ods_code" in mine:
        for (ons, ods), g in sorted(mine.groupby(["sicbl_code", "sicbl_ods_code"])):
            inside = sorted({pid_of[u] for u in g["utla_code"] if u in pid_of})
            subs[ods] = inside[0] if len(inside) == 1 else None
            ons_codes[ons] = ods
    practices = {"sub_icbs": subs, "ons_codes": ons_codes}
    # when no sub-ICB location lies wholly in one place, the rule places no practice at all (until the file
    # names PCNs): no PCN tab or profiles then
    placed = {p for p in subs.values() if p is not None}
    if subs and not placed:
        for place in places.values():
            place["localities"] = [lv for lv in place["localities"] if lv != "pcn"]
            place["profiles"] = [lv for lv in place["profiles"] if lv != "pcn"]

    name = icb_display_name(icb["icb_name"])
    short = short_name(name)
    expected = {
        "lsoa21_in_ics": len(mine),
        "lsoa11_in_ics": (
            int(lk.lsoa11.loc[lk.lsoa11["lsoa21_code"].isin(mine["lsoa21_code"]), "lsoa11_code"].nunique())
            if lk.lsoa11 is not None
            else None
        ),
        "msoa21_in_ics": int(mine["lsoa21_name"].str[:-1].nunique()),
        "districts_in_ics": int(mine["lad_code"].nunique()),
        "wards_in_ics": int(mine["ward_code"].nunique()),
        "pcns_in_ics": None,
    }
    return {
        "england": dict(lk.template["england"]),
        "ics": {
            "id": slug(short),
            "code": icb["icb_code"],
            "ods_code": icb["icb_ods_code"],
            "name": name,
            "short_name": short,
        },
        "places": places,
        "locality_levels": lk.template["locality_levels"],
        "default_locality_level": lk.template["default_locality_level"],
        "expected": expected,
        "sources": dict(lk.files),
        "practices": practices,
    }


# ------------------------------------------------------------------------------------ writing


def _scalar(value) -> str:
    if value is None:
        return "null"
    return yaml.safe_dump(value, default_flow_style=True, width=10_000).strip().removesuffix("\n...").strip()


def _flow(values) -> str:
    return "[" + ", ".join(_scalar(v) for v in values) + "]"


def _mapping(d: dict, indent: int, comments: dict | None = None) -> list[str]:
    """Block YAML for nested mappings of scalars and lists; ``comments`` (same nesting) adds ``# ...``."""
    pad, comments = " " * indent, comments or {}
    out = []
    for k, v in d.items():
        note = comments.get(k)
        tail = f"   # {note}" if isinstance(note, str) else ""
        if isinstance(v, dict):
            out.append(f"{pad}{_scalar(k)}:{tail}")
            out += _mapping(v, indent + 2, note if isinstance(note, dict) else None)
        elif isinstance(v, list):
            out.append(f"{pad}{_scalar(k)}: {_flow(v)}{tail}")
        else:
            out.append(f"{pad}{_scalar(k)}: {_scalar(v)}{tail}")
    return out


def render_places_yaml(doc: dict) -> str:
    """The places file as text: the same keys as config/places.yml, with comments that explain it."""
    ics = doc["ics"]
    src = doc.get("sources", {})
    lines = [
        f"# Places and localities of {ics['name']} ({ics['code']}, ODS {ics['ods_code']}),",
        "# written by `llr configure` from the ONS lookups: " + ", ".join(src.values()) + ".",
        "# Same schema as the packaged config/places.yml (the default places file). Codes are ONS GSS codes;",
        "# LSOA 2021 is the building block; localities are sets of LSOAs. Edit freely: e.g. add `ward`",
        "# to a county's profiles for a page per ward.",
        "",
        *_mapping({"england": doc["england"]}, 0),
        "",
        "# The integrated care system (older files call this key `llr`; places.py reads both).",
        *_mapping({"ics": ics}, 0, {"ics": {"code": "ONS code", "ods_code": "NHS (ODS) code"}}),
        "",
        "# Places: the ICB's upper-tier authorities (county, unitary authority, metropolitan district,",
        "# London borough: from the code prefix E10/E06/E08/E09 and LAD23_CTYUA23), each with its",
        "# districts inside the ICB. A county part with one district gets no district tab.",
        "# part_of_authority / lsoas_in_icb / partial_districts: the authority (or district) lies partly in",
        "# another ICB; the place is its part inside this ICB, built from its LSOAs (2021).",
        "# lad22_codes: the code is newer than the LAD 2022 vintage (Census 2021, mid-2020 estimates and the",
        "# LSOA 2011 lookups use 2022 codes); the area was these 2022 districts.",
        "# counts: LSOAs, wards (2024) and MSOAs (2021) of the place inside the ICB (for reference).",
        "places:",
    ]
    for pid, p in doc["places"].items():
        c = p.get("counts", {})
        partial = f"; part of the authority ({p['lsoas_in_icb']} LSOAs)" if p.get("part_of_authority") else ""
        lines.append(
            f"  # {p['name']}: {p['type']}, {len(p['districts'])} district(s), {c.get('lsoa21')} LSOAs, "
            f"{c.get('wards')} wards{partial}"
        )
        comments = {
            "localities": "topic pages: one tab per level, in this order",
            "profiles": "a locality profile page for each of these",
            "part_of_authority": "the authority lies partly in another ICB: this place is its part in this one",
            "lsoas_in_icb": "LSOAs (2021) of the authority inside this ICB",
            "partial_districts": "districts partly in another ICB: LSOAs inside this ICB",
            "lad22_codes": "not in the LAD 2022 vintage: its LSOAs were in these 2022 districts",
            "not_in_lad23_ctyua23": "districts the LAD23->CTYUA23 lookup lacks (unitary: their own upper tier)",
        }
        if p["type"] == "County" and "ward" not in p["profiles"]:
            comments["profiles"] += f" (add ward for {c.get('wards')} more pages)"
        lines += _mapping({pid: p}, 2, {pid: comments})
    lines += [
        "",
        "# Locality levels (copied from the packaged places.yml): area levels (basis: lsoa) name the",
        "# columns of the processed LSOA 2021 geography table; PCNs (basis: practice) are groups of GP practices.",
        *_mapping({"locality_levels": doc["locality_levels"]}, 0),
        "",
        *_mapping({"default_locality_level": doc["default_locality_level"]}, 0),
        "",
        "# Expected sizes, checked by processing (a failed check stops the build); they count this ICB.",
        "# PCNs are groups of practices,",
        "# not in the ONS lookups: null until processing counts them.",
        *_mapping({"expected": doc["expected"]}, 0),
        "",
        "# The lookup files this was made from.",
        *_mapping({"sources": src}, 0),
        "",
        "# GP practices -> places (the rule is on the Methods page): a practice of a sub-ICB location that lies",
        "# in one place belongs to that place. null: the sub-ICB location covers more than one place, and its",
        "# practices go where most of their registered patients live (NHS England's patients-by-LSOA file,",
        "# online only) or, without it, are listed as not placed, unless you add `pcns: {PCN code: place}`,",
        "# `postcode_districts: {district: place}` (approximate) or `rest: {sub-ICB code: place}` here.",
        *_mapping({"practices": doc.get("practices", {"sub_icbs": {}})}, 0),
    ]
    return "\n".join(lines) + "\n"


def summary(doc: dict) -> list[str]:
    """A few lines for the terminal: the ICB, its places and what is partial or renamed."""
    ics = doc["ics"]
    out = [f"{ics['code']} ({ics['ods_code']}) {ics['name']}: {doc['expected']['lsoa21_in_ics']} LSOAs (2021)"]
    for p in doc["places"].values():
        note = f", part of the authority ({p['lsoas_in_icb']} LSOAs)" if p.get("part_of_authority") else ""
        for d, part in p.get("partial_districts", {}).items():
            note += f", district {d} {p['districts'][d]} partly ({part} LSOAs)"
        for code, old in p.get("lad22_codes", {}).items():
            note += f", {code} is not in the LAD 2022 vintage (was {', '.join(old)})"
        out.append(f"  {p['name']} {p['code']} ({p['type']}): {len(p['districts'])} district(s){note}")
    return out


def write_places(doc: dict, out: str | Path | None) -> str:
    """Write the file (``out``), or return its text when ``out`` is None."""
    text = render_places_yaml(doc)
    if out is not None:
        Path(out).write_text(text, encoding="utf-8")
    return text


def configure(paths: ProjectPaths, icb: str, out: str | Path | None = None, mirror: str | None = None) -> int:
    """``llr configure``: locate and read the lookups, build the config, write it or print it."""
    doc = configure_icb(load_lookups(locate_lookups(paths, mirror)), icb)
    text = write_places(doc, out)
    if out is None:
        print(text, end="")
    else:
        print("\n".join(summary(doc)))
        print(f"wrote {out}; build with: llr build --places {out}")
    return 0


def list_icbs(paths: ProjectPaths, mirror: str | None = None) -> int:
    """``llr configure --list``: every ICB's ONS code as a JSON list (one CI matrix job per ICB)."""
    import json

    files = locate_lookups(paths, mirror)
    icb = load_lookups(files).icb
    print(json.dumps(list(icb_list(icb)["icb_code"])))
    return 0
