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
    # ESCO v1.2 renamed these; the old label is now an alternative that the text also starts with.
    "a90fa5ff-5b4f-4152-8160-ad80a6d3d13e": "assess others feelings",
    "08f09776-a8cd-4981-a5d2-21e01ecf078d": "calculate materials to build equipment",
    "2aeadb90-7ddc-4329-9268-8d5a6bf76b99": "perform dances",
    # Knowledge concepts (matched by label and definition) and a DigComp competence (ESCO v1.1.1).
    "8770350e-746f-4adb-9556-18ca68104be6": "market research",
    "dc9a236c-c640-43c3-812f-269403591edb": "customer relationship management",
    "9c48a5cc-d4a5-4cef-93f7-504902f35319": "id Tech",
    "629685b8-5f9e-4522-8cff-b3e2c4ec625a": "digital data processing",
    "1d6c7de4-350e-4868-a47b-333b4b0d9650": "evaluate data, information and digital content",
    # Labels the derivation from text cut short or ran into an alternative label.
    "5f8e1bde-a2f9-4742-a4f4-309dfc2f6311": "set up additive manufacturing systems",
    "3f43eed7-2424-4322-a065-d84d94685048": "offer cosmetic beauty advice",
    "b562efb4-e497-4495-a775-27b9da7779ab": "identify the healthcare user\u2019s personal capacity",
    "b637d9ad-da31-48ba-a437-c8fefea8666d": "schedule fishing",
    "60e1eb15-5e2b-4501-bc4f-8de1929b71a4": "manufacture staple yarns",
    "3c9fc332-97e4-409a-8c32-e81fa552e882": "viticulture",
    "2bc7884c-0d04-4ae9-a4e5-dccd77701ba3": "teach physics",
    "4b8670a1-f3cd-4c1d-bd1e-8b9a0e1c2b9a": "operate railway vehicles",
    "2fee495f-768c-4962-b165-abb698ea910d": "manage logs segregation and stacking",
    "4b8269fa-20e2-4d6c-90da-2e5f633c6326": "organise irrigation",
}
# What the derivation from text used to show for some of them: alternative labels, or the label
# run on into one.
DERIVED_BEFORE = {
    "b637d9ad-da31-48ba-a437-c8fefea8666d": "schedule fishing fishing planning angling",
    "60e1eb15-5e2b-4501-bc4f-8de1929b71a4": "manufacture staple yarns operate staple yarn machines",
    "3c9fc332-97e4-409a-8c32-e81fa552e882": "viticulture vine growing methods of vine production",
    "2bc7884c-0d04-4ae9-a4e5-dccd77701ba3": "teach physics educate on driving theory",
    "4b8670a1-f3cd-4c1d-bd1e-8b9a0e1c2b9a": "operate railway vehicles safely",
    "5f8e1bde-a2f9-4742-a4f4-309dfc2f6311": "set up",
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


def skill_rows() -> dict[str, dict[str, str]]:
    with SKILLS_CSV.open(newline="", encoding="utf-8") as handle:
        return {row["id"].rsplit("/", 1)[1]: row for row in csv.DictReader(handle)}


def test_known_labels_are_not_alternative_labels() -> None:
    rows = skill_rows()
    for key, before in DERIVED_BEFORE.items():
        label, alternatives = rows[key]["preferred_label"], rows[key]["alt_labels"].split("|")
        assert label != before
        assert label not in alternatives
        if before.startswith(label + " "):
            # The derivation ran on into the first alternative label.
            leftover = before[len(label) + 1 :]
            assert alternatives[0].startswith(leftover) or leftover.startswith(alternatives[0])
    # ESCO v1.2's longer label keeps the v1.1.1 label as its first alternative.
    assert rows["a90fa5ff-5b4f-4152-8160-ad80a6d3d13e"]["alt_labels"].split("|")[0] == "assess others"


def test_alternatives_and_definition_give_the_text_back_and_are_split_into_labels() -> None:
    rows = skill_rows()
    texts = {uri.rsplit("/", 1)[1]: text for uri, _, text in read_concepts(SKILLS_CSV)}
    for key, row in rows.items():
        parts = (row["preferred_label"], row["alt_labels"].replace("|", " "), row["definition"])
        assert " ".join(part for part in parts if part) == texts[key]
    split = sum("|" in row["alt_labels"] for row in rows.values())
    assert split > 0.9 * len(rows)
    commas = rows["1d6c7de4-350e-4868-a47b-333b4b0d9650"]
    assert commas["alt_labels"] == "evaluate digital data|evaluate digital content"
    assert commas["definition"].startswith("Analyse, compare and critically")


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
@pytest.mark.parametrize(
    "migration_name",
    ["0006_esco_preferred_labels", "0007_esco_segmented_labels", "0010_esco_exact_skill_labels"],
)
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
