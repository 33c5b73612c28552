"""Languages: a complete, compiled Danish catalogue; a language switch that remembers; formats that follow
the active language; lifecycle errors from the engine shown in the reader's language."""

from __future__ import annotations

import datetime as dt
import io
import itertools
import re
import zoneinfo
from collections.abc import Iterator
from decimal import Decimal
from gettext import GNUTranslations
from html import unescape
from pathlib import Path

import pytest
from babel.messages.catalog import Catalog
from babel.messages.extract import extract
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from django.template import Context, Template
from django.test import Client
from django.utils import timezone, translation
from django.utils.translation import templatize

import kpo
from kpo.core.errors import DomainError
from kpo.core.formatting import country, day, language, money, number, when
from kpo.engine.lifecycle import Capacity, Precondition, TaskState, TransitionError, check_transition
from kpo.work import services
from kpo.work.transition_texts import transition_error_text
from tests.cast import PASSWORD, Cast

SOURCE = Path(kpo.__file__).resolve().parent
MESSAGES = SOURCE / "locale" / "da" / "LC_MESSAGES"
PO = MESSAGES / "django.po"
MO = MESSAGES / "django.mo"
REBUILD = (
    "cd src/kpo && ../../.venv/bin/django-admin makemessages -l da --add-location file "
    "--settings=kpo.settings, translate the new entries, then compilemessages"
)
# What Django's makemessages passes to xgettext (its own keywords plus xgettext's Python defaults).
KEYWORDS = {
    "_": None,
    "gettext": None,
    "gettext_lazy": None,
    "gettext_noop": None,
    "ngettext": (1, 2),
    "ngettext_lazy": (1, 2),
    "pgettext": ((1, "c"), 2),
    "pgettext_lazy": ((1, "c"), 2),
    "npgettext": ((1, "c"), 2, 3),
    "npgettext_lazy": ((1, "c"), 2, 3),
}


@pytest.fixture(autouse=True)
def _back_to_the_default_language() -> Iterator[None]:
    """A request activates its language in this thread and Django leaves it active: reset it after each
    test, so later tests (services called directly) see the default language again."""
    yield
    translation.deactivate()


def _catalogue() -> Catalog:
    with PO.open("rb") as handle:
        return read_po(handle, locale="da")


def _key(message_id: str | tuple[str, ...] | list[str], context: str | None) -> tuple[str | None, object]:
    return context, message_id if isinstance(message_id, str) else tuple(message_id)


# --- the catalogue -----------------------------------------------------------------------------------


def test_the_danish_catalogue_translates_every_entry_and_none_is_fuzzy() -> None:
    catalogue = _catalogue()
    entries = [m for m in catalogue if m.id]
    assert len(entries) > 400
    assert not catalogue.fuzzy, "the header is marked fuzzy"
    untranslated = [
        m.id for m in entries if not m.string or (isinstance(m.string, tuple) and not all(m.string))
    ]
    assert untranslated == [], f"untranslated entries in {PO}"
    assert [m.id for m in entries if m.fuzzy] == [], f"fuzzy entries in {PO}"
    assert catalogue.num_plurals == 2
    for message in entries:
        if message.pluralizable:
            assert isinstance(message.string, tuple) and len(message.string) == 2, message.id


def test_the_danish_translations_keep_every_placeholder() -> None:
    problems = [(message.id, [str(e) for e in errors]) for message, errors in _catalogue().check()]
    assert problems == []
    for message in _catalogue():
        if not message.id:
            continue
        ids = message.id if isinstance(message.id, tuple) else (message.id,)
        strings = message.string if isinstance(message.string, tuple) else (message.string,)
        wanted = set(re.findall(r"%\(\w+\)s", " ".join(ids)))
        for string in strings:
            assert set(re.findall(r"%\(\w+\)s", string)) == wanted, message.id
            assert ("<code>" in string) == ("<code>" in ids[0]), message.id


def test_the_shipped_mo_is_compiled_from_the_po() -> None:
    compiled = io.BytesIO()
    write_mo(compiled, _catalogue())
    compiled.seek(0)
    fresh = dict(GNUTranslations(compiled)._catalog)  # type: ignore[attr-defined]
    with MO.open("rb") as handle:
        shipped = dict(GNUTranslations(handle)._catalog)  # type: ignore[attr-defined]
    fresh.pop("", None)
    shipped.pop("", None)
    assert shipped == fresh, f"{MO} is out of date: run compilemessages (make messages)"


def _marked_strings() -> set[tuple[str | None, object]]:
    """Every string marked for translation in src/kpo, extracted the way makemessages does it."""
    found = set()
    for path in sorted(SOURCE.rglob("*")):
        if path.suffix not in {".py", ".html", ".txt"} or {"locale", "migrations"} & set(path.parts):
            continue
        text = path.read_text(encoding="utf-8")
        if path.suffix == ".py":
            code = text
        else:  # Django's template-to-gettext-calls form; its indentation means nothing, and may not tokenize
            code = "\n".join(line.lstrip() for line in templatize(text, origin=str(path)).splitlines())
        for _line, message, _comments, context in extract(
            "python", io.BytesIO(code.encode("utf-8")), keywords=KEYWORDS, options={"encoding": "utf-8"}
        ):
            found.add(_key(message, context))
    return found


def test_every_string_marked_for_translation_is_in_the_catalogue() -> None:
    catalogue = {_key(m.id, m.context) for m in _catalogue() if m.id}
    marked = _marked_strings()
    assert sorted(map(str, marked - catalogue)) == [], f"new strings are not in the catalogue: {REBUILD}"


# --- the engine's lifecycle errors, translated at the edge -----------------------------------------------


def _engine_errors() -> list[TransitionError]:
    """Every distinct error the lifecycle can raise, by trying every move for every single capacity."""
    errors: dict[str, TransitionError] = {}
    for state, target, capacity, satisfied, comment in itertools.product(
        TaskState, TaskState, Capacity, (frozenset(), frozenset(Precondition)), ("", "because")
    ):
        for resume_to in (None, TaskState.IN_PROGRESS):
            try:
                check_transition(state, target, frozenset({capacity}), satisfied, comment, resume_to)
            except TransitionError as error:
                errors.setdefault(error.message, error)
    return list(errors.values())


def test_every_lifecycle_error_is_translated_into_danish() -> None:
    errors = _engine_errors()
    assert len(errors) > 20
    with translation.override("da"):
        for error in errors:
            text = transition_error_text(error)
            assert text != error.message, error.message
            assert "_" not in text, text  # no raw state or action names
            assert not re.search(r"\b(the|may|cannot|before)\b", text), text


def test_lifecycle_errors_read_well_in_english_too() -> None:
    with translation.override("en"):
        moved = TransitionError("A task cannot go from draft to accepted.")
        assert transition_error_text(moved) == "A task cannot go from “Draft” to “Accepted”."
        who = TransitionError("Only client, provider_manager may put on hold this task.")
        assert transition_error_text(who) == (
            "Only the client or the provider's manager may do this now: “Put on hold”."
        )
        assert transition_error_text(TransitionError("Something new.")) == "Something new."
    with translation.override("da"):
        assert transition_error_text(who) == (
            "Kun kunden eller den leveranceansvarlige kan gøre dette nu: »Sæt på pause«."
        )


@pytest.mark.django_db
def test_service_errors_speak_the_active_language(cast: Cast) -> None:
    with translation.override("da"), pytest.raises(DomainError) as moved:
        services.task_transition(user=cast.bob, task=cast.task_a, target="accepted")
    assert moved.value.message == "En opgave kan ikke gå fra »I gang« til »Godkendt«."
    with translation.override("da"), pytest.raises(DomainError) as edited:
        services.task_update(user=cast.bob, task=cast.task_a, title="New title")
    assert edited.value.message == "En opgave kan kun ændres, før arbejdet starter."
    with translation.override("en"), pytest.raises(DomainError) as english:
        services.task_update(user=cast.bob, task=cast.task_a, title="New title")
    assert english.value.message == "A task can be changed only before work starts."


# --- the language switch ----------------------------------------------------------------------------------


def _lang(response: object) -> str:
    body = response.content.decode()  # type: ignore[attr-defined]
    match = re.search(r'<html lang="([^"]+)"', body)
    assert match, body[:200]
    return match.group(1)


@pytest.mark.django_db
def test_the_language_switch_remembers_the_choice_across_sign_out_and_in(cast: Cast) -> None:
    client = Client()
    assert client.login(username="bob", password=PASSWORD)
    assert _lang(client.get("/")) == "en"

    switched = client.post("/i18n/setlang/", {"language": "da", "next": "/"})
    assert switched.status_code == 302 and switched["Location"] == "/"
    cookie = switched.cookies["django_language"]
    assert cookie.value == "da"
    assert int(cookie["max-age"]) == 365 * 24 * 60 * 60
    assert cookie["samesite"] == "Lax"

    dashboard = client.get("/")
    assert _lang(dashboard) == "da"
    assert "Velkommen, Bob" in dashboard.content.decode()

    signed_out = client.post("/logout/", follow=True)
    assert _lang(signed_out) == "da"
    assert "Du er logget ud." in signed_out.content.decode()
    signed_in = client.post("/login/", {"username": "bob", "password": PASSWORD}, follow=True)
    assert _lang(signed_in) == "da"
    assert "Velkommen, Bob" in signed_in.content.decode()

    client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    assert _lang(client.get("/")) == "en"


@pytest.mark.django_db
def test_the_choice_outranks_the_browsers_language(cast: Cast) -> None:
    client = Client(headers={"accept-language": "da"})
    assert _lang(client.get("/login/")) == "da"
    client.post("/i18n/setlang/", {"language": "en", "next": "/login/"})
    assert _lang(client.get("/login/")) == "en"


# --- formats ----------------------------------------------------------------------------------------------


def test_money_follows_the_active_language() -> None:
    with translation.override("en"):
        assert money(Decimal("100000"), "DKK") == "DKK\xa0100,000.00"
        assert money("60", "EUR") == "€60.00"
        assert money(Decimal("1234.5"), "") == "1,234.50"
        assert money(None, "DKK") == ""
    with translation.override("da"):
        assert money(Decimal("100000"), "DKK") == "100.000,00\xa0kr."
        assert money("60", "EUR") == "60,00\xa0€"
        assert money(Decimal("1234.5"), "") == "1.234,50"


def test_numbers_and_dates_follow_the_active_language() -> None:
    with translation.override("en"):
        assert number(Decimal("1234.5")) == "1,234.5"
        assert day(dt.date(2026, 11, 27)) == "27 Nov 2026"
        assert country("DK") == "Denmark" and language("da") == "Danish"
    with translation.override("da"):
        assert number(Decimal("1234.5")) == "1.234,5"
        assert day(dt.date(2026, 11, 27)) == "27. nov. 2026"
        assert day(dt.date(2026, 5, 3)) == "3. maj 2026"
        assert country("DK") == "Danmark" and country("IN") == "Indien"
        assert language("de") == "Tysk"


@pytest.mark.parametrize(
    ("code", "zone", "expected"),
    [
        ("en", "Europe/Copenhagen", "15 Jan 2027, 12:00 CET"),
        ("da", "Europe/Copenhagen", "15. jan. 2027 kl. 12:00 CET"),
        ("da", "Asia/Kolkata", "15. jan. 2027 kl. 16:30 IST"),
    ],
)
def test_moments_are_shown_in_the_viewers_language_and_time_zone(code: str, zone: str, expected: str) -> None:
    moment = dt.datetime(2027, 1, 15, 11, 0, tzinfo=dt.UTC)
    template = Template("{% load kpo %}{{ moment|when }}")
    with translation.override(code), timezone.override(zoneinfo.ZoneInfo(zone)):
        assert template.render(Context({"moment": moment})) == expected


def test_a_remembered_moment_is_never_shown_in_another_zone_or_language() -> None:
    """Moments are remembered by wall clock, zone and language: one instant read in three zones and two
    languages, twice over, gives six texts, each as if formatted afresh."""
    moment = dt.datetime(2027, 7, 1, 6, 45, tzinfo=dt.UTC)
    seen = set()
    for _ in range(2):
        for code in ("en", "da"):
            for zone in ("Europe/Copenhagen", "Asia/Manila", "UTC"):
                with translation.override(code):
                    text = when(moment.astimezone(zoneinfo.ZoneInfo(zone)))
                seen.add((code, zone, text))
    assert {(code, zone, text) for code, zone, text in seen if code == "en"} == {
        ("en", "Europe/Copenhagen", "1 Jul 2027, 08:45 CEST"),
        ("en", "Asia/Manila", "1 Jul 2027, 14:45 PST"),
        ("en", "UTC", "1 Jul 2027, 06:45 UTC"),
    }
    assert ("da", "Asia/Manila", "1. jul. 2027 kl. 14:45 PST") in seen
    assert len(seen) == 6
    with translation.override("da"):
        assert day(dt.datetime(2027, 1, 1, 0, 30, tzinfo=zoneinfo.ZoneInfo("Asia/Kolkata"))) == "1. jan. 2027"


# --- pages in Danish --------------------------------------------------------------------------------------


def _english_only_texts() -> list[str]:
    """Longer English texts of the catalogue whose Danish differs: none may show on a Danish page."""
    texts = []
    for message in _catalogue():
        if not message.id or message.pluralizable or not isinstance(message.string, str):
            continue
        english = str(message.id)
        if "%" in english or "<" in english or len(english.split()) < 2 or english == message.string:
            continue
        texts.append(english)
    return texts


def _visible_text(body: str) -> str:
    body = re.sub(r"<(script|style)\b.*?</\1>", " ", body, flags=re.S)
    return re.sub(r"\s+", " ", unescape(re.sub(r"<[^>]+>", " ", body)))


@pytest.mark.django_db
@pytest.mark.parametrize("who", ["bob", "pete", "carol", "alice"])
def test_pages_in_danish_show_no_english_interface_text(cast: Cast, who: str) -> None:
    client = Client()
    client.force_login(cast.users()[who])
    client.cookies["django_language"] = "da"
    urls = [
        "/",
        "/engagements/",
        f"/engagements/{cast.engagement_a.pk}/",
        "/tasks/",
        f"/tasks/{cast.task_a.pk}/",
        "/experts/",
        f"/experts/{cast.carol.expert_profile.pk}/",
        "/tokens/",
        "/password/",
    ]
    if who in {"bob", "alice"}:
        urls += ["/engagements/new/", f"/engagements/{cast.engagement_a.pk}/tasks/new"]
    english = _english_only_texts()
    for url in urls:
        response = client.get(url)
        assert response.status_code == 200, url
        assert _lang(response) == "da", url
        text = _visible_text(response.content.decode())
        shown = [phrase for phrase in english if phrase in text]
        assert shown == [], (url, shown)
