"""Population analysis: ONS mid-year small-area estimates by single year of age, district totals and
Census 2021, for a place, its localities, the ICS and England (the population page and the overview's
population headlines). Modules are named for what they hold; nothing is re-exported here.
"""
