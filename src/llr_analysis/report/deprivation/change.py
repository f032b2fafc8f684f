"""The page's one comparison between editions: national decile movement of LSOAs with unchanged boundaries."""

from __future__ import annotations

import pandas as pd

from llr_analysis.analysis.deprivation.change import movement_distribution, movement_summary, valid_change
from llr_analysis.analysis.deprivation.place import PlaceDeprivation
from llr_analysis.report import charts
from llr_analysis.report.page import Page, tidy_download

MOVEMENT_SOURCE = "iod2019_file7; iod2025_file7_llr; iod2025_england; lsoa11_lsoa21_lookup"


def movement_table(ms: pd.Series, n_all: int) -> pd.DataFrame:
    """The decile movement summary as a two-column table (measure, LSOAs)."""
    return pd.DataFrame(
        {
            "Measure": [
                "LSOAs compared (boundaries unchanged 2011-2021)",
                "LSOAs left out (split, merged or redrawn)",
                "Moved to a more deprived national decile",
                "Stayed in the same national decile",
                "Moved to a less deprived national decile",
                "In the most deprived 10% in IoD2019",
                "In the most deprived 10% in IoD2025",
                "In the most deprived 10% in both",
            ],
            "LSOAs": [
                int(ms["lsoas_compared"]),
                n_all - int(ms["lsoas_compared"]),
                int(ms["more_deprived_decile"]),
                int(ms["same_decile"]),
                int(ms["less_deprived_decile"]),
                int(ms["decile1_old"]),
                int(ms["decile1_new"]),
                int(ms["decile1_both"]),
            ],
        }
    )


def decile_movement(page: Page, d: PlaceDeprivation) -> None:
    """National decile movement, IoD2019 to IoD2025, of the place's LSOAs with unchanged boundaries."""
    name = d.the_place.name
    moves, n_all = valid_change(d.data, d.place)
    ms = movement_summary(moves)
    mdist = movement_distribution(moves)
    page.chart(
        charts.bar_with_reference(
            mdist,
            "percent",
            "label",
            sort=list(mdist["label"]),
            x_title="% of LSOAs with unchanged boundaries",
            y_title="Change in national IMD decile, IoD2019 to IoD2025",
            tooltip=["label", "lsoas", "percent"],
        ),
        "decile-movement",
        title=f"Movement between national IMD deciles, IoD2019 to IoD2025, {name} (unchanged LSOAs only)",
        description=(
            f"Bars give the percentage of the {int(ms['lsoas_compared'])} LSOAs in {name} whose "
            f"boundaries did not change (of {n_all} LSOAs in 2021) by how many national deciles they moved: "
            f"{int(ms['same_decile'])} stayed in the same decile, {int(ms['more_deprived_decile'])} moved to a "
            f"more deprived decile and {int(ms['less_deprived_decile'])} to a less deprived one."
        ),
        data=tidy_download(
            moves.rename(columns={"lsoa21_code": "area_code", "lsoa_name": "area_name", "decile_change": "value"}),
            indicator="Change in national IMD decile, IoD2019 to IoD2025 (unchanged LSOAs)",
            period="IoD2019 to IoD2025",
            source_id=MOVEMENT_SOURCE,
        ),
    )
    table = movement_table(ms, n_all)
    page.table(
        table,
        "decile-movement-summary",
        caption=f"National IMD decile movement of {name}'s LSOAs with unchanged boundaries, IoD2019 to IoD2025",
        download=tidy_download(
            table.rename(columns={"Measure": "indicator", "LSOAs": "value"}),
            area_code=d.the_place.code,
            area_name=name,
            period="IoD2019 to IoD2025",
            source_id=MOVEMENT_SOURCE,
        ),
    )
