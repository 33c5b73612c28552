from __future__ import annotations

import math
from collections.abc import Callable
from datetime import date, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from kpo.engine.quality import (
    DEFAULT_MODEL,
    EvidenceKind,
    QualityError,
    QualityModel,
    beta_cdf,
    beta_quantile,
    client_rating_evidence,
    delivery_evidence,
    estimate_domain_quality,
    estimate_quality,
    estimate_quality_by_domain,
    rework_evidence,
    rubric_evidence,
    to_five_point,
)

TODAY = date(2026, 6, 1)
YEAR_AGO = TODAY - timedelta(days=365)


def close(a: float, b: float, tol: float = 1e-9) -> bool:
    return math.isclose(a, b, rel_tol=0, abs_tol=tol)


# ---- the Beta distribution against closed forms ----------------------------------------------------


@pytest.mark.parametrize("p", [0.01, 0.05, 0.3, 0.5, 0.95, 0.99])
def test_beta_quantile_closed_forms(p: float) -> None:
    assert close(beta_quantile(p, 1, 1), p)
    assert close(beta_quantile(p, 3, 1), p ** (1 / 3))  # CDF x**a
    assert close(beta_quantile(p, 1, 4), 1 - (1 - p) ** (1 / 4))  # CDF 1 - (1 - x)**b
    assert close(beta_quantile(p, 2.5, 7) + beta_quantile(1 - p, 7, 2.5), 1.0)  # symmetry


@pytest.mark.parametrize("x", [0.1, 0.25, 0.5, 0.8])
def test_beta_cdf_closed_form(x: float) -> None:
    assert close(beta_cdf(x, 2, 2), 3 * x**2 - 2 * x**3)
    assert close(beta_cdf(x, 2, 3), 1 - (1 - x) ** 4 - 4 * x * (1 - x) ** 3)  # P(at least 2 of 4 below x)
    assert beta_cdf(0, 2, 3) == 0 and beta_cdf(1, 2, 3) == 1


def test_beta_matches_scipy_where_available() -> None:
    special = pytest.importorskip("scipy.special")
    for a, b in [(0.3, 0.7), (2.8, 1.2), (47.8, 6.2), (4.8, 1.2), (900.0, 120.0), (5000.0, 3.0)]:
        for p in (0.001, 0.05, 0.5, 0.95):
            assert close(beta_quantile(p, a, b), float(special.betaincinv(a, b, p)), 1e-10)
            assert close(beta_cdf(p, a, b), float(special.betainc(a, b, p)), 1e-12)


# ---- hand-checked estimates ------------------------------------------------------------------------


def test_no_evidence_gives_the_prior() -> None:
    estimate = estimate_quality([], TODAY)
    # prior Beta(0.7 * 4, 0.3 * 4)
    assert close(estimate.alpha, 2.8) and close(estimate.beta, 1.2)
    assert close(estimate.mean, 0.7)
    assert estimate.n_effective == 0 and estimate.evidence == ()
    assert close(estimate.lower, beta_quantile(0.05, 2.8, 1.2))
    assert close(estimate.upper, beta_quantile(0.95, 2.8, 1.2))
    assert estimate.lower < 0.7 < estimate.upper


def test_a_uniform_prior_and_one_five_star_rating_is_beta_2_1() -> None:
    model = QualityModel(prior_mean=0.5, prior_strength=2.0)  # Beta(1, 1)
    estimate = estimate_quality([client_rating_evidence(5, TODAY)], TODAY, model)
    # Beta(2, 1): mean 2/3, CDF x**2, so the 5 % and 95 % quantiles are sqrt(0.05) and sqrt(0.95)
    assert close(estimate.alpha, 2) and close(estimate.beta, 1)
    assert close(estimate.mean, 2 / 3)
    assert close(estimate.lower, math.sqrt(0.05)) and close(estimate.upper, math.sqrt(0.95))


def test_three_client_ratings_by_hand() -> None:
    evidence = [client_rating_evidence(s, TODAY, ref=f"task {s}") for s in (5, 4, 3)]
    estimate = estimate_quality(evidence, TODAY)
    # successes 1 + 0.75 + 0.5 = 2.25, failures 0 + 0.25 + 0.5 = 0.75
    assert close(estimate.alpha, 2.8 + 2.25) and close(estimate.beta, 1.2 + 0.75)
    assert close(estimate.mean, 5.05 / 7)
    assert close(estimate.n_effective, 3)
    assert [c.effect for c in estimate.evidence] == pytest.approx([0.3 / 7, 0.05 / 7, -0.2 / 7])


def test_rubric_rework_and_delivery_by_hand() -> None:
    evidence = [
        rubric_evidence({"accuracy": 5, "clarity": 4, "method": 3}, TODAY, ref="task 1"),  # mean 4 → 0.75
        rework_evidence(TODAY, ref="task 1"),  # one failure at weight 0.5
        delivery_evidence(True, TODAY, ref="task 1"),  # a success at weight 0.5
        delivery_evidence(False, TODAY, ref="task 2"),  # a failure at weight 0.5
    ]
    estimate = estimate_quality(evidence, TODAY)
    assert close(estimate.alpha, 2.8 + 0.75 + 0.5)
    assert close(estimate.beta, 1.2 + 0.25 + 0.5 + 0.5)
    assert close(estimate.mean, 4.05 / 6.5)
    assert close(estimate.n_effective, 2.5)
    assert [c.weight for c in estimate.evidence] == [1.0, 0.5, 0.5, 0.5]
    assert [c.evidence.kind for c in estimate.evidence] == [
        EvidenceKind.RUBRIC,
        EvidenceKind.REWORK,
        EvidenceKind.DELIVERY,
        EvidenceKind.DELIVERY,
    ]
    assert estimate.evidence[0].evidence.detail == "4.00 / 5 over 3 criteria"
    # the breakdown explains the score exactly
    assert close(sum(c.effect for c in estimate.evidence), estimate.mean - 0.7)


def test_two_rounds_of_rework_count_twice() -> None:
    once = estimate_quality([rework_evidence(TODAY), rework_evidence(TODAY)], TODAY)
    twice = estimate_quality([rework_evidence(TODAY, rounds=2)], TODAY)
    assert close(once.beta, twice.beta) and close(twice.beta, 1.2 + 1.0)


def test_two_good_reviews_rank_below_fifty_proven_ones() -> None:
    newcomer = [client_rating_evidence(5, TODAY) for _ in range(2)]
    proven = [client_rating_evidence(5, TODAY) for _ in range(30)] + [
        client_rating_evidence(4, TODAY) for _ in range(20)
    ]
    assert pytest.approx(4.6) == (30 * 5 + 20 * 4) / 50  # averaging 4.6 / 5
    a = estimate_quality(newcomer, TODAY)
    b = estimate_quality(proven, TODAY)
    # by hand: newcomer Beta(2.8 + 2, 1.2), proven Beta(2.8 + 30 + 15, 1.2 + 5)
    assert close(a.alpha, 4.8) and close(a.beta, 1.2)
    assert close(b.alpha, 47.8) and close(b.beta, 6.2)
    assert a.ranking_score < b.ranking_score
    assert a.lower == pytest.approx(0.5018, abs=1e-4)
    assert b.lower == pytest.approx(0.8072, abs=1e-4)
    assert a.upper - a.lower > 3 * (b.upper - b.lower)  # far less certain


def test_with_a_weak_prior_the_mean_would_favour_the_newcomer_but_the_lower_bound_does_not() -> None:
    weak = QualityModel(prior_strength=1.0)
    a = estimate_quality([client_rating_evidence(5, TODAY)] * 2, TODAY, weak)
    b = estimate_quality(
        [client_rating_evidence(5, TODAY)] * 30 + [client_rating_evidence(4, TODAY)] * 20, TODAY, weak
    )
    assert close(a.mean, 2.7 / 3) and close(b.mean, 45.7 / 51)
    assert a.mean > b.mean
    assert a.ranking_score < b.ranking_score


def test_the_same_evidence_one_year_older_weighs_half() -> None:
    fresh = estimate_quality([client_rating_evidence(5, TODAY)], TODAY)
    old = estimate_quality([client_rating_evidence(5, YEAR_AGO)], TODAY)
    assert close(fresh.alpha, 3.8) and close(old.alpha, 3.3)
    assert close(old.evidence[0].decay, 0.5) and close(old.evidence[0].weight, 0.5)
    two_old = estimate_quality([client_rating_evidence(5, YEAR_AGO)] * 2, TODAY)
    assert close(two_old.alpha, fresh.alpha) and close(two_old.mean, fresh.mean)
    two_years = estimate_quality([client_rating_evidence(5, TODAY - timedelta(days=730))], TODAY)
    assert close(two_years.n_effective, 0.25)


def test_half_life_is_configurable_and_future_evidence_counts_as_fresh() -> None:
    model = QualityModel(half_life_days=30)
    estimate = estimate_quality([client_rating_evidence(1, TODAY - timedelta(days=60))], TODAY, model)
    assert close(estimate.n_effective, 0.25)
    future = estimate_quality([client_rating_evidence(1, TODAY + timedelta(days=9))], TODAY)
    assert close(future.n_effective, 1.0)


def test_old_evidence_fades_towards_the_prior() -> None:
    bad = [client_rating_evidence(1, date(2015, 1, 1))] * 10
    assert estimate_quality(bad, TODAY).mean == pytest.approx(0.7, abs=0.01)
    assert estimate_quality(bad, date(2015, 1, 1)).mean < 0.25


def test_five_point_scale_for_display() -> None:
    estimate = estimate_quality([client_rating_evidence(4, TODAY)] * 8, TODAY)
    mean, lower, upper = estimate.on_five_point_scale()
    assert close(mean, to_five_point(estimate.mean)) and lower < mean < upper
    assert to_five_point(0.0) == 1.0 and to_five_point(1.0) == 5.0


# ---- per domain ------------------------------------------------------------------------------------


def test_domain_estimate_is_shrunk_towards_the_overall_estimate_by_hand() -> None:
    evidence = [
        client_rating_evidence(5, TODAY, domain="legal_services"),
        client_rating_evidence(5, TODAY, domain="legal_services"),
        client_rating_evidence(2, TODAY, domain="data_analysis"),
    ]
    overall = estimate_quality(evidence, TODAY)
    m = (2.8 + 2 + 0.25) / 7
    assert close(overall.mean, m)
    by_domain = estimate_quality_by_domain(evidence, TODAY)
    assert list(by_domain) == ["data_analysis", "legal_services"]
    legal = by_domain["legal_services"]
    # prior Beta(4m, 4(1 - m)) plus two successes
    assert close(legal.alpha, 4 * m + 2) and close(legal.beta, 4 * (1 - m))
    assert close(legal.mean, (4 * m + 2) / 6)
    assert legal.domain == "legal_services" and len(legal.evidence) == 2
    data = by_domain["data_analysis"]
    assert close(data.mean, (4 * m + 0.25) / 5)
    assert data.mean < overall.mean < legal.mean


def test_a_domain_without_evidence_is_the_overall_mean_but_less_certain() -> None:
    evidence = [client_rating_evidence(5, TODAY, domain="legal_services")] * 20
    overall = estimate_quality(evidence, TODAY)
    unseen = estimate_domain_quality(evidence, "medicine_healthcare", TODAY)
    assert close(unseen.mean, overall.mean)
    assert unseen.n_effective == 0
    assert unseen.upper - unseen.lower > overall.upper - overall.lower


def test_evidence_without_a_domain_counts_only_overall() -> None:
    evidence = [client_rating_evidence(5, TODAY), client_rating_evidence(4, TODAY, domain="legal_services")]
    assert list(estimate_quality_by_domain(evidence, TODAY)) == ["legal_services"]
    assert close(estimate_quality(evidence, TODAY).n_effective, 2)


# ---- bad input -------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("make", "field"),
    [
        (lambda: client_rating_evidence(6, TODAY), "stars"),
        (lambda: client_rating_evidence(0.5, TODAY), "stars"),
        (lambda: client_rating_evidence(float("nan"), TODAY), "stars"),
        (lambda: rubric_evidence({}, TODAY), "scores"),
        (lambda: rubric_evidence([3, 7], TODAY), "scores"),
        (lambda: rework_evidence(TODAY, rounds=0), "rounds"),
        (lambda: QualityModel(prior_mean=1.0), "prior_mean"),
        (lambda: QualityModel(prior_strength=0), "prior_strength"),
        (lambda: QualityModel(half_life_days=-1), "half_life_days"),
        (lambda: QualityModel(credibility=1.0), "credibility"),
        (lambda: QualityModel(rework_weight=-0.1), "rework_weight"),
        (lambda: beta_quantile(1.5, 1, 1), "p"),
    ],
)
def test_bad_input_names_the_field(make: Callable[[], object], field: str) -> None:
    with pytest.raises(QualityError) as err:
        make()
    assert err.value.field == field


# ---- properties ------------------------------------------------------------------------------------

ratings = st.lists(
    st.tuples(st.integers(1, 5), st.integers(0, 2000)),
    max_size=40,
)


@settings(max_examples=60, deadline=None)
@given(ratings)
def test_estimate_properties(items: list[tuple[int, int]]) -> None:
    evidence = [client_rating_evidence(stars, TODAY - timedelta(days=age)) for stars, age in items]
    estimate = estimate_quality(evidence, TODAY)
    assert 0 < estimate.lower <= estimate.mean <= estimate.upper < 1
    assert close(sum(c.effect for c in estimate.evidence), estimate.mean - DEFAULT_MODEL.prior_mean)
    better = estimate_quality([*evidence, client_rating_evidence(5, TODAY)], TODAY)
    worse = estimate_quality([*evidence, client_rating_evidence(1, TODAY)], TODAY)
    assert better.mean > estimate.mean > worse.mean
    assert better.lower > worse.lower
