"""Reading the YAML configuration (``places.yml``, ``cancer_screening.yml``, ``sources.yml``) strictly.

:func:`load_yaml` refuses a key given twice in one mapping (PyYAML keeps the last copy silently: a
place pasted twice would quietly replace the first), naming the file, both lines and the key.
:func:`validated` parses a loaded document into a pydantic model and turns pydantic's errors into one
:class:`~llr_analysis.errors.ConfigError` that names the file, the key (as a dotted path, e.g.
``places.rutland.code``) and what is allowed there.
"""

from __future__ import annotations

import difflib
import re
from typing import Any, TypeVar

import yaml
from pydantic import BaseModel, ConfigDict, ValidationError

from llr_analysis.errors import ConfigError

M = TypeVar("M", bound=BaseModel)


class Strict(BaseModel):
    """A config section: unknown keys are refused (a misspelt key would otherwise be ignored)."""

    model_config = ConfigDict(extra="forbid", frozen=True)


class _UniqueKeyLoader(yaml.SafeLoader):
    """A safe loader that refuses duplicate keys in a mapping."""


def _construct_mapping(loader: _UniqueKeyLoader, node: yaml.MappingNode, deep: bool = False) -> dict:
    loader.flatten_mapping(node)
    seen: dict[Any, int] = {}
    for key_node, _ in node.value:
        key = loader.construct_object(key_node, deep=True)
        try:
            first = seen.get(key)
        except TypeError:  # an unhashable key: let PyYAML report it
            continue
        line = key_node.start_mark.line + 1
        if first is not None:
            raise ConfigError(
                f"{loader.name}: line {line}: the key {key!r} appears twice in the same mapping (first on line "
                f"{first}); YAML would silently keep only the last copy. Remove or rename one of them"
            )
        seen[key] = line
    return loader.construct_mapping(node, deep=deep)


_UniqueKeyLoader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _construct_mapping)


def load_yaml(text: str, where: str) -> Any:
    """The YAML document in ``text`` (read from ``where``, named in every error).

    Syntax errors name the line and column; a key given twice in one mapping is an error naming
    both lines and the key.
    """
    loader = _UniqueKeyLoader(text)
    loader.name = where
    try:
        return loader.get_single_data()
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        at = f" (line {mark.line + 1}, column {mark.column + 1})" if mark is not None else ""
        raise ConfigError(f"{where}: not valid YAML{at}: {getattr(exc, 'problem', None) or exc}") from None
    finally:
        loader.dispose()


def _allowed_keys(model: type[BaseModel], loc: tuple) -> list[str] | None:
    """The keys allowed at ``loc`` (the location of an unknown key) of ``model``, when it can be followed."""
    current: Any = model
    for part in loc[:-1]:
        if isinstance(current, type) and issubclass(current, BaseModel):
            field = current.model_fields.get(str(part))
            if field is None:
                return None
            current = field.annotation
        else:
            args = getattr(current, "__args__", ())
            # dict[str, X] / list[X] / X | None: follow the value type
            candidates = [a for a in args if isinstance(a, type) and issubclass(a, BaseModel)]
            if not candidates:
                return None
            current = candidates[-1]
    if isinstance(current, type) and issubclass(current, BaseModel):
        return sorted(current.model_fields)
    args = getattr(current, "__args__", ())
    models = [a for a in args if isinstance(a, type) and issubclass(a, BaseModel)]
    return sorted(models[-1].model_fields) if models else None


def describe(exc: ValidationError, where: str, model: type[BaseModel]) -> str:
    """pydantic's first error as ``<file>: key '<dotted.path>': <what is wrong>; allowed: <...>``."""
    # an unknown key first: a misspelt key also shows as a missing one, and the misspelling is the cause
    err = sorted(exc.errors(), key=lambda e: e.get("type") != "extra_forbidden")[0]
    loc = tuple(err.get("loc", ()))
    key = ".".join(str(p) for p in loc) or "(top level)"
    kind = err.get("type", "")
    msg = err.get("msg", "invalid")
    given = err.get("input")
    if kind == "extra_forbidden":
        allowed = _allowed_keys(model, loc) or []
        near = difflib.get_close_matches(str(loc[-1]), allowed, n=1)
        hint = f" (did you mean {near[0]!r}?)" if near else ""
        text = f"unknown key {loc[-1]!r}{hint}; allowed keys here: {', '.join(allowed)}"
    elif kind == "missing":
        text = "this required key is missing"
    elif kind == "value_error" and re.match(r"^[\w.-]+: ", msg.removeprefix("Value error, ")):
        # a check across keys (model validator) names its own key: "places.x.profiles: ..."
        inner, text = msg.removeprefix("Value error, ").split(": ", 1)
        key = ".".join([*(str(p) for p in loc), inner])
    else:
        shown = repr(given) if not isinstance(given, (dict, list)) else type(given).__name__
        text = f"{msg.removeprefix('Value error, ').rstrip('.')} (found {shown})"
    more = f" ({len(exc.errors()) - 1} more problem(s) after this one)" if len(exc.errors()) > 1 else ""
    return f"{where}: key {key!r}: {text}{more}"


def validated(model: type[M], doc: Any, where: str) -> M:
    """``doc`` parsed into ``model``; a :class:`ConfigError` naming the file, key and what is allowed."""
    try:
        return model.model_validate(doc)
    except ValidationError as exc:
        raise ConfigError(describe(exc, where, model)) from None
