"""A production server refuses to start on the public development key, and the production
settings the README documents pass Django's deployment checks."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

BIN = Path(sys.executable).parent

PRODUCTION = {
    "DEBUG": "0",
    "SECRET_KEY": "k3J9-s8dQ2_vLx7pZr4TnW1yB6cHf0aGeM5uKiOjRt8NwYq2Xb",
    "AUDIT_KEY": "9f1c2b7e4d6a8c0e3b5d7f9a1c3e5b7d9f1a3c5e7b9d1f3a5c7e9b1d3f5a7c9e",
    "ALLOWED_HOSTS": "tuanxue.example.edu",
    "CSRF_TRUSTED_ORIGINS": "https://tuanxue.example.edu",
    "SECURE_COOKIES": "1",
    "SECURE_SSL_REDIRECT": "1",
    "SECURE_HSTS_SECONDS": "31536000",
    "SECURE_HSTS_INCLUDE_SUBDOMAINS": "1",
    "SECURE_HSTS_PRELOAD": "1",
    "SECURE_PROXY_SSL_HEADER": "HTTP_X_FORWARDED_PROTO,https",
}


def _env(tmp_path, **values) -> dict:
    keep = {
        k: v
        for k, v in os.environ.items()
        if k not in PRODUCTION and k != "DATABASE_URL" and not k.startswith("DJANGO_")
    }
    keep.update(DATABASE_URL=f"sqlite:///{tmp_path / 'db.sqlite3'}", TUANXUE_VAR_DIR=str(tmp_path))
    keep.update(values)
    return keep


def _run(args, env, cwd):
    return subprocess.run(args, env=env, cwd=cwd, capture_output=True, text=True, timeout=120)


def test_wsgi_refuses_to_start_without_a_secret_key(tmp_path):
    env = _env(tmp_path, DEBUG="0")
    out = _run([sys.executable, "-c", "import tuanxue.wsgi"], env, tmp_path)
    assert out.returncode != 0
    assert "SECRET_KEY is not set" in out.stderr


def test_wsgi_names_every_missing_secret(tmp_path):
    out = _run([sys.executable, "-c", "import tuanxue.wsgi"], _env(tmp_path, DEBUG="0"), tmp_path)
    assert "SECRET_KEY is not set" in out.stderr and "AUDIT_KEY is not set" in out.stderr


def test_runserver_refuses_to_start_without_a_secret_key(tmp_path):
    env = _env(tmp_path, DEBUG="0")
    out = _run([str(BIN / "tuanxue"), "runserver", "--noreload"], env, tmp_path)
    assert out.returncode == 1
    assert "SECRET_KEY is not set" in out.stderr


def test_wsgi_starts_with_a_secret_key_and_in_development(tmp_path):
    ok = _run(
        [sys.executable, "-c", "import tuanxue.wsgi"],
        _env(
            tmp_path,
            DEBUG="0",
            SECRET_KEY=PRODUCTION["SECRET_KEY"],
            AUDIT_KEY=PRODUCTION["AUDIT_KEY"],
        ),
        tmp_path,
    )
    assert ok.returncode == 0, ok.stderr
    dev = _run([sys.executable, "-c", "import tuanxue.wsgi"], _env(tmp_path, DEBUG="1"), tmp_path)
    assert dev.returncode == 0, dev.stderr


def test_documented_production_settings_pass_the_deploy_checks(tmp_path):
    env = _env(tmp_path, **PRODUCTION)
    out = _run(
        [str(BIN / "tuanxue"), "check", "--deploy", "--fail-level", "WARNING"], env, tmp_path
    )
    assert out.returncode == 0, out.stdout + out.stderr


def test_proxy_ssl_header_must_have_two_parts(tmp_path):
    env = _env(tmp_path, DEBUG="1", SECURE_PROXY_SSL_HEADER="HTTP_X_FORWARDED_PROTO")
    out = _run([sys.executable, "-c", "import tuanxue.wsgi"], env, tmp_path)
    assert out.returncode != 0
    assert "SECURE_PROXY_SSL_HEADER" in out.stderr
