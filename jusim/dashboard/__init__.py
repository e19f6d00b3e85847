"""The workshop dashboard: ``jusim dashboard [SCENARIO]`` serves a Solara app.

- ``state``: levers (plain data), building scenarios from them, the two arms (current levers and
  silo behaviour) stepped side by side, replications, save/load and export — no UI code;
- ``levers``: controls generated from the intervention registry;
- ``views``: network and trajectory figures, headline cards, the per-agency table;
- ``app``: the page (per-tab state in Solara reactive variables);
- ``commands``: the ``jusim dashboard`` command.
"""
