"""The application serves its own static files and keeps its data under one absolute folder."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest


@pytest.mark.django_db
def test_stylesheet_is_served_by_the_application_itself(client, settings):
    # DEBUG is off in tests, so Django's own static view is not involved: WhiteNoise serves it.
    assert settings.DEBUG is False
    response = client.get("/static/core/tuanxue.css")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/css")
    body = b"".join(response.streaming_content) if response.streaming else response.content
    assert b".topbar" in body


def _settings_in(cwd: Path, **env) -> dict:
    code = (
        "import json, django; from django.conf import settings; django.setup();"
        "print(json.dumps({k: str(getattr(settings, k)) for k in "
        "('VAR_DIR', 'STATIC_ROOT', 'MEDIA_ROOT')}))"
    )
    drop = ("STATIC_ROOT", "MEDIA_ROOT", "TUANXUE_VAR_DIR")
    environ = {k: v for k, v in os.environ.items() if k not in drop}
    environ.update(env, DJANGO_SETTINGS_MODULE="tuanxue.settings")
    out = subprocess.run(
        [sys.executable, "-c", code], cwd=cwd, env=environ, capture_output=True, text=True
    )
    assert out.returncode == 0, out.stderr
    return json.loads(out.stdout)


def test_data_folders_are_absolute_and_under_the_var_dir(tmp_path):
    (tmp_path / "elsewhere").mkdir()
    paths = _settings_in(tmp_path / "elsewhere", TUANXUE_VAR_DIR="data")
    var = (tmp_path / "elsewhere" / "data").resolve()
    assert paths["VAR_DIR"] == str(var)
    assert paths["STATIC_ROOT"] == str(var / "static")
    assert paths["MEDIA_ROOT"] == str(var / "media")


def test_data_folders_do_not_follow_the_working_directory(tmp_path):
    first = _settings_in(tmp_path)
    (tmp_path / "sub").mkdir()
    second = _settings_in(tmp_path / "sub")
    assert first == second
    assert Path(first["VAR_DIR"]).is_absolute()
    assert not Path(first["VAR_DIR"]).is_relative_to(tmp_path)
