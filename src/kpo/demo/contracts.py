"""Statements of work in the demo world: two engagements with an approved SOW (the Aalborg programme's
tasks linked to its items), one with a SOW the client has proposed and the provider has yet to answer.
Every instant is laid back from the demo's "now", so the world reads the same whenever it is seeded."""

from __future__ import annotations

from collections import Counter
from datetime import timedelta

from django.contrib.auth.models import User

from kpo.contracts import services
from kpo.demo.organisations import BANK, INDIA, MANUFACTURER, POLAND
from kpo.demo.reference import demo_now
from kpo.work.models import Engagement

AALBORG = (MANUFACTURER, INDIA, "Production efficiency programme — Aalborg gearbox plant")
IFRS9 = (BANK, INDIA, "Kystbanken: IFRS 9 expected-credit-loss model validation")
SENSORS = (MANUFACTURER, POLAND, "Machine-sensor analytics for unplanned downtime")
SIGNERS = {MANUFACTURER: "alice", BANK: "dave", INDIA: "priya", POLAND: "piotr"}

CHANGE_PROCEDURE = (
    "Either side asks for a change in writing on the platform. The change is drafted as a new version, "
    "proposed to the other side and in force once both sides have signed it; until then the approved "
    "version applies."
)
TERMS = {
    AALBORG: {
        "scope": "Find where time and material are lost on the Aalborg gear-cutting and assembly lines and "
        "propose changes the plant can make itself. Capital investments are out of scope.",
        "deliverables": "A loss analysis per line, an improvement plan and a dashboard specification.",
        "items": "D1: OEE loss analysis per line\nD2: Improvement plan with owners and dates\n"
        "D3: Dashboard specification",
        "acceptance_criteria": "The plant manager accepts each deliverable within ten working days, or "
        "names in writing what is missing.",
        "milestones": "Loss analysis after six weeks; improvement plan after twelve weeks.",
        "assumptions": "Line data from the MES is available for the last twelve months.",
        "change_procedure": CHANGE_PROCEDURE,
    },
    IFRS9: {
        "scope": "Independent validation of the expected-credit-loss model for the retail portfolio.",
        "deliverables": "A validation report with findings ranked by severity.",
        "items": "V1: Validation report\nV2: Back-testing workbook",
        "acceptance_criteria": "The model risk committee accepts the report at its next meeting.",
        "milestones": "Draft report in eight weeks.",
        "assumptions": "The bank provides anonymised loan-level data.",
        "change_procedure": CHANGE_PROCEDURE,
    },
    SENSORS: {
        "scope": "Predict unplanned downtime of the CNC machines from their sensor data.",
        "deliverables": "A model, its evaluation and a hand-over workshop.",
        "items": "M1: Downtime model\nM2: Evaluation report\nM3: Hand-over workshop",
        "acceptance_criteria": "The model warns of at least 60 % of stoppages a shift ahead "
        "on held-out data.",
        "milestones": "Evaluation report after ten weeks.",
        "assumptions": "Sensor data is exported daily to the shared folder.",
        "change_procedure": CHANGE_PROCEDURE,
    },
}


def seed_contracts() -> Counter[str]:
    written: Counter[str] = Counter()
    users = {user.username: user for user in User.objects.filter(username__in=SIGNERS.values())}
    for key, approve in ((AALBORG, True), (IFRS9, True), (SENSORS, False)):
        client, provider, title = key
        engagement = Engagement.objects.select_related("client", "provider").get(
            client__slug=client, provider__slug=provider, title=title
        )
        signer_client, signer_provider = users[SIGNERS[client]], users[SIGNERS[provider]]
        version = services.sow_draft(user=signer_client, engagement=engagement, data=TERMS[key])
        services.sow_propose(user=signer_client, version=version, now=demo_now() - timedelta(days=20))
        written["sow_versions"] += 1
        if not approve:
            continue
        for user, days in ((signer_provider, 18), (signer_client, 17)):
            services.sow_approve(
                user=user,
                version=version,
                typed_name=user.get_full_name(),
                content_sha256=version.content_sha256,
                now=demo_now() - timedelta(days=days),
            )
            written["sow_approvals"] += 1
        if key == AALBORG:
            codes = ("D1", "D1", "D2", "D3")
            for task, code in zip(engagement.tasks.order_by("id"), codes, strict=False):
                services.task_link(user=signer_provider, task=task, code=code)
                written["sow_task_links"] += 1
    return written
