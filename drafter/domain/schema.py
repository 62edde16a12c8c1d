"""Reading the profile models as data: each field's YAML key, type, enumeration and note.

The pydantic models of :mod:`drafter.domain.profile` are the only statement of the profile
schema; the YAML writer (key order, comments), the spreadsheet columns (kinds, choices) and
the wizard's questions (descriptions) read it through these helpers.
"""

from __future__ import annotations

import datetime as dt
import types
import typing
from decimal import Decimal
from enum import Enum
from typing import Any

from pydantic import BaseModel
from pydantic.fields import FieldInfo


def aliases(model: type[BaseModel]) -> tuple[str, ...]:
    """The YAML keys of ``model``, in the order of a profile file."""
    return tuple(info.alias or name for name, info in model.model_fields.items())


def field(model: type[BaseModel], alias: str) -> FieldInfo:
    for name, info in model.model_fields.items():
        if (info.alias or name) == alias:
            return info
    raise KeyError(f"{model.__name__}.{alias}")


def _bare(annotation: Any) -> Any:
    """``X | None`` and ``Annotated[X, …]`` → ``X``."""
    while True:
        origin = typing.get_origin(annotation)
        if origin is typing.Annotated:
            annotation = typing.get_args(annotation)[0]
        elif origin in (typing.Union, types.UnionType):
            args = [a for a in typing.get_args(annotation) if a is not type(None)]
            annotation = args[0] if len(args) == 1 else annotation
            if len(args) != 1:
                return annotation
        else:
            return annotation


def _annotated_metadata(annotation: Any) -> list[Any]:
    """Metadata of the ``Annotated`` types inside ``annotation`` (``Rate | None`` → Rate's validators)."""
    if typing.get_origin(annotation) is typing.Annotated:
        return list(typing.get_args(annotation)[1:])
    if typing.get_origin(annotation) in (typing.Union, types.UnionType):
        return [m for arg in typing.get_args(annotation) for m in _annotated_metadata(arg)]
    return []


def enum_of(model: type[BaseModel], alias: str) -> type[Enum] | None:
    """The enumeration a field takes its values from, if any."""
    bare = _bare(field(model, alias).annotation)
    return bare if isinstance(bare, type) and issubclass(bare, Enum) else None


def choices(model: type[BaseModel], alias: str) -> tuple[str, ...]:
    enum = enum_of(model, alias)
    return tuple(str(member.value) for member in enum) if enum else ()


PARSER_KINDS = {"montant": "amount", "taux": "rate", "pourcentage": "percent", "nombre": "int", "heures": "amount"}


def kind_of(model: type[BaseModel], alias: str) -> str:
    """text, amount, rate, percent, int, bool, date, choice or list — read from the annotation."""
    info = field(model, alias)
    for meta in [*info.metadata, *_annotated_metadata(info.annotation)]:
        kind = PARSER_KINDS.get(getattr(getattr(meta, "func", None), "kind", ""))
        if kind:
            return kind
    bare = _bare(info.annotation)
    if typing.get_origin(bare) is list:
        return "list"
    if isinstance(bare, type):
        if issubclass(bare, Enum):
            return "choice"
        if bare is bool:
            return "bool"
        if bare is dt.date:
            return "date"
        if bare is int:
            return "int"
        if bare is Decimal:
            return "amount"
    return "text"


def note(model: type[BaseModel], alias: str) -> str | None:
    """The short comment written after the value in a profile file (allowed values or unit)."""
    extra = field(model, alias).json_schema_extra
    if isinstance(extra, dict) and extra.get("note"):
        return str(extra["note"])
    values = choices(model, alias)
    return " | ".join(values) if values else None
