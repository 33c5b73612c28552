"""The demand forecast's engine: spreading, the EWMA, the budget cap, skills, shortfall and errors."""

from __future__ import annotations

from datetime import date

import pytest

from kpo.engine.forecast import (
    EngagementBurn,
    ForecastInputError,
    Method,
    WaitingTask,
    errors,
    ewma,
    forecast,
    forecast_weeks,
    monday_of,
    naive_forecast,
    shortfall,
    spread_to_due,
)

WEDNESDAY = date(2026, 12, 9)
MONDAY = date(2026, 12, 7)


def test_weeks_start_on_the_monday_of_the_first_day() -> None:
    assert monday_of(WEDNESDAY) == MONDAY
    assert forecast_weeks(WEDNESDAY, 3) == (MONDAY, date(2026, 12, 14), date(2026, 12, 21))
    with pytest.raises(ForecastInputError) as raised:
        forecast_weeks(WEDNESDAY, 0)
    assert raised.value.field == "weeks"


def test_ewma_weighs_the_latest_week_by_alpha() -> None:
    assert ewma([]) == 0
    assert ewma([10.0]) == 10
    assert ewma([10.0, 20.0], 0.5) == 15
    assert ewma([10.0, 20.0, 40.0], 0.5) == pytest.approx(0.5 * 40 + 0.5 * 15)
    assert ewma([10.0, 20.0], 1.0) == 20


def test_a_task_is_spread_over_working_days_to_its_due_date() -> None:
    weeks = forecast_weeks(WEDNESDAY, 3)
    # Wed 9 .. Fri 18 December: 3 + 5 working days
    spread = spread_to_due(80.0, WEDNESDAY, date(2026, 12, 18), weeks)
    assert spread == pytest.approx([30.0, 50.0, 0.0])
    overdue = spread_to_due(12.0, WEDNESDAY, date(2026, 12, 1), weeks)
    assert overdue == [12.0, 0.0, 0.0]
    # due after the horizon: only the horizon's part shows
    far = spread_to_due(100.0, MONDAY, date(2027, 1, 29), weeks)
    assert sum(far) == pytest.approx(100.0 * 15 / 40)


def test_running_work_follows_its_recent_pace_and_stops_at_the_end_date() -> None:
    burn = EngagementBurn(1, "data", weekly_hours=(20.0, 20.0, 40.0), ends=date(2026, 12, 16))
    result = forecast(first_day=MONDAY, weeks=3, tasks=[], burns=[burn], method=Method(alpha=0.5))
    rate = 30.0
    assert result.by_domain["data"] == pytest.approx((rate, rate * 3 / 5, 0.0))
    assert result.from_tasks == {}


def test_the_history_window_reads_only_the_last_weeks() -> None:
    burn = EngagementBurn(1, "data", weekly_hours=(1000.0, 10.0, 10.0))
    result = forecast(first_day=MONDAY, weeks=1, tasks=[], burns=[burn], method=Method(history_weeks=2))
    assert result.by_domain["data"] == pytest.approx((10.0,))


def test_weeks_before_the_first_approved_hour_are_left_out() -> None:
    burn = EngagementBurn(1, "data", weekly_hours=(0.0, 0.0, 20.0, 30.0))
    result = forecast(first_day=MONDAY, weeks=1, tasks=[], burns=[burn], method=Method(alpha=0.5))
    assert result.by_domain["data"] == pytest.approx((25.0,))
    silent = EngagementBurn(1, "data", weekly_hours=(20.0, 0.0, 0.0))
    assert forecast(first_day=MONDAY, weeks=1, tasks=[], burns=[silent]).by_domain["data"] == pytest.approx(
        (5.0,)
    )


def test_no_history_runs_at_fundable_hours_over_the_weeks_left() -> None:
    burn = EngagementBurn(1, "legal", fundable_hours=40.0, ends=date(2026, 12, 18))
    result = forecast(first_day=MONDAY, weeks=3, tasks=[], burns=[burn])
    assert result.by_domain["legal"] == pytest.approx((20.0, 20.0, 0.0))


def test_the_budget_caps_tasks_and_running_work_together() -> None:
    burn = EngagementBurn(7, "data", weekly_hours=(30.0,), fundable_hours=50.0)
    task = WaitingTask(7, "data", 40.0, date(2026, 12, 11), ("sql",))
    result = forecast(first_day=MONDAY, weeks=3, tasks=[task], burns=[burn])
    assert result.by_domain["data"] == pytest.approx((50.0, 0.0, 0.0))
    assert result.capped == (7,)
    # the cap scales both sources alike
    assert result.from_tasks["data"][0] == pytest.approx(50.0 * 40 / 70)
    assert result.from_burn["data"][0] == pytest.approx(50.0 * 30 / 70)
    uncapped = forecast(first_day=MONDAY, weeks=3, tasks=[task], burns=[EngagementBurn(7, "data", (30.0,))])
    assert uncapped.by_domain["data"] == pytest.approx((70.0, 30.0, 30.0))
    assert uncapped.capped == ()


def test_skills_count_a_task_in_full_and_running_work_by_share() -> None:
    burn = EngagementBurn(1, "data", weekly_hours=(10.0,), skill_shares={"sql": 0.5, "python": 1.0})
    task = WaitingTask(2, "finance", 20.0, date(2026, 12, 11), ("sql", "ifrs"))
    result = forecast(first_day=MONDAY, weeks=1, tasks=[task], burns=[burn])
    assert sorted(result.by_skill) == ["ifrs", "python", "sql"]
    assert result.by_skill["ifrs"] == pytest.approx((20.0,))
    assert result.by_skill["python"] == pytest.approx((10.0,))
    assert result.by_skill["sql"] == pytest.approx((25.0,))
    assert result.by_domain["data"] == pytest.approx((10.0,))
    assert result.by_domain["finance"] == pytest.approx((20.0,))
    assert result.total() == pytest.approx((30.0,))


def test_shortfall_is_expected_minus_free() -> None:
    gaps = shortfall({"data": (30.0, 10.0)}, {"data": (12.0, 20.0), "legal": (5.0,)})
    assert sorted(gaps) == ["data", "legal"]
    assert gaps["data"] == pytest.approx((18.0, -10.0))
    assert gaps["legal"] == pytest.approx((-5.0,))


def test_bad_inputs_name_their_field() -> None:
    for build, name in (
        (lambda: Method(alpha=0), "alpha"),
        (lambda: Method(history_weeks=0), "history_weeks"),
        (
            lambda: forecast(first_day=MONDAY, weeks=1, tasks=[WaitingTask(1, "d", -1.0, MONDAY)], burns=[]),
            "hours",
        ),
        (
            lambda: forecast(first_day=MONDAY, weeks=1, tasks=[], burns=[EngagementBurn(1, "d", (-2.0,))]),
            "weekly_hours",
        ),
    ):
        with pytest.raises(ForecastInputError) as raised:
            build()
        assert raised.value.field == name


def test_errors_and_the_naive_baseline() -> None:
    measured = errors([(10.0, 12.0), (20.0, 14.0)])
    assert measured.mae == pytest.approx(4.0)
    assert measured.wape == pytest.approx(8.0 / 30.0)
    assert errors([(0.0, 3.0)]).wape is None
    assert naive_forecast(7.5, 3) == (7.5, 7.5, 7.5)


def test_a_planned_start_moves_a_task_later() -> None:
    task = WaitingTask(1, "data", 50.0, date(2026, 12, 25), starts=date(2026, 12, 21))
    result = forecast(first_day=WEDNESDAY, weeks=3, tasks=[task], burns=[])
    assert result.by_domain["data"] == pytest.approx((0.0, 0.0, 50.0))
    late = WaitingTask(1, "data", 8.0, date(2026, 12, 1), starts=date(2026, 12, 15))
    assert forecast(first_day=WEDNESDAY, weeks=3, tasks=[late], burns=[]).by_domain["data"] == pytest.approx(
        (0.0, 8.0, 0.0)
    )
