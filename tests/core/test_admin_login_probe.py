"""Issue 11's probe of ``/admin/login/``: after ``victim1`` is locked out on the login page, the
admin login (full-width spelling or not) offers no way in. Django's admin is not mounted; every
``/admin/`` address, the login included, redirects to the home page and logs no one in."""

from __future__ import annotations

import pytest
from django.urls import reverse


@pytest.fixture
def victim(db, django_user_model):
    return django_user_model.objects.create_user("victim1", password="Right-pass-1")


@pytest.mark.parametrize("username", ["victim1", "ｖｉｃｔｉｍ１"])
def test_admin_login_is_no_way_around_a_lockout(client, victim, settings, username):
    settings.LOGIN_THROTTLE_LIMIT = 3
    for n in range(3):
        client.post(
            reverse("login"),
            {"username": "victim1", "password": "wrong"},
            REMOTE_ADDR=f"10.0.1.{n}",
        )
    for path in ("/admin/login/", "/admin/login/?next=/admin/"):
        assert client.get(path).status_code == 302
        response = client.post(
            path,
            {"username": username, "password": "Right-pass-1", "this_is_the_login_form": "1"},
            REMOTE_ADDR="10.0.2.1",
        )
        assert response.status_code == 302
        assert response.url == reverse("home")
        assert "_auth_user_id" not in client.session
    # The login page still refuses the right password while the lock-out lasts.
    response = client.post(
        reverse("login"), {"username": username, "password": "Right-pass-1"}, REMOTE_ADDR="10.0.3.1"
    )
    assert "_auth_user_id" not in client.session
    assert "失败次数过多" in response.content.decode()
