"""Demo world: an NDA in force for each demo client, signatures of some provider-side people, and a few
watermarked downloads, so the vault pages, the task locks and the trace form show something. The first
downloaded brief has its wording variants approved (its copy differs in a few words), the second is
locked as legal text.

Rita (the reviewer) is left unsigned on purpose: her task pages show locked material and the link to
sign. Carol (the expert) and the provider managers have signed.
"""

from __future__ import annotations

from collections import Counter

from django.contrib.auth.models import User

from kpo.confidentiality.access import OPEN_WATERMARKED
from kpo.confidentiality.downloads import vault_download
from kpo.confidentiality.models import Download, NdaSignature, NdaTemplate, NdaVersion, WordingStatus
from kpo.confidentiality.services import nda_sign, nda_template_save
from kpo.confidentiality.wording import wording_decide
from kpo.core.errors import DomainError
from kpo.orgs.models import Membership, Organisation
from kpo.work.models import Assignment, TaskDocument

SIGNERS = ("carol",)
DOWNLOADS = 4
NDA_TEXT = (
    "Mutual non-disclosure agreement\n\n"
    "1. The recipient keeps all material of {client} received through kpo confidential, uses it only "
    "for the task it was given for, and does not copy it outside the platform.\n\n"
    "2. Confidential and restricted material is watermarked for its recipient; every download is "
    "logged and a leaked copy can be traced back to it.\n\n"
    "3. These duties last five years after the end of the engagement.\n\n"
    "4. Danish law applies; disputes go to the courts of Copenhagen."
)


def seed_confidentiality(organisations: dict[str, Organisation]) -> Counter[str]:
    written: Counter[str] = Counter()
    versions: dict[int, NdaVersion] = {}
    admins: dict[int, User] = {}
    for organisation in organisations.values():
        if not organisation.is_client:
            continue
        admin = (
            Membership.objects.filter(organisation=organisation, role="client_admin")
            .select_related("user")
            .order_by("id")
            .first()
        )
        if admin is None:
            continue
        admins[organisation.pk] = admin.user
        template = nda_template_save(
            user=admin.user,
            client=organisation,
            title=f"{organisation.name} NDA",
            text=NDA_TEXT.format(client=organisation.name),
            in_force=True,
        )
        version = template.versions.get()
        versions[organisation.pk] = version
        written["nda_templates"] += 1
    signers = {
        (a.expert.user, a.task.engagement.client_id)
        for a in Assignment.objects.filter(expert__user__username__in=SIGNERS).select_related(
            "expert__user", "task__engagement"
        )
    }
    managers = Membership.objects.filter(
        role="provider_manager", organisation__in=organisations.values()
    ).select_related("user")
    for membership in managers:
        for client_id in versions:
            signers.add((membership.user, client_id))
    for user, client_id in sorted(signers, key=lambda pair: (pair[0].pk, pair[1])):
        current = versions.get(client_id)
        if current is None:
            continue
        nda_sign(
            user=user,
            version=current,
            typed_name=user.get_full_name() or user.get_username(),
            ip="198.51.100.7",
        )
        written["nda_signatures"] += 1
    documents = (
        TaskDocument.objects.filter(
            task__assignments__expert__user__username__in=SIGNERS,
            task__engagement__client_id__in=list(versions),
        )
        .select_related("task__engagement__client")
        .order_by("id")[:DOWNLOADS]
    )
    for number, document in enumerate(documents):
        if number < 2 and document.task.engagement.client_id in admins:
            # the first brief's wording variants approved, the second locked as legal text
            try:
                wording_decide(
                    user=admins[document.task.engagement.client_id],
                    document=document,
                    status=WordingStatus.APPROVED if number == 0 else WordingStatus.LOCKED,
                )
                written["wording_reviews"] += 1
            except DomainError:
                pass
        assignment = (
            document.task.assignments.select_related("expert__user")
            .filter(expert__user__username__in=SIGNERS)
            .first()
        )
        if assignment is None:
            continue
        try:
            vault_download(
                user=assignment.expert.user,
                task=document.task,
                stored=document,
                decision=OPEN_WATERMARKED,
                ip="198.51.100.7",
            )
        except DomainError:
            continue
        written["downloads"] += 1
    return written


def delete_confidentiality(slugs: list[str]) -> None:
    """Remove the demo world's NDAs, signatures and download records (before its people and
    organisations go: they are protected references)."""
    Download.objects.filter(client__slug__in=slugs).delete()
    NdaSignature.objects.filter(version__template__client__slug__in=slugs).delete()
    NdaTemplate.objects.filter(client__slug__in=slugs).delete()
