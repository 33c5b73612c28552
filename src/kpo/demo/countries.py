"""Per-country facts used to generate plausible demo experts.

Time zones are the IANA zones of the country; languages are ISO 639-1 codes; rates are hourly cost
rates for a mid-career expert with a master's degree, in `currency`, for freelancers in their market.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Country:
    code: str
    time_zones: tuple[str, ...]
    languages: tuple[str, ...]  # native languages, most common first
    freelance_currency: str
    freelance_cost: tuple[int, int]
    institutions: tuple[str, ...]
    employers: tuple[str, ...]


COUNTRIES: dict[str, Country] = {
    country.code: country
    for country in (
        Country(
            "IN",
            ("Asia/Kolkata",),
            ("hi", "ta", "te", "bn", "mr", "gu", "kn", "ml"),
            "USD",
            (18, 45),
            (
                "Indian Institute of Technology Bombay",
                "Indian Institute of Technology Delhi",
                "Indian Institute of Technology Madras",
                "Indian Institute of Management Ahmedabad",
                "Indian Institute of Management Bangalore",
                "Indian Statistical Institute",
                "University of Delhi",
                "University of Mumbai",
                "Anna University",
                "Jawaharlal Nehru University",
                "National Law School of India University",
                "All India Institute of Medical Sciences",
                "Manipal Academy of Higher Education",
                "Indian Institute of Science",
            ),
            (
                "Tata Consultancy Services",
                "Infosys",
                "Wipro",
                "HDFC Bank",
                "ICICI Bank",
                "Larsen & Toubro",
                "Mahindra & Mahindra",
                "Dr. Reddy's Laboratories",
                "Sun Pharmaceutical Industries",
                "Genpact",
                "EXL Service",
                "CRISIL",
                "Evalueserve",
                "Bajaj Auto",
            ),
        ),
        Country(
            "PL",
            ("Europe/Warsaw",),
            ("pl",),
            "EUR",
            (28, 60),
            (
                "University of Warsaw",
                "Warsaw University of Technology",
                "Jagiellonian University",
                "AGH University of Krakow",
                "SGH Warsaw School of Economics",
                "Poznań University of Economics and Business",
                "Wrocław University of Science and Technology",
                "Gdańsk University of Technology",
                "Medical University of Warsaw",
            ),
            (
                "PKO Bank Polski",
                "PZU",
                "Orlen",
                "KGHM Polska Miedź",
                "Asseco Poland",
                "Comarch",
                "mBank",
                "LPP",
            ),
        ),
        Country(
            "PH",
            ("Asia/Manila",),
            ("tl",),
            "USD",
            (12, 30),
            (
                "University of the Philippines Diliman",
                "Ateneo de Manila University",
                "De La Salle University",
                "University of Santo Tomas",
                "Mapúa University",
                "Asian Institute of Management",
            ),
            (
                "Ayala Corporation",
                "BDO Unibank",
                "San Miguel Corporation",
                "PLDT",
                "Globe Telecom",
                "Jollibee Foods Corporation",
                "Aboitiz Power",
            ),
        ),
        Country(
            "DK",
            ("Europe/Copenhagen",),
            ("da",),
            "DKK",
            (550, 1000),
            (
                "Aarhus University",
                "University of Copenhagen",
                "Technical University of Denmark",
                "Copenhagen Business School",
                "Aalborg University",
                "University of Southern Denmark",
            ),
            (
                "Vestas",
                "Danfoss",
                "Grundfos",
                "Novo Nordisk",
                "Danske Bank",
                "Maersk",
                "Carlsberg",
                "FLSmidth",
            ),
        ),
        Country(
            "GB",
            ("Europe/London",),
            ("en",),
            "GBP",
            (45, 95),
            (
                "University of Oxford",
                "University of Cambridge",
                "London School of Economics",
                "Imperial College London",
                "University of Manchester",
                "University of Edinburgh",
            ),
            ("HSBC", "Rolls-Royce", "GSK", "BAE Systems", "Unilever", "Barclays"),
        ),
        Country(
            "DE",
            ("Europe/Berlin",),
            ("de",),
            "EUR",
            (45, 95),
            (
                "Technical University of Munich",
                "RWTH Aachen University",
                "Heidelberg University",
                "Humboldt University of Berlin",
                "Karlsruhe Institute of Technology",
            ),
            ("Siemens", "Bosch", "BASF", "Allianz", "Deutsche Bank", "ZF Friedrichshafen"),
        ),
        Country(
            "NL",
            ("Europe/Amsterdam",),
            ("nl",),
            "EUR",
            (45, 90),
            ("Delft University of Technology", "University of Amsterdam", "Erasmus University Rotterdam"),
            ("Philips", "ASML", "ING", "Shell", "Unilever"),
        ),
        Country(
            "ES",
            ("Europe/Madrid",),
            ("es",),
            "EUR",
            (30, 70),
            (
                "Universidad Complutense de Madrid",
                "Universitat de Barcelona",
                "Universidad Politécnica de Madrid",
            ),
            ("Banco Santander", "BBVA", "Telefónica", "Iberdrola", "Repsol"),
        ),
        Country(
            "PT",
            ("Europe/Lisbon",),
            ("pt",),
            "EUR",
            (28, 60),
            ("Universidade de Lisboa", "Universidade do Porto", "Universidade NOVA de Lisboa"),
            ("EDP", "Galp", "Millennium bcp", "Sonae", "Jerónimo Martins"),
        ),
        Country(
            "RO",
            ("Europe/Bucharest",),
            ("ro",),
            "EUR",
            (25, 55),
            ("University of Bucharest", "Politehnica University of Bucharest", "Babeș-Bolyai University"),
            ("Dacia", "Banca Transilvania", "OMV Petrom", "BRD Groupe Société Générale"),
        ),
        Country(
            "UA",
            ("Europe/Kyiv",),
            ("uk",),
            "USD",
            (25, 55),
            (
                "Taras Shevchenko National University of Kyiv",
                "Igor Sikorsky Kyiv Polytechnic Institute",
                "Lviv Polytechnic National University",
            ),
            ("Naftogaz", "PrivatBank", "Kyivstar", "EPAM Systems", "SoftServe"),
        ),
        Country(
            "KE",
            ("Africa/Nairobi",),
            ("sw",),
            "USD",
            (15, 40),
            ("University of Nairobi", "Strathmore University", "Kenyatta University"),
            ("Safaricom", "Equity Bank", "KCB Group", "East African Breweries"),
        ),
        Country(
            "EG",
            ("Africa/Cairo",),
            ("ar",),
            "USD",
            (15, 40),
            (
                "Cairo University",
                "The American University in Cairo",
                "Ain Shams University",
                "Alexandria University",
            ),
            ("Commercial International Bank", "Orascom Construction", "Telecom Egypt", "EFG Hermes"),
        ),
        Country(
            "ZA",
            ("Africa/Johannesburg",),
            ("en", "af", "zu"),
            "USD",
            (25, 55),
            ("University of Cape Town", "University of the Witwatersrand", "Stellenbosch University"),
            ("Standard Bank", "Sasol", "MTN Group", "Discovery", "Anglo American"),
        ),
        Country(
            "BR",
            ("America/Sao_Paulo", "America/Manaus", "America/Recife"),
            ("pt",),
            "USD",
            (20, 50),
            ("Universidade de São Paulo", "Universidade Estadual de Campinas", "Fundação Getulio Vargas"),
            ("Petrobras", "Vale", "Itaú Unibanco", "Embraer", "WEG"),
        ),
        Country(
            "AR",
            ("America/Argentina/Buenos_Aires", "America/Argentina/Cordoba"),
            ("es",),
            "USD",
            (20, 50),
            (
                "Universidad de Buenos Aires",
                "Instituto Tecnológico de Buenos Aires",
                "Universidad Nacional de Córdoba",
            ),
            ("YPF", "Banco Galicia", "Mercado Libre", "Techint"),
        ),
        Country(
            "VN",
            ("Asia/Ho_Chi_Minh",),
            ("vi",),
            "USD",
            (15, 35),
            (
                "Vietnam National University, Hanoi",
                "Hanoi University of Science and Technology",
                "Foreign Trade University",
            ),
            ("Viettel", "Vingroup", "FPT Corporation", "Vietcombank"),
        ),
        Country(
            "US",
            ("America/New_York", "America/Chicago", "America/Denver", "America/Los_Angeles"),
            ("en",),
            "USD",
            (70, 150),
            (
                "Massachusetts Institute of Technology",
                "University of Michigan",
                "Georgia Institute of Technology",
                "University of Texas at Austin",
                "Columbia University",
            ),
            ("General Electric", "Deloitte", "Pfizer", "JPMorgan Chase", "Caterpillar"),
        ),
    )
}

# Countries a freelancer in the pool comes from, with relative weights.
FREELANCE_COUNTRY_WEIGHTS: dict[str, int] = {
    "IN": 20,
    "PH": 10,
    "PL": 6,
    "DK": 4,
    "GB": 6,
    "DE": 5,
    "NL": 3,
    "ES": 5,
    "PT": 4,
    "RO": 5,
    "UA": 6,
    "KE": 5,
    "EG": 5,
    "ZA": 4,
    "BR": 5,
    "AR": 4,
    "VN": 4,
    "US": 4,
}


def country_time_zones() -> dict[str, tuple[str, ...]]:
    return {code: country.time_zones for code, country in COUNTRIES.items()}
