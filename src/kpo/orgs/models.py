from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from kpo.core.models import BaseModel
from kpo.core.validators import validate_country, validate_currency, validate_time_zone
from kpo.engine.taxonomy import Role
from kpo.orgs.vat_numbers import vat_number_problem


class OrganisationKind(models.TextChoices):
    CLIENT = "client", _("Client")
    PROVIDER = "provider", _("Provider")


class ProviderType(models.TextChoices):
    THIRD_PARTY = "third_party", _("Third-party firm")
    CAPTIVE = "captive", _("Captive subsidiary")
    FREELANCE_POOL = "freelance_pool", _("Freelance pool")


class RoleChoice(models.TextChoices):
    CLIENT_ADMIN = Role.CLIENT_ADMIN.value, _("Client admin")
    REQUESTER = Role.REQUESTER.value, _("Requester")
    PROVIDER_MANAGER = Role.PROVIDER_MANAGER.value, _("Provider manager")
    EXPERT = Role.EXPERT.value, _("Expert")
    REVIEWER = Role.REVIEWER.value, _("Reviewer")
    AUDITOR = Role.AUDITOR.value, _("Auditor")


CLIENT_ROLE_VALUES = {Role.CLIENT_ADMIN.value, Role.REQUESTER.value, Role.AUDITOR.value}
PROVIDER_ROLE_VALUES = {
    Role.PROVIDER_MANAGER.value,
    Role.EXPERT.value,
    Role.REVIEWER.value,
    Role.AUDITOR.value,
}
ADMIN_ROLE_VALUES = frozenset({Role.CLIENT_ADMIN.value, Role.PROVIDER_MANAGER.value})
"""The roles that administer an organisation (its people, roles and invitations)."""


DEFAULT_PAYMENT_TERMS = 30
MIN_PAYMENT_TERMS = 0
MAX_PAYMENT_TERMS = 120
MAX_ADDRESS = 400


class Organisation(BaseModel):
    name = models.CharField(_("name"), max_length=200)
    slug = models.SlugField(_("short name"), max_length=80, unique=True)
    kind = models.CharField(_("kind"), max_length=20, choices=OrganisationKind.choices)
    provider_type = models.CharField(
        _("provider type"), max_length=20, choices=ProviderType.choices, blank=True
    )
    parent = models.ForeignKey(
        "self",
        verbose_name=_("parent organisation"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="subsidiaries",
    )
    country = models.CharField(_("country"), max_length=2, validators=[validate_country])
    time_zone = models.CharField(_("time zone"), max_length=64, validators=[validate_time_zone])
    currency = models.CharField(_("currency"), max_length=3, validators=[validate_currency], default="EUR")
    description = models.TextField(_("description"), blank=True)
    require_two_factor = models.BooleanField(
        _("require two-factor authentication"),
        default=False,
        help_text=_("Everyone in the organisation must sign in with a code from an authenticator app."),
    )
    postal_address = models.TextField(
        _("postal address"),
        max_length=MAX_ADDRESS,
        blank=True,
        help_text=_("As it goes on invoices: street, postcode and town, one per line."),
    )
    vat_number = models.CharField(
        _("VAT number"),
        max_length=20,
        blank=True,
        help_text=_("With the country prefix; in Denmark DK and the 8 digits of the CVR number."),
    )
    payment_terms_days = models.PositiveSmallIntegerField(
        _("payment terms (days)"),
        default=DEFAULT_PAYMENT_TERMS,
        validators=[MinValueValidator(MIN_PAYMENT_TERMS), MaxValueValidator(MAX_PAYMENT_TERMS)],
        help_text=_("Days from the invoice date to the due date on the invoices this provider issues."),
    )

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        errors: dict[str, object] = {}
        if self.kind == OrganisationKind.PROVIDER and not self.provider_type:
            errors["provider_type"] = _(
                "A provider is a third-party firm, a captive subsidiary or a freelance pool."
            )
        if self.kind == OrganisationKind.CLIENT and self.provider_type:
            errors["provider_type"] = _("Only providers have a provider type.")
        if self.provider_type == ProviderType.CAPTIVE:
            if self.parent is None:
                errors["parent"] = _("A captive subsidiary names the client it belongs to.")
            elif self.parent.kind != OrganisationKind.CLIENT:
                errors["parent"] = _("The parent of a captive subsidiary must be a client.")
        elif self.parent_id is not None:
            errors["parent"] = _("Only a captive subsidiary has a parent organisation.")
        if self.vat_number:
            problem = vat_number_problem(self.vat_number, self.country)
            if problem:
                errors["vat_number"] = problem
        if errors:
            raise ValidationError(errors)

    @property
    def is_client(self) -> bool:
        return self.kind == OrganisationKind.CLIENT

    @property
    def is_offshore(self) -> bool:
        return self.parent is not None and self.parent.country != self.country


class Membership(BaseModel):
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="memberships")
    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="memberships")
    role = models.CharField(_("role"), max_length=20, choices=RoleChoice.choices)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "organisation", "role"], name="membership_unique_role"),
        ]
        ordering = ["organisation__name", "role"]

    def __str__(self) -> str:
        return f"{self.user} · {self.role} · {self.organisation}"

    def clean(self) -> None:
        if not self.organisation_id:
            return
        allowed = CLIENT_ROLE_VALUES if self.organisation.is_client else PROVIDER_ROLE_VALUES
        if self.role == Role.EXPERT.value and self.organisation.is_client:
            allowed = allowed | {Role.EXPERT.value}  # a client's own staff can be internal experts
        if self.role not in allowed:
            raise ValidationError({"role": _("This role does not exist in this kind of organisation.")})


def token_expiry() -> dt.datetime:
    """When a new API token stops working: KPO_TOKEN_DAYS (90) days from now."""
    return timezone.now() + dt.timedelta(days=settings.KPO_TOKEN_DAYS)


class ApiToken(BaseModel):
    """A personal API token. Only its SHA-256 is stored; the token is shown once, at creation.

    It works until `expires_at`, until revoked, or until its owner's password changes; a read-only token
    may only read (GET).
    """

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="api_tokens")
    name = models.CharField(_("name"), max_length=100)
    prefix = models.CharField(_("prefix"), max_length=12, db_index=True)
    token_hash = models.CharField(max_length=64, unique=True)
    last_used_at = models.DateTimeField(_("last used"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("revoked"), null=True, blank=True)
    expires_at = models.DateTimeField(_("expires"), default=token_expiry)
    read_only = models.BooleanField(_("read-only"), default=False)

    class Meta:
        ordering = ["-created_at"]

    def is_expired(self, now: dt.datetime) -> bool:
        return self.expires_at <= now

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…)"


INVITATION_LIFETIME = dt.timedelta(days=14)


def invitation_expiry() -> dt.datetime:
    """When a new invitation stops working: 14 days from now."""
    return timezone.now() + INVITATION_LIFETIME


class InvitationState(models.TextChoices):
    OPEN = "open", _("Open")
    ACCEPTED = "accepted", _("Accepted")
    REVOKED = "revoked", _("Revoked")
    EXPIRED = "expired", _("Expired")


class Invitation(BaseModel):
    """An admin's invitation to join an organisation in one role, sent by e-mail.

    Only the SHA-256 of the token is stored; the plain token is in the link, shown once to the admin
    and sent to the invitee.
    """

    organisation = models.ForeignKey(
        Organisation, verbose_name=_("organisation"), on_delete=models.CASCADE, related_name="invitations"
    )
    email = models.EmailField(_("e-mail"))
    role = models.CharField(_("role"), max_length=20, choices=RoleChoice.choices)
    token_hash = models.CharField(max_length=64, unique=True)
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("invited by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    expires_at = models.DateTimeField(_("expires"), default=invitation_expiry)
    accepted_at = models.DateTimeField(_("accepted"), null=True, blank=True)
    accepted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("accepted by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    revoked_at = models.DateTimeField(_("revoked"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["organisation", "email"], name="invitation_org_email")]

    def __str__(self) -> str:
        return f"{self.email} · {self.role} · {self.organisation_id}"

    def clean(self) -> None:
        if self.organisation_id and self.role:
            # the same rule as for members: the role must exist in this kind of organisation
            Membership(organisation=self.organisation, role=self.role).clean()

    def state_at(self, now: dt.datetime) -> InvitationState:
        if self.accepted_at is not None:
            return InvitationState.ACCEPTED
        if self.revoked_at is not None:
            return InvitationState.REVOKED
        if self.expires_at <= now:
            return InvitationState.EXPIRED
        return InvitationState.OPEN

    @property
    def state(self) -> InvitationState:
        return self.state_at(timezone.now())


BREAK_GLASS_MIN_HOURS = 1
BREAK_GLASS_MAX_HOURS = 24


class BreakGlassState(models.TextChoices):
    REQUESTED = "requested", _("Awaiting approval")
    APPROVED = "approved", _("Active")
    REFUSED = "refused", _("Refused")
    ENDED = "ended", _("Ended early")
    EXPIRED = "expired", _("Expired")


class BreakGlassGrant(BaseModel):
    """An operator's time-limited read access to one client organisation, approved by its admin.

    While approved and before `expires_at`, the operator reads the organisation as its auditor does.
    """

    organisation = models.ForeignKey(
        Organisation, verbose_name=_("organisation"), on_delete=models.CASCADE, related_name="break_glass"
    )
    operator = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("operator"), on_delete=models.CASCADE, related_name="+"
    )
    reason = models.TextField(_("reason"), max_length=1000)
    hours = models.PositiveSmallIntegerField(
        _("duration (hours)"),
        validators=[MinValueValidator(BREAK_GLASS_MIN_HOURS), MaxValueValidator(BREAK_GLASS_MAX_HOURS)],
    )
    status = models.CharField(
        _("status"), max_length=20, choices=BreakGlassState.choices, default=BreakGlassState.REQUESTED
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("decided by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    decided_at = models.DateTimeField(_("decided"), null=True, blank=True)
    expires_at = models.DateTimeField(_("expires"), null=True, blank=True)
    ended_at = models.DateTimeField(_("ended"), null=True, blank=True)
    expiry_recorded_at = models.DateTimeField(null=True, blank=True, editable=False)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["operator", "status", "expires_at"], name="break_glass_active")]

    def __str__(self) -> str:
        return f"{self.operator_id} · {self.organisation_id} · {self.status}"

    def state_at(self, now: dt.datetime) -> BreakGlassState:
        if self.status == BreakGlassState.APPROVED and self.expires_at is not None and self.expires_at <= now:
            return BreakGlassState.EXPIRED
        return BreakGlassState(self.status)

    def active_at(self, now: dt.datetime) -> bool:
        return self.state_at(now) == BreakGlassState.APPROVED
