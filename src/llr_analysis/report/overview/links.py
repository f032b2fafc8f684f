"""Links from the overview and the place summaries to the topic pages, the summaries and the localities."""

from __future__ import annotations

from llr_analysis.places import PlacesConfig
from llr_analysis.report.templating import render
from llr_analysis.topics import Topic


def topic_links_list(topics: list[Topic], cfg: PlacesConfig, place_id: str) -> str:
    """A list of a place's topic pages (links relative to a page one folder down)."""
    place = cfg.places[place_id]
    place_name = place.name
    items = [{"href": f"../{t.id}/{place_id}.html", "text": f"{t.title} in {place_name}", "after": ""} for t in topics]
    profiles = place.profiles
    if profiles:
        kinds = " and ".join((cfg.locality_levels[lv].plural or lv).lower() for lv in profiles)
        items.append(
            {
                "href": f"../localities/{place_id}.html",
                "text": f"Localities of {place_name}",
                "after": f"a profile of each of its {kinds}",
            }
        )
    return render("topic_links_list.html", items=items)


def ways_in_html(topics: list[Topic], cfg: PlacesConfig) -> str:
    """Links into the place summaries, the topic pages and the localities (from the site's root page)."""
    places = [
        {"href": f"summary/{p.id}.html", "text": f"{p.name}: every topic in one page"} for p in cfg.places.values()
    ]
    topic_links = [
        {"title": t.title, "links": [{"href": f"{t.id}/{p.id}.html", "text": p.name} for p in cfg.places.values()]}
        for t in topics
    ]
    localities = [
        {
            "href": f"localities/{p.id}.html",
            "text": f"Localities of {p.name}: "
            + " and ".join((cfg.locality_levels[lv].plural or lv).lower() for lv in p.profiles),
        }
        for p in cfg.places.values()
        if p.profiles
    ]
    return render("ways_in.html", places=places, topics=topic_links, localities=localities)
