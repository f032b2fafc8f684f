"""The overview (the site's home page) and the place summaries: key messages, headline tables, links.

The modules: ``sections`` (what a notebook calls: ``(page, data, ...)``), ``key_messages`` (the opening
sentences), ``tables`` (the headline tables and their downloads) and ``links`` (the ways into the
topic pages). The figures come from :mod:`llr_analysis.analysis.overview`.
"""
