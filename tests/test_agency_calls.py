"""The agency-level mechanisms with fewer numpy calls (session 28) give the bits of the plain
formulas they replace: what depends only on a world's roles is computed once
(``contact.remembered``), and diagonals are written through a strided view (``contact.diagonal``).
Each test states the plain formula and compares bit for bit, alone and over a run axis."""

from __future__ import annotations

import numpy as np
import pytest

from jusim.mechanisms import contact, decision, production
from jusim.mechanisms.decision import DecisionParams


def _roles(rng: np.random.Generator, shape: tuple[int, ...]) -> np.ndarray:
    roles = rng.random(shape) * (rng.random(shape) < 0.6)
    roles[..., 0, :] = 0.0  # an outcome nobody has a role in
    roles[..., 1, :] = 0.0
    roles[..., 1, 2] = 0.7  # an outcome with a single contributor
    return roles


def _plain_target_shares(own, joint_credit, roles, trust, experience, risk_aversion, openness, p):
    involved = roles > 0
    rel_role = roles / np.maximum(roles.max(axis=-1, keepdims=True), 1e-12)
    risk = risk_aversion[..., None, :] * p.scrutiny * (1.0 - experience)
    diag = np.diagonal(trust, axis1=-2, axis2=-1)
    others = roles @ np.swapaxes(trust, -1, -2) - roles * diag[..., None, :]
    total = roles.sum(axis=-1, keepdims=True) - roles
    reliance = np.where(total > 0, others / np.where(total > 0, total, 1.0), 0.0)
    joint = rel_role * joint_credit * reliance * (1.0 - risk)
    best = np.where(involved, joint, 0.0).max(axis=-2)
    relationships = openness * p.relationship_value * best
    *runs, n_agencies = relationships.shape
    values = np.empty((*runs, joint.shape[-2] + 2, n_agencies))
    values[..., 0, :], values[..., 1:-1, :], values[..., -1, :] = own, joint, relationships
    allowed = np.ones(values.shape, bool)
    allowed[..., 1:-1, :], allowed[..., -1, :] = involved, involved.any(axis=-2)
    z = np.where(allowed, values / p.temperature, -np.inf)
    z -= z.max(axis=-2, keepdims=True)
    e = np.exp(z)
    return np.swapaxes(e / e.sum(axis=-2, keepdims=True), -1, -2)


@pytest.mark.parametrize("runs", [(), (1,), (4,)])
def test_target_shares_are_the_plain_formula(runs: tuple[int, ...]) -> None:
    rng = np.random.default_rng(7)
    o, a = 4, 6
    roles = _roles(rng, (*runs, o, a))
    args = (
        rng.random((*runs, a)) * 2,
        rng.random((*runs, o, a)) * 3,
        roles,
        rng.random((*runs, a, a)),
        rng.random((*runs, o, a)),
        rng.random((*runs, a)),
        rng.random((*runs, a)),
        DecisionParams(temperature=0.2),
    )
    got = decision.target_shares(*args)
    want = _plain_target_shares(*args)
    assert got.shape == want.shape and got.tobytes() == want.tobytes()
    trust = args[3]  # (reliance alone too)
    diag = np.diagonal(trust, axis1=-2, axis2=-1)
    others = roles @ np.swapaxes(trust, -1, -2) - roles * diag[..., None, :]
    total = roles.sum(axis=-1, keepdims=True) - roles
    want_rel = np.where(total > 0, others / np.where(total > 0, total, 1.0), 0.0)
    assert decision.reliance(trust, roles).tobytes() == want_rel.tobytes()


@pytest.mark.parametrize("runs", [(), (3,)])
def test_coordination_and_joint_input_are_the_plain_formulas(runs: tuple[int, ...]) -> None:
    rng = np.random.default_rng(3)
    o, a = 4, 5
    roles = _roles(rng, (*runs, o, a))
    trust, understanding = rng.random((*runs, a, a)), rng.random((*runs, a, a))
    quality = np.sqrt(0.5 * (trust + trust.swapaxes(-1, -2)) * understanding)
    d = np.arange(a)
    quality[..., d, d] = 0.0
    pair = roles @ quality @ roles.swapaxes(-1, -2)
    norm = roles.sum(axis=-1) ** 2 - (roles**2).sum(axis=-1)
    q = np.where(norm > 0, pair.diagonal(0, -2, -1) / np.where(norm > 0, norm, 1.0), 0.0)
    want = 0.1 + (1.0 - 0.1) * q
    assert production.coordination(trust, understanding, roles, 0.1).tobytes() == want.tobytes()

    inputs = rng.random((*runs, o, a)) * 100
    with np.errstate(divide="ignore"):  # (an outcome without roles, rho < 0: as alone)
        for rho in (1.0, 0.0, -1.0, 0.5):
            w = roles / np.maximum(roles.sum(axis=-1, keepdims=True), 1e-9)
            involved = w > 0
            x = np.where(involved, inputs / np.where(involved, w, 1.0), 0.0) + 1e-9
            if abs(rho) < 1e-6:
                want = np.exp((np.where(involved, w * np.log(x), 0.0)).sum(axis=-1))
            else:
                want = (np.where(involved, w * x**rho, 0.0)).sum(axis=-1) ** (1.0 / rho)
            assert production.joint_input(inputs, roles, rho).tobytes() == want.tobytes()


@pytest.mark.parametrize(
    "make",
    [
        lambda x: x,  # C-contiguous (..., A, A)
        lambda x: np.asfortranarray(x),  # another layout: einsum's view
        lambda x: x.swapaxes(-1, -2),  # a transposed view
        lambda x: x[0],  # one matrix
        lambda x: x[:, ::2, ::2],  # a strided view
    ],
)
def test_diagonal_is_a_writable_view_of_each_diagonal(make) -> None:
    base = np.arange(3 * 6 * 6, dtype=float).reshape(3, 6, 6)
    x = make(base.copy())
    want = x.copy()
    np.einsum("...ii->...i", want)[...] = -1.0
    contact.diagonal(x)[...] = -1.0
    assert np.array_equal(x, want)
