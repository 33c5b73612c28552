"""Deployment (issue 14, item 9): HTTPS settings from the environment, a Content-Security-Policy without
inline scripts, a Permissions-Policy, private files, and `kpo check --deploy` clean with the settings
docs/operations.md documents ("Deployment settings")."""

from __future__ import annotations

import os
import re
import secrets
import stat
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.test import Client

from kpo.settings import BASE_DIR, proxy_ssl_header

SRC = BASE_DIR.parent
DOCS = SRC.parent / "docs" / "operations.md"


def _documented_production_env() -> dict[str, str]:
    """The `KPO_...=value` lines of the fenced block under "Deployment settings" in docs/operations.md."""
    text = DOCS.read_text()
    section = text.split("## Deployment settings", 1)[1].split("\n## ", 1)[0]
    block = section.split("```sh", 1)[1].split("```", 1)[0]
    pairs = (line.split("#", 1)[0].strip() for line in block.splitlines())
    return dict(pair.split("=", 1) for pair in pairs if pair.startswith("KPO_"))


def _kpo(args: list[str], env: dict[str, str], data_dir: Path) -> subprocess.CompletedProcess[str]:
    clean = {k: v for k, v in os.environ.items() if not k.startswith(("KPO_", "DJANGO_", "DATABASE_URL"))}
    clean.update(env, KPO_DATA_DIR=str(data_dir), PYTHONPATH=str(SRC))
    return subprocess.run(
        [sys.executable, "-m", "kpo.cli", *args],
        env=clean,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )


def test_check_deploy_is_clean_with_the_documented_settings(tmp_path: Path) -> None:
    env = _documented_production_env()
    assert {"KPO_HSTS_SECONDS", "KPO_SSL_REDIRECT", "KPO_PROXY_SSL_HEADER"} <= set(env)
    env["KPO_SECRET_KEY"] = secrets.token_urlsafe(50)
    checked = _kpo(["check", "--deploy", "--fail-level", "WARNING"], env, tmp_path / "data")
    assert checked.returncode == 0, checked.stderr + checked.stdout
    assert "no issues" in checked.stdout


def test_check_deploy_warns_without_them(tmp_path: Path) -> None:
    """The control: the defaults (plain HTTP on the loopback) are not a deployment."""
    checked = _kpo(["check", "--deploy"], {"KPO_SECRET_KEY": secrets.token_urlsafe(50)}, tmp_path / "data")
    for warning in ("security.W004", "security.W008", "security.W012"):
        assert warning in checked.stderr + checked.stdout


def test_https_turns_on_secure_cookies(tmp_path: Path) -> None:
    shown = _kpo(
        [
            "shell",
            "-c",
            "from django.conf import settings as s; print(s.SESSION_COOKIE_SECURE, s.CSRF_COOKIE_SECURE)",
        ],
        {"KPO_SSL_REDIRECT": "1"},
        tmp_path / "data",
    )
    assert shown.stdout.strip().splitlines()[-1] == "True True", shown.stderr


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("", None),
        ("X-Forwarded-Proto", ("HTTP_X_FORWARDED_PROTO", "https")),
        ("X-Forwarded-Proto: https", ("HTTP_X_FORWARDED_PROTO", "https")),
        ("X-Forwarded-Ssl: on", ("HTTP_X_FORWARDED_SSL", "on")),
    ],
)
def test_the_proxy_header_is_read_from_the_environment(value: str, expected: Any) -> None:
    assert proxy_ssl_header(value) == expected


@pytest.mark.parametrize("value", ["X Forwarded", ": https", "X-Forwarded-Proto: two words", "X-Proto: \x00"])
def test_a_bad_proxy_header_is_refused_by_name(value: str) -> None:
    with pytest.raises(ImproperlyConfigured, match="KPO_PROXY_SSL_HEADER"):
        proxy_ssl_header(value)


def test_plain_http_is_redirected_and_hsts_sent_behind_the_proxy(settings: Any) -> None:
    settings.SECURE_SSL_REDIRECT = True
    settings.SECURE_HSTS_SECONDS = 31536000
    settings.SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    settings.SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    client = Client()
    redirected = client.get("/login/")
    assert redirected.status_code == 301 and redirected["Location"].startswith("https://")
    assert client.get("/healthz").status_code == 200  # the loopback health check stays on HTTP
    secure = client.get("/login/", headers={"X-Forwarded-Proto": "https"})
    assert secure.status_code == 200
    assert secure["Strict-Transport-Security"] == "max-age=31536000; includeSubDomains"


@pytest.mark.django_db
def test_every_page_sends_a_content_security_policy_without_inline_scripts() -> None:
    for path in ("/login/", "/api/docs"):
        policy = Client().get(path)["Content-Security-Policy"]
        directives = dict(d.strip().split(" ", 1) for d in policy.split(";") if d.strip())
        assert directives["default-src"] == "'self'"
        assert directives["script-src"] == "'self'"
        assert directives["frame-ancestors"] == "'none'"
        assert "unsafe-inline" not in directives["script-src"] and "unsafe-eval" not in policy


@pytest.mark.django_db
def test_powerful_browser_features_are_off() -> None:
    policy = Client().get("/login/")["Permissions-Policy"]
    for feature in ("camera", "microphone", "geolocation", "payment", "usb"):
        assert f"{feature}=()" in policy


INLINE_SCRIPT = re.compile(r"<script\b(?![^>]*\bsrc=)(?![^>]*type=\"application/json\")[^>]*>", re.I)
EVENT_HANDLER = re.compile(r"\son[a-z]+\s*=", re.I)
JAVASCRIPT_URL = re.compile(r"""(href|src|action)\s*=\s*["']\s*javascript:""", re.I)


def test_no_template_has_an_inline_script_or_event_handler() -> None:
    offenders = []
    for template in SRC.joinpath("kpo").rglob("templates/**/*.html"):
        if "/email/" in str(template):
            continue  # e-mails are not served under the policy
        text = template.read_text()
        for pattern in (INLINE_SCRIPT, EVENT_HANDLER, JAVASCRIPT_URL):
            offenders += [f"{template.relative_to(SRC)}: {m.group(0)}" for m in pattern.finditer(text)]
    assert offenders == []


def test_htmx_adds_no_inline_style_element() -> None:
    base = SRC.joinpath("kpo", "templates", "base.html").read_text()
    assert '"includeIndicatorStyles": false' in base


@pytest.mark.django_db
def test_stored_files_and_their_folders_are_private(settings: Any, tmp_path: Path) -> None:
    settings.MEDIA_ROOT = tmp_path / "media"
    name = default_storage.save("tasks/1/secret.txt", ContentFile(b"client material"))
    path = Path(default_storage.path(name))
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert stat.S_IMODE(path.parent.stat().st_mode) == 0o700


def test_the_database_and_the_data_folder_are_created_private(tmp_path: Path) -> None:
    data = tmp_path / "data"
    made = _kpo(
        ["shell", "-c", "from django.db import connection; connection.ensure_connection()"],
        {"KPO_SECRET_KEY": secrets.token_urlsafe(50)},
        data,
    )
    assert made.returncode == 0, made.stderr
    assert stat.S_IMODE((data / "kpo.sqlite3").stat().st_mode) == 0o600
    assert stat.S_IMODE(data.stat().st_mode) == 0o700
