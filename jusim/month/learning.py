"""Phase 7, learning: experience moves toward the progress seen this month, relative to the pace
the target needs (``mechanisms/decision.learn``, 7.10), faster with feedback; good practice spreads
(``mechanisms/practice.py``, 7.22); live partnerships age by one month (7.15)."""

from __future__ import annotations

import numpy as np

from jusim.mechanisms import decision, practice
from jusim.month.runs import Runs
from jusim.month.state import Flows, State


def run_one(s: State, f: Flows) -> None:
    w, p, r = s.world, s.params, s.rules
    before = f.need_before
    progress = (before - s.need) / np.maximum(before, 1e-9) / w.required_rate
    learned = decision.learn(s.experience, progress, w.involved, p.decision)
    step = (1.0 + r.learning_boost) * (learned - s.experience)  # feedback speeds it
    s.experience = np.clip(s.experience + step, 0.0, 1.0)
    s.experience = practice.spread(s.experience, r.good_practice, w.involved)
    s.partnerships.age_one_month(p.partnership.drift)


def run(runs: Runs) -> None:
    runs.each(run_one)
