"""Topic settings kept in ``config/*.yml`` (places have their own module, :mod:`llr_analysis.places`)."""

from __future__ import annotations

from functools import lru_cache
from importlib import resources

import yaml


@lru_cache(maxsize=1)
def cancer_screening() -> dict:
    """``config/cancer_screening.yml``: programmes, standards, the place rule and Fingertips settings."""
    return yaml.safe_load(resources.files("llr_analysis.config").joinpath("cancer_screening.yml").read_text())
