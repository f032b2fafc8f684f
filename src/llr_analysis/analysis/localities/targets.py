"""Which localities exist at each level and which get a profile page; their titles and file names.

Levels come from the places file (``localities`` for the tabs of topic pages, ``profiles`` for the
locality profile pages). Pure functions over :class:`~.load.LocalitiesData`.

Example::

    >>> targets.locality_list(data, "rutland", "ward").head(2)   # doctest: +SKIP
      locality_code locality_name  n_lsoas
    0     E05010800     Braunston ...
"""

from __future__ import annotations

import pandas as pd

from llr_analysis.analysis.localities import areas, pcns
from llr_analysis.analysis.localities.load import LocalitiesData
from llr_analysis.places import get_locality_level, get_place, load_places


def locality_list(data: LocalitiesData, place: str, level: str) -> pd.DataFrame:
    """The localities of ``level`` in ``place``: ``locality_code``, ``locality_name`` (+ level details).

    For PCNs, the PCNs whose home place is ``place``.
    """
    lv = get_locality_level(level)
    the_place = get_place(place)
    if lv.is_area:
        return areas.localities(data.lsoa21, the_place.id, lv.id)
    all_pcns = pcns.pcns(data.practice_table())
    return all_pcns[all_pcns["place_id"] == the_place.id].reset_index(drop=True)


def locality_title(level: str, name: str) -> str:
    """A locality named with its kind: "<name> ward", "<name> district", "<name> PCN" (PCN names say it)."""
    if level == "ward":
        return f"{name} ward"
    if level == "district":
        return f"{name} district"
    return name


def profile_slug(level: str, code: str) -> str:
    """The file stem of a locality's profile page: ``ward-e05010458``."""
    return f"{level}-{str(code).lower()}"


def profile_targets(data: LocalitiesData) -> pd.DataFrame:
    """Every locality that gets a profile page: ``level``, ``code``, ``name``, ``place_id``, ``slug``.

    From each place's ``profiles`` levels in places.yml, in place order then name order.
    """
    cfg = load_places()
    rows = []
    for the_place in cfg.places.values():
        for level in the_place.profiles:
            for r in locality_list(data, the_place.id, level).itertuples():
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
