from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _


class ApiTokenForm(forms.Form):
    name = forms.CharField(
        label=_("Name"),
        max_length=100,
        help_text=_("What the token is for, e.g. “Reporting script”."),
    )
    read_only = forms.BooleanField(
        label=_("Read-only"),
        required=False,
        help_text=_("A read-only token may only read (GET); it cannot change anything."),
    )


class _RoleChoices(forms.Form):
    """A form whose field `role_field` offers `roles`: those of the organisation's kind."""

    role_field: str

    def __init__(self, *args: Any, roles: Sequence[tuple[str, str]] = (), **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields[self.role_field].choices = list(roles)  # type: ignore[attr-defined]


class InvitationForm(_RoleChoices):
    prefix = "invite"
    role_field = "role"
    email = forms.EmailField(label=_("E-mail address"), max_length=254)
    role = forms.ChoiceField(label=_("Role"))


class MemberRolesForm(_RoleChoices):
    role_field = "roles"
    roles = forms.MultipleChoiceField(
        label=_("Roles"),
        widget=forms.CheckboxSelectMultiple,
        required=False,
        help_text=_("A member needs at least one role. To take someone out, remove them below."),
    )


class InvitationSignUpForm(forms.Form):
    """A new visitor's account; the password rules are checked by the service (Django's validators)."""

    username = forms.CharField(
        label=_("User name"),
        max_length=150,
        help_text=_("Letters, digits and @ . + - _ only. You sign in with it."),
        widget=forms.TextInput(attrs={"autocomplete": "username", "autocapitalize": "none"}),
    )
    first_name = forms.CharField(
        label=_("First name"), max_length=150, widget=forms.TextInput(attrs={"autocomplete": "given-name"})
    )
    last_name = forms.CharField(
        label=_("Last name"), max_length=150, widget=forms.TextInput(attrs={"autocomplete": "family-name"})
    )
    password1 = forms.CharField(
        label=_("Password"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        help_text=_("At least 8 characters; not only digits, not a common password, not like your name."),
    )
    password2 = forms.CharField(
        label=_("Password again"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        first, second = data.get("password1"), data.get("password2")
        if first and second and first != second:
            self.add_error("password2", _("The two passwords differ."))
        return data


class TwoFactorPolicyForm(forms.Form):
    prefix = "two_factor"
    require_two_factor = forms.BooleanField(
        label=_("Require two-factor authentication for everyone in this organisation"),
        required=False,
        help_text=_("Members who have not set it up are sent to set it up at their next page view."),
    )


class BreakGlassRequestForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason"),
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Why you need to read this client's material, e.g. the support case."),
    )
    hours = forms.IntegerField(
        label=_("Duration (hours)"),
        min_value=1,
        max_value=24,
        initial=2,
        help_text=_("From 1 to 24 hours, counted from the approval."),
    )
