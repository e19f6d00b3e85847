"""Is a run axis exact on real model code? The decision rule's target shares for R runs at once.

``run_axis_probe.py`` times a synthetic month; this takes one real mechanism,
``jusim.mechanisms.decision.target_shares`` (role-weighted trust by a matrix product, risk, a logit
with ``exp``), written with a leading run axis (``target_shares_runs`` below, a probe, not used by
the model), and checks it against the model's function run by run:

1. inputs: the arguments of the model's own call in month 12 of R default-world runs (seeds
   0..R-1), each run with its own parameter draw (temperature, scrutiny and relationship value
   uniform within +-20% of the defaults), so the parameters are arrays along the run axis;
2. bits: the batched result for run r must equal ``target_shares`` on run r's inputs exactly;
3. time: CPU time of R calls one at a time against one batched call, R = 1, 10, 100, 1,000.

Usage::

    python benchmarks/run_axis_decision.py
"""

from __future__ import annotations

import os
import sys
import time

import numpy as np

import jusim
from jusim.mechanisms import decision
from jusim.model import JoinedUpModel


def target_shares_runs(
    own_credit: np.ndarray,  # (R, A)
    joint_credit: np.ndarray,  # (R, O, A)
    roles: np.ndarray,  # (O, A), the world's
    trust: np.ndarray,  # (R, A, A)
    experience: np.ndarray,  # (R, O, A)
    risk_aversion: np.ndarray,  # (A,), the world's
    openness: np.ndarray,  # (R, A)
    temperature: np.ndarray,  # (R,)
    scrutiny: np.ndarray,  # (R,)
    relationship_value: np.ndarray,  # (R,)
) -> np.ndarray:
    """(R, A, O + 2): ``decision.target_shares`` with a leading run axis, same order of operations."""
    involved = roles > 0
    rel_role = roles / np.maximum(roles.max(axis=1, keepdims=True), 1e-12)
    risk = risk_aversion[None, None, :] * scrutiny[:, None, None] * (1.0 - experience)
    diag = np.diagonal(trust, axis1=-2, axis2=-1)
    others = roles @ trust.swapaxes(-1, -2) - roles * diag[:, None, :]
    total = roles.sum(axis=1, keepdims=True) - roles
    reliance = np.where(total > 0, others / np.where(total > 0, total, 1.0), 0.0)
    joint = rel_role * joint_credit * reliance * (1.0 - risk)
    best = np.where(involved, joint, 0.0).max(axis=1)
    relationships = openness * relationship_value[:, None] * best
    runs, n_out = own_credit.shape[0], joint.shape[1]
    values = np.empty((runs, own_credit.shape[1], n_out + 2))
    values[:, :, 0], values[:, :, 1:-1], values[:, :, -1] = (
        own_credit,
        joint.swapaxes(1, 2),
        relationships,
    )
    allowed = np.ones(values.shape, bool)
    allowed[:, :, 1:-1], allowed[:, :, -1] = involved.T, involved.any(axis=0)
    z = np.where(allowed, values / temperature[:, None, None], -np.inf)
    z -= z.max(axis=2, keepdims=True)
    e = np.exp(z)
    return e / e.sum(axis=2, keepdims=True)


def inputs(runs: int, month: int = 12) -> list[tuple]:
    """The arguments of the model's own ``target_shares`` call in ``month`` of each run."""
    world = jusim.load_scenario("default_world")
    rng = np.random.default_rng(0)
    got: list[tuple] = []
    original = decision.target_shares

    def capture(*args):
        capture.last = args
        return original(*args)

    decision.target_shares = capture
    try:
        for seed in range(runs):
            model = JoinedUpModel(world, seed)
            try:
                for _ in range(month):
                    model.step()
            finally:
                model.release()
            # the model's call is over its runs (a leading axis of one); the probe takes a run's
            *arrays, _ = (np.array(a[0]) if isinstance(a, np.ndarray) else a for a in capture.last)
            params = model.state.params.decision
            draw = {
                k: getattr(params, k) * rng.uniform(0.8, 1.2)
                for k in ("temperature", "scrutiny", "relationship_value")
            }
            draw["scrutiny"] = min(draw["scrutiny"], 1.0)
            got.append((*arrays, params.model_copy(update=draw)))
    finally:
        decision.target_shares = original
    return got


def main() -> int:
    print(f"load average {os.getloadavg()[0]:.2f}; CPU time\n")
    print(
        "| runs R | R calls one at a time (µs/run) | one call, run axis (µs/run) | ratio | identical |"
    )
    print("|---|---|---|---|---|")
    pool = inputs(100)
    for runs in (1, 10, 100, 1000):
        args = [pool[r % len(pool)] for r in range(runs)]
        t0 = time.process_time()
        for _ in range(5):
            alone = [decision.target_shares(*a) for a in args]
        t1 = time.process_time()
        own, joint, roles, trust, exp_, risk, openness = (
            np.stack([a[k] for a in args]) for k in range(7)
        )
        params = [a[7] for a in args]
        batched_args = (
            own,
            joint,
            roles[0],
            trust,
            exp_,
            risk[0],
            openness,
            *(
                np.array([getattr(p, k) for p in params])
                for k in ("temperature", "scrutiny", "relationship_value")
            ),
        )
        t2 = time.process_time()
        for _ in range(5):
            batch = target_shares_runs(*batched_args)
        t3 = time.process_time()
        same = all(np.array_equal(batch[r], alone[r]) for r in range(runs))
        one, many = (t1 - t0) / 5 / runs * 1e6, (t3 - t2) / 5 / runs * 1e6
        print(f"| {runs} | {one:.1f} | {many:.2f} | {one / many:.0f}x | {same} |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
