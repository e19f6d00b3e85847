"""JoinedUpModel: one step is one month, a fixed schedule of phases over the run's state.

The phases are modules of ``jusim/month/`` (docs/odd.md, section 3): (0) budget; (1) rules — each
intervention sets this month's rules; (2) churn; (3) resources — platforms, partnership demand,
overhead, pooled and seconded commitments; (4) decision — agencies split what is left;
(5) production — joint and own outputs, clients and need; (6) relationships — contact, ties,
trust, understanding; (7) learning; (8) record. The run's state is a ``jusim.month.State``
(``model.state``); the model shows its fields as attributes (``model.trust``).

Randomness: a ``numpy.random.SeedSequence`` from the seed gives one child for ``model.rng`` (Mesa's
generator) and one per mechanism stream (world, churn, ties, trust, events, handover; each made
on first use, ``Streams``), so runs of different scenarios with the same seed draw the same churn
and tie events wherever their states agree (common random numbers).
"""

from __future__ import annotations

from dataclasses import fields
from typing import Any

import mesa
import numpy as np

from jusim import month
from jusim.agency import Agency
from jusim.metrics import RunResult
from jusim.month.initial import new_run
from jusim.month.runs import Runs
from jusim.month.state import Rules, State
from jusim.scenario import Scenario
from jusim.streams import STREAMS, Streams, child_streams, seed_sequence

__all__ = [
    "STREAMS",
    "JoinedUpModel",
    "Rules",
    "Streams",
    "child_streams",
    "new_run",
    "seed_sequence",
]

_STATE_FIELDS = frozenset(f.name for f in fields(State))


class JoinedUpModel(mesa.Model):
    """Agencies, staff and outcomes of one scenario, stepped month by month."""

    def __init__(self, scenario: Scenario, seed: int | np.random.SeedSequence = 0) -> None:
        streams = child_streams(seed)
        super().__init__(rng=streams["model"])
        self.state = s = new_run(scenario, seed, streams)
        for k in range(s.world.n_agencies):
            Agency(self, k)

    def __getattr__(self, name: str) -> Any:
        """The run's state fields read as the model's own (``model.trust``, ``model.rules``)."""
        if name == "state":
            raise AttributeError(name)
        return getattr(self.state, name)

    def __setattr__(self, name: str, value: Any) -> None:
        """Writing a state field (``model.trust = ...``) writes the run's state, which the phases
        read; anything else is the model's own attribute."""
        if name in _STATE_FIELDS and "state" in self.__dict__:
            setattr(self.state, name, value)
        else:
            super().__setattr__(name, value)

    def step(self) -> None:
        """One month: the phases of docs/odd.md section 3, in order (``jusim.month.step``)."""
        month.step(Runs.of(self.state))

    def run(self) -> RunResult:
        for _ in range(self.scenario.horizon - self.month):
            self.step()
        return self.result()

    def result(self) -> RunResult:
        return self.recorder.result(self.state)

    def release(self) -> None:
        """Drop Mesa 3.3.1's class-level references so a finished model can be freed."""
        mesa.Agent._ids.pop(self, None)
        self.remove_all_agents()
