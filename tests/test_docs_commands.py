"""The docs run as written (issue 23, item 7).

- The example outputs in the docs are real output (``scripts/doc_examples.py`` writes them); the
  quick ones are re-run here and must still match (the slow ones, comparisons, only by the
  script).
- Every ``jusim`` command in README.md and docs/*.md (code blocks and inline code) runs as written
  on a fresh clone, in document order in one workspace (user guide first, then the README, then
  the rest), except synopses with placeholders and the expensive ones listed with a reason
  (``pytest -m slow``). Sweeps the docs query (``sweeps/NAME``) are made from the shipped
  experiment files with one replication and at most 16 samples, same factors and metrics.
"""

from __future__ import annotations

import importlib.util
import re
import shlex
import shutil
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from jusim.cli import app
from jusim.scenario import Parameters

ROOT = Path(__file__).resolve().parents[1]
_spec = importlib.util.spec_from_file_location("doc_examples", ROOT / "scripts" / "doc_examples.py")
doc_examples = importlib.util.module_from_spec(_spec)
sys.modules["doc_examples"] = doc_examples
_spec.loader.exec_module(doc_examples)

ORDER = [ROOT / "docs" / "user-guide.md", ROOT / "README.md"]
DOCS = ORDER + [p for p in sorted((ROOT / "docs").glob("*.md")) if p not in ORDER]

EXPENSIVE = {
    "jusim compare": "every shipped scenario, 30 replications each: minutes",
    "jusim validate": "the whole validation suite: minutes",
    "jusim dashboard": "serves until stopped (tests/test_dashboard_start.py starts and stops it)",
    "jusim sweep experiments/": "a full sweep of a shipped experiment: minutes (a reduced copy "
    "of it is run instead, so the commands that query it run)",
    "jusim sensitivity experiments/": "a full Sobol sweep: minutes",
}
"""Commands (by prefix) not run here, and why."""

FAILS_ON_PURPOSE = {"jusim run my_scenarios/bad.toml": 2}
PLACEHOLDER = re.compile(r"\b[A-Z][A-Z_]{0,15}\b|\[|\.\.\.|<|\|")


NEEDS_ARGUMENT = {
    *("run", "sweep", "results", "sensitivity", "discover", "network"),
    *("explain", "search", "screen", "calibrate"),
}


def fences(text: str) -> list[tuple[int, int, str, str]]:
    """Fenced blocks: (start, end, info string, body), paired line by line."""
    out, start, info, body, pos = [], None, "", [], 0
    for line in text.splitlines(keepends=True):
        if line.startswith("```"):
            if start is None:
                start, info, body = pos, line[3:].strip(), []
            else:
                out.append((start, pos + len(line), info, "".join(body)))
                start = None
        elif start is not None:
            body.append(line)
        pos += len(line)
    return out


def shell_commands(text: str) -> list[str]:
    """``jusim ...`` commands in fenced shell blocks and inline code, in document order."""
    found: list[tuple[int, str]] = []
    blocks = fences(text)
    for start, _, info, body in blocks:
        if info not in ("", "bash", "sh", "console"):
            continue
        pending = ""
        for line in body.splitlines():
            if not pending and info == "" and not line.startswith("$ "):
                continue  # an untyped block shows output: only its "$ " lines are commands
            line = line.removeprefix("$ ")
            if not pending and not line.startswith("jusim "):
                continue
            pending = f"{pending}\n{line}" if pending else line
            try:
                shlex.split(pending, comments=True)
            except ValueError:  # a quote still open: the command goes on
                continue
            found.append((start, pending))
            pending = ""
    for m in re.finditer(r"`(jusim [^`\n]+)`", text):
        if not any(a <= m.start() < b for a, b, _, _ in blocks):
            found.append((m.start(), m.group(1)))
    return [c for _, c in sorted(found)]


def classify(cmd: str) -> str | None:
    """Why a command is not run here; None if it is."""
    args = shlex.split(cmd, comments=True)
    words = " ".join(args)
    head, _, sql = words.partition(" --sql ")
    if PLACEHOLDER.search(head) or "..." in sql:
        return "a synopsis with placeholders"
    if args[1] in NEEDS_ARGUMENT and all(a.startswith("-") for a in args[2:]):
        return "names the command in prose (no arguments)"
    if args[1].endswith(":"):
        return "a line of output, not a command"
    for prefix, why in EXPENSIVE.items():
        if prefix == "jusim compare":  # with no scenario named: every shipped one
            if args[1] == "compare" and all(a.startswith("-") for a in args[2:]):
                return why
        elif words == prefix or words.startswith(prefix):
            return why
    return None


COMMANDS = [(doc, cmd) for doc in DOCS for cmd in shell_commands(doc.read_text(encoding="utf-8"))]


def reduced_sweep(ws: Path, name: str) -> None:
    """``sweeps/NAME`` from the shipped experiment with one replication and at most 16 samples
    (same factors, metrics and horizon, so the docs' queries and thresholds mean the same)."""
    src = ws / "experiments" / f"{name}.toml"
    text = src.read_text(encoding="utf-8")
    text = re.sub(r"^replications = .*$", "replications = 1", text, flags=re.M)
    text = re.sub(r"^samples = .*$", "samples = 16", text, flags=re.M)
    small = ws / f"small-{name}.toml"
    small.write_text(text, encoding="utf-8")
    args = ["sweep", str(small), "--workers", "0", "--out", str(ws / "sweeps" / name)]
    result = CliRunner().invoke(app, args)
    assert result.exit_code == 0, result.output


@pytest.fixture(scope="module")
def workspace(tmp_path_factory):
    ws = tmp_path_factory.mktemp("clone")
    for name in ("scenarios", "experiments"):
        shutil.copytree(ROOT / name, ws / name)
    for doc in DOCS:
        for b in doc_examples.blocks(doc.read_text(encoding="utf-8")):
            if b.kind == "file":
                (ws / b.arg).parent.mkdir(parents=True, exist_ok=True)
                (ws / b.arg).write_text(b.body, encoding="utf-8")
    return ws


def test_the_docs_hold_commands_and_most_invocations_run() -> None:
    """Not a vacuous test: the extraction finds the docs' commands, and the skip list leaves
    most of those that invoke something (not prose names or synopses) to run."""
    assert len(COMMANDS) >= 40
    # distinct commands: the docs name plain `jusim compare` (not run: minutes) many times
    invocations = {c for _, c in COMMANDS if classify(c) in (None, *EXPENSIVE.values())}
    run = {c for c in invocations if classify(c) is None}
    # 19 distinct runnable commands on 2026-12-02 (the sweeps guide's warm-up is now a `python -c`
    # line, not `jusim run`): a floor near that catches an extraction that finds little
    assert len(run) >= 19 and len(run) >= len(invocations) // 2, sorted(invocations)


@pytest.mark.slow
@pytest.mark.parametrize(("doc", "cmd"), COMMANDS, ids=[f"{d.name}:{c[:60]}" for d, c in COMMANDS])
def test_every_command_in_the_docs_runs_as_written(doc, cmd, workspace, monkeypatch) -> None:
    why = classify(cmd)
    if why is not None:
        pytest.skip(why)
    monkeypatch.chdir(workspace)
    args = shlex.split(cmd, comments=True)[1:]
    for name in ("churn_x_secondees", "pooled_x_targets_under_cuts"):
        if f"sweeps/{name}" in cmd and not (workspace / "sweeps" / name).exists():
            reduced_sweep(workspace, name)
    result = CliRunner().invoke(app, args)
    assert result.exit_code == FAILS_ON_PURPOSE.get(cmd, 0), (doc.name, cmd, result.output)
    assert "Traceback" not in result.output


@pytest.mark.parametrize("doc", [d for d in DOCS if doc_examples.blocks(d.read_text())], ids=str)
def test_quick_example_outputs_match_a_run(doc) -> None:
    stale = doc_examples.process(doc, write=False, cheap=True)
    assert not stale, f"run: python scripts/doc_examples.py  (these differ: {stale})"


def test_the_guide_names_every_parameter_group() -> None:
    guide = (ROOT / "docs" / "user-guide.md").read_text(encoding="utf-8")
    section = guide.split("### 5.5", 1)[1].split("### 5.6", 1)[0]
    missing = [g for g in Parameters.model_fields if f"`{g}`" not in section]
    assert not missing, f"docs/user-guide.md section 5.5 does not name {missing}"


def test_jusim_version() -> None:
    import jusim

    result = CliRunner().invoke(app, ["--version"])
    assert result.exit_code == 0 and result.output.strip() == f"jusim {jusim.__version__}"
