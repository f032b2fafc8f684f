"""Errors that name exactly what went wrong, so a failed build can be fixed without a debugger."""

from __future__ import annotations

from pathlib import Path
from typing import Any


class LLRError(Exception):
    """Base class for every error the project raises on purpose."""


class DataValidationError(LLRError):
    """A raw or processed file does not match what the loader expects.

    The message always names the file, the column and (where there is one) an example row,
    e.g. ``imd_2019.csv: column 'LSOA code (2011)': 3 values do not match ^E01\\d{6}$; e.g. row 17: {...}``.
    """

    def __init__(
        self,
        file: str | Path,
        problem: str,
        column: str | None = None,
        example: Any = None,
        count: int | None = None,
        line: int | None = None,
        area: str | None = None,
    ):
        self.file = str(file)
        self.column = column
        self.example = example
        self.count = count
        self.problem = problem
        self.line = line
        self.area = area
        parts = [Path(self.file).name]
        if column is not None:
            parts.append(f"column {column!r}")
        if line is not None:
            parts.append(f"line {line}")
        if area is not None:
            parts.append(f"area {area}")
        msg = ": ".join(parts) + f": {problem}"
        if example is not None:
            msg += f"; e.g. {example}"
        super().__init__(msg)

    def __reduce__(self) -> tuple:  # picklable across worker processes
        return (type(self), (self.file, self.problem, self.column, self.example, self.count, self.line, self.area))


class ConfigError(LLRError):
    """A configuration file (config/*.yml) or the lock (data/sources.lock.json) cannot be used."""


class FetchError(LLRError):
    """A dataset could not be fetched, or what was fetched differs from the lock."""


class ParameterError(LLRError):
    """A notebook or command parameter (place, locality level, edition, ...) is not known."""


class BuildError(LLRError):
    """A build step failed; the message names the step and what failed in it."""

    def __init__(self, step: str, detail: str):
        self.step = step
        self.detail = detail
        super().__init__(f"build failed at step '{step}': {detail}")

    def __reduce__(self) -> tuple:  # picklable across worker processes
        return (type(self), (self.step, self.detail))


def os_error_text(exc: OSError) -> str:
    """An OS error as one line naming the file or folder (e.g. disk full, read-only file system)."""
    import errno

    hint = {
        errno.ENOSPC: " (the disk is full: free some space, then build again)",
        errno.EROFS: " (the file system is read-only)",
        errno.EACCES: " (permission denied: is the folder writable?)",
        errno.EDQUOT: " (disk quota exceeded)",
    }.get(exc.errno or 0, "")
    where = f"{exc.filename}: " if getattr(exc, "filename", None) else ""
    return f"{where}{exc.strerror or exc}{hint}"
