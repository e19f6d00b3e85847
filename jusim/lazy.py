"""A module imported on first use of one of its names (``lazy("pandas").DataFrame``).

For a heavy dependency that only some calls need: ``jusim.metrics`` makes tables with pandas, but a
run, a batch or ``jusim run`` never asks for one, and importing pandas (with pyarrow) is 0.4-0.9 s
of a command's start-up (``python -X importtime -c "import jusim.cli"``, session 27). The module
itself is imported normally (``importlib.import_module``), once, when a name of it is first read;
nothing is put in ``sys.modules`` before, so every other ``import pandas`` is unaffected.
"""

from __future__ import annotations

import importlib
from types import ModuleType
from typing import Any


class LazyModule:
    """Stands for the module ``name`` until a name is read from it; then imports it."""

    __slots__ = ("_module", "_name")

    def __init__(self, name: str) -> None:
        self._name = name
        self._module: ModuleType | None = None

    def __getattr__(self, attr: str) -> Any:
        if self._module is None:
            self._module = importlib.import_module(self._name)
        return getattr(self._module, attr)

    def __repr__(self) -> str:
        return f"<module {self._name!r}, imported on first use>"


def lazy(name: str) -> Any:
    """``name``'s module, imported when first used (typed ``Any``: import it for type checkers
    under ``TYPE_CHECKING``)."""
    return LazyModule(name)
