"""Pydantic validation errors turned into located, readable `Problem`s.

Shared by scenario and rulebook loading: both validate a YAML document with
pydantic models and need every error to name the file, the line and the field,
with a "did you mean" where a valid key or value is close.
"""

from __future__ import annotations

import re
import types
import typing
from collections.abc import Callable
from typing import Any

from pydantic import BaseModel, ValidationError

from ..errors import Problem, suggest
from .yamlload import Document, dotted, problem_at

ModelAt = Callable[[tuple[Any, ...]], "type[BaseModel] | None"]
_BOOL_WORDS = {"yes", "no", "on", "off", "y", "n"}


def _unwrap(annotation: Any) -> list[Any]:
    """The candidate types inside Optional/Union/Annotated."""
    origin = typing.get_origin(annotation)
    if origin is typing.Annotated:
        return _unwrap(typing.get_args(annotation)[0])
    if origin in (typing.Union, types.UnionType):
        out: list[Any] = []
        for arg in typing.get_args(annotation):
            out.extend(_unwrap(arg))
        return out
    return [annotation]


def walk_model(root: type[BaseModel], loc: tuple[Any, ...]) -> type[BaseModel] | None:
    """The model class found by following `loc` through the fields of `root`, if unambiguous."""
    current: list[Any] = [root]
    for part in loc:
        following: list[Any] = []
        for candidate in current:
            for kind in _unwrap(candidate):
                origin = typing.get_origin(kind)
                if isinstance(kind, type) and issubclass(kind, BaseModel):
                    field = kind.model_fields.get(part) if isinstance(part, str) else None
                    if field is not None:
                        following.append(field.annotation)
                elif origin is list and isinstance(part, int):
                    following.append(typing.get_args(kind)[0])
                elif origin is dict and isinstance(part, str):
                    following.append(typing.get_args(kind)[1])
        current = following
    models = [k for c in current for k in _unwrap(c) if isinstance(k, type) and issubclass(k, BaseModel)]
    return models[0] if len(models) == 1 else None


def _choices(ctx: dict[str, Any] | None, key: str) -> list[str]:
    return re.findall(r"'([^']*)'", str((ctx or {}).get(key, "")))


def type_name(value: Any) -> str:
    """How a value's type reads in an error message."""
    if value is None:
        return "nothing"
    if isinstance(value, bool):
        return "a boolean"
    if isinstance(value, (int, float)):
        return "a number"
    if isinstance(value, str):
        return f"text {value!r}" if len(value) < 40 else "text"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, dict):
        return "a mapping"
    return type(value).__name__


def validation_problems(
    exc: ValidationError,
    document: Document,
    model_at: ModelAt,
    strip: Callable[[tuple[Any, ...]], tuple[Any, ...]] = lambda loc: loc,
) -> list[Problem]:
    """One located problem per pydantic error, duplicates dropped."""
    problems: list[Problem] = []
    seen: set[tuple[Any, ...]] = set()
    for error in exc.errors(include_url=False):
        loc = strip(tuple(error["loc"]))
        kind = error["type"]
        if loc and loc[-1] == "[key]":
            loc = loc[:-1]
            kind = "key:" + kind
        if (loc, kind) in seen:
            continue
        seen.add((loc, kind))
        problems.append(describe(kind, loc, error, document, model_at))
    return problems


def describe(kind: str, loc: tuple[Any, ...], error: dict[str, Any], document: Document, model_at: ModelAt) -> Problem:
    """One pydantic error as a sentence a person can act on."""
    value = error.get("input")
    ctx = error.get("ctx")
    if kind == "extra_forbidden":
        model = model_at(loc[:-1])
        allowed = list(model.model_fields) if model else []
        where = f"; allowed here: {', '.join(allowed)}" if allowed else ""
        return problem_at(document, loc, f"unknown key {loc[-1]!r}{where}", suggest(loc[-1], allowed), key=True)
    if kind == "missing":
        problem = problem_at(document, loc[:-1], f"required key {loc[-1]!r} is missing")
        return Problem(problem.message, problem.path, problem.line, problem.column, dotted(loc))
    if kind in ("literal_error", "key:literal_error", "enum"):
        choices = _choices(ctx, "expected")
        message = f"{value!r} is not one of: {', '.join(choices)}"
        return problem_at(document, loc, message, suggest(value, choices), key=kind.startswith("key:"))
    if kind == "union_tag_invalid":
        choices = _choices(ctx, "expected_tags")
        tag = (ctx or {}).get("tag")
        message = f"unknown type {tag!r}; one of: {', '.join(choices)}"
        return problem_at(document, loc + ("type",), message, suggest(str(tag), choices))
    if kind == "union_tag_not_found":
        return problem_at(document, loc, f"a `{(ctx or {}).get('discriminator', 'type')}:` key is required here")
    if kind == "bool_type":
        hint = ""
        if str(value).lower() in _BOOL_WORDS:
            hint = " (yes/no/on/off are not booleans here)"
        elif isinstance(value, str) and value.lower() in ("true", "false"):
            hint = f"; write {value.lower()} without quotes"
        return problem_at(document, loc, f"expected true or false, got {value!r}{hint}")
    if kind == "string_pattern_mismatch":
        return problem_at(document, loc, f"{value!r} is not a valid id: use lowercase letters, digits and underscores")
    if kind in ("model_type", "dict_type", "model_attributes_type"):
        what = "the file" if not loc else dotted(loc)
        return problem_at(document, loc, f"{what} must be a mapping of keys to values, got {type_name(value)}")
    if kind == "list_type":
        hint = ""
        if isinstance(value, (str, int, float)) and not isinstance(value, bool):
            hint = f"; write a list: [{value}]"
        return problem_at(document, loc, f"expected a list, got {type_name(value)}{hint}")
    if kind == "string_type":
        return problem_at(document, loc, f"expected text, got {type_name(value)}")
    if kind in ("date_type", "date_parsing", "date_from_datetime_parsing", "date_from_datetime_inexact"):
        return problem_at(document, loc, f"expected a date as YYYY-MM-DD, got {value!r}")
    if kind == "too_long":
        limit, actual = (ctx or {}).get("max_length"), (ctx or {}).get("actual_length")
        return problem_at(document, loc, f"{actual} entries; the limit is {limit}")
    if kind == "too_short":
        least, actual = (ctx or {}).get("min_length"), (ctx or {}).get("actual_length")
        return problem_at(document, loc, f"{actual} entries; at least {least} needed")
    if kind == "value_error":
        return problem_at(document, loc, str(error["msg"]).removeprefix("Value error, "))
    return problem_at(document, loc, str(error["msg"]).lower())
