"""Forms for the rubric, the review and the client's decision; the services check the rules."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

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
