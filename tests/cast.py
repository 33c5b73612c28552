"""The shared test cast.

alice: client A admin · bob: client A requester · aud: client A auditor
pete: manager at provider P, which delivers A's engagement · carol: expert at P, maker on task A
rex: reviewer at P, reviewer on task A · erin: expert at P, not assigned
dave: client B admin, who must never see client A's data · quinn: manager at provider Q (B's provider)
ivan: client A's own staff, an internal expert (only A's people see him)
ops: platform operator (Django staff)
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from django.contrib.auth.models import User
from django.core.files.base import ContentFile
from django.utils import timezone

from kpo.confidentiality.models import NdaSignature, NdaTemplate, NdaVersion
from kpo.core.signing import text_sha256
from kpo.economics.models import Invoice
from kpo.experts.models import EscoSkill, ExpertDomain, ExpertLanguage, ExpertProfile
from kpo.orgs.models import Membership, Organisation
from kpo.work.models import (
    Assignment,
    Deliverable,
    DeliverableVersion,
    Engagement,
    Message,
    Task,
    TaskDocument,
    TaskSkill,
    TimeEntry,
)

PASSWORD = "cast-password-1"
SECRET_A = "Zephyr gearbox efficiency"  # appears only in client A's data: a leak detector for bodies


@dataclass
class Cast:
    org_a: Organisation
    org_b: Organisation
    provider_p: Organisation
    provider_q: Organisation
    alice: User
    bob: User
    aud: User
    pete: User
    carol: User
    rex: User
    erin: User
    ivan: User
    ivan_profile: ExpertProfile
    dave: User
    quinn: User
    ops: User
    engagement_a: Engagement
    task_a: Task
    draft_a: Task
    engagement_b: Engagement
    task_b: Task
    deliverable_a: Deliverable
    version_a: DeliverableVersion
    document_a: TaskDocument
    message_a: Message
    time_entry_a: TimeEntry
    assignment_a: Assignment
    nda_a: NdaTemplate

    def users(self) -> dict[str, User]:
        names = ("alice", "bob", "aud", "pete", "carol", "rex", "erin", "ivan", "dave", "quinn", "ops")
        return {name: getattr(self, name) for name in names}


def _user(username: str, first: str, last: str, *, staff: bool = False) -> User:
    user = User(username=username, first_name=first, last_name=last, email=f"{username}@example.com")
    user.is_staff = staff
    user.is_superuser = staff
    user.set_password(PASSWORD)
    user.save()
    return user


def _org(slug: str, name: str, kind: str, country: str, tz: str, provider_type: str = "") -> Organisation:
    return Organisation.objects.create(
        slug=slug,
        name=name,
        kind=kind,
        country=country,
        time_zone=tz,
        currency="EUR",
        provider_type=provider_type,
    )


def _expert(user: User, org: Organisation, headline: str) -> ExpertProfile:
    profile = ExpertProfile.objects.create(
        user=user,
        organisation=org,
        headline=headline,
        country=org.country,
        time_zone=org.time_zone,
        cost_rate=Decimal(30),
        bill_rate=Decimal(60),
        rate_currency="EUR",
    )
    ExpertLanguage.objects.create(expert=profile, language="en", level="C2")
    ExpertDomain.objects.create(expert=profile, domain="technical_analysis")
    return profile


def build_cast() -> Cast:
    org_a = _org("acme", "Acme Gear A/S", "client", "DK", "Europe/Copenhagen")
    org_b = _org("bank", "Coast Bank A/S", "client", "DK", "Europe/Copenhagen")
    provider_p = _org("pinnacle", "Pinnacle Insight", "provider", "IN", "Asia/Kolkata", "third_party")
    provider_q = _org("quay", "Quay Analytics", "provider", "PL", "Europe/Warsaw", "third_party")
    alice, bob, aud = (
        _user("alice", "Alice", "Admin"),
        _user("bob", "Bob", "Requester"),
        _user("aud", "Aud", "Itor"),
    )
    pete, carol = _user("pete", "Pete", "Manager"), _user("carol", "Carol", "Expert")
    rex, erin = _user("rex", "Rex", "Reviewer"), _user("erin", "Erin", "Idle")
    dave, quinn = _user("dave", "Dave", "Bank"), _user("quinn", "Quinn", "Quay")
    ivan = _user("ivan", "Ivan", "Insider")
    ops = _user("ops", "Olga", "Operator", staff=True)
    for user, org, role in (
        (alice, org_a, "client_admin"),
        (bob, org_a, "requester"),
        (aud, org_a, "auditor"),
        (pete, provider_p, "provider_manager"),
        (carol, provider_p, "expert"),
        (rex, provider_p, "reviewer"),
        (erin, provider_p, "expert"),
        (ivan, org_a, "expert"),
        (dave, org_b, "client_admin"),
        (quinn, provider_q, "provider_manager"),
    ):
        Membership.objects.create(user=user, organisation=org, role=role)
    carol_profile = _expert(carol, provider_p, "Production engineer")
    rex_profile = _expert(rex, provider_p, "Senior process analyst")
    _expert(erin, provider_p, "Data analyst")
    ivan_profile = _expert(ivan, org_a, "Line engineer")
    ivan_profile.internal = True
    ivan_profile.biography = f"Runs the {SECRET_A} programme at Acme."
    ivan_profile.save()

    today = dt.date(2026, 11, 2)
    due = timezone.now() + dt.timedelta(days=14)
    engagement_a = Engagement.objects.create(
        client=org_a,
        provider=provider_p,
        title=f"{SECRET_A} study",
        objective="Raise line throughput.",
        domain="technical_analysis",
        budget=Decimal(100000),
        currency="DKK",
        start_date=today,
        created_by=bob,
    )
    task_a = Task.objects.create(
        engagement=engagement_a,
        title=f"{SECRET_A} baseline",
        description="Measure the current line.",
        effort_hours=Decimal(40),
        due_at=due,
        status="in_progress",
        created_by=bob,
    )
    draft_a = Task.objects.create(
        engagement=engagement_a,
        title=f"{SECRET_A} follow-up",
        description="Next steps.",
        effort_hours=Decimal(10),
        due_at=due,
        created_by=bob,
    )
    TaskSkill.objects.create(task=task_a, skill=EscoSkill.objects.order_by("id").first(), min_proficiency=3)
    assignment_a = Assignment.objects.create(
        task=task_a, expert=carol_profile, role="maker", planned_hours=Decimal(40), assigned_by=pete
    )
    Assignment.objects.create(
        task=task_a, expert=rex_profile, role="reviewer", planned_hours=Decimal(4), assigned_by=pete
    )
    document_a = TaskDocument(
        task=task_a, title="Brief", original_name="brief.txt", content_type="text/plain"
    )
    document_a.size, document_a.sha256, document_a.uploaded_by = 10, "0" * 64, bob
    document_a.file.save("brief.txt", ContentFile(f"{SECRET_A} brief".encode()), save=True)
    deliverable_a = Deliverable.objects.create(task=task_a, title="Baseline report", created_by=carol)
    version_a = DeliverableVersion(
        deliverable=deliverable_a,
        number=1,
        original_name="report.txt",
        content_type="text/plain",
        uploaded_by=carol,
    )
    version_a.size, version_a.sha256 = 10, "0" * 64
    version_a.file.save("report.txt", ContentFile(f"{SECRET_A} report".encode()), save=True)
    message_a = Message.objects.create(task=task_a, author=carol, body=f"{SECRET_A}: first numbers are in.")
    time_entry_a = TimeEntry.objects.create(
        task=task_a,
        expert=carol_profile,
        date=today,
        hours=Decimal(3),
        description=f"{SECRET_A} measurements",
    )

    # client A's NDA in force, signed by the provider-side people on task A (confidential material);
    # written directly, like the rest of the cast, so the audit trail starts empty
    nda_a = NdaTemplate.objects.create(client=org_a, title="Acme mutual NDA", in_force=True, created_by=alice)
    nda_text = f"The recipient keeps everything about the {SECRET_A} programme confidential."
    nda_version_a = NdaVersion.objects.create(
        template=nda_a, number=1, text=nda_text, sha256=text_sha256(nda_text), created_by=alice
    )
    for signer in (carol, rex, pete):
        NdaSignature.objects.create(
            version=nda_version_a,
            signer=signer,
            typed_name=signer.get_full_name(),
            signed_at=timezone.now(),
            ip="127.0.0.1",
            text_sha256=nda_version_a.sha256,
        )

    engagement_b = Engagement.objects.create(
        client=org_b,
        provider=provider_q,
        title="Credit risk model review",
        objective="Validate the model.",
        domain="financial_consulting",
        budget=Decimal(50000),
        currency="DKK",
        start_date=today,
        created_by=dave,
    )
    task_b = Task.objects.create(
        engagement=engagement_b,
        title="Back-test the model",
        description="Back-testing.",
        effort_hours=Decimal(20),
        due_at=due,
        created_by=dave,
    )
    return Cast(
        org_a=org_a,
        org_b=org_b,
        provider_p=provider_p,
        provider_q=provider_q,
        alice=alice,
        bob=bob,
        aud=aud,
        pete=pete,
        carol=carol,
        rex=rex,
        erin=erin,
        ivan=ivan,
        ivan_profile=ivan_profile,
        dave=dave,
        quinn=quinn,
        ops=ops,
        engagement_a=engagement_a,
        task_a=task_a,
        draft_a=draft_a,
        engagement_b=engagement_b,
        task_b=task_b,
        deliverable_a=deliverable_a,
        version_a=version_a,
        document_a=document_a,
        message_a=message_a,
        time_entry_a=time_entry_a,
        assignment_a=assignment_a,
        nda_a=nda_a,
    )


def crowd(organisation: Organisation, n: int, *, role: str = "requester") -> list[User]:
    """`n` more members of `organisation` ("Member Nr000", m0@crowd.example, ...), for long lists."""
    users = User.objects.bulk_create(
        User(
            username=f"member{i:03}", first_name="Member", last_name=f"Nr{i:03}", email=f"m{i}@crowd.example"
        )
        for i in range(n)
    )
    Membership.objects.bulk_create(Membership(user=u, organisation=organisation, role=role) for u in users)
    return users


def issued_invoice(cast: Cast) -> Invoice:
    """An invoice Pinnacle issued to client A for engagement A (EUR 1,200, 30 November 2026)."""
    engagement = cast.engagement_a
    return Invoice.objects.create(
        engagement=engagement,
        provider=engagement.provider,
        client=engagement.client,
        sequence=1,
        number="PIN-2026-00001",
        kind="time_and_materials",
        issue_date=dt.date(2026, 11, 30),
        currency=cast.org_a.currency,
        work_total=Decimal(1200),
        total=Decimal(1200),
        provider_name=engagement.provider.name,
        client_name=engagement.client.name,
        engagement_title=engagement.title,
        rounding_rule="none",
        issued_by=cast.pete,
        issued_at=timezone.now(),
    )
