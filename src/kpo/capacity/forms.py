"""The absence form and the capacity page's filters."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from kpo.engine.capacity import DEFAULT_WEEKS, MAX_WEEKS
from kpo.experts.models import DomainChoice

FREE_CHOICES = [
    ("", _("Everyone")),
    ("2", _("Free in the next 2 weeks")),
    ("4", _("Free in the next 4 weeks")),
]


class AbsenceForm(forms.Form):
    start = forms.DateField(label=_("First day"), widget=forms.DateInput(attrs={"type": "date"}))
    end = forms.DateField(label=_("Last day"), widget=forms.DateInput(attrs={"type": "date"}))
    reason = forms.CharField(
        label=_("Reason"),
        required=False,
        max_length=200,
        help_text=_("Optional: leave, training, illness. Shown to the expert's provider managers."),
    )


class CapacityFilterForm(forms.Form):
    """The page's filters. Invalid values show their error and the page keeps its defaults."""

    provider = forms.TypedChoiceField(label=_("Provider"), required=False, coerce=int, empty_value=None)
    team = forms.TypedChoiceField(label=_("Team"), required=False, coerce=int, empty_value=None)
    domain = forms.ChoiceField(label=_("Domain"), required=False)
    skill = forms.IntegerField(
        label=_("Skill"), required=False, min_value=1, max_value=2**63 - 1, widget=forms.Select
    )
    weeks = forms.IntegerField(
        label=_("Weeks"), required=False, min_value=1, max_value=MAX_WEEKS, initial=DEFAULT_WEEKS
    )
    free = forms.ChoiceField(label=_("Availability"), required=False, choices=FREE_CHOICES)

    def __init__(
        self,
        *args: Any,
        providers: list[tuple[int, str]],
        teams: Sequence[tuple[int, str]] = (),
        skill_label: str = "",
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        provider = self.fields["provider"]
        assert isinstance(provider, forms.TypedChoiceField)
        provider.choices = [("", _("All my providers")), *providers]
        team = self.fields["team"]
        assert isinstance(team, forms.TypedChoiceField)
        team.choices = [("", _("Everyone, and every team")), *teams]
        domain = self.fields["domain"]
        assert isinstance(domain, forms.ChoiceField)
        domain.choices = [("", _("Any domain")), *DomainChoice.choices]
        options: list[tuple[object, object]] = [("", _("Any skill"))]
        current = self.data.get("skill") if self.is_bound else None
        if skill_label and current:
            options.append((current, skill_label))
        widget = self.fields["skill"].widget
        assert isinstance(widget, forms.Select)
        widget.choices = options
        self.fields["weeks"].widget.attrs.update({"inputmode": "numeric"})


class TeamForm(forms.Form):
    """A team's name and members; `experts` are the provider's experts to pick from."""

    name = forms.CharField(label=_("Name"), max_length=100)
    members = forms.MultipleChoiceField(
        label=_("Members"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("An expert may be in several teams, or in none."),
    )

    def __init__(self, *args: Any, experts: Sequence[tuple[int, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        members = self.fields["members"]
        assert isinstance(members, forms.MultipleChoiceField)
        members.choices = [(str(pk), label) for pk, label in experts]


class NewTeamForm(TeamForm):
    provider = forms.TypedChoiceField(label=_("Provider"), coerce=int)

    field_order = ["provider", "name", "members"]

    def __init__(
        self,
        *args: Any,
        providers: Sequence[tuple[int, str]],
        experts: Sequence[tuple[int, str]],
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, experts=experts, **kwargs)
        provider = self.fields["provider"]
        assert isinstance(provider, forms.TypedChoiceField)
        provider.choices = list(providers)
        if len(providers) == 1:
            provider.initial = providers[0][0]
            provider.widget = forms.HiddenInput()
