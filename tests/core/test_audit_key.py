"""The audit key comes from the environment; the server refuses to start without it."""

import os
import subprocess
import sys

import pytest
from django.core.exceptions import ImproperlyConfigured

from tuanxue.core.chain import sealer


def _start(env_changes: dict) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if k not in ("AUDIT_KEY", "SECRET_KEY", "DEBUG")}
    env.update(env_changes)
    env["DJANGO_SETTINGS_MODULE"] = "tuanxue.settings"
    return subprocess.run(
        [sys.executable, "-c", "import tuanxue.wsgi"],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_production_server_refuses_to_start_without_the_key(tmp_path):
    done = _start({"DEBUG": "0", "TUANXUE_VAR_DIR": str(tmp_path)})
    assert done.returncode != 0
    assert "AUDIT_KEY is not set" in done.stderr


def test_server_starts_with_the_key_or_in_debug(tmp_path):
    production = {"AUDIT_KEY": "k" * 64, "SECRET_KEY": "s" * 50, "TUANXUE_VAR_DIR": str(tmp_path)}
    assert _start(production).returncode == 0
    assert _start({"DEBUG": "1", "TUANXUE_VAR_DIR": str(tmp_path)}).returncode == 0


def test_sealer_refuses_without_the_key(settings):
    settings.AUDIT_KEY = ""
    with pytest.raises(ImproperlyConfigured, match="AUDIT_KEY"):
        sealer.start_server_sealer()
