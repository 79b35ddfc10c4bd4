"""The ``tuanxue`` console script: Django's manage.py with our settings preset."""

import os
import sys


def main() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tuanxue.settings")
    from django.core.management import execute_from_command_line

    if len(sys.argv) > 1 and sys.argv[1] == "runserver":
        import django
        from django.core.exceptions import ImproperlyConfigured

        from tuanxue.startup import require_production_settings

        django.setup()
        try:
            require_production_settings()
        except ImproperlyConfigured as exc:
            sys.exit(str(exc))
    execute_from_command_line(sys.argv)


if __name__ == "__main__":
    main()
