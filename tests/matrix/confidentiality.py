"""The authorisation matrix's entries for confidentiality (see tests/matrix/__init__.py).

NDA templates are read by the client's people and by the provider-side people with a need to know
(managers of the client's engagements, experts assigned to its tasks); a signed record by its signer
and the client's admins and auditors; a copy prepared in the worker by its recipient only. The vault
pages and API operations (downloads, NDAs, leak tracing) hang under the client organisation
(`organisation_id`, whose outsiders the base matrix already lists); the API's NDA operations follow the
pages' doors.
"""

from __future__ import annotations

from typing import Any

from django.utils import timezone

from kpo.confidentiality.models import (
    Download,
    NdaSignature,
    NdaTemplate,
    NdaVersion,
    PreparedCopy,
    WordingReview,
)
from tests.authz import OBJECT, Rule
from tests.cast import Cast
from tests.matrix import MatrixPart


def _objects(cast: Cast) -> dict[str, Any]:
    signature = NdaSignature.objects.get(version__template=cast.nda_a, signer=cast.carol)
    now = timezone.now()
    copy = PreparedCopy.objects.create(
        user=cast.carol,
        task=cast.task_a,
        document=cast.document_a,
        title="Brief",
        kind="text",
        created_at=now,
        updated_at=now,
    )
    return {"nda_template_id": cast.nda_a.pk, "nda_signature_id": signature.pk, "copy_id": copy.pk}


PART = MatrixPart(
    web={
        "nda_templates": Rule(OBJECT),
        "vault_overview": Rule(OBJECT),
        "leak_trace": Rule(OBJECT),
        "nda_template_edit": Rule(OBJECT),
        "nda_sign": Rule(OBJECT),
        "nda_signature_pdf": Rule(OBJECT),
        "document_classify": Rule(OBJECT),
        "document_wording": Rule(OBJECT),
        "expert_clearance": Rule(OBJECT),
        "prepared_copy": Rule(OBJECT),
        "prepared_copy_file": Rule(OBJECT),
    },
    api={
        "list_nda_templates": Rule(OBJECT),
        "create_nda_template": Rule(OBJECT, body={"title": "Leak", "text": "Leak"}),
        "get_nda_template": Rule(OBJECT),
        "update_nda_template": Rule(OBJECT, body={"title": "Leak", "in_force": False}),
        "list_nda_versions": Rule(OBJECT),
        "create_nda_version": Rule(OBJECT, body={"text": "Leak"}),
        "list_nda_signatures": Rule(OBJECT),
        "create_nda_signature": Rule(OBJECT, body={"version_id": 1, "typed_name": "Leak"}),
        "get_nda_signature": Rule(OBJECT),
        "download_nda_signature_pdf": Rule(OBJECT),
        "list_downloads": Rule(OBJECT),
        "create_trace": Rule(OBJECT, files=True),
    },
    outsiders_by_id={
        "nda_template_id": ("dave", "quinn", "erin", "ivan"),
        "nda_signature_id": ("dave", "quinn", "erin", "ivan", "pete", "rex", "bob"),
        # a copy prepared in the worker is its recipient's alone (carol's here)
        "copy_id": ("alice", "bob", "aud", "pete", "rex", "erin", "ivan", "dave", "quinn", "ops"),
    },
    insider_by_id={"copy_id": "carol"},
    objects=_objects,
    scoped_models=[
        (NdaTemplate, "client"),
        (NdaVersion, "template__client"),
        (NdaSignature, "version__template__client"),
        (Download, "client"),
        (PreparedCopy, "task__engagement__client"),
        (WordingReview, "document__task__engagement__client"),
    ],
)
