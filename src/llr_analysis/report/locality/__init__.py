"""The locality profile pages (notebooks/locality.ipynb) and each place's localities index page.

- :mod:`.sections`: the profile page's sections, each ``(page, data, loc)``.
- :mod:`.text`: its sentences (key messages) and number formats.
- :mod:`.index`: the localities index page of a place (a map and a table of every profile's key figures).

Every figure comes from :mod:`llr_analysis.analysis.locality`; these modules only word and draw it.
"""
