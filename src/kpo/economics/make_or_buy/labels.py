"""Translatable names and explanations of the make-or-buy model's inputs, for the page and the chart.

The engine (``kpo.engine.costing``) speaks English and names inputs by their keys
(``assumptions.idle_share``, ``options[1].hourly_cost``); these are the words a client reads.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import TYPE_CHECKING, Any

from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from kpo.core.messages import register_terms
from kpo.core.validators import country_name
from kpo.engine.costing import Sourcing

if TYPE_CHECKING:
    from django_stubs_ext import StrPromise  # dev-only stubs: lazy translated strings

SOURCING_NAMES: dict[str, StrPromise] = {
    Sourcing.IN_HOUSE.value: _("In-house hire"),
    Sourcing.ONSHORE.value: _("Onshore third party"),
    Sourcing.NEARSHORE.value: _("Nearshore third party"),
    Sourcing.OFFSHORE.value: _("Offshore third party"),
    Sourcing.CAPTIVE.value: _("Captive subsidiary"),
}

# name: (label, why) — the why is the default's justification, shown as the field's help.
ASSUMPTIONS: dict[str, tuple[StrPromise, StrPromise]] = {
    "paid_absence_share": (
        _("Paid absence"),
        _("Paid hours not worked: about 5 weeks' leave, 8 public holidays and 5 sick days a year."),
    ),
    "idle_share": (
        _("Idle time"),
        _("Employees are paid between tasks and through demand dips; 10 % is a common planning figure."),
    ),
    "manager_cost_ratio": (
        _("Client staff cost against the specialist's"),
        _("People who manage, brief and review cost about 30 % more per hour than the specialist."),
    ),
    "management_share": (
        _("Management time"),
        _("Line management of an in-house specialist: about 1 manager hour per 10 work hours."),
    ),
    "recruitment_share": (
        _("Recruitment cost"),
        _("Cost of a hire (agency fee, adverts, interviews) as a share of a year's pay: 15-25 %."),
    ),
    "ramp_up_months": (
        _("Training and ramp-up"),
        _("A new specialist needs about three months to reach full productivity."),
    ),
    "ramp_up_productivity": (
        _("Productivity in ramp-up or transition"),
        _("Average output during ramp-up or a transition: half of full output."),
    ),
    "attrition_in_house": (
        _("Staff turnover, in-house"),
        _("Share of in-house specialists who leave each year and must be replaced."),
    ),
    "attrition_captive": (
        _("Staff turnover, captive"),
        _("Attrition at offshore delivery centres is typically 15-30 % a year."),
    ),
    "exit_months": (
        _("Notice paid at the end"),
        _(
            "One-off needs only: notice paid when the role ends "
            "(3 months under the Danish Salaried Employees Act)."
        ),
    ),
    "transition_months_onshore": (
        _("Transition, onshore"),
        _("Knowledge transfer to a provider in the client's country."),
    ),
    "transition_months_nearshore": (
        _("Transition, nearshore"),
        _("Knowledge transfer across a border, in the same region."),
    ),
    "transition_months_offshore": (
        _("Transition, offshore"),
        _("Knowledge transfer to a distant provider."),
    ),
    "transition_months_captive": (
        _("Transition, captive"),
        _("Knowledge transfer to newly hired staff of the subsidiary."),
    ),
    "knowledge_transfer_share": (
        _("Client time during transition"),
        _("Client staff time while handing over: about 1 hour per 5 hours of need."),
    ),
    "governance_onshore": (
        _("Governance, onshore"),
        _("Vendor management (contract, SLA and invoice reviews): 3-10 % of contract value."),
    ),
    "governance_nearshore": (
        _("Governance, nearshore"),
        _("Governance rises with distance: cross-border contracts, visits."),
    ),
    "governance_offshore": (
        _("Governance, offshore"),
        _("Offshore governance: audits, travel, stricter oversight."),
    ),
    "governance_captive": (
        _("Governance, captive"),
        _("Parent-company oversight of a subsidiary: reporting, audits, transfer pricing."),
    ),
    "communication_base": (
        _("Communication overhead"),
        _("Briefing and clarifying: about 2 minutes per work hour even face to face."),
    ),
    "communication_per_timezone_hour": (
        _("Communication per hour of time-zone gap"),
        _("Each hour of time-zone gap shrinks the shared working day and adds hand-over time."),
    ),
    "communication_per_language_step": (
        _("Communication per language step"),
        _("Working in a second language (1 step) or through translation (2) adds clarification time."),
    ),
    "communication_cap": (
        _("Communication at most"),
        _("Client time spent communicating never exceeds this share of the work hours."),
    ),
    "rework_in_house": (_("Rework, in-house"), _("Share of hours redone; replace with quality data.")),
    "rework_onshore": (
        _("Rework, onshore"),
        _("A provider in the same market and language; replace with quality data."),
    ),
    "rework_nearshore": (
        _("Rework, nearshore"),
        _("Some context is lost across borders; replace with quality data."),
    ),
    "rework_offshore": (
        _("Rework, offshore"),
        _("More context is lost at a distance; replace with quality data."),
    ),
    "rework_captive": (
        _("Rework, captive"),
        _("Own staff abroad: better context than a vendor; replace with quality data."),
    ),
    "captive_setup_cost": (
        _("Captive set-up cost"),
        _("Legal entity, office fit-out, IT and security, local HR and payroll; zero if one exists already."),
    ),
    "captive_overhead_share": (
        _("Captive running cost"),
        _("Site management, office, IT and administration of a small captive: 25-40 % on top of labour."),
    ),
    "vendor_markup": (
        _("Provider markup"),
        _(
            "Without a rate card, a provider's price is its fully loaded cost times 1.6 "
            "(bench, sales, margin)."
        ),
    ),
    "min_savings_share": (
        _("Savings needed to outsource"),
        _(
            "Recommend outsourcing only if it saves at least this much: smaller savings rarely cover IP, "
            "dependency and quality risks."
        ),
    ),
}

UNITS: dict[str, str | StrPromise] = {"share": "%", "ratio": "\u00d7", "months": _("months")}

OVERRIDES: dict[str, tuple[StrPromise, StrPromise]] = {
    "monthly_salary": (
        _("Gross monthly salary"),
        _("Your own salary figure for the role; employer on-costs are added."),
    ),
    "on_cost_multiplier": (
        _("Employer on-cost multiplier"),
        _(
            "Employer cost per unit of gross pay (pension, social charges); "
            "blank: the country table's figure."
        ),
    ),
    "rate_card": (
        _("Rate card, per hour"),
        _("The provider's quoted price per billed hour; blank: the reference estimate times the markup."),
    ),
}

SOURCES: dict[str, tuple[StrPromise, StrPromise]] = {
    "oews": (
        _("US Bureau of Labor Statistics, Occupational Employment and Wage Statistics (OEWS), May 2025"),
        _(
            "National cross-industry mean hourly wage of the occupation: "
            "the wage structure the model starts from."
        ),
    ),
    "mapping": (
        _("kpo mapping of KPO domains and ESCO occupations to SOC codes"),
        _("Which US occupations, with which weights, stand for the need."),
    ),
    "ilo": (
        _("ILOSTAT, average monthly earnings of employees in 2021 PPP $ (EAR_4MTH_SEX_GEO_CUR_NB_A)"),
        _("Each country's earnings level against the United States, in its latest year."),
    ),
    "ppp": (
        _("World Bank International Comparison Program, PPP conversion factor, GDP (PA.NUS.PPP)"),
        _("Turns purchasing power into local currency."),
    ),
    "ecb": (
        _("European Central Bank euro foreign exchange reference rates"),
        _("Converts local currency to the scenario's currency at a dated rate."),
    ),
    "country": (
        _("kpo country table (indicative)"),
        _("Normal weekly hours and employer on-cost multipliers."),
    ),
}


COMPONENTS: dict[str, StrPromise] = {
    "labour": _("labour"),
    "rework": _("rework"),
    "recruitment": _("recruitment"),
    "ramp_up": _("ramp-up"),
    "management": _("management time"),
    "transition": _("transition"),
    "governance": _("governance"),
    "communication": _("communication"),
    "setup": _("set-up"),
    "site_overhead": _("site overhead"),
    "exit": _("exit (notice)"),
}

INPUTS: dict[str, StrPromise] = {
    "hours_per_year": _("Hours needed per year"),
    "client_hourly_cost": _("Client staff hourly cost"),
}


def _label(table: Mapping[str, object]) -> Callable[[str], str | None]:
    def label(key: str) -> str | None:
        found = table.get(key)
        if isinstance(found, tuple):
            found = found[0]
        return None if found is None else str(found)

    return label


ESTIMATE_BASES: dict[str, StrPromise] = {
    "reference wage model": _("reference wage model"),
    "client salary figure": _("the client's salary figure"),
    "hourly cost override": _("a given hourly cost"),
}
# Sources of an estimate's inputs that are not a shipped dataset, as the engine words them.
OTHER_SOURCES: dict[str, StrPromise] = {
    "kpo reference wage model": _("kpo reference wage model"),
    "client data": _("the client's own figure"),
    "default (no figure for this country)": _("default (no figure for this country)"),
    "default 40-hour week (kpo country table, hand-compiled and indicative lists exceptions)": _(
        "default 40-hour week (the kpo country table lists exceptions)"
    ),
}


def source_name(key: str, source: str) -> str:
    """Where an estimate's input came from, in the active language: the dataset's title (with the ILO
    survey it used), or one of the engine's other sources; anything else as it was stored."""
    if key in SOURCES:
        title = str(SOURCES[key][0])
        _before, found, survey = source.partition("; survey ")
        return (
            gettext("%(source)s; survey %(survey)s") % {"source": title, "survey": survey} if found else title
        )
    return str(OTHER_SOURCES.get(source.strip(), source))


def register() -> None:
    """Name the engine's terms (kinds of option, assumptions, cost lines, inputs) in the reader's language."""
    register_terms("sourcing", _label(SOURCING_NAMES))
    register_terms("assumption", _label(ASSUMPTIONS))
    register_terms("component", _label(COMPONENTS))
    register_terms("input", _label(INPUTS))


def option_name(row: dict[str, Any]) -> str:
    """ "Offshore third party (India)" in the active language, from a result's option row."""
    name = SOURCING_NAMES.get(str(row.get("sourcing", "")))
    if name is None:
        return str(row.get("label", ""))
    return gettext("%(sourcing)s (%(country)s)") % {
        "sourcing": name,
        "country": country_name(str(row.get("country", ""))),
    }


def input_label(key: str, result: dict[str, Any]) -> str:
    """What a tornado input (``need.hours_per_year``, ``options[2].hourly_cost``, ...) is called."""
    owner, _sep, attr = key.rpartition(".")
    if owner == "need":
        return str(INPUTS.get(attr, key))
    if owner == "assumptions" and attr in ASSUMPTIONS:
        return str(ASSUMPTIONS[attr][0])
    if owner.startswith("options[") and owner.endswith("]"):
        try:
            row = (result.get("options") or [])[int(owner[len("options[") : -1])]
        except (ValueError, IndexError):
            return key
        what = {
            "hourly_cost": gettext("%(option)s: hourly cost"),
            "rework_rate": gettext("%(option)s: rework"),
            "setup_cost": gettext("%(option)s: set-up cost"),
        }.get(attr)
        return what % {"option": option_name(row)} if what else key
    return key
