"""The audit log reads as sentences: every kind of event has one, numbers only for those allowed."""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest
from django.apps import apps
from django.urls import reverse

import tuanxue
from tuanxue.core import auditlog
from tuanxue.org.models import ImportKind, Role

APPS = "org|charter|selection|activities|volunteer|attendance|ledger|congress|core|review|voice"
CODE = re.compile(rf"^(?:{APPS})\.[a-z_]+(?:\.[a-z_]+)?$")
# Strings shaped like event codes that are not events.
NOT_EVENTS = {"review.result"}  # the ledger's source tag for a credit from a review result


def _codes_in_source() -> set[str]:
    """Every string in the source that looks like an event code (model labels aside)."""
    model_labels = {m._meta.label_lower for m in apps.get_models()}
    root = Path(tuanxue.__file__).parent
    found = set()
    for path in root.rglob("*.py"):
        if "migrations" in path.parts or path.name == "audit_display.py":
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if (
                isinstance(node, ast.Constant)
                and isinstance(node.value, str)
                and CODE.match(node.value)
                and not node.value.endswith("_")  # the start of an f-string, listed below
                and node.value not in model_labels
            ):
                found.add(node.value)
    return found - NOT_EVENTS


def test_every_event_code_in_the_source_has_a_sentence():
    known = auditlog.known_kinds()
    codes = _codes_in_source() | {f"org.import.{kind}" for kind in ImportKind.values}
    codes |= {f"org.account.password_{how}" for how in ("changed", "email_reset")}
    assert len(codes) > 80
    assert sorted(codes - known.keys()) == []


def test_every_sentence_names_its_actor_and_target():
    for code, kind in auditlog.known_kinds().items():
        text = str(kind.sentence)
        assert "%(target)s" in text or code.endswith(".volunteers"), code
        assert "%(actor)s" in text, code


@pytest.fixture
def staffed(kit):
    kit.adopt_seed_charter()
    department = kit.department()
    head = kit.student(name="部长乙", student_no="2020123456")
    kit.post(head, department, "minister")
    return kit


def _page(client, kit, user, url_name="org:audit", args=()):
    client.force_login(user)
    return client.get(reverse(url_name, args=[kit.school.code, *args]))


def test_audit_page_shows_sentences_with_links_and_raw_values_behind_a_click(client, staffed):
    body = _page(client, staffed, staffed.user(role=Role.SCHOOL_LEAGUE)).content.decode()
    assert "任命了" in body
    assert "设立了部门" in body
    # Codes appear only inside the collapsed "recorded values".
    visible = re.sub(r"<details.*?</details>", "", body, flags=re.S)
    assert "org.membership.created" not in visible
    assert "org.membership.created" in body
    assert "2020123456" in body  # the League committee may see students' numbers


def test_numbers_are_hidden_from_the_federation(client, staffed):
    from tuanxue.org import services

    user = staffed.user()
    services.role_grant_create(actor=None, user=user, role=Role.FEDERATION, school=None)
    body = _page(client, staffed, user).content.decode()
    assert "任命了" in body
    assert "2020123456" not in body
    event = staffed.school.audit_events.filter(action="org.membership.created").last()
    history = _page(client, staffed, user, "org:history", (event.target_type, event.target_id))
    assert history.status_code == 200
    assert "2020123456" not in history.content.decode()


def test_audit_page_query_count_does_not_grow_with_events(
    client, staffed, django_assert_max_num_queries
):
    user = staffed.user(role=Role.SCHOOL_LEAGUE)
    from tuanxue.org import services

    for n in range(30):
        services.college_create(actor=user, school=staffed.school, name=f"学院{n}")
    client.force_login(user)
    with django_assert_max_num_queries(14):
        response = client.get(reverse("org:audit", args=[staffed.school.code]))
    assert response.status_code == 200


def test_mask_numbers_keeps_names_and_short_figures():
    assert auditlog.mask_numbers("刘颖梓（2020083333） 4.98 hours") == "刘颖梓（＊＊＊） 4.98 hours"
    assert auditlog.mask_numbers("软件2001班 S000123") == "软件2001班 ＊＊＊"
