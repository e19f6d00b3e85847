"""Keep the dashboard on the machine: everything Solara would fetch or send off it, switched off.

A government workshop may not send anything anywhere. Solara 1.64 reaches off the machine in four
ways, each closed here (and checked by ``tests/browser``, which traces the server's connections):

- usage telemetry to an analytics service and a public-IP look-up at server start
  (``solara.server.telemetry``): off through ``SOLARA_TELEMETRY_MIXPANEL_ENABLE=false``;
- a "call home" iframe in development mode (``solara.checks``): never performed;
- front-end files missing from the local copy (``solara-assets``) are fetched by the server from a
  public CDN: the CDN address is pointed at a closed loopback port, so a missing file fails on the
  machine instead (none is missing: the page's files, ECharts included, are all in solara-assets);
- ``solara.Markdown`` loads mermaid and KaTeX, which solara-assets does not ship: the dashboard
  does not use ``solara.Markdown`` (plain text and HTML only).

``solara run``'s own PyPI version check happens before any app code runs; ``jusim dashboard``
does not go through ``solara run`` (see ``commands.serve``), and ``docs/facilitator-guide.md``
gives the ``--no-check-version`` flag for running ``dashboards/workshop.py`` with ``solara run``.
"""

from __future__ import annotations

import os

# a closed port on loopback: a missing front-end file fails at once, on the machine
CLOSED_LOOPBACK = "http://127.0.0.1:9/"

ENVIRONMENT = {
    "SOLARA_TELEMETRY_MIXPANEL_ENABLE": "false",
    "SOLARA_ASSETS_CDN": CLOSED_LOOPBACK,
    "SOLARA_THEME_SHOW_BANNER": "false",
}


def keep_offline() -> None:
    """Set the environment (for this process and its children) and Solara's loaded settings."""
    os.environ.update(ENVIRONMENT)
    import solara.checks
    import solara.settings
    from solara.server import settings as server_settings

    server_settings.telemetry.mixpanel_enable = False
    solara.settings.assets.cdn = CLOSED_LOOPBACK
    solara.checks.should_perform_solara_check = lambda: False  # type: ignore[attr-defined]
    # not a network matter, but set with the rest: Solara's badge covers the charts' corner
    server_settings.theme.show_banner = False
