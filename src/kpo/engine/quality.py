"""The quality score: a Bayesian estimate of how good an expert's work is, with its uncertainty.

Model (Beta-Binomial with fractional, weighted pseudo-observations):

- Quality is a share ``q`` in [0, 1]: the probability a piece of the expert's work is judged good.
- Each piece of evidence becomes one weighted pseudo-observation with a success share ``s``:
  a reviewer's rubric (1-5 per criterion) gives ``s = (mean - 1) / 4``; a client rating (1-5 stars)
  likewise; an on-time delivery gives ``s = 1`` and a late one ``s = 0``; each round of rework
  (changes requested by the client) is a failure, ``s = 0``.
- Its weight is ``w = kind weight x count x 0.5 ** (age_days / half_life_days)``: rubric scores and
  client ratings weigh 1, rework and timeliness 0.5 (coarser signals); evidence loses half its weight
  every half-life (default 365 days), so the same evidence one year older weighs half.
- The prior is ``Beta(m0*n0, (1 - m0)*n0)`` with mean ``m0 = 0.7`` and strength ``n0 = 4``
  pseudo-observations: a newcomer starts at a fair-but-unproven 0.7, and four reviews' worth of
  evidence outweighs the prior.
- The posterior is ``Beta(alpha, beta)`` with ``alpha = m0*n0 + sum(w*s)`` and
  ``beta = (1 - m0)*n0 + sum(w*(1 - s))``; the estimate reports its mean ``alpha / (alpha + beta)``
  and an equal-tailed credible interval (default 90 %) from the Beta quantile function (implemented
  here: regularised incomplete beta by continued fraction, inverted by bisection; no scipy needed).
- Matching ranks by the interval's lower bound (`QualityEstimate.ranking_score`), so a new expert
  with two 5/5 reviews does not outrank a proven one with fifty reviews averaging 4.6/5.
- Per domain, the evidence in that domain is combined with a prior centred on the expert's overall
  mean with strength ``domain_prior_strength`` (default 4): a domain with little evidence is shrunk
  towards the overall estimate (and is less certain than it).

Every estimate carries its evidence: each item's decayed weight and its effect on the mean, which
sum to ``mean - prior mean`` exactly, so the score can be shown with why it is what it is.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from enum import StrEnum

SCALE_MIN = 1.0
SCALE_MAX = 5.0


class QualityError(ValueError):
    """Bad evidence or model settings; `field` names what was wrong."""

    def __init__(self, message: str, *, field: str) -> None:
        super().__init__(message)
        self.message = message
        self.field = field


class EvidenceKind(StrEnum):
    RUBRIC = "rubric"
    CLIENT_RATING = "client_rating"
    REWORK = "rework"
    DELIVERY = "delivery"


@dataclass(frozen=True)
class Evidence:
    """One observation about an expert's work; build it with the `*_evidence` helpers."""

    kind: EvidenceKind
    score: float  # success share in [0, 1]
    observed_on: date
    domain: str | None = None
    count: float = 1.0  # multiplicity, e.g. rounds of rework
    ref: str = ""  # what it is about, for display ("task 42")
    detail: str = ""  # the raw value, for display ("4.5 / 5")


def _normalise(value: float, field: str) -> float:
    if not math.isfinite(value) or not SCALE_MIN <= value <= SCALE_MAX:
        raise QualityError(f"A score must be between {SCALE_MIN:g} and {SCALE_MAX:g}.", field=field)
    return (value - SCALE_MIN) / (SCALE_MAX - SCALE_MIN)


def rubric_evidence(
    scores: Mapping[str, float] | Sequence[float],
    observed_on: date,
    *,
    domain: str | None = None,
    ref: str = "",
) -> Evidence:
    """A reviewer's rubric: one 1-5 score per criterion; the mean is normalised to [0, 1]."""
    values = list(scores.values()) if isinstance(scores, Mapping) else list(scores)
    if not values:
        raise QualityError("A rubric needs at least one criterion score.", field="scores")
    normalised = [_normalise(v, "scores") for v in values]
    mean = sum(values) / len(values)
    return Evidence(
        EvidenceKind.RUBRIC,
        sum(normalised) / len(normalised),
        observed_on,
        domain,
        ref=ref,
        detail=f"{mean:.2f} / 5 over {len(values)} criteria",
    )


def client_rating_evidence(
    stars: float, observed_on: date, *, domain: str | None = None, ref: str = ""
) -> Evidence:
    """A client's 1-5 rating of a delivery."""
    return Evidence(
        EvidenceKind.CLIENT_RATING,
        _normalise(stars, "stars"),
        observed_on,
        domain,
        ref=ref,
        detail=f"{stars:g} / 5",
    )


def rework_evidence(
    observed_on: date, *, rounds: int = 1, domain: str | None = None, ref: str = ""
) -> Evidence:
    """Changes requested by the client: each round is a failure."""
    if rounds < 1:
        raise QualityError("Rework needs at least one round.", field="rounds")
    return Evidence(
        EvidenceKind.REWORK,
        0.0,
        observed_on,
        domain,
        count=float(rounds),
        ref=ref,
        detail=f"{rounds} round(s)",
    )


def delivery_evidence(
    on_time: bool, observed_on: date, *, domain: str | None = None, ref: str = ""
) -> Evidence:
    """A delivery against its SLA: on time is a success, late a failure."""
    return Evidence(
        EvidenceKind.DELIVERY,
        1.0 if on_time else 0.0,
        observed_on,
        domain,
        ref=ref,
        detail="on time" if on_time else "late",
    )


@dataclass(frozen=True)
class QualityModel:
    prior_mean: float = 0.7
    prior_strength: float = 4.0  # pseudo-observations
    half_life_days: float = 365.0
    credibility: float = 0.9  # width of the equal-tailed credible interval
    domain_prior_strength: float = 4.0
    rubric_weight: float = 1.0
    client_rating_weight: float = 1.0
    rework_weight: float = 0.5
    delivery_weight: float = 0.5

    def __post_init__(self) -> None:
        if not 0.0 < self.prior_mean < 1.0:
            raise QualityError("The prior mean must be strictly between 0 and 1.", field="prior_mean")
        for name in ("prior_strength", "domain_prior_strength", "half_life_days"):
            if not getattr(self, name) > 0:
                raise QualityError("Must be positive.", field=name)
        if not 0.0 < self.credibility < 1.0:
            raise QualityError("The credibility must be strictly between 0 and 1.", field="credibility")
        for name in ("rubric_weight", "client_rating_weight", "rework_weight", "delivery_weight"):
            if not getattr(self, name) >= 0:
                raise QualityError("Must not be negative.", field=name)

    def kind_weight(self, kind: EvidenceKind) -> float:
        return {
            EvidenceKind.RUBRIC: self.rubric_weight,
            EvidenceKind.CLIENT_RATING: self.client_rating_weight,
            EvidenceKind.REWORK: self.rework_weight,
            EvidenceKind.DELIVERY: self.delivery_weight,
        }[kind]


DEFAULT_MODEL = QualityModel()


@dataclass(frozen=True)
class EvidenceContribution:
    evidence: Evidence
    decay: float  # 0.5 ** (age / half-life)
    weight: float  # pseudo-observations after kind weight, count and decay
    successes: float
    failures: float
    effect: float  # this item's share of (mean - prior mean)


@dataclass(frozen=True)
class QualityEstimate:
    mean: float
    lower: float
    upper: float
    alpha: float
    beta: float
    n_effective: float  # decayed evidence weight, without the prior
    credibility: float
    prior_mean: float
    prior_strength: float
    evidence: tuple[EvidenceContribution, ...]
    domain: str | None = None

    @property
    def ranking_score(self) -> float:
        """What matching ranks by: the lower bound of the credible interval."""
        return self.lower

    def on_five_point_scale(self) -> tuple[float, float, float]:
        """(mean, lower, upper) mapped back to the 1-5 scale used in the UI."""
        return to_five_point(self.mean), to_five_point(self.lower), to_five_point(self.upper)


def to_five_point(share: float) -> float:
    return SCALE_MIN + share * (SCALE_MAX - SCALE_MIN)


def decay_factor(observed_on: date, today: date, half_life_days: float) -> float:
    """0.5 ** (age / half-life); evidence dated in the future counts as fresh."""
    age = max(0, (today - observed_on).days)
    return float(0.5 ** (age / half_life_days))


# ---- the Beta distribution -------------------------------------------------------------------------


def _beta_continued_fraction(a: float, b: float, x: float) -> float:
    """Continued fraction for the incomplete beta function (modified Lentz; Numerical Recipes §6.4)."""
    tiny = 1e-300
    qab, qap, qam = a + b, a + 1.0, a - 1.0
    c = 1.0
    d = 1.0 - qab * x / qap
    d = 1.0 / (d if abs(d) > tiny else tiny)
    h = d
    for m in range(1, 100_000):
        m2 = 2 * m
        aa = m * (b - m) * x / ((qam + m2) * (a + m2))
        d = 1.0 + aa * d
        d = 1.0 / (d if abs(d) > tiny else tiny)
        c = 1.0 + aa / c
        c = c if abs(c) > tiny else tiny
        h *= d * c
        aa = -(a + m) * (qab + m) * x / ((a + m2) * (qap + m2))
        d = 1.0 + aa * d
        d = 1.0 / (d if abs(d) > tiny else tiny)
        c = 1.0 + aa / c
        c = c if abs(c) > tiny else tiny
        delta = d * c
        h *= delta
        if abs(delta - 1.0) < 1e-15:
            break
    return h


def beta_cdf(x: float, a: float, b: float) -> float:
    """The regularised incomplete beta function I_x(a, b), the CDF of Beta(a, b)."""
    if a <= 0 or b <= 0:
        raise QualityError("Beta parameters must be positive.", field="alpha" if a <= 0 else "beta")
    if x <= 0.0:
        return 0.0
    if x >= 1.0:
        return 1.0
    log_front = math.lgamma(a + b) - math.lgamma(a) - math.lgamma(b) + a * math.log(x) + b * math.log1p(-x)
    front = math.exp(log_front)
    if x < (a + 1.0) / (a + b + 2.0):
        return front * _beta_continued_fraction(a, b, x) / a
    return 1.0 - front * _beta_continued_fraction(b, a, 1.0 - x) / b


def beta_quantile(p: float, a: float, b: float) -> float:
    """The inverse CDF of Beta(a, b) by bisection (the CDF is monotone), to about 1e-12."""
    if not 0.0 <= p <= 1.0:
        raise QualityError("A probability must be between 0 and 1.", field="p")
    if p == 0.0:
        return 0.0
    if p == 1.0:
        return 1.0
    lo, hi = 0.0, 1.0
    while hi - lo > 1e-12:
        mid = (lo + hi) / 2.0
        if beta_cdf(mid, a, b) < p:
            lo = mid
        else:
            hi = mid
    return (lo + hi) / 2.0


# ---- estimates -------------------------------------------------------------------------------------


def _posterior(
    evidence: Iterable[Evidence],
    today: date,
    model: QualityModel,
    prior_mean: float,
    prior_strength: float,
    domain: str | None,
) -> QualityEstimate:
    weighted: list[tuple[Evidence, float, float]] = []
    for item in evidence:
        if not 0.0 <= item.score <= 1.0 or item.count < 0:
            raise QualityError(
                "Evidence scores must lie in [0, 1] with a non-negative count.", field="evidence"
            )
        decay = decay_factor(item.observed_on, today, model.half_life_days)
        weighted.append((item, decay, model.kind_weight(item.kind) * item.count * decay))
    alpha = prior_mean * prior_strength + sum(w * e.score for e, _, w in weighted)
    beta = (1.0 - prior_mean) * prior_strength + sum(w * (1.0 - e.score) for e, _, w in weighted)
    total = alpha + beta
    tail = (1.0 - model.credibility) / 2.0
    contributions = tuple(
        EvidenceContribution(
            evidence=e,
            decay=decay,
            weight=w,
            successes=w * e.score,
            failures=w * (1.0 - e.score),
            effect=w * (e.score - prior_mean) / total,
        )
        for e, decay, w in weighted
    )
    return QualityEstimate(
        mean=alpha / total,
        lower=beta_quantile(tail, alpha, beta),
        upper=beta_quantile(1.0 - tail, alpha, beta),
        alpha=alpha,
        beta=beta,
        n_effective=sum(w for _, _, w in weighted),
        credibility=model.credibility,
        prior_mean=prior_mean,
        prior_strength=prior_strength,
        evidence=contributions,
        domain=domain,
    )


def estimate_quality(
    evidence: Iterable[Evidence], today: date, model: QualityModel = DEFAULT_MODEL
) -> QualityEstimate:
    """The expert's overall quality from all their evidence; no evidence gives the prior."""
    return _posterior(evidence, today, model, model.prior_mean, model.prior_strength, None)


def estimate_domain_quality(
    evidence: Iterable[Evidence],
    domain: str,
    today: date,
    model: QualityModel = DEFAULT_MODEL,
    overall: QualityEstimate | None = None,
) -> QualityEstimate:
    """Quality in one domain: the domain's evidence, shrunk towards the expert's overall mean."""
    items = list(evidence)
    if overall is None:
        overall = estimate_quality(items, today, model)
    prior_mean = min(max(overall.mean, 1e-6), 1.0 - 1e-6)
    in_domain = [e for e in items if e.domain == domain]
    return _posterior(in_domain, today, model, prior_mean, model.domain_prior_strength, domain)


def estimate_quality_by_domain(
    evidence: Iterable[Evidence], today: date, model: QualityModel = DEFAULT_MODEL
) -> dict[str, QualityEstimate]:
    """One estimate per domain the expert has evidence in, sorted by domain."""
    items = list(evidence)
    overall = estimate_quality(items, today, model)
    domains = sorted({e.domain for e in items if e.domain is not None})
    return {d: estimate_domain_quality(items, d, today, model, overall) for d in domains}
