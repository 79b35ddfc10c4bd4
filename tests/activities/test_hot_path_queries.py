"""The hot writes spend a bounded number of queries: a token-authenticated sign-up and ping,
a check-in and a proposal support (each audited write adds one INSERT and takes no lock on
the audit chain)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from tests.builders.activities import (
    API,
    VolunteerKit,
    bearer,
    build_world,
    make_proposal,
    post_signup,
    role_of,
    scan_in,
    supporters,
)
from tests.ledger import factories as f
from tuanxue.activities.proposals import services as proposals
from tuanxue.core.api import tokens
from tuanxue.core.api.tokens import TOUCH_EVERY
from tuanxue.core.models import ApiToken
from tuanxue.org.models import Role


@pytest.fixture
def vk(kit) -> VolunteerKit:
    return VolunteerKit(kit)


@pytest.fixture
def w(kit):
    return build_world(kit)


@pytest.fixture
def shift_kit(kit):
    now = timezone.now().replace(microsecond=0)
    kit.now = now
    kit.activity = f.activity(kit, start=now - dt.timedelta(minutes=10), hours=3)
    kit.role = f.shift(kit.activity, start=now - dt.timedelta(minutes=10), minutes=60)
    kit.league = kit.user(role=Role.SCHOOL_LEAGUE)
    kit.volunteer = kit.user(student=True)
    kit.signup = f.confirmed(kit.role, kit.volunteer.student)
    return kit


def _no_chain_lock(ctx) -> None:
    sql = " ".join(q["sql"] for q in ctx.captured_queries).lower()
    assert "core_auditchain" not in sql


def test_signup_and_ping_queries_are_bounded(client, vk, django_assert_max_num_queries):
    project = vk.project()
    role = role_of(project)
    user = vk.student_user()
    headers = bearer(user)
    assert client.get(f"{API}/ping", **headers).status_code == 200  # records last_used_at
    with django_assert_max_num_queries(1):
        assert client.get(f"{API}/ping", **headers).status_code == 200
    # The token with the student; the project with the role and the student's checks; then in
    # the transaction (a savepoint in tests): student lock, clash, conditional UPDATE, status,
    # INSERT sign-up, INSERT event.
    with CaptureQueriesContext(connection) as ctx, django_assert_max_num_queries(12):
        assert post_signup(client, project, role, user, **headers).status_code == 201
    _no_chain_lock(ctx)
    # A repeated submission is refused by the first two statements, before any lock.
    with CaptureQueriesContext(connection) as ctx, django_assert_max_num_queries(2):
        assert post_signup(client, project, role, user, **headers).status_code == 409
    assert not any("for update" in q["sql"].lower() for q in ctx.captured_queries)


def test_waiting_signup_queries_are_bounded(client, vk, django_assert_max_num_queries):
    project = vk.project(roles=[vk.role_spec("引导员", 1)])
    role = role_of(project)
    assert post_signup(client, project, role, vk.student_user()).status_code == 201
    user = vk.student_user()
    headers = bearer(user)
    client.get(f"{API}/ping", **headers)
    # As above, but the shared lock reads the project's status with the role's places, the
    # INSERT numbers the waiting row itself, and the position is counted after the commit.
    with django_assert_max_num_queries(12):
        response = post_signup(client, project, role, user, **headers)
    assert response.json()["status"] == "waiting"


def test_token_use_is_recorded_at_most_every_few_minutes(client, vk):
    user = vk.student_user()
    headers = bearer(user)
    client.get(f"{API}/ping", **headers)
    token = ApiToken.objects.get(user=user)
    first = token.last_used_at
    assert first is not None
    client.get(f"{API}/ping", **headers)
    assert ApiToken.objects.get(pk=token.pk).last_used_at == first
    stale = timezone.now() - TOUCH_EVERY - dt.timedelta(seconds=1)
    ApiToken.objects.filter(pk=token.pk).update(last_used_at=stale)
    client.get(f"{API}/ping", **headers)
    assert ApiToken.objects.get(pk=token.pk).last_used_at > stale


def test_a_server_records_token_use_off_the_request(client, vk, monkeypatch):
    monkeypatch.setattr(tokens._Touches, "run", lambda self: None)  # flushed by hand below
    monkeypatch.setattr(tokens, "_touches", tokens._Touches())
    tokens.defer_token_touches()
    user = vk.student_user()
    headers = bearer(user)
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(f"{API}/ping", **headers).status_code == 200
    assert not any(q["sql"].lstrip().upper().startswith("UPDATE") for q in ctx.captured_queries)
    token = ApiToken.objects.get(user=user)
    assert token.last_used_at is None
    tokens._touches.flush()
    assert ApiToken.objects.get(pk=token.pk).last_used_at is not None


def test_check_in_queries_are_bounded(shift_kit, django_assert_max_num_queries):
    with CaptureQueriesContext(connection) as ctx, django_assert_max_num_queries(12):
        scan_in(shift_kit, shift_kit.volunteer)
    _no_chain_lock(ctx)


def test_proposal_support_queries_are_bounded(w, django_assert_max_num_queries):
    proposal = make_proposal(w)
    user = supporters(w, 1)[0]
    user.student  # noqa: B018 - the request's user arrives with its student loaded
    with CaptureQueriesContext(connection) as ctx, django_assert_max_num_queries(10):
        proposals.proposal_support(actor=user, proposal=proposal)
    _no_chain_lock(ctx)
