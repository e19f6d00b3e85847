"""The staff tie network as data: cheap measures every month, a networkx graph on request.

Every tie in the roster joins staff of two *different* home agencies (``StaffRoster``), so the
network is the cross-agency network that the collaborative-governance literature follows:
boundary-spanning ties that partnerships rest on and that churn erodes (001_04a1019f119c8ec4.txt
¶55, ¶79; secondees as boundary spanners, 001 ¶21, ¶23; 003_741bbb3ed11f1208.txt "Collaboration
and control").

Cheap measures, computed on the roster's arrays every month (one compiled pass over the ties;
``Recorder`` stores them in the system table and the summary):

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
from numba import njit

from jusim.staff import Rosters

if TYPE_CHECKING:
    import networkx as nx

    from jusim.month.state import RunView
    from jusim.scenario import Scenario
    from jusim.staff import StaffRoster

TOP_SHARE = 0.05  # "the top 5% of staff"
MEASURES = ("cross_tie_density", "top5_tie_share", "tie_components")


@njit(cache=True)
def _tie_measures(staff_off, tie_off, tie_i, tie_j, top_k):  # pragma: no cover - compiled
    """(R,) top-k share of tie ends and (R,) components among tied staff of each run, in one pass
    over its ties (run r: staff ``staff_off[r]:staff_off[r + 1]``, ties likewise)."""
    n_runs = staff_off.size - 1
    shares, comps = np.full(n_runs, np.nan), np.zeros(n_runs, np.int64)
    for r in range(n_runs):
        n_staff = staff_off[r + 1] - staff_off[r]
        deg = np.zeros(n_staff, np.int64)
        parent = np.arange(n_staff)
        for e in range(tie_off[r], tie_off[r + 1]):
            a, b = tie_i[e], tie_j[e]
            deg[a] += 1
            deg[b] += 1
            # union-find with path halving
            while parent[a] != a:
                parent[a] = parent[parent[a]]
                a = parent[a]
            while parent[b] != b:
                parent[b] = parent[parent[b]]
                b = parent[b]
            if a != b:
                parent[max(a, b)] = min(a, b)
        ends = 2 * (tie_off[r + 1] - tie_off[r])
        if ends == 0:
            continue
        # sum of the top_k degrees via a histogram of degrees (degrees are small whole numbers)
        max_deg = 0
        roots = 0
        for s in range(n_staff):
            if deg[s] > max_deg:
                max_deg = deg[s]
            if deg[s] > 0 and parent[s] == s:
                roots += 1
        hist = np.zeros(max_deg + 1, np.int64)
        for s in range(n_staff):
            hist[deg[s]] += 1
        left, top = top_k[r], 0
        for d in range(max_deg, 0, -1):
            take = min(left, hist[d])
            top += take * d
            left -= take
            if left == 0:
                break
        shares[r], comps[r] = top / ends, roots
    return shares, comps


def possible_pairs(roster: StaffRoster) -> float:
    """Pairs of staff with different home agencies (the possible ties)."""
    n = roster.n_staff
    return (n * n - float(np.square(roster.headcount()).sum())) / 2.0


def measures(roster: StaffRoster, pairs: float | None = None) -> tuple[float, float, float]:
    """(cross_tie_density, top5_tie_share, tie_components) of the roster now."""
    n = roster.n_staff
    pairs = possible_pairs(roster) if pairs is None else pairs
    density = roster.n_ties / pairs if pairs > 0 else float("nan")
    share, comps = _tie_measures(
        np.array([0, n]),
        np.array([0, roster.n_ties]),
        roster.tie_i,
        roster.tie_j,
        np.array([max(1, math.ceil(TOP_SHARE * n))]),
    )
    return float(density), float(share[0]), float(comps[0])


def measures_runs(rosters: Rosters, pairs: np.ndarray) -> np.ndarray:
    """(R, 3) ``measures`` of R runs' rosters at once (``pairs``: each run's possible pairs)."""
    n = np.diff(rosters.staff_off)
    ties = np.diff(rosters.tie_off)
    with np.errstate(invalid="ignore", divide="ignore"):
        density = np.where(pairs > 0, ties / np.where(pairs > 0, pairs, 1.0), np.nan)
    top_k = np.maximum(1, np.ceil(TOP_SHARE * n)).astype(np.int64)
    share, comps = _tie_measures(
        rosters.staff_off, rosters.tie_off, rosters.tie_i, rosters.tie_j, top_k
    )
    return np.stack([density, share, comps.astype(np.float64)], axis=-1)


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
