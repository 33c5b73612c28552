"""The demo world's sensitive terms, and a task description with personal data for the redaction preview.

Nordvind declares its next gearbox's code name, a customer and a person; Kystbanken a project and a
customer. One of Nordvind's in-progress tasks (Carol's, at Indus Insight) then mentions them together
with an e-mail address, a phone number, an IBAN and a CPR number, so Bob (the requester) sees the
preview with every kind of placeholder, and Carol reads the redacted description.
"""

from __future__ import annotations

from collections import Counter

from kpo.demo.organisations import BANK, MANUFACTURER
from kpo.orgs.models import Organisation
from kpo.redaction.models import SensitiveTerm
from kpo.work.models import Task

TERMS: dict[str, tuple[tuple[str, str, str], ...]] = {
    MANUFACTURER: (
        ("Tailwind", "product", "Code name of the 8 MW planetary gearbox, not yet announced."),
        ("NG-8000", "product", "Type designation of Tailwind."),
        ("Havbris Energi", "customer", "Launch customer of Tailwind."),
        ("Mette Kjær", "person", "Head of the heat-treatment shop."),
    ),
    BANK: (
        ("Project Lighthouse", "product", "The new credit-scoring model."),
        ("Jyllands Fiskeeksport", "customer", "Largest business customer."),
    ),
}

TASK_TITLE = "Root causes of scrap in heat-treated ring gears"
EXTRA = (
    "\n\nThe scrapped ring gears are for Tailwind (NG-8000), whose launch customer Havbris Energi "
    "expects the first units in May. Mette Kjær (mette.kjaer@nordvind.example, +45 98 12 34 56) "
    "sends the furnace logs; her predecessor's measurement notes are filed under CPR 070371-1234. "
    "Send travel invoices to IBAN DK5000400440116243."
)


def seed_redaction(organisations: dict[str, Organisation]) -> Counter[str]:
    written: Counter[str] = Counter()
    rows = [
        SensitiveTerm(client=organisations[slug], term=term, category=category, note=note)
        for slug, terms in TERMS.items()
        for term, category, note in terms
    ]
    SensitiveTerm.objects.bulk_create(rows)
    written["sensitive_terms"] = len(rows)
    task = Task.objects.filter(engagement__client=organisations[MANUFACTURER], title=TASK_TITLE).first()
    if task is not None and EXTRA not in task.description:
        task.description += EXTRA
        task.save(update_fields=["description"])
    return written
