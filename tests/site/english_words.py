"""Common English words that are not Danish: one on a Danish page, outside user data, is untranslated.

Words that are also Danish (to, at, for, by, is, have, had, be, set, let, send, sent, end, over, under, ...),
loanwords Danish uses as they are (budget, status, score, engagement, manager, offshore, ...) and words a
Danish translation in the catalogue uses are not here (tests/site/test_danish_pages.py checks the last).
"""

from __future__ import annotations

ENGLISH_WORDS: frozenset[str] = frozenset(
    """
    the and of with not shown yet hours hour from this that these those which what who whom whose when
    where why how will would should could can cannot may might must been being are was were has does did
    done doing your yours you our ours their they them his its it we us my me or but if than then there
    here about after before into through during without within each every any some none only also less
    least other others such same new first next previous both either neither because since until while
    again never always often now today yesterday tomorrow week weeks month months year years day days
    minute minutes date dates name names title description edit save cancel delete remove add create
    update submit search apply hide view open close sign signed back amount price cost costs savings
    saving recommended option options reason reasons source sources assumption assumptions inputs
    estimate estimated based using used use user users people expert experts task tasks review reviews
    reviewer reviewers client clients provider providers member members invoice invoices line lines
    country countries language languages skill skills quality rating ratings accepted delivered draft
    progress breached track risk due overdue level levels required requirement requirements missing
    found nothing something everyone nobody someone please thanks welcome yes page pages list lists
    report reports policy business holiday holidays working work worked works notice notices message
    messages unread read on in out up down off as get got make made take taken see seen know need needs
    want put keep run runs left right no hourly monthly yearly weekly whether however therefore although
    though instead rather enough much many few own another already still almost around among across
    against along toward towards upon shows showing hidden visible available unavailable approved
    rejected pending waiting ready changes changed change requested request requests assigned assignment
    unassigned approve reject ago remaining spent billed bill paid unpaid issued issue totals
    third party parties hire subsidiary
    """.split()  # noqa: SIM905
)

# Proper names shown as they are: the titles of published sources.
PROPER_NAMES: tuple[str, ...] = (
    "US Bureau of Labor Statistics",
    "Occupational Employment and Wage Statistics",
)
