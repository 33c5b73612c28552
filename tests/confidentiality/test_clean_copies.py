"""Look-alike letters only in copies of restricted material: a default copy searches and pastes as typed."""

from __future__ import annotations

import io

import pytest
from django.test import Client

from kpo.confidentiality.models import Download
from kpo.confidentiality.tokens import document_url
from kpo.engine.watermark import normalise, trace
from kpo.engine.watermark.text import HOMOGLYPHS, NBSP
from kpo.work.models import TaskDocument
from tests.cast import Cast
from tests.confidentiality.test_vault import BRIEF

pytestmark = [pytest.mark.django_db, pytest.mark.dates]

LOOK_ALIKES = frozenset(HOMOGLYPHS.values())


def _copy(client: Client, cast: Cast, document: TaskDocument) -> str:
    response = client.get(document_url(cast.carol.pk, document))
    assert response.status_code == 200
    body = b"".join(response.streaming_content) if response.streaming else response.content
    return body.decode()


def _brief(cast: Cast, name: str, content_type: str) -> TaskDocument:
    document = cast.document_a
    document.original_name, document.content_type = name, content_type
    document.file.save(name, io.BytesIO(BRIEF.encode()), save=True)
    return document


@pytest.mark.parametrize(
    ("name", "content_type"), [("brief.md", "text/markdown"), ("brief.txt", "text/plain")]
)
def test_a_brief_at_the_default_level_has_no_look_alike_letters(
    cast: Cast, client_for, name: str, content_type: str
) -> None:  # type: ignore[no-untyped-def]
    document = _brief(cast, name, content_type)
    assert document.effective_confidentiality == "confidential"  # the default classification
    copy = _copy(client_for("carol"), cast, document)
    assert not LOOK_ALIKES & set(copy), "a default copy must search and spell-check as typed"
    assert NBSP in copy and normalise(copy).startswith(BRIEF[:40])
    download = Download.objects.get()
    assert trace(copy).code == download.pk
    # a paragraph pasted out of it still names the download
    assert trace(copy.split("\n\n")[0]).code == download.pk


def test_a_restricted_brief_carries_look_alike_letters(cast: Cast, client_for) -> None:  # type: ignore[no-untyped-def]
    document = _brief(cast, "brief.md", "text/markdown")
    document.confidentiality = "restricted"
    document.save()
    profile = cast.carol.expert_profile
    profile.clearance = "restricted"
    profile.save()
    copy = _copy(client_for("carol"), cast, document)
    assert LOOK_ALIKES & set(copy)
    # with every invisible character and no-break space gone, the look-alikes alone still name it
    stripped = "".join(c for c in copy if c not in "\u200b\u200c\u200d\u2060").replace(NBSP, " ")
    assert trace(stripped.split("\n\n")[0]).code == Download.objects.get().pk


def test_the_task_level_decides_for_a_document_without_its_own(cast: Cast, client_for) -> None:  # type: ignore[no-untyped-def]
    document = _brief(cast, "brief.txt", "text/plain")
    task = cast.task_a
    task.confidentiality = "restricted"
    task.save()
    profile = cast.carol.expert_profile
    profile.clearance = "restricted"
    profile.save()
    assert LOOK_ALIKES & set(_copy(client_for("carol"), cast, document))
    document.confidentiality = "internal"
    document.save()
    assert not LOOK_ALIKES & set(_copy(client_for("carol"), cast, document))
