"""Forms for NDAs, signing, leak tracing, document levels and clearances (validation only)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from kpo.confidentiality.services import MAX_NDA_TEXT
from kpo.core.file_limits import OverLimit, UnreadableFile, check_content, file_limits, limit_message
from kpo.engine.watermark import Kind, sniff
from kpo.engine.watermark.limits import check_package
from kpo.work.models import Confidentiality

MAX_PASTE = 200_000


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
        if upload is not None and upload.size > int(settings.KPO_MAX_UPLOAD_BYTES):
            self.add_error("file", _("The file is larger than the upload limit."))
        elif upload is not None:
            self._check_package(upload)
        if "\x00" in (data.get("text") or ""):
            self.add_error("text", _("The text contains characters that cannot be read."))
        return data

    def _check_package(self, upload: Any) -> None:
        """A Word file or PDF must be safe to open: its zip or its page count within the limits (a
        marked copy has more characters than its original, so characters are not limited here)."""
        head = upload.read(4096)
        upload.seek(0)
        kind = sniff(head, upload.name)
        try:
            if kind is Kind.DOCX:
                check_package(upload, file_limits())
            elif kind is Kind.PDF:
                check_content(upload, "application/pdf", lenient_pdf=True)
        except (OverLimit, UnreadableFile) as error:
            self.add_error("file", limit_message(error))
        finally:
            upload.seek(0)


class DocumentLevelForm(forms.Form):
    confidentiality = forms.ChoiceField(
        label=_("Level"),
        choices=[("", _("As the task")), *list(Confidentiality.choices)],
        required=False,
    )


class ClearanceForm(forms.Form):
    clearance = forms.ChoiceField(label=_("Clearance"), choices=Confidentiality.choices)
