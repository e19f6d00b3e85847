"""The month as a schedule of phases (docs/odd.md, section 3), one module per phase.

Each phase module has one entry point, ``run(state, flows)``, over the run's ``State`` and this
month's ``Flows`` (``jusim/month/state.py``); it calls the mechanism modules of
``jusim/mechanisms/`` and keeps the accounting that belongs to it. ``JoinedUpModel.step`` calls
the phases in the order of ``PHASES``.
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

PHASES = (budget, rules, churn, resources, decision, production, relationships, learning, record)
