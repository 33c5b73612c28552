"""On PostgreSQL, matching's hot reads at 100,000 experts can use an index (experts migration 0006, work
0003): the fingerprint's max(updated_at) of profiles, assignments and tasks, and the conflict rule's
substring match on employers. With the test's few rows the planner prefers reading the tables, so the
check turns sequential scans off: an index that does not fit the query's expression would still show one."""

from __future__ import annotations

import pytest
from django.db import connection

from kpo.experts.models import Employment

pytestmark = pytest.mark.django_db


def _plan(sql: str, params: list[object] | tuple[object, ...] = ()) -> str:
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")
        cursor.execute(f"EXPLAIN {sql}", params)
        return "\n".join(row[0] for row in cursor.fetchall())


@pytest.mark.skipif(connection.vendor != "postgresql", reason="the indexes are PostgreSQL's plans")
def test_the_fingerprint_and_the_employer_match_read_indexes() -> None:
    for table in ("experts_expertprofile", "work_assignment", "work_task"):
        plan = _plan(f'SELECT MAX(updated_at) FROM "{table}"')
        assert "Seq Scan" not in plan and "updated_at" in plan, plan
    employers = Employment.objects.filter(employer__icontains="flender").values("expert_id")
    sql, params = employers.query.sql_with_params()
    plan = _plan(sql, params)
    assert "kpo_employment_employer_trgm" in plan, plan
