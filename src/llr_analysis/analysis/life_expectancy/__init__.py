"""Life expectancy: the loader (:mod:`.load`), the place-level tables (:mod:`.places`), small areas
and deprivation (:mod:`.small_areas`), localities (:mod:`.localities`), the OHID Fingertips API figures
(:mod:`.fingertips`), periods in one comparison (:mod:`.periods`) and the overview's headlines
(:mod:`.headlines`)."""
