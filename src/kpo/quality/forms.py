"""Forms for the rubric, the review and the client's decision (the services check the rules), and the
quality dashboard's filters."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from kpo.experts.models import DomainChoice
from kpo.quality.dashboard import DashboardFilter
from kpo.quality.models import (
    CRITERION_NAME_MAX,
    MAX_CRITERIA,
    SCORE_MAX,
    SCORE_MIN,
    WEIGHT_MAX,
    WEIGHT_MIN,
    RatingDecision,
    ReviewDecision,
)
from kpo.quality.selectors import Criterion

SCORE_CHOICES = [(str(n), str(n)) for n in range(SCORE_MIN, SCORE_MAX + 1)]


class CriterionForm(forms.Form):
    name = forms.CharField(label=_("Criterion"), max_length=CRITERION_NAME_MAX, required=False)
    weight = forms.IntegerField(
        label=_("Weight"), min_value=WEIGHT_MIN, max_value=WEIGHT_MAX, required=False, initial=1
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("name") and data.get("weight") is None and "weight" not in self.errors:
            self.add_error("weight", _("Give the criterion a weight from 1 to 10."))
        return data


CriterionFormSet = forms.formset_factory(
    CriterionForm, extra=2, max_num=MAX_CRITERIA, validate_max=True, absolute_max=MAX_CRITERIA + 5
)


def criteria_from(formset: Any) -> list[tuple[str, int]]:
    """The filled rows of a valid criterion formset, in order (empty rows dropped)."""
    rows: list[tuple[str, int]] = []
    for form in formset.forms:
        data = form.cleaned_data
        if data.get("name"):
            rows.append((data["name"], data["weight"]))
    return rows


class ReviewForm(forms.Form):
    """One 1-5 score per criterion (fields score_0, score_1, ...), a comment and the decision."""

    decision = forms.ChoiceField(
        label=_("Decision"), choices=ReviewDecision.choices, widget=forms.RadioSelect
    )
    comment = forms.CharField(
        label=_("Comment"),
        widget=forms.Textarea(attrs={"rows": 4}),
        required=False,
        max_length=20_000,
        help_text=_("Required when sending back: say what the maker should fix. Shown to the maker."),
    )

    def __init__(self, *args: Any, criteria: Sequence[Criterion] = (), **kwargs: Any) -> None:
        kwargs.setdefault("prefix", "review")
        super().__init__(*args, **kwargs)
        self.criteria = list(criteria)
        scores: dict[str, forms.Field] = {}
        for index, criterion in enumerate(self.criteria):
            scores[f"score_{index}"] = forms.TypedChoiceField(
                label=criterion.name,
                choices=SCORE_CHOICES,
                coerce=int,
                widget=forms.RadioSelect,
                help_text=_("1 = poor, 5 = excellent; weight %(weight)s") % {"weight": criterion.weight},
            )
        self.fields = {**scores, **self.fields}

    def score_fields(self) -> list[forms.BoundField]:
        return [self[f"score_{index}"] for index in range(len(self.criteria))]

    def scores(self) -> dict[str, object]:
        return {c.name: self.cleaned_data[f"score_{i}"] for i, c in enumerate(self.criteria)}


class RatingForm(forms.Form):
    decision = forms.ChoiceField(label=_("Decision"), choices=RatingDecision.choices)
    stars = forms.TypedChoiceField(
        label=_("Rating"),
        choices=[("", "—"), *SCORE_CHOICES],
        coerce=int,
        empty_value=None,
        required=False,
        help_text=_("1 = poor, 5 = excellent. Required to accept."),
    )
    feedback = forms.CharField(
        label=_("Feedback"),
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
        max_length=20_000,
        help_text=_("Required when requesting changes: say what should change."),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("prefix", "rating")
        super().__init__(*args, **kwargs)


# --- the quality dashboard's filters (GET) ----------------------------------------------------------

PERIOD_CHOICES = [
    ("3", _("3 months")),
    ("6", _("6 months")),
    ("12", _("12 months")),
    ("24", _("24 months")),
]
GROUPING_CHOICES = [
    ("provider", _("Provider")),
    ("client", _("Client")),
    ("domain", _("Domain")),
    ("expert", _("Expert")),
]
SORT_CHOICES = [
    ("-tasks", _("Most tasks")),
    ("name", _("Name")),
    ("-on_time", _("Highest on-time rate")),
    ("on_time", _("Lowest on-time rate")),
    ("-rework", _("Highest rework rate")),
    ("rework", _("Lowest rework rate")),
    ("-rating", _("Best client rating")),
    ("rating", _("Worst client rating")),
    ("-review", _("Best review score")),
    ("review", _("Worst review score")),
]


class DashboardFilterForm(forms.Form):
    """The dashboard's filters; every field may be left out (its default applies)."""

    months = forms.TypedChoiceField(label=_("Period"), choices=PERIOD_CHOICES, coerce=int, required=False)
    provider = forms.TypedChoiceField(label=_("Provider"), coerce=int, required=False, empty_value=None)
    client = forms.TypedChoiceField(label=_("Client"), coerce=int, required=False, empty_value=None)
    domain = forms.ChoiceField(label=_("Domain"), choices=DomainChoice.choices, required=False)
    by = forms.ChoiceField(label=_("Rates per"), choices=GROUPING_CHOICES, required=False)
    sort = forms.ChoiceField(label=_("Sort by"), choices=SORT_CHOICES, required=False)

    def __init__(
        self, data: Any, *, providers: Sequence[tuple[int, str]], clients: Sequence[tuple[int, str]]
    ) -> None:
        super().__init__(data)
        for name, options in (("provider", providers), ("client", clients)):
            choice = self.fields[name]
            assert isinstance(choice, forms.ChoiceField)
            choice.choices = [(str(pk), label) for pk, label in options]

    def filters(self) -> DashboardFilter:
        """The filters asked for; a field with an error keeps its default (the page says which)."""
        self.is_valid()
        data = getattr(self, "cleaned_data", {})
        default = DashboardFilter()
        return DashboardFilter(
            months=data.get("months") or default.months,
            provider_id=data.get("provider"),
            client_id=data.get("client"),
            domain=data.get("domain") or "",
            by=data.get("by") or default.by,
            sort=data.get("sort") or default.sort,
        )
