"""The workshop dashboard as a Solara app: ``solara run dashboards/workshop.py``.

The same page ``jusim dashboard`` serves (``jusim/dashboard/app.py``); this file is a thin entry
point so the app sits in the top-level ``dashboards/`` folder. Importing the app switches off
Solara's telemetry before the server starts it. ``solara run`` itself checks PyPI for a newer
Solara unless given ``--no-check-version``; ``jusim dashboard`` never does.
"""

from jusim.dashboard.app import Layout, Page

__all__ = ["Layout", "Page"]  # Solara serves the module's Page inside its Layout
