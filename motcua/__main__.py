"""The ``motcua`` console command: Django's management commands under one name.

``motcua load-units FILE`` is ``manage.py load-units FILE``; every Django command works alike.
"""

import os
import sys


def main() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "motcua.settings")
    from django.core.management import execute_from_command_line

    argv = list(sys.argv)
    argv[0] = "motcua"
    execute_from_command_line(argv)


if __name__ == "__main__":
    main()
