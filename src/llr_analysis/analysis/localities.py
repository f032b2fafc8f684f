"""The localities of each place: which exist, their outlines, and which get a profile page.

Levels come from ``places.yml`` (``localities`` for the tabs of topic pages, ``profiles`` for the
locality profile pages). Area levels (district, ward, MSOA) are sets of LSOAs 2021; primary care
networks (PCNs) are groups of GP practices, and a PCN belongs to the place where most of its
practices are (ties go to the place listed first in places.yml). Practices with no PCN, or closed,
are never counted as a PCN.

Example::

    >>> localities.locality_list("rutland", "ward").head(2)   # doctest: +SKIP
      locality_code locality_name  n_lsoas
    0     E05010800     Braunston ...
"""

from __future__ import annotations

import geopandas as gpd
import pandas as pd

from llr_analysis.analysis.geography import localities as area_localities
from llr_analysis.errors import ParameterError
from llr_analysis.places import get_locality_level, get_place, load_places
from llr_analysis.process import read_table
from llr_analysis.process.gp_practices import assign_place

#: The processed table holding each area level's outlines, and its code column.
OUTLINES = {
    "district": ("geography/district_boundaries", "lad_code"),
    "ward": ("geography/ward_boundaries", "ward_code"),
    "msoa": ("geography/msoa21_boundaries", "msoa21_code"),
}


def pcn_name(name: str) -> str:
    """A PCN's name as shown: ODS upper case made readable ("ORION PCN" -> "Orion PCN")."""
    text = str(name).title().replace("Pcn", "PCN").replace(" And ", " and ")
    return text


def practice_places(paths=None) -> pd.DataFrame:
    """LLR GP practices with their PCN, status and place (by the practice place rule)."""
    p = read_table("cancer_screening/practices", paths)
    placed = [
        assign_place(r.current_ccg_code, r.pcn_code, r.postcode)
        for r in p[["current_ccg_code", "pcn_code", "postcode"]].itertuples(index=False)
    ]
    p["place_id"] = [pl for pl, _ in placed]
    p["place_basis"] = [b for _, b in placed]
    return p[p["place_id"].notna()].reset_index(drop=True)


def unplaced_practices(paths=None) -> pd.DataFrame:
    """Open GP practices of the ICS that the practice rule cannot place (``place_basis`` says why), by name.

    Columns ``practice_code``, ``practice_name``, ``pcn_code``, ``pcn_name``, ``postcode``, ``place_basis``.
    """
    from llr_analysis.process.gp_practices import NOT_PLACED

    p = read_table("cancer_screening/practices", paths)
    basis = [assign_place(r.current_ccg_code, r.pcn_code, r.postcode)[1] for r in p.itertuples(index=False)]
    p = p.assign(place_basis=basis)
    p = p[p["place_basis"].str.startswith(NOT_PLACED) & p["status"].eq("active")]
    cols = ["practice_code", "practice_name", "pcn_code", "pcn_name", "postcode", "place_basis"]
    return p[cols].sort_values(["practice_name", "practice_code"]).reset_index(drop=True)


def pcns(paths=None) -> pd.DataFrame:
    """Every LLR PCN: code, name, home place (most of its open practices), practices by place.

    Columns ``locality_code``, ``locality_name``, ``place_id``, ``n_practices``, ``places``
    (the places its practices are in, e.g. "Leicestershire, Rutland").
    """
    cfg = load_places()
    order = {pid: i for i, pid in enumerate(cfg.places)}
    p = practice_places(paths)
    p = p[p["pcn_code"].notna() & p["status"].eq("active")]
    rows = []
    for (code, name), g in p.groupby(["pcn_code", "pcn_name"]):
        counts = g["place_id"].value_counts()
        best = sorted(counts.index, key=lambda pid: (-counts[pid], order[pid]))[0]
        rows.append(
            {
                "locality_code": code,
                "locality_name": pcn_name(str(name)),
                "place_id": best,
                "n_practices": len(g),
                "places": ", ".join(cfg.places[pid].name for pid in sorted(counts.index, key=lambda pid: order[pid])),
            }
        )
    columns = ["locality_code", "locality_name", "place_id", "n_practices", "places"]
    return pd.DataFrame(rows, columns=columns).sort_values("locality_name").reset_index(drop=True)


def pcn_imd_scores(paths=None) -> pd.DataFrame:
    """Every LLR PCN once with its place (as listed on every page) and IMD 2019 score.

    Columns ``pcn_code``, ``pcn_name``, ``place_id``, ``pcn_imd_score`` (missing when the
    derivation has no score for it).
    """
    p = practice_places(paths)
    score = p.dropna(subset=["pcn_code"]).drop_duplicates("pcn_code").set_index("pcn_code")["pcn_imd_score"]
    listed = pcns(paths)
    return pd.DataFrame(
        {
            "pcn_code": listed["locality_code"],
            "pcn_name": listed["locality_name"],
            "place_id": listed["place_id"],
            "pcn_imd_score": listed["locality_code"].map(score).astype(float),
        }
    )


def locality_list(place: str, level: str, paths=None) -> pd.DataFrame:
    """The localities of ``level`` in ``place``: ``locality_code``, ``locality_name`` (+ level details).

    For PCNs, the PCNs whose home place is ``place``.
    """
    lv = get_locality_level(level)
    the_place = get_place(place)
    if lv.is_area:
        return area_localities(the_place.id, lv.id, paths)
    all_pcns = pcns(paths)
    return all_pcns[all_pcns["place_id"] == the_place.id].reset_index(drop=True)


def outlines(place: str | None, level: str, paths=None) -> gpd.GeoDataFrame:
    """Outlines of the area localities of ``level`` in ``place`` (None: all LLR), WGS84.

    Columns ``locality_code``, ``locality_name``, ``geometry``. Ward outlines are unions of their
    best-fit LSOAs (see :func:`llr_analysis.process.geography.ward_outlines`).
    """
    if level not in OUTLINES:
        raise ParameterError(f"no outlines for locality level {level!r}; expected one of {sorted(OUTLINES)}")
    table, code_col = OUTLINES[level]
    g = read_table(table, paths)
    names = area_localities_all(level, paths)
    g = g.rename(columns={code_col: "locality_code"})
    g = g[["locality_code", "geometry"]].merge(names, on="locality_code", how="inner")
    if place is not None:
        g = g[g["place_id"] == get_place(place).id]
    return gpd.GeoDataFrame(g, geometry="geometry", crs=4326).reset_index(drop=True)


def area_localities_all(level: str, paths=None) -> pd.DataFrame:
    """Every LLR locality of an area level with its place: code, name, place_id."""
    lv = get_locality_level(level)
    t = read_table("geography/lsoa21", paths)
    out = t[[lv.code_column, lv.name_column, "place_id"]].drop_duplicates(lv.code_column)
    return out.rename(columns={lv.code_column: "locality_code", lv.name_column: "locality_name"})


def locality_title(level: str, name: str) -> str:
    """A locality named with its kind: "Abbey ward", "Blaby district", "Orion PCN" (PCN names say it)."""
    if level == "ward":
        return f"{name} ward"
    if level == "district":
        return f"{name} district"
    return name


def profile_slug(level: str, code: str) -> str:
    """The file stem of a locality's profile page: ``ward-e05010458``."""
    return f"{level}-{str(code).lower()}"


def profile_targets(paths=None) -> pd.DataFrame:
    """Every locality that gets a profile page: ``level``, ``code``, ``name``, ``place_id``, ``slug``.

    From each place's ``profiles`` levels in places.yml, in place order then name order.
    """
    cfg = load_places()
    rows = []
    for the_place in cfg.places.values():
        for level in the_place.profiles:
            for r in locality_list(the_place.id, level, paths).itertuples():
                rows.append(
                    {
                        "level": level,
                        "code": r.locality_code,
                        "name": r.locality_name,
                        "place_id": the_place.id,
                        "slug": profile_slug(level, str(r.locality_code)),
                    }
                )
    return pd.DataFrame(rows, columns=["level", "code", "name", "place_id", "slug"])
