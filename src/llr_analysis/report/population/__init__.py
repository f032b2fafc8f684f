"""The population pages: charts, sentences and page sections built from :mod:`llr_analysis.analysis.population`.
Modules are named for what they hold; nothing is re-exported here.
"""
