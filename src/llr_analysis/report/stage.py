"""The build settings a page reads, and the one module of ``analysis/`` and ``report/`` that reads the
environment.

The runner (:mod:`llr_analysis.website.notebooks`) executes each notebook with ``$LLR_STAGE``, the folder
the page is staged in (unset when an analyst runs the notebook in Jupyter: outputs then display the
normal Jupyter way), and may set ``$LLR_DISCLOSURE_THRESHOLD``, the smallest count a download may show.
"""

from __future__ import annotations

import os

#: Counts below this are suppressed in downloads (statistical disclosure control), and the page
#: says how many rows were. Off (0) by default because every source here is already published
#: open data with the publisher's own suppression; set $LLR_DISCLOSURE_THRESHOLD (e.g. 5) when
#: adding locally derived counts.
DEFAULT_DISCLOSURE_THRESHOLD = 0


def stage_folder() -> str | None:
    """The folder the build stages this page in (``$LLR_STAGE``); None outside a build."""
    return os.environ.get("LLR_STAGE") or None


def disclosure_threshold() -> int:
    """The smallest count a download may show (``$LLR_DISCLOSURE_THRESHOLD``, default 0: off)."""
    return int(os.environ.get("LLR_DISCLOSURE_THRESHOLD", DEFAULT_DISCLOSURE_THRESHOLD))
