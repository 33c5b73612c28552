"""Quality, rework and on-time rates over delivered tasks, grouped by any key and by month.

A task counts once it has been delivered; `TaskOutcome` is what one delivered task tells: whether its
first delivery came by its due time, whether it was ever sent back (by its reviewer or by the client),
and the client's star ratings and the reviewers' rubric scores it received (each 1-5). Rates are shares of
the tasks behind them; `Rates.enough` says whether there are enough tasks to read a rate at all.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Hashable, Iterable
from dataclasses import dataclass
from datetime import date
from typing import TypeVar

K = TypeVar("K", bound=Hashable)

MIN_TASKS = 5  # fewer delivered tasks than this: a rate is shown as indicative only


@dataclass(frozen=True)
class TaskOutcome:
    task_id: int
    month: date  # the first day of the month of the first delivery
    provider_id: int
    client_id: int
    domain: str
    maker_ids: tuple[int, ...]
    on_time: bool
    reworked: bool
    stars: tuple[int, ...] = ()
    review_scores: tuple[float, ...] = ()


@dataclass(frozen=True)
class Rates:
    tasks: int = 0
    on_time: int = 0
    reworked: int = 0
    ratings: int = 0
    rating_sum: float = 0.0
    reviews: int = 0
    review_sum: float = 0.0

    @property
    def on_time_rate(self) -> float | None:
        return self.on_time / self.tasks if self.tasks else None

    @property
    def rework_rate(self) -> float | None:
        return self.reworked / self.tasks if self.tasks else None

    @property
    def mean_rating(self) -> float | None:
        return self.rating_sum / self.ratings if self.ratings else None

    @property
    def mean_review(self) -> float | None:
        return self.review_sum / self.reviews if self.reviews else None

    def enough(self, min_tasks: int = MIN_TASKS) -> bool:
        return self.tasks >= min_tasks

    def plus(self, outcome: TaskOutcome) -> Rates:
        return Rates(
            tasks=self.tasks + 1,
            on_time=self.on_time + int(outcome.on_time),
            reworked=self.reworked + int(outcome.reworked),
            ratings=self.ratings + len(outcome.stars),
            rating_sum=self.rating_sum + sum(outcome.stars),
            reviews=self.reviews + len(outcome.review_scores),
            review_sum=self.review_sum + sum(outcome.review_scores),
        )


def rates_of(outcomes: Iterable[TaskOutcome]) -> Rates:
    total = Rates()
    for outcome in outcomes:
        total = total.plus(outcome)
    return total


def rates_by(outcomes: Iterable[TaskOutcome], keys: Callable[[TaskOutcome], Iterable[K]]) -> dict[K, Rates]:
    """Rates per key; `keys` gives each outcome's keys (a task made by two experts counts for both)."""
    grouped: dict[K, Rates] = defaultdict(Rates)
    for outcome in outcomes:
        for key in set(keys(outcome)):
            grouped[key] = grouped[key].plus(outcome)
    return dict(grouped)


def month_start(day: date) -> date:
    return day.replace(day=1)


def months_back(today: date, count: int) -> list[date]:
    """The first days of the `count` months ending with `today`'s, oldest first."""
    if count < 1:
        raise ValueError("count must be at least 1")
    year, month = today.year, today.month
    months = []
    for _ in range(count):
        months.append(date(year, month, 1))
        year, month = (year, month - 1) if month > 1 else (year - 1, 12)
    return months[::-1]


def by_month(outcomes: Iterable[TaskOutcome], months: Iterable[date]) -> list[tuple[date, Rates]]:
    """Rates per month, every month of `months` present (empty months with no tasks)."""
    grouped = rates_by(outcomes, lambda outcome: (outcome.month,))
    return [(month, grouped.get(month, Rates())) for month in months]
