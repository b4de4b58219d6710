#!/usr/bin/env python
"""Django's command-line utility for administrative tasks."""

import os
import sys


def main() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "playground.settings")
    if sys.argv[1:2] in (["simulator"], ["runserver"]):
        # Django's setup imports Daphne's app, which installs Twisted's reactor on a plain
        # asyncio loop: the servers install theirs (on uvloop, see playground.reactor) first.
        from playground.reactor import reactor_install

        reactor_install()
    from django.core.management import execute_from_command_line

    execute_from_command_line(sys.argv)


if __name__ == "__main__":
    main()
