"""Shared understanding between agencies, grown by contact and joint work, eroded by neglect.

Evidence: common language, clear aims and time spent on others' perspectives build shared
understanding (000_babc907a3220f36e.txt "Shared policy objectives"); without agreement on "the
mischief" and the outcomes wanted, success is unlikely (004_405daa82f731071c.txt Ch2 §2);
unclear goals lead partners to pursue incompatible ones (002_5677c7bae92002df.txt ¶23).

``U[a, b] += gain * (c / (c + contact_ref) + S) * (1 - U) - decay * U`` with ``c`` the contact
between the agencies and ``S`` the strength of their staff relationship.

| parameter | unit | default | bounds | meaning |
|---|---|---|---|---|
| initial | 0–1 | 0.2 | 0–1 | understanding at month 0 |
| gain | share / month | 0.04 | 0–1 | growth per unit of drive (drive = contact term + relationship, 0–2) |
| decay | share / month | 0.02 | 0–1 | erosion per month |
| contact_ref | contact | 0.5 | >0 | contact giving half the contact effect |
"""

from __future__ import annotations

import numpy as np
from pydantic import Field

from jusim.mechanisms.contact import diagonal
from jusim.params import Params


class UnderstandingParams(Params):
    initial: float = Field(0.2, ge=0, le=1, description="understanding at month 0 (0–1)")
    gain: float = Field(0.04, ge=0, le=1, description="monthly growth per unit of drive (0–2)")
    decay: float = Field(0.02, ge=0, le=1, description="monthly erosion")
    contact_ref: float = Field(0.5, gt=0, le=100, description="contact giving half the effect")


def update_understanding(
    understanding: np.ndarray,
    contact: np.ndarray,
    relationship: np.ndarray,
    params: UnderstandingParams,
) -> np.ndarray:
    """Next month's symmetric understanding matrix, within [0, 1] (the matrices may carry
    leading run axes)."""
    drive = contact / (contact + params.contact_ref) + relationship
    nxt = understanding + params.gain * drive * (1.0 - understanding) - params.decay * understanding
    diagonal(nxt)[...] = 1.0  # (of every run)
    return nxt.clip(0.0, 1.0)
