"""Forms for statements of work (validation of shape only; the services check the content)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from kpo.engine import sow as engine


def _text(label: Any, help_text: Any = "", *, rows: int = 5) -> forms.CharField:
    """A section; the service says which sections a SOW needs, so every error reads alike."""
    return forms.CharField(
        label=label,
        help_text=help_text,
        required=False,
        widget=forms.Textarea(attrs={"rows": rows}),
        max_length=engine.MAX_SECTION,
    )


class SowForm(forms.Form):
    scope = _text(_("Scope"), _("What the provider does, and what it does not."), rows=6)
    deliverables = _text(_("Deliverables"), _("What is handed over, in what form."))
    items = forms.CharField(
        label=_("Items that tasks and milestones link to"),
        help_text=_("One a line as “code: title”, e.g. “D1: Gearbox efficiency report”."),
        required=False,
        max_length=engine.MAX_ITEMS * (engine.MAX_CODE + engine.MAX_TITLE + 4),
        widget=forms.Textarea(attrs={"rows": 4}),
    )
    acceptance_criteria = _text(
        _("Acceptance criteria"), _("How the client decides a deliverable is accepted.")
    )
    milestones = _text(_("Milestones"), _("Dates and what is due by each."))
    assumptions = _text(_("Assumptions"), _("What both sides take for granted."))
    change_procedure = _text(
        _("Change procedure"), _("How either side asks for a change, and who approves it.")
    )


class ApproveForm(forms.Form):
    typed_name = forms.CharField(
        label=_("Type your full name to sign"),
        max_length=200,
        help_text=_("Exactly as on your account."),
    )
    content_sha256 = forms.CharField(widget=forms.HiddenInput, max_length=64)


class ChangeRequestForm(forms.Form):
    reason = forms.CharField(
        label=_("What should change, and why"),
        max_length=engine.MAX_SECTION,
        widget=forms.Textarea(attrs={"rows": 4}),
    )


class LinkForm(forms.Form):
    code = forms.ChoiceField(label=_("SOW item"), required=False)

    def __init__(self, *args: Any, codes: list[tuple[str, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        code = self.fields["code"]
        assert isinstance(code, forms.ChoiceField)
        code.choices = [("", _("— none —")), *codes]


class MilestoneLinkForm(LinkForm):
    milestone = forms.ChoiceField(label=_("Milestone"))

    field_order = ["milestone", "code"]

    def __init__(self, *args: Any, milestones: list[tuple[str, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        milestone = self.fields["milestone"]
        assert isinstance(milestone, forms.ChoiceField)
        milestone.choices = milestones
        self.order_fields(self.field_order)
