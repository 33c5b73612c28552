from __future__ import annotations

from pathlib import Path

import pytest


@pytest.fixture(autouse=True)
def _own_checkpoint_file(settings: pytest.FixtureRequest, tmp_path: Path) -> Path:
    """Each test writes and reads its own checkpoint file, never the data folder's."""
    path = tmp_path / "audit-checkpoints.log"
    settings.KPO_AUDIT_CHECKPOINTS = str(path)
    return path
