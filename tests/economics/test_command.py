"""`kpo make-or-buy` on the demo manufacturer's need; needs no database."""

from __future__ import annotations

import json
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

DEMO = [
    "--occupation", "17-2112", "--hours", "1600", "--months", "24", "--currency", "DKK",
    "--client-country", "DK", "--option", "nearshore:PL", "--option", "offshore:IN", "--option", "captive:PH",
]  # fmt: skip


def run(*args: str) -> str:
    out = StringIO()
    call_command("make_or_buy", *args, stdout=out)
    return out.getvalue()


def test_table_has_the_four_options_and_a_recommendation() -> None:
    text = run(*DEMO)
    for label in (
        "In-house hire (DK)",
        "Nearshore third party (PL)",
        "Offshore third party (IN)",
        "Captive subsidiary (PH)",
    ):
        assert label in text
    assert "Break-even month" in text and "Savings %" in text
    assert "Recommendation: " in text


def test_json_parses() -> None:
    result = json.loads(run(*DEMO, "--json"))
    assert [row["sourcing"] for row in result["options"]] == ["in_house", "nearshore", "offshore", "captive"]
    assert result["currency"] == "DKK"
    assert result["recommendation"]["reasons"]
    assert result["tornado"]
    assert all(row["estimate"]["inputs"] for row in result["options"])


def test_bad_occupation_names_occupation() -> None:
    args = list(DEMO)
    args[1] = "99-9999"
    with pytest.raises(CommandError, match=r"^occupation: "):
        run(*args)


def test_negative_hours_names_hours() -> None:
    args = list(DEMO)
    args[3] = "-5"
    with pytest.raises(CommandError, match=r"^hours: "):
        run(*args)


def test_bad_option_names_option() -> None:
    with pytest.raises(CommandError, match=r"option"):
        run(*DEMO[:10], "--option", "nearshore")
    with pytest.raises(CommandError, match=r"option"):
        run(*DEMO[:10], "--option", "nearshore:XX")
