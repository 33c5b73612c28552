"""The words the matching pages use for the engine's components and rules (translated)."""

from __future__ import annotations

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

COMPONENT_LABELS: dict[str, Promise] = {
    "affinity": _("Text affinity"),
    "skills": _("Skills"),
    "degree": _("Degree"),
    "languages": _("Languages"),
    "time_zone": _("Time zone"),
    "cost": _("Cost"),
    "quality": _("Quality"),
}

COMPONENT_HELP: dict[str, Promise] = {
    "affinity": _("How close the expert's profile and work are to the task's description."),
    "skills": _("How well the expert holds the task's required skills at the level asked."),
    "degree": _("The expert's best degree against the minimum the task asks for."),
    "languages": _("The expert's level in each language the task asks for."),
    "time_zone": _("How much of the client's working day falls in the expert's working day."),
    "cost": _("The expert's bill rate against the engagement's budget per hour."),
    "quality": _("The expert's quality score from reviewed work (neutral until there is one)."),
}

RULE_LABELS: dict[str, Promise] = {
    "active": _("Active"),
    "internal_staff": _("Another client's staff"),
    "organisation": _("Provider"),
    "domain": _("Domain"),
    "degree": _("Degree"),
    "languages": _("Languages"),
    "skills": _("Skills"),
    "capacity": _("Capacity"),
    "client_staff_hidden": _("The client's own staff"),
}

RULE_ADVICE: dict[str, Promise] = {
    "active": _("Only inactive experts are left: ask the provider to reactivate someone."),
    "internal_staff": _("Only other clients' own staff are left; they work only for their own client."),
    "organisation": _(
        "The engagement's provider has no expert who qualifies: the client can engage another provider."
    ),
    "domain": _("Nobody of the provider works in the engagement's domain: check the domain or the provider."),
    "degree": _("Lower the task's minimum degree."),
    "languages": _("Lower the language level asked, or drop a language the task does not really need."),
    "skills": _(
        "Lower the minimum proficiency, drop a skill, or ask the client's admin to lower the share of "
        "required skills an expert must hold."
    ),
    "capacity": _("Move the due date later, lower the effort estimate, or split the task."),
    "client_staff_hidden": _(
        "Only the client's own staff qualify. The client sees them on this page and can staff the task."
    ),
}


def component_label(name: str) -> str:
    return str(COMPONENT_LABELS.get(name, name.replace("_", " ")))


def rule_label(name: str) -> str:
    return str(RULE_LABELS.get(name, name.replace("_", " ")))


def rule_advice(name: str) -> str:
    return str(RULE_ADVICE.get(name, ""))
