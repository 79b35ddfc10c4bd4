"""The OpenAPI document is the truth: schemathesis (``--checks all``) against a live server with
the demo school and the tokens of two roles finds nothing.

Every answer must be documented with a body that matches its schema (400, 401, 403, 404, 422
included), every request the document calls valid must be accepted (or refused only for the
caller's rights or the state of things), and every request it calls invalid must be refused.
The run is repeatable: a fixed seed, a bounded number of examples, and the settings of
``schemathesis.toml`` at the project's root.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from django.contrib.auth import get_user_model

from tuanxue.core.api.tokens import token_create
from tuanxue.demo.org import build_demo, remove_demo_school

ROOT = Path(__file__).resolve().parent.parent
CONFIG = ROOT / "schemathesis.toml"
ST = Path(sys.executable).with_name("st")
# The League committee sees and runs everything of the school: every phase, including the
# coverage phase (boundaries and each kind of invalid value, which do not depend on the caller).
# A student sees their own and is refused the rest: generated and stateful requests.
ROLES = {
    "committee": ("tuanwei", "examples,coverage,fuzzing,stateful"),
    "student": ("xuesheng", "fuzzing,stateful"),
}
SEED = "20261202"
EXAMPLES = "5"


def schemathesis_run(url: str, key: str, phases: str) -> subprocess.CompletedProcess:
    command = [
        str(ST),
        "--config-file",
        str(CONFIG),
        "--no-color",
        "run",
        url,
        "--checks",
        "all",
        "--header",
        f"Authorization: Bearer {key}",
        "--phases",
        phases,
        "--seed",
        SEED,
        "--max-examples",
        EXAMPLES,
        "--workers",
        "1",
        "--generation-database",
        "none",
        "--request-timeout",
        "30",
    ]
    env = {**os.environ, "NO_COLOR": "1"}
    return subprocess.run(
        command, cwd=ROOT, env=env, capture_output=True, text=True, timeout=900, check=False
    )


def operation_count(client) -> int:
    paths = client.get("/api/v1/openapi.json").json()["paths"]
    return sum(len(methods) for methods in paths.values())


@pytest.fixture
def demo_keys(transactional_db):
    build_demo()
    users = get_user_model().objects.filter(username__in=[name for name, _ in ROLES.values()])
    by_name = {u.username: u for u in users}
    keys = {
        role: token_create(actor=None, user=by_name[username], name="schemathesis")[1]
        for role, (username, _phases) in ROLES.items()
    }
    yield keys
    remove_demo_school()


def test_the_api_keeps_its_word(live_server, demo_keys, client):
    url = f"{live_server.url}/api/v1/openapi.json"
    operations = operation_count(client)
    for role, key in demo_keys.items():
        result = schemathesis_run(url, key, ROLES[role][1])
        output = f"schemathesis as the {role}:\n{result.stdout[-8000:]}{result.stderr[-2000:]}"
        assert result.returncode == 0, output
        # Every operation of the document was tried, none skipped for a schema it cannot read.
        assert re.search(rf"Tested: {operations}\b", result.stdout), output
