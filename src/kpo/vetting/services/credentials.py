"""Credentials: the expert or a manager records a degree, licence or certificate with its evidence;
a provider manager verifies it (`credential_verified`), which renews the record's
verification date."""

from __future__ import annotations

import datetime as dt

from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from kpo.audit.models import AuditEvent
from kpo.audit.services import audit
from kpo.core.errors import DomainError
from kpo.core.uploads import store_upload
from kpo.engine.passport import CredentialKind
from kpo.experts.models import Degree, ExpertProfile, VerificationStatus
from kpo.vetting.access import vetting_capacities
from kpo.vetting.models import Credential, CredentialStatus, VerificationMethod, VettingRecord
from kpo.vetting.services.common import audit_change, local_today, not_in_future, require_manager
from kpo.vetting.services.status import recompute_due, sync_status
from kpo.work.services import Upload


@transaction.atomic
def credential_add(
    *,
    user: User,
    expert: ExpertProfile,
    kind: str,
    title: str,
    upload: Upload,
    level: str = "",
    issuer: str = "",
    issued_on: dt.date | None = None,
    expires_on: dt.date | None = None,
    degree_id: int | None = None,
) -> Credential:
    """Record a degree, licence or certificate with its evidence, unverified (the expert or a manager).

    Validates: who acts, the kind, a level for a degree, the degree being the expert's own, the dates
    (issued not in the future, expiry after issue) and the evidence (type judged by content).
    """
    if not vetting_capacities(user, expert):
        raise DomainError(_("Only the expert and their provider's managers add credentials."))
    today = local_today()
    if kind == CredentialKind.DEGREE.value and not level:
        raise ValidationError({"level": _("Say which level the degree is.")})
    not_in_future(issued_on, "issued_on", today)
    if issued_on is not None and expires_on is not None and expires_on <= issued_on:
        raise ValidationError({"expires_on": _("The expiry date must be after the issue date.")})
    degree = None
    if degree_id is not None:
        degree = Degree.objects.filter(pk=degree_id, expert_id=expert.pk).first()
        if degree is None:
            raise ValidationError({"degree": _("This is not one of the expert's degrees.")})
    credential = Credential(
        expert=expert,
        kind=kind,
        level=level,
        title=" ".join(title.split()),
        issuer=issuer.strip(),
        degree=degree,
        issued_on=issued_on,
        expires_on=expires_on,
    )
    credential.full_clean(
        exclude=["file", "original_name", "content_type", "size", "sha256", "uploaded_by", "expert"]
    )
    store_upload(credential, upload.stream, upload.name, user)
    audit_change(
        user, expert, "credential_added", credential=credential.pk, kind=kind, title=credential.title
    )
    return credential


@transaction.atomic
def credential_verify(
    *,
    user: User,
    credential: Credential,
    method: str,
    verified: bool = True,
    verified_on: dt.date | None = None,
    expires_on: dt.date | None = None,
    note: str = "",
) -> Credential:
    """A provider manager verifies (or rejects) a credential: how, when, until when.

    Verifying again is re-verification: it renews the expert's verification date, so a lapsed expert
    becomes current again. Validates: who acts (never the expert on their own credential), the
    method, the dates (not in the future, not before the issue date, not already expired) and a note
    when rejecting.
    """
    expert = credential.expert
    require_manager(user, expert, _("Only the expert's provider managers verify credentials."))
    if expert.user_id == user.pk:
        raise DomainError(_("Nobody verifies their own credentials."), field="user")
    today = local_today()
    day = verified_on or today
    not_in_future(day, "verified_on", today)
    if credential.issued_on is not None and day < credential.issued_on:
        raise ValidationError({"verified_on": _("A credential cannot be verified before it was issued.")})
    if method not in VerificationMethod.values:
        raise ValidationError({"method": _("Say how the credential was verified.")})
    if expires_on is not None:
        credential.expires_on = expires_on
    issued, expires = credential.issued_on, credential.expires_on
    if issued is not None and expires is not None and expires <= issued:
        raise ValidationError({"expires_on": _("The expiry date must be after the issue date.")})
    if verified and credential.expires_on is not None and credential.expires_on < today:
        raise ValidationError(
            {
                "expires_on": _("This credential expired on %(date)s: record the renewed one instead.")
                % {"date": credential.expires_on.isoformat()}
            }
        )
    if not verified and not note.strip():
        raise ValidationError({"note": _("Say why the credential is rejected.")})
    credential.status = CredentialStatus.VERIFIED if verified else CredentialStatus.REJECTED
    credential.method = method
    credential.verified_by = user
    credential.verified_on = day
    credential.verification_note = note.strip()
    credential.full_clean(exclude=["file", "expert"])
    credential.save()
    if credential.degree_id is not None:
        Degree.objects.filter(pk=credential.degree_id).update(
            verification_status=VerificationStatus.VERIFIED if verified else VerificationStatus.REJECTED
        )
        ExpertProfile.objects.filter(pk=expert.pk).update(updated_at=timezone.now())
    record = VettingRecord.objects.select_for_update().filter(expert_id=expert.pk).first()
    if record is not None and verified:
        record.expert = expert
        if record.verified_on is None or day > record.verified_on:
            record.verified_on = day
        recompute_due(record)
        record.save(update_fields=["verified_on", "reverification_due_on", "updated_at"])
        sync_status(record, today)
    details = {
        "expert": expert.pk,
        "outcome": credential.status,
        "method": method,
        "verified_on": day.isoformat(),
        "expires_on": credential.expires_on.isoformat() if credential.expires_on else None,
    }
    audit(user, AuditEvent.CREDENTIAL_VERIFIED, ("credential", credential.pk), expert.organisation, details)
    return credential
