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

    def __init__(self, file: str | Path, problem: str, column: str | None = None,
                 example: Any = None, count: int | None = None):
        self.file = str(file)
        self.column = column
        self.example = example
        self.count = count
        self.problem = problem
        parts = [Path(self.file).name]
        if column is not None:
            parts.append(f"column {column!r}")
        msg = ": ".join(parts) + f": {problem}"
        if example is not None:
            msg += f"; e.g. {example}"
        super().__init__(msg)

    def __reduce__(self):  # picklable across worker processes
        return (type(self), (self.file, self.problem, self.column, self.example, self.count))


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

    def __reduce__(self):  # picklable across worker processes
        return (type(self), (self.step, self.detail))
