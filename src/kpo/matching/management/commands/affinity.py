"""`kpo affinity --archives DIR --submissions FILE --out FILE`: expert/submission text affinities.

Reads OpenReview expertise files (`archives/~<expertId>.jsonl`, `submissions.json`) and writes
`{expertId: {submissionId: score}}`. Needs no database. Malformed input exits non-zero with every
problem named by file and line, and writes nothing.
"""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from kpo.engine.affinity import (
    BACKENDS,
    DEFAULT_BACKEND,
    BackendUnavailable,
    OpenReviewFormatError,
    compute_affinities,
    default_aggregate,
    get_aggregator,
    make_embedder,
    read_archives,
    read_submissions,
    write_affinities,
)


class Command(BaseCommand):
    help = (
        "Score every expert (work samples in --archives) against every submission (--submissions) "
        "and write {expertId: {submissionId: score}} to --out. No database is used."
    )
    requires_system_checks: list[str] = []
    requires_migrations_checks = False

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--archives", required=True, help="Directory of ~<expertId>.jsonl files.")
        parser.add_argument("--submissions", required=True, help="submissions.json to score.")
        parser.add_argument("--out", required=True, help="JSON file to write.")
        parser.add_argument(
            "--backend",
            choices=("auto", *BACKENDS),
            default="auto",
            help=f"Text embedder (default auto: {DEFAULT_BACKEND} if installed, else lexical).",
        )
        parser.add_argument(
            "--aggregate",
            default=None,
            help=(
                "How an expert's work samples combine into one score: mean, max, topK or softmax[:TAU], "
                "optionally +centroid[:W] (default: the backend's own, top2+centroid for words)."
            ),
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if options["aggregate"] is not None:
            try:
                get_aggregator(options["aggregate"])
            except ValueError as error:
                raise CommandError(f"--aggregate: {error}") from error
        try:
            archives = read_archives(options["archives"])
            submissions = read_submissions(options["submissions"])
        except OpenReviewFormatError as error:
            raise CommandError(f"Malformed input, nothing written:\n{error}") from error
        corpus = [note.text for notes in archives.values() for note in notes]
        corpus += [note.text for note in submissions.values()]
        try:
            embedder = make_embedder(options["backend"], corpus)
        except BackendUnavailable as error:
            raise CommandError(f"--backend {options['backend']}: {error}") from error
        aggregate = options["aggregate"] or default_aggregate(embedder.name)
        scores = compute_affinities(embedder, archives, submissions, aggregate)
        try:
            write_affinities(options["out"], scores)
        except OSError as error:
            raise CommandError(f"Cannot write {options['out']}: {error.strerror}.") from error
        self.stdout.write(
            self.style.SUCCESS(
                f"Scored {len(archives)} experts x {len(submissions)} submissions "
                f"with {embedder.name} ({aggregate}) into {options['out']}."
            )
        )
