"""An audit entry's details as lines a person reads: field → value, a change as "old → new", in the
active language, moments in the viewer's time zone.

Details are stored as the service that recorded them wrote them (JSON: codes, ids, ISO instants). The
labels of the fields and of the coded values are kept here; apps above the audit floor register the
labels of their own codes (a task's statuses, ...) with `register_value_labels`.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from kpo.core.formatting import day, number, when
from kpo.orgs.models import RoleChoice

MAX_VALUE = 300
HASH = re.compile(r"[0-9a-f]{40,}")
ISO_DAY = re.compile(r"\d{4}-\d{2}-\d{2}")
ISO_MOMENT = re.compile(r"\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}")

FIELD_LABELS: dict[str, Promise] = {
    "action": gettext_lazy("Action"),
    "after": gettext_lazy("After"),
    "allowance_hours": gettext_lazy("Allowance (hours)"),
    "background": gettext_lazy("Background check"),
    "before": gettext_lazy("Before"),
    "budget": gettext_lazy("Budget"),
    "category": gettext_lazy("Category"),
    "category_before": gettext_lazy("Category before"),
    "change": gettext_lazy("Change"),
    "changes": gettext_lazy("Changes"),
    "channel": gettext_lazy("Channel"),
    "checked_on": gettext_lazy("Checked on"),
    "client": gettext_lazy("Client"),
    "client_id": gettext_lazy("Client"),
    "comment": gettext_lazy("Comment"),
    "conflict": gettext_lazy("Conflict"),
    "cooling_off_months": gettext_lazy("Cooling-off (months)"),
    "count": gettext_lazy("Number"),
    "country": gettext_lazy("Country"),
    "created": gettext_lazy("New"),
    "currency": gettext_lazy("Currency"),
    "cutoff": gettext_lazy("Recorded before"),
    "days": gettext_lazy("Days"),
    "decision": gettext_lazy("Decision"),
    "description": gettext_lazy("Description"),
    "device": gettext_lazy("Device"),
    "devices": gettext_lazy("Devices"),
    "dispute": gettext_lazy("Dispute"),
    "download": gettext_lazy("Download"),
    "due": gettext_lazy("Due"),
    "email": gettext_lazy("E-mail"),
    "engagement_id": gettext_lazy("Engagement"),
    "entries": gettext_lazy("Entries"),
    "expert": gettext_lazy("Expert"),
    "expert_id": gettext_lazy("Expert"),
    "expires_at": gettext_lazy("Expires"),
    "expires_on": gettext_lazy("Expires"),
    "file": gettext_lazy("File"),
    "forbid_former_employees": gettext_lazy("Former employees barred"),
    "format": gettext_lazy("Format"),
    "hash": gettext_lazy("Hash"),
    "hours": gettext_lazy("Hours"),
    "in_force": gettext_lazy("In force"),
    "ip": gettext_lazy("IP address"),
    "is_active": gettext_lazy("Active"),
    "is_staff": gettext_lazy("Operator"),
    "is_superuser": gettext_lazy("Superuser"),
    "kind": gettext_lazy("Kind"),
    "lines": gettext_lazy("Lines"),
    "mechanism": gettext_lazy("Transfer mechanism"),
    "message": gettext_lazy("Message"),
    "method": gettext_lazy("Method"),
    "model": gettext_lazy("Kind of record"),
    "name": gettext_lazy("Name"),
    "new_version": gettext_lazy("New version"),
    "note": gettext_lazy("Note"),
    "notified": gettext_lazy("Notified"),
    "number": gettext_lazy("Number"),
    "object": gettext_lazy("Record"),
    "operator": gettext_lazy("Operator"),
    "outcome": gettext_lazy("Outcome"),
    "parent_id": gettext_lazy("Parent organisation"),
    "path": gettext_lazy("Page"),
    "percent": gettext_lazy("Share used (%)"),
    "provider": gettext_lazy("Provider"),
    "provider_id": gettext_lazy("Provider"),
    "provider_type": gettext_lazy("Provider type"),
    "rating": gettext_lazy("Rating"),
    "reason": gettext_lazy("Reason"),
    "reference": gettext_lazy("Reference"),
    "removed": gettext_lazy("Entries removed"),
    "require_two_factor": gettext_lazy("Two-factor required"),
    "response_due": gettext_lazy("Response due"),
    "result": gettext_lazy("Result"),
    "review": gettext_lazy("Review"),
    "role": gettext_lazy("Role"),
    "roles": gettext_lazy("Roles"),
    "round": gettext_lazy("Round"),
    "score": gettext_lazy("Score"),
    "sha256": gettext_lazy("Checksum (SHA-256)"),
    "slug": gettext_lazy("Short name"),
    "spend": gettext_lazy("Spent"),
    "stars": gettext_lazy("Stars"),
    "status": gettext_lazy("Status"),
    "step": gettext_lazy("Step"),
    "task": gettext_lazy("Task"),
    "task_id": gettext_lazy("Task"),
    "template": gettext_lazy("Template"),
    "threshold": gettext_lazy("Threshold (%)"),
    "through_seq": gettext_lazy("Removed through entry"),
    "time_zone": gettext_lazy("Time zone"),
    "title": gettext_lazy("Title"),
    "total": gettext_lazy("Total"),
    "typed_name": gettext_lazy("Typed name"),
    "user": gettext_lazy("Person"),
    "username": gettext_lazy("User name"),
    "verified_on": gettext_lazy("Verified on"),
    "version": gettext_lazy("Version"),
    "watermarked": gettext_lazy("Watermarked"),
}
TRANSITION_PAIRS = (("from", "to"), ("before", "after"))
PAIR_LABELS: dict[str, Promise] = {
    "transition": gettext_lazy("Status"),
    "classification_changed": gettext_lazy("Classification"),
    "clearance_changed": gettext_lazy("Clearance"),
}
FREE_TEXT = frozenset(
    {"comment", "email", "file", "justification", "message", "name", "note", "object", "operator", "reason"}
    | {"reference", "title", "typed_name", "user", "username", "path", "number", "device", "ip"}
)
"""Fields holding what a person wrote or a name: shown as written, never translated."""

_VALUE_LABELS: dict[str, dict[str, Promise | str]] = {
    "role": dict(RoleChoice.choices),
    "roles": dict(RoleChoice.choices),
    "channel": {"web": gettext_lazy("web"), "api": gettext_lazy("API")},
    "action": {
        "add": gettext_lazy("added"),
        "change": gettext_lazy("changed"),
        "delete": gettext_lazy("deleted"),
    },
    "change": {
        "added": gettext_lazy("added"),
        "removed": gettext_lazy("removed"),
        "granted": gettext_lazy("granted"),
        "revoked": gettext_lazy("revoked"),
        "declared": gettext_lazy("declared"),
        "withdrawn": gettext_lazy("withdrawn"),
        "changed": gettext_lazy("changed"),
        "policy": gettext_lazy("policy"),
    },
}


def register_value_labels(field: str, labels: Mapping[str, Promise | str]) -> None:
    """Show the codes of `field` by these labels (an app above the audit floor names its own codes)."""
    _VALUE_LABELS.setdefault(field, {}).update(labels)


@dataclass(frozen=True)
class DetailLine:
    label: str
    value: str
    old: str | None = None
    """Set for a change: the value before, `value` is the value after."""
    verbatim: bool = False
    """What a person wrote or a name: marked so it is never translated."""

    @property
    def changed(self) -> bool:
        return self.old is not None


def detail_lines(event: str, details: Any) -> list[DetailLine]:
    """The details of an entry of kind `event` as lines, in the order recorded."""
    if not isinstance(details, dict):
        return (
            [] if details in (None, "", [], {}) else [DetailLine(_("Details"), _text(details), verbatim=True)]
        )
    lines: list[DetailLine] = []
    paired: set[str] = set()
    for old_key, new_key in TRANSITION_PAIRS:
        if old_key in details and new_key in details:
            paired |= {old_key, new_key}
            lines.append(
                DetailLine(
                    str(PAIR_LABELS.get(event, FIELD_LABELS["change"])),
                    value_text(new_key, details[new_key]),
                    old=value_text(old_key, details[old_key]),
                )
            )
    for key, value in details.items():
        if key in paired:
            continue
        if key == "changes" and isinstance(value, dict):
            lines.extend(_change_line(name, change) for name, change in value.items())
        elif _is_change(value):
            lines.append(
                DetailLine(field_label(key), value_text(key, value[1]), old=value_text(key, value[0]))
            )
        else:
            lines.append(DetailLine(field_label(key), value_text(key, value), verbatim=key in FREE_TEXT))
    return lines


def _change_line(name: str, change: Any) -> DetailLine:
    """One field under `changes`: [old, new], or a word ("changed") where the values are not kept."""
    if isinstance(change, list) and len(change) == 2:
        return DetailLine(field_label(name), value_text(name, change[1]), old=value_text(name, change[0]))
    return DetailLine(field_label(name), _("changed"))


def _is_change(value: Any) -> bool:
    """[old, new] outside `changes`: a pair whose halves are both lists (a list of two is just two values)."""
    return isinstance(value, list) and len(value) == 2 and all(isinstance(half, list) for half in value)


def field_label(key: str) -> str:
    label = FIELD_LABELS.get(key)
    return str(label) if label is not None else key.replace("_", " ")


def value_text(key: str, value: Any) -> str:
    """One stored value as text: yes/no, localised numbers and moments, labels for codes."""
    if value is None or value == "" or value == []:
        return "—"
    if isinstance(value, bool):
        return _("yes") if value else _("no")
    if isinstance(value, int | float):
        return number(value, 2)
    if isinstance(value, list):
        return ", ".join(value_text(key, item) for item in value)
    if isinstance(value, dict):
        return "; ".join(f"{field_label(str(k))}: {value_text(str(k), v)}" for k, v in value.items())
    text = str(value)
    labels = _VALUE_LABELS.get(key)
    if labels is not None and text in labels:
        return str(labels[text])
    if key not in FREE_TEXT:
        return _moment_or_day(text) or _text(text)
    return _text(text)


def _moment_or_day(text: str) -> str:
    if ISO_MOMENT.match(text):
        try:
            moment = dt.datetime.fromisoformat(text)
        except ValueError:
            return ""
        if timezone.is_aware(moment):
            return when(timezone.localtime(moment))
        return ""
    if ISO_DAY.fullmatch(text):
        try:
            return day(dt.date.fromisoformat(text))
        except ValueError:
            return ""
    return ""


def _text(value: Any) -> str:
    text = str(value)
    if HASH.fullmatch(text):
        return text[:12] + "…"
    return text if len(text) <= MAX_VALUE else text[: MAX_VALUE - 1] + "…"
