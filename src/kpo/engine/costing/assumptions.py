"""The editable assumptions of the make-or-buy model, each with its default and justification."""

# ruff: noqa: RUF009 -- _assumption returns a dataclasses.field whose default is an immutable Decimal

from __future__ import annotations

from dataclasses import dataclass, field, fields
from decimal import Decimal

from kpo.engine.costing.errors import CostingInputError
from kpo.engine.costing.money import Money, to_decimal
from kpo.engine.labelled import LabelledEnum, labels_of


class Sourcing(LabelledEnum):
    IN_HOUSE = "in_house", "In-house hire"
    ONSHORE = "onshore", "Onshore third party"
    NEARSHORE = "nearshore", "Nearshore third party"
    OFFSHORE = "offshore", "Offshore third party"
    CAPTIVE = "captive", "Captive subsidiary"


SOURCING_LABELS: dict[Sourcing, str] = labels_of(Sourcing)
EMPLOYED = (Sourcing.IN_HOUSE, Sourcing.CAPTIVE)
THIRD_PARTY = (Sourcing.ONSHORE, Sourcing.NEARSHORE, Sourcing.OFFSHORE)


def _why(text: str, kind: str = "share", sensitive: bool = True) -> dict[str, object]:
    return {"why": text, "kind": kind, "sensitive": sensitive}


def _assumption(default: str, why: str, kind: str = "share", sensitive: bool = True) -> Decimal:
    """A number of the model: its default and why; `kind` is share, months, ratio or money."""
    value: Decimal = field(default=Decimal(default), metadata=_why(why, kind, sensitive))
    return value


@dataclass(frozen=True)
class Assumptions:
    """Every number of the model, editable, with its default and why (``field.metadata["why"]``).

    Shares are fractions (0.10 = 10 %). Defaults are planning values for knowledge work; replace
    them with the client's own figures whenever it has them."""

    paid_absence_share: Decimal = _assumption(
        "0.14", "Paid hours not worked: ~5 weeks' leave, ~8 public holidays and ~5 sick days of 52 weeks."
    )
    idle_share: Decimal = _assumption(
        "0.10", "Employees are paid between tasks and through demand dips; 10 % is a common planning figure."
    )
    manager_cost_ratio: Decimal = _assumption(
        "1.3",
        "Client staff who manage, brief and review cost ~30 % more per hour than the specialist "
        "(OEWS: management analysts' managers vs analysts).",
        "ratio",
    )
    management_share: Decimal = _assumption(
        "0.10", "Line management of an in-house specialist: ~1 manager hour per 10 work hours."
    )
    recruitment_share: Decimal = _assumption(
        "0.20", "Cost per specialist hire (agency fee, adverts, interview time): 15-25 % of a year's pay."
    )
    ramp_up_months: Decimal = _assumption(
        "3", "A new specialist needs about three months to reach full productivity.", "months"
    )
    ramp_up_productivity: Decimal = _assumption(
        "0.5", "Average productivity during ramp-up or transition: half of full output."
    )
    attrition_in_house: Decimal = _assumption(
        "0.10", "Share of in-house specialists who leave each year and must be replaced."
    )
    attrition_captive: Decimal = _assumption(
        "0.20", "Attrition at offshore delivery centres is typically 15-30 % a year."
    )
    exit_months: Decimal = _assumption(
        "3",
        "One-off needs: notice paid when the role ends (Danish Salaried Employees Act: 3 months "
        "after 6 months' to 3 years' service).",
        "months",
    )
    transition_months_onshore: Decimal = _assumption(
        "1", "Knowledge transfer to a provider in the client's country.", "months"
    )
    transition_months_nearshore: Decimal = _assumption(
        "2", "Knowledge transfer across a border, same region.", "months"
    )
    transition_months_offshore: Decimal = _assumption(
        "3", "Knowledge transfer to a distant provider.", "months"
    )
    transition_months_captive: Decimal = _assumption(
        "3", "Knowledge transfer to newly hired staff of the subsidiary.", "months"
    )
    knowledge_transfer_share: Decimal = _assumption(
        "0.20", "Client staff time during transition: ~1 hour per 5 hours of need."
    )
    governance_onshore: Decimal = _assumption(
        "0.04", "Vendor governance (contract, SLA and invoice reviews): 3-10 % of contract value."
    )
    governance_nearshore: Decimal = _assumption(
        "0.06", "Governance rises with distance: cross-border contracts, visits."
    )
    governance_offshore: Decimal = _assumption(
        "0.08", "Offshore governance: audits, travel, stricter oversight."
    )
    governance_captive: Decimal = _assumption(
        "0.06", "Parent-company oversight of a subsidiary: reporting, audits, transfer pricing."
    )
    communication_base: Decimal = _assumption(
        "0.03", "Briefing and clarifying: ~2 minutes per work hour even face to face."
    )
    communication_per_timezone_hour: Decimal = _assumption(
        "0.01", "Each hour of time-zone gap shrinks the shared working day and adds hand-over time."
    )
    communication_per_language_step: Decimal = _assumption(
        "0.03", "Working in a second language (1 step) or through translation (2) adds clarification time."
    )
    communication_cap: Decimal = _assumption(
        "0.15",
        "Communication never takes more than ~9 minutes of client time per work hour: beyond that the work "
        "is being done twice.",
        sensitive=False,
    )
    rework_in_house: Decimal = _assumption(
        "0.05", "Baseline share of hours redone; replace with quality data."
    )
    rework_onshore: Decimal = _assumption(
        "0.05", "Provider in the same market and language; replace with quality data."
    )
    rework_nearshore: Decimal = _assumption(
        "0.07", "Some context lost across borders; replace with quality data."
    )
    rework_offshore: Decimal = _assumption(
        "0.10", "More context lost at a distance; replace with quality data."
    )
    rework_captive: Decimal = _assumption(
        "0.08", "Own staff abroad: better context than a vendor; replace with quality data."
    )
    captive_setup_cost: Money = field(
        default=Money(Decimal("150000"), "EUR"),
        metadata=_why(
            "Legal entity, registration, office fit-out, IT and security, local HR and payroll for a small "
            "subsidiary; zero if one already exists (set it per option).",
            "money",
        ),
    )
    captive_overhead_share: Decimal = _assumption(
        "0.30", "Site management, office, IT and admin of a small captive: 25-40 % on top of labour."
    )
    vendor_markup: Decimal = _assumption(
        "1.6",
        "Without a rate card, a provider's price is its fully loaded cost x 1.6 (bench, sales and "
        "overhead, margin).",
        "ratio",
        sensitive=False,
    )
    min_savings_share: Decimal = _assumption(
        "0.10",
        "Recommend outsourcing only if it saves at least 10 %: smaller savings rarely cover risks "
        "outside the model (IP, dependency, quality).",
        sensitive=False,
    )

    def __post_init__(self) -> None:
        for spec in fields(self):
            value = getattr(self, spec.name)
            name = f"assumptions.{spec.name}"
            if spec.metadata.get("kind") == "money":
                if not isinstance(value, Money):
                    raise CostingInputError(name, "must be an amount with a currency (Money)")
                if value.amount < 0:
                    raise CostingInputError(name, f"must not be negative, got {value}")
                continue
            number = to_decimal(value, name)
            if number < 0:
                raise CostingInputError(name, f"must not be negative, got {number}")
            if spec.name in ("paid_absence_share", "idle_share") and number >= 1:
                raise CostingInputError(name, f"must be below 1, got {number}")
            if spec.name in ("ramp_up_productivity",) and number > 1:
                raise CostingInputError(name, f"must be at most 1, got {number}")
            if not isinstance(value, Decimal):
                object.__setattr__(self, spec.name, number)

    def rework(self, sourcing: Sourcing) -> Decimal:
        return Decimal(getattr(self, f"rework_{sourcing.value}"))

    def transition_months(self, sourcing: Sourcing) -> Decimal:
        return Decimal(getattr(self, f"transition_months_{sourcing.value}"))

    def governance(self, sourcing: Sourcing) -> Decimal:
        return Decimal(getattr(self, f"governance_{sourcing.value}"))


def describe_assumptions(assumptions: Assumptions) -> list[tuple[str, Decimal | Money, str]]:
    """(name, value, justification) for every assumption, in declaration order."""
    return [
        (spec.name, getattr(assumptions, spec.name), str(spec.metadata["why"]))
        for spec in fields(assumptions)
    ]
