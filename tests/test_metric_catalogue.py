"""Every metric a run records has a unit and a one-line description in jusim.metrics.CATALOGUE
(stores, `jusim results --describe` and the brief read them from there)."""

from __future__ import annotations

from pandas.api.types import is_numeric_dtype

import jusim
from jusim.metrics import CATALOGUE, UNKNOWN, identifier, metric_info


def test_every_summary_metric_and_table_column_is_described(short_world):
    result = jusim.run(short_world, seed=0)
    names = list(result.summary())
    for table in (result.outcome_table(), result.agency_table(), result.system_table()):
        names += [c for c in table.columns if is_numeric_dtype(table[c]) and c != "month"]
    missing = sorted({n for n in names if metric_info(n) is UNKNOWN})
    assert not missing, f"add unit and description to jusim.metrics.CATALOGUE for {missing}"
    for n in names:
        info = metric_info(n)
        assert info.unit and info.description and "\n" not in info.description


def test_per_outcome_metrics_name_their_outcome():
    info = metric_info("attainment.rough_sleeping")
    assert info.unit == CATALOGUE["attainment"].unit
    assert "rough sleeping" in info.description
    assert identifier("attainment.rough_sleeping") == "attainment__rough_sleeping"
