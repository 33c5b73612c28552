"""The shipped ESCO files carry ESCO's preferred labels (see src/kpo/data/SOURCES.md)."""

import csv
import importlib

import pytest

from kpo.experts.esco import OCCUPATIONS_CSV, SKILLS_CSV, read_concepts
from kpo.experts.models import EscoOccupation, EscoSkill

SKILLS = {
    "000f1d3d-220f-4789-9c0a-cc742521fb02": "Haskell",
    "ccd0a1d9-afda-43d9-b901-96344886e14d": "Python (computer programming)",
    "598de5b0-5b58-4ea7-8058-a4bc4d18c742": "SQL",
    "062320e5-79d1-45e8-8b7e-5deeb53279a2": "perform online data analysis",
    "0005c151-5b5a-4a66-8aac-60e734beb1ab": "manage musical staff",
    "00064735-8fad-454b-90c7-ed858cc993f2": "supervise correctional procedures",
    "632a96bc-498c-48ea-a83f-fdc42d811a51": "follow nuclear plant safety precautions",
    "c8cfa83b-bc13-4f8c-97b7-5269119fa4d6": "filing machine parts",
    "24d3dc49-4238-490a-9802-96b146e271fe": "dispatch ambulance",
    "8bd49d04-ab2f-4333-b5d9-12d716e4e2f6": "resuscitation",
    "c4a8f38e-6ce0-4175-8c0d-1239b6f2b932": "transport horses",
}
OCCUPATIONS = {
    "d3edb8f8-3a06-47a0-8fb9-9b212c006aa2": "data analyst",
    "0464b062-cea6-4164-b10d-956c61956ae7": "ICT security administrator",
    "ac8b3cd1-a127-4e6a-8208-5cfcf7111955": "statistician",
    "00030d09-2b3a-4efd-87cc-c4ea39d27c34": "technical director",
    "8d586ee9-0ab1-4155-a3b0-2ca786c8e48c": "financial analyst",
    "258e46f9-0075-4a2e-adae-1ff0477e0f30": "data scientist",
    "C7114": "Concrete placers, concrete finishers and related workers",
    "C5221": "Shop keepers",
    "bf7d8b16-4e2c-48ef-b44e-dc25b2d0ab61": "barista",
}
DANGLING = {"a", "an", "the", "and", "or", "of", "to", "in", "for", "with", "on", "by"}


def labels(path, kind):
    return {uri.rsplit("/", 1)[1]: label for uri, label, _ in read_concepts(path)}


def test_well_known_concepts_have_escos_preferred_labels() -> None:
    skills = labels(SKILLS_CSV, "skill")
    occupations = labels(OCCUPATIONS_CSV, "occupation")
    assert {key: skills[key] for key in SKILLS} == SKILLS
    assert {key: occupations[key] for key in OCCUPATIONS} == OCCUPATIONS


def test_files_keep_every_concept_and_no_label_ends_on_a_dangling_word() -> None:
    for path, count in ((SKILLS_CSV, 13939), (OCCUPATIONS_CSV, 3658)):
        rows = list(read_concepts(path))
        assert len(rows) == count
        assert len({uri for uri, _, _ in rows}) == count
        dangling = [label for _, label, _ in rows if label.split()[-1].lower() in DANGLING]
        assert dangling == []
        assert all(text.startswith(label) for _, label, text in rows)


def test_columns() -> None:
    with SKILLS_CSV.open(encoding="utf-8") as handle:
        assert next(csv.reader(handle)) == ["id", "preferred_label", "alt_labels", "definition"]


@pytest.mark.django_db
@pytest.mark.parametrize("migration_name", ["0006_esco_preferred_labels", "0007_esco_segmented_labels"])
def test_migration_relabels_existing_rows_in_place(migration_name: str) -> None:
    uri = "http://data.europa.eu/esco/skill/062320e5-79d1-45e8-8b7e-5deeb53279a2"
    skill = EscoSkill.objects.get(uri=uri)
    EscoSkill.objects.filter(pk=skill.pk).update(label="perform online data analysis performing an")
    occupation = EscoOccupation.objects.get(uri__endswith="ac8b3cd1-a127-4e6a-8208-5cfcf7111955")
    EscoOccupation.objects.filter(pk=occupation.pk).update(label="statistician statisticians")
    migration = importlib.import_module(f"kpo.experts.migrations.{migration_name}")
    from django.apps import apps

    migration.relabel(apps, None)
    assert EscoSkill.objects.get(pk=skill.pk).label == "perform online data analysis"
    assert EscoOccupation.objects.get(pk=occupation.pk).label == "statistician"
