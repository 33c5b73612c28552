"""Hostile files against the upload check and the download's watermarking, as one JSON object.

For each file (a DOCX whose one run holds 8 million characters, one linking a 400 MB image of zeros
declared honestly and one whose zip headers lie about it, one with 5,000 parts, and an ordinary 1 MB
DOCX for reference): the time and peak memory of the upload check (`kpo.core.uploads.check_upload`)
and of the download's work (the limits, then the watermark when within them, as
`kpo.confidentiality.downloads` does it), and the outcome. Each measurement runs in a fresh
subprocess; memory is the growth of its resident size during the step (peak, sampled every 2 ms).

    .venv/bin/python bench/hostile_files.py [--unguarded] [--cap 300]

`--unguarded` also times the watermarker without the limits (what main did), each stopped after
`--cap` seconds.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import resource
import subprocess
import sys
import tempfile
import threading
import time
from datetime import date
from pathlib import Path
from typing import Any

FILES = {
    "long_run_8M_chars": ("long_run_docx", {"chars": 8_000_000}),
    "image_400MB": ("inflated_image_docx", {"size": 400 * 1024 * 1024}),
    "image_400MB_lying_headers": ("inflated_image_docx", {"size": 400 * 1024 * 1024, "lying": True}),
    "parts_5000": ("many_parts_docx", {"parts": 5000}),
    "normal_1MB": ("normal_docx", {"size": 1024 * 1024}),
}
DAY = date(2026, 12, 7)
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def _rss_mb() -> float:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


class _PeakRss:
    """The highest resident size seen while the block runs (sampled every 2 ms by a thread)."""

    def __enter__(self) -> _PeakRss:
        self.start = self.peak = _rss_mb()
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._sample, daemon=True)
        self._thread.start()
        return self

    def _sample(self) -> None:
        while not self._stop.wait(0.002):
            self.peak = max(self.peak, _rss_mb())

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join()
        self.peak = max(self.peak, _rss_mb())


def _child(step: str, path: str) -> dict[str, Any]:
    """One measured step in this (fresh) process."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "kpo.settings")
    import django

    django.setup()
    from io import BytesIO

    from kpo.core.errors import DomainError
    from kpo.core.file_limits import OverLimit, UnreadableFile, check_content
    from kpo.core.uploads import check_upload
    from kpo.engine.watermark import Kind, watermark

    data = Path(path).read_bytes()
    outcome = "processed"
    with _PeakRss() as rss:
        started = time.perf_counter()
        try:
            if step == "upload":
                check_upload(BytesIO(data), "file.docx")
            elif step == "download":
                check_content(BytesIO(data), DOCX)
                watermark(data, Kind.DOCX, download_id=123456, recipient="Carol Expert", issued_on=DAY)
            else:  # unguarded: the watermarker alone
                watermark(data, Kind.DOCX, download_id=123456, recipient="Carol Expert", issued_on=DAY)
        except DomainError as error:
            outcome = f"refused: {error.message}"
        except OverLimit as error:
            outcome = f"refused: {error.limit.value} over {error.allowed}"
        except (UnreadableFile, ValueError) as error:
            outcome = f"refused: {str(error)[:120]}"
        seconds = time.perf_counter() - started
    return {
        "seconds": round(seconds, 3),
        "peak_memory_growth_mb": round(rss.peak - rss.start, 1),
        "outcome": outcome,
    }


def _measure(step: str, path: Path, cap: float) -> dict[str, Any]:
    command = [sys.executable, __file__, "--child", step, str(path)]
    try:
        done = subprocess.run(command, capture_output=True, text=True, timeout=cap, check=False)
    except subprocess.TimeoutExpired:
        return {"seconds": f">{cap:g}", "outcome": f"stopped after {cap:g} s"}
    if done.returncode != 0:
        return {"outcome": "crashed", "stderr": done.stderr[-400:]}
    result: dict[str, Any] = json.loads(done.stdout.strip().splitlines()[-1])
    return result


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--unguarded", action="store_true")
    parser.add_argument("--cap", type=float, default=300.0)
    parser.add_argument("--child", nargs=2, metavar=("STEP", "PATH"))
    args = parser.parse_args()
    if args.child:
        print(json.dumps(_child(*args.child)))
        return

    from kpo.demo import hostile_files

    results: dict[str, Any] = {}
    with tempfile.TemporaryDirectory(prefix="kpo-hostile-") as folder:
        for name, (builder, options) in FILES.items():
            path = Path(folder) / f"{name}.docx"
            path.write_bytes(getattr(hostile_files, builder)(**options))
            entry: dict[str, Any] = {"file_bytes": path.stat().st_size}
            entry["upload_check"] = _measure("upload", path, args.cap)
            entry["download"] = _measure("download", path, args.cap)
            if args.unguarded:
                entry["watermark_without_limits"] = _measure("unguarded", path, args.cap)
            results[name] = entry
    print(
        json.dumps(
            {
                "benchmark": "hostile_files",
                "python": platform.python_version(),
                "cpus": os.cpu_count(),
                "files": results,
            }
        )
    )


if __name__ == "__main__":
    main()
