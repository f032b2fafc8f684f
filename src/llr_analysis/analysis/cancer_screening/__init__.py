"""Cancer screening coverage by place, primary care network (PCN) and GP practice: the numbers.

Modules: :mod:`.load` (the one loader: :class:`~.load.CancerScreeningData`), :mod:`.headlines` (the
overview's headline rows), :mod:`.programmes` (the programmes, standards and indicators configured in
``config/cancer_screening.yml``), :mod:`.coverage` (the statistics: coverage with Wilson intervals,
comparison with England, funnel plots, gap to the standard, deprivation), :mod:`.periods` (what a build
holds), :mod:`.practices`, :mod:`.areas` (the area table: place, PCNs, the ICS, England),
:mod:`.local_authority` (Fingertips resident-population figures and the ONS Health Index),
:mod:`.fingertips` (Fingertips' own PCN, sub-ICB and ICB figures) and :mod:`.programme` (everything a
page shows for one programme in one place). Only :mod:`.load` and :mod:`.headlines` read files.
"""
