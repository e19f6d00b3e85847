"""Regenerate the example outputs in README.md and docs/*.md from real runs, so they cannot drift.

A block to regenerate is a fenced code block right after a marker line::

    <!-- output: jusim scenarios -->
    <!-- output(head=14, slow): jusim compare silo pooled_budget --replications 3 -->

and a file the examples need (written before the commands after it run) is a fenced block after::

    <!-- file: my_scenarios/bad.toml -->

Options: ``head=N`` keeps the first N lines of the output and adds ``...``; ``stderr=no`` leaves
out what the command writes on stderr (progress lines); ``slow`` marks an example the tests do not
re-run; ``listing`` (for ``jusim --help``) makes the check accept a listing that shows fewer
commands than the code has (commands added since), but not one that shows a command that is gone.

Each document's examples run in order, in one process, as ``jusim ...`` on a fresh clone would:
in a new temporary folder holding copies of ``scenarios/`` and ``experiments/`` and the marked
files, at 100 columns. The repository's own path is shown as ``~/jusim``.

    python scripts/doc_examples.py            # rewrite every marked block
    python scripts/doc_examples.py --check    # exit 1 if a block differs (``--cheap``: skip slow)

``tests/test_docs_commands.py`` runs the check on the cheap examples.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shlex
import shutil
import subprocess
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
DOCS = [ROOT / "README.md", *sorted((ROOT / "docs").glob("*.md"))]
SHOWN_ROOT = "~/jusim"
WIDTH = 100
MARK = re.compile(
    r"^<!-- (?P<kind>output|file)(?:\((?P<opts>[^)]*)\))?: (?P<arg>.+?) -->\n"
    r"(?P<fence>```[^\n]*\n)(?P<body>.*?)^```$",
    re.M | re.S,
)
ANSI = re.compile(r"\x1b\[[0-9;]*[A-Za-z]")


@dataclass
class Block:
    kind: str
    arg: str
    opts: dict[str, str]
    body: str
    start: int  # offsets of the body in the document
    end: int

    @property
    def slow(self) -> bool:
        return "slow" in self.opts


def blocks(text: str) -> list[Block]:
    out = []
    for m in MARK.finditer(text):
        opts: dict[str, str] = {}
        for part in (m.group("opts") or "").split(","):
            key, _, value = part.strip().partition("=")
            if key:
                opts[key] = value
        out.append(
            Block(
                m.group("kind"),
                m.group("arg"),
                opts,
                m.group("body"),
                m.start("body"),
                m.end("body"),
            )
        )
    return out


def workspace() -> Path:
    """A fresh folder laid out as a clone's: the shipped scenarios and experiments."""
    ws = Path(tempfile.mkdtemp(prefix="jusim-docs-"))
    for name in ("scenarios", "experiments"):
        shutil.copytree(ROOT / name, ws / name)
    return ws


def environment() -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in ("FORCE_COLOR", "TTY_COMPATIBLE")}
    env.update(PYTHONPATH=str(ROOT), COLUMNS=str(WIDTH), LINES="50", NO_COLOR="1", TERM="dumb")
    return env


DRIVER = """
import contextlib, io, json, sys
from jusim.cli import app
results = []
for args in json.load(sys.stdin):
    out, err = io.StringIO(), io.StringIO()
    code = 0
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        try:
            app(args, prog_name="jusim")
        except SystemExit as e:
            code = e.code if isinstance(e.code, int) else 0
    results.append({"stdout": out.getvalue(), "stderr": err.getvalue(), "code": code})
sys.__stdout__.write(json.dumps(results))
"""
"""Runs ``jusim`` commands one after another in one process (named ``jusim`` in messages)."""


def arguments(line: str) -> list[str]:
    args = shlex.split(line, comments=True)
    if not args or args[0] != "jusim":
        raise ValueError(f"not a jusim command: {line}")
    return args[1:]


def run_all(todo: list[Block], ws: Path) -> list[str]:
    """The examples' outputs, run in order in one process in ``ws``."""
    if not todo:
        return []
    done = subprocess.run(
        [sys.executable, "-c", DRIVER],
        input=json.dumps([arguments(b.arg) for b in todo]),
        cwd=ws,
        env=environment(),
        capture_output=True,
        text=True,
        timeout=3600,
    )
    if done.returncode != 0:
        raise RuntimeError(f"the examples could not run: {done.stderr[-2000:]}")
    return [
        shown(b, r["stdout"], r["stderr"], ws)
        for b, r in zip(todo, json.loads(done.stdout), strict=True)
    ]


def shown(block: Block, stdout: str, stderr: str, ws: Path) -> str:
    text = stdout + (stderr if block.opts.get("stderr") != "no" else "")
    text = ANSI.sub("", text).replace(str(ws), ".").replace(str(ROOT), SHOWN_ROOT)
    lines = [ln.rstrip() for ln in text.splitlines()]
    while lines and not lines[0]:
        lines.pop(0)
    while lines and not lines[-1]:
        lines.pop()
    if "head" in block.opts and len(lines) > int(block.opts["head"]):
        lines = [*lines[: int(block.opts["head"])], "..."]
    return "\n".join([f"$ {block.arg}", *lines]) + "\n"


def commands_listed(text: str) -> set[str]:
    """Command names in a ``jusim --help`` listing."""
    box = text.split("Commands", 1)[-1]
    return set(re.findall(r"^│ ([a-z][a-z-]*)\s", box, re.M))


def same(block: Block, new: str) -> bool:
    if "listing" in block.opts:  # commands added since may be missing, none may be stale
        shown, real = commands_listed(block.body), commands_listed(new)
        return bool(shown) and shown <= real
    return block.body == new


def process(doc: Path, write: bool, cheap: bool) -> list[str]:
    """Run a document's examples; rewrite their blocks (``write``); return those that differ."""
    text = doc.read_text(encoding="utf-8")
    found = blocks(text)
    if not found:
        return []
    ws = workspace()
    for b in found:  # the files the examples use, written first
        if b.kind == "file":
            (ws / b.arg).parent.mkdir(parents=True, exist_ok=True)
            (ws / b.arg).write_text(b.body, encoding="utf-8")
    todo = [b for b in found if b.kind == "output" and not (cheap and b.slow)]
    try:
        outputs = dict(zip(map(id, todo), run_all(todo, ws), strict=True))
    finally:
        shutil.rmtree(ws, ignore_errors=True)
    stale: list[str] = []
    new_text, last = [], 0
    for b in found:
        body = outputs.get(id(b), b.body)
        if id(b) in outputs and not same(b, body):
            stale.append(f"{doc.relative_to(ROOT)}: {b.arg}")
        new_text += [text[last : b.start], body]
        last = b.end
    new_text.append(text[last:])
    if write:
        doc.write_text("".join(new_text), encoding="utf-8")
    return stale


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--check", action="store_true", help="only report blocks that differ")
    ap.add_argument("--cheap", action="store_true", help="skip examples marked slow")
    ap.add_argument("docs", nargs="*", type=Path, help="documents (default: README and docs/)")
    a = ap.parse_args()
    stale = []
    for doc in [p.resolve() for p in a.docs] or DOCS:
        stale += process(doc, write=not a.check, cheap=a.cheap)
    for s in stale:
        print(("differs: " if a.check else "updated: ") + s)
    return 1 if a.check and stale else 0


if __name__ == "__main__":
    sys.exit(main())
