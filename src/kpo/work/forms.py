"""Forms parse and type what the user sent; the services validate the rules and save."""

from __future__ import annotations

from collections.abc import Iterable
from decimal import Decimal
from typing import Any, TypeVar, cast

from django import forms
from django.db.models import QuerySet
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from kpo.core.validators import validate_currency
from kpo.experts.forms import language_choices
from kpo.experts.models import CEFR_CHOICES, DegreeLevelChoice, DomainChoice, ExpertProfile
from kpo.experts.selectors import skill_labels
from kpo.orgs.models import Organisation
from kpo.work.models import (
    AssignmentRole,
    Confidentiality,
    Deliverable,
    EngagementKind,
    EngagementStatus,
    MessageLanguage,
    PricingModel,
    Priority,
)

DATE_WIDGET = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
DATETIME_FORMATS = ["%Y-%m-%dT%H:%M", "%Y-%m-%dT%H:%M:%S", "%Y-%m-%d %H:%M", "%Y-%m-%d %H:%M:%S"]


class OrganisationChoiceField(forms.ModelChoiceField):  # type: ignore[type-arg]
    def label_from_instance(self, obj: Any) -> str:
        return str(obj.name)


class ExpertChoiceField(forms.ModelChoiceField):  # type: ignore[type-arg]
    """An expert by id among those the form allows; never rendered as a select (a provider may have
    thousands: the staffing picker of kpo.matching lists and searches them)."""

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
    expected_status = forms.CharField(max_length=40, required=False)  # the status the user saw
    comment = forms.CharField(label=_("Comment"), required=False, widget=forms.Textarea(attrs={"rows": 3}))


class MessageForm(forms.Form):
    prefix = "msg"
    body = forms.CharField(
        label=_("Message"),
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=10000,
        help_text=_("Write @ and a user name to tell someone on the task, e.g. @carol."),
    )
    language = forms.ChoiceField(
        label=_("Written in"),
        choices=MessageLanguage.choices,
        required=False,  # then the language the writer reads kpo in
    )


class DocumentForm(forms.Form):
    prefix = "doc"
    title = forms.CharField(
        label=_("Title"), max_length=200, required=False, help_text=_("Leave empty to use the file name.")
    )
    file = forms.FileField(
        label=_("File"), help_text=_("PDF, Word, Excel, PowerPoint, PNG, JPEG or plain text.")
    )
    confidentiality = forms.ChoiceField(
        label=_("Confidentiality"),
        choices=[("", _("As the task")), *list(Confidentiality.choices)],
        required=False,
        help_text=_("Only the client's admins set a level of its own; others leave it as the task."),
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


# --- a task's required skills and languages: two small formsets on the task form ---------------------

PROFICIENCY_CHOICES = [
    (1, _("1 · basic")),
    (2, "2"),
    (3, _("3 · solid")),
    (4, "4"),
    (5, _("5 · expert")),
]
REQUIREMENT_ROWS_EXTRA = 3
REQUIREMENT_ROWS_MAX = 20


class SkillRequirementForm(forms.Form):
    """One required ESCO skill. The skill's select holds only the chosen skill; the htmx search box
    next to it fills it with matches (the catalogue has thousands of skills)."""

    skill = forms.IntegerField(
        label=_("Skill"), required=False, min_value=1, max_value=2**63 - 1, widget=forms.Select
    )
    min_proficiency = forms.TypedChoiceField(
        label=_("Minimum proficiency"), choices=PROFICIENCY_CHOICES, coerce=int, initial=3, required=False
    )

    def __init__(self, *args: Any, skill_labels: dict[int, str] | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        labels = skill_labels or {}
        current = self._current_skill()
        options: list[tuple[object, object]] = [("", _("No skill"))]
        if current is not None and current in labels:
            options.append((current, labels[current]))
        widget = self.fields["skill"].widget
        assert isinstance(widget, forms.Select)
        widget.choices = options

    def _current_skill(self) -> int | None:
        raw = self.data.get(self.add_prefix("skill")) if self.is_bound else self.initial.get("skill")
        try:
            return int(str(raw)) if raw not in (None, "") else None
        except (TypeError, ValueError):
            return None

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("skill") and not data.get("min_proficiency"):
            self.add_error("min_proficiency", _("Choose the minimum proficiency."))
        return data


class LanguageRequirementForm(forms.Form):
    language = forms.ChoiceField(label=_("Language"), required=False)
    min_level = forms.ChoiceField(
        label=_("Minimum level"), choices=CEFR_CHOICES, initial="B2", required=False
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["language"]
        assert isinstance(field, forms.ChoiceField)
        field.choices = [("", _("No language")), *language_choices(get_language() or "en")]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("language") and not data.get("min_level"):
            self.add_error("min_level", _("Choose the minimum level."))
        return data


def _deleted(form: forms.Form) -> bool:
    return bool(getattr(form, "cleaned_data", {}).get("DELETE"))


class _RequirementRows(forms.BaseFormSet):  # type: ignore[type-arg]
    """Rows of one kind of requirement: a value (`key`) and the minimum it asks for (`minimum`)."""

    key: str
    minimum: str

    def kept(self) -> list[forms.Form]:
        """The rows that were cleaned and are not marked for deletion."""
        return [form for form in self.forms if hasattr(form, "cleaned_data") and not _deleted(form)]

    def requirements(self) -> list[tuple[Any, Any]]:
        """(value, minimum) for every filled, kept row (call after is_valid)."""
        return [
            (form.cleaned_data[self.key], form.cleaned_data[self.minimum])
            for form in self.kept()
            if form.cleaned_data.get(self.key)
        ]


class SkillRequirementFormSet(_RequirementRows):
    """The rows of required skills; unknown and repeated skills are errors on their rows."""

    key, minimum = "skill", "min_proficiency"

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        ids = {row.get("skill") for row in self.initial or []}
        if self.is_bound:
            for key, value in self.data.items():
                if key.startswith(f"{self.prefix}-") and key.endswith("-skill") and str(value).isdigit():
                    ids.add(int(value))
        self.skill_labels = skill_labels({i for i in ids if isinstance(i, int)})

    def get_form_kwargs(self, index: int | None) -> dict[str, Any]:
        return {**super().get_form_kwargs(index), "skill_labels": self.skill_labels}

    def clean(self) -> None:
        seen: set[int] = set()
        for form in self.kept():
            skill = form.cleaned_data.get("skill")
            if skill is None:
                continue
            if skill not in self.skill_labels:
                form.add_error("skill", _("Choose a skill from the list."))
            elif skill in seen:
                form.add_error("skill", _("This skill is already listed."))
            seen.add(skill)


class LanguageRequirementFormSet(_RequirementRows):
    key, minimum = "language", "min_level"

    def clean(self) -> None:
        seen: set[str] = set()
        for form in self.kept():
            language = form.cleaned_data.get("language")
            if language and language in seen:
                form.add_error("language", _("This language is already listed."))
            if language:
                seen.add(language)


RowsT = TypeVar("RowsT", bound=forms.BaseFormSet)  # type: ignore[type-arg]


def _requirement_rows(form: type[forms.Form], formset: type[RowsT]) -> type[RowsT]:
    """A formset class of requirement rows: a few blank rows, each deletable, at most a set number."""
    rows = forms.formset_factory(
        form,
        formset=formset,
        extra=REQUIREMENT_ROWS_EXTRA,
        can_delete=True,
        max_num=REQUIREMENT_ROWS_MAX,
        validate_max=True,
    )
    return cast(type[RowsT], rows)


SkillFormSet = _requirement_rows(SkillRequirementForm, SkillRequirementFormSet)
LanguageFormSet = _requirement_rows(LanguageRequirementForm, LanguageRequirementFormSet)
SKILLS_PREFIX = "skills"
LANGUAGES_PREFIX = "languages"


def requirement_formsets(
    data: Any, *, skills: list[dict[str, Any]] | None = None, languages: list[dict[str, Any]] | None = None
) -> tuple[SkillRequirementFormSet, LanguageRequirementFormSet]:
    """The two formsets, bound to `data` when it carries them (a POST from the page), else unbound.

    A POST without them (a script, an older page) leaves the requirements as they are.
    """
    skill_data = data if data is not None and f"{SKILLS_PREFIX}-TOTAL_FORMS" in data else None
    language_data = data if data is not None and f"{LANGUAGES_PREFIX}-TOTAL_FORMS" in data else None
    return (
        SkillFormSet(skill_data, initial=skills, prefix=SKILLS_PREFIX),
        LanguageFormSet(language_data, initial=languages, prefix=LANGUAGES_PREFIX),
    )


class OverflowProviderForm(forms.Form):
    provider = OrganisationChoiceField(
        label=_("Provider"),
        queryset=Organisation.objects.none(),
        help_text=_(
            "A freelance pool or a second firm that may take tasks your provider cannot staff in time."
        ),
    )

    def __init__(self, *args: Any, candidates: QuerySet[Organisation] | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = cast(forms.ModelChoiceField, self.fields["provider"])  # type: ignore[type-arg]
        field.queryset = candidates if candidates is not None else Organisation.objects.none()


class ReleaseReasonForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
        error_messages={"required": _("Say why: the reason is required.")},
    )
