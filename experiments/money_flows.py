"""Money that flows (issue 21, item 5): do shifted costs and shared-platform savings reach the
money agencies decide about, and what do they change in others' services and joint work?

Two paired comparisons on the default world (same seeds, common random numbers), months 13-36:

- **cost shift**: the education department and the NHS trust judged on narrow measures
  (``narrow_target``, lift 0.1) push cases onto youth offending and rough sleeping and bill the
  local authority; the bill as a share of the authority's discretionary money, and the change in
  the authority's core (own) work, joint work and free money against the world without them.
- **shared services**: the shipped ``shared_services`` scenario against the default world: the
  members' free money and joint work, all agencies' joint work, cases resolved and need.

Run it on any checkout (``PYTHONPATH=<checkout> python experiments/money_flows.py``) to compare
formulations: it reads only the month's flows through ``jusim.month.runs.Runs``.
"""

from __future__ import annotations

import argparse

import numpy as np

import jusim
from jusim import month
from jusim.model import JoinedUpModel
from jusim.month.runs import Runs

NARROW = [
    {"type": "narrow_target", "agency": "education_department", "lift": 0.1},
    {"type": "narrow_target", "agency": "nhs_trust", "lift": 0.1},
]
FIELDS = ("disc", "free", "core", "own_in")


def monthly(scenario: jusim.Scenario, seed: int, months: int) -> dict[str, np.ndarray]:
    """Each month's flows of one run: (months, A) money by agency, (months, O) cases."""
    model = JoinedUpModel(scenario, seed)
    out: dict[str, list] = {
        k: [] for k in (*FIELDS, "joint", "shifted", "budget", "resolved", "need")
    }
    for _ in range(months):
        runs = Runs.of(model.state)
        month.step(runs)
        for k in FIELDS:
            out[k].append(runs.stack_flow(k)[0].copy())
        out["joint"].append(runs.stack_flow("joint")[0].sum(axis=0))
        out["shifted"].append(model.state.shifted_cost.copy())
        out["budget"].append(model.state.budget.copy())
        out["resolved"].append(runs.stack_flow("resolved")[0].copy())
        out["need"].append(model.state.need.copy())
    result = {k: np.array(v) for k, v in out.items()}
    result["attainment"] = model.result().attainment  # (months + 1, O) against target
    return result


def window(x: np.ndarray, first: int = 12) -> np.ndarray:
    return x[first:].sum(axis=0)


def pct(arm: float, base: float) -> float:
    return 100.0 * (arm / base - 1.0) if base else float("nan")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--seeds", type=int, default=5)
    ap.add_argument("--months", type=int, default=36)
    a = ap.parse_args()
    world = jusim.load_scenario("default_world").with_overrides({"horizon": a.months})
    shared = jusim.load_scenario("shared_services").with_overrides({"horizon": a.months})
    shifting = world.with_interventions(NARROW)
    ix = world.to_dict()
    names = [ag["name"] for ag in ix["agencies"]]
    la = names.index("local_authority")
    members = [names.index(n) for n in ("home_office", "health_department", "education_department")]
    rows: dict[str, list[float]] = {}

    def add(key: str, value: float) -> None:
        rows.setdefault(key, []).append(value)

    for seed in range(a.seeds):
        base = monthly(world, seed, a.months)
        arm = monthly(shifting, seed, a.months)
        b, r = ({k: window(v) for k, v in x.items() if k != "attainment"} for x in (base, arm))
        add("cost shift: bill / LA discretionary money (%)", 100 * r["shifted"][la] / r["disc"][la])
        add("cost shift: bill / LA whole budget (%)", 100 * r["shifted"][la] / r["budget"][la])
        add("cost shift: LA free money (% change)", pct(r["free"][la], b["free"][la]))
        add("cost shift: LA core+own work (% change)", pct(r["own_in"][la], b["own_in"][la]))
        add("cost shift: LA joint work (% change)", pct(r["joint"][la], b["joint"][la]))
        ss = monthly(shared, seed, a.months)
        s = {k: window(v) for k, v in ss.items() if k != "attainment"}
        add(
            "shared: members' free money (% change)",
            pct(s["free"][members].sum(), b["free"][members].sum()),
        )
        add(
            "shared: members' joint work (% change)",
            pct(s["joint"][members].sum(), b["joint"][members].sum()),
        )
        add("shared: all joint work (% change)", pct(s["joint"].sum(), b["joint"].sum()))
        add("shared: cases resolved (% change)", pct(s["resolved"].sum(), b["resolved"].sum()))
        add(
            "shared: mean attainment at the end (points)",
            100 * (ss["attainment"][-1].mean() - base["attainment"][-1].mean()),
        )
        add("shared: need at the end (% change)", pct(ss["need"][-1].sum(), base["need"][-1].sum()))
    print(f"{a.seeds} seeds, months 13-{a.months}, paired with the default world (mean [min, max])")
    for key, v in rows.items():
        print(f"  {key:48s} {np.mean(v):9.4f}  [{np.min(v):.4f}, {np.max(v):.4f}]")


if __name__ == "__main__":
    main()
