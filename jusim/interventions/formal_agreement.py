"""Formal agreement: a written compact, concordat or memorandum of understanding among partners.

Evidence: the STUC/Executive Memorandum of Understanding, the Compact with the Voluntary Sector and
the Civic Forum Concordat improved relationships and forged new links (001_04a1019f119c8ec4.txt
¶15, ¶23, ¶129–130, ¶137–139); formalising informal but productive relationships can destroy
trust, become tick-box and cut autonomy, and agreements are applied unevenly (001 ¶140–144); the
NAO records formal partnerships by contract or protocol (002_5677c7bae92002df.txt Fig 1).

Mechanics: while active, the partnership of ``members`` on the outcome (the same one other
interventions with those members convene) is formal: its members meet and consult as the
agreement obliges, trust above what the agreement secures is crowded out, and every member files
tick-box reports (``mechanisms/formality.py``). It writes no outcome.
"""

from __future__ import annotations

from typing import Any

from jusim.interventions.base import OutcomePartnership, convene, register


@register
class FormalAgreement(OutcomePartnership):
    name = "formal_agreement"
    summary = "A written agreement among partners: new links where ties are weak, tick-box where trust is high."
    evidence = "001_04a1019f119c8ec4.txt ¶15, ¶137–144; 002_5677c7bae92002df.txt Fig 1"
    explanation = (
        "The partners sign a compact or memorandum. It obliges them to meet and consult, which "
        "builds links where there were none; but where they already trusted each other, the "
        "paperwork replaces goodwill with compliance."
    )

    def apply(self, model, state: dict[str, Any]) -> None:
        if self.active(model.month):
            k = convene(model, model.world.outcome_index[self.outcome], self.member_index(model))
            model.partnerships.formal[k] = True
