"""Phase 7, learning: experience moves toward the progress seen this month, relative to the pace
the target needs (``mechanisms/decision.learn``, 7.10), faster with feedback; good practice spreads
(``mechanisms/practice.py``, 7.22); live partnerships age by one month (7.15). All R runs at once,
along a leading run axis (``jusim/month/runs.py``); the runs' partnerships age together
(``partnership.Board``)."""

from __future__ import annotations

import numpy as np

from jusim.mechanisms import decision, practice
from jusim.month.runs import Runs
from jusim.partnership import Board


def run(runs: Runs) -> None:
    involved = runs.stack_world("involved")
    before = runs.stack_flow("need_before")
    progress = (before - runs.stack("need")) / np.maximum(before, 1e-9)
    progress = progress / runs.stack_world("required_rate")
    experience = runs.stack("experience")
    learned = decision.learn(experience, progress, involved, runs.params.decision)
    step = (1.0 + runs.stack_rules("learning_boost")) * (learned - experience)  # feedback
    experience = (experience + step).clip(0.0, 1.0)
    experience = practice.spread(experience, runs.stack_rules("good_practice"), involved)
    runs.put("experience", experience)
    Board([s.partnerships for s in runs.states]).age_one_month(runs.params.partnership.drift)
