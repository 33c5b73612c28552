"""Make-or-buy: compare in-house with third parties and a captive; save, read and delete scenarios.

Client admins and requesters of a client use these; scenarios of other clients answer 404. Amounts
in results are decimal strings in the scenario's currency; shares in inputs are fractions
(0.1 = 10 %); every bad value is a 422 naming its field (``hours_per_year``, ``options.1.country``,
``assumptions.idle_share``, ``in_house.monthly_salary``, ...).
"""

import datetime as dt
from decimal import Decimal
from typing import Annotated, Any, Literal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import QuerySet
from django.http import Http404, HttpRequest
from django.utils.translation import gettext as _
from ninja import Field, Schema
from pydantic import AfterValidator, StringConstraints

from kpo.api.outputs import Ref, Username
from kpo.api.routing import ApiRouter
from kpo.api.schemas import CountryCode, Currency, Id, Title, decimal_schema, lookup, no_nul, user_of
from kpo.core.clock import installation_date, request_now
from kpo.economics.make_or_buy.access import access_scenario, scenario_clients, scenarios_visible_to
from kpo.economics.make_or_buy.rate_quotes import rate_quotes
from kpo.economics.make_or_buy.selectors import knowledge_occupations, priceable_occupations
from kpo.economics.make_or_buy.services.comparison import make_or_buy
from kpo.economics.make_or_buy.services.inputs import ASSUMPTION_SPECS, MAX_HOURS, MAX_MONTHS
from kpo.economics.make_or_buy.services.scenarios import scenario_create, scenario_delete
from kpo.economics.models import MakeOrBuyScenario
from kpo.engine.costing import Money, load_reference_data
from kpo.engine.taxonomy import DOMAIN_LABELS
from kpo.orgs.models import Organisation

router = ApiRouter(tags=["scenarios"])


def _why(name: str) -> str:
    return ASSUMPTION_SPECS[name].why


def _bounded(*, digits: int, places: int, low: int, high: int) -> tuple[Any, Any]:
    """The pydantic bound and the documented schema of a decimal from ``low`` to ``high``."""
    return (
        Field(ge=low, le=high, max_digits=digits, decimal_places=places),
        decimal_schema(digits=digits, places=places, minimum=low, maximum=high),
    )


def _positive(*, digits: int, places: int, high: int) -> tuple[Any, Any]:
    """The bound and schema of a decimal above zero and at most ``high``."""
    return (
        Field(gt=0, le=high, max_digits=digits, decimal_places=places),
        decimal_schema(digits=digits, places=places, minimum=1, maximum=high),
    )


_SHARE = _bounded(digits=7, places=6, low=0, high=5)
_FRACTION = _bounded(digits=7, places=6, low=0, high=1)
_RATIO = _bounded(digits=8, places=4, low=0, high=20)
_MONTHS = _bounded(digits=6, places=2, low=0, high=60)
_SETUP = _bounded(digits=14, places=2, low=0, high=10**10)
_ON_COST = _bounded(digits=6, places=4, low=1, high=5)
_HOURS = _positive(digits=9, places=2, high=int(MAX_HOURS))
_AMOUNT = _positive(digits=14, places=2, high=10**10)
Share = Annotated[Decimal, *_SHARE]  # a fraction: 0.1 = 10 %; at most 5 (500 %)
BelowOne = Annotated[Decimal, *_FRACTION]  # idle time, absence: at most 0.95 (checked)
Fraction = Annotated[Decimal, *_FRACTION]
Ratio = Annotated[Decimal, *_RATIO]
Months = Annotated[Decimal, *_MONTHS]
HoursPerYear = Annotated[Decimal, *_HOURS]
Amount = Annotated[Decimal, *_AMOUNT]
SetupAmount = Annotated[Decimal, *_SETUP]
OnCost = Annotated[Decimal, *_ON_COST]
Occupation = Annotated[str, StringConstraints(min_length=1, max_length=300), AfterValidator(no_nul)]
OptionKind = Literal["onshore", "nearshore", "offshore", "captive"]


class MoneyIn(Schema):
    amount: SetupAmount
    currency: Currency


class AssumptionsIn(Schema):
    """Every assumption of the model; leave one out to keep its default (GET /make-or-buy/reference)."""

    paid_absence_share: BelowOne | None = Field(None, description=_why("paid_absence_share"))
    idle_share: BelowOne | None = Field(None, description=_why("idle_share"))
    manager_cost_ratio: Ratio | None = Field(None, description=_why("manager_cost_ratio"))
    management_share: Share | None = Field(None, description=_why("management_share"))
    recruitment_share: Share | None = Field(None, description=_why("recruitment_share"))
    ramp_up_months: Months | None = Field(None, description=_why("ramp_up_months"))
    ramp_up_productivity: Fraction | None = Field(None, description=_why("ramp_up_productivity"))
    attrition_in_house: Share | None = Field(None, description=_why("attrition_in_house"))
    attrition_captive: Share | None = Field(None, description=_why("attrition_captive"))
    exit_months: Months | None = Field(None, description=_why("exit_months"))
    transition_months_onshore: Months | None = Field(None, description=_why("transition_months_onshore"))
    transition_months_nearshore: Months | None = Field(None, description=_why("transition_months_nearshore"))
    transition_months_offshore: Months | None = Field(None, description=_why("transition_months_offshore"))
    transition_months_captive: Months | None = Field(None, description=_why("transition_months_captive"))
    knowledge_transfer_share: Share | None = Field(None, description=_why("knowledge_transfer_share"))
    governance_onshore: Share | None = Field(None, description=_why("governance_onshore"))
    governance_nearshore: Share | None = Field(None, description=_why("governance_nearshore"))
    governance_offshore: Share | None = Field(None, description=_why("governance_offshore"))
    governance_captive: Share | None = Field(None, description=_why("governance_captive"))
    communication_base: Share | None = Field(None, description=_why("communication_base"))
    communication_per_timezone_hour: Share | None = Field(
        None, description=_why("communication_per_timezone_hour")
    )
    communication_per_language_step: Share | None = Field(
        None, description=_why("communication_per_language_step")
    )
    rework_in_house: Share | None = Field(None, description=_why("rework_in_house"))
    rework_onshore: Share | None = Field(None, description=_why("rework_onshore"))
    rework_nearshore: Share | None = Field(None, description=_why("rework_nearshore"))
    rework_offshore: Share | None = Field(None, description=_why("rework_offshore"))
    rework_captive: Share | None = Field(None, description=_why("rework_captive"))
    captive_setup_cost: MoneyIn | None = Field(None, description=_why("captive_setup_cost"))
    captive_overhead_share: Share | None = Field(None, description=_why("captive_overhead_share"))
    vendor_markup: Ratio | None = Field(None, description=_why("vendor_markup"))
    min_savings_share: Fraction | None = Field(None, description=_why("min_savings_share"))


class InHouseIn(Schema):
    """The client's own figures for its in-house staff (in the scenario's currency)."""

    monthly_salary: Amount | None = Field(None, description="Gross monthly salary; on-costs are added.")
    on_cost_multiplier: OnCost | None = Field(None, description="Employer cost per unit of gross pay.")


class OptionIn(Schema):
    sourcing: OptionKind
    country: CountryCode
    rate_card: Amount | None = Field(
        None, description="Third parties: the provider's price per billed hour, in the scenario's currency."
    )
    monthly_salary: Amount | None = Field(
        None, description="Captive: the client's own gross monthly salary figure there."
    )
    on_cost_multiplier: OnCost | None = Field(
        None, description="Captive: employer cost per unit of gross pay."
    )


class ComparisonIn(Schema):
    occupation: Occupation = Field(
        ...,
        description="A SOC code (17-2112), a KPO domain (management_consulting) or an ESCO occupation URI.",
    )
    hours_per_year: HoursPerYear
    months: int = Field(..., ge=1, le=MAX_MONTHS)
    recurring: bool = True
    currency: Currency
    client_country: CountryCode = Field(..., description="Where in-house staff would work.")
    options: list[OptionIn] = Field(
        ..., min_length=1, max_length=4, description="Each sourcing at most once."
    )
    in_house: InHouseIn | None = None
    assumptions: AssumptionsIn | None = None


class ScenarioIn(ComparisonIn):
    client: Id = Field(..., description="Id of one's own client organisation.")
    name: Title


class EstimateOut(Schema):
    occupation_label: str = ""
    country_name: str = ""
    amount: str | None = None
    basis: str = ""
    inputs: list[str] = Field(default_factory=list)
    fallbacks: list[str] = Field(default_factory=list, description="Missing data and the fallback used.")


class OptionResultOut(Schema):
    sourcing: str
    label: str
    country: str
    hourly_cost: str | None = None
    cost_source: str = ""
    total: str | None = None
    cost_per_delivered_hour: str | None = None
    break_even_month: int | None = None
    savings: str | None = None
    savings_share: str | None = Field(None, description="Percent of the in-house total.")
    cost_basis: str = ""  # "rate_card", "model" or "given"
    components: dict[str, str | None] = Field(default_factory=dict)
    cumulative: list[str | None] = Field(default_factory=list, description="Cumulative cost, month by month.")
    notes: list[str] = Field(default_factory=list)
    estimate: EstimateOut | None = None


class TornadoBarOut(Schema):
    input: str
    label: str
    base_value: str
    low_value: str
    high_value: str
    low_total: str | None = None
    high_total: str | None = None
    low_savings: str | None = None
    high_savings: str | None = None
    swing: str | None = None


class RecommendationOut(Schema):
    option: str
    label: str
    reasons: list[str]
    caveats: list[str]
    text: str


class SourceOut(Schema):
    key: str = Field(..., description="oews, mapping, ilo, ppp, ecb or country")
    items: list[str]


class ResultOut(Schema):
    need: dict[str, Any]
    currency: str
    options: list[OptionResultOut]
    tornado: list[TornadoBarOut] = Field(default_factory=list)
    tornado_target: str = ""
    recommendation: RecommendationOut | None = None
    client_hourly_cost: str | None = None
    client_hourly_cost_source: str = ""
    conversions: list[str] = Field(default_factory=list)
    assumptions: dict[str, Any] = Field(default_factory=dict, description="Every assumption used.")
    overrides: dict[str, dict[str, str]] = Field(default_factory=dict)
    sources: list[SourceOut] = Field(default_factory=list)


class ScenarioListItemOut(Schema):
    id: int
    client: Ref
    name: str
    created_by: Username
    created_at: dt.datetime
    recommendation: str = Field("", description="The recommended option's label.")

    @staticmethod
    def resolve_recommendation(obj: MakeOrBuyScenario) -> str:
        return str(((obj.result or {}).get("recommendation") or {}).get("label", ""))


class ScenarioOut(ScenarioListItemOut):
    inputs: dict[str, Any]
    result: ResultOut | None = None

    @staticmethod
    def resolve_result(obj: MakeOrBuyScenario) -> dict[str, Any] | None:
        result = obj.result or {}
        return result if result.get("options") and "currency" in result and "need" in result else None


class NamedCodeOut(Schema):
    code: str
    name: str


class CountryOut(Schema):
    code: str
    name: str
    currency: str
    ilo_earnings: bool = Field(..., description="False: the estimate falls back to price-level peers.")


class AssumptionOut(Schema):
    name: str
    kind: str = Field(..., description="share (a fraction), ratio, months or money")
    default: str
    default_currency: str | None = None
    maximum: str
    why: str


class ReferenceOut(Schema):
    currencies: list[str]
    countries: list[CountryOut]
    domains: list[NamedCodeOut]
    occupations: list[NamedCodeOut] = Field(..., description="SOC codes of knowledge work (OEWS May 2025).")
    esco_occupations: list[NamedCodeOut] = Field(
        ..., description="ESCO occupations the model can price: code is the URI to send as occupation."
    )
    assumptions: list[AssumptionOut]
    max_months: int
    max_hours_per_year: int


def _service_arguments(payload: ComparisonIn) -> dict[str, Any]:
    overrides: dict[str, dict[str, Decimal]] = {}
    if payload.in_house is not None:
        overrides["in_house"] = payload.in_house.model_dump(exclude_none=True)
    for option in payload.options:
        figures = option.model_dump(exclude_none=True, exclude={"sourcing", "country"})
        if figures:
            overrides[option.sourcing] = figures
    assumptions: dict[str, Any] = {}
    if payload.assumptions is not None:
        assumptions = payload.assumptions.model_dump(exclude_none=True)
    return {
        "occupation": payload.occupation,
        "hours_per_year": payload.hours_per_year,
        "months": payload.months,
        "recurring": payload.recurring,
        "currency": payload.currency,
        "client_country": payload.client_country,
        "options": [(option.sourcing, option.country) for option in payload.options],
        "assumptions": assumptions,
        "overrides": overrides,
    }


def _api_fields(error: ValidationError, payload: ComparisonIn) -> ValidationError:
    """Service field names as the API's: overrides.captive.monthly_salary -> options.2.monthly_salary."""
    index: dict[str, int] = {option.sourcing: i for i, option in enumerate(payload.options)}
    renamed: dict[str, list[str]] = {}
    for field, messages in error.message_dict.items():
        parts = field.split(".")
        if parts[0] == "overrides" and len(parts) == 3:
            kind, figure = parts[1], parts[2]
            field = f"in_house.{figure}" if kind == "in_house" else f"options.{index.get(kind, 0)}.{figure}"
        renamed.setdefault(field, []).extend(messages)
    return ValidationError(renamed)


def _compare(payload: ComparisonIn, client: Organisation, day: dt.date) -> dict[str, Any]:
    arguments = _service_arguments(payload)
    try:
        return make_or_buy(
            **arguments, rate_cards=rate_quotes(client, arguments["occupation"], arguments["options"], day)
        )
    except ValidationError as error:
        raise _api_fields(error, payload) from None


@router.reads("/make-or-buy/reference", ReferenceOut)
def get_make_or_buy_reference(request: HttpRequest) -> dict[str, Any]:
    """What the calculator accepts: currencies, countries, domains, occupations, assumptions with defaults."""
    user_of(request)
    data = load_reference_data()
    countries = {c.iso2: c for c in data.countries.values()}
    assumptions = []
    for spec in ASSUMPTION_SPECS.values():
        default = spec.default
        assumptions.append(
            {
                "name": spec.name,
                "kind": spec.kind,
                "default": str(default.amount) if isinstance(default, Money) else f"{default.normalize():f}",
                "default_currency": default.currency if isinstance(default, Money) else None,
                "maximum": f"{spec.maximum.normalize():f}",
                "why": spec.why,
            }
        )
    return {
        "currencies": sorted(data.rates.quoted),
        "countries": [
            {"code": c.iso2, "name": c.name, "currency": c.currency, "ilo_earnings": c.iso2 in data.ilo}
            for c in sorted(countries.values(), key=lambda c: c.name)
        ],
        "domains": [{"code": domain.value, "name": str(label)} for domain, label in DOMAIN_LABELS.items()],
        "occupations": [{"code": soc, "name": title} for soc, title in knowledge_occupations()],
        "esco_occupations": [{"code": uri, "name": label} for uri, label in priceable_occupations()],
        "assumptions": assumptions,
        "max_months": MAX_MONTHS,
        "max_hours_per_year": int(MAX_HOURS),
    }


@router.writes("POST", "/make-or-buy/compare", ResultOut, 400, 403, 422)
def compare_make_or_buy(request: HttpRequest, payload: ComparisonIn) -> dict[str, Any]:
    """Compare without saving (client admins and requesters)."""
    clients = scenario_clients(user_of(request))
    if not clients:
        raise PermissionDenied(_("Only client admins and requesters use the make-or-buy calculator."))
    return _compare(payload, clients[0], installation_date(request_now(request)))


@router.lists("/scenarios", ScenarioListItemOut, 422)
def list_scenarios(request: HttpRequest) -> QuerySet[MakeOrBuyScenario]:
    """Saved scenarios of the clients where you are an admin or a requester, newest first."""
    return scenarios_visible_to(user_of(request))


@router.creates("/scenarios", ScenarioOut, 400, 403, 422)
def create_scenario(request: HttpRequest, payload: ScenarioIn) -> MakeOrBuyScenario:
    """Compute and save a scenario for one's own client (client admins and requesters)."""
    user = user_of(request)

    def own_client() -> Any:
        for client in scenario_clients(user):
            if client.pk == payload.client:
                return client
        raise Http404

    client = lookup("client", own_client)
    arguments = _service_arguments(payload)
    try:
        scenario = scenario_create(user=user, client=client, name=payload.name, **arguments)
    except ValidationError as error:
        raise _api_fields(error, payload) from None
    return scenario


@router.reads("/scenarios/{scenario_id}", ScenarioOut, 404, 422)
def get_scenario(request: HttpRequest, scenario_id: Id) -> MakeOrBuyScenario:
    return access_scenario(user_of(request), scenario_id)


@router.deletes("/scenarios/{scenario_id}", 403, 404, 409, 422)
def delete_scenario(request: HttpRequest, scenario_id: Id) -> None:
    """Delete a saved scenario; 409 while engagements use it as their in-house baseline."""
    user = user_of(request)
    scenario_delete(user=user, scenario=access_scenario(user, scenario_id))
