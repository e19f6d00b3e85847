"""Terminal output at 80 columns and piped: no line over the width, no wrapped number, no cut
name, no negative zero, progress on stderr, flags shown as flags (jusim/tables.py)."""

from __future__ import annotations

import io
import re
from pathlib import Path

import pytest
from rich.console import Console
from typer.testing import CliRunner

from jusim.cli import app
from jusim.experiment.executors import make_executor
from jusim.experiment.runner import plan_sweep, run_sweep
from jusim.scenario import scenario_dir
from jusim.tables import Col, Est, choose_layout, num, print_validation, show

NARROW = {"COLUMNS": "80", "NO_COLOR": "1"}
WIDE = {"COLUMNS": "200", "NO_COLOR": "1"}
TERMINAL = {**NARROW, "TTY_COMPATIBLE": "1"}  # rich treats the output as a terminal


def invoke(*args: str, env=NARROW):
    return CliRunner().invoke(app, list(args), env=env)


def assert_readable(text: str, width: int = 80) -> None:
    """Every line fits; every interval opens and closes on one line; no negative zero."""
    for line in text.splitlines():
        assert len(line) <= width, f"{len(line)} > {width}: {line!r}"
        assert line.count("[") == line.count("]"), f"interval split over lines: {line!r}"
    assert not re.search(r"-0\.0*(?![0-9]*[1-9])\b", text), text
    assert "…" not in text, "a cell was cut"


@pytest.fixture(scope="module")
def pair(tmp_path_factory):
    folder = tmp_path_factory.mktemp("pair")
    world = (scenario_dir() / "default_world.toml").as_posix()
    files = []
    for name, body in (
        ("silo_with_a_long_name", ""),
        (
            "rough_sleepers_unit_long_name",
            '[[interventions]]\ntype = "central_unit"\noutcome = "rough_sleeping"\n'
            'unit = "rsu"\npooled_share = 0.1\nstaff = 6\n',
        ),
    ):
        p = folder / f"{name}.toml"
        p.write_text(f'base = "{world}"\nname = "{name}"\nhorizon = 12\n{body}')
        files.append(str(p))
    return files


def test_number_format_has_no_negative_zero():
    assert num(-0.0001) == "0.00"
    assert num(-0.0001, signed=True) == "0.00"
    assert num(0.004, signed=True) == "0.00"
    assert num(0.006, signed=True) == "+0.01"
    assert num(-0.006, 2) == "-0.01"
    assert num(float("nan")) == "–"
    assert Est(-0.001, -0.04, 0.02).lines(False) == ["0.00 [-0.04, 0.02]"]
    # an interval whose bounds would all print as zero gets the digits to show them
    assert Est(-0.001, -0.004, 0.002).lines(False) == ["-0.0010 [-0.0040, 0.0020]"]


def test_layout_follows_width():
    cols = [Col("scenario", kind="name"), Col("a_long_header_name", short="a"), Col("b")]
    rows = [["rough_sleepers_unit", Est(0.5, 0.4, 0.6), Est(-1.25, -1.5, -1.0)]]
    assert choose_layout(cols, rows, 70) == "wide"
    assert choose_layout(cols, rows, 60) == "stacked"
    assert choose_layout(cols, rows, 52) == "short"
    assert choose_layout(cols, rows, 40) == "long"
    for width in (70, 60, 52, 40):
        con = Console(file=io.StringIO(), width=width, no_color=True)
        layout = show(con, "a title that is long enough to wrap at narrow widths", cols, rows)
        text = con.file.getvalue()
        assert "rough_sleepers_unit" in text, layout
        if layout != "long":
            assert_readable(text, width)
        if layout == "short":
            assert "a: a_long_header_name" in text


def test_compare_at_80_columns_piped(pair):
    result = invoke(
        "compare", *pair, "--baseline", pair[0], "--replications", "2", "--ensemble", "none"
    )
    assert result.exit_code == 0, result.output
    out = result.stdout
    assert_readable(out)
    # names are whole, intervals on one line with their estimate or stacked under it
    assert "rough_sleepers_unit_long_name" in out and "silo_with_a_long_name" in out
    assert out.count("rough_sleepers_unit_long_name") == 3  # one row per outcome table
    assert "95% confidence interval" in out
    # progress went to stderr as plain lines, not into the table
    assert re.search(r"runs: 4 of 4", result.stderr), result.stderr
    assert "runs:" not in out


def test_compare_wide_terminal_keeps_one_line_per_row(pair):
    result = invoke("compare", *pair, "--baseline", pair[0], "--replications", "2", env=WIDE)
    assert result.exit_code == 0, result.output
    rows = [ln for ln in result.stdout.splitlines() if ln.startswith("rough_sleepers_unit_long")]
    assert len(rows) == 3
    assert all(re.search(r"\d \[-?\d+\.\d+, -?\d+\.\d+\]", r) for r in rows), rows


def test_flags_read_as_flags():
    result = invoke("compare", "--help")
    assert result.exit_code == 0
    line = next(ln for ln in result.stdout.splitlines() if "--json" in ln)
    assert "<bool>" not in line
    assert "<int" in next(ln for ln in result.stdout.splitlines() if "--seed" in ln)


def test_unknown_scenario_lists_shipped_ones():
    result = invoke("run", "nosuchscenario")
    assert result.exit_code == 2
    for p in scenario_dir().glob("*.toml"):
        assert p.stem in result.stderr


def test_scenarios_at_80_columns():
    result = invoke("scenarios")
    assert result.exit_code == 0
    assert_readable(result.stdout)
    for p in scenario_dir().glob("*.toml"):
        assert re.search(rf"^{p.stem}\s", result.stdout, re.M), p.stem


def test_validation_table_at_80_columns():
    from jusim.analysis.validation import Effect

    effects = [
        Effect(
            "1",
            "shared minus own attainment under silo, at the horizon",
            -0.41,
            -0.45,
            -0.37,
            30,
            True,
        ),
        Effect(
            "2",
            "attainment difference, RSU package minus silo",
            0.0001,
            -0.0003,
            0.0005,
            30,
            False,
            control=True,
        ),
    ]
    con = Console(file=io.StringIO(), width=80, no_color=True)
    print_validation(con, effects, 30, 2026)
    text = con.file.getvalue()
    assert_readable(text)
    assert "2 control" in text and "NO" in text


SOBOL = """
name = "sobol_tiny"
base = "secondees"
seed = 1
replications = 1
horizon = 6
metrics = ["attainment.rough_sleeping", "shared_attainment", "mean_trust", "tie_density",
           "mean_understanding", "joint_share"]
[design]
kind = "sobol"
samples = 4
[factors.churn_scale_of_everyone]
kind = "uncertainty"
path = "context.churn_scale"
range = [0.5, 2.0]
[factors.secondees_posted]
kind = "lever"
path = "interventions.secondees.count"
range = [0, 24]
integer = true
"""


@pytest.fixture(scope="module")
def sobol_store(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("sobol80")
    file = folder / "sobol_tiny.toml"
    file.write_text(SOBOL)
    assert run_sweep(plan_sweep(file), folder / "out", make_executor(0)).complete
    return folder / "out"


def test_results_at_80_columns(sobol_store):
    result = invoke("results", str(sobol_store), "--limit", "5", env=TERMINAL)
    assert result.exit_code == 0, result.output
    assert_readable(result.stdout)
    # too wide for 80 columns: metric headers become codes explained in a legend
    for m in ("attainment.rough_sleeping", "shared_attainment", "mean_understanding"):
        assert re.search(rf"m\d: {re.escape(m)}", result.stdout), result.stdout
    # with their units
    assert "(unit: share of target (1 = met))" in " ".join(result.stdout.split())
    sql = 'SELECT point, avg("attainment.rough_sleeping") AS attainment FROM runs GROUP BY point'
    result = invoke("results", str(sobol_store), "--sql", sql, env=TERMINAL)
    assert result.exit_code == 0, result.output
    assert_readable(result.stdout)
    assert '"attainment.rough_sleeping"' in result.stdout  # the query is not broken in a name


def test_piped_results_are_csv_with_a_header_row(sobol_store):
    """Piped, a sweep's results were hundreds of records headed 0, 1, ...: now CSV with one
    header row on stdout (title, units and rows left out on stderr)."""
    import pandas as pd

    result = invoke("results", str(sobol_store), "--limit", "1000")
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    assert lines[0].split(",")[:3] == ["point", "churn_scale_of_everyone", "secondees_posted"]
    table = pd.read_csv(io.StringIO(result.stdout))
    assert len(table) == len(lines) - 1 > 10
    assert "mean per design point" in result.stderr and "units:" in result.stderr
    short = invoke("results", str(sobol_store), "--limit", "3")
    assert len(short.stdout.splitlines()) == 4
    assert "more rows (use --limit)" in short.stderr


def test_sensitivity_at_80_columns_warns_when_unresolved(sobol_store):
    result = invoke("sensitivity", str(sobol_store), "-m", "attainment.rough_sleeping")
    assert result.exit_code == 0, result.output
    assert_readable(result.stdout)
    assert "secondees_posted" in result.stdout
    text = " ".join(result.stdout.split())
    assert "not resolved at samples = 4" in text
    assert re.search(r"set \[design\] samples = \d+", text)


def test_discover_at_80_columns(sobol_store):
    result = invoke("discover", str(sobol_store), "-m", "attainment.rough_sleeping", "-t", "0.005")
    assert result.exit_code == 0, result.output
    assert_readable(result.stdout)
    assert "coverage" in result.stdout


def test_resolution_advice_says_when_and_what_sample_size():
    import pandas as pd

    from jusim.experiment.sensitivity import resolution_advice

    man = {"design": {"kind": "sobol", "samples": 64}, "factors": ["a", "b"], "replications": 2}

    def table(rows):
        return pd.DataFrame(rows, columns=["metric", "factor", "index", "value", "conf"])

    resolved = table(
        [
            ("m", "a", "S1", 0.50, 0.03),
            ("m", "a", "ST", 0.60, 0.04),
            ("m", "b", "S1", 0.001, 0.004),  # zero, and known to be: not a problem
            ("m", "b", "ST", 0.002, 0.003),
        ]
    )
    assert resolution_advice(resolved, man) == {}
    # the example: S1 0.202 +- 0.186 above ST 0.193
    loose = table(
        [
            ("m", "a", "S1", 0.202, 0.186),
            ("m", "a", "ST", 0.193, 0.10),
            ("m", "b", "S1", 0.01, 0.02),
            ("m", "b", "ST", 0.02, 0.01),
        ]
    )
    text = resolution_advice(loose, man)["m"]
    assert "first-order above total for a" in text
    # half-width 0.186 -> 0.05 takes (0.186 / 0.05)^2 = 13.8 x 64 = 886 -> 1024 (a power of 2)
    assert "samples = 1024 (8,192 runs)" in text


def test_progress_piped_prints_count_beats_and_an_honest_estimate():
    """Piped: a line at the start, lines while nothing finishes, the count, and a time left
    from the pace since the first report (start-up and resumed work not counted)."""
    import time

    from jusim.tables import LineProgress

    con = Console(file=io.StringIO(), width=80, force_terminal=False)
    with LineProgress(console=con, disable=True, every=0.05) as bar:
        task = bar.add_task("runs", total=100)
        bar.resume(task, 40)  # an earlier sweep's runs
        time.sleep(0.3)  # start-up: no run finishes
        bar.advance(task, 10)
        time.sleep(0.2)
        bar.advance(task, 10)  # 10 runs in 0.2 s: 40 left take about 0.8 s
        left = bar.seconds_left(task)
        bar.advance(task, 40)
    lines = con.file.getvalue().splitlines()
    assert lines[0] == "runs: 0 of 100 (0 s)"
    assert sum(ln.startswith("runs: 40 of 100") for ln in lines) >= 2  # beats while waiting
    assert lines[-1].startswith("runs: 100 of 100")
    assert left is not None and 0.6 < left < 1.6  # with start-up counted it would be ~2 s


def test_validate_command_piped(monkeypatch):
    import jusim.analysis.validation as validation
    from jusim.analysis.validation import Effect

    def fake(replications, seed, workers=None, progress=None):
        for _ in validation.FAMILIES:
            progress(1)
        return [Effect("1", "shared minus own attainment", -0.4, -0.45, -0.35, replications, True)]

    monkeypatch.setattr(validation, "validate", fake)
    result = invoke("validate", "--replications", "3")
    assert result.exit_code == 0, result.output
    assert_readable(result.stdout)
    assert "-0.400 [-0.450, -0.350]" in result.stdout
    n = len(validation.FAMILIES)
    assert f"families of experiments (3 replications): 0 of {n}" in result.stderr
    assert f"families of experiments (3 replications): {n} of {n}" in result.stderr
    assert "families" not in result.stdout
