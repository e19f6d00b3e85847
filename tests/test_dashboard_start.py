"""The dashboard's start and stop as a facilitator sees them (issue 23, item 6): a busy port or a
bad ``--host`` is one line and exit 2 before anything starts; SIGTERM ends with the stopped line;
no library warning (Solara's note on cookies over plain http) reaches the terminal."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest
import typer
from typer.testing import CliRunner

from jusim.dashboard import commands

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture
def cli(monkeypatch):
    calls: list = []
    monkeypatch.setattr(commands, "serve", lambda *a, **k: calls.append(a))
    monkeypatch.setattr(commands.os, "_exit", lambda code: calls.append(("exit", code)))
    app = typer.Typer()
    commands.register(app)
    app.command("noop")(lambda: None)  # keep typer in multi-command mode
    return app, calls


def one_line_error(result, *words: str) -> None:
    assert result.exit_code == 2, result.output
    assert isinstance(result.exception, SystemExit)
    assert "Traceback" not in result.output
    text = " ".join(result.output.split())
    assert text.startswith("error: "), result.output
    for w in words:
        assert w in text, (w, result.output)


def test_busy_port_is_one_line_and_exit_2(cli) -> None:
    app, calls = cli
    with socket.socket() as other:  # another program listening on the port
        other.bind(("127.0.0.1", 0))
        other.listen()
        port = other.getsockname()[1]
        result = CliRunner().invoke(app, ["dashboard", "--port", str(port)])
    one_line_error(result, f"--port {port}", "already in use", f"--port {port + 1}")
    assert calls == []  # refused before the server starts


@pytest.mark.parametrize(
    ("host", "words"),
    [
        ("no-such-host.invalid", ["--host no-such-host.invalid", "not an address"]),
        ("10.254.254.254", ["--host 10.254.254.254", "not an address of this machine"]),
        ("999.1.1.1", ["--host 999.1.1.1", "not an address"]),
    ],
)
def test_bad_host_is_one_line_and_exit_2(cli, host, words) -> None:
    app, calls = cli
    one_line_error(CliRunner().invoke(app, ["dashboard", "--host", host, "--port", "0"]), *words)
    assert calls == []


@pytest.mark.slow  # about 15 s: a real server starts, serves a page and stops
def test_sigterm_prints_the_stopped_line_and_no_library_warning(tmp_path) -> None:
    """A real server: serve a page (the request that made Solara warn about cookies), SIGTERM."""
    env = {k: v for k, v in os.environ.items() if k != "PYTHONWARNINGS"}  # a plain terminal
    env["PYTHONPATH"] = str(ROOT)
    out, err = tmp_path / "out.txt", tmp_path / "err.txt"
    with out.open("w") as o, err.open("w") as e:
        proc = subprocess.Popen(
            [sys.executable, "-m", "jusim.cli", "dashboard", "--port", "0"],
            stdout=o,
            stderr=e,
            env=env,
        )
    try:
        deadline = time.monotonic() + 90
        url = None
        while url is None and time.monotonic() < deadline and proc.poll() is None:
            words = out.read_text().split()
            url = next((w for w in words if w.startswith("http://")), None)
            time.sleep(0.2)
        assert url, (out.read_text(), err.read_text())
        page = None
        while page is None and time.monotonic() < deadline and proc.poll() is None:
            try:
                with urllib.request.urlopen(url, timeout=5) as r:
                    page = r.read()
            except OSError:
                time.sleep(0.3)
        assert page and b"<html" in page.lower()
        proc.send_signal(signal.SIGTERM)
        assert proc.wait(timeout=30) == 0
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
    assert out.read_text().rstrip().endswith("jusim dashboard: stopped"), out.read_text()
    assert err.read_text().strip() == "", err.read_text()
