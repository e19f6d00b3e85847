"""experiments/paper/make.py: the paper's figures and tables rebuild byte for byte."""

from __future__ import annotations

import hashlib
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


def make(out: Path) -> dict:
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    subprocess.run(
        [
            sys.executable,
            str(ROOT / "experiments/paper/make.py"),
            "--size",
            "small",
            "--out",
            str(out),
        ],
        check=True,
        env=env,
        capture_output=True,
    )
    return json.loads((out / "paper-manifest.json").read_text())


@pytest.mark.slow  # two fresh processes: 34 s of processor time (211 s wall at load ~10)
def test_a_second_run_is_byte_for_byte_identical(tmp_path):
    one, two = make(tmp_path / "one"), make(tmp_path / "two")
    assert one["files"] == two["files"]
    assert {
        "paper.md",
        "paper/calibration_fit.png",
        "paper/calibration_posterior.png",
        "paper/validation.csv",
        "paper/sensitivity.png",
        "paper/explain_rsu.png",
        "paper/packages.csv",
    } <= set(one["files"])
    for name, digest in one["files"].items():  # the manifest hashes what is on disk
        assert hashlib.sha256((tmp_path / "two" / name).read_bytes()).hexdigest() == digest
    assert one["versions"]["pymoo"] and one["size"]["name"] == "small"
    text = (tmp_path / "one" / "paper.md").read_text()
    for section in (
        "## Calibration: fit and posterior",
        "## Validation: stylized facts",
        "## Scenarios against silo",
        "## Sensitivity of the main comparison",
        "## Why the central unit works",
        "## Robust packages",
    ):
        assert section in text
