"""The signed-in user's e-mail settings."""

from __future__ import annotations

from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from kpo.notices.kinds import EMAIL_CATEGORIES


class EmailPreferencesForm(forms.Form):
    language = forms.ChoiceField(
        label=_("Language of your e-mails"),
        choices=settings.LANGUAGES,
        help_text=_("Switching the site's language changes it too."),
    )
    email_categories = forms.MultipleChoiceField(
        label=_("E-mails you receive"),
        choices=[(category.code, category.label) for category in EMAIL_CATEGORIES],
        widget=forms.CheckboxSelectMultiple,
        required=False,
        help_text=_("Every notice still appears under Notices. Invitations are always e-mailed."),
    )
