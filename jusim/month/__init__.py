"""The month as a schedule of phases (docs/odd.md, section 3), one module per phase.

Each phase module has one entry point, ``run(runs)``, over a ``Runs`` (``jusim/month/runs.py``):
the ``State`` and this month's ``Flows`` (``jusim/month/state.py``) of one run, or of many runs of
one world stepped together along a run axis. It calls the mechanism modules of
``jusim/mechanisms/`` and keeps the accounting that belongs to it. ``step`` is the schedule: the
phases in the order of ``PHASES``; ``JoinedUpModel.step`` is ``step`` for a run alone.
"""

from jusim.month import (
    budget,
    churn,
    decision,
    learning,
    production,
    record,
    relationships,
    resources,
    rules,
)
from jusim.month.runs import Runs

PHASES = (budget, rules, churn, resources, decision, production, relationships, learning, record)


def step(runs: Runs) -> None:
    """One month of every run in ``runs``: the phases of docs/odd.md section 3, in order."""
    budget.run(runs)
    rules.run(runs)
    churn.run(runs)
    resources.run(runs)
    decision.run(runs)
    production.run(runs)
    relationships.run(runs)
    learning.run(runs)
    record.run(runs)
