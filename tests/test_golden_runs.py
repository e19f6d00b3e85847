"""Every shipped scenario (seeds 0 and 3) and a batch with parameters per run give bit for bit the
runs recorded in ``tests/data/golden_runs.json`` by ``benchmarks/golden_runs.py`` (first from the
engine before the run axis, commit 3655315; re-frozen only by a change meant to change results).

``tests/test_engine_docking.py`` compares with ``benchmarks/reference_engine.py``, which freezes
the month's schedule and accounting but calls today's mechanism modules; this test also covers the
mechanisms. Its bits are those of the machine's numpy build (another CPU's ``exp`` can round the
last bit differently), so the file keeps one set of fingerprints per machine it was made on, each
with a fingerprint of numpy's arithmetic; the test checks against the set made where numpy rounds
as it does here, and says so and skips where there is none.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "benchmarks"))
import golden_runs  # noqa: E402

GOLDEN = json.loads((ROOT / "tests" / "data" / "golden_runs.json").read_text())


HERE = golden_runs.for_this_machine(GOLDEN)


@pytest.fixture(scope="module")
def today() -> dict[str, str]:
    if HERE is None:
        pytest.skip(
            "this machine's numpy rounds exp/log/pow differently from every machine the file "
            "was made on (benchmarks/golden_runs.py --add, on the commit that wrote it, adds one)"
        )
    return golden_runs.runs()


def test_every_recorded_run_is_unchanged(today):
    assert HERE is not None
    assert set(today) == set(HERE["runs"])
    changed = [k for k, v in HERE["runs"].items() if today[k] != v]
    assert not changed, f"runs that differ from the recorded ones: {changed}"


def test_the_fingerprint_sees_a_last_bit_change(today):
    """Control: the fingerprint of a run changes when one recorded number changes by one ulp."""
    import numpy as np

    import jusim

    result = jusim.run("default_world", 0)
    before = golden_runs.fingerprint(result)
    need = result.series["need"]
    need[5, 0] = np.nextafter(need[5, 0], np.inf)
    assert golden_runs.fingerprint(result) != before
