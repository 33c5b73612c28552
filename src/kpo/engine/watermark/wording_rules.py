"""Choice points found by rule rather than by the curated lists: formats and punctuation.

Each rule finds a stretch of text that may be written in two or three equivalent ways and says
which way the original used. They cover what any business prose holds, whatever its subject:

* figures: "more than 5"/"over 5", a figure from 2 to 20 before a word ("19 sites"/"nineteen
  sites"), per cent ("12 %"/"12%"/"12 per cent"/"12 percent"), thousands
  ("1,000"/"1 000"), amounts in millions ("EUR 4 million"/"EUR 4m"/"EUR 4 mn"; "4 mio. kr."/
  "4 millioner kr."), dates ("3 March 2026"/"March 3, 2026"; "3. marts 2026"/"3/3 2026");
* optional commas: the serial comma and the comma before "and" (English), a comma after a
  sentence-opening phrase of place or time ("In 2025, revenue"), before "because", "although",
  "whereas", "while", "unless", "until" and "but" (English); Danish start commas (``startkomma``, optional
  by the official rules) before a subordinate clause, taken away where the original has one
  and added before "at", "hvis", "når", "fordi" and "mens" where a subject follows;
* the optional "that" after a verb of saying or thinking ("shows that the"/"shows the"), where
  the next word can only start a clause;
* British and American spelling of the -ise/-ize verbs and their nouns, for a list of stems.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from enum import StrEnum


class Language(StrEnum):
    EN = "en"
    DA = "da"


@dataclass(frozen=True)
class Found:
    start: int
    end: int
    alternatives: tuple[str, ...]
    original: int
    rule: str


_MONTHS_EN = "January February March April May June July August September October November December"
_MONTHS_DA = "januar februar marts april maj juni juli august september oktober november december"
MONTHS = {Language.EN: tuple(_MONTHS_EN.split(" ")), Language.DA: tuple(_MONTHS_DA.split(" "))}

_PERCENT = {
    Language.EN: re.compile(r"(?<![\w.,])(\d+(?:\.\d+)?)(\s?%|\s(?:per cent|percent)\b)"),
    Language.DA: re.compile(r"(?<![\w.,])(\d+(?:,\d+)?)(\s?%|\s(?:procent\b|pct\.))"),
}
_THOUSANDS = {
    Language.EN: re.compile(r"(?<![\w.,])\d{1,3}(?:,\d{3})+(?![\w,]|\.\d)"),
    Language.DA: re.compile(r"(?<![\w.,])\d{1,3}(?:\.\d{3})+(?![\w.]|,\d)"),
}
_CURRENCIES = "EUR|USD|GBP|DKK|SEK|NOK|CHF"
_MILLIONS_EN = re.compile(rf"\b({_CURRENCIES}) (\d+(?:\.\d+)?) (million|billion)\b")
_MILLIONS_DA = re.compile(
    r"(?<![\w.,])(\d+(?:,\d+)?) (mio\.|millioner|mia\.|milliarder) (kr\.|kroner|euro)(?!\w)"
)
_MORE_THAN = {
    Language.EN: re.compile(r"\b([Mm]ore than) (?=\d)"),
    Language.DA: re.compile(r"\b([Mm]ere end) (?=\d)"),
}
_SMALL_NUMBER = re.compile(r"(?<![\w.,/+-])(\d{1,2})(?= ([a-zæøå]+)\b)(?![\d.,])")
_NUMBER_WORDS = {
    Language.EN: [
        "two",
        "three",
        "four",
        "five",
        "six",
        "seven",
        "eight",
        "nine",
        "ten",
        "eleven",
        "twelve",
        "thirteen",
        "fourteen",
        "fifteen",
        "sixteen",
        "seventeen",
        "eighteen",
        "nineteen",
        "twenty",
    ],
    Language.DA: [
        "to",
        "tre",
        "fire",
        "fem",
        "seks",
        "syv",
        "otte",
        "ni",
        "ti",
        "elleve",
        "tolv",
        "tretten",
        "fjorten",
        "femten",
        "seksten",
        "sytten",
        "atten",
        "nitten",
        "tyve",
    ],
}
_NOT_COUNTED = frozenset(
    [
        "and",
        "or",
        "to",
        "of",
        "per",
        "million",
        "billion",
        "percent",
        "procent",
        "pct",
        "mio",
        "mia",
        "og",
        "eller",
        "til",
        "af",
        "end",
        "than",
        "times",
        "gange",
        "mn",
        "bn",
        "m",
        "kr",
        "kroner",
        "euro",
    ]
)
_NAMING_WORDS = frozenset(
    [
        "clause",
        "section",
        "type",
        "week",
        "article",
        "page",
        "chapter",
        "item",
        "point",
        "phase",
        "level",
        "grade",
        "stage",
        "class",
        "tier",
        "version",
        "step",
        "wave",
        "room",
        "floor",
        "no",
        "nr",
        "number",
        "annex",
        "appendix",
        "schedule",
        "part",
        "figure",
        "table",
        "between",
        "from",
        "than",
        "q",
        "punkt",
        "uge",
        "side",
        "kapitel",
        "bilag",
        "fase",
        "niveau",
        "trin",
        "bølge",
        "nummer",
        "tabel",
        "figur",
        "mellem",
        "fra",
        "end",
        "paragraf",
        "afsnit",
        "type",
        "klasse",
        "version",
        "år",
        "year",
        "day",
        "dag",
        "kl",
    ]
)
_COMMA_AND = re.compile(r"(?<=\w), and(?= )")
_PLAIN_AND = re.compile(r"(?<=\w) and(?= )")
_SENTENCE_END = re.compile(r"[.!?;:\n]")

_EN_COMMA_BEFORE = re.compile(r"(?<=\w), (because|although|whereas|while|unless|until|but)(?= )")
_EN_OPENING = re.compile(
    r"(?:^|(?<=[.!?] ))((?:In|On|At|By|For|Under|After|Before|During|Since|Over|Across|Within|Until|"
    r"According to|Compared with|Compared to|Unlike|Despite|Following|Last|This|Next|Since)"
    r"(?: [\w%'.-]+){1,5}),(?= )",
    re.MULTILINE,
)
_EN_THAT = re.compile(
    r"\b((?:say|says|said|show|shows|showed|shown|suggest|suggests|suggested|indicate|indicates|"
    r"indicated|believe|believes|believed|think|thinks|thought|note|notes|noted|confirm|confirms|"
    r"confirmed|assume|assumes|assumed|estimate|estimates|estimated|find|finds|found|agree|agrees|"
    r"agreed|mean|means|meant|ensure|ensures|ensured|argue|argues|argued|warn|warns|warned|report|"
    r"reports|reported|know|knows|knew|conclude|concludes|concluded|feel|feels|felt|claim|claims|"
    r"claimed|explain|explains|explained|expect|expects|expected|propose|proposes|proposed|stress|"
    r"stresses|stressed|clear|likely|sure|aware|confident) that)"
    r"(?= (?:the|a|an|we|it|they|there|our|their|its|this|these|those|he|she|most|all|no|some|each|"
    r"both|any|I|you|many|several|his|her|such|only|one)\b)"
)
_DA_START_COMMA = re.compile(
    r"(?<=\w), (at|når|hvis|fordi|som|der|hvor|mens|før|inden|indtil|hvilket|hvad|hvordan|hvorfor|"
    r"hvornår|hvorvidt|selv om|selvom|medmindre|eftersom|idet)(?= )"
)
_DA_SUBJECTS = (
    "vi|de|den|det|der|man|han|hun|jeg|du|alle|ingen|selskabet|klienten|kunden|kunderne|ledelsen|"
    "vores|deres|hans|hendes|dens|dets|disse|denne|dette|flere|mange|nogle|begge|en|et"
)
_DA_ADD_COMMA = re.compile(rf"(?<=\w) (at|hvis|når|fordi|mens)(?= (?:{_DA_SUBJECTS})\b)")
_DA_NOT_BEFORE_CLAUSE = frozenset(
    [
        "for",
        "uden",
        "efter",
        "ved",
        "til",
        "om",
        "på",
        "med",
        "i",
        "af",
        "end",
        "og",
        "eller",
        "men",
        "ud",
        "frem",
        "end",
        "så",
        "samt",
        "fra",
        "mod",
    ]
)

ISE_STEMS = [
    "organ",
    "real",
    "recogn",
    "priorit",
    "util",
    "optim",
    "summar",
    "final",
    "minim",
    "maxim",
    "emphas",
    "author",
    "standard",
    "special",
    "central",
    "custom",
    "digital",
    "formal",
    "harmon",
    "initial",
    "item",
    "local",
    "mobil",
    "monet",
    "normal",
    "operational",
    "penal",
    "personal",
    "rational",
    "stabil",
    "synchron",
    "visual",
    "critic",
    "character",
    "familiar",
    "global",
    "industrial",
    "legal",
    "modern",
    "neutral",
    "privat",
    "public",
    "random",
    "scrutin",
    "social",
    "sanit",
    "capital",
    "categor",
    "apolog",
    "memor",
    "jeopard",
    "anonym",
    "pseudonym",
    "revital",
    "incentiv",
    "contextual",
    "conceptual",
    "democrat",
    "econom",
    "energ",
    "hospital",
    "immun",
    "amort",
    "annual",
    "commercial",
    "computer",
    "decentral",
    "demoral",
    "destabil",
    "ideal",
    "institutional",
    "international",
    "liberal",
    "material",
    "minimal",
    "moral",
    "natural",
    "regional",
    "sensit",
    "special",
    "symbol",
    "theor",
    "trivial",
    "urban",
    "vandal",
    "vital",
]
_ISE = re.compile(
    r"\b((?:" + "|".join(sorted(ISE_STEMS, key=len, reverse=True)) + r"))(is|iz)"
    r"(e|es|ed|ing|ation|ations|er|ers)\b",
    re.IGNORECASE,
)


def rule_points(text: str, language: Language) -> list[Found]:
    """Every rule's choice points in ``text`` (they may overlap; the caller keeps the first)."""
    found = _percent_points(text, language) + _thousands_points(text, language)
    found += _million_points(text, language) + _date_points(text, language) + _more_than(text, language)
    found += _small_numbers(text, language)
    if language is Language.EN:
        found += _english_commas(text) + _english_that(text) + _spelling_points(text)
    else:
        found += _danish_commas(text)
    return found


def _percent_points(text: str, language: Language) -> list[Found]:
    found: list[Found] = []
    for match in _PERCENT[language].finditer(text):
        number, unit = match.group(1), match.group(2)
        if language is Language.EN:
            alternatives = (f"{number} %", f"{number}%", f"{number} per cent", f"{number} percent")
        else:
            alternatives = (f"{number} %", f"{number} procent", f"{number} pct.", f"{number}%")
        found.append(
            Found(match.start(), match.end(), alternatives, _percent_index(unit, language), "percent")
        )
    return found


def _percent_index(unit: str, language: Language) -> int:
    """Which of the four ways ``unit`` is (any space before "%", a no-break one too, is the first)."""
    if "%" in unit:
        return 0 if unit[:1].isspace() else (1 if language is Language.EN else 3)
    words = ("", "", "per cent", "percent") if language is Language.EN else ("", "procent", "pct.", "")
    return words.index(unit.strip())


def _small_numbers(text: str, language: Language) -> list[Found]:
    """A figure from 2 to 20 before a word ("19 sites"/"nineteen sites"), except where the figure is
    a name ("type 2", "week 26", "clause 9") or part of an amount or a range."""
    words = _NUMBER_WORDS[language]
    found: list[Found] = []
    for match in _SMALL_NUMBER.finditer(text):
        value = int(match.group(1))
        following = match.group(2).lower()
        previous = re.findall(r"[\w.]+", text[max(0, match.start() - 20) : match.start()])
        if not 2 <= value <= 20 or following in _NOT_COUNTED:
            continue
        if previous and previous[-1].lower().rstrip(".") in _NAMING_WORDS:
            continue
        if match.start() == 0 or _sentence_starts_at(text, match.start()):
            continue  # never start a sentence with a figure, nor change the case of one
        found.append(Found(match.start(1), match.end(1), (match.group(1), words[value - 2]), 0, "number"))
    return found


def _sentence_starts_at(text: str, position: int) -> bool:
    return bool(re.search(r"(?:^|[.!?:]\s+|\n\s*)$", text[max(0, position - 4) : position]))


def _thousands_points(text: str, language: Language) -> list[Found]:
    separator = "," if language is Language.EN else "."
    return [
        Found(m.start(), m.end(), (m.group(), m.group().replace(separator, " ")), 0, "thousands")
        for m in _THOUSANDS[language].finditer(text)
    ]


def _million_points(text: str, language: Language) -> list[Found]:
    found: list[Found] = []
    if language is Language.EN:
        for match in _MILLIONS_EN.finditer(text):
            currency, number, unit = match.groups()
            short, spaced = ("m", " mn") if unit == "million" else ("bn", " bn")
            alternatives = (
                f"{currency} {number} {unit}",
                f"{currency} {number}{short}",
                f"{currency} {number}{spaced}",
            )
            found.append(Found(match.start(), match.end(), alternatives, 0, "amount"))
        return found
    for match in _MILLIONS_DA.finditer(text):
        number, unit, currency = match.groups()
        short, long = ("mio.", "millioner") if unit in {"mio.", "millioner"} else ("mia.", "milliarder")
        monies = ("kr.", "kroner") if currency in {"kr.", "kroner"} else (currency,)
        forms = [f"{number} {size} {money}" for money in monies for size in (short, long)]
        written = match.group()
        others = tuple(form for form in forms if form != written)[:2]
        found.append(Found(match.start(), match.end(), (written, *others), 0, "amount"))
    return found


def _more_than(text: str, language: Language) -> list[Found]:
    """ "more than 5"/"over 5" ("mere end 5"/"over 5"): only before a figure, where "over" can only
    mean the same."""
    found: list[Found] = []
    for match in _MORE_THAN[language].finditer(text):
        phrase = match.group(1)
        over = "Over" if phrase[0].isupper() else "over"
        found.append(Found(match.start(1), match.end(1), (phrase, over), 0, "more-than"))
    return found


def _date_points(text: str, language: Language) -> list[Found]:
    months = MONTHS[language]
    names = "|".join(months)
    found: list[Found] = []
    if language is Language.EN:
        for match in re.finditer(rf"\b(\d{{1,2}}) ({names}) (\d{{4}})\b", text):
            day, month, year = match.groups()
            alternatives = (f"{day} {month} {year}", f"{month} {day}, {year}")
            found.append(Found(match.start(), match.end(), alternatives, 0, "date"))
        for match in re.finditer(rf"\b({names}) (\d{{1,2}}), (\d{{4}})\b", text):
            month, day, year = match.groups()
            alternatives = (f"{month} {day}, {year}", f"{day} {month} {year}")
            found.append(Found(match.start(), match.end(), alternatives, 0, "date"))
        return found
    for match in re.finditer(rf"\b(\d{{1,2}})\. ({names}) (\d{{4}})\b", text, re.IGNORECASE):
        day, month, year = match.groups()
        number = months.index(month.lower()) + 1
        alternatives = (f"{day}. {month} {year}", f"{day}/{number} {year}")
        found.append(Found(match.start(), match.end(), alternatives, 0, "date"))
    return found


def _sentence_before(text: str, position: int, reach: int = 40) -> str:
    start = max((m.end() for m in _SENTENCE_END.finditer(text, 0, position)), default=0)
    return text[max(start, position - reach) : position]


def _english_commas(text: str) -> list[Found]:
    found = [Found(m.start(), m.end(), (", and", " and"), 0, "comma") for m in _COMMA_AND.finditer(text)]
    for match in _PLAIN_AND.finditer(text):
        before = _sentence_before(text, match.start())
        if "," in before and " and " not in before:
            found.append(Found(match.start(), match.end(), (" and", ", and"), 0, "comma"))
    for match in _EN_COMMA_BEFORE.finditer(text):
        word = match.group(1)
        found.append(Found(match.start(), match.end(), (f", {word}", f" {word}"), 0, "comma"))
    for match in _EN_OPENING.finditer(text):
        phrase = match.group(1)
        found.append(Found(match.start(1), match.end(), (f"{phrase},", phrase), 0, "comma"))
    return found


def _english_that(text: str) -> list[Found]:
    found: list[Found] = []
    for match in _EN_THAT.finditer(text):
        phrase = match.group(1)
        found.append(Found(match.start(1), match.end(1), (phrase, phrase[: -len(" that")]), 0, "that"))
    return found


def _spelling_points(text: str) -> list[Found]:
    found: list[Found] = []
    for match in _ISE.finditer(text):
        stem, middle, ending = match.groups()
        other = (
            ("iz" if middle.islower() else "IZ")
            if middle.lower() == "is"
            else ("is" if middle.islower() else "IS")
        )
        alternatives = (f"{stem}{middle}{ending}", f"{stem}{other}{ending}")
        found.append(Found(match.start(), match.end(), alternatives, 0, "spelling"))
    return found


def _danish_commas(text: str) -> list[Found]:
    found: list[Found] = []
    for match in _DA_START_COMMA.finditer(text):
        word = match.group(1)
        found.append(Found(match.start(), match.end(), (f", {word}", f" {word}"), 0, "comma"))
    for match in _DA_ADD_COMMA.finditer(text):
        previous = re.findall(r"\w+", text[max(0, match.start() - 30) : match.start()])
        if not previous or previous[-1].lower() in _DA_NOT_BEFORE_CLAUSE:
            continue
        word = match.group(1)
        found.append(Found(match.start(), match.end(), (f" {word}", f", {word}"), 0, "comma"))
    return found
