"""The finder bench's yardstick times CPU work only (bench/finder_prep.py)."""

import json
import sys
from pathlib import Path

import pytest
from django.db import connection

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "bench"))

from finder_prep import CALIBRATION  # noqa: E402

# Deselected (not skipped) on SQLite by tests/conftest.py; CI runs them on PostgreSQL.
pytestmark = [pytest.mark.postgres, pytest.mark.django_db]


def _temporary_blocks(plan: dict) -> int:
    own = plan.get("Temp Read Blocks", 0) + plan.get("Temp Written Blocks", 0)
    return own + sum(_temporary_blocks(child) for child in plan.get("Plans", []))


def test_the_calibration_statement_writes_no_temporary_file():
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL work_mem = '4MB'")  # PostgreSQL's default
        cursor.execute(f"EXPLAIN (ANALYZE, BUFFERS, FORMAT JSON) {CALIBRATION}")
        explained = cursor.fetchone()[0]
        cursor.execute(CALIBRATION)
        assert cursor.fetchone()[0] == 300_000 * 300_001 // 2
    if isinstance(explained, str):
        explained = json.loads(explained)
    assert _temporary_blocks(explained[0]["Plan"]) == 0
