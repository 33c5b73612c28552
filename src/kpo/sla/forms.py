"""Forms parse and type what the user sent; the services validate the rules and save."""

from __future__ import annotations

from decimal import Decimal
from typing import TYPE_CHECKING, Any

from django import forms
from django.utils.translation import gettext_lazy as _

from kpo.sla.models import WEEKDAY_CHOICES, DisputeOutcome, SlaPolicy

if TYPE_CHECKING:
    from django_stubs_ext import StrPromise  # dev-only stubs: lazy translated strings

TIME_WIDGET = forms.TimeInput(attrs={"type": "time"}, format="%H:%M")


def _business_hours(label: StrPromise, help_text: StrPromise) -> forms.DecimalField:
    return forms.DecimalField(
        label=label,
        max_digits=6,
        decimal_places=1,
        min_value=Decimal("0.5"),
        max_value=Decimal(10000),
        help_text=help_text,
    )


class SlaPolicyForm(forms.Form):
    response_hours = _business_hours(
        _("Response time (business hours)"),
        _(
            "From the task's submission to the provider's first response: staffing started or the "
            "first message from the provider's side."
        ),
    )
    working_days = forms.TypedMultipleChoiceField(
        label=_("Working days"),
        choices=WEEKDAY_CHOICES,
        coerce=int,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": _("Choose at least one working day.")},
    )
    day_start = forms.TimeField(label=_("Working day starts"), widget=TIME_WIDGET)
    day_end = forms.TimeField(label=_("Working day ends"), widget=TIME_WIDGET)
    at_risk_percent = forms.IntegerField(
        label=_("At risk from (%)"),
        min_value=10,
        max_value=99,
        help_text=_(
            "A response counts as at risk once this share of its allowance is used; a delivery once the "
            "effort still to do needs more than this share of the business hours left before the task's due "
            "date."
        ),
    )
    dispute_response_days = forms.IntegerField(
        label=_("Provider's answer to a dispute (business days)"), min_value=1, max_value=60
    )
    mediation_days = forms.IntegerField(label=_("Mediation (business days)"), min_value=1, max_value=60)

    @classmethod
    def initial_from(cls, policy: SlaPolicy) -> dict[str, Any]:
        return {
            "response_hours": policy.response_hours,
            "working_days": sorted(policy.weekdays),
            "day_start": policy.day_start,
            "day_end": policy.day_end,
            "at_risk_percent": int(policy.at_risk_share * 100),
            "dispute_response_days": policy.dispute_response_days,
            "mediation_days": policy.mediation_days,
        }

    def policy_fields(self) -> dict[str, Any]:
        data = dict(self.cleaned_data)
        data["at_risk_share"] = Decimal(data.pop("at_risk_percent")) / 100
        data["working_days"] = ",".join(str(day) for day in sorted(set(data["working_days"])))
        return data


class DisputeForm(forms.Form):
    reason = forms.CharField(
        label=_("What is wrong with the delivery"),
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_("Be specific: which part, what you expected, what you received."),
    )
    evidence = forms.FileField(
        label=_("Evidence (optional)"),
        required=False,
        help_text=_("PDF, Word, Excel, PowerPoint, PNG, JPEG or plain text."),
    )


CREDIT_HELP = _("For a partial credit, give either a percentage of the task's value or an amount.")


def _credit_percent() -> forms.DecimalField:
    return forms.DecimalField(
        label=_("Credit (%)"), required=False, max_digits=5, decimal_places=2, help_text=CREDIT_HELP
    )


def _credit_amount() -> forms.DecimalField:
    return forms.DecimalField(label=_("Credit amount"), required=False, max_digits=14, decimal_places=2)


class DisputeResponseForm(forms.Form):
    response = forms.CharField(
        label=_("Your response"), max_length=5000, widget=forms.Textarea(attrs={"rows": 5})
    )
    proposed_outcome = forms.ChoiceField(label=_("Proposed outcome"), choices=DisputeOutcome.choices)
    credit_percent = _credit_percent()
    credit_amount = _credit_amount()


class DisputeResolveForm(forms.Form):
    outcome = forms.ChoiceField(label=_("Outcome"), choices=DisputeOutcome.choices)
    credit_percent = _credit_percent()
    credit_amount = _credit_amount()
    note = forms.CharField(
        label=_("Decision and reasons"), max_length=5000, widget=forms.Textarea(attrs={"rows": 4})
    )


class DisputeNoteForm(forms.Form):
    note = forms.CharField(
        label=_("Note (optional)"), max_length=5000, required=False, widget=forms.Textarea(attrs={"rows": 3})
    )


class EvidenceForm(forms.Form):
    file = forms.FileField(label=_("File"))
    note = forms.CharField(label=_("What it shows (optional)"), max_length=300, required=False)


SLOT_WIDGET = forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")


def _slot(label: StrPromise, *, required: bool) -> forms.DateTimeField:
    return forms.DateTimeField(
        label=label,
        required=required,
        widget=SLOT_WIDGET,
        input_formats=["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M"],
        help_text=_("In your time zone."),
    )


class MeetingForm(forms.Form):
    minutes = forms.TypedChoiceField(
        label=_("Length"),
        coerce=int,
        choices=[(30, _("30 minutes")), (45, _("45 minutes")), (60, _("1 hour")), (90, _("1½ hours"))],
        initial=30,
    )
    slot_1 = _slot(_("First slot"), required=True)
    slot_2 = _slot(_("Second slot (optional)"), required=False)
    slot_3 = _slot(_("Third slot (optional)"), required=False)


class MeetingPickForm(forms.Form):
    slot = forms.TypedChoiceField(label=_("Slot"), coerce=int, choices=[(1, "1"), (2, "2"), (3, "3")])
