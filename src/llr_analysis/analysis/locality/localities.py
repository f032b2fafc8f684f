"""The profiled locality (a ward, district or PCN) and the sets of LSOAs it is compared over."""

from __future__ import annotations

from dataclasses import dataclass

import geopandas as gpd
import pandas as pd

from llr_analysis.analysis.localities import areas, targets
from llr_analysis.analysis.locality.load import LocalityData, shared
from llr_analysis.errors import ParameterError
from llr_analysis.places import get_locality_level, get_place


@dataclass(frozen=True)
class Locality:
    level: str
    code: str
    name: str
    place_id: str

    @property
    def level_label(self) -> str:
        return get_locality_level(self.level).label

    @property
    def place_name(self) -> str:
        return get_place(self.place_id).name

    @property
    def is_area(self) -> bool:
        return get_locality_level(self.level).is_area

    @property
    def title(self) -> str:
        """The page's h1: the locality named with its kind ("<name> ward", "<name> PCN", "<name> district")."""
        return targets.locality_title(self.level, self.name)

    @property
    def slug(self) -> str:
        return targets.profile_slug(self.level, self.code)


def get_locality(profiled: pd.DataFrame, level: str, code: str) -> Locality:
    """The locality of ``level`` with ``code`` among the ``profiled`` ones (``LocalityData.targets``,
    :func:`llr_analysis.analysis.localities.targets.profile_targets`); a ParameterError lists the
    valid codes if it is unknown."""
    lv = get_locality_level(level).id
    hit = profiled[(profiled["level"] == lv) & (profiled["code"].str.upper() == str(code).strip().upper())]
    if hit.empty:
        valid = profiled.loc[profiled["level"] == lv, "code"].tolist()
        raise ParameterError(
            f"no locality profile for {lv} {code!r}; valid codes: {', '.join(valid[:12])}"
            + (" …" if len(valid) > 12 else "")
        )
    r = hit.iloc[0]
    return Locality(lv, str(r["code"]), str(r["name"]), str(r["place_id"]))


def lsoa21_codes(lsoa21: pd.DataFrame, loc: Locality) -> list[str]:
    """The locality's LSOAs 2021 (area levels only), from the LSOA 2021 lookup."""
    lv = get_locality_level(loc.level)
    return sorted(lsoa21.loc[lsoa21[lv.code_column] == loc.code, "lsoa21_code"])


def area_sets(lsoa21: pd.DataFrame, loc: Locality) -> dict[str, list[str] | None]:
    """LSOA 2021 codes of the locality (none for a PCN), its place and the ICS (None = all England)."""
    return {
        "here": lsoa21_codes(lsoa21, loc) if loc.is_area else [],
        "place": sorted(lsoa21.loc[lsoa21["place_id"] == loc.place_id, "lsoa21_code"]),
        "llr": sorted(lsoa21["lsoa21_code"]),
        "england": None,
    }


def place_outlines(data: LocalityData, loc: Locality) -> gpd.GeoDataFrame:
    """The outlines of every locality of the locality's level in its place (a copy, worked out once per
    place and level): ``locality_code``, ``locality_name``, ``place_id``, ``geometry``."""
    key = ("outlines", loc.place_id, loc.level)
    return shared(data, key, lambda: areas.outlines(data.localities, loc.place_id, loc.level)).copy()
