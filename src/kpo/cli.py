"""The `kpo` command: Django's management commands plus kpo's own (demo, serve, seed-demo, ...)."""

from __future__ import annotations

import os
import sys

SERVING_COMMANDS = frozenset({"serve", "demo"})
BLAS_THREAD_VARIABLES = ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS")


def main(argv: list[str] | None = None) -> None:
    args = list(sys.argv if argv is None else argv)
    if len(args) > 1 and not args[1].startswith("-"):
        args[1] = args[1].replace("-", "_")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "kpo.settings")
    if len(args) > 1 and args[1] in SERVING_COMMANDS:
        for variable in BLAS_THREAD_VARIABLES:  # before numpy loads: requests already run side by side
            os.environ.setdefault(variable, "1")
    from django.conf import settings
    from django.core.management import execute_from_command_line

    if settings.SETTINGS_MODULE == "kpo.settings":
        from kpo.settings import prepare_data_dir

        prepare_data_dir()
    execute_from_command_line(args)


if __name__ == "__main__":
    main()
