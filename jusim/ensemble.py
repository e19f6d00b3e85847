"""Parameter ensembles: the posterior draws that make intervals include what we do not know.

An ensemble file is a CSV table (the format shared with the calibration,
``experiments/make_ensemble.py``): columns ``draw`` (whole numbers 0..N-1, each once), ``weight``
(finite, >= 0, not all 0), then one column per override path (``parameters.decision.temperature``,
``interventions.central_unit.unit_cost``, ``context.churn_scale``, ... exactly as
``Scenario.with_overrides`` and ``jusim.evaluate`` accept them). Every parameter not in the file
stays at its default. Provenance sits beside it in a JSON file of the same stem (optional).

Columns are checked against the scenario schema when the file is read (every table and field
name must exist; labels such as ``name`` and the ``horizon`` are not varied); whole-number
settings must hold whole numbers. Applying draw ``i`` to a scenario sets the draw's values by
those paths, with one rule: a path into a part the scenario does not have
(``interventions.TYPE.X`` without intervention TYPE, ``agencies.NAME.X`` without that body,
``outcomes.early_years.services.NAME.X`` without that service, ``spillovers.K.X`` without a
K-th spillover) is skipped; a draw never adds an intervention. A scenario's own setting of a path in the ensemble is replaced by the draw's
value (use ``ensemble="none"`` to keep it).

``resolve_ensemble("default")`` is the shipped ``jusim/data/ensemble.csv`` if there is one, else
no ensemble with a note saying so; ``"none"`` is no ensemble (one parameter set, seeds only, as
before ensembles existed); anything else is the path of an ensemble file.
"""

from __future__ import annotations

import json
import math
import typing
from dataclasses import dataclass, field, replace
from pathlib import Path
from types import UnionType
from typing import Any

import numpy as np
from pydantic import BaseModel

from jusim.scenario import Scenario, ScenarioError

SHIPPED = Path(__file__).resolve().parent / "data" / "ensemble.csv"
DEFAULT_DRAWS = 10
"""Draws used by ``jusim compare`` unless ``--draws`` says otherwise (with 3 seeds per draw: 30
runs per scenario, as many as the 30 replications of a comparison without an ensemble)."""
DEFAULT_SEEDS = 3
"""Seeds per draw by default when an ensemble is used."""
NO_ENSEMBLE_SEEDS = 30
"""Replications by default without an ensemble (unchanged from before ensembles)."""
NO_SHIPPED_NOTE = (
    "no shipped parameter ensemble (jusim/data/ensemble.csv) in this version: intervals cover "
    "only the model's chance variation about one parameter set, not parameter uncertainty"
)


@dataclass(frozen=True, eq=False)
class Ensemble:
    """Weighted parameter draws read from an ensemble file (see the module docstring)."""

    source: str
    paths: tuple[str, ...]
    ids: np.ndarray  # draw id (the file's ``draw`` column) of each row
    weights: np.ndarray  # normalised to sum to 1
    values: np.ndarray  # (rows, paths), object: Python int or float
    info: dict[str, Any] = field(default_factory=dict)  # provenance (the JSON beside the file)
    total: int = 0  # draws in the file (``select`` keeps a subset)

    def __len__(self) -> int:
        return len(self.ids)

    @property
    def label(self) -> str:
        kept = f"{len(self)} of {self.total} draws" if len(self) != self.total else "all draws"
        return f"{self.source} ({kept})"

    def select(self, n: int) -> Ensemble:
        """``n`` draws by systematic resampling on the weights, each then of weight 1/n.

        With equal weights and ``n`` no larger than the file, this is ``n`` evenly spaced rows
        (all of them, in order, when ``n`` is the file's size); a heavy draw can be kept twice
        (it then runs on different seeds). Deterministic: no random numbers are used.
        """
        if not isinstance(n, int | np.integer) or isinstance(n, bool) or n < 1:
            raise ScenarioError([(self.source, "draws", n, "a whole number >= 1")])
        if n > self.total:
            raise ScenarioError(
                [(self.source, "draws", n, f"at most the {self.total} draws in the file")]
            )
        cum = np.cumsum(self.weights)
        cum[-1] = 1.0
        rows = np.searchsorted(cum, (np.arange(n) + 0.5) / n, side="left")
        return Ensemble(
            self.source,
            self.paths,
            self.ids[rows],
            np.full(n, 1.0 / n),
            self.values[rows],
            self.info,
            self.total,
        )

    def overrides(self, scenario: Scenario, i: int) -> dict[str, Any]:
        """Draw ``i``'s values for the paths that apply to ``scenario`` (see the module doc)."""
        data = scenario.to_dict()
        return {
            path: value
            for path, value in zip(self.paths, self.values[i], strict=True)
            if _applies(data, path)
        }

    def apply(self, scenario: Scenario, i: int, keep: frozenset[str] = frozenset()) -> Scenario:
        """``scenario`` with draw ``i`` (row ``i`` of this ensemble) applied, except the paths in
        ``keep`` (set by the caller, who wins); errors name the ensemble file, the draw, the
        column, the value and what is allowed."""
        overrides = {k: v for k, v in self.overrides(scenario, i).items() if k not in keep}
        if not overrides:
            return scenario
        where = f"{self.source} (draw {int(self.ids[i])}, applied to {scenario.name})"
        try:
            new = scenario.with_overrides(overrides, source=where)
        except ScenarioError as e:
            raise ScenarioError(
                [(src, _column(fld), v, ok) for src, fld, v, ok in e.problems]
            ) from None
        return new.model_copy(update={"source": scenario.source})

    def describe(self) -> str:
        """One line: the file, how many draws and which parameters vary."""
        return f"{self.label}, varying {', '.join(self.paths) or 'nothing'}"


def _column(field: str) -> str:
    """A validation error's field as the override path (``interventions[0](central_unit).staff``
    is the column ``interventions.central_unit.staff``)."""
    if field.startswith("interventions[") and "(" in field and ")" in field:
        return (
            f"interventions.{field[field.index('(') + 1 : field.index(')')]}"
            + field[field.index(")") + 1 :]
        )
    return field


def _problem(source: str, where: str, value: Any, allowed: str) -> ScenarioError:
    return ScenarioError([(source, where, value, allowed)])


FIXED = ("name", "description", "source", "base", "type", "horizon")
"""Scenario fields that are labels or the run's length, not uncertain quantities: never varied
by an ensemble."""


def _is_model(x: Any) -> bool:
    return isinstance(x, type) and issubclass(x, BaseModel)


def _model_of(annotation: Any) -> tuple[type[BaseModel] | None, bool]:
    """The pydantic model an annotation holds (unwrapping ``X | None``) and whether it is a
    list of them (whose entries a path names or numbers)."""
    if typing.get_origin(annotation) in (typing.Union, UnionType):
        args = [a for a in typing.get_args(annotation) if a is not type(None)]
        annotation = args[0] if len(args) == 1 else None
    if typing.get_origin(annotation) is list:
        element = (typing.get_args(annotation) or (None,))[0]
        return (element if _is_model(element) else None), True
    return (annotation if _is_model(annotation) else None), False


def check_path(source: str, path: str) -> bool:
    """An override path an ensemble may vary, checked against the scenario schema as far as the
    schema fixes it: table and field names must exist; the entries of a list (an agency, an
    outcome, a service, a client group by name, a spillover by position) are the scenario's
    own and are checked when a draw is applied. Intervention fields are written
    ``interventions.TYPE.FIELD``. Raises ScenarioError naming the column. Returns whether the
    field holds whole numbers (its values are then read as integers)."""
    from jusim.interventions import REGISTRY

    parts = path.split(".")
    if not all(parts):
        raise _problem(source, path, path, "a dotted override path with no empty part")
    if parts[0] == "interventions":
        if len(parts) < 3 or parts[1] not in REGISTRY:
            raise _problem(
                source,
                path,
                parts[1] if len(parts) > 1 else path,
                f"interventions.TYPE.FIELD with TYPE one of {sorted(REGISTRY)}",
            )
        model: type[BaseModel] | None = REGISTRY[parts[1]]
        rest, label = parts[2:], parts[1]
    else:
        model, rest, label = Scenario, parts, "a scenario"
    k = 0
    while k < len(rest):
        assert model is not None
        names = sorted(set(model.model_fields) - set(FIXED) - {"interventions"})
        if rest[k] not in names:
            raise _problem(source, path, rest[k], f"a setting of {label}: {names}")
        annotation = model.model_fields[rest[k]].annotation
        inner, is_list = _model_of(annotation)
        if k == len(rest) - 1:
            if inner is not None or is_list:
                raise _problem(source, path, rest[k], f"a path to one setting inside {rest[k]}")
            kinds = {annotation, *typing.get_args(annotation)}
            return int in kinds and float not in kinds and bool not in kinds
        label = rest[k]
        if inner is None:
            return False  # a free table (e.g. contributors): the scenario check judges it
        model = inner
        k += 2 if is_list else 1  # a list's next part names or numbers an entry
    raise _problem(source, path, label, f"a path to one setting inside {label}")


def _applies(data: dict[str, Any], path: str) -> bool:
    """Whether every named (or numbered) list entry on ``path`` exists in scenario ``data`` (an
    intervention by its type); a table left at its defaults counts as present."""
    parts = path.split(".")
    node: Any = data
    if parts[0] == "interventions":
        node = next((x for x in data["interventions"] if x.get("type") == parts[1]), None)
        if node is None:
            return False
        parts = parts[2:]
    for part in parts[:-1]:
        if isinstance(node, list):
            item = next((x for x in node if isinstance(x, dict) and x.get("name") == part), None)
            if item is None and part.isdigit() and int(part) < len(node):
                item = node[int(part)]
            if item is None:
                return False
            node = item
        elif isinstance(node, dict) and part in node:
            node = node[part]
        else:
            return True
    return True


def _number(source: str, line: int, column: str, text: str) -> int | float:
    try:
        value = int(text)
    except ValueError:
        try:
            value = float(text)
        except ValueError:
            raise _problem(source, f"row {line}, column {column}", text, "a number") from None
    if not math.isfinite(value):
        raise _problem(source, f"row {line}, column {column}", text, "a finite number")
    return value


def load_ensemble(path: str | Path) -> Ensemble:
    """Read and check an ensemble file; every problem is a ScenarioError naming the file, the
    row (its line in the file) or column, the value and what is allowed."""
    import csv

    p = Path(path)
    source = str(path)
    if not p.is_file():
        raise _problem(source, "(file)", source, "an existing ensemble CSV file")
    try:
        with p.open(newline="", encoding="utf-8") as f:
            rows = list(csv.reader(f))
    except (OSError, UnicodeDecodeError, csv.Error) as e:
        raise _problem(source, "(file)", source, f"a readable UTF-8 CSV file ({e})") from None
    rows = [r for r in rows if any(c.strip() for c in r)]
    if not rows:
        raise _problem(source, "(header)", "", "a header line: draw,weight,PATH,...")
    header = [c.strip() for c in rows[0]]
    if header[:2] != ["draw", "weight"]:
        raise _problem(source, "(header)", ",".join(header[:2]), "first columns 'draw,weight'")
    paths = header[2:]
    seen: set[str] = set()
    whole: list[bool] = []
    for path in paths:
        if path in seen:
            raise _problem(source, path, path, "each path once (a repeated column)")
        seen.add(path)
        whole.append(check_path(source, path))
    body = rows[1:]
    if not body:
        raise _problem(source, "(rows)", 0, "at least one draw")
    ids, weights, values = [], [], []
    for k, row in enumerate(body):
        line = k + 2
        if len(row) != len(header):
            raise _problem(
                source,
                f"row {line}",
                len(row),
                f"{len(header)} cells, one per column of the header",
            )
        cells = [c.strip() for c in row]
        draw = _number(source, line, "draw", cells[0])
        if not isinstance(draw, int) or draw != k:
            raise _problem(
                source,
                f"row {line}, column draw",
                cells[0],
                f"{k} (draws numbered 0..N-1 in order)",
            )
        weight = _number(source, line, "weight", cells[1])
        if weight < 0:
            raise _problem(source, f"row {line}, column weight", cells[1], "a number >= 0")
        ids.append(draw)
        weights.append(float(weight))
        row_values = []
        for column, text, integer in zip(paths, cells[2:], whole, strict=True):
            value = _number(source, line, column, text)
            if integer:
                if not float(value).is_integer():
                    where = f"row {line}, column {column}"
                    raise _problem(source, where, text, "a whole number (the setting is one)")
                value = int(value)
            row_values.append(value)
        values.append(row_values)
    w = np.asarray(weights)
    if w.sum() <= 0:
        raise _problem(source, "weight", 0, "weights that are not all 0")
    info: dict[str, Any] = {}
    meta = p.with_suffix(".json")
    if meta.is_file():
        try:
            info = json.loads(meta.read_text(encoding="utf-8"))
        except (OSError, ValueError) as e:
            raise _problem(str(meta), "(file)", str(meta), f"valid JSON ({e})") from None
    table = np.empty((len(values), len(paths)), dtype=object)
    for k, row in enumerate(values):
        table[k, :] = row
    return Ensemble(source, tuple(paths), np.asarray(ids), w / w.sum(), table, info, len(ids))


def resolve_ensemble(spec: str | Path | Ensemble | None) -> tuple[Ensemble | None, str]:
    """The ensemble ``spec`` names and a note for the reader (empty when there is nothing to
    say): ``"default"`` (the shipped file, or none with a note), ``"none"``/None, a path, or an
    :class:`Ensemble` already loaded."""
    if isinstance(spec, Ensemble):
        return spec, ""
    if spec is None or (isinstance(spec, str) and spec.strip().lower() == "none"):
        return None, ""
    if isinstance(spec, str) and spec.strip().lower() == "default":
        if SHIPPED.is_file():
            return replace(load_ensemble(SHIPPED), source="the shipped jusim/data/ensemble.csv"), ""
        return None, NO_SHIPPED_NOTE
    return load_ensemble(spec), ""


def design(
    spec: str | Path | Ensemble | None,
    draws: int | None = None,
    seeds: int | None = None,
) -> tuple[Ensemble | None, int, str]:
    """The ensemble to run (``draws`` of it selected), the seeds per draw and the note.

    Defaults: with an ensemble :data:`DEFAULT_DRAWS` draws x :data:`DEFAULT_SEEDS` seeds; without
    one :data:`NO_ENSEMBLE_SEEDS` seeds (and ``draws`` must then be None or 1).
    """
    ens, note = resolve_ensemble(spec)
    if seeds is not None and (isinstance(seeds, bool) or int(seeds) != seeds or seeds < 1):
        raise ScenarioError([("compare", "replications", seeds, "a whole number >= 1")])
    if ens is None:
        if draws not in (None, 1):
            why = " (this version ships none)" if note else ""
            raise ScenarioError(
                [
                    (
                        f"ensemble {str(spec)!r}{why}",
                        "draws",
                        draws,
                        "draws only with an ensemble: give an ensemble file",
                    )
                ]
            )
        return None, int(seeds) if seeds is not None else NO_ENSEMBLE_SEEDS, note
    if draws is None and isinstance(spec, Ensemble):
        return ens, int(seeds) if seeds is not None else DEFAULT_SEEDS, note  # as selected
    n = min(DEFAULT_DRAWS, ens.total) if draws is None else draws
    return ens.select(n), int(seeds) if seeds is not None else DEFAULT_SEEDS, note
