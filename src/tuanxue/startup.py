"""What a production server must have before it serves anyone.

The WSGI and ASGI entry points and ``tuanxue runserver`` call :func:`require_production_settings`;
with ``DEBUG=0`` it stops start-up with a message that says what to set, instead of serving on a
development key that anyone can read in the source.
"""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured


def missing_production_settings() -> list[str]:
    if settings.DEBUG:
        return []
    problems = []
    if getattr(settings, "SECRET_KEY_MISSING", False):
        problems.append(
            "SECRET_KEY is not set. Sessions, check-in QR codes and hall codes are signed with "
            "it; set a long random value, e.g. "
            "SECRET_KEY=$(python3 -c 'import secrets; print(secrets.token_urlsafe(50))')"
        )
    return problems


def require_production_settings() -> None:
    problems = missing_production_settings()
    if problems:
        raise ImproperlyConfigured(
            "Tuanxue will not start with DEBUG=0 until these are set "
            "(or set DEBUG=1 for development):\n- " + "\n- ".join(problems)
        )
