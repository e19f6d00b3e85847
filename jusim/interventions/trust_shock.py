"""Trust shock: a scheduled leak or public criticism by one agency.

Evidence: organisations in a partnership process levying criticisms of it independently in the
press (001_04a1019f119c8ec4.txt ¶104); "leaking" to the press damages trust and leads
counterparts to be "more cautious and more reluctant to be fully open", and Executive leaks do
the same (001 ¶165); ground rules are needed (001 ¶105). Catalogue M21, fact 14.

Mechanics: in month ``at`` agency ``by`` leaks. Every agency's trust in it falls by the share
``size`` (as a random leak does, ``trust.py``), and every agency that shares an outcome with it is
injured and turns defensive (``mechanisms/defensive.py``): less open, less joint effort, less
contact, recovering slowly. This is an event, not a lever: it lets a scenario or a workshop ask
"what if a partner goes to the press in month 24?" on paired replications.
"""

from __future__ import annotations

from typing import Any

from pydantic import Field

from jusim.interventions.base import Intervention, register


@register
class TrustShock(Intervention):
    name = "trust_shock"
    summary = (
        "A scheduled leak or public criticism: trust in the leaker falls, partners turn defensive."
    )
    evidence = "001_04a1019f119c8ec4.txt ¶104–105, ¶165"
    explanation = (
        "One partner criticises the partnership in the press, or leaks. The others trust it less "
        "and become cautious: they share less, put less into joint work and network less, and "
        "recover only slowly. Executive staff and partners both described this (001 ¶104, ¶165)."
    )

    by: str = Field(description="the agency that leaks or criticises in public")
    at: int = Field(24, ge=0, le=1200, description="month of the leak")
    size: float = Field(
        0.3,
        ge=0,
        le=1,
        description="share of partners' trust in the leaker lost (default as trust.shock_size)",
    )

    def check(self, scenario) -> list[tuple[str, Any, str]]:
        names = scenario.agency_names + [
            a.name for iv in scenario.interventions for a in iv.new_agencies(scenario)
        ]
        if self.by not in names:
            return [("by", self.by, f"an agency of this scenario: {names}")]
        return []

    def apply(self, model, state: dict[str, Any]) -> None:
        if model.month == self.at:
            b = model.world.agency_index[self.by]
            model.rules.leak[b] = max(model.rules.leak[b], self.size)
