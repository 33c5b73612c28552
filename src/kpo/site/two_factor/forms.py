from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

MAX_CODE = 40


class CodeForm(forms.Form):
    code = forms.CharField(
        label=_("Code"),
        max_length=MAX_CODE,
        help_text=_("The six digits your authenticator app shows, or one of your recovery codes."),
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "spellcheck": "false"}),
    )


class AuthenticatorCodeForm(CodeForm):
    code = forms.CharField(
        label=_("Code from the app"),
        max_length=MAX_CODE,
        help_text=_("The six digits the app shows for kpo now."),
        widget=forms.TextInput(
            attrs={"autocomplete": "one-time-code", "inputmode": "numeric", "spellcheck": "false"}
        ),
    )
