"""The model description stays true to the code: every mechanism parameter appears in a table of
docs/odd.md with its default, and every registered intervention is described in docs/odd.md,
mapped to its evidence in docs/evidence-map.md and named in the analyst's docs/user-guide.md."""

from __future__ import annotations

from pathlib import Path

import pytest

from jusim.interventions import REGISTRY
from jusim.scenario import Parameters

DOCS = Path(__file__).resolve().parents[1] / "docs"


def _table_rows(text: str) -> dict[str, list[list[str]]]:
    rows: dict[str, list[list[str]]] = {}
    for line in text.splitlines():
        if line.startswith("|"):
            cells = [c.strip() for c in line.strip().strip("|").split("|")]
            rows.setdefault(cells[0].strip("`"), []).append(cells)
    return rows


def _same(doc: str, value) -> bool:
    doc = doc.replace("`", "").replace(",", "").replace("−", "-").strip()
    try:
        return abs(float(doc) - float(value)) < 1e-9
    except ValueError:
        return str(value).lower() in doc.lower()


ODD = (DOCS / "odd.md").read_text(encoding="utf-8")
PARAMETERS = [
    (group, name, getattr(info.default, name))
    for group, info in Parameters.model_fields.items()
    for name in type(info.default).model_fields
]


@pytest.mark.parametrize(("group", "name", "default"), PARAMETERS)
def test_every_parameter_is_in_the_odd_with_its_default(group, name, default) -> None:
    rows = _table_rows(ODD)
    found = rows.get(name, []) + rows.get(f"{group}.{name}", [])
    assert found, f"parameters.{group}.{name} is not in a table of docs/odd.md"
    assert any(any(_same(c, default) for c in cells[1:4]) for cells in found), (
        f"parameters.{group}.{name}: default {default} in the code, "
        f"{[cells[1:4] for cells in found]} in docs/odd.md"
    )


@pytest.mark.parametrize("kind", sorted(REGISTRY))
def test_every_intervention_is_described_and_mapped(kind) -> None:
    assert f"`{kind}`" in ODD, f"intervention {kind} is not described in docs/odd.md"
    evidence_map = (DOCS / "evidence-map.md").read_text(encoding="utf-8")
    assert f"{kind}.py" in evidence_map, f"intervention {kind} is not in docs/evidence-map.md"
    guide = (DOCS / "user-guide.md").read_text(encoding="utf-8")
    assert kind in guide, f"intervention {kind} is not in docs/user-guide.md"
