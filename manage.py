#!/usr/bin/env python
"""Django's manage.py; the same as the ``motcua`` console command."""

from motcua.__main__ import main

if __name__ == "__main__":
    main()
