"""Good practice: agencies learn from the initiatives that have worked best.

Evidence: it is still very difficult for others to learn from what works; public managers need
to spread the word about good practice and share lessons of failure (004_405daa82f731071c.txt
Ch2 §9); Cabinet Office guidance, benchmarking and mapping partnerships reduce repeated mistakes
(002_5677c7bae92002df.txt ¶25; 001_04a1019f119c8ec4.txt ¶176; catalogue I22); practice must be
adapted to local circumstances, not replicated (004 Ch2 §9).

Mechanics: where ``uptake[o,a] > 0`` (set by ``good_practice``), agency ``a``'s experience of
outcome ``o`` moves that share of the way towards the best experience any contributor has of any
outcome — the initiative that has done best — each month. Experience is the confidence, learnt
from progress, that lowers the fear of visible failure in ``decision.py``; within one outcome all
contributors see the same progress, so lessons come from other initiatives. ``uptake`` below 1 is
the local-adaptation discount.
"""

from __future__ import annotations

import numpy as np


def spread(experience: np.ndarray, uptake: np.ndarray, involved: np.ndarray) -> np.ndarray:
    """Experience (O, A) after a month of learning from the best experience of any initiative.

    Over R runs ``experience`` and ``uptake`` are (R, O, A) (``involved`` (O, A) or (R, O, A)),
    each run learning from its own best initiative."""
    if not involved.any() or not uptake.any():  # (no uptake: experience + 0 is experience)
        return experience
    involved = np.broadcast_to(involved, experience.shape)
    best = np.where(involved, experience, -np.inf).max(axis=(-2, -1), keepdims=True)
    learnt = experience + uptake * np.maximum(best - experience, 0.0)
    # a run without uptake (or without any initiative) keeps its experience as it is
    keeps = ~(involved.any(axis=(-2, -1)) & (uptake != 0).any(axis=(-2, -1)))
    return np.where(keeps[..., None, None], experience, learnt)
