"""The locality profile (notebooks/locality.ipynb): every figure of one ward, district or PCN, beside
its place, the ICS and England.

- :mod:`.load` reads every table once (:class:`~.load.LocalityData`; the only module that reads files).
- :mod:`.localities`: the profiled locality (:class:`~.localities.Locality`) and its sets of LSOAs.
- :mod:`.figure`: one key-figure row and its comparisons; :mod:`.key_figures`: all of a locality's.
- :mod:`.population`, :mod:`.deprivation`, :mod:`.life_expectancy`, :mod:`.screening`: each topic's
  figures and tables for a locality.
- :mod:`.pcn_practices`: a PCN's member practices and their screening figures.

Every function below :mod:`.load` is pure: a :class:`~.load.LocalityData` and plain values in, tables out.
"""
