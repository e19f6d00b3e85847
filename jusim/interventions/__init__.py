"""Interventions, one module each, registered by name (see ``base.py``)."""

from jusim.interventions import (  # noqa: F401  (import registers each intervention)
    accountable_lead,
    central_unit,
    community_engagement,
    corporate_commitment,
    early_engagement,
    formal_agreement,
    good_practice,
    handover,
    information_sharing,
    joint_training,
    merger,
    partnership,
    pooled_budget,
    review,
    secondees,
    service_mix,
    shared_services,
    shared_targets,
    single_point_of_service,
    sponsorship,
    succession,
    trust_shock,
)
from jusim.interventions.base import REGISTRY, Intervention, register

__all__ = ["REGISTRY", "Intervention", "register"]
