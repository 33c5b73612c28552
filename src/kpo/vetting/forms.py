"""Forms of the vetting pages: they parse input; the services decide."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from kpo.experts.models import DegreeLevelChoice, ExpertProfile
from kpo.vetting.models import (
    BackgroundResultChoice,
    CredentialKindChoice,
    EngagementRequirements,
    ReferenceOutcome,
    VerificationMethod,
)

DATE = forms.DateInput(attrs={"type": "date"})


class TransitionForm(forms.Form):
    state = forms.CharField(max_length=40, widget=forms.HiddenInput)
    expected_state = forms.CharField(max_length=40, required=False, widget=forms.HiddenInput)
    comment = forms.CharField(
        label=_("Comment"), required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 3})
    )
    trial_score = forms.DecimalField(
        label=_("Trial task score (1 to 5)"),
        required=False,
        min_value=Decimal(1),
        max_value=Decimal(5),
        max_digits=3,
        decimal_places=2,
    )


class StartForm(forms.Form):
    note = forms.CharField(
        label=_("Note"), required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 2})
    )


class CredentialForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind"), choices=CredentialKindChoice.choices)
    title = forms.CharField(
        label=_("Title"), max_length=200, help_text=_("As on the document, e.g. “PhD in Economics” or “CFA”.")
    )
    level = forms.ChoiceField(
        label=_("Degree level"), choices=[("", "—"), *DegreeLevelChoice.choices], required=False
    )
    issuer = forms.CharField(label=_("Issuer"), max_length=200, required=False)
    degree = forms.TypedChoiceField(
        label=_("Degree on the profile"), required=False, coerce=int, empty_value=None
    )
    issued_on = forms.DateField(label=_("Issued on"), required=False, widget=DATE)
    expires_on = forms.DateField(
        label=_("Expires on"), required=False, widget=DATE, help_text=_("Leave empty if it does not expire.")
    )
    file = forms.FileField(
        label=_("Evidence"), help_text=_("A scan or PDF of the document: PDF, PNG, JPEG, Word or plain text.")
    )

    def __init__(self, *args: Any, expert: ExpertProfile, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        degrees = [
            (d.pk, f"{d.get_level_display()}, {d.field} · {d.institution} {d.year}")
            for d in expert.degrees.all()
        ]
        self.fields["degree"].choices = [("", "—"), *degrees]  # type: ignore[attr-defined]


class VerifyForm(forms.Form):
    outcome = forms.ChoiceField(
        label=_("Outcome"),
        choices=[("verified", _("Verified")), ("rejected", _("Rejected"))],
        initial="verified",
    )
    method = forms.ChoiceField(label=_("How"), choices=VerificationMethod.choices)
    verified_on = forms.DateField(
        label=_("Verified on"), required=False, widget=DATE, help_text=_("Empty: today.")
    )
    expires_on = forms.DateField(label=_("Expires on"), required=False, widget=DATE)
    note = forms.CharField(
        label=_("Note"), required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 2})
    )


class BackgroundCheckForm(forms.Form):
    provider = forms.CharField(label=_("Check provider"), max_length=200)
    checked_on = forms.DateField(label=_("Checked on"), widget=DATE)
    result = forms.ChoiceField(label=_("Result"), choices=BackgroundResultChoice.choices)


class ReferenceForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=200)
    relation = forms.CharField(label=_("Relation"), max_length=200, help_text=_("E.g. former manager at …"))
    contacted_on = forms.DateField(label=_("Contacted on"), required=False, widget=DATE)
    outcome = forms.ChoiceField(label=_("Outcome"), choices=ReferenceOutcome.choices)


class TrainingForm(forms.Form):
    name = forms.CharField(label=_("Training"), max_length=200)
    completed_on = forms.DateField(label=_("Completed on"), widget=DATE)
    expires_on = forms.DateField(label=_("Expires on"), required=False, widget=DATE)


class PolicyForm(forms.Form):
    organisation = forms.TypedChoiceField(label=_("Provider"), coerce=int)
    reverification_months = forms.IntegerField(
        label=_("Re-verification period (months)"), min_value=1, max_value=60
    )
    trial_pass_score = forms.DecimalField(
        label=_("Trial pass mark (1 to 5)"),
        min_value=Decimal(1),
        max_value=Decimal(5),
        max_digits=3,
        decimal_places=2,
    )

    def __init__(self, *args: Any, organisations: list[tuple[int, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["organisation"].choices = organisations  # type: ignore[attr-defined]


class RequirementsForm(forms.ModelForm):  # type: ignore[type-arg]
    class Meta:
        model = EngagementRequirements
        fields = [
            "require_platform_terms",
            "require_verified_credential",
            "min_degree_level",
            "required_licences",
            "background_check_max_age_months",
            "required_trainings",
        ]
        widgets = {
            "required_licences": forms.Textarea(attrs={"rows": 3}),
            "required_trainings": forms.Textarea(attrs={"rows": 3}),
        }
