"""Start-up (issue 20, item 5): what a command imports before it needs it. A run or a batch
imports neither Mesa (no model class), nor numba (the numpy rules until they have paid
``jusim.kernels.RENT``), nor pandas (no table asked for); asking for a table imports pandas."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from jusim.lazy import lazy

ROOT = Path(__file__).resolve().parents[1]
HEAVY = ("mesa", "numba", "pandas", "scipy")


def _imported_after(code: str, kernels: str = "auto") -> list[str]:
    """The heavy modules a fresh process has imported after running ``code``."""
    env = {**os.environ, "PYTHONPATH": str(ROOT), "JUSIM_KERNELS": kernels}
    probe = f"import sys\n{code}\nprint(' '.join(m for m in {HEAVY!r} if m in sys.modules))"
    out = subprocess.run(
        [sys.executable, "-c", probe], env=env, capture_output=True, text=True, check=True
    )
    return out.stdout.split()


def test_importing_imports_no_mesa_numba_or_pandas():
    assert _imported_after("import jusim, jusim.cli") == []


def test_a_run_imports_no_mesa_or_pandas():
    # numpy rules: in ``auto``, whether a run pays the rent depends on the machine's speed
    run = "import jusim\njusim.run('default_world', seed=1)\njusim.run_batch('secondees', [1, 2])"
    assert _imported_after(run, kernels="numpy") == []


def test_a_table_imports_pandas():
    code = "import jusim\nt = jusim.run('silo', seed=1).outcome_table()\nassert len(t)"
    assert "pandas" in _imported_after(code)


def test_a_lazy_module_is_imported_on_first_use():
    json = lazy("json")
    assert "imported on first use" in repr(json)
    assert json.dumps([1]) == "[1]"
    assert json.loads is sys.modules["json"].loads


def test_a_comparison_imports_pandas_and_scipy_only_for_its_analysis():
    # the parent imports them while the runs run (jusim.analysis.compare._prepare_analysis)
    code = "import jusim.cli, jusim.analysis.compare, jusim.analysis.stats"
    assert _imported_after(code) == []


def test_the_worker_server_loads_no_numba_with_the_numpy_rules():
    code = "import jusim.experiment.preload as p\nassert p.LOADED == 0"
    assert _imported_after(code, kernels="numpy") == []
