"""Intervention base class and registry.

An intervention changes the rules of the game — who gets credit, who controls money, who works
where, who is sponsored — and never writes an outcome. Each is a frozen pydantic model (its
parameters, validated with clear errors) with class-level metadata: ``name``, ``summary`` (one
line), ``evidence`` (source citations) and ``explanation`` (plain language for the dashboard).

Hooks, called by the model:
- ``new_agencies(scenario)``: agencies the intervention creates (e.g. a central unit);
- ``check(scenario)``: cross-reference problems as (field, value, allowed);
- ``setup(model) -> state``: once, at month 0; per-run state lives in the returned dict;
- ``apply(model, state)``: every month, to set this month's rules (``model.rules``);
- ``apply_runs(group, states)``: ``apply`` for several runs at once (a ``RunGroup``: runs stepped
  together whose interventions are the same), by default one run after another. The
  interventions that dominate the shipped scenarios write their rules for all the group's runs
  in one call (``RunGroup.raise_to``, ``add_to``), with each run's bits as ``apply`` gives them.

``model`` is the run as an intervention sees it, ``jusim.month.state.RunView`` (the run's
``State``): interventions do not import the model class.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable
from typing import TYPE_CHECKING, Annotated, Any, ClassVar

import numpy as np
from pydantic import ConfigDict, Field, ValidationInfo, field_validator

from jusim.partnership import Convening, join_runs
from jusim.strict import StrictModel

if TYPE_CHECKING:
    from jusim.month.state import RunView
    from jusim.scenario import AgencySpec, Scenario

REGISTRY: dict[str, type[Intervention]] = {}
EMPTY_MEANS_NONE = frozenset({"grants"})
"""Lists of names whose default (left out) is none, so an empty list means what it says."""


def register(cls: type[Intervention]) -> type[Intervention]:
    """Class decorator: make an intervention available to scenario files by its ``name``."""
    if cls.name in REGISTRY:
        raise ValueError(f"intervention {cls.name!r} registered twice")
    REGISTRY[cls.name] = cls
    return cls


class Intervention(StrictModel):
    """Strict, frozen, finite parameters (see ``jusim.strict``).

    Each intervention's validator is built when it first validates (``defer_build``): a command
    imports all thirty, and building them all was 0.11 s of the 0.77 s CPU of ``import jusim``
    (session 27), though a scenario uses a few."""

    model_config = ConfigDict(defer_build=True)  # merged with StrictModel's STRICT
    name: ClassVar[str] = ""
    summary: ClassVar[str] = ""
    evidence: ClassVar[str] = ""
    explanation: ClassVar[str] = ""

    @field_validator("*", mode="after")
    @classmethod
    def _named_lists(cls, value: Any, info: ValidationInfo) -> Any:
        """A list of names (agencies, members, groups) is not empty — leaving it out means every
        agency or contributor, so an empty list would make the intervention a silent no-op — and
        names each item once. ``grants`` may be empty: left out it means none, the same."""
        if isinstance(value, list) and all(isinstance(v, str) for v in value):
            if not value and info.field_name not in EMPTY_MEANS_NONE:
                raise ValueError(f"at least one name (or leave '{info.field_name}' out)")
            if len(set(value)) != len(value):
                raise ValueError("distinct names (each named once)")
        return value

    def to_dict(self) -> dict[str, Any]:
        return {"type": self.name, **self.model_dump(exclude_none=True)}

    def new_agencies(self, scenario: Scenario) -> list[AgencySpec]:
        return []

    def check(self, scenario: Scenario) -> list[tuple[str, Any, str]]:
        return []

    def setup(self, model: RunView) -> dict[str, Any]:
        return {}

    def apply(self, model: RunView, state: dict[str, Any]) -> None:
        raise NotImplementedError

    def apply_runs(self, group: RunGroup, states: list[dict[str, Any]]) -> None:
        """``apply`` for every run of ``group`` (``states``: each run's own state); by default
        one run after another."""
        for model, state in zip(group.models, states, strict=True):
            self.apply(model, state)


class RunGroup:
    """Runs stepped together whose interventions are the same (equal, in the same order), as the
    rules phase hands them to ``Intervention.apply_runs``: ``models`` each run's ``RunView``,
    ``rows`` their rows in the month's (R, ...) rule blocks, ``month`` (runs step in lockstep).
    A rule is written for all of them at once by computing its new block and putting it (the
    rules phase's blocks are this month's own); ``once`` keeps what a run's world fixes (indices,
    masks) from month to month."""

    def __init__(
        self,
        models: list[RunView],
        rows: np.ndarray,
        read_rules: Callable[[str], np.ndarray],
        put_rules: Callable[[str, np.ndarray], None],
    ) -> None:
        self.models = models
        self.rows = rows
        self.month = models[0].month
        self._read, self._put = read_rules, put_rules
        self._kept: dict[Hashable, Any] = {}

    def renew(
        self, read_rules: Callable[[str], np.ndarray], put_rules: Callable[[str, np.ndarray], None]
    ) -> None:
        """This month's rule blocks and month."""
        self.month = self.models[0].month
        self._read, self._put = read_rules, put_rules

    def once(self, key: Hashable, make: Callable[[], Any]) -> Any:
        """``make()``, kept for these runs under ``key`` (for what does not change in a run)."""
        value = self._kept.get(key, _NONE)
        if value is _NONE:
            value = self._kept[key] = make()
        return value

    def mask(self, key: Hashable, who: Callable[[RunView], np.ndarray]) -> np.ndarray:
        """(G, A) bool, row g: the agencies ``who(run)`` (indices) of the group's run g (kept)."""

        def make() -> np.ndarray:
            out = np.zeros((len(self.models), self.models[0].world.n_agencies), bool)
            for row, model in zip(out, self.models, strict=True):
                row[who(model)] = True
            return out

        return self.once(("mask", key), make)

    def convene(self, o: int, members: list[np.ndarray]) -> None:
        """``convene`` of every run on outcome ``o`` (``members``: each run's, the same list
        every month, as ``OutcomePartnership.members_of`` keeps it): while each run's
        partnership is still live, one write for all runs (``partnership.Convening``), else run
        by run, which also finds or forms the partnerships it remembers."""
        held = self.once(
            ("convened", o, id(members)),
            lambda: Convening(self.once("partnerships", self._partnerships)),
        )
        if not held.again(o):
            held.remember(
                [convene(model, o, m) for model, m in zip(self.models, members, strict=True)]
            )

    def join(self, o: int, agencies: np.ndarray) -> None:
        """``join`` of every run (``agencies``: indices, the same in every run)."""
        pts = self.once("partnerships", self._partnerships)
        for g in join_runs(pts, o, agencies):  # (none convened on ``o``: one of their own)
            convene(self.models[g], o, agencies)

    def _partnerships(self) -> list[Any]:
        return [model.partnerships for model in self.models]

    def _write(self, name: str, o: Any, new: Callable[[np.ndarray], np.ndarray]) -> None:
        block = self._read(name)
        out = block.copy()
        out[self.rows, o] = new(block[self.rows, o])
        self._put(name, out)

    def rewrite(self, name: str, new: Callable[[np.ndarray], np.ndarray]) -> None:
        """Each run's rule ``name`` replaced by ``new`` of the group's rows (G, ...) of it."""
        self._write(name, Ellipsis, new)

    def raise_to(self, name: str, o: int, who: np.ndarray, value: Any) -> None:
        """Each run's rule ``name`` on outcome ``o`` at least ``value`` for the agencies ``who``
        ((G, A) bool): ``rules.<name>[o, who] = max(rules.<name>[o, who], value)`` of every
        run (``True`` for a bool rule)."""
        if value is True:
            self._write(name, o, lambda now: now | who)
        else:
            self._write(name, o, lambda now: np.where(who, np.maximum(now, value), now))

    def add_to(self, name: str, o: int, amount: np.ndarray) -> None:
        """``rules.<name>[o] += amount[g]`` of each run g (``amount`` (G, A))."""
        self._write(name, o, lambda now: now + amount)


_NONE = object()


# Timing fields shared by interventions that run for a while: ``start: StartMonth = 0`` and
# ``end: EndMonth = None`` (declared in each class, so its levers keep their order).
StartMonth = Annotated[int, Field(ge=0, le=1200, description="month it starts")]
EndMonth = Annotated[int | None, Field(ge=1, le=1200, description="month it ends (default: never)")]


class AgencyIntervention(Intervention):
    """Base for interventions on named agencies, active from ``start`` until ``end``.

    ``check`` refuses unknown names in the fields listed in ``agency_fields`` (a name, a list of
    names or None; a blank name means none) and an ``end`` not after ``start``.
    """

    agency_fields: ClassVar[tuple[str, ...]] = ("agency", "agencies")

    def check(self, scenario: Scenario) -> list[tuple[str, Any, str]]:
        names = scenario.agency_names + [a.name for a in self.new_agencies(scenario)]
        allowed = f"agencies of this scenario: {names}"
        problems: list[tuple[str, Any, str]] = []
        for field in self.agency_fields:
            value = getattr(self, field, None)
            for name in [value] if isinstance(value, str) else value or []:
                if name and name not in names:
                    problems.append((field, name, allowed))
        end, start = getattr(self, "end", None), getattr(self, "start", 0)
        if end is not None and end <= start:
            problems.append(("end", end, f"a month after start ({start})"))
        return problems

    def active(self, month: int) -> bool:
        end = getattr(self, "end", None)
        return month >= getattr(self, "start", 0) and (end is None or month < end)

    @staticmethod
    def index(model: RunView, names: list[str] | None, default=None) -> np.ndarray:
        """Indices of agencies ``names``; if None, ``default`` (an index array) or every agency."""
        if names is None:
            return np.arange(model.world.n_agencies) if default is None else default
        return np.array([model.world.agency_index[n] for n in names], dtype=np.int64)


class OutcomePartnership(AgencyIntervention):
    """Shared fields: the outcome worked on, its members (default: its contributors), timing."""

    agency_fields: ClassVar[tuple[str, ...]] = ("members",)

    outcome: str = Field(description="the cross-cutting outcome this works on")
    members: list[str] | None = Field(
        None, description="member agencies (default: every contributor to the outcome)"
    )
    start: StartMonth = 0
    end: EndMonth = None

    def check(self, scenario: Scenario) -> list[tuple[str, Any, str]]:
        problems: list[tuple[str, Any, str]] = []
        if self.outcome not in scenario.outcome_names:
            problems.append(("outcome", self.outcome, f"one of {scenario.outcome_names}"))
        return problems + super().check(scenario)

    def member_names(self, scenario: Scenario) -> list[str]:
        """The member agencies' names: ``members``, or the outcome's contributors."""
        if self.members is not None:
            return list(self.members)
        spec = next(o for o in scenario.outcomes if o.name == self.outcome)
        return list(spec.contributors)

    def member_index(self, model: RunView) -> np.ndarray:
        o = model.world.outcome_index[self.outcome]
        if self.members is None:
            return np.flatnonzero(model.world.roles[o] > 0)
        return self.index(model, self.members)

    def members_of(self, group: RunGroup) -> tuple[list[np.ndarray], np.ndarray]:
        """Each run's ``member_index`` in ``group``, and the same as a (G, A) mask (kept: a run's
        world fixes them)."""
        members = group.once(
            (id(self), "members"), lambda: list(map(self.member_index, group.models))
        )
        return members, group.mask((id(self), "members"), self.member_index)


def charge(model: RunView, o: int, members: np.ndarray, cost: float) -> None:
    """Charge ``cost`` £k/month of running costs for outcome ``o`` to ``members``, in proportion
    to their role weights (equally if none has a role): money spent on the outcome that adds no
    production input (it is booked like seconded salaries, ``rules.focused``)."""
    if len(members) == 0 or cost <= 0:
        return
    w = model.world.roles[o, members]
    w = w / w.sum() if w.sum() > 0 else np.full(len(members), 1.0 / len(members))
    model.rules.focused[o, members] += cost * w


def convene(model: RunView, o: int, members) -> int:
    """Keep the intervention partnership of ``members`` on outcome ``o`` live this month (formed
    at the first call); return its index in ``model.partnerships``. Call it every active month:
    a partnership its interventions no longer convene is wound up."""
    return model.partnerships.convene(o, members, model.month, model.params.partnership.setup)


def join(model: RunView, o: int, agencies) -> None:
    """This month, ``agencies`` also sit on the partnership last convened on outcome ``o``
    (grantees report to the pooled budget's partnership); if none was convened, they convene
    one of their own."""
    if model.partnerships.join(o, agencies) is None:
        convene(model, o, agencies)
