"""Docking: the engine's staff, tie and churn rules against the per-agent reference.

``benchmarks/per_agent_reference.py`` writes the same rules the straightforward way (one
``mesa.Agent`` per member of staff). The two cannot draw the same random numbers, so the check
compares distributions over 30 seeds (Mann-Whitney, Bonferroni-corrected; per agency pair with an
allowance for false alarms). This guards the compiled kernels in ``jusim/staff.py`` and
``jusim/mechanisms/{churn,ties}.py``: a kernel that changed the rules would show here.
"""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "benchmarks"))
from per_agent_reference import docking_check


@pytest.mark.parametrize(
    "setting",
    [{}, {"contact_scale": 5.0}, {"secondees": 30}],
    ids=["default-world", "contact-x5", "30-secondees"],
)
def test_engine_docks_with_per_agent_reference(setting):
    report, agree = docking_check(seeds=30, **setting)
    assert agree, report
