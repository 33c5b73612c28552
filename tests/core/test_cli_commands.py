"""Every `kpo <command>` the README documents runs through the installed `kpo` entry point.

The commands come from the README's code (fenced blocks and inline spans), so the README and the CLI
cannot drift apart. Each runs as its own process, with `--help`, the way a user would type it.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor
from functools import cache
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
FENCED = re.compile(r"^```[^\n]*\n(.*?)^```", re.MULTILINE | re.DOTALL)
INLINE = re.compile(r"`([^`]+)`")
COMMAND = re.compile(r"(?:^|\s)kpo\s+([a-z][a-z0-9_-]*)", re.MULTILINE)


def documented_commands(readme: str) -> list[str]:
    """The first word after `kpo` in every piece of code in `readme`, each once, in order."""
    code = FENCED.findall(readme)
    code += INLINE.findall(FENCED.sub("", readme))
    found = [name for piece in code for name in COMMAND.findall(piece)]
    return list(dict.fromkeys(found))


COMMANDS = documented_commands((ROOT / "README.md").read_text(encoding="utf-8"))


def _entry_point() -> str:
    beside = Path(sys.executable).with_name("kpo")
    found = str(beside) if beside.exists() else shutil.which("kpo")
    if found is None:
        pytest.fail("The `kpo` entry point is not installed (pip install -e . puts it beside python).")
    return found


def _help(kpo: str, command: str) -> subprocess.CompletedProcess[str]:
    env = {name: value for name, value in os.environ.items() if name != "DJANGO_SETTINGS_MODULE"}
    env["PYTHONPATH"] = str(ROOT / "src")
    return subprocess.run(
        [kpo, command, "--help"],
        env=env,
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=180,
        check=False,
    )


@cache
def _helps() -> dict[str, subprocess.CompletedProcess[str]]:
    """Every documented command's help, started side by side (each process sets Django up)."""
    kpo = _entry_point()
    with ThreadPoolExecutor(max_workers=4) as pool:
        return dict(zip(COMMANDS, pool.map(lambda command: _help(kpo, command), COMMANDS), strict=True))


def test_the_readme_documents_commands() -> None:
    assert {"demo", "serve", "trace-leak", "audit"} <= set(COMMANDS)


def test_commands_are_found_in_code_spans_and_blocks_only() -> None:
    readme = "Run kpo nothing.\n```sh\nkpo first --x\n```\nThen `kpo second\n--y` and `kpo.engine`, `kpo`."
    assert documented_commands(readme) == ["first", "second"]


@pytest.mark.parametrize("command", COMMANDS)
def test_every_documented_command_runs(command: str) -> None:
    result = _helps()[command]
    assert result.returncode == 0, result.stderr or result.stdout
    usage = result.stdout.lower()
    assert f"kpo {command}" in usage or f"kpo {command.replace('-', '_')}" in usage, result.stdout


@pytest.mark.parametrize(("command", "limited"), [("serve", True), ("demo", True), ("migrate", False)])
def test_the_serving_commands_give_each_vector_product_one_thread(
    monkeypatch: pytest.MonkeyPatch, command: str, limited: bool
) -> None:
    import django.core.management

    from kpo import cli

    for variable in cli.BLAS_THREAD_VARIABLES:
        monkeypatch.delenv(variable, raising=False)
    monkeypatch.setattr(django.core.management, "execute_from_command_line", lambda args: None)
    cli.main(["kpo", command])
    assert all((os.environ.get(v) == "1") == limited for v in cli.BLAS_THREAD_VARIABLES)
