"""Login throttling holds for every spelling of a name and every login path, and one busy
address (a campus gateway) is slowed down without locking anyone's account."""

from __future__ import annotations

import pytest
from django.contrib.auth import authenticate
from django.test import RequestFactory
from django.urls import reverse

from tuanxue.core.models import LoginFailure
from tuanxue.core.security import throttle


@pytest.fixture
def victim(db, django_user_model):
    return django_user_model.objects.create_user("victim1", password="Right-pass-1")


def _login(client, username, password, address="10.0.0.1"):
    return client.post(
        reverse("login"), {"username": username, "password": password}, REMOTE_ADDR=address
    )


def test_full_width_spelling_is_the_same_locked_account(client, victim, settings):
    settings.LOGIN_THROTTLE_LIMIT = 3
    for n in range(3):
        _login(client, "victim1", "wrong", address=f"10.0.1.{n}")
    response = _login(client, "ｖｉｃｔｉｍ１", "Right-pass-1", address="10.0.2.1")
    assert "_auth_user_id" not in client.session
    assert "失败次数过多" in response.content.decode()
    response = _login(client, "VICTIM1", "Right-pass-1", address="10.0.2.2")
    assert "_auth_user_id" not in client.session


def test_failures_are_counted_under_the_normalised_name(client, victim):
    _login(client, "ＶＩＣＴＩＭ１", "wrong")
    assert list(LoginFailure.objects.values_list("username", flat=True)) == ["victim1"]


def test_every_path_through_authenticate_is_throttled(victim, settings):
    # Not only the login page: anything that calls authenticate() (another login form included)
    settings.LOGIN_THROTTLE_LIMIT = 2
    request = RequestFactory().post("/elsewhere/login/", REMOTE_ADDR="10.0.0.9")
    assert authenticate(request, username="victim1", password="wrong") is None
    assert authenticate(request, username="victim1", password="wrong") is None
    assert authenticate(request, username="victim1", password="Right-pass-1") is None
    assert LoginFailure.objects.count() == 2


def test_a_busy_address_is_slowed_down_without_locking_accounts(client, victim, settings):
    settings.LOGIN_THROTTLE_ADDRESS_LIMIT = 4
    gateway = "172.16.0.1"
    # Someone behind the gateway tries many different accounts.
    for n in range(4):
        _login(client, f"someone{n}", "wrong", address=gateway)
    response = _login(client, "victim1", "Right-pass-1", address=gateway)
    assert "_auth_user_id" not in client.session
    assert "请等待" in response.content.decode()
    # The victim's own account is not locked: from another address it logs in at once.
    _login(client, "victim1", "Right-pass-1", address="10.9.9.9")
    assert client.session["_auth_user_id"] == str(victim.pk)


def test_slow_down_lasts_only_its_delay(client, victim, settings):
    settings.LOGIN_THROTTLE_ADDRESS_LIMIT = 2
    settings.LOGIN_THROTTLE_MAX_DELAY = 1
    for n in range(2):
        _login(client, f"someone{n}", "wrong", address="172.16.0.2")
    verdict = throttle.check(username="victim1", address="172.16.0.2")
    assert 0 < verdict.wait_seconds <= 1
    LoginFailure.objects.update(at=LoginFailure.objects.first().at.replace(year=2000))
    assert throttle.check(username="victim1", address="172.16.0.2").wait_seconds == 0


def test_forwarded_for_is_believed_only_from_trusted_proxies(settings):
    factory = RequestFactory()
    spoofed = factory.get("/", REMOTE_ADDR="203.0.113.7", HTTP_X_FORWARDED_FOR="1.2.3.4")
    assert throttle.client_address(spoofed) == "203.0.113.7"
    settings.TRUSTED_PROXIES = ["10.1.0.0/16"]
    proxied = factory.get(
        "/", REMOTE_ADDR="10.1.0.5", HTTP_X_FORWARDED_FOR="9.9.9.9, 198.51.100.20, 10.1.0.4"
    )
    assert throttle.client_address(proxied) == "198.51.100.20"
