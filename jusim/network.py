"""The staff tie network as data: cheap measures every month, a networkx graph on request.

Every tie in the roster joins staff of two *different* home agencies (``StaffRoster``), so the
network is the cross-agency network that the collaborative-governance literature follows:
boundary-spanning ties that partnerships rest on and that churn erodes (001_04a1019f119c8ec4.txt
¶55, ¶79; secondees as boundary spanners, 001 ¶21, ¶23; 003_741bbb3ed11f1208.txt "Collaboration
and control").

Cheap measures, computed on the roster's arrays every month (one pass over the ties of every run
at once, ``series_runs``, with ties per member of staff; ``Recorder`` stores them in the system
table and the summary):

- ``cross_tie_density``: ties over the possible cross-agency pairs of staff (a graph density,
  0–1; ``tie_density`` is the same count per member of staff);
- ``top5_tie_share``: share of all tie ends held by the best-connected 5% of staff (brokerage
  concentrated in a few boundary spanners is fragile when they leave);
- ``tie_components``: connected components among staff who hold at least one tie (fragmentation
  into separate islands of contact; 0 when nobody holds a tie).

Costly measures on request (networkx): :func:`graph` builds the graph of a model at its current
month; :func:`network_at` runs a scenario to a month and returns it; :func:`betweenness_by_role`
averages betweenness centrality over secondees, boundary spanners and other staff.
"""

from __future__ import annotations

import math
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np

from jusim import kernels

if TYPE_CHECKING:
    import networkx as nx

    from jusim.month.state import RunView
    from jusim.scenario import Scenario
    from jusim.staff import StaffRoster

TOP_SHARE = 0.05  # "the top 5% of staff"
MEASURES = ("cross_tie_density", "top5_tie_share", "tie_components")
SERIES = ("tie_density", *MEASURES)  # what the recorder takes from the ties each month


def _tie_measures(
    staff_off: np.ndarray,
    tie_off: np.ndarray,
    tie_i: np.ndarray,
    tie_j: np.ndarray,
    possible: np.ndarray,
) -> np.ndarray:
    """(R, 4) every tie series of each run (run r: staff ``staff_off[r]:staff_off[r + 1]``, ties
    likewise; ``possible`` (R,) its cross-agency pairs of staff), for all runs at once, in the
    order of ``SERIES``: ties per member of staff, ``MEASURES``.

    A run's values do not depend on the other runs: each is one division (as
    ``StaffRoster.tie_density``) or a count (top-k degrees and components are whole numbers, so
    no order of summation enters). ``jusim/compiled.py`` has the same as one loop."""
    n_runs = staff_off.size - 1
    staff, ties = staff_off[1:] - staff_off[:-1], tie_off[1:] - tie_off[:-1]
    out = np.empty((n_runs, len(SERIES)))
    out[:, 0] = 2.0 * ties / np.maximum(staff, 1)
    out[:, 1] = ties / np.where(possible > 0, possible, 1.0)
    out[~(possible > 0), 1] = np.nan
    if n_runs == 1:  # (a run alone: its own numbers are the rows)
        a, b = tie_i, tie_j
    else:
        first = np.repeat(staff_off[:-1], ties)
        a, b = first + tie_i, first + tie_j  # rows of all runs' staff
    deg_all = np.bincount(np.concatenate((a, b)), minlength=int(staff_off[-1]))
    tied = np.flatnonzero(deg_all)  # only staff with a tie count below
    deg = deg_all[tied]
    if n_runs == 1:
        run = np.zeros(tied.size, np.int64)
    else:
        run = np.searchsorted(staff_off, tied, side="right") - 1
    # the sum of the top_k degrees of each run, from a histogram of degrees (small whole numbers)
    top_k = np.maximum(1, np.ceil(TOP_SHARE * staff)).astype(np.int64)
    top_deg = int(deg.max(initial=0))
    hist = np.bincount(run * (top_deg + 1) + deg, minlength=n_runs * (top_deg + 1))
    held = hist.reshape(n_runs, top_deg + 1)[:, :0:-1]  # staff with degree top_deg, ..., 1
    above = np.cumsum(held, axis=1) - held  # staff with a higher degree
    take = np.minimum(np.maximum(top_k[:, None] - above, 0), held)
    ends = 2 * ties
    out[:, 2] = (take @ np.arange(top_deg, 0, -1)) / np.maximum(ends, 1)
    out[ends == 0, 2] = np.nan
    number = np.empty(deg_all.size, np.int64)  # tied staff numbered 0, 1, ...
    number[tied] = np.arange(tied.size)
    root = _roots(tied.size, number[a], number[b])
    out[:, 3] = np.bincount(run[root == np.arange(tied.size)], minlength=n_runs)
    return out


def _roots(n: int, a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """(n,) the lowest-numbered member of each node's connected component, for the undirected
    edges (a, b): every root hooks onto the lowest root it has an edge to, then every node
    points straight to its root, until both ends of every edge share one root."""
    root = np.arange(n)
    while True:
        ra, rb = root[a], root[b]
        apart = ra != rb
        if not apart.any():
            return root
        ra, rb = ra[apart], rb[apart]
        np.minimum.at(root, np.maximum(ra, rb), np.minimum(ra, rb))
        while True:
            up = root[root]
            if (up == root).all():
                break
            root = up


def possible_pairs(roster: StaffRoster) -> float:
    """Pairs of staff with different home agencies (the possible ties)."""
    n = roster.n_staff
    return (n * n - float(np.square(roster.headcount()).sum())) / 2.0


def measures(roster: StaffRoster, pairs: float | None = None) -> tuple[float, float, float]:
    """(cross_tie_density, top5_tie_share, tie_components) of the roster now."""
    return tuple(series(roster, pairs)[1:].tolist())  # type: ignore[return-value]


def series(roster: StaffRoster, pairs: float | None = None) -> np.ndarray:
    """(4,) the roster's tie series now, in the order of ``SERIES`` (``pairs``: its possible
    pairs, if known)."""
    pairs = possible_pairs(roster) if pairs is None else pairs
    return series_runs(
        np.array([0, roster.n_staff]),
        np.array([0, roster.n_ties]),
        roster.tie_i,
        roster.tie_j,
        np.array([pairs], dtype=np.float64),
    )[0]


def series_runs(
    staff_off: np.ndarray,
    tie_off: np.ndarray,
    tie_i: np.ndarray,
    tie_j: np.ndarray,
    possible: np.ndarray,
) -> np.ndarray:
    """(R, 4) ``series`` of R runs at once, from their staff and ties end to end (run r: staff
    ``staff_off[r]:staff_off[r + 1]``, ties likewise, as in ``staff.Rosters``; ``possible`` (R,)
    each run's possible pairs): one pass over all runs' ties."""
    return kernels.pick("tie_measures", _tie_measures)(staff_off, tie_off, tie_i, tie_j, possible)


# ---- the graph --------------------------------------------------------------------------------
def graph(model: RunView) -> nx.Graph:
    """The staff network of ``model`` at its current month.

    Nodes are staff (0..N-1), with ``agency`` (home agency), ``kind`` (its kind, e.g.
    ``health_body``), ``post`` (agency where they work now), ``secondee`` (posted away from home),
    ``tenure`` (months in post), ``degree`` and ``role``: ``secondee``, ``boundary_spanner``
    (ties into two or more other agencies) or ``staff``. Edges carry ``weight`` (tie strength).
    Graph attributes: scenario, month, seed.
    """
    import networkx as nx

    r, w = model.roster, model.world
    names, kinds = list(w.agency_names), list(w.kinds)
    g = nx.Graph(scenario=model.scenario.name, month=int(model.month), seed=str(model.seed))
    deg = np.bincount(r.tie_i, minlength=r.n_staff) + np.bincount(r.tie_j, minlength=r.n_staff)
    reach = spans(r)
    posted = r.post != r.home
    for s in range(r.n_staff):
        role = "secondee" if posted[s] else ("boundary_spanner" if reach[s] >= 2 else "staff")
        g.add_node(
            int(s),
            agency=names[r.home[s]],
            kind=kinds[r.home[s]],
            post=names[r.post[s]],
            secondee=bool(posted[s]),
            tenure=int(r.tenure[s]),
            degree=int(deg[s]),
            role=role,
        )
    g.add_weighted_edges_from(
        zip(r.tie_i.tolist(), r.tie_j.tolist(), r.tie_w.tolist(), strict=True)
    )
    return g


def spans(roster: StaffRoster) -> np.ndarray:
    """Per member of staff, the number of other agencies their ties reach."""
    a = roster.n_agencies
    ends = np.concatenate([roster.tie_i, roster.tie_j])
    other = np.concatenate([roster.home[roster.tie_j], roster.home[roster.tie_i]])
    keys = np.unique(ends * a + other)
    return np.bincount(keys // a, minlength=roster.n_staff)


def network_at(
    scenario: Scenario | str | Path, month: int, seed: int | np.random.SeedSequence = 0
) -> nx.Graph:
    """Run ``scenario`` to ``month`` (0 = the initial state) and return its staff network."""
    return networks_at(scenario, [month], seed)[month]


def networks_at(
    scenario: Scenario | str | Path, months: list[int], seed: int | np.random.SeedSequence = 0
) -> dict[int, nx.Graph]:
    """One run of ``scenario``; the staff network at each of ``months``."""
    import jusim
    from jusim.model import JoinedUpModel
    from jusim.scenario import ScenarioError

    sc = jusim.as_scenario(scenario)
    bad = [m for m in months if not 0 <= m <= sc.horizon]
    if bad:
        raise ScenarioError(
            [(sc.source, "--month", bad[0], f"a month from 0 to the horizon ({sc.horizon})")]
        )
    model = JoinedUpModel(sc, seed=seed)
    out: dict[int, Any] = {}
    try:
        for m in sorted(set(months)):
            while model.month < m:
                model.step()
            out[m] = graph(model)
    finally:
        model.release()
    return out


def graph_measures(g: nx.Graph) -> dict[str, float]:
    """The cheap measures, recomputed from a graph with networkx (to check the arrays, or for
    a GraphML file read back)."""
    import networkx as nx

    n = g.number_of_nodes()
    counts: dict[str, int] = {}
    for _, a in g.nodes(data="agency"):
        counts[a] = counts.get(a, 0) + 1
    pairs = (n * n - sum(c * c for c in counts.values())) / 2
    degrees = sorted((d for _, d in g.degree()), reverse=True)
    ends = sum(degrees)
    k = max(1, math.ceil(TOP_SHARE * n))
    tied = g.subgraph([v for v, d in g.degree() if d > 0])
    return {
        "cross_tie_density": g.number_of_edges() / pairs if pairs else float("nan"),
        "top5_tie_share": sum(degrees[:k]) / ends if ends else float("nan"),
        "tie_components": float(nx.number_connected_components(tied)),
    }


def betweenness_by_role(g: nx.Graph, k: int | None = None, seed: int = 0) -> dict[str, float]:
    """Mean betweenness centrality (normalised, unweighted) of secondees, boundary spanners and
    other staff, and the share of all betweenness they hold. ``k`` samples that many source
    nodes (networkx's approximation) for large networks; exact when None."""
    import networkx as nx

    bc = nx.betweenness_centrality(g, k=k, seed=seed if k else None)
    total = sum(bc.values())
    out: dict[str, float] = {}
    for role in ("secondee", "boundary_spanner", "staff"):
        vals = [bc[v] for v, r in g.nodes(data="role") if r == role]
        out[f"betweenness_{role}"] = float(np.mean(vals)) if vals else float("nan")
        out[f"betweenness_share_{role}"] = sum(vals) / total if total > 0 else float("nan")
        out[f"n_{role}"] = float(len(vals))
    return out


def write_graphml(g: nx.Graph, path: str | Path) -> Path:
    """Write ``g`` as GraphML (Gephi, Cytoscape, networkx, igraph read it)."""
    import networkx as nx

    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    nx.write_graphml(g, path)
    return path
