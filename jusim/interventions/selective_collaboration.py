"""Selective, small-start collaboration: a coalition of the willing, screened, growing step by step.

Evidence: partnership working "is much more effective when it's a 'coalition of the willing'";
NS&I GPS "adopts a rigorous assessment of potential partnerships, discounting those that are
unlikely to deliver against either party's goals", built on "a shared understanding of what we're
aiming for"; "take small steps ... start some sort of collaboration that might be quite small, and
just see where it goes"; "if you try to make everybody collaborative at all levels, you'll end up
with a mess" (003_741bbb3ed11f1208.txt "A joined-up future?"). Evidence-catalogue I20: claimed
higher success rate; slower to scale.

Mechanics: while active, the partnerships agencies propose themselves (switched on by
``partnership.proposal_rate``) are screened and start small (``mechanisms/selection.py``): an
agency invites only contributors it understands well enough (``screen``), drops proposals that
promise less than ``min_gain`` on top of what is already delivered on the outcome, starts with at
most ``first_members`` members, and adds one willing partner a month only while the partnership
delivers at least ``grow_at``. It convenes nothing itself and writes no outcome.
"""

from __future__ import annotations

from typing import Any

from pydantic import Field

from jusim.interventions.base import AgencyIntervention, EndMonth, StartMonth, register
from jusim.mechanisms.selection import Selection


@register
class SelectiveCollaboration(AgencyIntervention):
    name = "selective_collaboration"
    summary = "Partners are screened and partnerships start small, growing only once they deliver."
    evidence = "003_741bbb3ed11f1208.txt 'A joined-up future?'"
    explanation = (
        "Agencies only team up with partners they already understand, only for partnerships "
        "likely to deliver, and start with two or three members, adding more once it works. "
        "Fewer partnerships form and they grow slowly, but those that do are worth more."
    )

    screen: float = Field(
        0.25,
        ge=0,
        le=1,
        description="least understanding (0–1) between the proposer and an invitee: a "
        "coalition of the willing with a shared understanding of the aims (003 'A joined-up "
        "future?'; assumption 0.2–0.5; the world starts at 0.2)",
    )
    min_gain: float = Field(
        0.15,
        ge=0,
        le=1,
        description="least gain (extra cases per £, a share) a proposal must promise on top of "
        "what partnerships already deliver on the outcome ('discounting those unlikely to "
        "deliver', 003; proposals in the default world promise 0.1–0.3: assumption 0.1–0.25)",
    )
    first_members: int = Field(
        2,
        ge=2,
        le=100,
        description="members a partnership starts with, proposer included ('start ... quite "
        "small', 003; assumption 2–3)",
    )
    grow_at: float = Field(
        0.02,
        ge=0,
        le=1,
        description="least value added (extra cases per £, a share) before a partnership offers "
        "another seat: it must be delivering ('see where it goes', 003; the review's threshold "
        "for worth keeping: assumption 0.01–0.05)",
    )
    start: StartMonth = 0
    end: EndMonth = None

    def apply(self, model, state: dict[str, Any]) -> None:
        if self.active(model.month):
            model.partnerships.selection = Selection(
                self.screen, self.min_gain, self.first_members, self.grow_at
            )
