"""``tuanxue token``: the printed secret authenticates; list and revoke by prefix."""

from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from tuanxue.core.models import ApiToken
from tuanxue.org.models import Role


def run(*args) -> tuple[str, str]:
    out, err = StringIO(), StringIO()
    call_command("token", *args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def test_create_prints_a_key_that_authenticates(client, kit):
    user = kit.user("leaguer", role=Role.SCHOOL_LEAGUE)
    out, err = run("create", "leaguer", "--name", "reporting")
    key = out.strip()
    assert key.startswith(ApiToken.PREFIX)
    assert "reporting" in err
    assert key not in err
    token = user.api_tokens.get()
    assert token.name == "reporting"
    assert token.key_hash != key
    response = client.get("/api/v1/schools", HTTP_AUTHORIZATION=f"Bearer {key}")
    assert response.status_code == 200
    assert response.json()[0]["code"] == kit.school.code


def test_unknown_user_is_a_clear_error(db):
    with pytest.raises(CommandError, match="nobody"):
        run("create", "nobody")
    with pytest.raises(CommandError, match="nobody"):
        run("list", "nobody")


def test_an_empty_name_is_refused(kit):
    kit.user("leaguer")
    with pytest.raises(CommandError):
        run("create", "leaguer", "--name", "  ")


def test_list_and_revoke_by_prefix(client, kit):
    user = kit.user("leaguer", role=Role.SCHOOL_LEAGUE)
    key = run("create", "leaguer", "--name", "one")[0].strip()
    run("create", "leaguer", "--name", "two")
    listing = run("list", "leaguer")[0]
    assert key[:10] in listing
    assert "one" in listing and "two" in listing
    assert key not in listing

    with pytest.raises(CommandError):
        run("revoke", "leaguer", "txk_")  # too short to name one token
    with pytest.raises(CommandError):
        run("revoke", "leaguer", "txk_zzzzzz-not-there")
    out = run("revoke", "leaguer", key[:10])[0]
    assert "one" in out
    assert user.api_tokens.get(name="one").revoked_at is not None
    assert user.api_tokens.get(name="two").revoked_at is None
    response = client.get("/api/v1/schools", HTTP_AUTHORIZATION=f"Bearer {key}")
    assert response.status_code == 401
    with pytest.raises(CommandError):
        run("revoke", "leaguer", key[:10])  # already revoked: no active token matches


def test_revoke_by_the_whole_key(kit):
    user = kit.user("leaguer", student=True)
    key = run("create", "leaguer")[0].strip()
    run("revoke", "leaguer", key)
    assert user.api_tokens.get().revoked_at is not None


def test_tokens_created_and_revoked_are_in_the_audit_log(kit):
    kit.user("leaguer", role=Role.SCHOOL_LEAGUE)
    key = run("create", "leaguer", "--name", "统计")[0].strip()
    run("revoke", "leaguer", key[:12])
    events = list(kit.school.audit_events.filter(action__startswith="core.token."))
    assert [e.action for e in events] == ["core.token.created", "core.token.revoked"]
    assert key not in str([e.new for e in events]) and "统计" in events[0].target_label


def test_an_account_of_no_school_gets_no_token(db, django_user_model):
    django_user_model.objects.create_user("loner", password="x")
    with pytest.raises(CommandError, match="不属于任何学校"):
        run("create", "loner")
