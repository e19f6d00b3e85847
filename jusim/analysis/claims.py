"""What a validation row claims, and how much is too little to count.

A fact's headline rows carry a *claim*: a direction and a smallest effect of interest (SESOI),
argued from the sources, in the row's own unit. The row holds only if its whole 95% interval lies
beyond the SESOI in the claimed direction; an effect that common random numbers resolve but that is
smaller than the SESOI does not hold. Rows without a claim (supporting rows and controls) keep a
plain direction test (their ``holds`` function).

Each fact also records whether it is *assumed* (a rule written from the same source sentence
states it, so the experiment checks that the rule works) or *emergent* (no rule names it): see
:class:`Origin` and the ``ORIGINS`` table of every family module.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal


@dataclass(frozen=True)
class Sesoi:
    """A smallest effect of interest in a row's unit, with its one-line argument.

    ``counts`` names what the value counts when it is a count or a sum of money ("cases", "£k",
    "partnerships"): such a SESOI is scaled with the size of the area the row runs in
    (:meth:`sized`), so that it asks the same *relative* change there. "" (the default): a ratio,
    share, per-head level or share of a target, which an area's size leaves as it is.
    """

    value: float
    reason: str
    counts: str = ""

    def sized(self, factor: float, where: str) -> Sesoi:
        """The SESOI in an area ``factor`` times the default world's size (``where`` names it):
        a count or sum of money scales with it; anything else is returned unchanged."""
        if not self.counts or factor == 1.0:
            return self
        return Sesoi(
            round(self.value * factor, 4),
            f"{self.reason}. In the {where}: {self.value:g} x {factor:g} = "
            f"{self.value * factor:.4g}, as a count of {self.counts} scales with the area's size",
            self.counts,
        )


@dataclass(frozen=True)
class Origin:
    """Whether a fact is assumed (a rule states it) or emergent, with the rule or the chain."""

    kind: Literal["assumed", "emergent"]
    reason: str

    @property
    def assumed(self) -> bool:
        return self.kind == "assumed"


@dataclass(frozen=True)
class Claim:
    """A holds-rule with a SESOI: the 95% interval must lie ``side`` of ``at`` by ``sesoi``.

    ``side``: ``">"`` (above ``at + sesoi``), ``"<"`` (below ``at - sesoi``), ``"within"``
    (inside ``at ± sesoi``: equivalence, "about the same"), ``"under"`` (below ``sesoi`` itself:
    an absence, "no measurable change").
    """

    side: Literal[">", "<", "within", "under"]
    sesoi: Sesoi
    at: float = 0.0

    def __call__(self, lo: float, hi: float) -> bool:
        s = self.sesoi.value
        if self.side == ">":
            return lo > self.at + s
        if self.side == "<":
            return hi < self.at - s
        if self.side == "within":
            return lo > self.at - s and hi < self.at + s
        return hi < s

    def sized(self, factor: float, where: str) -> Claim:
        """The claim with its SESOI scaled to an area ``factor`` times the default's size."""
        sesoi = self.sesoi.sized(factor, where)
        return self if sesoi is self.sesoi else Claim(self.side, sesoi, self.at)

    @property
    def text(self) -> str:
        s = self.sesoi.value
        if self.side == ">":
            return f"> {self.at + s:+.3g}"
        if self.side == "<":
            return f"< {self.at - s:+.3g}"
        if self.side == "within":
            return f"within {self.at:g} ± {s:.3g}"
        return f"< {s:.3g} (none measurable)"


def above(sesoi: Sesoi, at: float = 0.0) -> Claim:
    return Claim(">", sesoi, at)


def below(sesoi: Sesoi, at: float = 0.0) -> Claim:
    return Claim("<", sesoi, at)


# -- SESOIs shared by several facts ------------------------------------------------------------

ATTAINMENT = Sesoi(
    0.05,
    "0.05 of a target: the NAO reports the RSU's 62% against a 67% target (0.075 of the target) "
    "as not yet reached (002 ¶7, Fig 5), the smallest attainment gap the sources tell apart",
)
TENTH = (
    "a tenth of the {what} ({level}): Sure Start's targets were changes of about a tenth (002 Fig "
    "5), and the NAO calls +1.6% 'about the same' (002 ¶18); smaller changes are below notice"
)


def tenth(level: float, what: str, counts: str = "") -> Sesoi:
    """A tenth of a reference level (measured in the default world, stated in the reason);
    ``counts``: what the level counts, if it is a count or money (``Sesoi.counts``)."""
    return Sesoi(round(0.1 * abs(level), 4), TENTH.format(what=what, level=f"{level:g}"), counts)


RELATIVE = Sesoi(0.1, TENTH.format(what="reference arm's level", level="relative change 1"))
COST_PER_CASE = Sesoi(
    0.2,
    "half the NAO's fall in cost per case (£120k to £70k, -42%; 002 ¶18): a fall under 20% is "
    "not 'roughly 40%'",
)
