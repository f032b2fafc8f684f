"""The cancer screening pages: charts (:mod:`.charts`), sentences (:mod:`.text`), display tables
(:mod:`.tables`) and page sections (:mod:`.programme`: one programme; :mod:`.fingertips`: Fingertips'
NHS areas; :mod:`.localities`: the localities tabset; :mod:`.sections`: what the page holds, the
Health Index, the practices listed apart). The numbers come from :mod:`llr_analysis.analysis.cancer_screening`.
"""
