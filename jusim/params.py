"""Base class for typed mechanism parameters.

Every mechanism module declares one ``Params`` subclass whose fields carry units, defaults and
bounds; scenario files override them under ``[parameters.<mechanism>]``. Unknown keys are errors.
"""

from __future__ import annotations

from pydantic import ConfigDict

from jusim.strict import STRICT, StrictModel


class Params(StrictModel):
    """Frozen, strict parameter table for one mechanism (see ``jusim.strict``)."""

    model_config = ConfigDict(**STRICT, validate_default=True)

    @classmethod
    def table(cls) -> list[dict[str, object]]:
        """Rows (name, default, bounds, description) for docs and the dashboard."""
        rows = []
        for name, field in cls.model_fields.items():
            lo = hi = None
            for m in field.metadata:
                lo = getattr(m, "ge", getattr(m, "gt", lo)) if lo is None else lo
                hi = getattr(m, "le", getattr(m, "lt", hi)) if hi is None else hi
            rows.append(
                {
                    "name": name,
                    "default": field.default,
                    "min": lo,
                    "max": hi,
                    "description": field.description or "",
                }
            )
        return rows
