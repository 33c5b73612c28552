"""Forms for NDAs, signing, leak tracing, document levels and clearances (validation only)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from kpo.confidentiality.models import WordingStatus
from kpo.confidentiality.services import MAX_NDA_TEXT
from kpo.confidentiality.tracing import MAX_PASTE, file_problem, text_problem
from kpo.work.models import Confidentiality


class NdaTemplateForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=200)
    text = forms.CharField(
        label=_("Text of the agreement"),
        max_length=MAX_NDA_TEXT,
        widget=forms.Textarea(attrs={"rows": 14}),
        help_text=_("Changing the text makes a new version; everyone signs the new version again."),
    )
    in_force = forms.BooleanField(
        label=_("In force: required before the client's confidential material opens"),
        required=False,
        initial=True,
    )


class NdaSignForm(forms.Form):
    typed_name = forms.CharField(
        label=_("Type your full name to sign"),
        max_length=200,
        help_text=_("Exactly as on your account."),
    )
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1, max_value=2**63 - 1)

    def __init__(self, *args: Any, current: int | None = None, **kwargs: Any) -> None:
        """`current`: the version in force now, which the signer must have read."""
        super().__init__(*args, **kwargs)
        self.current = current

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if not self.errors and data.get("version") != self.current:
            raise forms.ValidationError(
                _("The NDA changed while you read it: read the current version and sign again.")
            )
        return data


class LeakTraceForm(forms.Form):
    file = forms.FileField(label=_("Leaked file"), required=False, help_text=_("PDF, Word or text."))
    text = forms.CharField(
        label=_("Or paste the leaked text"),
        required=False,
        max_length=MAX_PASTE,
        widget=forms.Textarea(attrs={"rows": 8}),
        strip=False,
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        upload = data.get("file")
        if upload is None and not (data.get("text") or "").strip():
            raise forms.ValidationError(_("Upload a file or paste some text."), code="empty")
        problem = file_problem(upload, upload.name, upload.size) if upload is not None else None
        if problem:
            self.add_error("file", problem)
        problem = text_problem(data.get("text") or "")
        if problem:
            self.add_error("text", problem)
        return data


class DocumentLevelForm(forms.Form):
    confidentiality = forms.ChoiceField(
        label=_("Level"),
        choices=[("", _("As the task")), *list(Confidentiality.choices)],
        required=False,
    )


class ClearanceForm(forms.Form):
    clearance = forms.ChoiceField(label=_("Clearance"), choices=Confidentiality.choices)


class WordingDecisionForm(forms.Form):
    decision = forms.ChoiceField(
        label=_("Decision"),
        choices=[
            (WordingStatus.APPROVED.value, _("Approve the variants")),
            (WordingStatus.LOCKED.value, _("Lock as legal text")),
        ],
    )
