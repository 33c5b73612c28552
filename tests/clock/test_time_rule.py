"""The one rule for dates (docs/decisions.md, "Dates and clocks"): an instant becomes a date only through
kpo.engine.dates.date_in (wrapped by kpo.core.clock), and nothing reads the calendar behind its back."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

pytestmark = pytest.mark.dates

ROOT = Path(__file__).resolve().parents[2]
SCANNED = ("src", "tests", "bench")
THE_HELPER = ROOT / "src" / "kpo" / "engine" / "dates.py"
THIS_TEST = Path(__file__).resolve()
BARE = {
    r"\.date\(\)": "an instant's .date() reads whatever zone it happens to carry",
    r"\bdate\.today\(": "date.today() reads the machine's zone",
    r"\bdatetime\.(now|today|utcnow)\(": "read the clock with timezone.now() and pass it on",
    r"\b(timezone\.)?localdate\(": "localdate() reads the zone active for the request",
}
PATTERNS = [(re.compile(pattern), why) for pattern, why in BARE.items()]


def _python_files() -> list[Path]:
    files: list[Path] = []
    for folder in SCANNED:
        files += [p for p in (ROOT / folder).rglob("*.py") if "migrations" not in p.parts]
    return files


def bare_conversions(path: Path, root: Path = ROOT) -> list[str]:
    found = []
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        code = line.split("#", 1)[0]
        for pattern, why in PATTERNS:
            if pattern.search(code):
                found.append(f"{path.relative_to(root)}:{number}: {line.strip()}  ({why})")
    return found


def test_no_bare_date_conversions_outside_the_helper() -> None:
    found = [
        hit
        for path in _python_files()
        if path not in (THE_HELPER, THIS_TEST)
        for hit in bare_conversions(path)
    ]
    assert found == [], "use kpo.core.clock (or kpo.engine.dates.date_in):\n" + "\n".join(found)


def test_the_scan_finds_a_bare_conversion(tmp_path: Path) -> None:
    sample = tmp_path / "sample.py"
    sample.write_text("day = moment.date()\nok = 1  # moment.date() in a comment\nx = date.today()\n")
    hits = [hit.split(": ", 1)[0] for hit in bare_conversions(sample, tmp_path)]
    assert hits == ["sample.py:1", "sample.py:3"]


def _request_modules() -> list[Path]:
    """Views, API operations, page panels and the dashboard: code that runs inside one request."""
    kpo = ROOT / "src" / "kpo"
    found = [*kpo.glob("*/views.py"), *kpo.glob("*/views/*.py"), *kpo.glob("*/*/views.py")]
    found += [*kpo.glob("api/**/*.py"), *kpo.glob("**/panels.py"), kpo / "site" / "dashboard.py"]
    return sorted(set(found))


def test_a_request_reads_the_clock_once() -> None:
    """Inside a request the moment comes from request_now (kpo.core.clock): one page, one clock."""
    reads = re.compile(r"\btimezone\.(now|localtime)\(\)")
    found = [
        f"{path.relative_to(ROOT)}:{number}: {line.strip()}"
        for path in _request_modules()
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
        if reads.search(line.split("#", 1)[0])
    ]
    assert len(_request_modules()) > 40
    assert found == [], "use request_now(request):\n" + "\n".join(found)
