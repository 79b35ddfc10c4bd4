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
    if not getattr(settings, "AUDIT_KEY", ""):
        problems.append(
            "AUDIT_KEY is not set. The audit log is sealed with it and it is never stored in the "
            "database; set the same long random value on every server, e.g. "
            "AUDIT_KEY=$(python3 -c 'import secrets; print(secrets.token_hex(32))')"
        )
    return problems


def require_production_settings() -> None:
    problems = missing_production_settings()
    if problems:
        raise ImproperlyConfigured(
            "Tuanxue will not start with DEBUG=0 until these are set "
            "(or set DEBUG=1 for development):\n- " + "\n- ".join(problems)
        )


def start_background_work() -> None:
    """Work a server process does beside requests: sealing the audit log after commits, and
    recording when API tokens were last used."""
    from tuanxue.core.api.tokens import defer_token_touches
    from tuanxue.core.chain.sealer import start_server_sealer

    start_server_sealer()
    defer_token_touches()
