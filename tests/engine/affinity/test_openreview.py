from __future__ import annotations

import json
from pathlib import Path

import pytest

from kpo.engine.affinity import OpenReviewFormatError, read_archives, read_submissions, write_affinities
from kpo.engine.affinity.openreview import affinities_json, read_archive


def note(note_id: str, title: str = "A title", abstract: str | None = "An abstract") -> str:
    content: dict[str, object] = {"title": title}
    if abstract is not None:
        content["abstract"] = abstract
    return json.dumps({"id": note_id, "content": content})


def make_archives(root: Path, files: dict[str, str]) -> Path:
    directory = root / "archives"
    directory.mkdir()
    for name, text in files.items():
        (directory / name).write_text(text, encoding="utf-8")
    return directory


def problems(error: pytest.ExceptionInfo[OpenReviewFormatError]) -> list[str]:
    return str(error.value).splitlines()


@pytest.fixture
def in_tmp(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    return tmp_path


def test_reads_archives_keyed_by_expert_id(in_tmp):
    make_archives(in_tmp, {"~E1.jsonl": note("p1") + "\n\n" + note("p2", abstract=None) + "\n"})
    archives = read_archives("archives")
    assert list(archives) == ["E1"]
    assert [n.id for n in archives["E1"]] == ["p1", "p2"]
    assert archives["E1"][1].abstract == ""
    assert archives["E1"][0].text == "A title. An abstract"


def test_accepts_openreview_v2_value_objects(in_tmp):
    line = json.dumps({"id": "p1", "content": {"title": {"value": "T"}, "abstract": {"value": "A"}}})
    make_archives(in_tmp, {"~E1.jsonl": line})
    assert read_archives("archives")["E1"][0].text == "T. A"


def test_missing_title_names_file_and_line(in_tmp):
    bad = json.dumps({"id": "p3", "content": {"abstract": "no title"}})
    make_archives(in_tmp, {"~E1.jsonl": "\n".join([note("p1"), note("p2"), bad]) + "\n"})
    with pytest.raises(OpenReviewFormatError) as error:
        read_archives("archives")
    assert problems(error) == ['archives/~E1.jsonl line 3: "content.title" is missing']


def test_bad_json_names_the_line(in_tmp):
    make_archives(in_tmp, {"~E1.jsonl": note("p1") + "\n" + '{"id": "p2", "content": {' + "\n"})
    with pytest.raises(OpenReviewFormatError) as error:
        read_archives("archives")
    (problem,) = problems(error)
    assert problem.startswith("archives/~E1.jsonl line 2: not valid JSON")


def test_every_problem_is_reported_across_files(in_tmp):
    make_archives(
        in_tmp,
        {
            "~E1.jsonl": json.dumps({"id": 7, "content": {"title": ""}}) + "\n" + note("p1"),
            "~E2.jsonl": "[1, 2]\n" + note("p1") + "\n" + note("p1"),
            "~E3.jsonl": json.dumps({"id": "x", "content": {"title": "T", "abstract": 5}}),
        },
    )
    with pytest.raises(OpenReviewFormatError) as error:
        read_archives("archives")
    assert problems(error) == [
        'archives/~E1.jsonl line 1: "id" must be a non-empty string',
        'archives/~E1.jsonl line 1: "content.title" is empty',
        "archives/~E2.jsonl line 1: expected a JSON object, found list",
        "archives/~E2.jsonl line 3: \"id\" 'p1' already used on line 2",
        'archives/~E3.jsonl line 1: "content.abstract" must be a string, not int',
    ]


def test_wrong_id_prefix_in_file_name(in_tmp):
    make_archives(in_tmp, {"E1.jsonl": note("p1"), "~E2.jsonl": note("p1")})
    with pytest.raises(OpenReviewFormatError) as error:
        read_archives("archives")
    (problem,) = problems(error)
    assert problem.startswith("archives/E1.jsonl: archive file names must be ~<expertId>.jsonl")


def test_other_files_and_folders_are_rejected_but_dotfiles_ignored(in_tmp):
    directory = make_archives(in_tmp, {"~E1.txt": "x", ".DS_Store": "x", "~E2.jsonl": note("p")})
    (directory / "~E3.jsonl").mkdir()
    with pytest.raises(OpenReviewFormatError) as error:
        read_archives("archives")
    assert [p.split(":")[0] for p in problems(error)] == ["archives/~E1.txt", "archives/~E3.jsonl"]


def test_empty_archive_is_an_error(in_tmp):
    make_archives(in_tmp, {"~E1.jsonl": "\n  \n", "~E2.jsonl": note("p")})
    with pytest.raises(OpenReviewFormatError) as error:
        read_archives("archives")
    assert problems(error) == ["archives/~E1.jsonl: has no work samples (the archive is empty)"]


def test_missing_directory_and_empty_directory(in_tmp):
    with pytest.raises(OpenReviewFormatError, match=r"^nowhere: directory not found$"):
        read_archives("nowhere")
    make_archives(in_tmp, {})
    with pytest.raises(OpenReviewFormatError, match=r"^archives: holds no ~<expertId>.jsonl archives$"):
        read_archives("archives")


def test_not_utf8_names_the_line(in_tmp):
    directory = make_archives(in_tmp, {})
    (directory / "~E1.jsonl").write_bytes(note("p1").encode() + b"\n" + b'{"id": "\xff"}\n')
    with pytest.raises(OpenReviewFormatError, match=r"^archives/~E1.jsonl line 2: is not valid UTF-8$"):
        read_archive(directory / "~E1.jsonl", "archives/~E1.jsonl")


def write_submissions(root: Path, text: str) -> str:
    (root / "submissions.json").write_text(text, encoding="utf-8")
    return "submissions.json"


def test_reads_submissions(in_tmp):
    document = {"T2": {"id": "T2", "content": {"title": "B"}}, "T1": json.loads(note("T1"))}
    path = write_submissions(in_tmp, json.dumps(document, indent=2))
    submissions = read_submissions(path)
    assert list(submissions) == ["T1", "T2"]
    assert submissions["T2"].text == "B"


def test_missing_submissions_file(in_tmp):
    with pytest.raises(OpenReviewFormatError, match=r"^submissions.json: file not found$"):
        read_submissions("submissions.json")


def test_submission_problems_name_the_line_of_the_entry(in_tmp):
    text = (
        "{\n"
        '  "T1": {"id": "T1", "content": {"title": "ok"}},\n'
        '  "T2": {"id": "T9", "content": {"title": "x"}},\n'
        '  "T3": {"id": "T3",\n'
        '         "content": {"abstract": "no title"}}\n'
        "}\n"
    )
    path = write_submissions(in_tmp, text)
    with pytest.raises(OpenReviewFormatError) as error:
        read_submissions(path)
    assert problems(error) == [
        "submissions.json line 3: submission 'T2': \"id\" is 'T9' but the entry is keyed 'T2'",
        "submissions.json line 4: submission 'T3': \"content.title\" is missing",
    ]


def test_submissions_bad_json_names_the_line(in_tmp):
    path = write_submissions(in_tmp, '{\n "T1": {"id": "T1", "content": {"title": "a"}}\n "T2": {}\n}')
    with pytest.raises(
        OpenReviewFormatError, match=r"^submissions.json line 3: not valid JSON \(expected ','"
    ):
        read_submissions(path)
    path = write_submissions(in_tmp, '[\n{"id": 1}\n]')
    with pytest.raises(OpenReviewFormatError, match=r"^submissions.json line 1: expected a JSON object"):
        read_submissions(path)
    path = write_submissions(in_tmp, '{\n\n "T1": tru\n}')
    with pytest.raises(OpenReviewFormatError, match=r"^submissions.json line 3: not valid JSON"):
        read_submissions(path)


def test_duplicate_and_empty_submissions(in_tmp):
    path = write_submissions(in_tmp, '{"T1": {"id": "T1", "content": {"title": "a"}},\n"T1": {}}')
    with pytest.raises(OpenReviewFormatError, match=r"line 2: submission 'T1' already given on line 1"):
        read_submissions(path)
    path = write_submissions(in_tmp, "{}")
    with pytest.raises(OpenReviewFormatError, match=r"^submissions.json: holds no submissions$"):
        read_submissions(path)


def test_write_affinities_is_sorted_and_rounded(tmp_path):
    out = tmp_path / "scores.json"
    write_affinities(out, {"E2": {"T2": 0.1234567, "T1": 1 / 3}, "E1": {"T1": float("nan")}})
    assert json.loads(out.read_text()) == {"E1": {"T1": 0.0}, "E2": {"T1": 0.333333, "T2": 0.123457}}
    assert out.read_text() == affinities_json({"E1": {"T1": 0.0}, "E2": {"T2": 0.1234567, "T1": 1 / 3}})
    assert list(tmp_path.iterdir()) == [out]
