"""The `kpo` command: Django's management commands plus kpo's own (demo, serve, seed-demo, ...)."""

from __future__ import annotations

import os
import sys


def main(argv: list[str] | None = None) -> None:
    args = list(sys.argv if argv is None else argv)
    if len(args) > 1 and not args[1].startswith("-"):
        args[1] = args[1].replace("-", "_")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "kpo.settings")
    from django.conf import settings
    from django.core.management import execute_from_command_line

    if settings.SETTINGS_MODULE == "kpo.settings":
        from kpo.settings import prepare_data_dir

        prepare_data_dir()
    execute_from_command_line(args)


if __name__ == "__main__":
    main()
