"""Information sharing: agencies pool what they know about their clients (a shared client list).

Evidence: in Lambeth, police, local government, health, social services and education compared the
names of problem youths known to each, found 120 known to all of them who had been "bounced back
and forth" between agencies, and built a "whole action" solution around each from a common pool
of knowledge (004_405daa82f731071c.txt "Achieving Results" box; catalogue M76, I8); Kent STEP
depends on "the open, regular exchange of information between the partner agencies" (004 STEP
box).

Mechanics (``mechanisms/clients.py``): while active, the outcome's client list is shared by the
members in proportion to their role weight (all contributors: 1), so that share of the clients who
would have been lost between agencies (the outcome's ``bounce``) is kept. Members sit on a
partnership (overhead and meetings) and pay ``cost`` (£k/month) for the data work.
"""

from __future__ import annotations

from typing import Any

from pydantic import Field

from jusim.interventions.base import OutcomePartnership, charge, convene, register


@register
class InformationSharing(OutcomePartnership):
    name = "information_sharing"
    summary = "Partners share a client list, so clients are no longer bounced between them."
    evidence = "004_405daa82f731071c.txt 'Achieving Results' and STEP boxes"
    explanation = (
        "Agencies compare the names of the clients each knows. They find people who have been "
        "passed from one to another without help, and work with each of them as a whole person."
    )

    cost: float = Field(
        10.0,
        ge=0,
        le=100_000,
        description="£k/month of data and casework coordination (assumption; range 2-50)",
    )

    def apply(self, model, state: dict[str, Any]) -> None:
        if not self.active(model.month):
            return
        o = model.world.outcome_index[self.outcome]
        members = self.member_index(model)
        roles = model.world.roles[o]
        covered = roles[members].sum() / max(roles.sum(), 1e-12)
        r = model.rules
        r.client_list[o] = max(r.client_list[o], min(1.0, covered))
        convene(model, o, members)
        charge(model, o, members, self.cost)
