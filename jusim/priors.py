"""Priors of the free parameters: one machine-readable file, ``jusim/data/priors.toml``.

Every mechanism parameter (``jusim/mechanisms/*.py``) and every free quantity of the shipped worlds
(unit costs, lags, shares, client groups' fit, spillover sizes, interventions' costs) has a range,
a distribution, the value the code uses today, a kind (``source``, ``literature`` or
``assumption``) and the paragraph or reason behind its range (issue 21). Keys are override paths
as :func:`jusim.evaluate` and ``Scenario.with_overrides`` take them. Paths under
``interventions.TYPE`` apply only to a scenario that has intervention TYPE (:func:`applicable`).

``python -m jusim.priors --docs`` rewrites the table in ``docs/priors.md``.
"""

from __future__ import annotations

import math
import sys
import tomllib
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
from scipy import stats

PRIORS_FILE = Path(__file__).resolve().parent / "data" / "priors.toml"
DISTS = ("uniform", "loguniform", "triangular")
KINDS = ("source", "literature", "assumption")
FIELDS = ("dist", "low", "high", "mode", "default", "kind", "source", "reason")


class PriorError(ValueError):
    """A bad priors file: names the file, the field, the value and what is allowed."""


@dataclass(frozen=True)
class Prior:
    """One parameter's prior. ``integer`` priors (the default is a whole number) round."""

    path: str
    dist: str
    low: float
    high: float
    default: float
    kind: str
    source: str
    reason: str
    mode: float | None = None
    integer: bool = False

    def frozen(self) -> Any:
        """The scipy distribution (continuous; integers are rounded after drawing)."""
        lo, hi = self.low, self.high
        if self.dist == "uniform":
            return stats.uniform(lo, hi - lo)
        if self.dist == "loguniform":
            return stats.loguniform(lo, hi)
        c = ((self.default if self.mode is None else self.mode) - lo) / (hi - lo)
        return stats.triang(c, loc=lo, scale=hi - lo)

    def ppf(self, u: np.ndarray | float) -> np.ndarray:
        """The quantile function: values at probabilities ``u`` in [0, 1]."""
        x = np.asarray(self.frozen().ppf(np.clip(u, 0.0, 1.0)), dtype=float)
        return np.round(x) if self.integer else x

    def sample(self, rng: np.random.Generator, n: int) -> np.ndarray:
        """``n`` draws from ``rng``."""
        return self.ppf(rng.random(n))

    def value(self, x: float) -> float | int:
        """A drawn number as the scenario takes it (a whole number for integer priors)."""
        return round(float(x)) if self.integer else float(x)

    @property
    def spread(self) -> float:
        """Standard deviation of the prior (for posterior-to-prior spread ratios)."""
        return float(self.frozen().std())


def _problem(file: Path, key: str, field: str, value: Any, allowed: str) -> PriorError:
    return PriorError(f"{file}: field '[\"{key}\"].{field}' = {value!r} is not valid: {allowed}")


def _number(file: Path, key: str, table: dict[str, Any], field: str) -> float:
    v = table.get(field)
    if isinstance(v, bool) or not isinstance(v, int | float) or not math.isfinite(v):
        raise _problem(file, key, field, v, "a finite number")
    return float(v)


def _parse(file: Path, key: str, table: Any) -> Prior:
    if not isinstance(table, dict):
        raise _problem(file, key, "<table>", table, "a table of prior fields")
    unknown = sorted(set(table) - set(FIELDS))
    if unknown:
        raise _problem(file, key, unknown[0], table[unknown[0]], f"one of {list(FIELDS)}")
    dist = table.get("dist")
    if dist not in DISTS:
        raise _problem(file, key, "dist", dist, f"one of {list(DISTS)}")
    low, high, default = (_number(file, key, table, f) for f in ("low", "high", "default"))
    if not low < high:
        raise _problem(file, key, "high", high, f"a number above low ({low:g})")
    if not low <= default <= high:
        raise _problem(file, key, "default", default, f"a value in [{low:g}, {high:g}]")
    if dist == "loguniform" and low <= 0:
        raise _problem(file, key, "low", low, "a number above 0 for a loguniform prior")
    mode = None
    if "mode" in table:
        mode = _number(file, key, table, "mode")
        if dist != "triangular" or not low <= mode <= high:
            raise _problem(file, key, "mode", mode, f"only for triangular, in [{low:g}, {high:g}]")
    kind = table.get("kind")
    if kind not in KINDS:
        raise _problem(file, key, "kind", kind, f"one of {list(KINDS)}")
    for f in ("source", "reason"):
        if not isinstance(table.get(f, ""), str):
            raise _problem(file, key, f, table.get(f), "text")
    if not table.get("reason"):
        raise _problem(file, key, "reason", table.get("reason"), "the reason for the range")
    integer = isinstance(table["default"], int) and not isinstance(table["default"], bool)
    return Prior(
        key, dist, low, high, default, kind, table.get("source", ""), table["reason"], mode, integer
    )


def load_priors(path: str | Path | None = None) -> list[Prior]:
    """The priors in file order (``jusim/data/priors.toml`` by default)."""
    file = Path(path) if path is not None else PRIORS_FILE
    try:
        data = tomllib.loads(file.read_text(encoding="utf-8"))
    except (OSError, ValueError) as err:
        raise PriorError(
            f"{file}: field '<file>' = {str(err)[:200]!r} is not valid: a TOML file"
        ) from None
    return [_parse(file, key, table) for key, table in data.items()]


def prior_map(path: str | Path | None = None) -> dict[str, Prior]:
    """Priors keyed by override path."""
    return {p.path: p for p in load_priors(path)}


def applicable(scenario: Any, params: dict[str, Any]) -> dict[str, Any]:
    """``params`` without paths under ``interventions.TYPE`` for interventions ``scenario`` lacks:
    a prior on an intervention's field never adds the intervention."""
    present = {iv.name for iv in scenario.interventions}
    out = {}
    for path, value in params.items():
        parts = path.split(".")
        if parts[0] == "interventions" and len(parts) >= 3 and parts[1] not in present:
            continue
        out[path] = value
    return out


def _cell(text: str) -> str:
    return text.replace("|", "/").replace("\n", " ")


def docs_table(priors: list[Prior] | None = None) -> str:
    """The markdown table of ``docs/priors.md``."""
    priors = priors if priors is not None else load_priors()
    rows = [
        "| parameter (override path) | default | range | distribution | kind | source | reason |",
        "|---|---|---|---|---|---|---|",
    ]
    for p in priors:
        dist = p.dist if p.mode is None else f"{p.dist} (mode {p.mode:g})"
        rows.append(
            f"| `{p.path}` | {p.default:g} | {p.low:g}–{p.high:g} | {dist} | {p.kind} | "
            f"{_cell(p.source) or '—'} | {_cell(p.reason)} |"
        )
    return "\n".join(rows) + "\n"


DOCS_FILE = Path(__file__).resolve().parent.parent / "docs" / "priors.md"
BEGIN, END = "<!-- priors table: begin -->", "<!-- priors table: end -->"


def write_docs(path: Path = DOCS_FILE) -> Path:
    """Rewrite the generated table between the markers of ``docs/priors.md``."""
    text = path.read_text(encoding="utf-8")
    head, rest = text.split(BEGIN, 1)
    _, tail = rest.split(END, 1)
    path.write_text(f"{head}{BEGIN}\n{docs_table()}{END}{tail}", encoding="utf-8")
    return path


if __name__ == "__main__":  # pragma: no cover - a maintenance command
    if sys.argv[1:] == ["--docs"]:
        print(write_docs())
    else:
        print(docs_table(), end="")
