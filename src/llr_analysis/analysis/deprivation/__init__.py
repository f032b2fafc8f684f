"""Deprivation (English Indices of Deprivation, IoD2025 and IoD2019) for a place and its localities.

- :mod:`.load` reads every table the topic needs once (:class:`~.load.DeprivationData`);
- :mod:`.lsoas`: an edition's LSOA table and the statistics of a set of LSOAs (per locality too);
- :mod:`.domains`: the domain profile and IDACI / IDAOPI (income deprivation of children, older people);
- :mod:`.summaries`: MHCLG's local-authority summary measures and their national ranks;
- :mod:`.change`: national decile movement between the editions (LSOAs with unchanged boundaries);
- :mod:`.localities`: the page's locality tabs, LSOA maps and PCNs;
- :mod:`.place`: every figure of one place's page (:class:`~.place.PlaceDeprivation`);
- :mod:`.headlines`: the overview's figures (``headlines(paths)``).

Every module below :mod:`.load` and :mod:`.headlines` is pure: tables in, tables out.
"""
