"""The localities of each place, shared by every topic: which exist, their LSOAs, outlines and PCNs.

- :mod:`.load` reads the tables once (:class:`~.load.LocalitiesData`); a topic's loader composes it.
- :mod:`.areas`: area localities (district, ward, MSOA) as sets of LSOAs 2021, and their outlines.
- :mod:`.pcns`: GP practices placed by the practice rule, and primary care networks (PCNs).
- :mod:`.targets`: which localities get a profile page, and their titles and file names.

Every function below :mod:`.load` is pure: tables in, tables out.
"""
