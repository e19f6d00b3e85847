"""The workshop dashboard: ``jusim dashboard [SCENARIO]`` (or ``solara run dashboards/workshop.py``).

- ``state``: levers (plain data), building scenarios from them, the two arms (current levers and
  silo behaviour) stepped side by side, replications, compare A vs B, save/load and export — no
  UI code;
- ``levers``: controls generated from the intervention registry;
- ``charts``: chart specifications drawn in the browser by ECharts;
- ``views``: matplotlib figures for the PNG export;
- ``widgets``: the play clock (live play paced on drawn frames) and the file picker;
- ``evidence``: sources named by report title, author and year;
- ``offline``: nothing leaves the machine (Solara's telemetry and CDN fallback off);
- ``app``: the page (per-tab state in Solara reactive variables);
- ``commands``: the ``jusim dashboard`` command (serves in-process; SIGTERM stops it cleanly).
"""
