"""Writes for service levels: the policy, escalations (`kpo sla-check`) and the dispute flow.

The public names are re-exported here for callers that address them as ``services.<name>``.
"""

from kpo.sla.services.disputes import (
    DISPUTABLE_STATES,
    dispute_add_evidence,
    dispute_agree,
    dispute_open,
    dispute_request_mediation,
    dispute_resolve,
    dispute_respond,
)
from kpo.sla.services.escalations import CheckReport, sla_check
from kpo.sla.services.policy import POLICY_FIELDS, sla_policy_update

__all__ = [
    "DISPUTABLE_STATES",
    "POLICY_FIELDS",
    "CheckReport",
    "dispute_add_evidence",
    "dispute_agree",
    "dispute_open",
    "dispute_request_mediation",
    "dispute_resolve",
    "dispute_respond",
    "sla_check",
    "sla_policy_update",
]
