"""The task lifecycle's error texts in the reader's language.

kpo.engine is pure Python and speaks plain English (it may not import Django); this module translates
its TransitionError messages at the edge, where the service turns them into a DomainError. Each engine
text is matched against a small table: fixed texts map to a translatable string, the two texts that
carry values (states, capacities, an action) are parsed and rebuilt from translated labels. A text the
table does not know is passed through unchanged (tests/core/test_i18n.py keeps the table complete).
"""

from __future__ import annotations

import re

from django.utils.functional import Promise
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from kpo.engine.lifecycle import Capacity, TransitionError
from kpo.work.models import TaskStatus

FIXED: dict[str, Promise] = {
    "Assign a maker before work starts.": _("Assign a maker before work starts."),
    "Upload a deliverable before sending the task to review.": _(
        "Upload a deliverable before sending the task to review."
    ),
    "Say why in a comment.": _("Say why in a comment."),
    "Accept a delivery with its rating: give it 1 to 5 stars.": _(
        "Accept a delivery with its rating: give it 1 to 5 stars."
    ),
    "Only passed work reaches the client: the reviewer must pass the latest version first.": _(
        "Only passed work reaches the client: the reviewer must pass the latest version first."
    ),
}

# The task page's buttons and its "you are ..." line say the same words (kpo.work.views.tasks).
ACTION_LABELS: dict[str, Promise] = {
    "submit": _("Submit to provider"),
    "start_staffing": _("Start staffing"),
    "start_work": _("Start work"),
    "send_to_review": _("Send to review"),
    "pass_review": _("Pass review and deliver"),
    "return_to_maker": _("Return to maker"),
    "accept": _("Accept"),
    "request_changes": _("Request changes"),
    "resume_work": _("Resume work"),
    "put_on_hold": _("Put on hold"),
    "cancel": _("Cancel task"),
    "resume": _("Resume"),
}
CAPACITY_LABELS: dict[str, Promise] = {
    Capacity.CLIENT.value: _("the client"),
    Capacity.PROVIDER_MANAGER.value: _("the provider's manager"),
    Capacity.MAKER.value: _("the maker"),
    Capacity.REVIEWER.value: _("the reviewer"),
}

CANNOT_GO = re.compile(r"A task cannot go from (?P<source>[a-z_]+) to (?P<target>[a-z_]+)\.")
ONLY_MAY = re.compile(r"Only (?P<allowed>[a-z_, ]+) may (?P<action>[a-z ]+) this task\.")


def _label(table: dict[str, Promise], key: str) -> str:
    label = table.get(key)
    return str(label) if label is not None else key.replace("_", " ")


def _state_label(value: str) -> str:
    return str(TaskStatus(value).label) if value in TaskStatus.values else value.replace("_", " ")


def _either(names: list[str]) -> str:
    """ "A", "A or B", "A, B or C" in the active language."""
    if len(names) < 2:
        return "".join(names)
    return gettext("%(others)s or %(last)s") % {"others": ", ".join(names[:-1]), "last": names[-1]}


def transition_error_text(error: TransitionError) -> str:
    """The engine's message for `error`, in the active language."""
    message = error.message
    fixed = FIXED.get(message)
    if fixed is not None:
        return str(fixed)
    if match := CANNOT_GO.fullmatch(message):
        return gettext("A task cannot go from “%(source)s” to “%(target)s”.") % {
            "source": _state_label(match["source"]),
            "target": _state_label(match["target"]),
        }
    if match := ONLY_MAY.fullmatch(message):
        capacities = [c.strip() for c in match["allowed"].split(",") if c.strip()]
        action = match["action"].replace(" ", "_")
        return gettext("Only %(who)s may do this now: “%(action)s”.") % {
            "who": _either([_label(CAPACITY_LABELS, c) for c in capacities]),
            "action": _label(ACTION_LABELS, action),
        }
    return message
