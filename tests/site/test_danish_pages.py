"""Every page, in Danish, for every demo role: no English outside user data.

The pages come from the URL configuration (every route that answers GET with HTML for some role), the ids
from the demo world. User data is every text value stored in the database (names, titles, descriptions,
ESCO labels, ...): it is cut out of the page before the words are checked. What is left may not contain a
common English word that is not also Danish (`tests/site/english_words.py`).
"""

from __future__ import annotations

import io
import re
from collections import defaultdict
from collections.abc import Iterable
from html import unescape
from pathlib import Path
from typing import Any

import holidays
import pytest
from babel import Locale
from babel.messages.pofile import read_po
from django.apps import apps
from django.contrib.auth.models import User
from django.core.management import call_command
from django.db import models
from django.test import Client
from django.urls import reverse

import kpo
from kpo.demo.accounts import DEMO_ACCOUNTS
from kpo.engine.costing import load_reference_data
from kpo.staffing.services import staffing_run_create
from tests.authz import web_routes
from tests.site.english_words import ENGLISH_WORDS, PROPER_NAMES

pytestmark = pytest.mark.django_db

PO = Path(kpo.__file__).resolve().parent / "locale" / "da" / "LC_MESSAGES" / "django.po"

# Routes that are not pages: actions (POST only), downloads, machine endpoints, the API.
NOT_PAGES = frozenset(
    {
        "set_language",
        "logout",
        "healthz",
        "readyz",
        "skill_search",
        "audit_export",
        "invoice_pdf",
        "invoice_csv",
        "sla_report_csv",
        "quality_dashboard_csv",
        "capacity_csv",
        "nda_signature_pdf",
        "sow_version_pdf",
        "document_download",
        "version_download",
        "prepared_copy_file",
        "vetting_credential_evidence",
        "dispute_evidence_download",
        "meeting_ics",
        # actions (POST only) on objects the demo world has none of
        "break_glass_approve",
        "break_glass_refuse",
        "break_glass_end",
        "coi_exception_revoke",
        "conflict_withdraw",
        "invitation_revoke",
        "token_revoke",
        "transfer_country_remove",
        "staffing_run_commit",
        "meeting_pick",
        "release_take",
        "release_recall",
    }
)
# Pages the demo world gives nobody a reason to open, with why.
NOT_REACHED = {
    "password_reset_confirm": "needs a one-time link from an e-mail",
    "invitation_accept": "needs an invitation token",
    "two_factor_code": "only during a sign-in with a second factor",
    "two_factor_recovery_codes": "only right after turning two-factor on",
    "prepared_copy": "exists only after a watermarked download is requested (tests/confidentiality)",
}
# Pages still showing English in Danish, with why (keep short).
UNFINISHED: dict[str, str] = {}


# URL keywords that do not name their model
KWARG_MODELS = {
    "grant_id": "orgs.BreakGlassGrant",
    "token_id": "orgs.ApiToken",
    "sensitive_term_id": "redaction.SensitiveTerm",
    "copy_id": "confidentiality.PreparedCopy",
    "run_id": "staffing.StaffingRun",
    "coi_exception_id": "compliance.ConflictException",
    "conflict_id": "compliance.ConflictDeclaration",
    "transfer_country_id": "compliance.TransferCountry",
    "document_id": "work.TaskDocument",
    "rate_line_id": "economics.RateCardLine",
    "nda_template_id": "confidentiality.NdaTemplate",
    "nda_signature_id": "confidentiality.NdaSignature",
    "dispute_evidence_id": "sla.DisputeEvidence",
    "scenario_id": "economics.MakeOrBuyScenario",
    "sow_version_id": "contracts.SowVersion",
    "bench_id": "matching.TalentBench",
    "bench_member_id": "matching.BenchMember",
    "overflow_provider_id": "work.OverflowProvider",
    "task_release_id": "work.TaskRelease",
    "glossary_term_id": "glossary.GlossaryTerm",
}
# Stored texts a service wrote, not a user: they are checked like the page around them.
SERVICE_TEXTS = {
    ("notices", "notice"): {"text"},
    ("economics", "invoiceline"): {"description", "rate_source"},
    ("staffing", "staffingrun"): {"message"},
}
# ... except on the rows where a user typed them: (model, field) -> which rows.
TYPED_ROWS = {
    ("economics", "invoiceline", "description"): {"kind__in": ["expense", "milestone"]},
}


def _ids() -> dict[str, list[int]]:
    """Candidate ids for each URL keyword, from the demo world: one object per tenant or state."""
    found: dict[str, list[int]] = {}
    for model in apps.get_models():
        found[f"{model._meta.model_name}_id"] = _first(model.objects.all())
    for kwarg, label in KWARG_MODELS.items():
        found[kwarg] = _first(apps.get_model(label).objects.all())
    Engagement = apps.get_model("work", "Engagement")
    found["engagement_id"] = _one_per(Engagement.objects.all(), "client_id")
    found["task_id"] = _one_per(apps.get_model("work", "Task").objects.all(), "status")
    found["organisation_id"] = list(
        apps.get_model("orgs", "Organisation").objects.values_list("pk", flat=True)
    )
    memberships = apps.get_model("orgs", "Membership").objects.order_by("pk")
    found["member_id"] = sorted(  # a member is a user: the first one of each organisation
        {org: user for user, org in reversed(memberships.values_list("user_id", "organisation_id"))}.values()
    )
    experts = apps.get_model("experts", "ExpertProfile").objects.all()
    found["expert_id"] = found["vetting_expert_id"] = _one_per(experts, "organisation_id")
    found["scenario_id"] = _one_per(
        apps.get_model("economics", "MakeOrBuyScenario").objects.all(), "client_id"
    )
    found["invoice_id"] = _one_per(apps.get_model("economics", "Invoice").objects.all(), "kind")
    return found


def _first(queryset: Any) -> list[int]:
    return list(queryset.order_by("pk").values_list("pk", flat=True)[:1])


def _one_per(queryset: Any, field: str) -> list[int]:
    seen: dict[Any, int] = {}
    for pk, key in queryset.order_by("pk").values_list("pk", field):
        seen.setdefault(key, pk)
    return list(seen.values())


def _reference_names() -> set[str]:
    """Names that stay as they are in Danish: countries as CLDR writes them, public holidays as the
    `holidays` package names them where it has no Danish, US occupations as BLS titles them (reference
    data, like ESCO's English labels: docs/decisions.md)."""
    names = {name for name in Locale("da").territories.values() if _english(name)}
    names.update(f"{soc} {occupation.title}" for soc, occupation in load_reference_data().oews.items())
    countries = set(apps.get_model("orgs", "Organisation").objects.values_list("country", flat=True))
    for country in countries - {""}:
        names.update(holidays.country_holidays(country, years=range(2025, 2029)).values())
    return names


def _user_data() -> list[str]:
    """Every text a user stored (or reference data loaded) that holds a listed English word, longest first.

    Not user data: choices and identifier-like codes, and the texts services wrote (SERVICE_TEXTS) but
    on the rows a user typed them (TYPED_ROWS: an invoice's expense and milestone lines).
    """
    texts: set[str] = set(PROPER_NAMES) | _reference_names()
    for model in apps.get_models():
        skipped = SERVICE_TEXTS.get((model._meta.app_label, model._meta.model_name), set())
        fields = [
            f.attname
            for f in model._meta.concrete_fields
            if isinstance(f, models.CharField | models.TextField)
            and not f.choices
            and f.attname not in skipped
        ]
        if not fields:
            continue
        for row in model.objects.values_list(*fields):
            for value in row:
                if value and not re.fullmatch(r"[a-z0-9_.-]+", value) and _english(value):
                    texts.add(re.sub(r"\s+", " ", value).strip())
    for (app, model_name, field), rows in TYPED_ROWS.items():
        typed = apps.get_model(app, model_name).objects.filter(**rows).values_list(field, flat=True)
        texts.update(re.sub(r"\s+", " ", value).strip() for value in typed if value and _english(value))
    return sorted(texts, key=len, reverse=True)


def _words(text: str) -> Iterable[str]:
    return re.findall(r"[^\W\d_]+(?:[-'\u2019][^\W\d_]+)*", text)


def _english(text: str) -> list[str]:
    return [w for w in _words(text) if w.lower() in ENGLISH_WORDS and not w.isupper()]


def _visible_text(body: str) -> str:
    body = re.sub(r"<(script|style|template)\b.*?</\1>", " ", body, flags=re.S)
    body = re.sub(r'<(\w+)\b[^>]*\stranslate="no"[^>]*>.*?</\1>', " ", body, flags=re.S)  # names, not prose
    attributes = re.findall(r'\s(?:title|aria-label|placeholder|alt)="([^"]*)"', body)
    text = unescape(re.sub(r"<[^>]+>", "\n", body) + "\n" + "\n".join(attributes))
    return re.sub(r"[ \t\r\f\v]+", " ", text)


def _strip(text: str, user_data: Iterable[str]) -> str:
    for value in user_data:
        if value in text:
            text = re.sub(rf"(?<!\w){re.escape(value)}(?!\w)", " ", text)
    return text


def _strip_truncated(text: str, blob: str) -> str:
    """Cut "Hydraulic press line: F…": the start of a stored text, shortened where space is short."""
    while "…" in text:
        end = text.index("…")
        start = next(
            (i for i in range(end) if (i == 0 or not text[i - 1].isalnum()) and text[i:end] in blob), end
        )
        text = text[:start] + " " + text[end + 1 :]
    return text


def _redacted_user_data(line: str, blob: str) -> bool:
    """A stored text as the provider side reads it, with "[PRODUCT-1]" placeholders for what was redacted."""
    if not re.search(r"\[[A-Z]+-\d+\]", line):
        return False
    parts = re.split(r"\[[A-Z]+-\d+\]", line.strip())
    return re.search(".+?".join(re.escape(part) for part in parts), blob) is not None


def _get_pages(client: Client, route: Any, ids: dict[str, list[int]]) -> Iterable[tuple[str, Any]]:
    kwargs_lists: list[dict[str, int]] = [{}]
    for kwarg in route.kwargs:
        kwargs_lists = [dict(k, **{kwarg: pk}) for k in kwargs_lists for pk in ids.get(kwarg, [])]
    for kwargs in kwargs_lists:
        url = reverse(route.key, kwargs=kwargs)
        yield url, client.get(url)


def test_the_word_list_holds_no_word_the_danish_catalogue_uses() -> None:
    with PO.open("rb") as handle:
        catalogue = read_po(handle, locale="da")
    danish: set[str] = set()
    for message in catalogue:
        if not message.id:
            continue
        strings = message.string if isinstance(message.string, tuple) else (message.string,)
        for string in strings:
            text = _strip(re.sub(r"%\(\w+\)\w|<[^>]+>", " ", string or ""), PROPER_NAMES)
            danish.update(w.lower() for w in _english(text))
    assert sorted(danish) == []


def test_the_check_finds_english_and_spares_user_data() -> None:
    user_data = ["Root causes of scrap in the heat treatment line"]
    blob = "\n".join(user_data)
    assert _english("Budget brugt er not shown yet") == ["not", "shown", "yet"]
    assert _english("Ingen ekspert er kvalificeret; se IN og US") == []
    assert _english(_strip("Opgave: Root causes of scrap in the heat treatment line", user_data)) == []
    assert _english(_strip_truncated("Root causes of scrap in the h…: 40 %", blob)) == []
    assert _english(_strip_truncated("The rest of it…", blob)) == ["The", "of", "it"]
    assert _redacted_user_data("Root causes of [PRODUCT-1] in the heat treatment line", blob)


def _staffing_run(capture: Any) -> None:
    """The demo has no staffing run: its provider manager starts one over the tasks waiting for experts."""
    priya = User.objects.get(username="priya")
    Task = apps.get_model("work", "Task")
    waiting = Task.objects.filter(
        engagement__provider__memberships__user=priya, status__in=["submitted", "staffing"]
    )
    provider = apps.get_model("orgs", "Organisation").objects.get(memberships__user=priya)
    with capture(execute=True):
        staffing_run_create(user=priya, provider=provider, task_ids=[t.pk for t in waiting[:5]])


def test_every_page_in_danish_for_every_role_shows_no_english(
    django_capture_on_commit_callbacks: Any,
) -> None:
    call_command("seed_demo", experts=10, seed=7, stdout=io.StringIO())
    _staffing_run(django_capture_on_commit_callbacks)
    ids = _ids()
    user_data = _user_data()
    blob = "\n".join(user_data)
    routes = [
        r
        for r in web_routes()
        if not r.key.startswith("api:") and r.key not in NOT_PAGES | NOT_REACHED.keys()
    ]
    rendered: set[str] = set()
    post_only: set[str] = set()
    findings: dict[str, set[str]] = defaultdict(set)
    for username in [None, *(account.username for account in DEMO_ACCOUNTS)]:  # None: signed out
        client = Client()
        if username is not None:
            client.force_login(User.objects.get(username=username))
        client.cookies["django_language"] = "da"
        for route in routes:
            if route.key in post_only:
                continue
            for url, response in _get_pages(client, route, ids):
                if response.status_code == 405:
                    post_only.add(route.key)
                    break
                if response.status_code != 200 or "text/html" not in response.get("Content-Type", ""):
                    continue
                rendered.add(route.key)
                for line in _visible_text(response.content.decode()).splitlines():
                    if not _english(line) or route.key in UNFINISHED:
                        continue
                    if line.strip() in blob or _redacted_user_data(line, blob):
                        continue
                    left = _strip_truncated(_strip(line, user_data), blob).strip()
                    if _english(left):
                        findings[route.key].add(left[:160])
    missing = sorted(r.key for r in routes if r.key not in rendered | post_only | UNFINISHED.keys())
    report = "\n".join(f"{key}: {sorted(found)[:40]}" for key, found in sorted(findings.items()))

    assert missing == [], f"routes no demo role could open: {missing}"
    assert not findings, report
