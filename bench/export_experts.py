"""Benchmark: `kpo export-experts` on the demo world (2,000 experts by default) or a larger one.

Uses the SQLite database at $KPO_BENCH_DB (migrated first), or seeds a throw-away one in a temporary
directory (`kpo migrate` + `kpo seed-demo --experts N`). Then runs the export-experts command in a
subprocess, CSV and then XLSX, and reports each one's wall time (the export alone, and with Django's
start-up), its peak resident memory and the file's size and rows. The export reads experts in
id-ordered batches, so its memory should not grow with the number of experts.

Prints ONE JSON object. Not part of `make test`.

Usage: python bench/export_experts.py [EXPERTS]        (default 2000, the demo world)
       KPO_BENCH_DB=/tmp/kpo-bench/bench.sqlite3 python bench/export_experts.py
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from seeded_db import prepare

DEFAULT_EXPERTS = 2000
PEAK, EXPORTING = "peak_kib=", "export_seconds="
EXPORT = (  # the command in-process after Django is set up, so start-up is measured apart
    "import os, resource, sys, time\n"
    "import django\n"
    "django.setup()\n"
    "from django.core.management import call_command\n"
    "started = time.perf_counter()\n"
    "call_command('export_experts', out=sys.argv[1], stdout=open(os.devnull, 'w'))\n"
    f"print('{EXPORTING}%f' % (time.perf_counter() - started))\n"
    f"print('{PEAK}%d' % resource.getrusage(resource.RUSAGE_SELF).ru_maxrss)\n"
)


def _reported(output: str, key: str) -> float:
    return float(next(line for line in output.splitlines() if line.startswith(key)).removeprefix(key))


def export(target: Path) -> dict[str, Any]:
    started = time.perf_counter()
    finished = subprocess.run(
        [sys.executable, "-c", EXPORT, str(target)],
        env=os.environ,
        check=True,
        capture_output=True,
        text=True,
    )
    seconds = time.perf_counter() - started
    result: dict[str, Any] = {
        "seconds": round(_reported(finished.stdout, EXPORTING), 2),
        "with_start_up_seconds": round(seconds, 2),
        "peak_rss_mib": round(_reported(finished.stdout, PEAK) / 1024, 1),
        "bytes": target.stat().st_size,
    }
    if target.suffix == ".csv":
        with target.open(encoding="utf-8") as rows:
            result["experts"] = sum(1 for _line in rows) - 1  # the demo's texts have no line breaks
    return result


def run(database: Path, experts: int) -> dict[str, Any]:
    prepared = prepare(database, experts)
    out = database.parent / "exports"
    out.mkdir(exist_ok=True)
    return {
        "benchmark": "export_experts",
        **prepared,
        "csv": export(out / "experts.csv"),
        "xlsx": export(out / "experts.xlsx"),
    }


def main() -> None:
    experts = int(sys.argv[1]) if len(sys.argv) > 1 else DEFAULT_EXPERTS
    configured = os.environ.get("KPO_BENCH_DB")
    if configured:
        print(json.dumps(run(Path(configured), experts)))
        return
    with tempfile.TemporaryDirectory(prefix="kpo-bench-") as directory:
        print(json.dumps(run(Path(directory) / "bench.sqlite3", experts)))


if __name__ == "__main__":
    main()
