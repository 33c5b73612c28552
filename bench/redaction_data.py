"""The labelled snippets bench/redaction.py scores: synthetic, realistic, Danish and English, built in code.

Each snippet is one to three sentences from a template, with slots filled from pools of names, firms,
products and numbers by a seeded random stream, and carries the sensitive terms its client declared
(a person, a customer, a product) and the gold spans of everything that must be redacted. Slots with
no label (amounts, dates, CVR and order numbers, versions, times, "at" in prose) are there to cost
precision.

Two parts that share no template, name, firm or product: `tuning` (seed 11) was used to develop the
detectors; `held_out` (seed 29) was written with the tuning part before any detector changed and
was only scored, never looked into to fix a miss.
"""

from __future__ import annotations

import random
import re
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass, field

# entity types scored; a term's category is its declared category
EMAIL, PHONE, CPR, IBAN, PERSON, CUSTOMER, PRODUCT = (
    "email",
    "phone",
    "cpr",
    "iban",
    "person",
    "customer",
    "product",
)


@dataclass(frozen=True)
class Span:
    start: int
    end: int
    kind: str


@dataclass
class Snippet:
    text: str
    language: str
    terms: list[tuple[str, str]]  # (term, category) as the client declared them
    gold: list[Span] = field(default_factory=list)


@dataclass(frozen=True)
class World:
    person: str
    customer: str
    product: str
    email_domain: str


@dataclass(frozen=True)
class Pools:
    people: tuple[str, ...]
    customers: tuple[str, ...]
    products: tuple[str, ...]
    templates_en: tuple[str, ...]
    templates_da: tuple[str, ...]


# -- variants of a declared term ------------------------------------------------------------------

_ASCII = {"æ": "ae", "ø": "oe", "å": "aa", "Æ": "Ae", "Ø": "Oe", "Å": "Aa", "ü": "ue", "ö": "oe", "ä": "ae"}
_PLAIN = {"æ": "a", "ø": "o", "å": "a", "Æ": "A", "Ø": "O", "Å": "A"}


def ascii_folded(text: str) -> str:
    return "".join(_ASCII.get(c, c) for c in text)


def plain_folded(text: str) -> str:
    out = "".join(_PLAIN.get(c, c) for c in text)
    return "".join(c for c in unicodedata.normalize("NFKD", out) if not unicodedata.combining(c))


def hyphenated(word: str, rng: random.Random) -> str:
    """`word` with a hyphen at a syllable-ish boundary ("Tailwind" → "Tail-wind")."""
    if len(word) < 6:
        return word
    cut = rng.randint(3, len(word) - 3)
    return word[:cut] + "-" + word[cut:].lower()


def person_variant(name: str, rng: random.Random) -> str:
    first, *_middle, last = name.split()
    options = [
        name,
        ascii_folded(name),
        plain_folded(name),
        f"{first[0]}. {last}",
        f"{first[0]}. {ascii_folded(last)}",
        name.upper(),
    ]
    return rng.choice(options)


def customer_variant(name: str, rng: random.Random) -> str:
    words = name.split()
    options = [name, words[0], words[0], ascii_folded(name), "-".join(words), plain_folded(name)]
    return rng.choice(options)


def product_variant(name: str, rng: random.Random) -> str:
    return rng.choice([name, hyphenated(name, rng), name.upper(), name.lower(), ascii_folded(name)])


# -- numbers and addresses ------------------------------------------------------------------------


def _digits(rng: random.Random, count: int, first: str = "123456789") -> str:
    return rng.choice(first) + "".join(rng.choice("0123456789") for _ in range(count - 1))


def dk_phone(rng: random.Random) -> str:
    number = _digits(rng, 8)
    pairs = " ".join(number[i : i + 2] for i in range(0, 8, 2))
    return rng.choice(
        [
            f"+45 {number}",
            f"+45{number}",
            f"+45 {pairs}",
            pairs,
            f"0045 {number[:4]} {number[4:]}",
            f"+45 {number[:4]} {number[4:]}",
        ]
    )


def foreign_phone(rng: random.Random) -> str:
    area, exchange, line = (
        _digits(rng, 3, "2345678"),
        _digits(rng, 3, "2345678"),
        _digits(rng, 4, "0123456789"),
    )
    return rng.choice(
        [
            f"({area}) {exchange}-{line}",
            f"{area}-{exchange}-{line}",
            f"+1 {area} {exchange} {line}",
            f"+44 20 {_digits(rng, 4)} {_digits(rng, 4, '0123456789')}",
            f"+49 30 {_digits(rng, 8)}",
        ]
    )


def cpr(rng: random.Random) -> str:
    day, month, year = rng.randint(1, 28), rng.randint(1, 12), rng.randint(40, 99)
    serial = f"{rng.randint(0, 3)}{rng.randint(0, 999):03d}"
    return f"{day:02d}{month:02d}{year:02d}{rng.choice(['-', '', '-'])}{serial}"


def iban(rng: random.Random) -> str:
    bban = _digits(rng, 14, "0123456789")
    moved = bban + "DK00"
    numeric = "".join(str(int(c, 36)) for c in moved)
    check = 98 - int(numeric) % 97
    raw = f"DK{check:02d}{bban}"
    return rng.choice([raw, " ".join(raw[i : i + 4] for i in range(0, len(raw), 4))])


def email(person: str, domain: str, rng: random.Random) -> str:
    first, *_rest, last = ascii_folded(person).lower().replace("'", "").split()
    local = rng.choice([f"{first}.{last}", f"{first[0]}{last}", first, f"{first}_{last}"])
    return f"{local}@{domain}"


def spelled_email(person: str, domain: str, rng: random.Random) -> str:
    first, *_rest, last = ascii_folded(person).lower().replace("'", "").split()
    name, tld = domain.rsplit(".", 1)
    return rng.choice(
        [
            f"{first} dot {last} at {name} dot {tld}",
            f"{first}.{last} (at) {name} (dot) {tld}",
            f"{first}[at]{name}[dot]{tld}",
            f"{first} [at] {name} [dot] {tld}",
            f"{first}.{last} snabel-a {name} punktum {tld}",
            f"{first} at {name} dot {tld}",
        ]
    )


# -- slots without a label (they cost precision) ---------------------------------------------------


def _unlabelled(rng: random.Random) -> dict[str, Callable[[], str]]:
    return {
        "amount": lambda: rng.choice(
            [
                f"{rng.randint(10, 999)}.{rng.randint(100, 999)} kr.",
                f"DKK {rng.randint(1, 99)},{rng.randint(0, 99):02d}",
                f"EUR {rng.randint(1000, 99999):,}",
                f"{rng.randint(2, 40)} 000 kr.",
            ]
        ),
        "date": lambda: rng.choice(
            [
                f"{rng.randint(1, 28):02d}-{rng.randint(1, 12):02d}-2026",
                f"{rng.randint(1, 28)}. marts 2027",
                f"2026-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}",
            ]
        ),
        "cvr": lambda: _digits(rng, 8),
        "order": lambda: rng.choice(
            [f"{_digits(rng, 8)}", f"PO-{_digits(rng, 6)}", f"INV-2026{_digits(rng, 4)}"]
        ),
        "version": lambda: f"{rng.randint(1, 9)}.{rng.randint(0, 20)}.{rng.randint(0, 9)}",
        "time": lambda: f"{rng.randint(7, 17):02d}:{rng.choice(['00', '15', '30', '45'])}",
        "count": lambda: str(rng.randint(2, 4000)),
        "percent": lambda: f"{rng.randint(1, 99)},{rng.randint(0, 9)} %",
        "postcode": lambda: str(rng.randint(1000, 9990)),
    }


_SLOT = re.compile(r"\{(\w+)\}")


def _fill(template: str, world: World, rng: random.Random) -> tuple[str, list[Span]]:
    plain = _unlabelled(rng)
    labelled: dict[str, tuple[str, Callable[[], str]]] = {
        "person": (PERSON, lambda: person_variant(world.person, rng)),
        "customer": (CUSTOMER, lambda: customer_variant(world.customer, rng)),
        "product": (PRODUCT, lambda: product_variant(world.product, rng)),
        "email": (EMAIL, lambda: email(world.person, world.email_domain, rng)),
        "spelled": (EMAIL, lambda: spelled_email(world.person, world.email_domain, rng)),
        "phone": (PHONE, lambda: dk_phone(rng)),
        "foreign_phone": (PHONE, lambda: foreign_phone(rng)),
        "cpr": (CPR, lambda: cpr(rng)),
        "iban": (IBAN, lambda: iban(rng)),
    }
    text = ""
    spans: list[Span] = []
    position = 0
    for match in _SLOT.finditer(template):
        text += template[position : match.start()]
        slot = match.group(1)
        if slot in labelled:
            kind, make = labelled[slot]
            value = make()
            spans.append(Span(len(text), len(text) + len(value), kind))
        else:
            value = plain[slot]()
        text += value
        position = match.end()
    text += template[position:]
    return text, spans


def build(pools: Pools, seed: int, count: int) -> list[Snippet]:
    rng = random.Random(seed)
    snippets = []
    for index in range(count):
        person = pools.people[index % len(pools.people)]
        customer = rng.choice(pools.customers)
        product = rng.choice(pools.products)
        domain = (
            f"{ascii_folded(customer.split()[0]).lower()}.{rng.choice(['dk', 'example', 'com', 'co.uk'])}"
        )
        world = World(person, customer, product, domain)
        language = "da" if index % 2 else "en"
        templates = pools.templates_da if language == "da" else pools.templates_en
        text, gold = _fill(templates[(index // 2) % len(templates)], world, rng)
        terms = [(person, PERSON), (customer, CUSTOMER), (product, PRODUCT)]
        snippets.append(Snippet(text, language, terms, gold))
    return snippets


TUNING = Pools(
    people=(
        "Mette Kjær",
        "Søren Østergaard",
        "Anne Jørgensen",
        "Lars Bæk",
        "Emma Wilson",
        "Oliver Hughes",
        "Kirsten Møller",
        "Niels Brøndum",
        "Jens Åberg",
        "Laura Bennett",
    ),
    customers=(
        "Havbris Energi",
        "Nordvind Logistik",
        "Kastrup Marine Service",
        "Brightwater Foods",
        "Solvang Bryggeri",
    ),
    products=("Tailwind", "Seaglass", "Northstar", "Bluefin", "Driftwood"),
    templates_en=(
        "Please call {person} on {phone} before the review of {product}.",
        "{person} ({email}) owns the {customer} account; budget {amount}.",
        "Send the draft to {spelled} by {date}.",
        "The {product} pilot at {customer} starts at {time}; contact {person}, tel. {phone}.",
        "Invoice {order} for {customer} was paid on {date}, {percent} above plan.",
        "Our US partner can be reached at {foreign_phone}; {person} will join the call.",
        "CPR {cpr} belongs to the employee {person}; salary goes to {iban}.",
        "We met {person} at the {customer} office in postcode {postcode} to discuss {product}.",
        "Version {version} of {product} was rolled out to {count} users at {customer}.",
        "Reach {person} at {email} or on {foreign_phone}.",
        "{customer} (CVR {cvr}) asked whether {product} can ship by {date}.",
        "Mobile: {phone}. E-mail: {spelled}.",
    ),
    templates_da=(
        "Ring til {person} på {phone}, hvis {product} forsinkes.",
        "{person} fra {customer} skriver fra {email} om budgettet på {amount}.",
        "Send rapporten til {spelled} senest {date}.",
        "Kontaktperson: {person}, tlf. {phone}; projekt {product}.",
        "Faktura {order} til {customer} blev betalt {date}.",
        "Medarbejderen {person} har CPR-nr. {cpr} og kontonummer {iban}.",
        "{customer} har CVR-nr. {cvr} og holder til i postnummer {postcode}.",
        "Mødet om {product} hos {customer} starter kl. {time} med {count} deltagere.",
        "Spørg {person} ({email}) om version {version} af {product}.",
        "Vores kontakt i USA har nummeret {foreign_phone}; {person} deltager også.",
        "Afvigelsen var {percent}, oplyser {customer}.",
        "Mobil: {phone}. Mail: {spelled}.",
    ),
)

HELD_OUT = Pools(
    people=(
        "Birgitte Kærsgaard",
        "Rasmus Thøgersen",
        "Hanne Skovgård",
        "James Whitaker",
        "Ida Frøkjær",
        "Mikkel Løvborg",
        "Charlotte Dahl",
        "Peter Brændstrup",
    ),
    customers=(
        "Østkyst Forsikring",
        "Grønhøj Mejeri",
        "Ashcombe Retail",
        "Kronborg Analytics",
        "Vesterhav Fiskeri",
    ),
    products=("Kitewing", "Moonrake", "Ironleaf", "Sandpiper"),
    templates_en=(
        "Escalations go to {person}, phone {phone}, who leads {product}.",
        "Forward the minutes to {email}; {customer} wants them by {date}.",
        "You can write to {spelled} about the {product} rollout.",
        "{customer} reported {count} defects in release {version} of {product}.",
        "Payment of {amount} under order {order} is due on {date}.",
        "Dial {foreign_phone} to reach the New York desk; {person} is on leave.",
        "Payroll: {person}, CPR {cpr}, account {iban}.",
        "At {time} the {customer} steering group signed off {product} (CVR {cvr}).",
    ),
    templates_da=(
        "Eskalering sker til {person} på telefon {phone}.",
        "Referatet sendes til {email}, så {customer} har det {date}.",
        "Skriv til {spelled} om udrulningen af {product}.",
        "{customer} fandt {count} fejl i version {version} af {product}.",
        "Beløbet {amount} på ordre {order} forfalder {date}.",
        "Lønsedlen for {person} (CPR {cpr}) udbetales til {iban}.",
        "Kl. {time} godkendte styregruppen hos {customer} {product}; CVR {cvr}.",
        "Hvis {person} ikke svarer, så ring {foreign_phone}.",
    ),
)


def tuning_set() -> list[Snippet]:
    return build(TUNING, seed=11, count=240)


def held_out_set() -> list[Snippet]:
    return build(HELD_OUT, seed=29, count=120)
