"""The deprivation pages: sections (:mod:`.sections`, :mod:`.maps`, :mod:`.localities`, :mod:`.ranks`,
:mod:`.change`) written through :class:`llr_analysis.report.page.Page`, and their sentences (:mod:`.text`).

Every section takes ``(page, d)``, ``d`` being the page's figures
(:class:`llr_analysis.analysis.deprivation.place.PlaceDeprivation`, which carries the loaded tables).
"""
