"""The engine's rules and score components in words, with names instead of ids, in the user's language.

The engine (kpo.engine.matching) explains in plain English with ids ("works for organisation 3");
the pages and the API show these sentences instead: the same facts, with the provider's, skills' and
languages' names, translated. A rule or component this module does not know keeps the engine's text.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

from django.utils.translation import gettext as _

from kpo.core.formatting import money, number
from kpo.core.validators import language_name
from kpo.engine.matching import ExpertRecord, TaskRequirements, cefr_index
from kpo.engine.matching.requirements import NATIVE, cefr_name
from kpo.engine.matching.rules import capacity_left, held_count
from kpo.experts.models import DomainChoice
from kpo.matching.records import BASE_CURRENCY, UNCONVERTED_TAG


@dataclass(frozen=True)
class Names:
    """What to call the ids a task's requirements and an expert's record hold."""

    provider: str = ""
    skills: Mapping[int, str] = field(default_factory=dict)
    organisations: Mapping[int, str] = field(default_factory=dict)


def _degree(rank: int) -> str:
    return {
        0: _("no degree"),
        1: _("a bachelor's degree"),
        2: _("a master's degree"),
        3: _("a doctorate"),
    }.get(rank, str(rank))


def _domain(value: str | None) -> str:
    if not value:
        return ""
    try:
        return str(DomainChoice(value).label)
    except ValueError:
        return value


def _level(index: int) -> str:
    if index < 0:
        return _("not spoken")
    return _("native") if index >= NATIVE else cefr_name(index)


def _skill(names: Names, skill_id: int) -> str:
    return names.skills.get(skill_id, str(skill_id))


def _hours(value: float) -> str:
    return number(round(value, 1))


def requirement_text(rule: str, task: TaskRequirements, names: Names, fallback: str = "") -> str:
    """What rule `rule` asks of an expert for `task`."""
    if rule == "active":
        return _("the expert must be active")
    if rule == "internal_staff":
        return _("a client's own staff work only for that client")
    if rule == "organisation":
        if task.organisation_ids is None:
            return _("any organisation")
        return _("the expert must work for %(provider)s or be the client's own staff") % {
            "provider": names.provider or ", ".join(str(i) for i in sorted(task.organisation_ids))
        }
    if rule == "domain":
        if not task.domain:
            return _("any domain")
        return _("the expert must work in %(domain)s") % {"domain": _domain(task.domain)}
    if rule == "degree":
        if not task.min_degree_rank:
            return _("any degree")
        return _("at least %(degree)s") % {"degree": _degree(task.min_degree_rank)}
    if rule == "languages":
        if not task.languages:
            return _("any language")
        return ", ".join(
            _("%(language)s %(level)s or better") % {"language": language_name(code), "level": level}
            for code, level in sorted(task.languages.items())
        )
    if rule == "skills":
        needed = task.skills_needed
        if not needed:
            return _("no skill required: skills only count in the score")
        listed = "; ".join(
            _("%(skill)s at level %(level)s+") % {"skill": _skill(names, skill_id), "level": level}
            for skill_id, level in task.skills.items()
        )
        if needed == len(task.skills):
            return _("all of: %(skills)s") % {"skills": listed}
        return _("at least %(needed)s of: %(skills)s") % {"needed": needed, "skills": listed}
    if rule == "capacity":
        if task.window_weeks <= 0:
            return _("the due date has passed")
        return _("%(hours)s free hours in the %(days)s days until the due date") % {
            "hours": _hours(task.effort_hours),
            "days": number(round(task.window_weeks * 7, 1)),
        }
    if rule == "client_staff_hidden":
        return _("the client's own staff are listed only for the client")
    return fallback


def failure_text(
    rule: str, expert: ExpertRecord, task: TaskRequirements, names: Names, fallback: str = ""
) -> str:
    """Why `expert` fails rule `rule` for `task`."""
    if rule == "active":
        return _("the expert is not active")
    if rule == "internal_staff":
        return _("the expert is another client's own staff")
    if rule == "organisation":
        organisation = names.organisations.get(expert.organisation_id, str(expert.organisation_id))
        return _("works for %(organisation)s, which does not staff this engagement") % {
            "organisation": organisation
        }
    if rule == "domain":
        held = ", ".join(sorted(_domain(d) for d in expert.domains)) or _("no domain")
        return _("works in %(held)s, not in %(domain)s") % {"held": held, "domain": _domain(task.domain)}
    if rule == "degree":
        return _("holds %(held)s; at least %(asked)s asked") % {
            "held": _degree(expert.degree_rank),
            "asked": _degree(task.min_degree_rank),
        }
    if rule == "languages":
        short = [
            _("%(language)s: %(held)s, %(asked)s asked")
            % {
                "language": language_name(code),
                "held": _level(expert.languages.get(code, -1)),
                "asked": level,
            }
            for code, level in sorted(task.languages.items())
            if expert.languages.get(code, -1) < cefr_index(level)
        ]
        return "; ".join(short) or fallback
    if rule == "skills":
        return _("holds %(held)s of the %(listed)s required skills at the level asked; %(needed)s needed") % {
            "held": held_count(expert, task),
            "listed": len(task.skills),
            "needed": task.skills_needed,
        }
    if rule == "capacity":
        left = capacity_left(expert.weekly_capacity_hours, expert.assigned_hours, task.window_weeks)
        return _("has %(left)s free hours before the due date; %(hours)s needed") % {
            "left": _hours(max(left, 0.0)),
            "hours": _hours(task.effort_hours),
        }
    if rule == "client_staff_hidden":
        return _("one of the client's own staff, listed only for the client")
    return fallback


def _offset(hours: float) -> str:
    sign = "+" if hours >= 0 else "-"
    whole, minutes = divmod(round(abs(hours) * 60), 60)
    return f"UTC{sign}{whole}" + (f":{minutes:02d}" if minutes else "")


def component_text(
    name: str,
    value: float,
    expert: ExpertRecord,
    task: TaskRequirements,
    names: Names,
    *,
    affinity_known: bool = False,
    fallback: str = "",
) -> str:
    """Why `expert` has `value` on score component `name` for `task`."""
    if name == "affinity":
        if not affinity_known:
            return _("not computed yet: neutral for everyone")
        return _("the expert's profile and work against the task's description")
    if name == "skills":
        if not task.skills:
            return _("no skill asked")
        held = held_count(expert, task)
        below = sum(1 for skill in task.skills if skill in expert.skills) - held
        text = _("holds %(held)s of the %(listed)s required skills at the level asked") % {
            "held": held,
            "listed": len(task.skills),
        }
        if below:
            text += ", " + _("%(below)s more below it") % {"below": below}
        return text
    if name == "degree":
        asked = _degree(task.min_degree_rank) if task.min_degree_rank else _("no minimum")
        return _("%(held)s (%(asked)s asked)") % {"held": _degree(expert.degree_rank), "asked": asked}
    if name == "languages":
        if not task.languages:
            return _("no language asked")
        return ", ".join(
            _("%(language)s %(held)s (%(asked)s asked)")
            % {
                "language": language_name(code),
                "held": _level(expert.languages.get(code, -1)),
                "asked": level,
            }
            for code, level in sorted(task.languages.items())
        )
    if name == "time_zone":
        if task.client_window_utc is None:
            return _("the client's working hours are unknown: neutral")
        start, end = task.client_window_utc
        return _(
            "%(hours)s of the client's %(total)s working hours fall in the expert's day (%(offset)s)"
        ) % {
            "hours": _hours(value * (end - start)),
            "total": _hours(end - start),
            "offset": _offset(expert.utc_offset),
        }
    if name == "cost":
        if UNCONVERTED_TAG in expert.tags:
            return _("the bill rate's currency has no exchange rate, so it is not held against the expert")
        if task.budget_per_hour is None:
            return _("no budget ceiling")
        return _(
            "bill rate %(rate)s an hour against a budget of %(budget)s (1 up to the budget, 0 at twice it)"
        ) % {
            "rate": money(round(expert.bill_rate, 2), BASE_CURRENCY),
            "budget": money(round(task.budget_per_hour, 2), BASE_CURRENCY),
        }
    if name == "quality":
        if expert.quality is None:
            return _("no quality score yet: neutral")
        return _("quality score %(score)s") % {"score": number(round(expert.quality, 2), 2)}
    return fallback
