import pytest
from django.urls import reverse

from tuanxue.core.models import LoginFailure


@pytest.fixture
def account(kit, django_user_model):
    user = django_user_model.objects.create_user("zhang", password="Right-pass-1")
    kit.student(user=user)
    return user


def test_login_works(client, account):
    response = client.post(reverse("login"), {"username": "zhang", "password": "Right-pass-1"})
    assert response.status_code == 302


def test_wrong_password_is_refused_and_recorded(client, account):
    response = client.post(reverse("login"), {"username": "zhang", "password": "wrong"})
    assert response.status_code == 200
    assert LoginFailure.objects.filter(username="zhang").count() == 1


def test_login_is_throttled_after_repeated_failures(client, account, settings):
    settings.LOGIN_THROTTLE_LIMIT = 3
    for _ in range(3):
        client.post(reverse("login"), {"username": "zhang", "password": "wrong"})
    # Even the right password is refused while the account is locked.
    response = client.post(reverse("login"), {"username": "zhang", "password": "Right-pass-1"})
    assert response.status_code == 200
    assert "_auth_user_id" not in client.session
    assert "失败次数过多" in response.content.decode()


def test_success_clears_failures(client, account):
    client.post(reverse("login"), {"username": "zhang", "password": "wrong"})
    client.post(reverse("login"), {"username": "zhang", "password": "Right-pass-1"})
    assert LoginFailure.objects.filter(username="zhang").count() == 0


def test_account_page_creates_and_revokes_tokens(client, account):
    client.force_login(account)
    response = client.post(reverse("core:account"), {"name": "统计脚本"})
    assert response.status_code == 200
    assert 'id="new-token"' in response.content.decode()
    token = account.api_tokens.get()
    response = client.post(reverse("core:token_revoke", args=[token.pk]))
    assert response.status_code == 302
    token.refresh_from_db()
    assert token.revoked_at is not None


def test_tokens_of_others_cannot_be_revoked(client, kit, account, django_user_model):
    from tuanxue.core.api.tokens import token_create

    other = django_user_model.objects.create_user("li", password="x")
    kit.student(user=other)
    token, _ = token_create(actor=other, user=other, name="x")
    client.force_login(account)
    assert client.post(reverse("core:token_revoke", args=[token.pk])).status_code == 404
