"""The organisations of the demo world: two Danish clients and four providers, with invented addresses
and VAT numbers of the right form (Danish ones pass the CVR check), so the demo invoices show each VAT
case: Danish VAT (the freelance pool), reverse charge (Poland) and outside the scope (India, Manila)."""

from __future__ import annotations

from dataclasses import dataclass

MANUFACTURER = "nordvind"
BANK = "kystbanken"
INDIA = "indus-insight"
POLAND = "vistula-analytics"
CAPTIVE = "nordvind-manila"
FREELANCE = "kpo-freelance"


@dataclass(frozen=True)
class OrgSpec:
    slug: str
    name: str
    kind: str
    provider_type: str
    country: str
    time_zone: str
    currency: str
    description: str
    parent: str = ""
    email_domain: str = ""
    postal_address: str = ""
    vat_number: str = ""
    payment_terms_days: int = 30


ORGANISATIONS: tuple[OrgSpec, ...] = (
    OrgSpec(
        MANUFACTURER,
        "Nordvind Industri A/S",
        "client",
        "",
        "DK",
        "Europe/Copenhagen",
        "DKK",
        "Danish maker of gearboxes and drivetrain components for wind turbines and industrial machinery, "
        "with plants in Aalborg and Esbjerg. Nordvind wants to raise the efficiency of its production "
        "process: less unplanned downtime, shorter changeovers, less scrap.",
        email_domain="nordvind.example",
        postal_address="Sønderport 12\n9000 Aalborg",
        vat_number="DK30128400",
    ),
    OrgSpec(
        BANK,
        "Kystbanken A/S",
        "client",
        "",
        "DK",
        "Europe/Copenhagen",
        "DKK",
        "Regional Danish bank serving households and small businesses along the west coast of Jutland.",
        email_domain="kystbanken.example",
        postal_address="Strandvejen 41\n6700 Esbjerg",
        vat_number="DK27714595",
    ),
    OrgSpec(
        INDIA,
        "Indus Insight Analytics Pvt. Ltd.",
        "provider",
        "third_party",
        "IN",
        "Asia/Kolkata",
        "INR",
        "Third-party KPO firm in Pune: financial and investment research, analytics, operations consulting, "
        "legal process outsourcing and medical writing.",
        email_domain="indus-insight.example",
        postal_address="Tower B, 5th Floor, Baner Road\nPune 411045, Maharashtra",
        vat_number="27AABCI4721K1ZQ",  # a GSTIN
        payment_terms_days=45,
    ),
    OrgSpec(
        POLAND,
        "Vistula Analytics sp. z o.o.",
        "provider",
        "third_party",
        "PL",
        "Europe/Warsaw",
        "PLN",
        "Nearshore analytics and engineering consultancy in Kraków, one hour from Copenhagen by time zone.",
        email_domain="vistula-analytics.example",
        postal_address="ul. Floriańska 31\n31-019 Kraków",
        vat_number="PL6762481946",
    ),
    OrgSpec(
        CAPTIVE,
        "Nordvind Business Services Manila Inc.",
        "provider",
        "captive",
        "PH",
        "Asia/Manila",
        "PHP",
        "Nordvind's own captive service centre in Taguig, Metro Manila: engineering analysis, finance "
        "and reporting for the group.",
        parent=MANUFACTURER,
        email_domain="nordvind-manila.example",
        postal_address="12th Floor, One World Square, McKinley Hill\nTaguig 1634, Metro Manila",
        vat_number="009123456000",  # a TIN
    ),
    OrgSpec(
        FREELANCE,
        "kpo Freelance Pool",
        "provider",
        "freelance_pool",
        "DK",
        "Europe/Copenhagen",
        "EUR",
        "The platform's own pool of independent experts worldwide, vetted and contracted one by one.",
        email_domain="kpo-freelance.example",
        postal_address="Nørre Allé 7\n2200 København N",
        vat_number="DK41883758",
        payment_terms_days=14,
    ),
)
ORG_BY_SLUG: dict[str, OrgSpec] = {spec.slug: spec for spec in ORGANISATIONS}
PROVIDER_SLUGS: tuple[str, ...] = (INDIA, POLAND, CAPTIVE, FREELANCE)
