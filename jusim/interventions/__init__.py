"""Interventions, one module each, registered by name (see ``base.py``)."""

from jusim.interventions import (  # noqa: F401  (import registers each intervention)
    accountable_lead,
    central_unit,
    corporate_commitment,
    early_engagement,
    formal_agreement,
    merger,
    partnership,
    pooled_budget,
    review,
    secondees,
    service_mix,
    shared_targets,
    sponsorship,
    succession,
    trust_shock,
)
from jusim.interventions.base import REGISTRY, Intervention, register

__all__ = ["REGISTRY", "Intervention", "register"]
