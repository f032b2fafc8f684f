"""Content hashes of the package's own code, for the build's caches.

A processing step is rerun when the code of the layers it depends on changes, a notebook when the
code it calls changes; a change to the website layer (rendering, checks) reruns neither.
"""

from __future__ import annotations

import hashlib
from pathlib import Path

PACKAGE = Path(__file__).resolve().parent

#: The layers (sub-packages) below each cache's stage; "" is the package's top-level modules and config.
PROCESS_LAYERS = ("", "config", "stats", "fetch", "process")
NOTEBOOK_LAYERS = (*PROCESS_LAYERS, "analysis", "report")


def code_hash(layers: tuple[str, ...] = NOTEBOOK_LAYERS) -> str:
    """sha256 of the source (.py, .yml) of the given layers of llr_analysis."""
    h = hashlib.sha256()
    for layer in layers:
        folder = PACKAGE / layer if layer else PACKAGE
        files = folder.glob("*") if not layer else folder.rglob("*")
        for f in sorted(files):
            if f.is_file() and f.suffix in (".py", ".yml") and "__pycache__" not in f.parts:
                h.update(str(f.relative_to(PACKAGE)).encode())
                h.update(f.read_bytes())
    return h.hexdigest()
