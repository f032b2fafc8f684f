"""One configuration of paths (cookiecutter-data-science style).

Everything that reads or writes project files asks :func:`project_paths` for the folder.
The project root is ``$LLR_ROOT`` when set (the build sets it for notebook kernels and tests
point it at a temporary copy), otherwise the nearest folder above the working directory that
holds ``pyproject.toml`` and ``_quarto.yml``; outside a project there is none (an error, so that a
command run in the wrong folder writes nothing there).
"""

from __future__ import annotations

import os
import tomllib
from dataclasses import dataclass
from pathlib import Path

from llr_analysis.errors import LLRError


@dataclass(frozen=True)
class ProjectPaths:
    root: Path

    @property
    def data(self) -> Path:
        return self.root / "data"

    @property
    def raw(self) -> Path:
        return self.data / "raw"

    @property
    def processed(self) -> Path:
        return self.data / "processed"

    @property
    def lock_file(self) -> Path:
        """The committed lock of what was fetched (url, sha256, size, retrieved time, licence)."""
        return self.data / "sources.lock.json"

    @property
    def notebooks(self) -> Path:
        return self.root / "notebooks"

    @property
    def pages(self) -> Path:
        """Hand-written site pages (Quarto markdown), copied into the stage at build time."""
        return self.root / "pages"

    @property
    def build(self) -> Path:
        return self.root / "build"

    @property
    def stage(self) -> Path:
        """The Quarto project the build assembles: _quarto.yml + executed notebooks + pages."""
        return self.build / "stage"

    @property
    def executed(self) -> Path:
        """Executed notebooks and their CSV downloads, kept between builds (the execution cache)."""
        return self.build / "executed"

    @property
    def site(self) -> Path:
        return self.root / "site"

    @property
    def quarto_yml(self) -> Path:
        return self.root / "_quarto.yml"

    def settings(self) -> dict:
        """``[tool.llr]`` from pyproject.toml (empty when absent)."""
        pyproject = self.root / "pyproject.toml"
        if not pyproject.exists():
            return {}
        return tomllib.loads(pyproject.read_text()).get("tool", {}).get("llr", {})

    def mirror(self, override: str | os.PathLike | None = None) -> Path | None:
        """The local mirror folder to fetch from, or None to download from canonical URLs.

        Order: ``override`` (the ``--mirror`` option), ``$LLR_MIRROR``, then ``mirror`` in
        ``[tool.llr]`` of pyproject.toml (relative to the project root). A configured folder
        that does not exist means "no mirror" unless it was given explicitly.
        """
        if override:
            return Path(override).resolve()
        env = os.environ.get("LLR_MIRROR")
        if env:
            return Path(env).resolve()
        setting = self.settings().get("mirror")
        if setting:
            p = (self.root / setting).resolve()
            if p.is_dir():
                return p
        return None


def is_project(folder: Path) -> bool:
    """A project folder holds ``pyproject.toml`` and ``_quarto.yml``."""
    return (folder / "pyproject.toml").is_file() and (folder / "_quarto.yml").is_file()


class NoProjectError(LLRError):
    """Run outside a project: nothing is read or written."""


def find_root(start: Path | None = None) -> Path:
    """``$LLR_ROOT``, else the nearest folder at or above ``start`` (the working directory) that is a
    project; outside any project a :class:`NoProjectError` (never the working directory: a command run
    in the wrong folder must not write there)."""
    env = os.environ.get("LLR_ROOT")
    if env:
        return Path(env).resolve()
    here = (start or Path.cwd()).resolve()
    for candidate in [here, *here.parents]:
        if is_project(candidate):
            return candidate
    raise NoProjectError(
        f"no project found here ({here}, or any folder above it, holds pyproject.toml and _quarto.yml): "
        "run llr inside the project folder, or give it with --root DIR (or LLR_ROOT)"
    )


def project_paths(root: str | os.PathLike | None = None) -> ProjectPaths:
    return ProjectPaths(Path(root).resolve() if root else find_root())
