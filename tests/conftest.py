from __future__ import annotations

import datetime as dt
import importlib
import os
import sqlite3
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import time_machine
from django.apps import apps
from django.conf import settings as django_settings
from django.db import connection
from django.test import Client
from django.utils import translation
from pytest_django.plugin import blocking_manager_key

from tests.cast import Cast, build_cast
from tests.clock.instants import instant
from tests.reference_data import load_reference_data

TWO_FACTOR_GATE = "kpo.site.two_factor.middleware.TwoFactorGateMiddleware"
_TRAVEL: list[time_machine.travel] = []
_AT = pytest.StashKey[dt.datetime]()
MIGRATED_TEMPLATE = "KPO_TEST_DB_TEMPLATE"


def pytest_configure(config: pytest.Config) -> None:
    """KPO_TEST_AT moves the whole session's clock to a hostile instant (tests/clock/instants.py)."""
    at = os.environ.get("KPO_TEST_AT", "").strip()
    if at and not _TRAVEL:
        moment = instant(at)
        travel = time_machine.travel(moment, tick=True)
        travel.start()
        _TRAVEL.append(travel)
        config.stash[_AT] = moment


def pytest_report_header(config: pytest.Config) -> str | None:
    moment = config.stash.get(_AT, None)
    return f"clock moved to {moment} (KPO_TEST_AT)" if moment is not None else None


def pytest_unconfigure(config: pytest.Config) -> None:
    while _TRAVEL:
        _TRAVEL.pop().stop()


def _migrated_template() -> Path | None:
    """KPO_TEST_DB_TEMPLATE names a SQLite file that `kpo migrate` made from this checkout
    (tools/test-hostile-instants makes one for its eight runs): the test database starts as its copy."""
    name = os.environ.get(MIGRATED_TEMPLATE, "").strip()
    if not name:
        return None
    template = Path(name)
    if connection.vendor != "sqlite" or not template.is_file():
        raise pytest.UsageError(
            f"{MIGRATED_TEMPLATE}={name}: needs an existing SQLite file and a SQLite test database"
        )
    return template


@pytest.fixture(scope="session")
def django_db_modify_db_settings(django_db_modify_db_settings_parallel_suffix: None) -> None:
    """With a migrated template the test database is first made from the models (quick), then replaced."""
    if _migrated_template() is not None:
        connection.settings_dict.setdefault("TEST", {})["MIGRATE"] = False


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup: None, django_db_blocker: Any) -> None:
    """pytest-django's test database; with a migrated template, replaced by the template's copy."""
    template = _migrated_template()
    if template is None:
        return
    from django.contrib.contenttypes.models import ContentType

    with django_db_blocker.unblock():
        connection.ensure_connection()
        with sqlite3.connect(template) as source:
            source.backup(connection.connection)
        source.close()
        ContentType.objects.clear_cache()  # the ids of the database made from the models


@pytest.hookimpl(wrapper=True)
def pytest_runtest_teardown(item: pytest.Item, nextitem: pytest.Item | None) -> object:
    """A transactional test ends by emptying every table, the ESCO rows a migration loads too: put them
    back for the tests that run after it in the same process (xdist's loadfile sends whole files)."""
    result = yield
    marker = item.get_closest_marker("django_db")
    if marker is not None and marker.kwargs.get("transaction"):
        load_esco = importlib.import_module("kpo.experts.migrations.0002_load_esco").load
        with item.config.stash[blocking_manager_key].unblock():
            load_esco(apps, None)
    return result


@pytest.fixture(autouse=True)
def _fast_and_isolated(
    settings: pytest.FixtureRequest, tmp_path: Path, request: pytest.FixtureRequest
) -> None:
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.MEDIA_ROOT = tmp_path / "media"
    # Jobs run inside the request that enqueues them; the worker's own tests switch to the database backend.
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
    # Tests sign people in with force_login (no second factor): the two-factor gate is off unless a test
    # turns it on (tests/security/two_factor_helpers.gate_on). Browser tests keep it, as the live server
    # does (it builds its middleware once, before any test's settings).
    if request.node.get_closest_marker("e2e") is None:
        settings.MIDDLEWARE = [m for m in settings.MIDDLEWARE if m != TWO_FACTOR_GATE]
    # A request in Danish leaves Danish active in the thread: every test starts in the default language.
    translation.activate(django_settings.LANGUAGE_CODE)


@pytest.fixture(scope="module")
def _reference_data_after_module(django_db_setup: None, django_db_blocker: Any) -> Iterator[None]:
    """Leave the ESCO rows in place for whatever test runs next on this database."""
    yield
    with django_db_blocker.unblock():
        load_reference_data()


@pytest.fixture
def committed_db(transactional_db: None, _reference_data_after_module: None) -> None:
    """A database whose writes commit for real (for threads and other processes), flushed after each
    test; the flush takes the ESCO rows a migration put in, so they are loaded again before each test
    and after the module."""
    load_reference_data()


@pytest.fixture
def cast(db: None) -> Cast:
    return build_cast()


@pytest.fixture
def client_for(cast: Cast):  # type: ignore[no-untyped-def]
    """A logged-in Django test client for one member of the cast: client_for("alice")."""

    def make(name: str) -> Client:
        client = Client()
        client.force_login(cast.users()[name])
        return client

    return make
