"""Agency: a Mesa agent for each department, local body, provider or central unit.

Agencies are the model's decision makers. Their attributes (budget, accountability pressure, risk
aversion, openness, administrative capacity, churn, handover) live in the model's arrays so that
the decision rule — ``mechanisms/decision.py``, fed by ``mechanisms/accountability.py`` — is
applied to all agencies at once; an ``Agency`` object is the named handle onto its row, used by
the dashboard and by anyone exploring a model interactively. Evidence for the attributes:
evidence-catalogue.md §1 (002_5677c7bae92002df.txt ¶2, ¶9–10; 003_741bbb3ed11f1208.txt;
001_04a1019f119c8ec4.txt ¶77, ¶106).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import mesa

if TYPE_CHECKING:
    from jusim.month.state import State


class Agency(mesa.Agent):
    """One agency: a view of its row in the run's state (``model.state``)."""

    def __init__(self, model: mesa.Model, index: int) -> None:
        super().__init__(model)
        self.state: State = model.state
        self.index = index
        self.name = self.state.world.agency_names[index]
        self.kind = self.state.world.kinds[index]

    @property
    def budget(self) -> float:
        return float(self.state.budget[self.index])

    @property
    def shares(self) -> dict[str, float]:
        """Current split of free discretionary resources: own, each outcome, relationships."""
        labels = ["own", *self.state.world.outcome_names, "relationships"]
        return dict(zip(labels, map(float, self.state.shares[self.index]), strict=True))

    @property
    def own_attainment(self) -> float:
        return float(self.state.own_att[self.index])

    def trust_in(self, other: Agency) -> float:
        return float(self.state.trust[self.index, other.index])

    def __repr__(self) -> str:
        return f"Agency({self.name!r}, kind={self.kind!r})"
