"""Interventions, one module each, registered by name (see ``base.py``)."""

from jusim.interventions import (  # noqa: F401  (import registers each intervention)
    accountable_lead,
    capacity_building,
    central_unit,
    community_engagement,
    consensus_to_operate,
    corporate_commitment,
    early_engagement,
    formal_agreement,
    good_practice,
    handover,
    information_sharing,
    joint_training,
    merger,
    narrow_target,
    partnership,
    performance_feedback,
    pooled_budget,
    review,
    reward_grant,
    secondees,
    selective_collaboration,
    service_mix,
    shared_services,
    shared_targets,
    single_point_of_service,
    sponsorship,
    strategic_forum,
    streamlined_reporting,
    succession,
    trust_shock,
)
from jusim.interventions.base import REGISTRY, Intervention, register

__all__ = ["REGISTRY", "Intervention", "register"]
