"""Expert import (all or nothing, errors by row and column) and export (round-trips with import)."""

from __future__ import annotations

import csv
import io
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.core.management.base import CommandError
from django.utils import timezone
from openpyxl import Workbook

from kpo.demo.seed import seed_demo
from kpo.demo.world import create_organisations
from kpo.engine.org_names import normalise_name
from kpo.experts.exporting import write_csv, write_xlsx
from kpo.experts.importing.format import COLUMNS, ImportFailed
from kpo.experts.importing.writing import import_experts
from kpo.experts.models import Employment, EscoSkill, ExpertProfile
from kpo.experts.services import LanguageInput, expert_create
from kpo.orgs.models import Organisation
from kpo.work.models import Engagement

pytestmark = pytest.mark.django_db

SKILL_URI = "http://data.europa.eu/esco/skill/0005c151-5b5a-4a66-8aac-60e734beb1ab"  # manage musical staff


@pytest.fixture(autouse=True)
def _isolated(settings: Any, tmp_path: Path) -> None:
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def orgs(db: None) -> dict[str, Organisation]:
    return create_organisations()


def good_row(**changes: str) -> dict[str, str]:
    row = {
        "username": "ingrid",
        "first_name": "Ingrid",
        "last_name": "Søgaard",
        "email": "ingrid@example.com",
        "organisation": "kpo-freelance",
        "headline": "Data scientist — time series",
        "biography": "Ten years of forecasting.",
        "country": "DK",
        "time_zone": "Europe/Copenhagen",
        "weekly_capacity_hours": "20",
        "cost_rate": "650.00",
        "bill_rate": "820.50",
        "rate_currency": "DKK",
        "internal": "false",
        "domains": "data_analysis;research_development",
        "languages": "da:native;en:C1",
        "skills": f"{SKILL_URI}:4;statistical process control:3",
        "degrees": "master|Statistics|Aarhus University|2014|verified;phd|Statistics|Aarhus University|2018",
        "employments": "Vestas|Analyst|2018-09-01|2022-06-30;kpo Freelance Pool|Data scientist|2022-07-01|",
    }
    row.update(changes)
    return row


def csv_bytes(rows: list[dict[str, str]], columns: tuple[str, ...] | list[str] = COLUMNS) -> bytes:
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=list(columns), extrasaction="ignore")
    writer.writeheader()
    writer.writerows(rows)
    return out.getvalue().encode("utf-8")


def xlsx_bytes(rows: list[dict[str, Any]]) -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.append(list(COLUMNS))
    for row in rows:
        sheet.append([row.get(column, "") for column in COLUMNS])
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def failure(data: bytes, name: str = "experts.csv") -> list[str]:
    count = User.objects.count()
    with pytest.raises(ImportFailed) as caught:
        import_experts(data, name)
    assert User.objects.count() == count, "a failed import wrote something"
    return [str(error) for error in caught.value.errors]


def test_good_csv_is_imported(orgs: dict[str, Organisation]) -> None:
    second = good_row(username="tomasz", first_name="Tomasz", organisation="vistula-analytics", skills="")
    result = import_experts(csv_bytes([good_row(), second]), "experts.csv")
    assert result.created == 2
    profile = ExpertProfile.objects.get(user__username="ingrid")
    assert profile.user.last_name == "Søgaard" and profile.organisation.slug == "kpo-freelance"
    assert profile.weekly_capacity_hours == Decimal("20.0") and profile.bill_rate == Decimal("820.50")
    assert sorted(profile.domains.values_list("domain", flat=True)) == [
        "data_analysis",
        "research_development",
    ]
    assert dict(profile.languages.values_list("language", "level")) == {"da": "native", "en": "C1"}
    assert {s.skill.uri: s.proficiency for s in profile.skills.all()}[SKILL_URI] == 4
    assert profile.skills.filter(skill__label="statistical process control", proficiency=3).exists()
    assert sorted(profile.degrees.values_list("level", "verification_status")) == [
        ("master", "verified"),
        ("phd", "unverified"),
    ]
    current = profile.employments.get(end=None)
    assert current.employer_organisation == orgs["kpo-freelance"]
    assert not profile.user.has_usable_password()
    assert profile.user.memberships.filter(organisation__slug="kpo-freelance", role="expert").exists()


def test_import_sets_the_employer_key_the_conflict_rule_matches_by(orgs: dict[str, Organisation]) -> None:
    jobs = "Vestas Wind Systems A/S|Analyst|2018-09-01|2022-06-30;RIVAL-BANK, Ltd.|Quant|2022-07-01|"
    import_experts(csv_bytes([good_row(employments=jobs)]), "experts.csv")
    keys = dict(
        Employment.objects.filter(expert__user__username="ingrid").values_list("employer", "employer_key")
    )
    assert keys == {"Vestas Wind Systems A/S": "vestas wind systems", "RIVAL-BANK, Ltd.": "rival bank"}
    assert all(key == normalise_name(employer) for employer, key in keys.items())


def test_good_xlsx_is_imported(orgs: dict[str, Organisation]) -> None:
    row: dict[str, Any] = good_row()
    row.update(weekly_capacity_hours=37.5, cost_rate=650, bill_rate=820.5, internal=False)
    assert import_experts(xlsx_bytes([row]), "experts.xlsx").created == 1
    profile = ExpertProfile.objects.get(user__username="ingrid")
    assert profile.cost_rate == Decimal("650.00") and profile.weekly_capacity_hours == Decimal("37.5")


def test_semicolon_separated_csv_from_danish_excel(orgs: dict[str, Organisation]) -> None:
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=list(COLUMNS), delimiter=";")
    writer.writeheader()
    writer.writerow(good_row(cost_rate="650,5"))
    assert import_experts(out.getvalue().encode("utf-8-sig"), "experts.csv").created == 1
    assert ExpertProfile.objects.get().cost_rate == Decimal("650.50")


def test_internal_expert_belongs_to_a_client(orgs: dict[str, Organisation]) -> None:
    import_experts(csv_bytes([good_row(organisation="nordvind", internal="yes")]), "experts.csv")
    assert ExpertProfile.objects.get(user__username="ingrid").internal
    errors = failure(csv_bytes([good_row(username="x1", organisation="nordvind")]))
    assert errors == ['row 2, organisation: "nordvind" is a client; experts of a client are internal.']


def test_one_bad_row_among_good_ones_writes_nothing(orgs: dict[str, Organisation]) -> None:
    rows = [good_row(username="a1"), good_row(username="a2", country="XX"), good_row(username="a3")]
    assert failure(csv_bytes(rows)) == ['row 3, country: "XX" is not an ISO 3166 country code.']
    assert not ExpertProfile.objects.exists()


@pytest.mark.parametrize(
    ("column", "value", "expected"),
    [
        ("country", "XX", 'row 2, country: "XX" is not an ISO 3166 country code.'),
        ("rate_currency", "EURO", 'row 2, rate_currency: "EURO" is not an ISO 4217 currency code.'),
        (
            "skills",
            f"{SKILL_URI}:7",
            'row 2, skills: proficiency "7" for "http://data.europa.eu/esco/skill/0005c151',
        ),
        (
            "skills",
            "juggling flaming torches:3",
            'row 2, skills: "juggling flaming torches" is not a known ESCO skill',
        ),
        ("organisation", "acme", 'row 2, organisation: "acme" is not a known organisation'),
        (
            "employments",
            "Vestas|Analyst|2019-13-01|",
            'row 2, employments: date "2019-13-01" in "Vestas|Analyst',
        ),
        (
            "employments",
            "Vestas|A|2020-01-01|2019-01-01",
            'row 2, employments: "Vestas|A|2020-01-01|2019-01-01" ends',
        ),
        ("languages", "xx:C1", 'row 2, languages: "xx" in "xx:C1" is not an ISO 639-1 language code.'),
        ("languages", "en:C3", 'row 2, languages: level "C3" in "en:C3" is not a CEFR level'),
        ("degrees", "master|Law|Aarhus University|20x5", 'row 2, degrees: year "20x5" in "master|Law|Aarhus'),
        ("degrees", "diploma|Law|Aarhus University|2015", 'row 2, degrees: degree level "diploma"'),
        ("time_zone", "Mars/Olympus", 'row 2, time_zone: "Mars/Olympus" is not a known time zone'),
        ("internal", "maybe", 'row 2, internal: "maybe" is not true or false.'),
        ("weekly_capacity_hours", "90", 'row 2, weekly_capacity_hours: "90" must be between 0 and 80.'),
        ("cost_rate", "cheap", 'row 2, cost_rate: "cheap" is not a number.'),
        ("bill_rate", "", "row 2, bill_rate: is required."),
        ("domains", "astrology", 'row 2, domains: "astrology" is not a domain'),
        ("email", "not-an-email", 'row 2, email: "not-an-email" is not an e-mail address.'),
        ("username", "no spaces", 'row 2, username: "no spaces" may contain only'),
    ],
)
def test_bad_value_is_reported_by_row_and_column(
    orgs: dict[str, Organisation], column: str, value: str, expected: str
) -> None:
    errors = failure(csv_bytes([good_row(**{column: value})]))
    assert len(errors) == 1 and errors[0].startswith(expected), errors


def test_every_bad_cell_is_reported(orgs: dict[str, Organisation]) -> None:
    rows = [
        good_row(username="a1", country="XX", rate_currency="EURO"),
        good_row(username="a2", skills="x:9"),
    ]
    errors = failure(csv_bytes(rows))
    assert [error.split(":")[0] for error in errors] == [
        "row 2, country",
        "row 2, rate_currency",
        "row 3, skills",
    ]


def test_duplicate_usernames_in_file_and_database(orgs: dict[str, Organisation]) -> None:
    assert failure(csv_bytes([good_row(), good_row(username="other"), good_row()])) == [
        'row 4, username: "ingrid" is also on row 2 of the file.'
    ]
    User.objects.create_user("taken")
    assert failure(csv_bytes([good_row(username="taken")])) == ['row 2, username: "taken" already exists.']


def test_missing_and_unknown_columns(orgs: dict[str, Organisation]) -> None:
    columns = [column for column in COLUMNS if column != "country"]
    assert failure(csv_bytes([good_row()], columns)) == ["row 1, country: required column is missing."]
    errors = failure(csv_bytes([good_row()], [*COLUMNS, "contry"]))
    assert len(errors) == 1 and errors[0].startswith("row 1, contry: is not a known column")


@pytest.mark.parametrize(
    ("data", "name", "expected"),
    [
        (b"", "experts.csv", "file: The file is empty."),
        (b"  \n", "experts.xlsx", "file: The file is empty."),
        (
            b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01",
            "experts.csv",
            "file: The file is not a CSV text file.",
        ),
        (b"\xff\xfe\xfa garbage \xc3\x28", "experts.csv", "file: The file is not UTF-8 text"),
        (b"username,first_name\nx,y\n", "experts.xlsx", "file: The file is not an Excel .xlsx workbook."),
        (b"PK\x03\x04 truncated zip", "experts.xlsx", "file: The file is not an Excel .xlsx workbook."),
        (b"username\n", "experts.txt", "file: Use a .csv or an .xlsx file."),
    ],
)
def test_unreadable_files(orgs: dict[str, Organisation], data: bytes, name: str, expected: str) -> None:
    errors = failure(data, name)
    assert len(errors) == 1 and errors[0].startswith(expected), errors


def test_header_without_rows(orgs: dict[str, Organisation]) -> None:
    assert failure(csv_bytes([])) == ["file: The file has a header but no experts."]


def test_service_validates_and_writes_nothing_on_error(orgs: dict[str, Organisation]) -> None:
    with pytest.raises(ValidationError) as caught:
        expert_create(
            username="zed",
            first_name="Zed",
            last_name="Z",
            organisation=orgs["indus-insight"],
            headline="Analyst",
            country="IN",
            time_zone="Asia/Kolkata",
            cost_rate=Decimal(1000),
            bill_rate=Decimal(2000),
            rate_currency="INR",
            languages=[LanguageInput("en", "C9")],
        )
    assert set(caught.value.message_dict) == {"languages"}
    assert not User.objects.filter(username="zed").exists()


def test_export_then_import_into_an_empty_database_round_trips() -> None:
    seed_demo(
        now=timezone.now(), experts=30, seed=11
    )  # the demo world's organisations stay; its experts are deleted
    first, workbook = io.StringIO(), io.BytesIO()
    assert write_csv(first) == 32
    write_xlsx(workbook)
    Engagement.objects.all().delete()
    User.objects.filter(expert_profile__isnull=False).delete()
    assert not ExpertProfile.objects.exists()
    assert import_experts(first.getvalue().encode("utf-8"), "experts.csv").created == 32
    second = io.StringIO()
    write_csv(second)
    assert second.getvalue() == first.getvalue()
    User.objects.filter(expert_profile__isnull=False).delete()
    assert import_experts(workbook.getvalue(), "experts.xlsx").created == 32
    third = io.StringIO()
    write_csv(third)
    assert third.getvalue() == first.getvalue()


def test_import_and_export_commands(orgs: dict[str, Organisation], tmp_path: Path) -> None:
    good = tmp_path / "good.csv"
    good.write_bytes(csv_bytes([good_row()]))
    out = io.StringIO()
    call_command("import_experts", str(good), "--dry-run", stdout=out)
    assert "would be imported" in out.getvalue() and not ExpertProfile.objects.exists()
    call_command("import_experts", str(good), stdout=out)
    assert "Imported 1 experts" in out.getvalue()

    bad = tmp_path / "bad.csv"
    bad.write_bytes(csv_bytes([good_row(username="b1"), good_row(username="b2", country="XX")]))
    with pytest.raises(CommandError) as caught:
        call_command("import_experts", str(bad))
    assert 'row 3, country: "XX" is not an ISO 3166 country code.' in str(caught.value)
    assert "Nothing was imported: 1 error" in str(caught.value)
    assert not User.objects.filter(username="b1").exists()
    with pytest.raises(CommandError, match="Cannot read"):
        call_command("import_experts", str(tmp_path / "missing.csv"))

    exported = io.StringIO()
    call_command("export_experts", stdout=exported)
    assert exported.getvalue().splitlines()[0] == ",".join(COLUMNS)
    assert "ingrid" in exported.getvalue()
    target = tmp_path / "experts.xlsx"
    call_command("export_experts", "--out", str(target), stdout=io.StringIO())
    assert target.read_bytes().startswith(b"PK\x03\x04")
    with pytest.raises(CommandError, match="needs --out"):
        call_command("export_experts", "--format", "xlsx")


def test_xlsx_export_keeps_formula_like_text_as_text(orgs: dict[str, Organisation]) -> None:
    import_experts(csv_bytes([good_row(headline="=1+1 analyst")]), "experts.csv")
    workbook = io.BytesIO()
    write_xlsx(workbook)
    User.objects.all().delete()
    import_experts(workbook.getvalue(), "experts.xlsx")
    assert ExpertProfile.objects.get().headline == "=1+1 analyst"


def test_skill_label_that_is_ambiguous_needs_the_uri(orgs: dict[str, Organisation]) -> None:
    EscoSkill.objects.create(uri="http://example.com/twin", label="statistical process control", text="twin")
    errors = failure(csv_bytes([good_row()]))
    assert errors == [
        'row 2, skills: "statistical process control" matches 2 ESCO skills; give the URI instead.'
    ]
