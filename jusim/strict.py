"""Strict input models: the one base class of every table a user's file can set.

Scenario tables, mechanism parameters (``jusim.params.Params``), interventions and experiment
files all derive from :class:`StrictModel`, so a field added to any of them is strict without
any per-field code:

- unknown keys are errors (``extra="forbid"``) and models are frozen;
- types are strict: ``true`` is not a number, ``"1e3"`` is not a float, ``"7"`` is not an integer,
  ``2.0`` is not an integer (pydantic strict mode); an integer is accepted where a float is asked;
- numbers are finite (no ``inf`` or ``nan``, ``allow_inf_nan=False``), and in a field without an
  upper bound of its own no number — also inside lists and tables — may exceed ``MAX_NUMBER`` in
  size: a backstop for open-ended fields (``1e300`` would overflow to ``inf`` in the first sum,
  ``10**30`` staff would not fit an array). Fields with their own ``le``/``lt`` keep those bounds.
"""

from __future__ import annotations

from functools import cache
from typing import Any

from pydantic import BaseModel, ConfigDict, ValidationInfo, field_validator

MAX_NUMBER = 1e12
"""Largest size of any float a user can set: far above any real budget (£k), caseload or rate."""

STRICT = ConfigDict(extra="forbid", frozen=True, strict=True, allow_inf_nan=False)


def _too_big(value: Any) -> float | None:
    """The first number in ``value`` (scalars, lists, tables) larger than ``MAX_NUMBER``."""
    if isinstance(value, float | int) and not isinstance(value, bool):
        return value if abs(value) > MAX_NUMBER else None
    if isinstance(value, list | tuple):
        items = value
    elif isinstance(value, dict):
        items = list(value.values())
    else:
        return None
    for v in items:
        if (bad := _too_big(v)) is not None:
            return bad
    return None


class StrictModel(BaseModel):
    """Frozen, strict, finite; see the module docstring."""

    model_config = STRICT

    @field_validator("*", mode="after")
    @classmethod
    def _bounded(cls, value: Any, info: ValidationInfo) -> Any:
        if info.field_name in _upper_bounded(cls):
            return value
        if (bad := _too_big(value)) is not None:
            raise ValueError(f"a number between -{MAX_NUMBER:g} and {MAX_NUMBER:g}, not {bad:g}")
        return value


@cache
def _upper_bounded(cls: type[BaseModel]) -> frozenset[str]:
    """Fields of ``cls`` with an upper bound of their own (``le`` or ``lt``)."""
    return frozenset(
        name
        for name, info in cls.model_fields.items()
        if any(
            getattr(m, "le", None) is not None or getattr(m, "lt", None) is not None
            for m in info.metadata
        )
    )


def depth(value: Any, limit: int) -> int:
    """Nesting depth of plain data (tables and lists), counting no further than ``limit + 1``."""
    stack = [(value, 1)]
    deepest = 0
    while stack:
        node, d = stack.pop()
        if isinstance(node, dict | list):
            deepest = max(deepest, d)
            if d > limit:
                return d
            children = node.values() if isinstance(node, dict) else node
            stack.extend((c, d + 1) for c in children)
    return deepest
