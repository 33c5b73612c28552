"""Forms for commercials: they parse and type what the user sent; the services check the rules."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django import forms
from django.db.models import QuerySet
from django.http import QueryDict
from django.utils.translation import gettext_lazy as _

from kpo.economics.commercials.selectors.invoices import Expense, parse_expenses
from kpo.economics.models import MakeOrBuyScenario
from kpo.experts.models import EscoOccupation, Seniority
from kpo.orgs.models import Organisation

DATE_WIDGET = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
MAX_RATE = Decimal("9999999999.99")
EXPENSE_ROWS = 3


class _NamedChoice(forms.ModelChoiceField):  # type: ignore[type-arg]
    def label_from_instance(self, obj: Any) -> str:
        return str(getattr(obj, "name", None) or obj)


class RateCardLineForm(forms.Form):
    provider = _NamedChoice(label=_("Provider"), queryset=Organisation.objects.none())
    occupation = _NamedChoice(
        label=_("Role (ESCO occupation)"),
        queryset=EscoOccupation.objects.none(),
        help_text=_(
            "The occupations of your experts; an expert's rate follows their occupation and seniority."
        ),
    )
    seniority = forms.ChoiceField(label=_("Seniority"), choices=Seniority.choices)
    cost_rate = forms.DecimalField(
        label=_("Cost rate per hour"), min_value=Decimal(0), max_value=MAX_RATE, decimal_places=2
    )
    bill_rate = forms.DecimalField(
        label=_("Bill rate per hour"), min_value=Decimal(0), max_value=MAX_RATE, decimal_places=2
    )
    currency = forms.CharField(
        label=_("Currency"), max_length=3, required=False, help_text=_("ISO 4217, e.g. EUR")
    )
    valid_from = forms.DateField(label=_("Valid from"), widget=DATE_WIDGET)
    valid_to = forms.DateField(
        label=_("Valid to"), widget=DATE_WIDGET, required=False, help_text=_("Leave empty for open-ended.")
    )
    note = forms.CharField(label=_("Note"), max_length=300, required=False)

    def __init__(
        self,
        *args: Any,
        providers: QuerySet[Organisation],
        occupations: QuerySet[EscoOccupation],
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.fields["provider"].queryset = providers  # type: ignore[attr-defined]
        self.fields["occupation"].queryset = occupations  # type: ignore[attr-defined]
        if providers.count() == 1:
            self.fields["provider"].initial = providers.first()


class EndLineForm(forms.Form):
    last_day = forms.DateField(label=_("Last valid day"), widget=DATE_WIDGET)


class TimeDecisionForm(forms.Form):
    entries = forms.TypedMultipleChoiceField(
        label=_("Time entries"),
        coerce=int,
        choices=(),
        error_messages={"required": _("Tick at least one time entry to approve or reject.")},
    )
    decision = forms.ChoiceField(
        label=_("Decision"), choices=[("approved", _("Approve")), ("rejected", _("Reject"))]
    )
    note = forms.CharField(
        label=_("Note"),
        max_length=500,
        required=False,
        help_text=_("Required when rejecting; the expert reads it."),
    )

    def __init__(self, *args: Any, entry_ids: list[int], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["entries"].choices = [(pk, str(pk)) for pk in entry_ids]  # type: ignore[attr-defined]

    @property
    def selected(self) -> set[int]:
        """The entries ticked when the form comes back with an error: nothing is ticked otherwise."""
        if not self.is_bound:
            return set()
        values = self.data.getlist("entries") if isinstance(self.data, QueryDict) else []
        return {int(value) for value in values if str(value).isdigit()}


class InvoiceForm(forms.Form):
    period_start = forms.DateField(label=_("Period from"), widget=DATE_WIDGET, required=False)
    period_end = forms.DateField(label=_("Period to"), widget=DATE_WIDGET, required=False)
    note = forms.CharField(label=_("Note on the invoice"), max_length=500, required=False)

    def __init__(self, *args: Any, currency: str, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.currency = currency
        for index in range(EXPENSE_ROWS):
            self.fields[f"expense_{index}_description"] = forms.CharField(
                label=_("Expense"), max_length=200, required=False
            )
            self.fields[f"expense_{index}_amount"] = forms.CharField(
                label=_("Amount"), max_length=20, required=False
            )

    def expense_rows(self) -> list[tuple[Any, Any]]:
        return [
            (self[f"expense_{index}_description"], self[f"expense_{index}_amount"])
            for index in range(EXPENSE_ROWS)
        ]

    def expenses(self) -> list[Expense]:
        rows = [
            (
                self.cleaned_data.get(f"expense_{i}_description", ""),
                self.cleaned_data.get(f"expense_{i}_amount", ""),
            )
            for i in range(EXPENSE_ROWS)
        ]
        return parse_expenses(rows, self.currency)


class TermsForm(forms.Form):
    alert_thresholds = forms.CharField(
        label=_("Budget alert thresholds (%)"),
        max_length=60,
        help_text=_("Comma-separated percentages of the budget, e.g. 80, 100. Each sends one notice."),
    )
    scenario = _NamedChoice(
        label=_("Make-or-buy scenario this engagement came from"),
        queryset=MakeOrBuyScenario.objects.none(),
        required=False,
    )

    def __init__(self, *args: Any, scenarios: QuerySet[MakeOrBuyScenario], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["scenario"].queryset = scenarios  # type: ignore[attr-defined]


class MilestoneForm(forms.Form):
    title = forms.CharField(label=_("Milestone"), max_length=200)
    amount = forms.DecimalField(
        label=_("Amount"), min_value=Decimal("0.01"), max_value=Decimal("999999999999.99"), decimal_places=2
    )
    due_date = forms.DateField(label=_("Due"), widget=DATE_WIDGET, required=False)
