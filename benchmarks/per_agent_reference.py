"""Per-agent reference for the staff, tie and churn rules (a benchmark, not a test).

The engine keeps staff as rows of numpy arrays (:class:`jusim.staff.StaffRoster`) and applies the
churn and tie rules with whole-array operations. This module writes the *same* rules the
straightforward way: one ``mesa.Agent`` per member of staff with attributes ``home``, ``post``,
``tenure`` and a dict of ties ``{other_agent: strength}``, and each month a Python loop over the
agents. It serves two purposes:

* a speed reference for ``benchmarks/engine.py`` (how much the vectorised engine gains), and
* a docking check (Axtell, Axelrod, Epstein & Cohen 1996): the two implementations cannot draw the
  same random numbers, so ``--check`` runs both for many seeds from the same starting roster and the
  same fixed contact matrix, and compares the *distributions* of tie density, mean tie strength,
  leavers per month and per-agency-pair tie counts (difference with 95% CI, Mann-Whitney U test).

One month, in the order of ``JoinedUpModel.step`` (phase 2, then the tie part of phase 6):

1. churn: every member's tenure grows by one; each leaves with the monthly hazard of their home
   agency and is replaced in the same post by a newcomer with zero tenure; each of the leaver's
   ties is handed over to the newcomer with the agency's ``handover`` probability, at strength
   ``w * handover_strength``, otherwise dropped;
2. formation, all merged at the end of the month (a tie formed twice keeps the larger strength):
   by contact (a Poisson number of new ties per agency pair with mean
   ``formation * contact[a, b] * min(n_a, n_b)`` between random members of the two agencies), by
   posting (each secondee meets a Poisson(``posting``) number of random people working where they
   are posted) and by referral (each end of each existing tie, with probability
   ``referral * w * openness[home]``, is introduced to one random contact of the other end);
   ties only join members of different home agencies;
3. maintenance: a tie whose ends share a post, or who meet this month (probability
   ``min(1, contact_base + contact_scale * contact[a, b])``) strengthens by ``refresh * (1 - w)``;
   otherwise it decays by the factor ``1 - decay``; ties below ``min_strength`` are forgotten.

Usage::

    python benchmarks/per_agent_reference.py --check            # docking check, 30 seeds x 60 months
    python benchmarks/per_agent_reference.py --check --contact-scale 5 --secondees 30
"""

from __future__ import annotations

import argparse
import math
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass

import mesa
import numpy as np
from scipy import stats

import jusim
from jusim.mechanisms import churn, ties
from jusim.mechanisms.churn import ChurnParams
from jusim.mechanisms.ties import TieParams
from jusim.model import JoinedUpModel
from jusim.scenario import Scenario
from jusim.staff import StaffRoster
from jusim.world import World, build_world, initial_roster


# --------------------------------------------------------------------------------------------
# the shared inputs of both implementations
# --------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class StaffInputs:
    """Everything the staff/tie/churn rules read: per-agency attributes, parameters, contact."""

    world: World
    hazard: np.ndarray  # (A,) monthly leaving probability
    handover: np.ndarray  # (A,) chance each of a leaver's ties is handed over
    openness: np.ndarray  # (A,) openness (scales referral)
    contact: np.ndarray  # (A, A) fixed contact matrix
    tie_params: TieParams
    churn_params: ChurnParams
    scenario: Scenario
    secondees: int = 0  # staff posted to another agency at month 0 (exercises posting rules)


def contact_from_model(scenario: Scenario, months: int = 12, seed: int = 0) -> np.ndarray:
    """The contact matrix of a ``JoinedUpModel`` of ``scenario`` after ``months`` steps."""
    m = JoinedUpModel(scenario, seed)
    try:
        for _ in range(months):
            m.step()
        return m.contact.copy()
    finally:
        m.release()


def make_inputs(
    scenario: Scenario | str = "default_world",
    contact: np.ndarray | None = None,
    contact_scale: float = 1.0,
    secondees: int = 0,
) -> StaffInputs:
    """Inputs for ``scenario``; the contact matrix defaults to a default-world run's month 12.

    ``secondees`` members of staff, chosen at random per seed, start posted to a random other
    agency (the default world has none), so that formation by posting and contact through a
    shared post are exercised too.
    """
    sc = jusim.load_scenario(scenario) if isinstance(scenario, str) else scenario
    world = build_world(sc)
    if contact is None:
        contact = contact_from_model(sc)
    return StaffInputs(
        world=world,
        hazard=np.minimum(1.0, world.churn * sc.context.churn_scale),
        handover=world.handover,
        openness=world.openness,
        contact=np.asarray(contact, dtype=np.float64) * contact_scale,
        tie_params=sc.parameters.ties,
        churn_params=sc.parameters.churn,
        scenario=sc,
        secondees=secondees,
    )


def starting_roster(inputs: StaffInputs, seed: int) -> StaffRoster:
    """The model's own month-0 roster (staff by agency, initial ties, tenure) for ``seed``."""
    roster = initial_roster(inputs.world, inputs.scenario, np.random.default_rng([seed, 1]))
    if inputs.secondees:
        rng = np.random.default_rng([seed, 3])
        who = rng.choice(roster.n_staff, size=inputs.secondees, replace=False)
        shift = rng.integers(1, roster.n_agencies, size=who.size)
        roster.post[who] = (roster.home[who] + shift) % roster.n_agencies
    return roster


# --------------------------------------------------------------------------------------------
# the vectorised engine's phase, exactly as JoinedUpModel.step calls it
# --------------------------------------------------------------------------------------------
def vectorised_month(roster: StaffRoster, inputs: StaffInputs, rng: np.random.Generator) -> int:
    """One month of churn and ties with the engine's functions; returns the number of leavers.

    Mirrors phase (2) and the tie part of phase (6) of ``JoinedUpModel.step``.
    """
    p = inputs.tie_params
    leavers = churn.apply_churn(roster, inputs.hazard, inputs.handover, inputs.churn_params, rng)
    with roster.batch():
        ties.form_by_contact(roster, inputs.contact, p, rng)
        ties.form_by_posting(roster, p, rng)
        ties.form_by_referral(roster, inputs.openness, p, rng)
    ties.maintain(roster, inputs.contact, p, rng)
    return leavers


# --------------------------------------------------------------------------------------------
# the per-agent reference
# --------------------------------------------------------------------------------------------
class StaffMember(mesa.Agent):
    """One member of staff: employer, current post, months in post, and ties to other staff."""

    def __init__(self, model: PerAgentStaffModel, home: int, post: int, tenure: int) -> None:
        super().__init__(model)
        self.index = len(model.members)  # row in the roster; orders each tie's two ends
        self.home = home
        self.post = post
        self.tenure = tenure
        self.ties: dict[StaffMember, float] = {}

    # churn ------------------------------------------------------------------------------------
    def maybe_leave(self) -> None:
        """Leave with the home agency's hazard; the successor inherits handed-over ties."""
        m = self.model
        self.tenure += 1
        if m.random.random() >= m.hazard[self.home]:
            return
        m.leavers += 1
        self.tenure = 0  # the newcomer in this post
        handover = m.handover[self.home]
        cut = m.churn_params.handover_strength
        for other, w in list(self.ties.items()):
            if m.random.random() < handover:
                self.ties[other] = other.ties[self] = w * cut
            else:
                del self.ties[other]
                del other.ties[self]

    # referral ---------------------------------------------------------------------------------
    def refer(self) -> None:
        """Each contact may introduce one of their own contacts (decided on last month's ties)."""
        m = self.model
        p = m.tie_params.referral * m.openness[self.home]
        for other, w in self.ties.items():
            if m.random.random() < p * w:
                z = m.random.choice(list(other.ties))
                if z is not self:
                    m.pending.append((self, z))

    # posting ----------------------------------------------------------------------------------
    def meet_colleagues(self) -> None:
        """A secondee meets a Poisson number of random people working where they are posted."""
        m = self.model
        if self.post == self.home:
            return
        here = m.at_post[self.post]
        for _ in range(int(m.rng.poisson(m.tie_params.posting))):
            m.pending.append((self, m.random.choice(here)))

    # maintenance ------------------------------------------------------------------------------
    def maintain(self) -> None:
        """Refresh or decay each tie once (from its lower-index end); forget very weak ties."""
        m = self.model
        p = m.tie_params
        for other, w in list(self.ties.items()):
            if other.index < self.index:
                continue
            together = self.post == other.post
            meet = min(1.0, p.contact_base + p.contact_scale * m.contact[self.home][other.home])
            if together or m.random.random() < meet:
                w = w + p.refresh * (1.0 - w)
            else:
                w = w * (1.0 - p.decay)
            if w < p.min_strength:
                del self.ties[other]
                del other.ties[self]
            else:
                self.ties[other] = other.ties[self] = w


class PerAgentStaffModel(mesa.Model):
    """The staff/tie/churn rules with one ``mesa.Agent`` per member of staff.

    Starts from a copy of a :class:`StaffRoster` (same homes, posts, tenures and ties) and steps
    month by month with the fixed contact matrix of ``inputs``.
    """

    def __init__(self, roster: StaffRoster, inputs: StaffInputs, seed: int = 0) -> None:
        super().__init__(rng=seed)
        self.hazard = [float(x) for x in inputs.hazard]
        self.handover = [float(x) for x in inputs.handover]
        self.openness = [float(x) for x in inputs.openness]
        self.contact = inputs.contact.tolist()
        self.tie_params = inputs.tie_params
        self.churn_params = inputs.churn_params
        self.n_agencies = roster.n_agencies
        self.members: list[StaffMember] = []
        for h, q, t in zip(roster.home, roster.post, roster.tenure, strict=True):
            self.members.append(StaffMember(self, int(h), int(q), int(t)))
        self.by_home: list[list[StaffMember]] = [[] for _ in range(self.n_agencies)]
        self.at_post: list[list[StaffMember]] = [[] for _ in range(self.n_agencies)]
        for s in self.members:
            self.by_home[s.home].append(s)
            self.at_post[s.post].append(s)
        for i, j, w in zip(roster.tie_i, roster.tie_j, roster.tie_w, strict=True):
            a, b = self.members[int(i)], self.members[int(j)]
            a.ties[b] = b.ties[a] = float(w)
        self.pending: list[tuple[StaffMember, StaffMember]] = []
        self.leavers = 0

    def form_by_contact(self) -> None:
        """A Poisson number of new ties per agency pair, between random members of each."""
        f = self.tie_params.formation
        for a in range(self.n_agencies):
            for b in range(a + 1, self.n_agencies):
                na, nb = len(self.by_home[a]), len(self.by_home[b])
                lam = f * self.contact[a][b] * min(na, nb)
                if lam <= 0:
                    continue
                for _ in range(int(self.rng.poisson(lam))):
                    i = self.random.choice(self.by_home[a])
                    j = self.random.choice(self.by_home[b])
                    self.pending.append((i, j))

    def merge_pending(self) -> None:
        """Add this month's new ties between different agencies; a repeat keeps the stronger."""
        w0 = self.tie_params.initial_strength
        for i, j in self.pending:
            if i is j or i.home == j.home:
                continue
            w = max(i.ties.get(j, 0.0), w0)
            i.ties[j] = j.ties[i] = w
        self.pending = []

    def step(self) -> None:
        self.leavers = 0
        self.agents.do("maybe_leave")
        self.agents.do("refer")  # reads last month's ties: new ones are only pending
        self.form_by_contact()
        self.agents.do("meet_colleagues")
        self.merge_pending()
        self.agents.do("maintain")

    # statistics -------------------------------------------------------------------------------
    def tie_list(self) -> list[tuple[StaffMember, StaffMember, float]]:
        return [(s, o, w) for s in self.members for o, w in s.ties.items() if s.index < o.index]

    def release(self) -> None:
        """Drop Mesa 3.3.1's class-level references so the model can be freed."""
        mesa.Agent._ids.pop(self, None)
        self.remove_all_agents()


# --------------------------------------------------------------------------------------------
# docking check
# --------------------------------------------------------------------------------------------
@dataclass
class RunStats:
    """Per-run statistics used for docking."""

    density_end: float  # cross-agency ties per member of staff at the end (both ends counted)
    density_mean: float  # the same, averaged over months
    strength_end: float  # mean tie strength at the end
    strength_mean: float  # mean tie strength averaged over months
    leavers: float  # leavers per month
    pair_counts: np.ndarray  # (A*(A-1)/2,) ties per agency pair at the end


def _pair_counts(hi: np.ndarray, hj: np.ndarray, n_agencies: int) -> np.ndarray:
    a, b = np.minimum(hi, hj), np.maximum(hi, hj)
    flat = np.bincount(a * n_agencies + b, minlength=n_agencies**2).reshape(n_agencies, -1)
    return flat[np.triu_indices(n_agencies, k=1)]


def _strength(w: np.ndarray) -> float:
    return float(w.mean()) if w.size else 0.0


def run_vectorised(inputs: StaffInputs, seed: int, months: int) -> RunStats:
    roster = starting_roster(inputs, seed)
    rng = np.random.default_rng([seed, 2])
    dens, stren, left = [], [], []
    for _ in range(months):
        left.append(vectorised_month(roster, inputs, rng))
        dens.append(roster.tie_density())
        stren.append(_strength(roster.tie_w))
    pairs = _pair_counts(roster.home[roster.tie_i], roster.home[roster.tie_j], roster.n_agencies)
    return RunStats(dens[-1], float(np.mean(dens)), stren[-1], float(np.mean(stren)),
                    float(np.mean(left)), pairs)  # fmt: skip


def run_per_agent(inputs: StaffInputs, seed: int, months: int) -> RunStats:
    roster = starting_roster(inputs, seed)
    model = PerAgentStaffModel(roster, inputs, seed=seed + 1_000_003)
    n = len(model.members)
    dens, stren, left = [], [], []
    try:
        for _ in range(months):
            model.step()
            tl = model.tie_list()
            left.append(model.leavers)
            dens.append(2.0 * len(tl) / n)
            stren.append(_strength(np.array([w for *_, w in tl])))
        hi = np.array([s.home for s, _, _ in tl], dtype=np.int64)
        hj = np.array([o.home for _, o, _ in tl], dtype=np.int64)
        pairs = _pair_counts(hi, hj, model.n_agencies)
    finally:
        model.release()
    return RunStats(dens[-1], float(np.mean(dens)), stren[-1], float(np.mean(stren)),
                    float(np.mean(left)), pairs)  # fmt: skip


def _diff_ci(x: np.ndarray, y: np.ndarray) -> tuple[float, float, float]:
    """Difference of means y - x with a Welch 95% CI."""
    d = float(y.mean() - x.mean())
    vx, vy = x.var(ddof=1) / x.size, y.var(ddof=1) / y.size
    se = math.sqrt(vx + vy)
    if se == 0:
        return d, d, d
    df = (vx + vy) ** 2 / (vx**2 / (x.size - 1) + vy**2 / (y.size - 1))
    h = float(stats.t.ppf(0.975, df)) * se
    return d, d - h, d + h


def _mwu(x: np.ndarray, y: np.ndarray) -> float:
    if np.all(x == x[0]) and np.all(y == y[0]) and x[0] == y[0]:
        return 1.0
    return float(stats.mannwhitneyu(x, y, alternative="two-sided").pvalue)


def docking_check(
    seeds: int = 30,
    months: int = 60,
    contact_scale: float = 1.0,
    secondees: int = 0,
    progress: Callable[[str], None] | None = None,
) -> tuple[str, bool]:
    """Run both implementations for ``seeds`` seeds and compare distributions.

    Returns a markdown report and whether all aggregate statistics agree (Mann-Whitney p >= 0.01
    after a Bonferroni correction over the aggregate statistics, and at most the expected number
    of agency pairs, plus slack, with p < 0.05).
    """
    inputs = make_inputs(contact_scale=contact_scale, secondees=secondees)
    vec, ref = [], []
    t_vec = t_ref = 0.0
    for s in range(seeds):
        t0 = time.perf_counter()
        vec.append(run_vectorised(inputs, s, months))
        t1 = time.perf_counter()
        ref.append(run_per_agent(inputs, s, months))
        t2 = time.perf_counter()
        t_vec += t1 - t0
        t_ref += t2 - t1
        if progress:
            progress(f"seed {s + 1}/{seeds}")
    names = {
        "density_end": "tie density, month end (ties/staff)",
        "density_mean": "tie density, mean over months",
        "strength_end": "mean tie strength, month end",
        "strength_mean": "mean tie strength, mean over months",
        "leavers": "leavers per month",
    }
    lines = [
        f"Docking check: {seeds} seeds x {months} months, default world "
        f"({inputs.world.staff.sum()} staff), contact matrix of a default-world run at month 12"
        f" x {contact_scale:g}; {secondees} secondees; same month-0 roster per seed for both.",
        "",
        "| statistic | vectorised mean (sd) | per-agent mean (sd) | difference (95% CI) "
        "| Mann-Whitney p |",
        "|---|---|---|---|---|",
    ]
    ok = True
    alpha = 0.01 / len(names)
    for key, label in names.items():
        x = np.array([getattr(r, key) for r in vec])
        y = np.array([getattr(r, key) for r in ref])
        d, lo, hi = _diff_ci(x, y)
        p = _mwu(x, y)
        ok &= p >= alpha
        lines.append(
            f"| {label} | {x.mean():.4g} ({x.std(ddof=1):.2g}) | {y.mean():.4g} "
            f"({y.std(ddof=1):.2g}) | {d:+.3g} ({lo:+.3g}, {hi:+.3g}) | {p:.3f} |"
        )
    px = np.array([r.pair_counts for r in vec], dtype=float)
    py = np.array([r.pair_counts for r in ref], dtype=float)
    active = np.flatnonzero((px.sum(axis=0) + py.sum(axis=0)) > 0)
    pvals = np.array([_mwu(px[:, k], py[:, k]) for k in active])
    n_sig = int((pvals < 0.05).sum())
    # expected false alarms plus 3 sd of a binomial(n, 0.05), rounded up
    allowed = math.ceil(0.05 * active.size + 3 * math.sqrt(active.size * 0.05 * 0.95))
    ok &= n_sig <= allowed and (pvals.min(initial=1.0) >= 0.05 / max(active.size, 1) / 10)
    rel = np.abs(px.mean(0) - py.mean(0))[active] / np.maximum(px.mean(0)[active], 1e-9)
    lines += [
        "",
        f"Per-agency-pair tie counts at the end: {active.size} pairs with ties; "
        f"{n_sig} with Mann-Whitney p < 0.05 (about {0.05 * active.size:.1f} expected by chance; "
        f"smallest p = {pvals.min(initial=1.0):.3f}, Bonferroni threshold "
        f"{0.05 / max(active.size, 1):.4f}); "
        f"median relative difference of pair means {np.median(rel):.1%}.",
        "",
        f"Time: vectorised {t_vec / seeds * 1e3:.1f} ms per run, per-agent "
        f"{t_ref / seeds * 1e3:.1f} ms per run ({t_ref / max(t_vec, 1e-12):.1f}x).",
        "",
        f"Verdict: {'agree within noise' if ok else 'DIFFER'}.",
    ]
    return "\n".join(lines), ok


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    ap.add_argument("--check", action="store_true", help="run the docking check")
    ap.add_argument("--seeds", type=int, default=30)
    ap.add_argument("--months", type=int, default=60)
    ap.add_argument(
        "--contact-scale", type=float, default=1.0, help="multiply the fixed contact matrix"
    )
    ap.add_argument(
        "--secondees", type=int, default=0, help="staff posted to another agency at month 0"
    )
    args = ap.parse_args(argv)
    if not args.check:
        ap.print_help()
        return 0
    report, ok = docking_check(
        args.seeds,
        args.months,
        args.contact_scale,
        args.secondees,
        progress=lambda s: print(s, file=sys.stderr, end="\r"),
    )
    print(report)
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
