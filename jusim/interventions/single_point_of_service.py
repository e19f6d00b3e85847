"""Single point of service: one front door for an outcome's clients (one-stop shop, caseworker).

Evidence: one-stop shops, caseworkers, call centres and web services give seamless access and
remove duplication (002_5677c7bae92002df.txt Fig 2, ¶26(4); catalogue I25); citizens want to give
their information only once (003_741bbb3ed11f1208.txt "A joined-up future?"); publicising services
maximises take-up (002 ¶12).

Mechanics (``mechanisms/clients.py``): while active, no willing client of the outcome is lost
between agencies (``single_point = 1``: the outcome's ``bounce`` no longer applies) and the service
is visible to every client group (``publicity``), so awareness rises. It does not change how well
services fit a group: people who cannot use weekday, English-only services stay excluded
(002 ¶11). Its ``running_cost`` (£k/month) is paid by the members in proportion to their roles,
and members sit on a partnership (overhead and meetings).
"""

from __future__ import annotations

from typing import Any

import numpy as np
from pydantic import Field

from jusim.interventions.base import OutcomePartnership, charge, convene, register


@register
class SinglePointOfService(OutcomePartnership):
    name = "single_point_of_service"
    summary = "One front door for an outcome's clients: nobody bounced, everyone can find it."
    evidence = "002_5677c7bae92002df.txt Fig 2, ¶12, ¶26(4); 003_741bbb3ed11f1208.txt 'A joined-up future?'"
    explanation = (
        "Partners open one point of access (a one-stop shop or a caseworker). Clients give their "
        "details once and are no longer lost between agencies, and the service is easier to find. "
        "It does not make services fit people they did not fit before."
    )

    publicity: float = Field(
        0.5, ge=0, le=5, description="visibility to every client group (awareness per month)"
    )
    running_cost: float = Field(
        50.0,
        ge=0,
        le=100_000,
        description="£k/month to run it: ~10 staff at £5k (assumption; range 20-200)",
    )

    def apply(self, model, state: dict[str, Any]) -> None:
        if not self.active(model.month):
            return
        o = model.world.outcome_index[self.outcome]
        members = self.member_index(model)
        r = model.rules
        r.single_point[o] = 1.0
        r.publicity[o] = np.maximum(r.publicity[o], self.publicity)
        convene(model, o, members)
        charge(model, o, members, self.running_cost)
