"""``jusim dashboard [SCENARIO] [--port P] [--host H]``: serve the workshop dashboard.

Serves ``jusim.dashboard.app`` (the page ``dashboards/workshop.py`` also serves) with Solara's
server in this process — production mode, no auto-reload, no browser opened, on 127.0.0.1 unless
``--host`` says otherwise, with Solara's telemetry and every other off-machine call switched off
(``offline.keep_offline``). Because the server runs in this process, SIGTERM or SIGINT (Ctrl+C)
stops it and frees the port: there is no child process to leave behind. Open browser tabs get
``GRACE`` seconds to let go before the server closes them. The scenario is checked first, so a bad
file is an error on the command line rather than on the page, and the listening socket is bound
here before the server starts (:func:`bind`), so a busy port or an unknown ``--host`` is the
project's one-line message (exit 2), not the server library's. Library warnings meant for
developers (Solara's note on cookies over plain http) do not reach the facilitator's terminal.
"""

from __future__ import annotations

import contextlib
import errno
import logging
import os
import signal
import socket
import sys
import warnings
from typing import Annotated

import typer

SCENARIO_ENV = "JUSIM_DASHBOARD_SCENARIO"  # the app reads the starting scenario from here
APP = "jusim.dashboard.app"
GRACE = 2  # seconds open websockets get on shutdown (uvicorn would otherwise wait for them)


class StartError(Exception):
    """The dashboard cannot listen where asked; the message says why and what to do."""


def bind(host: str, port: int) -> socket.socket:
    """The dashboard's listening socket on ``host``:``port`` (0: any free port)."""
    where = f"--host {host} --port {port}"
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM, flags=socket.AI_PASSIVE)
    except (OSError, UnicodeError) as e:
        raise StartError(
            f"--host {host}: not an address or name of this machine "
            f"({getattr(e, 'strerror', None) or e}); use 127.0.0.1 (this machine only) or "
            "0.0.0.0 (every network interface)"
        ) from None
    family, kind, proto, _, address = infos[0]
    sock = socket.socket(family, kind, proto)
    try:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)  # as uvicorn does
        sock.bind(address)
        sock.listen(2048)  # Linux may allow the bind and refuse here when the port is busy
    except OSError as e:
        sock.close()
        if e.errno == errno.EADDRINUSE:
            raise StartError(
                f"--port {port}: already in use on {host} (another dashboard or program); stop "
                f"it, or give another port, e.g. --port {port + 1 if port < 65535 else 8765}"
            ) from None
        if e.errno == errno.EADDRNOTAVAIL:
            raise StartError(
                f"--host {host}: not an address of this machine; use 127.0.0.1 (this machine "
                "only), 0.0.0.0 (every network interface) or one of this machine's addresses"
            ) from None
        if e.errno == errno.EACCES:
            raise StartError(
                f"--port {port}: not allowed for this user (ports below 1024 need administrator "
                "rights); use a port from 1024 to 65535, e.g. --port 8765"
            ) from None
        raise StartError(f"{where}: cannot listen there ({e.strerror or e})") from None
    return sock


def quiet_libraries() -> None:
    """Keep developer-facing warnings of the server libraries off the facilitator's terminal."""
    warnings.filterwarnings("ignore", message="Cookies with samesite=none", category=UserWarning)
    warnings.filterwarnings("ignore", module=r"(solara|uvicorn|starlette|reacton|ipywidgets)\b")
    for name in ("solara", "reacton"):
        logging.getLogger(name).setLevel(logging.ERROR)


def serve(host: str, port: int, scenario: str, sock: socket.socket | None = None) -> None:
    """Run the dashboard server in this process until SIGTERM/SIGINT; returns when it stopped."""
    from jusim.dashboard.offline import keep_offline

    keep_offline()
    quiet_libraries()
    os.environ[SCENARIO_ENV] = scenario
    # what `solara run` sets before Solara's server module loads the app
    os.environ["SOLARA_APP"] = APP
    os.environ["SERVER_NAME"], os.environ["SERVER_PORT"] = host, str(port)
    from solara.server import settings

    settings.main.mode = "production"
    warm_up(scenario)
    import uvicorn

    config = uvicorn.Config(
        "solara.server.starlette:app",
        host=host,
        port=port,
        log_level="warning",
        timeout_graceful_shutdown=GRACE,
    )
    # uvicorn stops on SIGTERM, then raises it again once stopped: with the default action that
    # would end the process before it says it stopped; ignored here, the command returns
    previous = signal.signal(signal.SIGTERM, lambda *_: None)
    try:
        uvicorn.Server(config).run(sockets=[sock] if sock is not None else None)
    finally:
        signal.signal(signal.SIGTERM, previous)


def warm_up(scenario: str) -> None:
    """Load the page's code and run a month of the scenario once, before the server is up, so
    the first page does not pay for imports and compiled-kernel loading."""
    import jusim.dashboard.app  # noqa: F401
    from jusim.dashboard.state import Arms, build_arms, levers_for, load_base

    base = load_base(scenario)
    arms = Arms(*build_arms(base, levers_for(base, scenario)))
    arms.step(1)
    arms.results()
    arms.release()


def register(app: typer.Typer) -> None:
    """Add the ``dashboard`` command to the jusim CLI."""

    @app.command("dashboard")
    def dashboard_cmd(
        scenario: Annotated[
            str, typer.Argument(help="scenario file or shipped name to start from")
        ] = "silo",
        port: Annotated[int, typer.Option(min=0, max=65535, help="port to serve on")] = 8765,
        host: Annotated[
            str,
            typer.Option(help="interface to bind; other than 127.0.0.1 exposes the dashboard"),
        ] = "127.0.0.1",
    ) -> None:
        """Serve the workshop dashboard (Solara) for a scenario, on 127.0.0.1 by default."""
        from jusim.cli import console, fail
        from jusim.dashboard.state import load_base
        from jusim.scenario import ScenarioError

        try:
            load_base(scenario)
        except ScenarioError as e:
            raise fail(str(e)) from None
        try:
            sock = bind(host, port)
        except StartError as e:
            raise fail(str(e)) from None
        port = sock.getsockname()[1]  # --port 0: the free port the system chose
        shown = f"[{host}]" if ":" in host else host
        console.print(f"jusim dashboard: http://{shown}:{port}/  (Ctrl+C to stop)")
        sys.stdout.flush()
        with contextlib.suppress(KeyboardInterrupt):  # uvicorn re-raises SIGINT once stopped
            serve(host, port, scenario, sock)
        console.print("jusim dashboard: stopped")
        sys.stdout.flush()
        # a replication thread still running must not keep a stopped server's process alive
        os._exit(0)
