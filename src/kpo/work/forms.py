"""Forms parse and type what the user sent; the services validate the rules and save."""

from __future__ import annotations

from collections.abc import Iterable
from decimal import Decimal
from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from kpo.core.validators import validate_currency
from kpo.experts.models import DegreeLevelChoice, DomainChoice, ExpertProfile
from kpo.orgs.models import Organisation
from kpo.work.models import (
    AssignmentRole,
    Confidentiality,
    Deliverable,
    EngagementKind,
    EngagementStatus,
    PricingModel,
    Priority,
)

DATE_WIDGET = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
DATETIME_FORMATS = ["%Y-%m-%dT%H:%M", "%Y-%m-%dT%H:%M:%S", "%Y-%m-%d %H:%M", "%Y-%m-%d %H:%M:%S"]


class OrganisationChoiceField(forms.ModelChoiceField):  # type: ignore[type-arg]
    def label_from_instance(self, obj: Any) -> str:
        return str(obj.name)


class ExpertChoiceField(forms.ModelChoiceField):  # type: ignore[type-arg]
    def label_from_instance(self, obj: Any) -> str:
        return f"{obj.display_name} · {obj.headline}"


class UpperCaseField(forms.CharField):
    """A code field: surrounding spaces dropped, upper-cased before validation."""

    def to_python(self, value: Any) -> str:
        return str(super().to_python(value)).upper()


class EngagementForm(forms.Form):
    client = OrganisationChoiceField(label=_("Client"), queryset=Organisation.objects.none())
    provider = OrganisationChoiceField(
        label=_("Provider"),
        queryset=Organisation.objects.none(),
        help_text=_("The firm, pool or subsidiary that will staff and deliver the work."),
    )
    title = forms.CharField(label=_("Title"), max_length=200)
    objective = forms.CharField(
        label=_("Objective"),
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("What the engagement should achieve, in a few sentences."),
    )
    domain = forms.ChoiceField(label=_("Domain"), choices=DomainChoice.choices)
    kind = forms.ChoiceField(label=_("Kind"), choices=EngagementKind.choices, initial=EngagementKind.ONE_OFF)
    pricing_model = forms.ChoiceField(
        label=_("Pricing model"), choices=PricingModel.choices, initial=PricingModel.TIME_AND_MATERIALS
    )
    budget = forms.DecimalField(label=_("Budget"), max_digits=14, decimal_places=2, min_value=Decimal(0))
    currency = UpperCaseField(
        label=_("Currency"),
        max_length=3,
        min_length=3,
        help_text=_("Three-letter ISO code, e.g. DKK, EUR, USD."),
        validators=[validate_currency],
        widget=forms.TextInput(attrs={"size": 4, "autocapitalize": "characters", "class": "short"}),
    )
    start_date = forms.DateField(label=_("Start"), widget=DATE_WIDGET)
    end_date = forms.DateField(label=_("End"), required=False, widget=DATE_WIDGET)
    confidentiality = forms.ChoiceField(
        label=_("Confidentiality"), choices=Confidentiality.choices, initial=Confidentiality.CONFIDENTIAL
    )
    status = forms.ChoiceField(label=_("Status"), choices=EngagementStatus.choices)

    def __init__(
        self,
        *args: Any,
        clients: Iterable[Organisation] = (),
        providers: QuerySet[Organisation] | None = None,
        editing: bool = False,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        client_list = list(clients)
        client_field = self.fields["client"]
        assert isinstance(client_field, forms.ModelChoiceField)
        client_field.queryset = Organisation.objects.filter(pk__in=[c.pk for c in client_list])
        if len(client_list) == 1:
            client_field.initial = client_list[0].pk
            client_field.widget = forms.HiddenInput()
            self.initial.setdefault("currency", client_list[0].currency)
        if editing:
            del self.fields["client"]
        else:
            del self.fields["status"]
        provider_field = self.fields["provider"]
        assert isinstance(provider_field, forms.ModelChoiceField)
        provider_field.queryset = providers if providers is not None else Organisation.objects.none()
        provider_field.empty_label = _("Choose a provider…")
        self.initial.setdefault("start_date", timezone.localdate())


class TaskForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=200)
    description = forms.CharField(
        label=_("Description"),
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_("What the expert should do and deliver. Do not paste confidential data here."),
    )
    effort_hours = forms.DecimalField(
        label=_("Effort estimate (hours)"),
        max_digits=8,
        decimal_places=1,
        min_value=Decimal("0.5"),
        max_value=Decimal(10000),
        widget=forms.NumberInput(attrs={"step": "0.5", "class": "short"}),
    )
    due_at = forms.DateTimeField(
        label=_("Due"),
        input_formats=DATETIME_FORMATS,
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
        help_text=_("In your time zone."),
    )
    priority = forms.ChoiceField(label=_("Priority"), choices=Priority.choices, initial=Priority.NORMAL)
    min_degree_level = forms.ChoiceField(
        label=_("Minimum degree"),
        choices=[("", _("No minimum")), *DegreeLevelChoice.choices],
        required=False,
    )


class TransitionForm(forms.Form):
    status = forms.CharField(max_length=40)
    comment = forms.CharField(label=_("Comment"), required=False, widget=forms.Textarea(attrs={"rows": 3}))


class MessageForm(forms.Form):
    prefix = "msg"
    body = forms.CharField(label=_("Message"), widget=forms.Textarea(attrs={"rows": 3}), max_length=10000)


class DocumentForm(forms.Form):
    prefix = "doc"
    title = forms.CharField(
        label=_("Title"), max_length=200, required=False, help_text=_("Leave empty to use the file name.")
    )
    file = forms.FileField(
        label=_("File"), help_text=_("PDF, Word, Excel, PowerPoint, PNG, JPEG or plain text.")
    )


class DeliverableForm(forms.Form):
    prefix = "deliv"
    deliverable = forms.TypedChoiceField(label=_("Deliverable"), coerce=int, empty_value=None, required=False)
    title = forms.CharField(
        label=_("Title of a new deliverable"),
        max_length=200,
        required=False,
        help_text=_("Leave empty to use the file name."),
    )
    note = forms.CharField(
        label=_("Note for the reviewer"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    file = forms.FileField(
        label=_("File"), help_text=_("PDF, Word, Excel, PowerPoint, PNG, JPEG or plain text.")
    )

    def __init__(self, *args: Any, deliverables: Iterable[Deliverable] = (), **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["deliverable"]
        assert isinstance(field, forms.TypedChoiceField)
        field.choices = [("", _("A new deliverable"))] + [
            (d.pk, _("New version of “%(title)s”") % {"title": d.title}) for d in deliverables
        ]


class TimeEntryForm(forms.Form):
    prefix = "time"
    date = forms.DateField(label=_("Date"), widget=DATE_WIDGET)
    hours = forms.DecimalField(
        label=_("Hours"),
        max_digits=5,
        decimal_places=2,
        min_value=Decimal("0.25"),
        max_value=Decimal(24),
        widget=forms.NumberInput(attrs={"step": "0.25", "class": "short"}),
    )
    description = forms.CharField(label=_("What you did"), max_length=500)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.initial.setdefault("date", timezone.localdate())


class AssignmentForm(forms.Form):
    prefix = "staff"
    expert = ExpertChoiceField(label=_("Expert"), queryset=ExpertProfile.objects.none())
    role = forms.ChoiceField(label=_("Role"), choices=AssignmentRole.choices)
    planned_hours = forms.DecimalField(
        label=_("Planned hours"),
        max_digits=8,
        decimal_places=1,
        min_value=Decimal(0),
        max_value=Decimal(10000),
        widget=forms.NumberInput(attrs={"step": "0.5", "class": "short"}),
    )

    def __init__(self, *args: Any, experts: QuerySet[ExpertProfile] | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["expert"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = experts if experts is not None else ExpertProfile.objects.none()
        field.empty_label = _("Choose an expert…")
