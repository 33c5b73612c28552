from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from kpo.staffing.models import RunObjective


class StartRunForm(forms.Form):
    """The tasks to staff (their ids; the service checks them) and the objective."""

    task_ids = forms.TypedMultipleChoiceField(label=_("Tasks"), coerce=int, required=False)
    objective = forms.ChoiceField(
        label=_("Objective"), choices=RunObjective.choices, initial=RunObjective.SUM
    )

    def __init__(self, *args: object, task_choices: list[tuple[int, str]], **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self.fields["task_ids"].choices = task_choices  # type: ignore[attr-defined]
