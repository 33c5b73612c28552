"""The demo world's glossary and the state of its threads.

Nordvind keeps a glossary on the engagement of its heat-treatment task (Carol's, at Indus Insight), one
term of which holds its code name Tailwind, so Carol reads it as a placeholder while Bob reads it as
written. Everyone on a task has read its thread up to its last message, except Carol: Bob's newest
message on that task, in Danish, mentions her and uses a glossary term, so she sees "1 new message" and
the notice that she was mentioned.
"""

from __future__ import annotations

from collections import Counter

from django.contrib.auth.models import User

from kpo.demo.organisations import MANUFACTURER
from kpo.demo.redaction import TASK_TITLE
from kpo.engine.taxonomy import Role
from kpo.glossary.models import GlossaryTerm
from kpo.orgs.models import Organisation
from kpo.work import services
from kpo.work.access import task_capacities
from kpo.work.activity_rules import thread_open
from kpo.work.models import Message, MessageLanguage, Task, ThreadReadMarker

TERMS = (
    ("Ring gear", "Ringhjul", "The internal gear of a planetary stage; heat-treated after cutting."),
    (
        "Case hardening",
        "Indsætningshærdning",
        "Carburising the surface, then quenching, for a hard outer layer.",
    ),
    ("Scrap rate", "Kassationsrate", "Share of parts thrown away after inspection, by count."),
    ("Furnace log", "Ovnlog", "The furnace's record of temperature, carbon level and time per batch."),
    ("Distortion", "Deformation", "Change of shape during quenching; the main cause of scrap."),
    ("Tailwind ring gear", "Tailwind-ringhjul", "The ring gear of the next 8 MW gearbox."),
)
NEW_MESSAGE = "@carol Kan du sammenholde kassationsraten med ovnloggen for uge 47?"


def seed_glossary(organisations: dict[str, Organisation]) -> Counter[str]:
    written: Counter[str] = Counter()
    task = (
        Task.objects.filter(engagement__client=organisations[MANUFACTURER], title=TASK_TITLE)
        .select_related("engagement", "created_by")
        .first()
    )
    if task is None:
        return written
    requester = task.created_by
    GlossaryTerm.objects.bulk_create(
        GlossaryTerm(
            engagement=task.engagement, english=english, danish=danish, definition=text, created_by=requester
        )
        for english, danish, text in TERMS
    )
    written["glossary_terms"] = len(TERMS)
    written["thread_read_markers"] = _threads_read(organisations)
    if thread_open(task) and task_capacities(requester, task):
        services.message_post(user=requester, task=task, body=NEW_MESSAGE, language=MessageLanguage.DANISH)
        written["messages"] += 1
    return written


def _threads_read(organisations: dict[str, Organisation]) -> int:
    """Everyone on each demo task (its requester, experts, the client's admins, the provider's managers)
    has read its thread up to its newest message."""
    markers = []
    tasks = Task.objects.filter(engagement__client__in=organisations.values()).select_related("engagement")
    for task in tasks.order_by("id"):
        latest = Message.objects.filter(task=task).order_by("-id").values_list("id", flat=True).first()
        if latest is None:
            continue
        people = set(task.assignments.values_list("expert__user_id", flat=True)) | {task.created_by_id}
        people |= set(
            User.objects.filter(
                memberships__organisation_id__in=(task.engagement.client_id, task.engagement.provider_id),
                memberships__role__in=(Role.CLIENT_ADMIN.value, Role.PROVIDER_MANAGER.value),
            ).values_list("id", flat=True)
        )
        markers += [ThreadReadMarker(task=task, user_id=pk, last_read_id=latest) for pk in sorted(people)]
    ThreadReadMarker.objects.bulk_create(markers)
    return len(markers)
