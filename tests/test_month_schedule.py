"""The month's schedule: ``jusim.month.step`` and docs/odd.md section 3 list the same phases.

Also: each phase is a module of ``jusim/month/`` with one ``run(runs)``, ``step`` stays a short
schedule that ``JoinedUpModel.step`` calls for a run alone, and no intervention imports the model
class (they see the run as a ``RunView``).
"""

from __future__ import annotations

import ast
import inspect
import re
import textwrap
from pathlib import Path

import jusim.month
from jusim.model import JoinedUpModel

ROOT = Path(__file__).resolve().parents[1]


def odd_phases() -> list[str]:
    text = (ROOT / "docs" / "odd.md").read_text()
    start = text.index("## 3. Process overview and scheduling")
    section = text[start : text.index("\n## 4.", start)]
    return [m.lower() for m in re.findall(r"^\d+\. \*\*(\w+)\.\*\*", section, flags=re.M)]


def step_phases() -> list[str]:
    tree = ast.parse(textwrap.dedent(inspect.getsource(jusim.month.step)))
    calls = [
        node.func.value.id
        for node in ast.walk(tree)
        if isinstance(node, ast.Call)
        and isinstance(node.func, ast.Attribute)
        and node.func.attr == "run"
        and isinstance(node.func.value, ast.Name)
    ]
    return calls


def test_step_runs_the_odd_schedule_in_order():
    odd = odd_phases()
    assert len(odd) >= 8, odd
    assert step_phases() == odd
    assert [m.__name__.rsplit(".", 1)[1] for m in jusim.month.PHASES] == odd


def test_each_phase_is_a_module_with_one_entry_point():
    for module in jusim.month.PHASES:
        assert Path(module.__file__).parent == ROOT / "jusim" / "month"
        params = list(inspect.signature(module.run).parameters)
        assert params == ["runs"], module.__name__
        assert module.__doc__ and len(module.__doc__) > 40, f"{module.__name__}: say what it does"


def test_step_is_a_short_schedule():
    lines = inspect.getsource(jusim.month.step).strip().splitlines()
    assert len(lines) <= 40


def test_interventions_do_not_import_the_model():
    for path in sorted((ROOT / "jusim" / "interventions").glob("*.py")):
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, ast.ImportFrom):
                assert node.module not in ("jusim.model", "jusim.agency"), path.name
            elif isinstance(node, ast.Import):
                assert all(a.name not in ("jusim.model", "jusim.agency") for a in node.names)


def test_model_attributes_are_the_state(short_world):
    model = JoinedUpModel(short_world, 0)
    try:
        assert model.trust is model.state.trust
        model.trust = model.trust * 0.5  # written through to the state the phases read
        assert model.state.trust is model.trust
        model.step()
        assert model.month == model.state.month == 1
    finally:
        model.release()
